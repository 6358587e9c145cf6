/**
 * Corrections asked for by the recipient, on the emulators: the recipient (signed in with the
 * verified email the certificate was issued to) asks through `requestCorrection`; strangers, an
 * unverified email and another participant get the same refusal; one request waits at a time and
 * a few a day; the organizer lists them (organizerConsole listCorrections) and approves (the
 * existing correction path issues the corrected version) or declines (nothing changes).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  callRaw,
  createEvent,
  createUser,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';

let organizer: TestUser;
let recipient: TestUser;
let eventId: string;

const call = (user: TestUser | undefined, data: Record<string, unknown>) =>
  callRaw('requestCorrection', data, user?.idToken);
const consoleCall = (data: Record<string, unknown>, user = organizer) =>
  callRaw('organizerConsole', data, user.idToken);

async function issued(id: string, fields: Record<string, unknown>) {
  await speakerRef(eventId, id).set(fields);
  const certificate = await waitForCertificate(speakerRef(eventId, id), { timeoutMs: 60_000 });
  expect(certificate.status).toBe('ready');
  return certificate;
}

beforeAll(async () => {
  organizer = await createUser({ claims: { organizer: true } });
  recipient = await createUser({ email: `Ana.${Date.now()}@Example.org` });
  eventId = await createEvent({ organizerUids: [organizer.uid], name: 'Correctable Conf' });
}, 60_000);

describe('a correction asked for by the recipient', () => {
  it('only the recipient (verified email of the certificate) may see it or ask; everyone else gets the same refusal', async () => {
    const certificate = await issued('ana', {
      name: 'Ana Lukasiewicz',
      email: recipient.email.toLowerCase(),
      talk: { title: 'Trust in PDFs' },
    });
    const view = await call(recipient, { certificateId: certificate.certificateId, action: 'view' });
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body.result).toMatchObject({
      recipientName: 'Ana Lukasiewicz',
      talkTitle: 'Trust in PDFs',
      eventName: 'Correctable Conf',
      request: null,
    });
    const stranger = await createUser();
    // Ben's certificate was issued to an address whose owner never verified it.
    const unverified = await createUser({ emailVerified: false });
    const ben = await issued('ben', { name: 'Ben', email: unverified.email });
    for (const [who, user, certificateId] of [
      ['a stranger', stranger, certificate.certificateId],
      ['its address, unverified', unverified, ben.certificateId],
      ['another participant', recipient, ben.certificateId],
      ['the organizer', organizer, certificate.certificateId],
      ['anyone, an unknown id', recipient, 'AAAAAAAAAAAAAAAAAAAAAA'],
    ] as const) {
      const refused = await call(user, { certificateId, action: 'request', name: 'Mallory' });
      expect(refused.body.error?.status, who).toBe('PERMISSION_DENIED');
      expect(refused.body.error?.details?.code, who).toBe('CORRECTION_NOT_ALLOWED');
    }
    expect(
      (await call(undefined, { certificateId: certificate.certificateId, action: 'view' })).body.error?.status,
    ).toBe('UNAUTHENTICATED');
    expect(
      (await call(recipient, { certificateId: certificate.certificateId, action: 'request' })).body.error?.details
        ?.code,
    ).toBe('CORRECTION_UNCHANGED');
  });

  it('is approved by the organizer: the corrected version is issued through the correction path', async () => {
    const before = await waitForCertificate(speakerRef(eventId, 'ana'));
    const asked = await call(recipient, {
      certificateId: before.certificateId,
      action: 'request',
      name: '  Ana Łukasiewicz  ',
      note: 'The Ł is missing',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const { requestId } = asked.body.result as { requestId: string };
    // One at a time.
    const again = await call(recipient, { certificateId: before.certificateId, action: 'request', name: 'Ana Ł.' });
    expect(again.body.error?.details?.code).toBe('CORRECTION_PENDING');
    // Nothing changed yet.
    expect((await speakerRef(eventId, 'ana').get()).get('name')).toBe('Ana Lukasiewicz');
    // The template never sees the bookkeeping.
    expect((await speakerRef(eventId, 'ana').get()).get('pendingCorrection')).toBe(requestId);

    const listed = await consoleCall({ action: 'listCorrections', eventId, status: 'pending' });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const [item] = (listed.body.result as { requests: Record<string, unknown>[] }).requests;
    expect(item).toMatchObject({
      requestId,
      certificateId: before.certificateId,
      current: { name: 'Ana Lukasiewicz', talkTitle: 'Trust in PDFs' },
      requested: { name: 'Ana Łukasiewicz' },
      note: 'The Ł is missing',
      status: 'pending',
    });
    expect(item).not.toHaveProperty('requestedBy');
    // Another organizer's console cannot see or decide them.
    const other = await createUser({ claims: { organizer: true } });
    expect((await consoleCall({ action: 'listCorrections', eventId }, other)).body.error?.status).toBe(
      'PERMISSION_DENIED',
    );

    const decided = await consoleCall({ action: 'decideCorrection', eventId, requestId, decision: 'approve' });
    expect(decided.body.result).toEqual({ status: 'approved' });
    const corrected = await waitForCertificate(speakerRef(eventId, 'ana'), {
      timeoutMs: 60_000,
      settled: (c) => c.certificateId !== before.certificateId && c.status !== 'rendering',
    });
    expect(corrected).toMatchObject({ status: 'ready', supersedes: before.certificateId });
    expect(corrected.subject).toEqual({ name: 'Ana Łukasiewicz', talkTitle: 'Trust in PDFs' });
    const entry = (await admin().db.doc(`certificates/${corrected.certificateId}`).get()).data()!;
    expect(entry.recipientName).toBe('Ana Łukasiewicz');
    expect(JSON.parse(entry.credentialJson as string).credentialSubject.identifier[0].identityHash).toBe(
      'Ana Łukasiewicz',
    );
    const speaker = (await speakerRef(eventId, 'ana').get()).data()!;
    expect(speaker.pendingCorrection).toBeUndefined();
    // Deciding twice is refused.
    expect(
      (await consoleCall({ action: 'decideCorrection', eventId, requestId, decision: 'decline' })).body.error?.details
        ?.code,
    ).toBe('CORRECTION_NOT_FOUND');
    // The recipient sees the outcome on the new version's page, and the answer on the old one
    // (replaced now: it can be looked at, not corrected again).
    const view = await call(recipient, { certificateId: corrected.certificateId, action: 'view' });
    expect(view.body.result).toMatchObject({ recipientName: 'Ana Łukasiewicz', replaced: false });
    const old = await call(recipient, { certificateId: before.certificateId, action: 'view' });
    expect(old.body.result).toMatchObject({ replaced: true, request: { requestId, status: 'approved' } });
    const onReplaced = await call(recipient, { certificateId: before.certificateId, action: 'request', name: 'Ana Ł' });
    expect(onReplaced.body.error?.details?.code).toBe('CORRECTION_NOT_ALLOWED');
    const stranger = await createUser();
    expect(
      (await call(stranger, { certificateId: before.certificateId, action: 'view' })).body.error?.details?.code,
    ).toBe('CORRECTION_NOT_ALLOWED');
  });

  it('an approval never overwrites a participant changed since the request (a ticket passed on): it is outdated', async () => {
    const user = await createUser({ email: `carla.${Date.now()}@example.org` });
    const first = await issued('carla', { name: 'Carla Smyth', email: user.email, talk: { title: 'Tickets' } });
    const asked = await call(user, { certificateId: first.certificateId, action: 'request', name: 'Carla Smith' });
    const { requestId } = asked.body.result as { requestId: string };
    // The organizer passes the ticket to Dan before deciding: a new certificate in Dan's name.
    await speakerRef(eventId, 'carla').update({ name: 'Dan Other', email: 'dan@example.org' });
    const dans = await waitForCertificate(speakerRef(eventId, 'carla'), {
      timeoutMs: 60_000,
      settled: (c) => c.certificateId !== first.certificateId && c.status !== 'rendering',
    });
    const decided = await consoleCall({ action: 'decideCorrection', eventId, requestId, decision: 'approve' });
    expect(decided.body.result).toEqual({ status: 'outdated' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = (await speakerRef(eventId, 'carla').get()).data()!;
    expect(after.name).toBe('Dan Other');
    expect(after.pendingCorrection).toBeUndefined();
    expect((await waitForCertificate(speakerRef(eventId, 'carla'))).certificateId).toBe(dans.certificateId);
  });

  it('is declined by the organizer with a reason: nothing changes, the recipient reads why, and may ask again', async () => {
    const current = await waitForCertificate(speakerRef(eventId, 'ana'));
    const asked = await call(recipient, {
      certificateId: current.certificateId,
      action: 'request',
      talkTitle: 'Trust in PDFs, and Everything Else',
    });
    const { requestId } = asked.body.result as { requestId: string };
    const decided = await consoleCall({
      action: 'decideCorrection',
      eventId,
      requestId,
      decision: 'decline',
      reason: 'The programme lists the short title',
    });
    expect(decided.body.result).toEqual({ status: 'declined' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await waitForCertificate(speakerRef(eventId, 'ana'))).certificateId).toBe(current.certificateId);
    const view = await call(recipient, { certificateId: current.certificateId, action: 'view' });
    expect(view.body.result).toMatchObject({
      request: { requestId, status: 'declined', reason: 'The programme lists the short title' },
    });
    // The third request of the day is still allowed; the fourth is not.
    const third = await call(recipient, {
      certificateId: current.certificateId,
      action: 'request',
      talkTitle: 'Trust',
    });
    expect(third.status, JSON.stringify(third.body)).toBe(200);
    await consoleCall({
      action: 'decideCorrection',
      eventId,
      requestId: (third.body.result as { requestId: string }).requestId,
      decision: 'decline',
    });
    const fourth = await call(recipient, { certificateId: current.certificateId, action: 'request', talkTitle: 'T' });
    expect(fourth.body.error?.status).toBe('RESOURCE_EXHAUSTED');
    expect(fourth.body.error?.details?.code).toBe('RATE_LIMITED');
  });
});
