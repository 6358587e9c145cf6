/**
 * JSON answers of the verification endpoint: the certificate (page-model toJson) or an error in
 * the one envelope of the HTTP endpoints (shared/errors.ts errorJson) with a stable code.
 */

/** Stable codes of the verification endpoint's errors (besides the check codes of upload.ts). */
export const NOT_FOUND_CODE = 'CERTIFICATE_NOT_FOUND';
export const METHOD_NOT_ALLOWED_CODE = 'METHOD_NOT_ALLOWED';
export const UNAVAILABLE_CODE = 'UNAVAILABLE';

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
