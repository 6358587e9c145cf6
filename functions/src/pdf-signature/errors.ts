/**
 * Errors of the PDF signature layer (PAdES):
 * - SIGNING_KEY_INVALID: the signing certificate's material (CERTFORGE_PDF_SIGNER) cannot be read,
 *   its password is wrong, the key does not belong to the certificate, or the certificate is not
 *   valid now; the message says which, never the key;
 * - SIGNING_CERTIFICATE_REVOKED: its issuer's OCSP responder says the signing certificate is revoked;
 * - TIMESTAMP_FAILED: the time-stamping authority (CERTFORGE_TSA_URL) did not answer with a
 *   time-stamp token for the signature (transient when it did not answer at all);
 * - PDF_UNREADABLE: the file to sign is not a PDF certforge can append a revision to.
 */
import { CodedError } from '../shared/errors.js';

export const PDF_SIGNATURE_CODES = [
  'SIGNING_KEY_INVALID',
  'SIGNING_CERTIFICATE_REVOKED',
  'TIMESTAMP_FAILED',
  'PDF_UNREADABLE',
] as const;
export type PdfSignatureErrorCode = (typeof PDF_SIGNATURE_CODES)[number];

export class PdfSignatureError extends CodedError<PdfSignatureErrorCode> {
  override name = 'PdfSignatureError' as const;
  constructor(code: PdfSignatureErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(code, message, details, cause === undefined ? undefined : { cause });
  }
}
