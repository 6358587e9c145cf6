/**
 * The connectors against REAL servers (docs/connectors.md): pretix 2026.8.0 and pretalx 2025.2.2
 * from PyPI on loopback (test/helpers/pretix-server.ts, pretalx-server.ts), the functions on the
 * emulator. pretix's webhooks reach the emulator's pretixWebhook; pretalx is pulled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPretix, type PretixServer } from '../helpers/pretix-server.js';
import { startPretalx, type PretalxServer } from '../helpers/pretalx-server.js';
import {
  admin,
  createEvent,
  createUser,
  eventually,
  sdkCallError,
  sdkCallable,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';

let organizer: TestUser;

beforeAll(async () => {
  admin();
  organizer = await createUser({ claims: { organizer: true } });
});

const participants = (eventId: string) => admin().db.collection('events').doc(eventId).collection('participants');
const speakers = (eventId: string) => admin().db.collection('events').doc(eventId).collection('speakers');

/** Registry entries of one participant document (exactly one per issued version). */
async function entriesOf(path: string) {
  const snap = await admin().db.collection('certificates').where('participantPath', '==', path).get();
  return snap.docs.map((doc) => doc.data());
}

describe('pretix', () => {
  let pretix: PretixServer;
  let eventId: string;
  let webhookUrl: string;

  beforeAll(async () => {
    pretix = await startPretix({ allowMultipleEntries: true });
    eventId = await createEvent({
      organizerUids: [organizer.uid],
      roles: { attendee: { eligibility: { checkins: 1 } } },
    });
  }, 600_000);

  afterAll(async () => {
    await pretix?.stop();
  });

  it('refuses a wrong token with a typed error and stores nothing', async () => {
    const error = await sdkCallError('connectSource', organizer, {
      eventId,
      system: 'pretix',
      baseUrl: pretix.baseUrl,
      organizer: pretix.organizer,
      event: pretix.event,
      token: 'wrongtoken123456',
    });
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details).toMatchObject({ code: 'CONNECTOR_UNAUTHORIZED' });
    expect((await admin().db.collection('eventSecrets').doc(eventId).get()).exists).toBe(false);
  });

  it('connects: an order placed before the connection comes in with the first sync, by the names on the tickets', async () => {
    const early = await pretix.createOrder(
      [
        { nameParts: { given_name: 'Ada', family_name: 'Lovelace' }, email: 'ada@example.org' },
        { name: 'Grace Hopper' },
      ],
      { paid: true, buyerName: 'Buyer Person', buyerEmail: 'buyer@example.org' },
    );
    const result = (
      await sdkCallable('connectSource', organizer, { timeout: 120_000 })({
        eventId,
        system: 'pretix',
        baseUrl: pretix.baseUrl,
        organizer: pretix.organizer,
        event: pretix.event,
        token: pretix.token,
      })
    ).data as { webhookUrl: string; sync: { created: number } };
    expect(result.sync.created).toBe(2);
    webhookUrl = result.webhookUrl;
    expect(webhookUrl).toMatch(new RegExp(`/pretixWebhook/${eventId}/[A-Za-z0-9_-]{43}$`));

    const ada = (await participants(eventId).doc(`pretix-${early.positionIds[0]}`).get()).data()!;
    expect(ada).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      role: 'attendee',
      ticket: { status: 'valid', order: early.code },
    });
    expect((await participants(eventId).doc(`pretix-${early.positionIds[1]}`).get()).get('name')).toBe('Grace Hopper');
    // The token is in eventSecrets, never on the event document clients read.
    const event = (await admin().db.collection('events').doc(eventId).get()).data()!;
    expect(JSON.stringify(event)).not.toContain(pretix.token);
    expect((await admin().db.collection('eventSecrets').doc(eventId).get()).get('pretix.token')).toBe(pretix.token);
    await pretix.createWebhook(webhookUrl, [
      'pretix.event.order.placed',
      'pretix.event.order.paid',
      'pretix.event.order.canceled',
      'pretix.event.order.modified',
      'pretix.event.order.changed.*',
      'pretix.event.checkin',
    ]);
  }, 180_000);

  it('webhooks: a check-in issues that attendee only; a cancellation after issuance revokes with the reason', async () => {
    const order = await pretix.createOrder([{ name: 'Mirela Ionescu' }, { name: 'Tomás Ó Briain' }], { paid: true });
    const [mirela, tomas] = order.positionIds.map((id) => participants(eventId).doc(`pretix-${id}`));
    await eventually(
      async () => (await tomas!.get()).get('eligibility.code'),
      (code) => code === 'NO_ATTENDANCE',
    );
    await pretix.checkIn(order.positionIds[0]!, '2026-09-14T09:30:00Z');
    const certificate = await waitForCertificate(mirela!);
    expect(certificate.status).toBe('ready');
    expect((await tomas!.get()).get('certificate')).toBeUndefined();

    await pretix.cancelOrder(order.code);
    const entry = await eventually(
      async () => (await admin().db.collection('certificates').doc(certificate.certificateId).get()).data()!,
      (value) => value.status === 'revoked',
    );
    expect(entry.revocationReason).toBe('The ticket was cancelled or refunded');
    await eventually(
      async () => (await tomas!.get()).get('eligibility.code'),
      (code) => code === 'TICKET_CANCELED',
    );
  }, 120_000);

  it('a webhook storm (the same notification 100 times, out of order) issues each certificate once', async () => {
    const order = await pretix.createOrder([{ name: 'Storm One' }, { name: 'Storm Two' }], { paid: true });
    await pretix.checkIn(order.positionIds[0]!, '2026-09-15T08:00:00Z');
    await pretix.checkIn(order.positionIds[1]!, '2026-09-15T08:05:00Z');
    const actions = [
      'pretix.event.checkin',
      'pretix.event.order.paid',
      'pretix.event.order.placed',
      'pretix.event.order.modified',
    ];
    // 100 notifications, newest first and mixed actions, 10 in flight at a time (pretix itself
    // sends one at a time; the emulator starts a process per concurrent request).
    const send = (i: number) =>
      fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          notification_id: 1000 - i,
          organizer: pretix.organizer,
          event: pretix.event,
          code: order.code,
          action: actions[i % actions.length],
        }),
      }).then((res) => res.status);
    const answers: number[] = [];
    for (let i = 0; i < 100; i += 10) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => send(i + j)))));
    }
    expect(answers.every((status) => status === 200)).toBe(true);
    for (const id of order.positionIds) {
      await waitForCertificate(participants(eventId).doc(`pretix-${id}`));
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const id of order.positionIds) {
      expect(await entriesOf(`events/${eventId}/participants/pretix-${id}`)).toHaveLength(1);
    }
  }, 180_000);

  it('refuses a wrong key, a bad body and another event, in bounded size', async () => {
    const wrongKey = webhookUrl.replace(/[A-Za-z0-9_-]{43}$/, 'A'.repeat(43));
    expect((await fetch(wrongKey, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(
      (await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":' }))
        .status,
    ).toBe(400);
    const other = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organizer: 'someone', event: 'else', code: 'ABC12', action: 'pretix.event.order.paid' }),
    });
    expect(other.status).toBe(400);
    const huge = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(200_000) }),
    });
    expect(huge.status).toBe(413);
    expect((await fetch(webhookUrl)).status).toBe(405);
  });

  it('a second pull sync changes nothing', async () => {
    const report = (await sdkCallable('syncSource', organizer, { timeout: 120_000 })({ eventId, system: 'pretix' }))
      .data as { created: number; updated: number; unchanged: number; ok: boolean };
    expect(report).toMatchObject({ ok: true, created: 0, updated: 0 });
    expect(report.unchanged).toBeGreaterThanOrEqual(6);
  }, 120_000);

  it('a name fixed in pretix is a corrected version; disconnecting removes the token', async () => {
    const order = await pretix.createOrder([{ name: 'Jon Smiht' }], { paid: true });
    await pretix.checkIn(order.positionIds[0]!, '2026-09-14T10:00:00Z');
    const ref = participants(eventId).doc(`pretix-${order.positionIds[0]}`);
    const first = await waitForCertificate(ref);
    await pretix.changeAttendeeName(order.positionIds[0]!, 'Jon Smith');
    const corrected = await waitForCertificate(ref, {
      settled: (c) => c.status === 'ready' && c.certificateId !== first.certificateId,
    });
    expect(corrected.supersedes).toBe(first.certificateId);

    await sdkCallable('disconnectSource', organizer)({ eventId, system: 'pretix' });
    expect((await admin().db.collection('eventSecrets').doc(eventId).get()).get('pretix')).toBeUndefined();
    expect((await fetch(webhookUrl, { method: 'POST', body: '{}' })).status).toBe(404);
  }, 120_000);
});

