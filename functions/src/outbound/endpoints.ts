/**
 * The webhook endpoints an organizer sets on an event, checked before they are saved: where
 * certforge may POST its events (outbound/standard-webhooks.ts), which types each endpoint wants,
 * and whether it gets recipients' emails. Nothing here is trusted from anyone but an organizer of
 * the event: the callable that saves endpoints checks that (handlers/callable.ts requireOrganizer),
 * and `includeEmail` is read from the saved endpoint only, never from a request to send.
 *
 * A URL is refused unless it is `https://` to a public host, without credentials or a fragment;
 * `http://localhost` and `http://127.0.0.1` (and `[::1]`) pass only with `allowInsecureLocal` (the
 * emulator). Hosts are checked as written: a public name that resolves to a private address is
 * not caught here (that needs an egress proxy that refuses private addresses: not done yet).
 */
import { randomBytes } from 'node:crypto';
import { isRecord } from '../shared/values.js';
import { WebhookError } from './errors.js';
import { isPrivateHost } from '../shared/public-host.js';
import { WEBHOOK_EVENT_TYPES, isWebhookEventType, type WebhookEventType } from './standard-webhooks.js';

/** How much an event may configure. */
export const ENDPOINT_LIMITS = Object.freeze({
  /** Endpoints per event. */
  maxEndpoints: 5,
  /** Characters of a URL. */
  maxUrlLength: 2048,
  /** Characters of an endpoint's description. */
  maxDescriptionLength: 200,
});

/** An endpoint as saved (its signing secret is kept apart, where only the functions read it). */
export interface WebhookEndpointConfig {
  /** `ep_` + 16 base64url characters: the delivery log's `endpointId`. */
  id: string;
  /** The URL as normalized by the WHATWG parser (what is POSTed to). */
  url: string;
  /** The types it receives (default: all). */
  eventTypes: WebhookEventType[];
  /** Recipients' emails in `data.email`: only when an organizer set it to true. */
  includeEmail: boolean;
  /** False once the organizer paused it, or its receiver answered 410 Gone. */
  enabled: boolean;
  description?: string;
}

/** What an organizer sends for one endpoint; `id` for one that exists. */
export interface WebhookEndpointInput {
  id?: unknown;
  url?: unknown;
  eventTypes?: unknown;
  includeEmail?: unknown;
  enabled?: unknown;
  description?: unknown;
}

export interface EndpointOptions {
  /** Let `http://localhost`, `http://127.0.0.1` and `http://[::1]` through (the emulator only). */
  allowInsecureLocal?: boolean;
}

const ENDPOINT_KEYS = new Set(['id', 'url', 'eventTypes', 'includeEmail', 'enabled', 'description']);
const ENDPOINT_ID_PATTERN = /^ep_[A-Za-z0-9_-]{16}$/;

/** A new endpoint id. */
export function newEndpointId(): string {
  return `ep_${randomBytes(12).toString('base64url')}`;
}

export function isEndpointId(value: unknown): value is string {
  return typeof value === 'string' && ENDPOINT_ID_PATTERN.test(value);
}

/** The hosts `allowInsecureLocal` lets through over http. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The URL an endpoint may be set to, normalized (`new URL(url).href`), or a WebhookError:
 * WEBHOOK_URL_INVALID, WEBHOOK_URL_NOT_HTTPS, WEBHOOK_URL_CREDENTIALS, WEBHOOK_URL_PRIVATE_HOST.
 * Delivery checks the saved URL again (outbound/deliver.ts), so a rule added here applies to
 * endpoints saved before it.
 */
export function validateEndpointUrl(value: unknown, options: EndpointOptions = {}): string {
  const invalid = (why: string) => new WebhookError('WEBHOOK_URL_INVALID', `The webhook URL ${why}`, { field: 'url' });
  if (typeof value !== 'string') throw invalid('must be a text');
  if (value.length > ENDPOINT_LIMITS.maxUrlLength) {
    throw new WebhookError(
      'WEBHOOK_URL_INVALID',
      `The webhook URL is longer than ${ENDPOINT_LIMITS.maxUrlLength} characters`,
      { field: 'url', limit: ENDPOINT_LIMITS.maxUrlLength },
    );
  }
  // The URL parser drops tabs and line breaks silently: refuse them (and spaces) instead.
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(value)) throw invalid('must not contain spaces or control characters');
  if (!URL.canParse(value)) throw invalid('is not an absolute URL (https://…)');
  const url = new URL(value);
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const local = LOCAL_HOSTS.has(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local && options.allowInsecureLocal)) {
    throw new WebhookError('WEBHOOK_URL_NOT_HTTPS', 'The webhook URL must start with https://', {
      field: 'url',
      scheme: url.protocol.replace(/:$/, ''),
    });
  }
  if (url.username || url.password) {
    throw new WebhookError(
      'WEBHOOK_URL_CREDENTIALS',
      'The webhook URL must not contain a user name or password: every webhook is signed (webhook-signature), verify that instead',
      { field: 'url' },
    );
  }
  if (url.hash || value.includes('#')) throw invalid('must not have a #fragment');
  if (!host) throw invalid('has no host');
  if (!(local && options.allowInsecureLocal) && isPrivateHost(host)) {
    throw new WebhookError(
      'WEBHOOK_URL_PRIVATE_HOST',
      `The webhook URL's host ${host} is not public: webhooks go to addresses on the internet only`,
      { field: 'url', host },
    );
  }
  return url.href;
}

