/**
 * One CSV upload, start to finish:
 *
 *   1. read    the object: sha256 of all of it (the import id), its bytes up to the size limit;
 *   2. claim   the report events/{eventId}/imports/{sha256} (transaction): an upload of bytes
 *              already imported stops here and changes nothing;
 *   3. check   the event exists; decode, parse and validate (import/speakers-csv.ts for speakers,
 *              import/participants.ts readPeople for attendees and other roles: pure);
 *   4. write   the people (import/apply-speakers.ts): create, update what differs, skip the rest;
 *   5. finish  the report (done | rejected) if the claim still holds; tag the object's metadata.
 *              What it stores is bounded (storedOutcome), and if Firestore refuses it anyway,
 *              a small `failed` report (REPORT_WRITE_FAILED) is stored instead: the report
 *              never stays `running` because of the file's content.
 *
 * Delivery is at least once. Every step is idempotent, so a redelivery of the same upload
 * (after a crash or a transient failure) repeats what is missing and doubles nothing. A
 * transient failure is rethrown for the platform to redeliver, until the upload is older than
 * the retry window: then the report is rejected with RETRY_EXHAUSTED. Any other unexpected
 * error rejects it with INTERNAL (logged), so that a bug is not retried forever.
 */
import { createHash } from 'node:crypto';
import type { Firestore } from 'firebase-admin/firestore';
import { applySpeakers, type PersonRow } from './apply-speakers.js';
import { PEOPLE_TABLE, readPeople } from './participants.js';
import { ImportError, isImportError } from './errors.js';
import {
  claimImport,
  emptyOutcome,
  failedOutcome,
  finishImport,
  releaseImport,
  reportRef,
  storedOutcome,
  type ImportObject,
  type ImportOutcome,
  type ImportReport,
} from './import-report.js';
import type { ImportSource, ReadObject } from './object-source.js';
import { IMPORT_LIMITS, parseSpeakerFile, speakerIdFor, type ImportLimits, type RejectedRow } from './speakers-csv.js';
import { collectionOfRole, SPEAKER_ROLE } from '../shared/roles.js';
import { roleOfFolder } from './filters.js';
import type { EventDoc } from '../shared/model.js';
import { isTransient, retriesExhausted, withRetries } from '../shared/retry.js';
import {
  logImportClaimLost,
  logImportDone,
  logImportDuplicate,
  logImportGaveUp,
  logImportIgnored,
  logImportMarkFailed,
  logImportRejected,
  logImportRetry,
  logImportUnexpected,
} from '../logs.js';
import { eventRef } from '../shared/paths.js';

export interface ImportDeps {
  db: Firestore;
  source: ImportSource;
  /** How long a running import's claim keeps other uploads of the same bytes away (the function timeout + margin). */
  leaseMs: number;
  /** A transient failure is retried (rethrown) until the upload is this old. */
  maxRetryAgeMs: number;
  limits?: ImportLimits;
  now?: () => number;
}

export interface ImportDelivery {
  object: ImportObject;
  /** The event id (the same for every redelivery of one upload). */
  deliveryId: string;
  /** When the upload happened (the event's time, ISO 8601). */
  time: string;
}

export type ImportResult =
  | { kind: 'done' | 'rejected' | 'failed'; importId: string; outcome: ImportOutcome }
  /** These bytes were imported before, or are being imported by another upload. */
  | { kind: 'duplicate'; importId: string; report: ImportReport }
  /** The object is gone, a transient failure outlasted the retries before the claim, or another attempt took over. */
  | { kind: 'abandoned'; reason: string };

/** Custom metadata set on the uploaded object once it is processed. */
export const OBJECT_METADATA = { importId: 'certforgeImportId', status: 'certforgeImportStatus' } as const;

