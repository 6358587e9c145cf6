/**
 * Rate limits (functions/src/shared/rate-limits.ts, docs/security.md "Rate limits") on the
 * emulators. The limits with small constants run through the real functions (callable, edit
 * trigger); the per-event daily quotas, whose defaults are in the thousands, through the issuing
 * path in this process with small limits (test/helpers/issue-deps.ts).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../functions/src/issue/issue-certificate.js';
import { initRenderer } from '../../functions/src/render/index.js';
import type { CertificateRecord } from '../../functions/src/shared/model.js';
import { bucketStore, type ObjectStore } from '../../functions/src/shared/object-store.js';
import { MAIL_PER_ADDRESS, REISSUES_PER_PARTICIPANT } from '../../functions/src/shared/rate-limits.js';
import {
  admin,
  callRaw,
  createEvent,
  createUser,
  eventually,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';
import type { DocumentReference } from '../helpers/firebase-admin.js';
import { issueTestDeps, participant } from '../helpers/issue-deps.js';

let store: ObjectStore;
let organizer: TestUser;

beforeAll(async () => {
  store = bucketStore(admin().bucket);
  organizer = await createUser({ claims: { organizer: true } });
  await initRenderer();
});

const certificateOf = async (ref: DocumentReference) => (await ref.get()).get('certificate') as CertificateRecord;

const mailExists = async (certificateId: string) =>
  (await admin().db.collection('mail').doc(certificateId).get()).exists;

describe('mail', () => {
  it(`one address gets at most ${MAIL_PER_ADDRESS} certificate mails in 24 h, however it is spelled and whichever participant or event`, async () => {
    const address = `someone-${randomUUID().slice(0, 8)}@example.org`;
    const spellings = [address, address.toUpperCase(), ` ${address} `, address.replace('someone', 'SomeOne')];
    const deps = await issueTestDeps(store);
    const results: CertificateRecord[] = [];
    for (let i = 0; i <= MAIL_PER_ADDRESS; i++) {
      // A new event for some of them: the limit is per address, not per event or document.
      const eventId = await createEvent({ organizerUids: ['o'], emailOnIssue: true });
      const ref = participant(eventId, `p${i}`);
      await ref.set({ name: `Participant ${i}`, email: spellings[i % spellings.length] });
      expect((await issueCertificate(deps, { eventId, speakerId: `p${i}`, claimId: `test:${i}` })).kind).toBe('issued');
      results.push(await certificateOf(ref));
    }
    const queued = results.slice(0, MAIL_PER_ADDRESS);
    for (const certificate of queued) {
      expect(certificate.mail).toEqual({ status: 'queued' });
      expect(await mailExists(certificate.certificateId)).toBe(true);
    }
    const held = results[MAIL_PER_ADDRESS]!;
    expect(held.status).toBe('ready'); // the certificate itself is issued
    expect(held.mail).toEqual({ status: 'held', reason: 'ADDRESS_LIMIT' });
    expect(await mailExists(held.certificateId)).toBe(false);
  });

  it("an event's mails per UTC day stop at its quota; a participant is mailed once per 24 h", async () => {
    const deps = await issueTestDeps(store, { limits: { mailsPerEventPerDay: 2, reissuesPerEventPerDay: 100 } });
    const eventId = await createEvent({ organizerUids: ['o'], emailOnIssue: true });
    const records: CertificateRecord[] = [];
    for (const id of ['a', 'b', 'c']) {
      const ref = participant(eventId, id);
      await ref.set({ name: `Person ${id}`, email: `${id}-${randomUUID().slice(0, 8)}@example.org` });
      await issueCertificate(deps, { eventId, speakerId: id, claimId: `test:${id}` });
      records.push(await certificateOf(ref));
    }
    expect(records.map((c) => c.mail)).toEqual([
      { status: 'queued' },
      { status: 'queued' },
      { status: 'held', reason: 'EVENT_LIMIT' },
    ]);
    // A new version of a mailed participant within 24 h is issued, not mailed again.
    await issueCertificate(deps, { eventId, speakerId: 'a', claimId: 'test:a-again', force: true });
    const again = await certificateOf(participant(eventId, 'a'));
    expect(again.certificateId).not.toBe(records[0]!.certificateId);
    expect(again.mail).toEqual({ status: 'held', reason: 'PARTICIPANT_WINDOW' });
    // Without an address there is nothing to mail, and it says so.
    const ref = participant(eventId, 'nomail');
    await ref.set({ name: 'No Mail' });
    await issueCertificate(deps, { eventId, speakerId: 'nomail', claimId: 'test:nomail' });
    expect((await certificateOf(ref)).mail).toEqual({ status: 'held', reason: 'NO_ADDRESS' });
  });
});

describe('re-renders', () => {
  it("an event's new versions per UTC day stop at its quota, across participants; the current versions stay", async () => {
    const deps = await issueTestDeps(store, { limits: { mailsPerEventPerDay: 100, reissuesPerEventPerDay: 3 } });
    const eventId = await createEvent({ organizerUids: ['o'] });
    for (const id of ['a', 'b', 'c', 'd']) {
      await participant(eventId, id).set({ name: `Person ${id}` });
      await issueCertificate(deps, { eventId, speakerId: id, claimId: `test:${id}` });
    }
    for (const id of ['a', 'b', 'c'])
      expect(
        (await issueCertificate(deps, { eventId, speakerId: id, claimId: `test:${id}:2`, force: true })).kind,
      ).toBe('issued');
    const before = await certificateOf(participant(eventId, 'd'));
    const error = await issueCertificate(deps, { eventId, speakerId: 'd', claimId: 'test:d:2', force: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { scope: 'event', limit: 3, retryAfter: expect.any(String) },
    });
    expect(await certificateOf(participant(eventId, 'd'))).toEqual(before);
    // First issues are never limited.
    await participant(eventId, 'e').set({ name: 'Person e' });
    expect((await issueCertificate(deps, { eventId, speakerId: 'e', claimId: 'test:e' })).kind).toBe('issued');
  });

  it(`generateCertificate({ force }) gives a participant at most ${REISSUES_PER_PARTICIPANT} new versions in 24 h, then resource-exhausted`, async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ref = speakerRef(eventId, 'ada');
    await ref.set({ name: 'Ada Lovelace' });
    await waitForCertificate(ref);
    for (let i = 0; i < REISSUES_PER_PARTICIPANT; i++) {
      const { body } = await callRaw(
        'generateCertificate',
        { eventId, speakerId: 'ada', force: true },
        organizer.idToken,
      );
      expect(body.error, `version ${i + 2}`).toBeUndefined();
    }
    const current = await certificateOf(ref);
    const { body } = await callRaw(
      'generateCertificate',
      { eventId, speakerId: 'ada', force: true },
      organizer.idToken,
    );
    expect(body.error).toMatchObject({
      status: 'RESOURCE_EXHAUSTED',
      details: { code: 'RATE_LIMITED', scope: 'participant', limit: REISSUES_PER_PARTICIPANT },
    });
    expect((await certificateOf(ref)).certificateId).toBe(current.certificateId);
  });

  it('name edits past the limit are held on the certificate, not lost and not looping', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ref = speakerRef(eventId, 'grace');
    await ref.set({ name: 'Grace Hopper 0' });
    let certificate = await waitForCertificate(ref);
    for (let i = 1; i <= REISSUES_PER_PARTICIPANT; i++) {
      const previous = certificate.certificateId;
      await ref.update({ name: `Grace Hopper ${i}` });
      certificate = await waitForCertificate(ref, {
        timeoutMs: 60_000,
        settled: (c) => c.status === 'ready' && c.certificateId !== previous,
      });
    }
    await ref.update({ name: 'Grace Brewster Hopper' });
    const held = await eventually(
      () => certificateOf(ref),
      (c) => c.held !== undefined,
      60_000,
    );
    expect(held.certificateId).toBe(certificate.certificateId);
    expect(held.held).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: expect.any(String),
      subject: { name: 'Grace Brewster Hopper', talkTitle: null },
    });
    // Writing `held` did not start another attempt: the record stays as it is.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const later = await certificateOf(ref);
    expect(later.certificateId).toBe(certificate.certificateId);
    expect(later.held).toEqual(held.held);
  });
});
