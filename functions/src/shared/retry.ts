/** Which failures of Storage, Firestore and the network are worth retrying, and the retry loop. */
import { isCodedError, TransientError } from './errors.js';

const TRANSIENT_GRPC = new Set([4, 8, 10, 13, 14]); // DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE
const TRANSIENT_NET = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);

/** Is this error from Storage / Firestore / the network likely to go away on retry? certforge's own typed errors never are. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (isCodedError(error)) return false;
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
  {
    attempts = 4,
    baseDelayMs = 150,
    what = 'operation',
  }: { attempts?: number; baseDelayMs?: number; what?: string } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= attempts) {
        throw new TransientError(`${what} failed ${attempts} times: ${(error as Error).message ?? error}`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

/**
 * A delivery the platform retries: an event of a Firestore or Storage trigger (retry on), which
 * is redelivered until its event is too old, or a Cloud Tasks task, which has a set number of
 * attempts.
 */
export type RetriedDelivery =
  { kind: 'event'; time: string } | { kind: 'task'; retryCount: number; maxAttempts: number };

/**
 * The one give-up rule of every retried trigger: an event-driven delivery stops being retried
 * once its event is older than `maxAgeMs` (CERTFORGE_MAX_RETRY_AGE_MINUTES), a task at its last
 * attempt. The caller then records the failure (RETRY_EXHAUSTED) instead of rethrowing.
 */
export function retriesExhausted(delivery: RetriedDelivery, maxAgeMs: number, now: number = Date.now()): boolean {
  if (delivery.kind === 'task') return delivery.retryCount >= delivery.maxAttempts - 1;
  const age = now - Date.parse(delivery.time);
  return age > maxAgeMs;
}

/** How long a delivery has been retried, for messages ("gave up after 31 min"). */
export function deliveryAgeMinutes(time: string, now: number = Date.now()): number {
  return Math.round((now - Date.parse(time)) / 60_000);
}