export async function runImport(deps: ImportDeps, delivery: ImportDelivery): Promise<ImportResult> {
  const limits = deps.limits ?? IMPORT_LIMITS;
  const now = deps.now ?? Date.now;
  const { object } = delivery;
  const where = {
    eventId: object.eventId,
    path: object.path,
    generation: object.generation,
    deliveryId: delivery.deliveryId,
  };
  const young = () => !retriesExhausted({ kind: 'event', time: delivery.time }, deps.maxRetryAgeMs, now());

  let read: ReadObject | null;
  let claim;
  try {
    read = await withRetries(() => deps.source.read(object, limits.maxBytes), { what: 'reading the upload' });
    if (!read) {
      logImportIgnored({ path: object.path, reason: 'the object no longer exists' });
      return { kind: 'abandoned', reason: 'object not found' };
    }
    const input = {
      object,
      importId: importIdOf(object, read.sha256),
      bytes: read.size,
      deliveryId: delivery.deliveryId,
      now: now(),
      leaseMs: deps.leaseMs,
    };
    claim = await withRetries(() => claimImport(deps.db, input), { what: 'claiming the import' });
  } catch (error) {
    // Nothing is recorded yet, so there is no report to reject: retry, or log and give up.
    if (isTransient(error) && young()) {
      logImportRetry({ ...where, error: String((error as Error).message ?? error) });
      throw error;
    }
    (isTransient(error) ? logImportGaveUp : logImportUnexpected)({ ...where, error: describe(error) });
    return { kind: 'abandoned', reason: 'failed before the claim' };
  }

  const importId = importIdOf(object, read.sha256);
  if (claim.kind !== 'claimed') {
    const { report } = claim;
    const same = report.path === object.path && report.generation === object.generation;
    logImportDuplicate({ ...where, importId, importedFrom: report.path, status: report.status, redelivery: same });
    await mark(deps, object, importId, same ? report.status : 'duplicate');
    return { kind: 'duplicate', importId, report };
  }

  const ref = reportRef(deps.db, object.eventId, importId);
  let outcome: ImportOutcome;
  try {
    outcome = await importClaimed(deps, object, read, limits);
  } catch (error) {
    if (isTransient(error) && young()) {
      await releaseImport(ref, claim.attemptId).catch(() => undefined);
      logImportRetry({ ...where, importId, error: String((error as Error).message ?? error) });
      throw error;
    }
    const code = isTransient(error) ? 'RETRY_EXHAUSTED' : 'INTERNAL';
    (isTransient(error) ? logImportGaveUp : logImportUnexpected)({ ...where, importId, error: describe(error) });
    outcome = rejectedOutcome(
      new ImportError(
        code,
        code === 'RETRY_EXHAUSTED'
          ? 'Storage or the database stayed unavailable; upload the file again (under a new name).'
          : 'The import stopped on an unexpected error; upload the file again (under a new name), or report the problem.',
      ),
    );
  }

  const finish = (stored: ImportOutcome) =>
    withRetries(() => finishImport(deps.db, ref, claim.attemptId, stored, new Date(now())), {
      what: 'finishing the import report',
    });
  let finished: boolean;
  try {
    outcome = storedOutcome(outcome);
    try {
      finished = await finish(outcome);
    } catch (error) {
      if (isTransient(error)) throw error;
      // Firestore refused the report itself (too large, a value it does not take): store a
      // small one that says so, rather than leave it `running` for every redelivery to fail on.
      logImportUnexpected({
        ...where,
        importId,
        error: describe(error),
        note: 'the report was refused; storing a failed report',
      });
      outcome = failedOutcome(outcome, error);
      finished = await finish(outcome);
    }
  } catch (error) {
    if (isTransient(error) && young()) {
      await releaseImport(ref, claim.attemptId).catch(() => undefined);
      logImportRetry({ ...where, importId, error: String((error as Error).message ?? error) });
      throw error;
    }
    // Firestore is unavailable past the retry window, or refused even the small report: the
    // lease runs out, and another upload of the same bytes takes the import over.
    (isTransient(error) ? logImportGaveUp : logImportUnexpected)({ ...where, importId, error: describe(error) });
    return { kind: 'abandoned', reason: 'report not written' };
  }
  if (!finished) {
    logImportClaimLost({ ...where, importId });
    return { kind: 'abandoned', reason: 'claim lost' };
  }
  const status = outcome.status === 'done' ? 'done' : outcome.status === 'failed' ? 'failed' : 'rejected';
  const counts = {
    rowsTotal: outcome.rowsTotal,
    created: outcome.created,
    updated: outcome.updated,
    unchanged: outcome.unchanged,
    rejected: outcome.rejected,
    attempts: claim.attempts,
  };
  if (status === 'done') logImportDone({ ...where, importId, ...counts });
  else logImportRejected({ ...where, importId, code: outcome.error?.code, message: outcome.error?.message });
  await mark(deps, object, importId, status);
  return { kind: status, importId, outcome };
}

