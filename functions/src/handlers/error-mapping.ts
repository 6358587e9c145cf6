/**
 * certforge errors → what a client of a callable sees, read from the error catalog
 * (shared/error-catalog.ts). The stable certforge code travels in `details.code`; messages are
 * ours, never a stack trace.
 */
import { HttpsError, type FunctionsErrorCode } from 'firebase-functions/v2/https';
import { catalogEntry, isRequestCode } from '../shared/error-catalog.js';
import { isCodedError, TRANSIENT_CODE, TransientError } from '../shared/errors.js';

/** A certforge error as the callables and the stored certificates carry it. */
export interface CodedFailure {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The HttpsError code of a certforge code. */
export function httpsCodeFor(code: string): FunctionsErrorCode {
  return catalogEntry(code).callable;
}

/** The HTTP status of a certforge code (the JSON envelope of the HTTP endpoints). */
export function httpStatusFor(code: string): number {
  return catalogEntry(code).status;
}

/** The HttpsError a client sees for a certificate that failed with `error` (details nested). */
export function certificateFailure(error: CodedFailure, certificateId?: string): HttpsError {
  return new HttpsError(httpsCodeFor(error.code), error.message, {
    code: error.code,
    ...(certificateId ? { certificateId } : {}),
    ...(error.details ? { details: error.details } : {}),
  });
}

/**
 * The HttpsError for a certforge error raised before any certificate was touched (RATE_LIMITED,
 * BUNDLE_TOO_LARGE, …): `details` is `{ code, ...details }`. A refused request
 * (`invalid-argument`) is the callable code alone, as firebase-functions' own refusals are.
 */
export function requestFailure(error: CodedFailure): HttpsError {
  const details = error.details && Object.keys(error.details).length ? error.details : undefined;
  if (isRequestCode(error.code)) return new HttpsError(httpsCodeFor(error.code), error.message, details);
  return new HttpsError(httpsCodeFor(error.code), error.message, { code: error.code, ...details });
}

/** The message of a transient failure that reached a callable's client. */
const TRANSIENT_MESSAGE = 'Storage or database temporarily unavailable; try again';

/**
 * What a callable answers for whatever its handler threw: HttpsErrors as they are, a transient
 * failure as `unavailable` (TRANSIENT), a certforge error through the catalog. Internal errors
 * are rethrown unchanged: firebase-functions answers them as `internal` without their message.
 */
export function callableFailure(error: unknown): unknown {
  if (error instanceof HttpsError) return error;
  if (error instanceof TransientError) return requestFailure({ code: TRANSIENT_CODE, message: TRANSIENT_MESSAGE });
  if (isCodedError(error) && httpsCodeFor(error.code) !== 'internal') return requestFailure(error);
  return error;
}
