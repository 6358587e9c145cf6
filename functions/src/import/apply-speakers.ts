/**
 * Writes validated rows of people to events/{eventId}/speakers/{id} or (attendees and other roles)
 * events/{eventId}/participants/{id}: the rows of an import (import/speakers-csv.ts) and of a
 * connector's sync (connectors/), the one writer of people.
 *
 * - The documents are read first (getAll, in chunks) and each row is planned: create when the
 *   document does not exist, update only the imported fields that differ, and nothing at all
 *   when they are already equal. So a repeated import writes nothing and fires no trigger.
 * - Writes go through one BulkWriter (batched, throttled, transient errors retried by it).
 *   A create is `create()` (must not exist) and an update is `update()` (must exist) with
 *   field paths, so fields that are not imported (and `certificate`) are never touched.
 * - A row whose document appeared or disappeared between the read and the write is planned
 *   and written once more; if it changes again it is rejected as WRITE_FAILED.
 * - A transient failure that outlasts the BulkWriter's retries is thrown (TransientError):
 *   the delivery is retried and, since everything above is idempotent, finishes the job.
 */
import type { DocumentReference, DocumentSnapshot, Firestore } from 'firebase-admin/firestore';
import { nestFields } from './participants.js';
import type { RejectedRow } from './speakers-csv.js';
import { TransientError } from '../shared/errors.js';
import { isTransient, withRetries } from '../shared/retry.js';
import { peopleOf } from '../shared/paths.js';
import { sameValue } from '../shared/values.js';
import type { ParticipantCollection } from '../shared/roles.js';

/**
 * A row to write: the document id and its values by Firestore field path (`name`, `talk.title`,
 * `attendance`); a value may be any JSON value (a connector's check-ins are a list).
 */
export interface PersonRow {
  id: string;
  /** Line of the file (imports) or position in the source (connectors), for the report. */
  line: number;
  fields: Record<string, unknown>;
}

export interface ApplyResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows that could not be written (WRITE_FAILED), with the reason. */
  failed: RejectedRow[];
}

export interface ApplyOptions {
  /** Documents per getAll call. */
  readChunk?: number;
  /** Where the people go: speakers/ (default) or participants/. */
  collection?: ParticipantCollection;
}

type Plan =
  | { kind: 'create'; data: Record<string, unknown> }
  | { kind: 'update'; changes: Record<string, unknown> }
  | { kind: 'unchanged' };

/** `{ name, 'talk.title': t }` → `{ name, talk: { title: t } }` for a new document (the one nesting of import/participants.ts). */
export { nestFields };

/** What to write for `row` given the document as it is now. */
export function planRow(row: PersonRow, snapshot: Pick<DocumentSnapshot, 'exists' | 'get'>): Plan {
  if (!snapshot.exists) return { kind: 'create', data: nestFields(row.fields) };
  const changes: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(row.fields)) {
    if (!sameValue(snapshot.get(path), value)) changes[path] = value;
  }
  return Object.keys(changes).length === 0 ? { kind: 'unchanged' } : { kind: 'update', changes };
}

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;

export async function applySpeakers(
  db: Firestore,
  eventId: string,
  rows: PersonRow[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const readChunk = options.readChunk ?? 300;
  const speakers = peopleOf(db, eventId, options.collection ?? 'speakers');
  const result: ApplyResult = { created: 0, updated: 0, unchanged: 0, failed: [] };
  const fail = (row: PersonRow, reason: string) =>
    result.failed.push({ line: row.line, field: null, code: 'WRITE_FAILED', reason });

  let pending = rows;
  for (let pass = 1; pending.length > 0; pass++) {
    const conflicts: PersonRow[] = [];
    const writer = db.bulkWriter();
    // Each write's own promise records its outcome; they have all settled once close() resolves.
    let transient: unknown;
    const writes: Promise<void>[] = [];
    try {
      for (let start = 0; start < pending.length; start += readChunk) {
        const chunk = pending.slice(start, start + readChunk);
        const refs: DocumentReference[] = chunk.map((row) => speakers.doc(row.id));
        const snapshots = await withRetries(() => db.getAll(...refs), { what: 'reading speakers' });
        chunk.forEach((row, i) => {
          const plan = planRow(row, snapshots[i]!);
          if (plan.kind === 'unchanged') {
            result.unchanged++;
            return;
          }
          const write =
            plan.kind === 'create' ? writer.create(refs[i]!, plan.data) : writer.update(refs[i]!, plan.changes);
          writes.push(
            write.then(
              () => {
                if (plan.kind === 'create') result.created++;
                else result.updated++;
              },
              (error: { code?: number; message?: string }) => {
                const conflict = error.code === (plan.kind === 'create' ? GRPC_ALREADY_EXISTS : GRPC_NOT_FOUND);
                if (conflict && pass === 1) conflicts.push(row);
                else if (conflict) fail(row, 'the speaker document changed during the import; upload the file again');
                else if (isTransient(error)) transient ??= error;
                else fail(row, `Firestore refused the write: ${error.message ?? String(error)}`);
              },
            ),
          );
        });
      }
    } finally {
      // Waits for every queued write (also when a read failed half-way).
      await writer.close();
    }
    await Promise.all(writes);
    if (transient !== undefined) {
      throw new TransientError(`writing speakers failed: ${(transient as Error).message ?? transient}`, {
        cause: transient,
      });
    }
    pending = conflicts;
  }
  result.failed.sort((a, b) => a.line - b.line);
  return result;
}
