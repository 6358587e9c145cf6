/**
 * Fault injection on the issuing path, against the real Firestore and Storage emulators: the
 * path runs in this process with the project's own ObjectStore wrapped to fail on cue. The
 * participants are injected (IssueDeps.participantRef) under `faultTests/`, where no creation
 * trigger fires, so nothing races the test; their files go where every certificate's go.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, recordRetryExhausted } from '../../functions/src/issue/issue-certificate.js';
import { initRenderer } from '../../functions/src/render/index.js';
import { admin, createEvent, listFiles } from '../helpers/emulator.js';
import { TransientError } from '../../functions/src/shared/errors.js';
import { bucketStore, type ObjectStore } from '../../functions/src/shared/object-store.js';
import { issueTestDeps, participant } from '../helpers/issue-deps.js';

let realStore: ObjectStore;

beforeAll(async () => {
  realStore = bucketStore(admin().bucket);
  await initRenderer();
});

const unavailable = () => Object.assign(new Error('503 Service Unavailable (injected)'), { code: 503 });

/** The real store, whose upload fails for the first `failures` calls matching `path`. */
function failingUploads(failures: number, match: RegExp): ObjectStore & { calls: string[] } {
  let left = failures;
  const calls: string[] = [];
  return {
    ...realStore,
    calls,
    async upload(path, bytes, options) {
      calls.push(path);
      if (match.test(path) && left > 0) {
        left--;
        throw unavailable();
      }
      return realStore.upload(path, bytes, options);
    },
  };
}

