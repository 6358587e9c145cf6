/**
 * The import report, `events/{eventId}/imports/{importId}`, and the claim that makes an import
 * run once per file content.
 *
 * importId is the sha256 (hex) of the file's bytes: the same bytes uploaded again, under any
 * name, find the finished report and change nothing. While an import runs its report is
 * `running` with a lease; a redelivery of the same upload takes over, another upload of the
 * same bytes leaves it alone. Clients only read reports (firestore.rules); the functions write them.
 *
 * A report is a Firestore document (at most 1 MiB) and the file is anyone's text, so what a report
 * stores is bounded whatever the file holds (storedOutcome: every text, every list, the whole);
 * and if Firestore still refuses the report, a small `failed` one (failedOutcome) takes its place:
 * a report never stays `running` because of what the file contained.
 */
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import type { CsvEncoding } from './csv.js';
import type { FileErrorCode } from './errors.js';
import type { ColumnChoice } from './participants.js';
import type { ColumnMap, RejectedRow } from './speakers-csv.js';
import type { FirestoreDate } from '../shared/model.js';
import { leaseLive, newLease, releaseLease } from '../shared/lease.js';
import { importReportRef } from '../shared/paths.js';
import { excerpt, isRecord } from '../shared/values.js';

/**
 * `running` while an import runs; then `done`, `rejected` (the whole file, `error`), or `failed`:
 * the report itself could not be stored (`error.code` REPORT_WRITE_FAILED; counts kept, lists not).
 */
export type ImportStatus = 'running' | 'done' | 'rejected' | 'failed';

/** The uploaded object an import reads. */
export interface ImportObject {
  bucket: string;
  /** imports/{eventId}/{fileName} or imports/{eventId}/{role folder}/{fileName} */
  path: string;
  fileName: string;
  eventId: string;
  generation: string;
  /** The role of the file's people (import/filters.ts importTarget); absent or `speaker`: speakers. */
  role?: string;
  /** How the organizer said to read some columns (the object's `certforgeColumns` metadata: import/filters.ts). */
  columnChoices?: Readonly<Record<string, ColumnChoice>>;
}

export interface ImportReport {
  importId: string;
  eventId: string;
  status: ImportStatus;
  /** The object that was imported (the first upload of these bytes) and its size. */
  path: string;
  fileName: string;
  bucket: string;
  generation: string;
  bytes: number;
  /** Hex sha256 of the file (also the report's id). */
  sha256: string;
  encoding: CsvEncoding | null;
  delimiter: 'comma' | 'semicolon' | 'tab' | null;
  /** Field → the header cell it came from. */
  columns: Record<string, string>;
  /** What was read: csv, xlsx, json or rtdb (a Realtime Database export), and the export recognized (zoom, eventbrite, indico). */
  format?: string;
  preset?: string;
  /** The role the file's people got (absent: speakers). */
  role?: string;
  ignoredColumns: ColumnMap['ignored'];
  /** Data rows (blank ones excluded) = accepted + rejected. */
  rowsTotal: number;
  /** Rows written or already up to date = created + updated + unchanged. */
  accepted: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  blankRows: number;
  /** The first IMPORT_LIMITS.maxRejectedListed rejected rows, by line. */
  rejectedRows: RejectedRow[];
  /** Rejected rows not listed (rejected - rejectedRows.length). */
  rejectedRowsOmitted: number;
  /** Why the whole file was rejected (status 'rejected'). */
  error: { code: FileErrorCode; message: string; details?: Record<string, unknown> } | null;
  startedAt: FirestoreDate;
  finishedAt: FirestoreDate | null;
  /** Deliveries that worked on it (> 1 after a retry; the counts are those of the last one). */
  attempts: number;
  /** Bookkeeping of the claim. */
  deliveryId: string;
  attemptId: string;
  leaseUntil: number;
}

/** The outcome of an import, as stored: every report field but the claim's and the object's. */
export type ImportOutcome = Pick<
  ImportReport,
  | 'status'
  | 'encoding'
  | 'delimiter'
  | 'columns'
  | 'format'
  | 'preset'
  | 'role'
  | 'ignoredColumns'
  | 'rowsTotal'
  | 'accepted'
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'rejected'
  | 'blankRows'
  | 'rejectedRows'
  | 'rejectedRowsOmitted'
  | 'error'
