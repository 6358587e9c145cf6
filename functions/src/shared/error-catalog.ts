/**
 * Every error code certforge answers with, once: what a callable answers (the HttpsError code;
 * the certforge code travels in `details.code`), what an HTTP endpoint answers (the status of
 * the JSON envelope), whether the same request may succeed later unchanged, and, for the codes
 * the public verify endpoint returns, the key of its message in the eight languages of
 * verify/messages.ts.
 *
 * The layers keep their own lists (render/errors.ts, issue/errors.ts, import/errors.ts,
 * credential/errors.ts and contexts.ts, pdf-signature/errors.ts, issue/correction-requests.ts, bundle/pdf-bundle.ts, verify/upload.ts, verify/json.ts,
 * config.ts, shared/errors.ts); test/unit/error-catalog.test.ts checks that every code declared there is
 * here, and that nothing here is declared nowhere. handlers/error-mapping.ts and
 * handlers/http-response.ts read their answers from here.
 */
import type { FunctionsErrorCode } from 'firebase-functions/v2/https';

/** The verify page's messages (verify/messages.ts errorMessage) that an error code shows. */
export type VerifyMessageKey =
  | 'notFound'
  | 'methodNotAllowed'
  | 'unavailable'
  | 'check.problems.LIMIT_EXCEEDED'
  | 'check.problems.NO_INPUT'
  | 'check.problems.INVALID_HASH'
  | 'check.problems.INVALID_UPLOAD'
  | 'check.problems.UNSUPPORTED_MEDIA_TYPE';

export interface CatalogEntry {
  /** The HttpsError code of a callable that fails with it. */
  readonly callable: FunctionsErrorCode;
  /** The HTTP status of the JSON envelope `{ error: { code, message, details? } }`. */
  readonly status: number;
  /** True when the same request may succeed later without change (after `retryAfter`, or a moment). */
  readonly retryable: boolean;
  /** The verify page's message for it, where the public verify endpoint returns it. */
  readonly messageKey?: VerifyMessageKey;
}

/** A problem of the template or the data that the organizer can fix. */
const FIX_INPUT: CatalogEntry = { callable: 'failed-precondition', status: 422, retryable: false };
/** The service's own failure: the message is ours, the cause is logged. */
const SERVICE_FAILURE: CatalogEntry = { callable: 'internal', status: 500, retryable: false };
/** Storage or Firestore failed for longer than the retries: worth trying again later. */
const TRY_LATER: CatalogEntry = { callable: 'unavailable', status: 503, retryable: true };
/** A request whose shape or values are refused before anything runs. */
const BAD_REQUEST: CatalogEntry = { callable: 'invalid-argument', status: 400, retryable: false };

