/**
 * One delivery attempt of a webhook, and what comes of it: a record for the delivery log
 * (`delivered`, `retrying` with the time of the next attempt, or `failed`). Pure and injectable
 * (fetch, clock, jitter): the caller stores the record and schedules the next attempt (a Cloud
 * Tasks task at `nextAttemptAt`), reading the endpoint again then, so a paused, removed or
 * corrected endpoint takes effect on the next attempt.
 *
 * An answer is read as the Standard Webhooks spec suggests:
 *   2xx                      delivered
 *   410 Gone                 failed, and the endpoint should be disabled (`disableEndpoint`)
 *   408, 429, 5xx            retrying (a Retry-After of up to 24 h is honoured as a minimum)
 *   timeout, network error   retrying
 *   3xx                      retrying: a redirect is never followed (the message would go to a
 *                            URL the organizer did not set); the organizer updates the URL
 *   any other 4xx            failed
 *
 * Retries (RETRY_SCHEDULE_MS, the spec's example schedule): after attempt 1 (at once) wait 5 s,
 * then 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h, each ±20 % jitter: 10 attempts over
 * about 3 days 3½ h (MAX_DELIVERY_ATTEMPTS); the 10th failure is `failed`.
 *
 * Bounded: one attempt lasts at most `timeoutMs` (the spec suggests 15-30 s, DEFAULT_TIMEOUT_MS)
 * including the response, of which at most MAX_RESPONSE_BYTES are read (kept in the log for the
 * organizer); the rest is never downloaded.
 */
import { excerpt } from '../shared/values.js';
import { oneLine } from '../shared/mail.js';
import { endpointWants, validateEndpointUrl, type WebhookEndpointConfig } from './endpoints.js';
import {
  certificateEventPayload,
  payloadBody,
  signWebhook,
  webhookMessageId,
  type CertificateEventFacts,
  type WebhookEventType,
} from './standard-webhooks.js';

/** The wait before attempt n + 1 after attempt n failed (index n - 1), before jitter. */
export const RETRY_SCHEDULE_MS = Object.freeze([
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
]);
/** The first attempt and one per wait of RETRY_SCHEDULE_MS. */
export const MAX_DELIVERY_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;
/** Each wait is scheduled at ± this fraction, at random, so that retries of an outage do not arrive together. */
export const RETRY_JITTER = 0.2;
/** The longest Retry-After honoured (a longer one waits this long). */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** The spec suggests 15 to 30 s for a receiver to answer. */
export const DEFAULT_TIMEOUT_MS = 15_000;
/** The most of a response body read (and kept in the log). */
export const MAX_RESPONSE_BYTES = 2048;
export const USER_AGENT = 'certforge-webhooks/1';

export interface DeliveryDeps {
  fetch: typeof fetch;
  /** Milliseconds since the epoch: the attempt's time, its signature timestamp and its duration. */
  now(): number;
  /** The whole attempt: connecting, sending, the answer and the part of its body read. */
  timeoutMs: number;
  /** [0, 1) for the jitter (default Math.random). */
  random?(): number;
  /** The emulator: deliver to http://localhost (outbound/endpoints.ts). */
  allowInsecureLocal?: boolean;
}

/** Where to: the saved endpoint's id and URL, and its signing secret(s) (the new one first while rotating). */
export interface DeliveryEndpoint {
  id: string;
  url: string;
  secret: string | readonly string[];
}

/** What to send: the same id on every attempt, the body exactly as signed. */
export interface OutboundMessage {
  id: string;
  type: WebhookEventType;
  body: string;
}

export type DeliveryStatus = 'delivered' | 'retrying' | 'failed';

/** Why an attempt did not deliver. */
export type DeliveryFailure =
  | 'http-status' // the receiver answered with a status that is not 2xx (and not 3xx or 410)
  | 'gone' // 410 Gone: the receiver wants no more
  | 'redirect' // 3xx, not followed
  | 'timeout'
  | 'network' // DNS, connection refused or reset, TLS
  | 'refused-url' // the saved URL no longer passes validateEndpointUrl: nothing was sent
  | 'signing'; // the secret is malformed: nothing was sent

/** One attempt, as the delivery log keeps it. */
export interface DeliveryRecord {
  messageId: string;
  endpointId: string;
  type: WebhookEventType;
  /** 1 for the first. */
  attempt: number;
  status: DeliveryStatus;
  httpStatus?: number;
  failure?: DeliveryFailure;
  /** What went wrong, for the organizer. */
  error?: string;
  /** The beginning of the receiver's answer to a failed attempt (one line, at most MAX_RESPONSE_BYTES). */
  response?: string;
  durationMs: number;
  /** ISO 8601: when the attempt started. */
  at: string;
  /** ISO 8601, when `retrying`. */
  nextAttemptAt?: string;
  /** The receiver answered 410 Gone, or the URL is no longer allowed: disable the endpoint. */
  disableEndpoint?: true;
}

/**
 * The wait after failed attempt `attempt` (1-based) before the next, with jitter; undefined once
 * MAX_DELIVERY_ATTEMPTS have been made. `retryAfterMs` (the receiver's Retry-After) is a minimum.
 */
