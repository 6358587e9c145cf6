/**
 * Typed errors of the render pipeline. The codes are stable (docs/architecture.md):
 * the Rust core reports them in its status-1 JSON and the TypeScript side reuses them.
 * A WebAssembly trap is reported as INTERNAL with `details.trap === true`.
 */
import { CodedError } from '../shared/errors.js';

export const ERROR_CODES = [
  'TEMPLATE_PARSE',
  'TEMPLATE_INVALID',
  'MISSING_FIELD',
  'INVALID_DATA',
  'FONT_MISSING_GLYPHS',
  'FONT_INVALID',
  'LIMIT_EXCEEDED',
  'EXTERNAL_REFERENCE',
  'UNSUPPORTED_CONTENT',
  'RENDER_FAILED',
  'INTERNAL',
  'NOT_INITIALIZED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class CertforgeError extends CodedError<ErrorCode> {
  override name = 'CertforgeError' as const;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export function isCertforgeError(value: unknown): value is CertforgeError {
  return value instanceof CertforgeError;
}

/** Wraps anything thrown into a CertforgeError; CertforgeErrors pass through unchanged. */
export function toCertforgeError(error: unknown, fallback: ErrorCode = 'INTERNAL'): CertforgeError {
  if (isCertforgeError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CertforgeError(fallback, message, {}, { cause: error });
}
