/**
 * Log lines of the CSV import, one named function each (the style of functions/src/logs.ts),
 * structured fields for Cloud Logging: event, object path, import id, counts.
 */
import * as logger from 'firebase-functions/logger';

export interface ImportLog {
  /** An object under imports/ that is not imports/{eventId}/{file}.csv, or one that is gone. */
  ignored(fields: { path: string; reason: string }): void;
  /** The same bytes were imported before (or are being imported by another upload). */
  duplicate(fields: Record<string, unknown>): void;
  done(fields: Record<string, unknown>): void;
  rejected(fields: Record<string, unknown>): void;
  /** A transient failure: the delivery is retried. */
  retry(fields: Record<string, unknown>): void;
  /** A transient failure that lasted longer than the retry window. */
  gaveUp(fields: Record<string, unknown>): void;
  /** Another attempt took the import over; this one's outcome was not written. */
  claimLost(fields: Record<string, unknown>): void;
  /** The object's custom metadata (import id and status) could not be written; the import itself is fine. */
  markFailed(fields: Record<string, unknown>): void;
  unexpected(fields: Record<string, unknown>): void;
}

export const importLog: ImportLog = {
  ignored: (fields) => logger.info('import ignored object', fields),
  duplicate: (fields) => logger.info('import skipped: same file content already imported', fields),
  done: (fields) => logger.info('import done', fields),
  rejected: (fields) => logger.warn('import rejected', fields),
  retry: (fields) => logger.warn('import attempt failed, will retry', fields),
  gaveUp: (fields) => logger.error('import retries exhausted', fields),
  claimLost: (fields) => logger.warn('import taken over by another attempt', fields),
  markFailed: (fields) => logger.warn('import could not mark the uploaded object', fields),
  unexpected: (fields) => logger.error('unexpected error in the import', fields),
};
