/**
 * Every log line of the functions, one named function each: consistent wording, structured
 * fields (ids, counts, timings) that Cloud Logging indexes. Nothing else in functions/src
 * calls the logger; the render pipeline and the CLI do not log. Tests that assert a line
 * replace the function with vi.mock.
 */
import * as logger from 'firebase-functions/logger';

type Fields = Record<string, unknown>;

// Instance

export function logInstanceReady(fields: { initMs: number }): void {
  logger.info('render instance ready', fields);
}

export function logUnexpected(where: string, error: unknown): void {
  logger.error(`unexpected error in ${where}`, {
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
}

/** Once per instance: CERTFORGE_PDF_SIGNER is empty, so certificate PDFs and bundles go out unsigned. */
export function logPdfUnsigned(): void {
  logger.info(
    'PDF signatures are off: CERTFORGE_PDF_SIGNER is empty, certificates and bundles are not signed (docs/pdf-signatures.md)',
  );
}

/** Once per instance: B-LT was asked for, but the chains' revocation data could not be fetched (signatures stay B-T). */
export function logPdfLtvUnavailable(): void {
  logger.warn(
    'PDF signatures stay PAdES B-T: the revocation data of the signing or TSA chain could not be fetched (an issuer missing from the chain, or no OCSP responder or CRL reachable; docs/pdf-signatures.md)',
  );
}

// Callables

export function logCallableRejected(fields: { callable: string; reason: string; [key: string]: unknown }): void {
  logger.info(`${fields.callable} rejected`, fields);
}

export function logPreview(fields: Fields): void {
  logger.info('template preview', fields);
}

// Issuing a certificate (issue/issue-certificate.ts)

export function logCertificateReady(fields: Fields): void {
  logger.info('certificate ready', fields);
}

export function logCertificateFailed(fields: Fields): void {
  logger.warn('certificate failed', fields);
}

/** Nothing to do: already ready or failed, another attempt holds it, or the speaker is gone. */
export function logCertificateSkipped(fields: Fields): void {
  logger.info('certificate skipped', fields);
}

export function logCertificateRetry(fields: Fields): void {
  logger.warn('certificate attempt failed, will retry', fields);
}

export function logRetryExhausted(fields: Fields): void {
  logger.error('certificate retries exhausted', fields);
}

export function logCorrectionRequested(fields: { certificateId: string; requestId: string }): void {
  logger.info('correction requested by the recipient', fields);
}

export function logCorrectionDecided(fields: { eventId: string; requestId: string; status: string }): void {
  logger.info('correction request decided', fields);
}

export function logCorrection(fields: Fields): void {
  logger.info('certificate corrected', fields);
}

export function logRevoked(fields: Fields): void {
  logger.info('certificate revoked', fields);
}

export function logEventDeleteRequested(fields: { eventId: string; uid: string }): void {
  logger.info('certforge: event deleted by its organizer (tombstoned); cleanup follows', fields);
}

export function logEventDeleted(fields: { eventId: string; revoked: number; documents: number; files: number }): void {
  logger.info('certforge: event deleted; its certificates revoked, speakers, records and files removed', fields);
}

// Bulk issuance (handlers/issue-event-certificates.ts)

export function logIssuanceStarted(fields: Fields): void {
  logger.info('issuance started', fields);
}

/** A task whose payload no retry could fix: acknowledged. */
export function logIssuanceTaskIgnored(fields: Fields): void {
  logger.info('issuance task ignored: bad payload', fields);
}

export function logIssuanceFinished(fields: Fields): void {
  logger.info('issuance finished', fields);
}

// CSV import (import/run-import.ts)

/** An object under imports/ that is not imports/{eventId}/{file}.csv, or one that is gone. */
export function logImportIgnored(fields: { path: string; reason: string }): void {
  logger.info('import ignored object', fields);
}

/** The same bytes were imported before (or are being imported by another upload). */
export function logImportDuplicate(fields: Fields): void {
  logger.info('import skipped: same file content already imported', fields);
}

export function logImportDone(fields: Fields): void {
  logger.info('import done', fields);
}

export function logImportRejected(fields: Fields): void {
  logger.warn('import rejected', fields);
}

/** A transient failure: the delivery is retried. */
export function logImportRetry(fields: Fields): void {
  logger.warn('import attempt failed, will retry', fields);
}

/** A transient failure that lasted longer than the retry window. */
export function logImportGaveUp(fields: Fields): void {
  logger.error('import retries exhausted', fields);
}

/** Another attempt took the import over; this one's outcome was not written. */
export function logImportClaimLost(fields: Fields): void {
  logger.warn('import taken over by another attempt', fields);
}

/** The object's custom metadata (import id and status) could not be written; the import itself is fine. */
export function logImportMarkFailed(fields: Fields): void {
  logger.warn('import could not mark the uploaded object', fields);
}

export function logImportUnexpected(fields: Fields): void {
  logger.error('unexpected error in the import', fields);
}

// Print bundle (handlers/build-print-bundle.ts)

export function logBundleReady(fields: Fields): void {
  logger.info('print bundle ready', fields);
}

export function logBundleFailed(fields: Fields): void {
  logger.warn('print bundle failed', fields);
}

// Verification (handlers/verify-certificate.ts)

export function logCertificateChecked(fields: {
  certificateId: string;
  method: string;
  matches: boolean;
  bytes?: number;
}): void {
  logger.info('certificate checked', fields);
}

/** A connector's action (never its token): connected, disconnected, synced, webhook, ... */
export function logConnector(fields: {
  eventId: string;
  system: string;
  action: string;
  [key: string]: unknown;
}): void {
  logger.info('connector', fields);
}

/** One attempt of an outbound webhook (never its body or secret). */
export function logWebhookDelivery(fields: Fields): void {
  logger.info('webhook delivery', fields);
}
