/**
 * certforge error codes → HttpsError codes for clients. The stable certforge code travels
 * in `details.code`; messages are ours, never a stack trace.
 */
import { HttpsError, type FunctionsErrorCode } from 'firebase-functions/v2/https';
import { isIssueErrorCode } from '../issue/errors.js';
import { TRANSIENT_CODE } from '../shared/errors.js';

/** Codes that are not about the template or the data: the service's own failures. */
const INTERNAL = new Set(['INTERNAL', 'RENDER_FAILED', 'NOT_INITIALIZED']);
/** Worth trying again later. */
const UNAVAILABLE = new Set(['RETRY_EXHAUSTED', TRANSIENT_CODE]);

/** Every other certforge code is a problem of the template or the data an organizer can fix. */
function isPrecondition(code: string): boolean {
  return isIssueErrorCode(code) && !INTERNAL.has(code) && !UNAVAILABLE.has(code);
}

export function httpsCodeFor(code: string): FunctionsErrorCode {
  if (code === 'RATE_LIMITED') return 'resource-exhausted';
  if (UNAVAILABLE.has(code)) return 'unavailable';
  if (isPrecondition(code)) return 'failed-precondition';
  return 'internal';
}

/** The HttpsError a client sees for a certificate that failed with `error`. */
export function certificateFailure(
  error: { code: string; message: string; details?: Record<string, unknown> },
  certificateId?: string,
): HttpsError {
  return new HttpsError(httpsCodeFor(error.code), error.message, {
    code: error.code,
    ...(certificateId ? { certificateId } : {}),
    ...(error.details ? { details: error.details } : {}),
  });
}

/** The HttpsError for a certforge error raised before any certificate was touched (e.g. RATE_LIMITED). */
export function requestFailure(error: { code: string; message: string; details?: Record<string, unknown> }): HttpsError {
  return new HttpsError(httpsCodeFor(error.code), error.message, { code: error.code, ...(error.details ?? {}) });
}

/** HTTP status for the preview endpoint's JSON errors. */
export function httpStatusFor(code: string): number {
  if (code === 'RATE_LIMITED') return 429;
  if (code === 'LIMIT_EXCEEDED') return 413;
  if (isPrecondition(code)) return 422;
  if (UNAVAILABLE.has(code)) return 503;
  return 500;
}