async function importClaimed(
  deps: ImportDeps,
  object: ImportObject,
  read: ReadObject,
  limits: ImportLimits,
): Promise<ImportOutcome> {
  try {
    const event = await withRetries(() => eventRef(deps.db, object.eventId).get(), { what: 'reading the event' });
    if (!event.exists) {
      throw new ImportError(
        'EVENT_NOT_FOUND',
        `There is no event ${object.eventId}: create it, then upload the file again (under a new name).`,
        {
          eventId: object.eventId,
        },
      );
    }
    if (!read.bytes) {
      throw new ImportError(
        'FILE_TOO_LARGE',
        `The file has ${read.size} bytes; at most ${limits.maxBytes} are allowed. Split it into several files.`,
        {
          bytes: read.size,
          limit: limits.maxBytes,
        },
      );
    }
    const role = roleOfFolder(object.role ?? SPEAKER_ROLE, event.data()!);
    const parsed = await readImportFile(read.bytes, { ...object, role }, event.data()!, limits);
    const applied = await applySpeakers(deps.db, object.eventId, parsed.rows, {
      collection: collectionOfRole(role),
    });
    const rejectedRows = [...parsed.rejected, ...applied.failed].sort((a, b) => a.line - b.line);
    return {
      status: 'done',
      encoding: parsed.encoding,
      delimiter: parsed.delimiter,
      format: parsed.format,
      ...('preset' in parsed && parsed.preset ? { preset: parsed.preset } : {}),
      ...(role === SPEAKER_ROLE ? {} : { role }),
      columns: parsed.columns,
      ignoredColumns: parsed.ignoredColumns,
      rowsTotal: parsed.rowsTotal,
      accepted: applied.created + applied.updated + applied.unchanged,
      created: applied.created,
      updated: applied.updated,
      unchanged: applied.unchanged,
      rejected: rejectedRows.length,
      blankRows: parsed.blankRows,
      rejectedRows: rejectedRows.slice(0, limits.maxRejectedListed),
      rejectedRowsOmitted: Math.max(0, rejectedRows.length - limits.maxRejectedListed),
      error: null,
    };
  } catch (error) {
    if (isImportError(error)) return rejectedOutcome(error);
    throw error;
  }
}

/**
 * What an import of `bytes` would write, without writing: the one reader of an uploaded file, for
 * the import and for the console's preview of it (speakers: parseSpeakerFile; any other role:
 * readPeople with the event's locale and time zone). `file.columnChoices` is the organizer's
 * reading of columns (the console's mapping step).
 */
export async function readImportFile(
  bytes: Uint8Array,
  file: Pick<ImportObject, 'fileName' | 'role' | 'columnChoices'>,
  event: EventDoc,
  limits: ImportLimits = IMPORT_LIMITS,
) {
  const role = file.role ?? SPEAKER_ROLE;
  return role === SPEAKER_ROLE
    ? await parseSpeakerFile(bytes, limits, file.fileName, file.columnChoices)
    : await parseParticipantFile(bytes, limits, file.fileName, role, event, file.columnChoices);
}

/**
 * The report id: the file's sha256 (the same bytes twice are one import), qualified by the role
 * for other roles than speaker (the same list imported as attendees and as speakers is two imports).
 */
