/**
 * Outbound webhooks on the emulators (docs/webhooks.md): a real HTTP receiver on loopback gets
 * certificate.issued, .corrected and .revoked, each signed per Standard Webhooks and verified
 * here with the official `standardwebhooks` package; a receiver failure is retried by the next
 * task and logged; the email goes only to the endpoint that opted in.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  createEvent,
  createUser,
  eventually,
  sdkCallError,
  sdkCallable,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';

const { Webhook } = createRequire(new URL('../../functions/package.json', import.meta.url))('standardwebhooks') as {
  Webhook: new (secret: string) => { verify(body: string, headers: Record<string, string>): unknown };
};

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let server: Server;
let origin: string;
const received: Received[] = [];
/** Per path: how many of the next requests answer 500. */
const failures = new Map<string, number>();
let organizer: TestUser;

beforeAll(async () => {
  admin();
  organizer = await createUser({ claims: { organizer: true } });
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString() });
      const failing = failures.get(path) ?? 0;
      if (failing > 0) {
        failures.set(path, failing - 1);
        res.writeHead(500).end('down for maintenance');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const at = (path: string) => received.filter((r) => r.path === path);

describe('outbound webhooks', () => {
  it('issued, corrected and revoked reach the endpoints, signed; a failure is retried and logged; email only where opted in', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const plain = `/plain-${eventId}`;
    const crm = `/crm-${eventId}`;
    failures.set(crm, 1);
    const set = (
      await sdkCallable(
        'setWebhookEndpoints',
        organizer,
      )({
        eventId,
        endpoints: [
          { url: `${origin}${plain}` },
          { url: `${origin}${crm}`, includeEmail: true, eventTypes: ['certificate.issued'] },
        ],
      })
    ).data as { endpoints: { id: string; url: string }[]; secrets: Record<string, string> };
    expect(set.endpoints).toHaveLength(2);
    const [plainId, crmId] = set.endpoints.map((e) => e.id);
    expect(set.secrets[plainId!]).toMatch(/^whsec_/);
    // The secrets are not on the event document organizers read.
    const event = (await admin().db.collection('events').doc(eventId).get()).data()!;
    expect(JSON.stringify(event)).not.toContain(set.secrets[plainId!]!);

    const ref = speakerRef(eventId, 'spk');
    await ref.set({ name: 'Nadia Benali', email: 'nadia@example.org' });
    const first = await waitForCertificate(ref);

    const issued = await eventually(
      async () => at(plain),
      (list) => list.length >= 1,
    );
    const message = issued[0]!;
    const payload = new Webhook(set.secrets[plainId!]!).verify(message.body, message.headers) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(payload).toMatchObject({
      type: 'certificate.issued',
      data: {
        certificateId: first.certificateId,
        eventId,
        participantId: 'spk',
        role: 'speaker',
        recipientName: 'Nadia Benali',
      },
    });
    expect(payload.data.email).toBeUndefined();
    expect(() => new Webhook(set.secrets[crmId!]!).verify(message.body, message.headers)).toThrow();

    // The CRM answered 500 once: retried (5 s on the schedule) and then delivered, with the email.
    const crmCalls = await eventually(
      async () => at(crm),
      (list) => list.length >= 2,
      60_000,
    );
    expect(crmCalls[0]!.headers['webhook-id']).toBe(crmCalls[1]!.headers['webhook-id']);
    const crmPayload = new Webhook(set.secrets[crmId!]!).verify(crmCalls[1]!.body, crmCalls[1]!.headers) as {
      data: Record<string, unknown>;
    };
    expect(crmPayload.data.email).toBe('nadia@example.org');
    const log = await eventually(
      async () =>
        (
          await admin()
            .db.collection('events')
            .doc(eventId)
            .collection('webhookDeliveries')
            .doc(`${crmCalls[0]!.headers['webhook-id']}_${crmId}`)
            .get()
        ).data(),
      (value) => value?.status === 'delivered',
    );
    expect(log!.attempts.map((a: { status: string; httpStatus?: number }) => [a.status, a.httpStatus])).toEqual([
      ['retrying', 500],
      ['delivered', 204],
    ]);

    // A correction and a revocation: to the endpoint that wants every type, not to the CRM.
    await ref.update({ name: 'Nadia Benali-Haddad' });
    const corrected = await waitForCertificate(ref, {
      settled: (c) => c.status === 'ready' && c.certificateId !== first.certificateId,
    });
    await sdkCallable(
      'revokeCertificate',
      organizer,
    )({ certificateId: corrected.certificateId, reason: 'Issued by mistake' });
    const types = await eventually(
      async () => at(plain).map((r) => (JSON.parse(r.body) as { type: string; data: { reason?: string } }).type),
      (list) => list.includes('certificate.revoked') && list.includes('certificate.corrected'),
    );
    expect(types.filter((t) => t === 'certificate.issued')).toHaveLength(1);
    const revoked = at(plain).find((r) => r.body.includes('certificate.revoked'))!;
    expect(JSON.parse(revoked.body).data).toMatchObject({
      certificateId: corrected.certificateId,
      reason: 'Issued by mistake',
      status: 'revoked',
    });
    expect(at(crm).some((r) => r.body.includes('certificate.revoked'))).toBe(false);
  }, 120_000);

  it('refuses hosts that are not public and URLs that are not https, with typed errors', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    for (const [url, code] of [
      ['http://example.org/hook', 'WEBHOOK_URL_NOT_HTTPS'],
      ['https://169.254.169.254/latest', 'WEBHOOK_URL_PRIVATE_HOST'],
      ['https://user:pw@example.org/', 'WEBHOOK_URL_CREDENTIALS'],
    ] as const) {
      const error = await sdkCallError('setWebhookEndpoints', organizer, { eventId, endpoints: [{ url }] });
      expect(error.code).toBe('functions/invalid-argument');
      expect(error.details).toMatchObject({ code });
    }
  });
});
