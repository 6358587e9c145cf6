/**
 * Outbound webhooks (functions/src/outbound/): Standard Webhooks signatures checked by the
 * official `standardwebhooks` package as an independent verifier (and by node:crypto against the
 * spec's formula and the package's published test vector), deliveries to a real node:http server
 * on loopback (retries, 410, redirects not followed, timeouts, a 100 MB answer not read), the
 * validation of the endpoints an organizer sets, and the email only for an endpoint that opted in.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as StandardWebhooks from '../../functions/node_modules/standardwebhooks/dist/index.js';
import {
  MAX_DELIVERY_ATTEMPTS,
  MAX_RESPONSE_BYTES,
  RETRY_SCHEDULE_MS,
  deliverWebhook,
  parseRetryAfter,
  planDeliveries,
  retryDelayMs,
  type DeliveryDeps,
  type OutboundMessage,
} from '../../functions/src/outbound/deliver.js';
import {
  ENDPOINT_LIMITS,
  endpointWants,
  validateEndpoint,
  validateEndpointUrl,
  validateEndpoints,
  type WebhookEndpointConfig,
} from '../../functions/src/outbound/endpoints.js';
import { WEBHOOK_ERROR_CODES, WebhookError } from '../../functions/src/outbound/errors.js';
import {
  WEBHOOK_EVENT_TYPES,
  certificateEventPayload,
  isWebhookSecret,
  newWebhookSecret,
  payloadBody,
  signWebhook,
  webhookMessageId,
  type CertificateEventFacts,
} from '../../functions/src/outbound/standard-webhooks.js';

/** The official package, the very copy the functions sign with (functions/node_modules). */
const { Webhook, WebhookVerificationError } = createRequire(new URL('../../functions/package.json', import.meta.url))(
  'standardwebhooks',
) as typeof StandardWebhooks;

const FACTS: CertificateEventFacts = {
  certificateId: 'AAAAAAAAAAAAAAAAAAAAAA',
  eventId: 'devconf-2026',
  participantId: 'spk-001',
  role: 'speaker',
  recipientName: 'Zoë Ångström-Łukasiewicz',
  verifyUrl: 'https://certs.example.org/verify/AAAAAAAAAAAAAAAAAAAAAA',
  status: 'valid',
  email: 'zoe@example.org',
};

// ---------------------------------------------------------------------------------------------
// A real receiver on loopback: each test sets what it answers; every request is recorded.

interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

type Answer = (req: IncomingMessage, res: ServerResponse, body: string) => void;

class Receiver {
  readonly received: Received[] = [];
  answer: Answer = (_req, res) => res.end('ok');
  private server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([key, value]) => [
            key,
            Array.isArray(value) ? value.join(', ') : (value ?? ''),
          ]),
        );
        this.received.push({ url: req.url ?? '', headers, body });
        this.answer(req, res, body);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let receiver: Receiver;
let elsewhere: Receiver;

beforeAll(async () => {
  receiver = await new Receiver().start();
  elsewhere = await new Receiver().start();
});

afterAll(async () => {
  await receiver.stop();
  await elsewhere.stop();
});

afterEach(() => {
  receiver.received.length = 0;
  elsewhere.received.length = 0;
  receiver.answer = (_req, res) => res.end('ok');
  vi.restoreAllMocks();
});

/** Real fetch and clock; jitter at its middle, so the waits are the schedule's. */
function deps(overrides: Partial<DeliveryDeps> = {}): DeliveryDeps {
  return { fetch, now: Date.now, timeoutMs: 5_000, random: () => 0.5, allowInsecureLocal: true, ...overrides };
}

function issuedMessage(includeEmail = false): OutboundMessage {
  const payload = certificateEventPayload('certificate.issued', FACTS, { includeEmail }, new Date());
  return {
    id: webhookMessageId('certificate.issued', FACTS.certificateId),
    type: 'certificate.issued',
    body: payloadBody(payload),
  };
}

