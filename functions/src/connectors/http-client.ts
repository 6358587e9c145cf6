/**
 * The one HTTP client of the connectors (pretix, pretalx): JSON over HTTPS with the organizer's
 * API token, bounded in time (a timeout per request), in memory (a response is read up to
 * MAX_RESPONSE_BYTES) and in count (at most MAX_PAGES pages of a list). Every failure is a
 * ConnectorError with a code the organizer can act on; the token never appears in a message or
 * a log.
 */
import { ConnectorError } from './errors.js';
import { isPrivateHost } from '../shared/public-host.js';

export const CONNECTOR_LIMITS = Object.freeze({
  timeoutMs: 20_000,
  maxResponseBytes: 8 * 1024 * 1024,
  /** Pages of one list (pretix and pretalx pages hold 50 records: 25,000 records). */
  maxPages: 500,
  /** Records of one list, whatever the pages hold. */
  maxRecords: 25_000,
});

export interface ConnectorHttp {
  /** GET `url` (absolute), parsed JSON. */
  getJson(url: string): Promise<unknown>;
  /** POST JSON to `url`, parsed JSON answer. */
  postJson(url: string, body: unknown): Promise<unknown>;
}

export interface HttpOptions {
  /** `Authorization` header value, e.g. `Token abc`. */
  authorization: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * A base URL an organizer may connect: https to a public host (never the functions' own network:
 * shared/public-host.ts), or on the emulator http to a loopback host (a local pretix). No
 * credentials, query or fragment. Returned without a trailing slash.
 */
export function connectorBaseUrl(value: unknown, field: string, allowLoopbackHttp: boolean): string {
  const fail = (why: string): never => {
    throw new ConnectorError('CONNECTOR_INVALID', `${field} ${why}`, { field });
  };
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500)
    fail('must be the server address, e.g. https://pretix.eu');
  let url: URL;
  try {
    url = new URL((value as string).trim());
  } catch {
    return fail('is not a URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && allowLoopbackHttp))
    fail('must start with https://');
  if (url.username || url.password) fail('must not contain a user name or password');
  if (url.search || url.hash) fail('must not contain a query or fragment');
  if (!(loopback && allowLoopbackHttp) && isPrivateHost(url.hostname.toLowerCase().replace(/\.$/, '')))
    fail(`must be a server on the internet (${url.hostname} is not public)`);
  return url.toString().replace(/\/+$/, '');
}

export function connectorHttp(options: HttpOptions): ConnectorHttp {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? CONNECTOR_LIMITS.timeoutMs;
  const request = async (url: string, init: RequestInit): Promise<unknown> => {
    let response: Response;
    try {
      response = await doFetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          accept: 'application/json',
          authorization: options.authorization,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
        },
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new ConnectorError(
        'CONNECTOR_UNREACHABLE',
        timedOut ? `${hostOf(url)} did not answer within ${timeoutMs / 1000} s` : `${hostOf(url)} could not be reached`,
        { host: hostOf(url) },
        { transient: true },
      );
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new ConnectorError(
        'CONNECTOR_UNAUTHORIZED',
        `${hostOf(url)} refused the API token (HTTP ${response.status}): check that it is valid and has access to the event`,
        { status: response.status },
      );
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ConnectorError('CONNECTOR_NOT_FOUND', `${pathOf(url)} does not exist on ${hostOf(url)}`, {
        status: 404,
      });
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      throw new ConnectorError(
        'CONNECTOR_UNREACHABLE',
        `${hostOf(url)} answered HTTP ${response.status}; try again later`,
        { status: response.status },
        { transient: true },
      );
    }
    if (response.status < 200 || response.status > 299) {
      // Only the status is passed on, never the answer itself.
      await response.body?.cancel();
      throw new ConnectorError('CONNECTOR_BAD_RESPONSE', `${hostOf(url)} answered HTTP ${response.status}`, {
        status: response.status,
      });
    }
    const text = await readBounded(response, CONNECTOR_LIMITS.maxResponseBytes);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ConnectorError('CONNECTOR_BAD_RESPONSE', `${hostOf(url)} did not answer with JSON`, {});
    }
  };
  return {
    getJson: (url) => request(url, { method: 'GET' }),
    postJson: (url, body) => request(url, { method: 'POST', body: JSON.stringify(body) }),
  };
}

/** Every record of a paginated list (`{ results, next }`, as pretix and pretalx answer), at most maxPages pages. */
export async function* pages(http: ConnectorHttp, firstUrl: string, origin: string): AsyncGenerator<unknown[]> {
  let url: string | null = firstUrl;
  let records = 0;
  for (let page = 0; url; page++) {
    if (page >= CONNECTOR_LIMITS.maxPages)
      throw new ConnectorError(
        'CONNECTOR_LIMIT',
        `More than ${CONNECTOR_LIMITS.maxPages} pages at ${pathOf(firstUrl)}`,
        {
          maxPages: CONNECTOR_LIMITS.maxPages,
        },
      );
    const body = await http.getJson(url);
    const results = (body as { results?: unknown })?.results;
    if (!Array.isArray(results)) throw new ConnectorError('CONNECTOR_BAD_RESPONSE', `${pathOf(url)} is not a list`, {});
    records += results.length;
    if (records > CONNECTOR_LIMITS.maxRecords)
      throw new ConnectorError(
        'CONNECTOR_LIMIT',
        `More than ${CONNECTOR_LIMITS.maxRecords} records at ${pathOf(firstUrl)}`,
        {
          maxRecords: CONNECTOR_LIMITS.maxRecords,
        },
      );
    yield results;
    const next = (body as { next?: unknown }).next;
    // The next page must stay on the server we were given (the token goes with every request):
    // compared as origins, not as text (`https://pretix.eu.evil.example` starts with `https://pretix.eu`).
    url = typeof next === 'string' && URL.canParse(next) && new URL(next).origin === origin ? next : null;
  }
}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ConnectorError('CONNECTOR_LIMIT', `The answer is larger than ${maxBytes} bytes`, { maxBytes });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
