/** Which failures of Storage, Firestore and the network are worth retrying, and the retry loop. */
import { isCodedError, TransientError } from './errors.js';

const TRANSIENT_GRPC = new Set([4, 8, 10, 13, 14]); // DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE
const TRANSIENT_NET = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

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
