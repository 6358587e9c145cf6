/**
 * Outbound events in the Standard Webhooks convention (https://www.standardwebhooks.com/, spec
 * 1.0.0): the event types certforge sends, their payloads, the signing secrets and the signature
 * headers. Signing is the official `standardwebhooks` package's (the reference implementation);
 * secrets and ids are made here with node:crypto. Pure: no Firebase.
 *
 *   POST <the endpoint's URL>
 *   content-type: application/json
 *   webhook-id: msg_…           the same on every attempt and endpoint of one event (receivers dedupe on it)
 *   webhook-timestamp: 1767225600   seconds, the time of this attempt (receivers refuse old ones: replays)
 *   webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">   (space-separated while rotating)
 *
 *   { "type": "certificate.issued", "timestamp": "<ISO, when it happened>", "data": { certificateId, … } }
 *
 * A recipient's email is in `data.email` only for an endpoint whose organizer opted in
 * (`includeEmail: true`, outbound/endpoints.ts); every other endpoint gets the payload without it.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { sha256Id } from '../shared/hash.js';
import { isEmailAddress } from '../shared/mail.js';
import type { PublicStatus } from '../shared/model.js';
import { WebhookError } from './errors.js';

/** What certforge sends: a certificate issued, corrected (a new version superseding one), revoked. */
export const WEBHOOK_EVENT_TYPES = ['certificate.issued', 'certificate.corrected', 'certificate.revoked'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);
}

/** `data` of every certificate event. */
export interface CertificateEventData {
  certificateId: string;
  eventId: string;
  /** The speaker's or participant's document id. */
  participantId: string;
  /** The role id (`speaker`, `attendee`, …). */
  role: string;
  recipientName: string;
  /** The public verification page of the certificate. */
  verifyUrl: string;
  /** The registry status after the event: issued and corrected `valid`, revoked `revoked`. */
  status: PublicStatus;
  /** certificate.corrected: the certificate this one replaced. */
  supersedes?: string;
  /** certificate.revoked: why. */
  reason?: string;
  /** The recipient's email: only to an endpoint with `includeEmail: true`. */
  email?: string;
}

/** The body of every webhook (the spec's recommended structure). */
export interface WebhookPayload {
  type: WebhookEventType;
  /** ISO 8601: when the event happened (not when this attempt was made). */
  timestamp: string;
  data: CertificateEventData;
}

/** What happened to a certificate, as the issuing path knows it (the email included, when the participant has one). */
export type CertificateEventFacts = CertificateEventData;

/**
 * The payload of one event for one endpoint. The fields are copied one by one, so nothing else
 * of `facts` reaches a URL; `email` only when the endpoint opted in (`includeEmail === true`)
 * and it is an address.
 */
export function certificateEventPayload(
  type: WebhookEventType,
  facts: CertificateEventFacts,
  endpoint: { includeEmail?: boolean },
  occurredAt: Date,
): WebhookPayload {
  const data: CertificateEventData = {
    certificateId: facts.certificateId,
    eventId: facts.eventId,
    participantId: facts.participantId,
    role: facts.role,
    recipientName: facts.recipientName,
    verifyUrl: facts.verifyUrl,
    status: facts.status,
  };
  if (facts.supersedes !== undefined) data.supersedes = facts.supersedes;
  if (facts.reason !== undefined) data.reason = facts.reason;
  if (endpoint.includeEmail === true && isEmailAddress(facts.email)) data.email = facts.email.trim();
  return { type, timestamp: occurredAt.toISOString(), data };
}

/** The body as sent and signed: minified JSON (the bytes signed are the bytes sent). */
export function payloadBody(payload: WebhookPayload): string {
  return JSON.stringify(payload);
}

/** A message id: `msg_` and base64url, never a '.', which separates the signed parts. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The webhook-id of an event: derived from the event type and the certificate, so a trigger that
 * runs twice sends the same id and receivers drop the duplicate. Each certificate is issued,
 * corrected into and revoked at most once, so the pair names one event.
 */
export function webhookMessageId(type: WebhookEventType, certificateId: string): string {
  return `msg_${sha256Id(`certforge-webhook:${type}:${certificateId}`, 27)}`;
}

/** A signing secret: `whsec_` + base64 of this many random bytes (the spec: 24 to 64). */
export const SECRET_BYTES = 32;
const SECRET_PREFIX = 'whsec_';
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** A new signing secret for one endpoint (the spec: unique per endpoint), shown to the organizer once. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** True for `whsec_` + canonical base64 (padded) of 24-64 bytes. */
export function isWebhookSecret(value: unknown): value is string {
  if (typeof value !== 'string' || !value.startsWith(SECRET_PREFIX)) return false;
  const encoded = value.slice(SECRET_PREFIX.length);
  if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= MIN_SECRET_BYTES && key.length <= MAX_SECRET_BYTES && key.toString('base64') === encoded;
}

/** The three headers of a signed webhook. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The Standard Webhooks headers of one attempt: `timestamp` in seconds (the attempt's, updated on
 * every retry), `body` exactly as sent. Several secrets (the new one first, while an endpoint's
 * secret is rotated) give several space-separated signatures; a receiver accepts any that
 * matches. Throws WebhookError WEBHOOK_SECRET_INVALID for a malformed secret, and a TypeError for
 * an id with a '.' or a timestamp that is not whole seconds (programming errors).
 */
export function signWebhook(
  secret: string | readonly string[],
  message: { id: string; timestamp: number; body: string },
): WebhookHeaders {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || !secrets.every(isWebhookSecret)) {
    throw new WebhookError(
      'WEBHOOK_SECRET_INVALID',
      `A webhook signing secret must be "${SECRET_PREFIX}" followed by the base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`,
    );
  }
  if (!MESSAGE_ID_PATTERN.test(message.id))
    throw new TypeError(`Not a webhook message id: ${JSON.stringify(message.id)}`);
  if (!Number.isSafeInteger(message.timestamp) || message.timestamp < 0) {
    throw new TypeError(`A webhook timestamp is whole seconds since the epoch, not ${message.timestamp}`);
  }
  const at = new Date(message.timestamp * 1000);
  const signatures = secrets.map((one) => new Webhook(one).sign(message.id, at, message.body));
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(message.timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