describe('issueCertificate under faults', () => {
  it('retries a failing upload and ends ready, with exactly one PDF (the PNG comes on first request)', async () => {
    const eventId = await createEvent({ organizerUids: ['o'] });
    const ref = participant(eventId, 'flaky');
    await ref.set({ name: 'Søren Kierkegaard', talk: { title: 'Faults' } });
    const store = failingUploads(1, /\.pdf$/);
    const outcome = await issueCertificate(await issueTestDeps(store), {
      eventId,
      speakerId: 'flaky',
      claimId: 'test:flaky',
    });
    const certificate = (await ref.get()).get('certificate');
    expect(certificate.status).toBe('ready');
    expect(outcome.kind).toBe('issued');
    expect(store.calls.filter((path) => path.endsWith('.pdf'))).toHaveLength(2); // failed once, then stored
    const files = await listFiles(`certificates/${eventId}/flaky/`);
    expect(files).toEqual([certificate.pdfPath]);
    const [pdf] = await admin().bucket.file(certificate.pdfPath).download();
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(certificate.sha256);
  });

  it('when Storage stays down: nothing half-written, lease released, and the redelivery finishes the same certificate', async () => {
    const eventId = await createEvent();
    const ref = participant(eventId, 'down');
    await ref.set({ name: 'Ngozi Okonkwo-Iweala', talk: { title: 'Faults' }, certificate: lapsedClaim() });
    const store = failingUploads(100, /\.pdf$/); // every upload fails
    await expect(
      issueCertificate(await issueTestDeps(store), { eventId, speakerId: 'down', claimId: 'test:down' }),
    ).rejects.toBeInstanceOf(TransientError);
    const pending = (await ref.get()).get('certificate');
    expect(pending.status).toBe('rendering');
    expect(pending.leaseUntil).toBe(0);
    expect(await listFiles(`certificates/${eventId}/down/`)).toEqual([]);

    // The platform redelivers the same event: same claim id, Storage healthy again.
    const outcome = await issueCertificate(await issueTestDeps(realStore), {
      eventId,
      speakerId: 'down',
      claimId: 'test:down',
    });
    expect(outcome.kind).toBe('issued');
    const ready = (await ref.get()).get('certificate');
    expect(ready).toMatchObject({
      status: 'ready',
      certificateId: pending.certificateId,
      attempts: pending.attempts + 1,
    });
    expect(await listFiles(`certificates/${eventId}/down/`)).toEqual([ready.pdfPath]);
  });

  it('a redelivery while the first attempt still holds the lease is told to retry later', async () => {
    const eventId = await createEvent();
    const ref = participant(eventId, 'leased');
    await ref.set({
      name: 'Leased',
      talk: { title: 'Faults' },
      certificate: { ...lapsedClaim(), claimId: 'test:leased', leaseUntil: Date.now() + 60_000 },
    });
    await expect(
      issueCertificate(await issueTestDeps(realStore), { eventId, speakerId: 'leased', claimId: 'test:leased' }),
    ).rejects.toBeInstanceOf(TransientError);
    // A different claim (another event, the callable) is told it is busy instead.
    const other = await issueCertificate(await issueTestDeps(realStore), {
      eventId,
      speakerId: 'leased',
      claimId: 'test:other',
    });
    expect(other.kind).toBe('busy');
  });

  it('a speaker deleted while rendering leaves no files behind', async () => {
    const eventId = await createEvent();
    const ref = participant(eventId, 'gone');
    await ref.set({ name: 'Gone Soon', talk: { title: 'Faults' }, certificate: lapsedClaim() });
    const store: ObjectStore = {
      ...realStore,
      async upload(path, bytes, options) {
        await realStore.upload(path, bytes, options);
        if (path.endsWith('.pdf')) await ref.delete(); // deleted between upload and commit
      },
    };
    const outcome = await issueCertificate(await issueTestDeps(store), {
      eventId,
      speakerId: 'gone',
      claimId: 'test:gone',
    });
    expect(outcome.kind).toBe('gone');
    expect(await listFiles(`certificates/${eventId}/gone/`)).toEqual([]);
  });

  it('an attempt whose claim was taken over (same certificate id) leaves the files of the new owner alone', async () => {
    const eventId = await createEvent();
    const ref = participant(eventId, 'slow');
    await ref.set({ name: 'Slow Attempt', talk: { title: 'Faults' }, certificate: lapsedClaim() });
    const store: ObjectStore = {
      ...realStore,
      async upload(path, bytes, options) {
        await realStore.upload(path, bytes, options);
        // Our lease ran out meanwhile and a redelivery took over the same certificate id.
        if (path.endsWith('.pdf')) await ref.update({ 'certificate.attemptId': 'the-other-attempt' });
      },
    };
    const outcome = await issueCertificate(await issueTestDeps(store), {
      eventId,
      speakerId: 'slow',
      claimId: 'test:slow',
    });
    expect(outcome.kind).toBe('gone');
    const current = (await ref.get()).get('certificate');
    expect(current.attemptId).toBe('the-other-attempt');
    expect(await listFiles(`certificates/${eventId}/slow/`)).toEqual([
      `certificates/${eventId}/slow/${current.certificateId}.pdf`,
    ]);
  });

  it('retries that run out end as failed RETRY_EXHAUSTED, but never overwrite a ready certificate', async () => {
    const eventId = await createEvent();
    const pending = participant(eventId, 'pending');
    const done = participant(eventId, 'done');
    await pending.set({ name: 'P', talk: { title: 'Faults' }, certificate: lapsedClaim() });
    await done.set({ name: 'D', talk: { title: 'Faults' }, certificate: { ...lapsedClaim(), status: 'ready' } });
    await recordRetryExhausted(pending, 'gave up', new Date());
    await recordRetryExhausted(done, 'gave up', new Date());
    expect((await pending.get()).get('certificate')).toMatchObject({
      status: 'failed',
      error: { code: 'RETRY_EXHAUSTED' },
    });
    expect((await done.get()).get('certificate.status')).toBe('ready');
  });
});

/** A `rendering` claim by some earlier attempt whose lease has ended. */
function lapsedClaim() {
  return {
    status: 'rendering',
    certificateId: 'LapsedClaimCertificate',
    claimId: 'event:earlier',
    attemptId: 'earlier',
    attempts: 1,
    leaseUntil: 1,
    templateId: 'classic',
    startedAt: new Date(0),
  };
}