function endpointAt(url: string, secret = newWebhookSecret()) {
  return { id: 'ep_AAAAAAAAAAAAAAAA', url, secret };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookError);
    return (error as WebhookError).code;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

describe('Standard Webhooks signatures', () => {
  it("match the official package's published test vector", () => {
    const headers = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', {
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
    });
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('are the base64 HMAC-SHA256 of "id.timestamp.body" under the decoded secret (node:crypto)', () => {
    const secret = newWebhookSecret();
    const body = payloadBody(certificateEventPayload('certificate.revoked', FACTS, {}, new Date()));
    const headers = signWebhook(secret, { id: 'msg_x', timestamp: 1767225600, body });
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`msg_x.1767225600.${body}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('carry one signature per secret while a secret is rotated; the receiver accepts either', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '{"type":"certificate.issued"}';
    const headers = signWebhook([current, previous], { id: 'msg_rotate', timestamp, body });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual({ type: 'certificate.issued' });
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual({ type: 'certificate.issued' });
  });

  it('use new secrets of 32 random bytes in the whsec_ format the package reads', () => {
    const secrets = new Set(Array.from({ length: 50 }, newWebhookSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
      expect(isWebhookSecret(secret)).toBe(true);
      expect(() => new Webhook(secret)).not.toThrow();
    }
  });

  it('refuse a malformed secret, an id with a dot and a timestamp that is not whole seconds', () => {
    const body = '{}';
    for (const secret of [
      '',
      'whsec_',
      'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec_c2hvcnQ=',
      'whsec_not base64!',
      [],
    ]) {
      expect(
        codeOf(() => signWebhook(secret, { id: 'msg_1', timestamp: 1, body })),
        String(secret),
      ).toBe('WEBHOOK_SECRET_INVALID');
    }
    const secret = newWebhookSecret();
    expect(() => signWebhook(secret, { id: 'msg.1', timestamp: 1, body })).toThrow(TypeError);
    expect(() => signWebhook(secret, { id: 'msg_1', timestamp: 1.5, body })).toThrow(TypeError);
  });

  it('give every event one id (the same for a trigger that runs twice), without a dot', () => {
    const id = webhookMessageId('certificate.issued', FACTS.certificateId);
    expect(id).toBe(webhookMessageId('certificate.issued', FACTS.certificateId));
    expect(id).not.toBe(webhookMessageId('certificate.revoked', FACTS.certificateId));
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]+$/);
  });
});

describe('a delivery to a real receiver', () => {
  it('POSTs a body and headers that the official package verifies, and records it delivered', async () => {
    const secret = newWebhookSecret();
    const message = issuedMessage();
    const record = await deliverWebhook(deps(), endpointAt(receiver.url(), secret), message, 1);

    expect(record).toMatchObject({
      messageId: message.id,
      endpointId: 'ep_AAAAAAAAAAAAAAAA',
      type: 'certificate.issued',
      attempt: 1,
      status: 'delivered',
      httpStatus: 200,
    });
    expect(record.nextAttemptAt).toBeUndefined();
    expect(record.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(record.at)).not.toBeNaN();

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toBe(message.id);
    expect(request!.body).toBe(message.body);
    const payload = new Webhook(secret).verify(request!.body, request!.headers) as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'certificate.issued',
      data: {
        certificateId: FACTS.certificateId,
        eventId: FACTS.eventId,
        participantId: FACTS.participantId,
        role: 'speaker',
        recipientName: FACTS.recipientName,
        verifyUrl: FACTS.verifyUrl,
        status: 'valid',
      },
    });
  });

  it('does not verify under another secret, or with a changed body', async () => {
    const message = issuedMessage();
    await deliverWebhook(deps(), endpointAt(receiver.url()), message, 1);
    const [request] = receiver.received;
    expect(() => new Webhook(newWebhookSecret()).verify(request!.body, request!.headers)).toThrow(
      WebhookVerificationError,
    );
    const changed = request!.body.replace('Zoë', 'Zoe');
    expect(changed).not.toBe(request!.body);
    expect(() => new Webhook(newWebhookSecret()).verify(changed, request!.headers)).toThrow(WebhookVerificationError);
  });

  it('retries a 500 (5 s later, the first wait) and records the next attempt delivered, same id', async () => {
    const secret = newWebhookSecret();
    const message = issuedMessage();
    let calls = 0;
    receiver.answer = (_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.statusCode = 500;
        res.end('database\nunavailable');
      } else res.end();
    };

    const first = await deliverWebhook(deps(), endpointAt(receiver.url(), secret), message, 1);
    expect(first).toMatchObject({
      status: 'retrying',
      httpStatus: 500,
      failure: 'http-status',
      response: 'database unavailable',
    });
    // With random() = 0.5 the jitter is zero: the next attempt is exactly 5 s after this one ended.
    const wait = Date.parse(first.nextAttemptAt!) - (Date.parse(first.at) + first.durationMs);
    expect(Math.abs(wait - 5_000)).toBeLessThanOrEqual(1);

    const second = await deliverWebhook(deps(), endpointAt(receiver.url(), secret), message, 2);
    expect(second).toMatchObject({ status: 'delivered', httpStatus: 200, attempt: 2 });
    expect(second).not.toHaveProperty('failure');
    expect(second).not.toHaveProperty('response');

    const [a, b] = receiver.received;
    expect(a!.headers['webhook-id']).toBe(b!.headers['webhook-id']);
    expect(() => new Webhook(secret).verify(b!.body, b!.headers)).not.toThrow();
  });

  it('gives up after the last attempt of the schedule', async () => {
    receiver.answer = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    const record = await deliverWebhook(deps(), endpointAt(receiver.url()), issuedMessage(), MAX_DELIVERY_ATTEMPTS);
    expect(record).toMatchObject({ status: 'failed', failure: 'http-status', httpStatus: 503 });
    expect(record.error).toMatch(/gave up after 10 attempts/);
    expect(record.nextAttemptAt).toBeUndefined();
  });

  it('honours a 429 Retry-After longer than the schedule', async () => {
    receiver.answer = (_req, res) => {
      res.writeHead(429, { 'retry-after': '120' });
      res.end();
    };
    const record = await deliverWebhook(deps(), endpointAt(receiver.url()), issuedMessage(), 1);
    expect(record.status).toBe('retrying');
    expect(Date.parse(record.nextAttemptAt!) - Date.parse(record.at)).toBeGreaterThanOrEqual(120_000);
  });

  it('records 410 Gone as failed and says to disable the endpoint', async () => {
    receiver.answer = (_req, res) => {
      res.statusCode = 410;
      res.end('unsubscribed');
    };
    const record = await deliverWebhook(deps(), endpointAt(receiver.url()), issuedMessage(), 1);
    expect(record).toMatchObject({
      status: 'failed',
      failure: 'gone',
      httpStatus: 410,
      disableEndpoint: true,
      response: 'unsubscribed',
    });
    expect(record.nextAttemptAt).toBeUndefined();
  });

  it('records another 4xx as failed, without disabling the endpoint', async () => {
    receiver.answer = (_req, res) => {
      res.statusCode = 401;
      res.end('bad signature');
    };
    const record = await deliverWebhook(deps(), endpointAt(receiver.url()), issuedMessage(), 1);
    expect(record).toMatchObject({ status: 'failed', failure: 'http-status', httpStatus: 401 });
    expect(record).not.toHaveProperty('disableEndpoint');
    expect(record).not.toHaveProperty('nextAttemptAt');
  });

  it('does not follow a redirect to another host: the body never leaves for a URL the organizer did not set', async () => {
    receiver.answer = (_req, res) => {
      res.writeHead(307, { location: `http://localhost:${elsewhere.port}/steal?token=abc` });
      res.end();
    };
    const record = await deliverWebhook(deps(), endpointAt(receiver.url()), issuedMessage(true), 1);
    expect(record).toMatchObject({ status: 'retrying', failure: 'redirect', httpStatus: 307 });
    expect(record.error).toContain(`http://localhost:${elsewhere.port}`);
    expect(record.error).not.toContain('token=abc');
    expect(receiver.received).toHaveLength(1);
    // Give a follow-up request time to arrive if one had been made.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(elsewhere.received).toHaveLength(0);
  });

  it('times out a receiver that does not answer, and retries', async () => {
    receiver.answer = () => undefined; // never answers
    const started = Date.now();
    const record = await deliverWebhook(deps({ timeoutMs: 300 }), endpointAt(receiver.url()), issuedMessage(), 1);
    expect(record).toMatchObject({ status: 'retrying', failure: 'timeout' });
    expect(record.error).toMatch(/300 ms/);
    expect(record.durationMs).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('records a 2xx delivered at once, without waiting for a body that never ends', async () => {
    receiver.answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('accepted, still thinking');
      // never ends
    };
    const started = Date.now();
    const record = await deliverWebhook(deps({ timeoutMs: 2_000 }), endpointAt(receiver.url()), issuedMessage(), 1);
    expect(record).toMatchObject({ status: 'delivered', httpStatus: 200 });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('retries a network failure (nothing listening)', async () => {
    const gone = await new Receiver().start();
    const url = gone.url();
    await gone.stop();
    const record = await deliverWebhook(deps(), endpointAt(url), issuedMessage(), 3);
    expect(record).toMatchObject({ status: 'retrying', failure: 'network', attempt: 3 });
    expect(record.error).toMatch(/ECONNREFUSED/);
    expect(Date.parse(record.nextAttemptAt!) - Date.parse(record.at)).toBeGreaterThanOrEqual(RETRY_SCHEDULE_MS[2]!);
  });

  for (const status of [500, 200]) {
    it(`reads at most ${MAX_RESPONSE_BYTES} bytes of a 100 MB answer (HTTP ${status})`, async () => {
      const total = 100 * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let written = 0;
      const closed = new Promise<void>((resolve) => {
        receiver.answer = (_req, res) => {
          res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(total) });
          res.on('close', () => resolve());
          const pump = () => {
            while (written < total && !res.destroyed) {
              written += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            if (written >= total) res.end();
          };
          pump();
        };
      });
      const started = Date.now();
      const record = await deliverWebhook(deps(), endpointAt(receiver.url()), issuedMessage(), 1);
      await closed;
      expect(record.httpStatus).toBe(status);
      expect(record.status).toBe(status === 200 ? 'delivered' : 'retrying');
      if (status === 500) expect(record.response).toHaveLength(MAX_RESPONSE_BYTES);
      // What the server could push into the socket buffers before the client hung up: far from 100 MB.
      expect(written).toBeLessThan(16 * 1024 * 1024);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  }

  it('checks the saved URL again and sends nothing to one no longer allowed', async () => {
    const spy = vi.fn(fetch);
    for (const url of ['http://example.org/hook', 'https://10.0.0.7/hook', receiver.url()]) {
      const record = await deliverWebhook(
        deps({ fetch: spy, allowInsecureLocal: false }),
        endpointAt(url),
        issuedMessage(),
        1,
      );
      expect(record, url).toMatchObject({ status: 'failed', failure: 'refused-url', disableEndpoint: true });
    }
    expect(spy).not.toHaveBeenCalled();
    expect(receiver.received).toHaveLength(0);
  });

  it('records a malformed secret as failed without sending', async () => {
    const spy = vi.fn(fetch);
    const record = await deliverWebhook(
      deps({ fetch: spy }),
      endpointAt(receiver.url(), 'whsec_short'),
      issuedMessage(),
      1,
    );
    expect(record).toMatchObject({ status: 'failed', failure: 'signing' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('passes redirect: manual and a timeout signal to fetch (the injected one included)', async () => {
    const spy = vi.fn(async () => new Response(null, { status: 204 }));
    const record = await deliverWebhook(deps({ fetch: spy }), endpointAt(receiver.url()), issuedMessage(), 1);
    expect(record.status).toBe('delivered');
    const init = (spy.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init).toMatchObject({ method: 'POST', redirect: 'manual' });
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });
});

describe('the retry schedule', () => {
  it("is the spec's example: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h; 10 attempts", () => {
    const hours = (h: number) => h * 3_600_000;
    expect([...RETRY_SCHEDULE_MS]).toEqual([
      5_000,
      300_000,
      1_800_000,
      hours(2),
      hours(5),
      hours(10),
      hours(14),
      hours(20),
      hours(24),
    ]);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(10);
    const waits = Array.from({ length: MAX_DELIVERY_ATTEMPTS }, (_, i) => retryDelayMs(i + 1, () => 0.5));
    expect(waits).toEqual([...RETRY_SCHEDULE_MS, undefined]);
  });

  it('jitters each wait by ±20 %, and takes a Retry-After (capped at 24 h) as a minimum', () => {
    expect(retryDelayMs(2, () => 0)).toBe(240_000);
    expect(retryDelayMs(2, () => 0.999999)).toBeCloseTo(360_000, -1);
    expect(retryDelayMs(1, () => 0.5, 60_000)).toBe(60_000);
    expect(retryDelayMs(1, () => 0.5, 1_000)).toBe(5_000);
    expect(retryDelayMs(1, () => 0.5, 10 * 24 * 3_600_000)).toBe(24 * 3_600_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('endpoint validation', () => {
  it('takes an https URL to a public host, normalized', () => {
    expect(validateEndpointUrl('https://Hooks.Example.org:8443/certforge?x=1')).toBe(
      'https://hooks.example.org:8443/certforge?x=1',
    );
    expect(validateEndpointUrl('https://example.org')).toBe('https://example.org/');
    expect(validateEndpointUrl('https://93.184.216.34/hook')).toBe('https://93.184.216.34/hook');
  });

  it('takes http://localhost and 127.0.0.1 only with allowInsecureLocal (the emulator)', () => {
    for (const url of ['http://localhost:8080/hook', 'http://127.0.0.1:9000/hook', 'http://[::1]:9000/hook']) {
      expect(
        codeOf(() => validateEndpointUrl(url)),
        url,
      ).toBe('WEBHOOK_URL_NOT_HTTPS');
      expect(validateEndpointUrl(url, { allowInsecureLocal: true })).toBe(url);
    }
    expect(codeOf(() => validateEndpointUrl('https://localhost/hook'))).toBe('WEBHOOK_URL_PRIVATE_HOST');
    expect(validateEndpointUrl('https://localhost/hook', { allowInsecureLocal: true })).toBe('https://localhost/hook');
    expect(codeOf(() => validateEndpointUrl('http://example.org/', { allowInsecureLocal: true }))).toBe(
      'WEBHOOK_URL_NOT_HTTPS',
    );
    expect(codeOf(() => validateEndpointUrl('http://10.0.0.1/', { allowInsecureLocal: true }))).toBe(
      'WEBHOOK_URL_NOT_HTTPS',
    );
  });

  it('refuses each kind of bad URL with its code', () => {
    const cases: Array<[unknown, string]> = [
      ['http://example.org/hook', 'WEBHOOK_URL_NOT_HTTPS'],
      ['ftp://example.org/hook', 'WEBHOOK_URL_NOT_HTTPS'],
      ['javascript:alert(1)', 'WEBHOOK_URL_NOT_HTTPS'],
      ['https://user:pass@example.org/hook', 'WEBHOOK_URL_CREDENTIALS'],
      ['https://token@example.org/hook', 'WEBHOOK_URL_CREDENTIALS'],
      ['example.org/hook', 'WEBHOOK_URL_INVALID'],
      ['not a url', 'WEBHOOK_URL_INVALID'],
      ['https://example.org/ho\nok', 'WEBHOOK_URL_INVALID'],
      ['https://example.org/hook#part', 'WEBHOOK_URL_INVALID'],
      [`https://example.org/${'a'.repeat(ENDPOINT_LIMITS.maxUrlLength)}`, 'WEBHOOK_URL_INVALID'],
      [42, 'WEBHOOK_URL_INVALID'],
      [undefined, 'WEBHOOK_URL_INVALID'],
      ['https://10.1.2.3/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://172.20.0.1/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://192.168.1.1/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://169.254.169.254/computeMetadata/v1/', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://127.0.0.1/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://0x7f.1/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://2130706433/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://0.0.0.0/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://[::1]/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://[::ffff:127.0.0.1]/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://[fd00::1]/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://[fe80::1]/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://metadata.google.internal/computeMetadata/v1/', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://localhost./hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://printer.local/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://intranet/hook', 'WEBHOOK_URL_PRIVATE_HOST'],
    ];
    for (const [url, code] of cases)
      expect(
        codeOf(() => validateEndpointUrl(url)),
        String(url),
      ).toBe(code);
  });

  it('checks the event filter: all types by default, known types only, none twice, not empty', () => {
    const endpoint = (eventTypes: unknown) => validateEndpoint({ url: 'https://example.org/hook', eventTypes });
    expect(endpoint(undefined).eventTypes).toEqual([...WEBHOOK_EVENT_TYPES]);
    expect(endpoint(['certificate.revoked']).eventTypes).toEqual(['certificate.revoked']);
    for (const bad of [
      [],
      ['certificate.deleted'],
      ['certificate.issued', 'certificate.issued'],
      'certificate.issued',
    ]) {
      expect(
        codeOf(() => endpoint(bad)),
        JSON.stringify(bad),
      ).toBe('WEBHOOK_EVENT_TYPES_INVALID');
    }
  });

  it('checks the other fields and gives a new endpoint an id', () => {
    const saved = validateEndpoint({ url: 'https://example.org/hook', description: '  CRM  ' });
    expect(saved).toMatchObject({
      url: 'https://example.org/hook',
      includeEmail: false,
      enabled: true,
      description: 'CRM',
    });
    expect(saved.id).toMatch(/^ep_[A-Za-z0-9_-]{16}$/);
    expect(validateEndpoint({ ...saved }).id).toBe(saved.id);
    const bad: unknown[] = [
      null,
      'https://example.org/hook',
      { url: 'https://example.org/hook', secret: 'whsec_x' },
      { url: 'https://example.org/hook', includeEmail: 'true' },
      { url: 'https://example.org/hook', enabled: 1 },
      { url: 'https://example.org/hook', id: 'endpoint-1' },
      { url: 'https://example.org/hook', description: 'x'.repeat(ENDPOINT_LIMITS.maxDescriptionLength + 1) },
    ];
    for (const input of bad)
      expect(
        codeOf(() => validateEndpoint(input)),
        JSON.stringify(input),
      ).toBe('WEBHOOK_ENDPOINT_INVALID');
  });

  it(`allows at most ${ENDPOINT_LIMITS.maxEndpoints} endpoints per event, each URL once`, () => {
    const urls = Array.from({ length: ENDPOINT_LIMITS.maxEndpoints + 1 }, (_, i) => ({
      url: `https://e${i}.example.org/`,
    }));
    expect(validateEndpoints(urls.slice(0, ENDPOINT_LIMITS.maxEndpoints))).toHaveLength(ENDPOINT_LIMITS.maxEndpoints);
    expect(codeOf(() => validateEndpoints(urls))).toBe('WEBHOOK_ENDPOINT_LIMIT');
    expect(
      codeOf(() => validateEndpoints([{ url: 'https://example.org/hook' }, { url: 'https://EXAMPLE.org/hook' }])),
    ).toBe('WEBHOOK_ENDPOINT_DUPLICATE');
    expect(codeOf(() => validateEndpoints({ url: 'https://example.org/hook' }))).toBe('WEBHOOK_ENDPOINT_INVALID');
  });

  it('raises only codes of its own list', () => {
    expect(WEBHOOK_ERROR_CODES).toContain('WEBHOOK_URL_PRIVATE_HOST');
    expect(new WebhookError('WEBHOOK_ENDPOINT_LIMIT', 'x').toJSON()).toMatchObject({
      name: 'WebhookError',
      code: 'WEBHOOK_ENDPOINT_LIMIT',
    });
  });
});

describe("the recipient's email", () => {
  it('is in the payload only for an endpoint that opted in with includeEmail: true', () => {
    const at = new Date('2026-12-01T12:00:00Z');
    expect(certificateEventPayload('certificate.issued', FACTS, {}, at).data).not.toHaveProperty('email');
    expect(certificateEventPayload('certificate.issued', FACTS, { includeEmail: false }, at).data).not.toHaveProperty(
      'email',
    );
    const loose = { includeEmail: 'true' } as unknown as { includeEmail: boolean };
    expect(certificateEventPayload('certificate.issued', FACTS, loose, at).data).not.toHaveProperty('email');
    expect(certificateEventPayload('certificate.issued', FACTS, { includeEmail: true }, at).data.email).toBe(
      'zoe@example.org',
    );
    const noAddress = { ...FACTS, email: 'not an address' };
    expect(
      certificateEventPayload('certificate.issued', noAddress, { includeEmail: true }, at).data,
    ).not.toHaveProperty('email');
  });

  it('carries nothing of the facts but the listed fields', () => {
    const facts = { ...FACTS, pdfPath: 'certificates/x.pdf', pngToken: 'secret' } as CertificateEventFacts;
    const payload = certificateEventPayload(
      'certificate.revoked',
      { ...facts, status: 'revoked', reason: 'duplicate' },
      {},
      new Date(0),
    );
    expect(Object.keys(payload.data).sort()).toEqual(
      ['certificateId', 'eventId', 'participantId', 'recipientName', 'reason', 'role', 'status', 'verifyUrl'].sort(),
    );
    expect(payload).toMatchObject({ type: 'certificate.revoked', timestamp: '1970-01-01T00:00:00.000Z' });
  });

  it('reaches only the receiver that opted in; a filtered or disabled endpoint gets nothing', async () => {
    const endpoints: WebhookEndpointConfig[] = validateEndpoints(
      [
        { url: receiver.url('/crm'), includeEmail: true },
        { url: receiver.url('/slack') },
        { url: receiver.url('/revocations'), eventTypes: ['certificate.revoked'], includeEmail: true },
        { url: receiver.url('/paused'), enabled: false, includeEmail: true },
      ],
      { allowInsecureLocal: true },
    );
    const corrected = { ...FACTS, supersedes: 'BBBBBBBBBBBBBBBBBBBBBB' };
    const planned = planDeliveries(endpoints, 'certificate.corrected', corrected, new Date());
    expect(planned.map((p) => new URL(p.endpoint.url).pathname)).toEqual(['/crm', '/slack']);
    expect(endpoints.filter((endpoint) => endpointWants(endpoint, 'certificate.revoked'))).toHaveLength(3);

    const secrets = new Map(endpoints.map((endpoint) => [endpoint.id, newWebhookSecret()]));
    for (const { endpoint, message } of planned) {
      const record = await deliverWebhook(deps(), { ...endpoint, secret: secrets.get(endpoint.id)! }, message, 1);
      expect(record.status).toBe('delivered');
    }
    const byPath = Object.fromEntries(receiver.received.map((request) => [request.url, request]));
    expect(Object.keys(byPath).sort()).toEqual(['/crm', '/slack']);
    expect(byPath['/crm']!.body).toContain('zoe@example.org');
    expect(byPath['/slack']!.body).not.toContain('zoe@example.org');
    expect(byPath['/slack']!.body).not.toContain('email');
    expect(byPath['/crm']!.headers['webhook-id']).toBe(byPath['/slack']!.headers['webhook-id']);
    for (const { endpoint } of planned) {
      const request = byPath[new URL(endpoint.url).pathname]!;
      const payload = new Webhook(secrets.get(endpoint.id)!).verify(request.body, request.headers);
      expect(payload).toMatchObject({ type: 'certificate.corrected', data: { supersedes: 'BBBBBBBBBBBBBBBBBBBBBB' } });
    }
  });
});
