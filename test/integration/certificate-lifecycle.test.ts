/**
 * After issue, on the emulators: the public registry entry, corrections (a name or talk title
 * change issues a new version that supersedes the old), revocation by an organizer, revocation
 * when the speaker is deleted, and the Trigger Email `mail` document (emailOnIssue).
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  callRaw,
  createEvent,
  createUser,
  eventually,
  listFiles,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';
import { pdfToText } from '../helpers/pdf-tools.js';

let organizer: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  [organizer, stranger] = await Promise.all([createUser(), createUser()]);
});

async function registry(certificateId: string): Promise<Record<string, unknown>> {
  const snap = await admin().db.collection('certificates').doc(certificateId).get();
  expect(snap.exists, `registry entry ${certificateId}`).toBe(true);
  return snap.data()!;
}

describe('registry', () => {
  it('a ready certificate has a public entry with what the certificate states, and no private data', async () => {
    const eventId = await createEvent({
      organizerUids: [organizer.uid],
      issuer: 'Open Source Infrastructure Foundation',
    });
    const ref = speakerRef(eventId, 'ada');
    await ref.set({ name: 'عائشة بنت أبي بكر', email: 'aisha@example.org', talk: { title: 'Distributed Consensus' } });
    const certificate = await waitForCertificate(ref);
    expect(certificate.status).toBe('ready');
    const entry = await registry(certificate.certificateId);
    expect(entry).toMatchObject({
      certificateId: certificate.certificateId,
      status: 'valid',
      recipientName: 'عائشة بنت أبي بكر',
      talkTitle: 'Distributed Consensus',
      eventId,
      eventName: 'Open Source Infrastructure Summit 2026',
      eventDate: 'March 12, 2026',
      eventIsoDate: '2026-03-12',
      eventPlace: 'Kraków, Poland',
      issuer: 'Open Source Infrastructure Foundation',
      sha256: certificate.sha256,
      pdfBytes: certificate.pdfBytes,
      participantPath: ref.path,
      verifyUrl: `http://127.0.0.1:5001/demo-certforge/europe-west1/verify/${certificate.certificateId}`,
    });
    expect(JSON.stringify(entry)).not.toContain('aisha@example.org');
    // The URL printed on the certificate is the registry's.
    const [pdf] = await admin().bucket.file(certificate.pdfPath!).download();
    expect(pdfToText(new Uint8Array(pdf))).toContain(certificate.certificateId);
  });
});

describe('corrections', () => {
  it('a changed name issues a new version; the old one is superseded, its files kept; other edits change nothing', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ref = speakerRef(eventId, 'grace');
    await ref.set({ name: 'Grace Hoper', talk: { title: 'Compilers' }, bio: 'Rear admiral' });
    const first = await waitForCertificate(ref);
    expect(first.status).toBe('ready');

    // Not certificate-relevant: no new version.
    await ref.update({ bio: 'Computer scientist' });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await ref.get()).get('certificate.certificateId')).toBe(first.certificateId);

    await ref.update({ name: 'Grace Hopper' });
    const second = await waitForCertificate(ref, {
      settled: (c) => c.certificateId !== first.certificateId && c.status !== 'rendering',
    });
    expect(second).toMatchObject({
      status: 'ready',
      supersedes: first.certificateId,
      subject: { name: 'Grace Hopper', talkTitle: 'Compilers' },
    });
    const [pdf] = await admin().bucket.file(second.pdfPath!).download();
    expect(pdfToText(new Uint8Array(pdf))).toContain('Grace Hopper');

    const old = await eventually(
      () => registry(first.certificateId),
      (e) => e.status === 'superseded',
    );
    expect(old).toMatchObject({ status: 'superseded', supersededBy: second.certificateId });
    expect(await registry(second.certificateId)).toMatchObject({
      status: 'valid',
      supersedes: first.certificateId,
      recipientName: 'Grace Hopper',
    });
    // Both versions' PDFs are kept (audit trail), nothing else.
    expect(await listFiles(`certificates/${eventId}/grace/`)).toHaveLength(2);

    // A talk title change is certificate-relevant too.
    await ref.update({ 'talk.title': 'Compilers and COBOL' });
    const third = await waitForCertificate(ref, {
      settled: (c) => c.certificateId !== second.certificateId && c.status !== 'rendering',
    });
    expect(third.supersedes).toBe(second.certificateId);
    await eventually(
      () => registry(second.certificateId),
      (e) => e.supersededBy === third.certificateId,
    );
    // The trigger settles: no further versions appear.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await ref.get()).get('certificate.certificateId')).toBe(third.certificateId);
    expect(await listFiles(`certificates/${eventId}/grace/`)).toHaveLength(3);
  });

  it('fixing the data of a failed certificate issues it', async () => {
    const eventId = await createEvent();
    const ref = speakerRef(eventId, 'nameless');
    await ref.set({ name: 'x'.repeat(400), talk: { title: 'Abstraction' } });
    const failed = await waitForCertificate(ref);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'LIMIT_EXCEEDED' } });
    await ref.update({ name: 'Barbara Liskov' });
    const fixed = await waitForCertificate(ref, { settled: (c) => c.status === 'ready' });
    expect(fixed.certificateId).not.toBe(failed.certificateId);
    expect(fixed.supersedes).toBeUndefined(); // nothing valid was replaced
  });
});

describe('revokeCertificate', () => {
  it('organizers revoke with a reason; idempotent; others cannot', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ref = speakerRef(eventId, 'mallory');
    await ref.set({ name: 'Mallory Example', talk: { title: 'Spoofing' } });
    const certificate = await waitForCertificate(ref);
    const id = certificate.certificateId;

    expect((await callRaw('revokeCertificate', { certificateId: id, reason: 'x' })).body.error?.status).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await callRaw('revokeCertificate', { certificateId: id, reason: 'x' }, stranger.idToken)).body.error?.status,
    ).toBe('PERMISSION_DENIED');
    expect((await callRaw('revokeCertificate', { certificateId: id }, organizer.idToken)).body.error?.status).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      (await callRaw('revokeCertificate', { certificateId: id, reason: ' ' }, organizer.idToken)).body.error?.status,
    ).toBe('INVALID_ARGUMENT');
    expect(
      (await callRaw('revokeCertificate', { certificateId: id, reason: 'r'.repeat(501) }, organizer.idToken)).body.error
        ?.status,
    ).toBe('INVALID_ARGUMENT');
    expect(
      (await callRaw('revokeCertificate', { certificateId: 'AAAAAAAAAAAAAAAAAAAAAA', reason: 'x' }, organizer.idToken))
        .body.error?.status,
    ).toBe('NOT_FOUND');
    expect(
      (await callRaw('revokeCertificate', { certificateId: '../x', reason: 'x' }, organizer.idToken)).body.error
        ?.status,
    ).toBe('INVALID_ARGUMENT');
    expect((await registry(id)).status).toBe('valid');

    const first = await callRaw(
      'revokeCertificate',
      { certificateId: id, reason: 'Talk was cancelled' },
      organizer.idToken,
    );
    expect(first.body.result).toMatchObject({
      certificateId: id,
      status: 'revoked',
      reason: 'Talk was cancelled',
      changed: true,
    });
    const again = await callRaw(
      'revokeCertificate',
      { certificateId: id, reason: 'Another reason' },
      organizer.idToken,
    );
    expect(again.body.result).toMatchObject({ status: 'revoked', reason: 'Talk was cancelled', changed: false });

    expect(await registry(id)).toMatchObject({
      status: 'revoked',
      revocationReason: 'Talk was cancelled',
      revokedBy: organizer.uid,
    });
    expect((await ref.get()).get('certificate.revoked.reason')).toBe('Talk was cancelled');
    // Files are kept (the PDF; no preview was asked for).
    expect(await listFiles(`certificates/${eventId}/mallory/`)).toHaveLength(1);

    // The public page says so, in HTML and JSON.
    const url = (await registry(id)).verifyUrl as string;
    const json = await fetch(url, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ status: 'revoked' });
    const html = await (await fetch(url)).text();
    expect(html).toMatch(/revoked/i);
    expect(html).toContain('Talk was cancelled');
  });

  it('a revoked certificate is not corrected automatically', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ref = speakerRef(eventId, 'eve');
    await ref.set({ name: 'Eve Example', talk: { title: 'Eavesdropping' } });
    const certificate = await waitForCertificate(ref);
    await callRaw(
      'revokeCertificate',
      { certificateId: certificate.certificateId, reason: 'Fraud' },
      organizer.idToken,
    );
    await ref.update({ name: 'Eve Renamed' });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await ref.get()).get('certificate.certificateId')).toBe(certificate.certificateId);
  });
});

describe('deleting a speaker', () => {
  it('revokes the current certificate; files are kept', async () => {
    const eventId = await createEvent();
    const ref = speakerRef(eventId, 'gone');
    await ref.set({ name: 'Temporary Speaker', talk: { title: 'Ephemera' } });
    const certificate = await waitForCertificate(ref);
    expect(certificate.status).toBe('ready');
    await ref.delete();
    const entry = await eventually(
      () => registry(certificate.certificateId),
      (e) => e.status === 'revoked',
    );
    expect(entry.revocationReason).toBe('The participant was removed from the event');
    expect(await listFiles(`certificates/${eventId}/gone/`)).toHaveLength(1);
  });
});

describe('delivery by email (Trigger Email format)', () => {
  it('emailOnIssue writes a mail document with the verify link and the PDF, at most one per speaker per 24 h', async () => {
    const eventId = await createEvent({ emailOnIssue: true });
    const ref = speakerRef(eventId, 'mailed');
    await ref.set({ name: 'Zoë Müller', email: 'zoe@example.org', talk: { title: 'Umlauts' } });
    const first = await waitForCertificate(ref);
    const mail = await admin().db.collection('mail').doc(first.certificateId).get();
    expect(mail.exists).toBe(true);
    const doc = mail.data()!;
    expect(doc.to).toEqual(['zoe@example.org']);
    expect(doc.message.subject).toContain('Open Source Infrastructure Summit 2026');
    expect(doc.message.html).toContain(`/verify/${first.certificateId}`);
    expect(doc.message.html).toContain('Zoë Müller');
    expect(doc.message.attachments).toHaveLength(1);
    // The attachment URL serves the issued PDF.
    const res = await fetch(doc.message.attachments[0].path);
    expect(res.status).toBe(200);
    expect(
      createHash('sha256')
        .update(Buffer.from(await res.arrayBuffer()))
        .digest('hex'),
    ).toBe(first.sha256);

    await ref.update({ name: 'Zoë Müller-Lüdenscheidt' });
    const second = await waitForCertificate(ref, {
      settled: (c) => c.certificateId !== first.certificateId && c.status === 'ready',
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const mails = await admin().db.collection('mail').where('certforge.participantPath', '==', ref.path).get();
    // The corrected version is issued, but not mailed again within the window (no mail relay).
    expect(second.status).toBe('ready');
    expect(mails.docs.map((d) => d.id)).toEqual([first.certificateId]);
  });

  it('without emailOnIssue, or without a valid email, no mail is written', async () => {
    const quiet = await createEvent();
    const loud = await createEvent({ emailOnIssue: true });
    const a = speakerRef(quiet, 'a');
    const b = speakerRef(loud, 'b');
    await Promise.all([
      a.set({ name: 'Quiet One', email: 'quiet@example.org', talk: { title: 'Silence' } }),
      b.set({ name: 'No Address', email: 'not an email', talk: { title: 'Noise' } }),
    ]);
    const [ca, cb] = await Promise.all([waitForCertificate(a), waitForCertificate(b)]);
    expect([ca.status, cb.status]).toEqual(['ready', 'ready']);
    expect((await admin().db.collection('mail').doc(ca.certificateId).get()).exists).toBe(false);
    expect((await admin().db.collection('mail').doc(cb.certificateId).get()).exists).toBe(false);
  });
});
