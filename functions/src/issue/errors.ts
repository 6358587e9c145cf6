/**
 * Errors of the issuing layer. Codes extend the render pipeline's (functions/src/render/errors.ts)
 * with what only Firebase can go wrong with; they are stable and stored on the speaker as
 * `certificate.error.code`.
 */
import { isErrorCode, type ErrorCode } from '../render/index.js';
import { CodedError, isCodedError } from '../shared/errors.js';

/**
 * Codes only this layer raises:
 * - EVENT_NOT_FOUND: the speaker's event document does not exist;
 * - TEMPLATE_NOT_FOUND: the event names a template that is neither bundled nor in Storage
 *   under templates/{id}/template.svg;
 * - RETRY_EXHAUSTED: a transient failure (Storage / Firestore unavailable) lasted longer than
 *   the retry window;
 * - RATE_LIMITED: an operation's per-event limit was reached (forced bulk runs);
 * - RUN_IN_PROGRESS: a bulk run of another role is still running (one run at a time per event).
 */
export const ISSUE_ONLY_CODES = [
  'EVENT_NOT_FOUND',
  'TEMPLATE_NOT_FOUND',
  'RETRY_EXHAUSTED',
  'RATE_LIMITED',
  'RUN_IN_PROGRESS',
] as const;

export type IssueErrorCode = ErrorCode | (typeof ISSUE_ONLY_CODES)[number];

export function isIssueErrorCode(value: unknown): value is IssueErrorCode {
  return isErrorCode(value) || (ISSUE_ONLY_CODES as readonly unknown[]).includes(value);
}

/** A permanent failure of one certificate: recorded as `failed`, never retried. */
export class IssueError extends CodedError<IssueErrorCode> {
  override name = 'IssueError' as const;
}

/** Permanent failure as stored on the speaker: render errors keep their code, the rest is INTERNAL. */
export function permanentError(error: unknown): { code: string; message: string; details?: Record<string, unknown> } {
  if (isCodedError(error)) {
    const details = Object.keys(error.details).length ? { details: error.details } : {};
    return { code: error.code, message: error.message, ...details };
  }
  return { code: 'INTERNAL', message: 'Unexpected error while issuing the certificate' };
}