>;

export function emptyOutcome(): ImportOutcome {
  return {
    status: 'rejected',
    encoding: null,
    delimiter: null,
    columns: {},
    ignoredColumns: [],
    rowsTotal: 0,
    accepted: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    blankRows: 0,
    rejectedRows: [],
    rejectedRowsOmitted: 0,
    error: null,
  };
}

/** File rejections that are not about the bytes: a new upload of the same bytes is imported again. */
const RETRYABLE_REJECTIONS = new Set<FileErrorCode>([
  'EVENT_NOT_FOUND',
  'RETRY_EXHAUSTED',
  'INTERNAL',
  'REPORT_WRITE_FAILED',
]);

/** What a stored report holds at most, whatever the file holds. */
export const REPORT_BOUNDS = Object.freeze({
  /** Characters of any stored text but `error.message`: header cells, reasons (which quote cells), fields, details. */
  text: 200,
  /** Characters of `error.message`. */
  message: 2000,
  /** Entries of a list in `error.details`, and of `ignoredColumns`. */
  entries: 50,
  /** Levels of `error.details`. */
  depth: 4,
  /** Bytes of the outcome as JSON: rejected rows past it are counted in `rejectedRowsOmitted`, not listed. */
  bytes: 256 * 1024,
});

/** Texts cut to `max` characters with '…', lists to REPORT_BOUNDS.entries, nesting to REPORT_BOUNDS.depth. */
function bounded(value: unknown, max: number, depth = 0): unknown {
  if (typeof value === 'string') return excerpt(value, max);
  if (Array.isArray(value)) {
    return depth >= REPORT_BOUNDS.depth
      ? []
      : value.slice(0, REPORT_BOUNDS.entries).map((item) => bounded(item, max, depth + 1));
  }
  if (isRecord(value)) {
    if (depth >= REPORT_BOUNDS.depth) return {};
    const entries = Object.entries(value).slice(0, REPORT_BOUNDS.entries);
    return Object.fromEntries(entries.map(([key, item]) => [excerpt(key, max), bounded(item, max, depth + 1)]));
  }
  return value;
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * The outcome as it is stored: every text bounded (REPORT_BOUNDS.text; `error.message`
 * REPORT_BOUNDS.message), `ignoredColumns` and the lists in `error.details` to
 * REPORT_BOUNDS.entries, and as many of `rejectedRows` (already at most maxRejectedListed) as fit
 * in REPORT_BOUNDS.bytes; the others are counted in `rejectedRowsOmitted`. Counts are unchanged.
 */
export function storedOutcome(outcome: ImportOutcome): ImportOutcome {
  const { text, message, entries } = REPORT_BOUNDS;
  const cut = (value: string) => excerpt(value, text);
  const rows = outcome.rejectedRows.map((row) => ({
    line: row.line,
    field: row.field === null ? null : cut(row.field),
    code: row.code,
    reason: cut(row.reason),
  }));
  const stored: ImportOutcome = {
    ...outcome,
    columns: Object.fromEntries(Object.entries(outcome.columns).map(([field, header]) => [cut(field), cut(header)])),
    ignoredColumns: outcome.ignoredColumns
      .slice(0, entries)
      .map((c) => ({ column: c.column, header: cut(c.header), reason: cut(c.reason) })),
    rejectedRows: [],
    error: outcome.error && {
      code: outcome.error.code,
      message: excerpt(outcome.error.message, message),
      ...(outcome.error.details ? { details: bounded(outcome.error.details, text) as Record<string, unknown> } : {}),
    },
  };
  let room = REPORT_BOUNDS.bytes - jsonBytes(stored);
  for (const row of rows) {
    room -= jsonBytes(row) + 1;
    if (room < 0) break;
    stored.rejectedRows.push(row);
  }
  stored.rejectedRowsOmitted = outcome.rejectedRowsOmitted + (rows.length - stored.rejectedRows.length);
  return stored;
}

/**
 * The small report stored when Firestore refused the full one: status `failed`, the counts, and
 * REPORT_WRITE_FAILED with what Firestore said; no list of columns or rows.
 */
export function failedOutcome(outcome: ImportOutcome, cause: unknown): ImportOutcome {
  const said = excerpt(String((cause as Error | undefined)?.message ?? cause), REPORT_BOUNDS.text);
  return {
    ...emptyOutcome(),
    status: 'failed',
    encoding: outcome.encoding,
    delimiter: outcome.delimiter,
    rowsTotal: outcome.rowsTotal,
    accepted: outcome.accepted,
    created: outcome.created,
    updated: outcome.updated,
    unchanged: outcome.unchanged,
    rejected: outcome.rejected,
    blankRows: outcome.blankRows,
    rejectedRowsOmitted: outcome.rejected,
    error: {
      code: 'REPORT_WRITE_FAILED',
      message:
        `The import ${outcome.status === 'done' ? 'ran' : 'was rejected'} but its report could not be stored (${said}); ` +
        'the counts are kept, the lists of columns and rejected rows are not. Upload the file again (under a new name) to import it again.',
      details: { outcome: outcome.status, ...(outcome.error ? { code: outcome.error.code } : {}) },
    },
  };
}

export function reportRef(db: Firestore, eventId: string, importId: string): DocumentReference {
  return importReportRef(db, eventId, importId);
}

export type Claim =
  | { kind: 'claimed'; attemptId: string; attempts: number }
  /** Already imported (or rejected for its content): nothing to do. */
  | { kind: 'finished'; report: ImportReport }
  /** Another upload of the same bytes is being imported right now. */
  | { kind: 'busy'; report: ImportReport };

export interface ClaimInput {
  object: ImportObject;
  importId: string;
  bytes: number;
  deliveryId: string;
  now: number;
  leaseMs: number;
}

/** Claims the import in a transaction (see the module comment for who wins). */
export async function claimImport(db: Firestore, input: ClaimInput): Promise<Claim> {
  const ref = reportRef(db, input.object.eventId, input.importId);
  const lease = newLease(input.now, input.leaseMs);
  const { attemptId } = lease;
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const existing = snap.exists ? (snap.data() as ImportReport) : undefined;
    if (existing) {
      const sameObject = existing.path === input.object.path && existing.generation === input.object.generation;
      if (existing.status !== 'running') {
        const again =
          (existing.status === 'rejected' || existing.status === 'failed') &&
          existing.error &&
          RETRYABLE_REJECTIONS.has(existing.error.code) &&
          !sameObject;
        if (!again) return { kind: 'finished', report: existing } as const;
      } else if (existing.deliveryId !== input.deliveryId && leaseLive(existing, input.now)) {
        return { kind: 'busy', report: existing } as const;
      }
    }
    const attempts = (existing?.status === 'running' ? existing.attempts : 0) + 1;
    const report: ImportReport = {
      importId: input.importId,
      eventId: input.object.eventId,
      path: input.object.path,
      fileName: input.object.fileName,
      bucket: input.object.bucket,
      generation: input.object.generation,
      bytes: input.bytes,
      sha256: input.importId,
      ...emptyOutcome(),
      status: 'running',
      startedAt: new Date(input.now),
      finishedAt: null,
      attempts,
      deliveryId: input.deliveryId,
      ...lease,
    };
    tx.set(ref, report);
    return { kind: 'claimed', attemptId, attempts } as const;
  });
}

/**
 * Writes the outcome if the claim `attemptId` still holds the report; false (nothing written)
 * when another attempt took over.
 */
export async function finishImport(
  db: Firestore,
  ref: DocumentReference,
  attemptId: string,
  outcome: ImportOutcome,
  finishedAt: Date,
): Promise<boolean> {
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists || snap.get('attemptId') !== attemptId || snap.get('status') !== 'running') return false;
    tx.update(ref, { ...outcome, finishedAt, leaseUntil: 0 });
    return true;
  });
}

/** Lets a redelivery (or another upload of the same bytes) take over at once after a transient failure. */
export async function releaseImport(ref: DocumentReference, attemptId: string): Promise<void> {
  await releaseLease(
    ref,
    (report) => report,
    'leaseUntil',
    attemptId,
    (report) => report.status === 'running',
  );
}
