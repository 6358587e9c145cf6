/**
 * certforge error codes → HttpsError codes for clients. The stable certforge code travels
 * in `details.code`; messages are ours, never a stack trace.
 */
import { HttpsError, type FunctionsErrorCode } from 'firebase-functions/v2/https';

const PRECONDITION = new Set([
  'TEMPLATE_PARSE',
  'TEMPLATE_INVALID',
  'TEMPLATE_NOT_FOUND',
  'MISSING_FIELD',
  'INVALID_DATA',
  'FONT_MISSING_GLYPHS',
  'FONT_INVALID',
  'LIMIT_EXCEEDED',
  'EXTERNAL_REFERENCE',
  'UNSUPPORTED_CONTENT',
  'EVENT_NOT_FOUND',
]);
const UNAVAILABLE = new Set(['RETRY_EXHAUSTED', 'TRANSIENT']);

export function httpsCodeFor(code: string): FunctionsErrorCode {
  if (PRECONDITION.has(code)) return 'failed-precondition';
  if (UNAVAILABLE.has(code)) return 'unavailable';
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

/** HTTP status for the preview endpoint's JSON errors. */
export function httpStatusFor(code: string): number {
  if (code === 'LIMIT_EXCEEDED') return 413;
  if (PRECONDITION.has(code)) return 422;
  if (UNAVAILABLE.has(code)) return 503;
  return 500;
}