describe('pretalx', () => {
  let pretalx: PretalxServer;

  beforeAll(async () => {
    pretalx = await startPretalx();
  }, 600_000);

  afterAll(async () => {
    await pretalx?.stop();
  });

  it('confirmed talks become speakers (co-speakers each, one certificate per talk); a withdrawn talk revokes; a fixed name corrects', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const shared = await pretalx.createSubmission({
      title: 'Reproducible builds for everyone',
      speakers: [
        { name: 'Amina Yusuf', email: 'amina@example.org' },
        { name: 'Kenji Watanabe', email: 'kenji@example.org' },
      ],
    });
    await pretalx.setState(shared.code, 'confirmed');
    const second = await pretalx.createSubmission({
      title: 'SBOMs in practice',
      speakers: [{ name: 'Olga Petrova', email: 'olga@example.org' }],
    });
    await pretalx.setState(second.code, 'confirmed');
    const pending = await pretalx.createSubmission({
      title: 'Not yet decided',
      speakers: [{ name: 'Pending Person', email: 'p@example.org' }],
    });

    const connected = (
      await sdkCallable('connectSource', organizer, { timeout: 120_000 })({
        eventId,
        system: 'pretalx',
        baseUrl: pretalx.baseUrl,
        event: pretalx.event,
        token: pretalx.token,
      })
    ).data as { sync: { created: number } };
    expect(connected.sync.created).toBe(3);
    const ids = [
      ...shared.speakerCodes.map((code) => `pretalx-${shared.code}-${code}`),
      `pretalx-${second.code}-${second.speakerCodes[0]}`,
    ];
    const ready = await Promise.all(ids.map((id) => waitForCertificate(speakers(eventId).doc(id))));
    expect(ready.every((c) => c.status === 'ready')).toBe(true);
    expect((await speakers(eventId).doc(ids[0]!).get()).get('talk.title')).toBe('Reproducible builds for everyone');
    expect((await speakers(eventId).where('source.system', '==', 'pretalx').get()).size).toBe(3);
    expect(pending.code).toBeTruthy();

    await pretalx.changeSpeakerName(second.speakerCodes[0]!, 'Olga Petrova-Smirnova');
    await pretalx.setState(shared.code, 'withdrawn');
    const report = (await sdkCallable('syncSource', organizer, { timeout: 120_000 })({ eventId, system: 'pretalx' }))
      .data as {
      updated: number;
      revoked: number;
    };
    expect(report).toMatchObject({ updated: 1, revoked: 2 });
    for (const certificate of ready.slice(0, 2)) {
      const entry = (await admin().db.collection('certificates').doc(certificate.certificateId).get()).data()!;
      expect(entry).toMatchObject({ status: 'revoked', revocationReason: 'The talk was withdrawn' });
    }
    const corrected = await waitForCertificate(speakers(eventId).doc(ids[2]!), {
      settled: (c) => c.status === 'ready' && c.certificateId !== ready[2]!.certificateId,
    });
    expect(corrected.supersedes).toBe(ready[2]!.certificateId);

    const again = (await sdkCallable('syncSource', organizer, { timeout: 120_000 })({ eventId, system: 'pretalx' }))
      .data;
    expect(again).toMatchObject({ created: 0, updated: 0, revoked: 0 });
  }, 240_000);
});
