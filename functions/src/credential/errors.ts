/**
 * Errors of the credential layer (Open Badges 3.0 signing, issuer keys, status lists):
 * - ISSUER_KEY_INVALID: the CERTFORGE_ISSUER_KEY secret is missing or not a key certforge made
 *   (`npm run issuer-key`);
 * - ISSUER_KEY_CONFLICT: a different public key is already published under the same key id
 *   (rotation needs a new id, or credentials signed by the old key would stop verifying);
 * - STATUS_LIST_FULL: no free status list position for the event after many tries (not
 *   expected below millions of certificates per event).
 */
import { CodedError } from '../shared/errors.js';

export const CREDENTIAL_CODES = ['ISSUER_KEY_INVALID', 'ISSUER_KEY_CONFLICT', 'STATUS_LIST_FULL'] as const;
export type CredentialErrorCode = (typeof CREDENTIAL_CODES)[number];

export class CredentialError extends CodedError<CredentialErrorCode> {
  override name = 'CredentialError' as const;
}
