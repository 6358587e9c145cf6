/**
 * Errors of outbound webhooks (outbound/): an endpoint an organizer sets that certforge refuses,
 * and a signing secret that is not one. Codes are stable and catalogued in shared/error-catalog.ts;
 * a callable that saves endpoints answers them through handlers/error-mapping.ts like every code.
 */
import { CodedError } from '../shared/errors.js';

/**
 * - WEBHOOK_URL_INVALID: not an absolute URL, too long, spaces or control characters, a #fragment;
 * - WEBHOOK_URL_NOT_HTTPS: a scheme other than https (http only for localhost with allowInsecureLocal);
 * - WEBHOOK_URL_CREDENTIALS: a user name or password in the URL (a secret in a URL leaks into logs);
 * - WEBHOOK_URL_PRIVATE_HOST: a loopback, private, link-local or internal host (SSRF);
 * - WEBHOOK_EVENT_TYPES_INVALID: the event filter is empty, repeats a type or names an unknown one;
 * - WEBHOOK_ENDPOINT_INVALID: an endpoint's other fields (unknown key, description, includeEmail, id);
 * - WEBHOOK_ENDPOINT_DUPLICATE: two endpoints of the event with the same URL or id;
 * - WEBHOOK_ENDPOINT_LIMIT: more endpoints than an event may have (ENDPOINT_LIMITS.maxEndpoints);
 * - WEBHOOK_SECRET_INVALID: a signing secret that is not `whsec_` + base64 of 24-64 bytes.
 */
export const WEBHOOK_ERROR_CODES = [
  'WEBHOOK_URL_INVALID',
  'WEBHOOK_URL_NOT_HTTPS',
  'WEBHOOK_URL_CREDENTIALS',
  'WEBHOOK_URL_PRIVATE_HOST',
  'WEBHOOK_EVENT_TYPES_INVALID',
  'WEBHOOK_ENDPOINT_INVALID',
  'WEBHOOK_ENDPOINT_DUPLICATE',
  'WEBHOOK_ENDPOINT_LIMIT',
  'WEBHOOK_SECRET_INVALID',
] as const;

export type WebhookErrorCode = (typeof WEBHOOK_ERROR_CODES)[number];

/** An endpoint or secret refused: a stable code, a message the organizer can act on, details (field, limit). */
export class WebhookError extends CodedError<WebhookErrorCode> {
  override name = 'WebhookError' as const;
}