/** The event filter: a non-empty list of distinct known types; absent means all of them. */
export function validateEventTypes(value: unknown): WebhookEventType[] {
  if (value === undefined) return [...WEBHOOK_EVENT_TYPES];
  const known = WEBHOOK_EVENT_TYPES.join(', ');
  if (!Array.isArray(value) || value.length === 0) {
    throw new WebhookError('WEBHOOK_EVENT_TYPES_INVALID', `eventTypes must be a non-empty list of: ${known}`, {
      field: 'eventTypes',
      allowed: [...WEBHOOK_EVENT_TYPES],
    });
  }
  const unknown = value.filter((type) => !isWebhookEventType(type));
  if (unknown.length > 0) {
    throw new WebhookError(
      'WEBHOOK_EVENT_TYPES_INVALID',
      `eventTypes names unknown type(s) ${unknown.map((type) => JSON.stringify(type)).join(', ')}; known: ${known}`,
      { field: 'eventTypes', allowed: [...WEBHOOK_EVENT_TYPES] },
    );
  }
  if (new Set(value).size !== value.length) {
    throw new WebhookError('WEBHOOK_EVENT_TYPES_INVALID', 'eventTypes names a type twice', { field: 'eventTypes' });
  }
  return value as WebhookEventType[];
}

/**
 * One endpoint as an organizer sent it, checked: the URL (validateEndpointUrl), the event filter
 * (validateEventTypes), `includeEmail` and `enabled` booleans, a description of at most
 * ENDPOINT_LIMITS.maxDescriptionLength characters, no other key. A new endpoint (no `id`) gets one.
 */
export function validateEndpoint(input: unknown, options: EndpointOptions = {}): WebhookEndpointConfig {
  const invalid = (message: string, field?: string) =>
    new WebhookError('WEBHOOK_ENDPOINT_INVALID', message, field ? { field } : {});
  if (!isRecord(input)) throw invalid('A webhook endpoint must be an object { url, eventTypes?, includeEmail?, … }');
  const unknownKeys = Object.keys(input).filter((key) => !ENDPOINT_KEYS.has(key));
  if (unknownKeys.length > 0) throw invalid(`Unknown field(s) of a webhook endpoint: ${unknownKeys.join(', ')}`);
  const { id, url, eventTypes, includeEmail, enabled, description } = input as WebhookEndpointInput;
  if (id !== undefined && !isEndpointId(id)) throw invalid('id must be an endpoint id (ep_…)', 'id');
  if (includeEmail !== undefined && typeof includeEmail !== 'boolean') {
    throw invalid('includeEmail must be true or false', 'includeEmail');
  }
  if (enabled !== undefined && typeof enabled !== 'boolean') throw invalid('enabled must be true or false', 'enabled');
  if (description !== undefined && typeof description !== 'string') {
    throw invalid('description must be a text', 'description');
  }
  const trimmed = description?.trim();
  if (trimmed !== undefined && trimmed.length > ENDPOINT_LIMITS.maxDescriptionLength) {
    throw new WebhookError(
      'WEBHOOK_ENDPOINT_INVALID',
      `description is longer than ${ENDPOINT_LIMITS.maxDescriptionLength} characters`,
      { field: 'description', limit: ENDPOINT_LIMITS.maxDescriptionLength },
    );
  }
  const config: WebhookEndpointConfig = {
    id: id ?? newEndpointId(),
    url: validateEndpointUrl(url, options),
    eventTypes: validateEventTypes(eventTypes),
    includeEmail: includeEmail === true,
    enabled: enabled !== false,
  };
  if (trimmed) config.description = trimmed;
  return config;
}

/**
 * All the endpoints of an event, as the organizer wants them saved: at most
 * ENDPOINT_LIMITS.maxEndpoints (WEBHOOK_ENDPOINT_LIMIT), each valid, no URL or id twice
 * (WEBHOOK_ENDPOINT_DUPLICATE).
 */
export function validateEndpoints(inputs: unknown, options: EndpointOptions = {}): WebhookEndpointConfig[] {
  if (!Array.isArray(inputs)) {
    throw new WebhookError('WEBHOOK_ENDPOINT_INVALID', 'The webhook endpoints must be a list', { field: 'endpoints' });
  }
  if (inputs.length > ENDPOINT_LIMITS.maxEndpoints) {
    throw new WebhookError(
      'WEBHOOK_ENDPOINT_LIMIT',
      `An event can have at most ${ENDPOINT_LIMITS.maxEndpoints} webhook endpoints (${inputs.length} given)`,
      { limit: ENDPOINT_LIMITS.maxEndpoints, count: inputs.length },
    );
  }
  const endpoints = inputs.map((input) => validateEndpoint(input, options));
  const urls = new Set<string>();
  const ids = new Set<string>();
  for (const endpoint of endpoints) {
    if (urls.has(endpoint.url) || ids.has(endpoint.id)) {
      throw new WebhookError(
        'WEBHOOK_ENDPOINT_DUPLICATE',
        `The webhook endpoint ${endpoint.url} is set twice: one endpoint per URL`,
        { url: endpoint.url },
      );
    }
    urls.add(endpoint.url);
    ids.add(endpoint.id);
  }
  return endpoints;
}

/** True when the endpoint is enabled and its filter has `type`. */
export function endpointWants(endpoint: Pick<WebhookEndpointConfig, 'enabled' | 'eventTypes'>, type: WebhookEventType) {
  return endpoint.enabled && endpoint.eventTypes.includes(type);
}
