/**
 * The error types of certforge, one shape for all: a stable `code` (from a list of its layer:
 * render/errors.ts, issue/errors.ts, import/errors.ts, verify/upload.ts; every code is in
 * shared/error-catalog.ts), a message a person can act on, and `details` for programs. Callables
 * map them to HttpsError (handlers/error-mapping.ts), HTTP endpoints to the one JSON envelope
 * below (handlers/http-response.ts).
 */
import { catalogEntry } from './error-catalog.js';

/** A typed failure with a stable code. Layers subclass it with their own code list. */
export class CodedError<C extends string = string> extends Error {
  override name: string = 'CodedError';
  readonly code: C;
  readonly details: Record<string, unknown>;

  constructor(code: C, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  toJSON(): { name: string; code: C; message: string; details: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export function isCodedError(value: unknown): value is CodedError {
  return value instanceof CodedError;
}

/** A request an HTTP endpoint refuses: a stable code, a message for the caller, the code's status. */
export class HttpError<C extends string = string> extends CodedError<C> {
  override name = 'HttpError';

  /** The HTTP status of the code (shared/error-catalog.ts). */
  get status(): number {
    return catalogEntry(this.code).status;
  }
}

/** The one JSON error envelope of the HTTP endpoints (previewTemplate, verify). */
export interface ErrorJson {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function errorJson(code: string, message: string, details?: Record<string, unknown>): ErrorJson {
  return { error: { code, message, ...(details && Object.keys(details).length ? { details } : {}) } };
}

/** The code of a transient failure when it reaches a client (callables: `details.code`). */
export const TRANSIENT_CODE = 'TRANSIENT';

/**
 * A failure worth retrying (the platform redelivers the event, or the caller tries again):
 * Storage or Firestore unavailable, a lease held by another attempt.
 */
export class TransientError extends Error {
  override name = 'TransientError' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