function importIdOf(object: ImportObject, sha256: string): string {
  const id = !object.role || object.role === SPEAKER_ROLE ? sha256 : `${object.role}-${sha256}`;
  // The same file read with another column mapping is another import.
  if (!object.columnChoices) return id;
  const mapping = JSON.stringify(Object.entries(object.columnChoices).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${id}-m${createHash('sha256').update(mapping).digest('hex').slice(0, 12)}`;
}

/**
 * A file of attendees or another role (readPeople: any format, the Zoom, Eventbrite and Indico
 * exports, one row per person however many rows they had): rows for participants/, the role the
 * row names or else the folder's, the document id the row's id, else its email's hash, else its name's.
 */
/** Fields of a participant that only the functions write (firestore.rules): an import leaves them out. */
const FUNCTIONS_ONLY_FIELDS = ['certificate', 'eligibility'] as const;

async function parseParticipantFile(
  bytes: Uint8Array,
  limits: ImportLimits,
  fileName: string,
  role: string,
  event: EventDoc,
  columnChoices?: ImportObject['columnChoices'],
) {
  if (bytes.byteLength > limits.maxBytes)
    throw new ImportError(
      'FILE_TOO_LARGE',
      `The file has ${bytes.byteLength} bytes; at most ${limits.maxBytes} are allowed.`,
      {
        bytes: bytes.byteLength,
        limit: limits.maxBytes,
      },
    );
  const table = await readPeople(bytes, {
    fileName,
    ...(typeof event.locale === 'string' ? { locale: event.locale } : {}),
    ...(typeof event.timeZone === 'string' ? { timeZone: event.timeZone } : {}),
    preset: 'auto',
    ...(columnChoices ? { policy: { ...PEOPLE_TABLE, columnChoices } } : {}),
  });
  const ignoredColumns = [...table.ignoredColumns];
  const rows: PersonRow[] = table.rows.map((row) => {
    const name = String(row.fields.name ?? '');
    const email = typeof row.fields.email === 'string' ? row.fields.email : undefined;
    const rowRole = typeof row.fields.role === 'string' ? row.fields.role : role;
    // One document per person and role: someone who attended and volunteered gets both certificates.
    const id = row.id ?? `${rowRole}-${speakerIdFor({ ...(email ? { email } : {}), name }).id}`;
    const fields: Record<string, unknown> = { ...row.fields, role: rowRole };
    // The functions' own records are never imported.
    for (const own of FUNCTIONS_ONLY_FIELDS) delete fields[own];
    return { id, line: row.line ?? (row.index !== undefined ? row.index + 1 : row.row), fields };
  });
  for (const own of FUNCTIONS_ONLY_FIELDS) {
    const header = table.columns[own];
    if (header !== undefined) ignoredColumns.push({ column: 0, header, reason: `${own} is written by certforge` });
  }
  const rejected: RejectedRow[] = table.rejected.map((r) => ({
    line: r.line ?? (r.index !== undefined ? r.index + 1 : 0),
    field: r.field,
    code: r.code as RejectedRow['code'],
    reason: r.reason,
  }));
  return {
    encoding: table.encoding ?? null,
    delimiter: table.delimiter ?? null,
    format: table.format,
    preset: table.preset,
    columns: table.columns,
    ignoredColumns,
    rowsTotal: table.rowsTotal,
    blankRows: table.blankRows,
    rows,
    rejected,
  };
}

function rejectedOutcome(error: ImportError): ImportOutcome {
  const details = { ...error.details };
  const encoding = details.encoding as ImportOutcome['encoding'] | undefined;
  const delimiter = details.delimiter as ImportOutcome['delimiter'] | undefined;
  delete details.encoding;
  delete details.delimiter;
  return {
    ...emptyOutcome(),
    status: 'rejected',
    encoding: encoding ?? null,
    delimiter: delimiter ?? null,
    error: { code: error.code, message: error.message, ...(Object.keys(details).length ? { details } : {}) },
  };
}

/** Tags the uploaded object with its import id and status; best effort (the report is what counts). */
async function mark(deps: ImportDeps, object: ImportObject, importId: string, status: string): Promise<void> {
  try {
    await deps.source.mark(object, { [OBJECT_METADATA.importId]: importId, [OBJECT_METADATA.status]: status });
  } catch (error) {
    logImportMarkFailed({ path: object.path, importId, error: describe(error) });
  }
}

function describe(error: unknown): Record<string, unknown> | string {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error);
}
