/**
 * Validation of callable request data shared by the callables: a plain object with known
 * keys only, and document-id / boolean fields. Failures are `invalid-argument` HttpsErrors.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { isValidDocId } from '../issue/data-model.js';

/** `data` as a record, when it is a plain object holding only `allowed` keys; `shape` is shown in the error. */
export function requestRecord(data: unknown, allowed: readonly string[], shape: string): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new HttpsError('invalid-argument', `Expected an object ${shape}`);
  }
  const record = data as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !allowed.includes(key));
  if (unknown.length) throw new HttpsError('invalid-argument', `Unknown field(s): ${unknown.join(', ')}`);
  return record;
}

/** `record[key]` when it is a Firestore document id. */
export function docIdField(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (!isValidDocId(value)) throw new HttpsError('invalid-argument', `${key} must be a document id (1-128 characters, no "/")`);
  return value;
}

/** `record[key]` when absent (false) or a boolean. */
export function booleanField(record: Record<string, unknown>, key: string): boolean {
  const value = record[key];
  if (value !== undefined && typeof value !== 'boolean') throw new HttpsError('invalid-argument', `${key} must be a boolean`);
  return value === true;
}

/**
 * The error for an event that does not exist: `not-found` for admins only. Anyone else gets
 * the same `permission-denied` as for someone else's event, so that signed-in users cannot
 * probe which event ids exist.
 */
export function missingEventError(eventId: string, token: Record<string, unknown> | undefined): HttpsError {
  return token?.certforgeAdmin === true
    ? new HttpsError('not-found', `No event ${eventId}`)
    : new HttpsError('permission-denied', 'Only the organizers of this event may do this');
}
