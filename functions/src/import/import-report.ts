/**
 * The import report, `events/{eventId}/imports/{importId}`, and the claim that makes an import
 * run once per file content.
 *
 * importId is the sha256 (hex) of the file's bytes: the same bytes uploaded again, under any
 * name, find the finished report and change nothing. While an import runs its report is
 * `running` with a lease; a redelivery of the same upload takes over, another upload of the
 * same bytes leaves it alone. Clients only read reports (firestore.rules); the functions write them.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import type { CsvEncoding } from './csv.js';
import type { FileErrorCode } from './errors.js';
import type { ColumnMap, RejectedRow } from './speakers-csv.js';
import type { FirestoreDate } from '../shared/model.js';
import { importReportRef } from '../shared/paths.js';

export type ImportStatus = 'running' | 'done' | 'rejected';

/** The uploaded object an import reads. */
export interface ImportObject {
  bucket: string;
  /** imports/{eventId}/{fileName} */
  path: string;
  fileName: string;
  eventId: string;
  generation: string;
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
const RETRYABLE_REJECTIONS = new Set<FileErrorCode>(['EVENT_NOT_FOUND', 'RETRY_EXHAUSTED', 'INTERNAL']);

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
  const attemptId = randomUUID();
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const existing = snap.exists ? (snap.data() as ImportReport) : undefined;
    if (existing) {
      const sameObject = existing.path === input.object.path && existing.generation === input.object.generation;
      if (existing.status !== 'running') {
        const again = existing.status === 'rejected' && existing.error && RETRYABLE_REJECTIONS.has(existing.error.code) && !sameObject;
        if (!again) return { kind: 'finished', report: existing } as const;
      } else if (existing.deliveryId !== input.deliveryId && existing.leaseUntil > input.now) {
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
      attemptId,
      leaseUntil: input.now + input.leaseMs,
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
export async function releaseImport(db: Firestore, ref: DocumentReference, attemptId: string): Promise<void> {
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (snap.exists && snap.get('attemptId') === attemptId && snap.get('status') === 'running') tx.update(ref, { leaseUntil: 0 });
  });
}
