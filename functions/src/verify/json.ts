/**
 * JSON answers of the verification endpoint: the certificate (page-model toJson) or an error in
 * the one envelope of the HTTP endpoints (shared/errors.ts errorJson) with a stable code.
 */
import { ERROR_CATALOG } from '../shared/error-catalog.js';
import { errorMessage } from './messages.js';

/** Stable codes of the verification endpoint's errors (besides the check codes of upload.ts). */
export const NOT_FOUND_CODE = 'CERTIFICATE_NOT_FOUND';
export const METHOD_NOT_ALLOWED_CODE = 'METHOD_NOT_ALLOWED';
export const UNAVAILABLE_CODE = 'UNAVAILABLE';

/** The endpoint's own errors: a page of their own in HTML, the envelope in JSON. */
export type VerifyErrorCode = typeof NOT_FOUND_CODE | typeof METHOD_NOT_ALLOWED_CODE | typeof UNAVAILABLE_CODE;

/**
 * The message of such an error in JSON: the English text of its catalog message key; for "not
 * found" only its first sentence (the page goes on about typing the id).
 */
export function jsonErrorMessage(code: VerifyErrorCode): string {
  if (code === NOT_FOUND_CODE) return 'No certificate has this address.';
  return errorMessage('en', ERROR_CATALOG[code].messageKey).text;
}

/**
 * Headers of every JSON answer. `cors` (GET/HEAD answers) lets any site read the public
 * certificate data; uploads are not offered cross-origin.
 */
export function jsonHeaders(cacheControl: string, cors: boolean): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-robots-tag': 'noindex, nofollow',
    'cache-control': cacheControl,
    vary: 'Accept',
    ...(cors ? { 'access-control-allow-origin': '*' } : {}),
  };
}
