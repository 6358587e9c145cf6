/**
 * Errors of the issuing layer. Codes extend the render pipeline's (functions/src/render/errors.ts)
 * with what only Firebase can go wrong with; they are stable and stored on the speaker as
 * `certificate.error.code`.
 */
import { isCertforgeError, isErrorCode, type ErrorCode } from '../render/index.js';

/**
 * Codes only this layer raises:
 * - EVENT_NOT_FOUND: the speaker's event document does not exist;
 * - TEMPLATE_NOT_FOUND: the event names a template that is neither bundled nor in Storage
 *   under templates/{id}/template.svg;
 * - RETRY_EXHAUSTED: a transient failure (Storage / Firestore unavailable) lasted longer than
 *   the retry window;
 * - RATE_LIMITED: an operation's per-event limit was reached (forced bulk runs).
 */
export const ISSUE_ONLY_CODES = ['EVENT_NOT_FOUND', 'TEMPLATE_NOT_FOUND', 'RETRY_EXHAUSTED', 'RATE_LIMITED'] as const;

export type IssueErrorCode = ErrorCode | (typeof ISSUE_ONLY_CODES)[number];

export function isIssueErrorCode(value: unknown): value is IssueErrorCode {
  return isErrorCode(value) || (ISSUE_ONLY_CODES as readonly unknown[]).includes(value);
}

/** A permanent failure of one certificate: recorded as `failed`, never retried. */
export class IssueError extends Error {
  override name = 'IssueError' as const;
  constructor(
    readonly code: IssueErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

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

/** Permanent failure as stored on the speaker: render errors keep their code, the rest is INTERNAL. */
export function permanentError(error: unknown): { code: string; message: string; details?: Record<string, unknown> } {
  if (error instanceof IssueError || isCertforgeError(error)) {
    const details = Object.keys(error.details).length ? { details: error.details } : {};
    return { code: error.code, message: error.message, ...details };
  }
  return { code: 'INTERNAL', message: 'Unexpected error while issuing the certificate' };
}

const TRANSIENT_GRPC = new Set([4, 8, 10, 13, 14]); // DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE
const TRANSIENT_NET = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** Is this error from Storage / Firestore / the network likely to go away on retry? */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (error instanceof IssueError || isCertforgeError(error)) return false;
  if (typeof error !== 'object' || error === null) return false;
  const { code, status } = error as { code?: unknown; status?: unknown };
  if (typeof code === 'number') {
    if (code === 408 || code === 429 || (code >= 500 && code < 600)) return true;
    if (code < 20 && TRANSIENT_GRPC.has(code)) return true;
  }
  if (typeof status === 'number' && (status === 429 || status >= 500)) return true;
  if (typeof code === 'string' && TRANSIENT_NET.has(code)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isTransient(cause);
}

/**
 * Runs `operation`, retrying transient failures with exponential backoff (`attempts` in
 * total). The last transient failure is rethrown as a TransientError; others at once.
 */
export async function withRetries<T>(
  operation: () => Promise<T>,
  { attempts = 4, baseDelayMs = 150, what = 'operation' }: { attempts?: number; baseDelayMs?: number; what?: string } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= attempts) {
        throw new TransientError(`${what} failed ${attempts} times: ${(error as Error).message ?? error}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