export function retryDelayMs(
  attempt: number,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number | undefined {
  if (attempt >= MAX_DELIVERY_ATTEMPTS) return undefined;
  const base = RETRY_SCHEDULE_MS[Math.max(1, attempt) - 1]!;
  const jittered = Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** A Retry-After header (seconds, or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Sends `message` to `endpoint` once (attempt number `attempt`, 1-based) and says what came of
 * it. Never throws for anything the receiver or the network does; the URL is checked again first
 * and a redirect is not followed, so the body (and the email it may hold) only ever goes to the
 * URL the organizer saved.
 */
export async function deliverWebhook(
  deps: DeliveryDeps,
  endpoint: DeliveryEndpoint,
  message: OutboundMessage,
  attempt: number,
): Promise<DeliveryRecord> {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be 1 or more, not ${attempt}`);
  const started = deps.now();
  const base = { messageId: message.id, endpointId: endpoint.id, type: message.type, attempt };
  // No undefined fields: Firestore refuses them.
  const record = (outcome: Omit<DeliveryRecord, keyof typeof base | 'durationMs' | 'at'>): DeliveryRecord => ({
    ...base,
    ...(Object.fromEntries(Object.entries(outcome).filter(([, value]) => value !== undefined)) as typeof outcome),
    durationMs: Math.max(0, deps.now() - started),
    at: new Date(started).toISOString(),
  });
  const retry = (
    failure: DeliveryFailure,
    error: string,
    extra: { httpStatus?: number; response?: string; retryAfterMs?: number } = {},
  ): DeliveryRecord => {
    const { retryAfterMs, ...seen } = extra;
    const delay = retryDelayMs(attempt, deps.random ?? Math.random, retryAfterMs);
    if (delay === undefined) {
      return record({ status: 'failed', failure, error: `${error}; gave up after ${attempt} attempts`, ...seen });
    }
    return record({
      status: 'retrying',
      failure,
      error,
      ...seen,
      nextAttemptAt: new Date(deps.now() + delay).toISOString(),
    });
  };

  let url: string;
  try {
    url = validateEndpointUrl(endpoint.url, { allowInsecureLocal: deps.allowInsecureLocal });
  } catch (error) {
    return record({ status: 'failed', failure: 'refused-url', error: (error as Error).message, disableEndpoint: true });
  }
  let headers: Record<string, string>;
  try {
    headers = {
      ...signWebhook(endpoint.secret, { id: message.id, timestamp: Math.floor(started / 1000), body: message.body }),
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
    };
  } catch (error) {
    return record({ status: 'failed', failure: 'signing', error: (error as Error).message });
  }

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
  try {
    const response = await deps.fetch(url, {
      method: 'POST',
      headers,
      body: message.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const httpStatus = response.status;
    if (httpStatus >= 200 && httpStatus < 300) {
      response.body?.cancel().catch(() => undefined); // not read, not waited for
      return record({ status: 'delivered', httpStatus });
    }
    const seen = { httpStatus, response: await readResponseStart(response) };
    if (httpStatus === 410) {
      return record({
        status: 'failed',
        failure: 'gone',
        error: 'The receiver answered 410 Gone: it wants no more webhooks',
        disableEndpoint: true,
        ...seen,
      });
    }
    if ((httpStatus >= 300 && httpStatus < 400) || response.type === 'opaqueredirect') {
      const to = redirectTarget(response.headers.get('location'), url);
      return retry('redirect', `The receiver redirected (HTTP ${httpStatus})${to}; redirects are not followed`, seen);
    }
    if (httpStatus === 408 || httpStatus === 429 || httpStatus >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), deps.now());
      return retry('http-status', `The receiver answered HTTP ${httpStatus}`, { ...seen, retryAfterMs });
    }
    return record({
      status: 'failed',
      failure: 'http-status',
      error: `The receiver answered HTTP ${httpStatus}`,
      ...seen,
    });
  } catch (error) {
    if (controller.signal.aborted) return retry('timeout', `No answer within ${deps.timeoutMs} ms`);
    return retry('network', `Could not reach the receiver: ${networkReason(error)}`);
  } finally {
    clearTimeout(timer);
    controller.abort(); // whatever is left of the response is not downloaded
  }
}

/** The first MAX_RESPONSE_BYTES of a body as one line of text; what the timeout or a reset left of it. */
async function readResponseStart(response: Response): Promise<string | undefined> {
  if (!response.body) return undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      const part = value.subarray(0, MAX_RESPONSE_BYTES - length);
      chunks.push(part);
      length += part.length;
    }
  } catch {
    // Timed out or reset while reading: keep what arrived.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const text = oneLine(new TextDecoder().decode(Buffer.concat(chunks)));
  return text ? excerpt(text, MAX_RESPONSE_BYTES) : undefined;
}

/** " to https://host" of a redirect's Location (its origin only: a path may carry the receiver's tokens). */
function redirectTarget(location: string | null, from: string): string {
  if (!location || !URL.canParse(location, from)) return '';
  return ` to ${new URL(location, from).origin}`;
}

/** The system's reason for a failed fetch (undici puts it in `cause`): ECONNREFUSED, ENOTFOUND, a TLS error. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  return excerpt(oneLine(String(reason)), 200);
}

/** One endpoint's message of an event. */
export interface PlannedDelivery {
  endpoint: WebhookEndpointConfig;
  message: OutboundMessage;
}

/**
 * The messages of one event for an event's endpoints: those enabled whose filter has the type,
 * each with its own body (with the recipient's email only for an endpoint with includeEmail),
 * all with the one webhook-id of the event.
 */
export function planDeliveries(
  endpoints: readonly WebhookEndpointConfig[],
  type: WebhookEventType,
  facts: CertificateEventFacts,
  occurredAt: Date,
): PlannedDelivery[] {
  const id = webhookMessageId(type, facts.certificateId);
  return endpoints
    .filter((endpoint) => endpointWants(endpoint, type))
    .map((endpoint) => ({
      endpoint,
      message: { id, type, body: payloadBody(certificateEventPayload(type, facts, endpoint, occurredAt)) },
    }));
}