export const ERROR_CATALOG = {
  // render/errors.ts ERROR_CODES: the Rust core's codes and the TypeScript pipeline's.
  TEMPLATE_PARSE: FIX_INPUT,
  TEMPLATE_INVALID: FIX_INPUT,
  MISSING_FIELD: FIX_INPUT,
  INVALID_DATA: FIX_INPUT,
  FONT_MISSING_GLYPHS: FIX_INPUT,
  FONT_INVALID: FIX_INPUT,
  /** Render limits, a preview template over its size, a checked PDF over 10 MB. */
  LIMIT_EXCEEDED: { ...FIX_INPUT, status: 413, messageKey: 'check.problems.LIMIT_EXCEEDED' },
  EXTERNAL_REFERENCE: FIX_INPUT,
  UNSUPPORTED_CONTENT: FIX_INPUT,
  RENDER_FAILED: SERVICE_FAILURE,
  INTERNAL: SERVICE_FAILURE,
  NOT_INITIALIZED: SERVICE_FAILURE,

  // issue/errors.ts ISSUE_ONLY_CODES (EVENT_NOT_FOUND and RETRY_EXHAUSTED are the import's too).
  EVENT_NOT_FOUND: FIX_INPUT,
  TEMPLATE_NOT_FOUND: FIX_INPUT,
  RETRY_EXHAUSTED: TRY_LATER,
  /** A per-event or per-participant limit; `details.retryAfter` says when. */
  RATE_LIMITED: { callable: 'resource-exhausted', status: 429, retryable: true },
  /** issueEventCertificates: another role's bulk run of the event is unfinished. */
  RUN_IN_PROGRESS: { callable: 'aborted', status: 409, retryable: true },

  // shared/errors.ts: a transient failure that reached a client.
  TRANSIENT: TRY_LATER,

  // config.ts ConfigError.
  CONFIG_INVALID: SERVICE_FAILURE,

  // credential/errors.ts CREDENTIAL_CODES: stored on a certificate that could not be signed.
  ISSUER_KEY_INVALID: SERVICE_FAILURE,
  ISSUER_KEY_CONFLICT: SERVICE_FAILURE,
  STATUS_LIST_FULL: SERVICE_FAILURE,
  /** credential/contexts.ts: a credential names a JSON-LD document not bundled (a failed verification). */
  CREDENTIAL_DOCUMENT_UNKNOWN: FIX_INPUT,

  // pdf-signature/errors.ts PDF_SIGNATURE_CODES: stored on a certificate (or a bundle) that could
  // not be signed with the organization's certificate; the deployment's settings need fixing.
  SIGNING_KEY_INVALID: SERVICE_FAILURE,
  SIGNING_CERTIFICATE_REVOKED: SERVICE_FAILURE,
  TIMESTAMP_FAILED: SERVICE_FAILURE,
  PDF_UNREADABLE: SERVICE_FAILURE,

  // issue/correction-requests.ts CORRECTION_CODES (requestCorrection, organizerConsole decideCorrection).
  CORRECTION_NOT_ALLOWED: { callable: 'permission-denied', status: 403, retryable: false },
  CORRECTION_UNCHANGED: { callable: 'invalid-argument', status: 400, retryable: false },
  CORRECTION_PENDING: { callable: 'aborted', status: 409, retryable: true },
  CORRECTION_NOT_FOUND: { callable: 'not-found', status: 404, retryable: false },

  // bundle/pdf-bundle.ts BUNDLE_ERROR_CODES (buildPrintBundle).
  NO_READY_CERTIFICATES: FIX_INPUT,
  BUNDLE_TOO_LARGE: FIX_INPUT,
  CERTIFICATE_UNREADABLE: FIX_INPUT,

  // import/errors.ts FILE_ERROR_CODES and ROW_ERROR_CODES: stored in the import report, never
  // answered by a callable or an endpoint; the mapping says what they would be.
  FILE_TOO_LARGE: { ...FIX_INPUT, status: 413 },
  EMPTY_FILE: FIX_INPUT,
  NOT_UTF8: FIX_INPUT,
  MALFORMED_CSV: FIX_INPUT,
  /** A broken workbook, a JSON syntax error (line and column), a JSON that is no table. */
  MALFORMED_FILE: FIX_INPUT,
  /** .xls, a password-protected or OpenDocument workbook, a PDF, another zip. */
  UNSUPPORTED_FORMAT: FIX_INPUT,
  MISSING_NAME_COLUMN: FIX_INPUT,
  DUPLICATE_COLUMN: FIX_INPUT,
  TOO_MANY_COLUMNS: FIX_INPUT,
  NO_DATA_ROWS: FIX_INPUT,
  TOO_MANY_ROWS: FIX_INPUT,
  REPORT_WRITE_FAILED: SERVICE_FAILURE,
  TOO_MANY_CELLS: FIX_INPUT,
  CONTROL_CHARACTER: FIX_INPUT,
  REPLACEMENT_CHARACTER: FIX_INPUT,
  INVALID_ID: FIX_INPUT,
  MISSING_NAME: FIX_INPUT,
  NAME_TOO_LONG: FIX_INPUT,
  INVALID_EMAIL: FIX_INPUT,
  EMAIL_TOO_LONG: FIX_INPUT,
  TALK_TITLE_TOO_LONG: FIX_INPUT,
  FIELD_TOO_LONG: FIX_INPUT,
  DUPLICATE_SPEAKER: FIX_INPUT,
  /** The speaker changed during the import (or Firestore refused the write). */
  WRITE_FAILED: { callable: 'aborted', status: 409, retryable: true },

  // verify/upload.ts CHECK_ERROR_CODES (besides LIMIT_EXCEEDED): a PDF or hash that cannot be checked.
  NO_INPUT: { ...BAD_REQUEST, messageKey: 'check.problems.NO_INPUT' },
  INVALID_HASH: { ...BAD_REQUEST, messageKey: 'check.problems.INVALID_HASH' },
  INVALID_UPLOAD: { ...BAD_REQUEST, messageKey: 'check.problems.INVALID_UPLOAD' },
  UNSUPPORTED_MEDIA_TYPE: { ...BAD_REQUEST, status: 415, messageKey: 'check.problems.UNSUPPORTED_MEDIA_TYPE' },

  // verify/json.ts: the verify endpoint's own answers (no callable returns them).
  CERTIFICATE_NOT_FOUND: { callable: 'not-found', status: 404, retryable: false, messageKey: 'notFound' },
  METHOD_NOT_ALLOWED: { callable: 'unimplemented', status: 405, retryable: false, messageKey: 'methodNotAllowed' },
  UNAVAILABLE: { ...TRY_LATER, messageKey: 'unavailable' },

  // deleteEvent: `confirm` is not the event's name.
  CONFIRMATION_MISMATCH: BAD_REQUEST,

  // generateCertificate({ participantId }): the participant has not earned the certificate
  // (details.reason: shared/roles.ts EligibilityCode).
  NOT_ELIGIBLE: FIX_INPUT,

  // connectors/errors.ts CONNECTOR_CODES (connectSource, syncSource, the pretix webhook).
  CONNECTOR_INVALID: BAD_REQUEST,
  CONNECTOR_UNAUTHORIZED: FIX_INPUT,
  CONNECTOR_NOT_FOUND: FIX_INPUT,
  CONNECTOR_UNREACHABLE: TRY_LATER,
  /** The server answered something its API does not document: the organizer checks the address. */
  CONNECTOR_BAD_RESPONSE: FIX_INPUT,
  CONNECTOR_LIMIT: { ...FIX_INPUT, status: 413 },
  CONNECTOR_NOT_CONNECTED: FIX_INPUT,

  // outbound/errors.ts WEBHOOK_ERROR_CODES (setWebhookEndpoints; a stored secret that is unusable).
  WEBHOOK_URL_INVALID: BAD_REQUEST,
  WEBHOOK_URL_NOT_HTTPS: BAD_REQUEST,
  WEBHOOK_URL_CREDENTIALS: BAD_REQUEST,
  WEBHOOK_URL_PRIVATE_HOST: BAD_REQUEST,
  WEBHOOK_EVENT_TYPES_INVALID: BAD_REQUEST,
  WEBHOOK_ENDPOINT_INVALID: BAD_REQUEST,
  WEBHOOK_ENDPOINT_DUPLICATE: BAD_REQUEST,
  WEBHOOK_ENDPOINT_LIMIT: FIX_INPUT,
  WEBHOOK_SECRET_INVALID: SERVICE_FAILURE,

  // Refusals of a request before any certforge code applies: the callable codes themselves,
  // which the preview endpoint also uses as its envelope codes.
  'invalid-argument': BAD_REQUEST,
  unauthenticated: { callable: 'unauthenticated', status: 401, retryable: false },
  'permission-denied': { callable: 'permission-denied', status: 403, retryable: false },
  /** An HTTP endpoint's unknown address (the pretix webhook of an unknown event or key). */
  'not-found': { callable: 'not-found', status: 404, retryable: false },
} as const satisfies Record<string, CatalogEntry>;

export type CatalogCode = keyof typeof ERROR_CATALOG;

/** Every catalogued code. */
export const CATALOG_CODES = Object.keys(ERROR_CATALOG) as CatalogCode[];

export function isCatalogCode(value: unknown): value is CatalogCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}

/** The entry of `code`; an uncatalogued code is the service's own failure (internal, 500). */
export function catalogEntry(code: string): CatalogEntry {
  return isCatalogCode(code) ? ERROR_CATALOG[code] : SERVICE_FAILURE;
}

/** The code of a request refused before any certforge code applies (a callable code used as is). */
export function isRequestCode(code: string): boolean {
  return catalogEntry(code).callable === code;
}
