/**
 * Bulk issuance on the emulators' Cloud Tasks: issueEventCertificates enqueues one task per
 * speaker on issueCertificateTask; the event's `issuance` counts end exact, whatever the
 * duplicates, retries and races with the creation trigger.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COUNTER_SHARDS,
  issueTaskId,
  startIssuance,
  taskEnqueuer,
  type IssueTaskPayload,
  type TaskEnqueuer,
} from '../../functions/src/issue/bulk-issuance.js';
import { adminFirestore, adminFunctions } from '../helpers/firebase-admin.js';
import {
  PROJECT_ID,
  REGION,
  admin,
  callRaw,
  createEvent,
  createUser,
  listFiles,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';

let organizer: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  [organizer, stranger] = await Promise.all([createUser(), createUser()]);
});

/** The real task queue of issueCertificateTask, on the tasks emulator. */
function taskQueue(): TaskEnqueuer {
  process.env.CLOUD_TASKS_EMULATOR_HOST ??= '127.0.0.1:9499';
  return taskEnqueuer(
    adminFunctions
      .getFunctions(admin().app)
      .taskQueue<IssueTaskPayload>(`projects/${PROJECT_ID}/locations/${REGION}/functions/issueCertificateTask`),
  );
}

interface Issuance {
  runId: string;
  total: number;
  ready: number;
  failed: number;
  skipped: number;
  finishedAt: unknown;
}

async function finished(eventId: string, runId: string, timeoutMs = 90_000): Promise<Issuance> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const issuance = (await admin().db.collection('events').doc(eventId).get()).get('issuance') as Issuance | undefined;
    if (issuance?.runId === runId && issuance.finishedAt) return issuance;
    if (Date.now() > deadline) throw new Error(`Run ${runId} not finished: ${JSON.stringify(issuance)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function addSpeakers(eventId: string, count: number, prefix = 's'): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  const batch = admin().db.batch();
  for (const id of ids)
    batch.set(speakerRef(eventId, id), { name: `Speaker ${id} Ñúñez`, talk: { title: `Talk ${id}` } });
  await batch.commit();
  return ids;
}

describe('issueEventCertificates', () => {
  it('refuses unauthenticated, non-organizer and malformed calls', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    expect((await callRaw('issueEventCertificates', { eventId })).body.error?.status).toBe('UNAUTHENTICATED');
    expect((await callRaw('issueEventCertificates', { eventId }, stranger.idToken)).body.error?.status).toBe(
      'PERMISSION_DENIED',
    );
    expect(
      (await callRaw('issueEventCertificates', { eventId: 'nope-' + Date.now() }, organizer.idToken)).body.error
        ?.status,
    ).toBe('PERMISSION_DENIED');
    expect((await callRaw('issueEventCertificates', { eventId: 'a/b' }, organizer.idToken)).body.error?.status).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      (await callRaw('issueEventCertificates', { eventId, force: 'yes' }, organizer.idToken)).body.error?.status,
    ).toBe('INVALID_ARGUMENT');
    expect((await callRaw('issueEventCertificates', { eventId, extra: 1 }, organizer.idToken)).body.error?.status).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('races the creation trigger without duplicates: every speaker one certificate, counts exact', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ids = await addSpeakers(eventId, 12);
    // At once, while the creation triggers are still working through the batch.
    const { body } = await callRaw('issueEventCertificates', { eventId }, organizer.idToken);
    expect(body.error).toBeUndefined();
    const result = body.result as { runId: string; total: number; enqueued: number };
    expect(result).toMatchObject({ total: 12, enqueued: 12, resumed: false });
    const issuance = await finished(eventId, result.runId);
    expect(issuance).toMatchObject({ total: 12, ready: 12, failed: 0, skipped: 0 });
    for (const id of ids) {
      const certificate = await waitForCertificate(speakerRef(eventId, id));
      expect(certificate.status).toBe('ready');
      expect(certificate.supersedes).toBeUndefined();
    }
    expect(await listFiles(`certificates/${eventId}/`)).toHaveLength(12); // one PDF each
  });

  it('force re-issues every speaker once: re-enqueued and duplicated tasks change nothing', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ids = await addSpeakers(eventId, 8);
    const before = new Map<string, string>();
    for (const id of ids) before.set(id, (await waitForCertificate(speakerRef(eventId, id))).certificateId);

    const { body } = await callRaw('issueEventCertificates', { eventId, force: true }, organizer.idToken);
    const run = body.result as { runId: string; total: number; enqueued: number };
    expect(run).toMatchObject({ total: 8, enqueued: 8 });
    // Re-enqueueing a task of the run: Cloud Tasks refuses the same id.
    const queue = taskQueue();
    const payload = (speakerId: string) => ({ eventId, speakerId, runId: run.runId, force: true });
    expect(await queue.enqueue(payload('s000'), issueTaskId(eventId, 's000', run.runId))).toBe('exists');
    // A duplicate delivery (Cloud Tasks is at least once) under another id: no new version.
    expect(await queue.enqueue(payload('s001'), `dup-${run.runId}-s001`)).toBe('queued');
    expect(await queue.enqueue(payload('s002'), `dup-${run.runId}-s002`)).toBe('queued');

    const issuance = await finished(eventId, run.runId);
    expect(issuance).toMatchObject({ total: 8, ready: 8, failed: 0, skipped: 0 });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // let the duplicates run
    for (const id of ids) {
      const certificate = await waitForCertificate(speakerRef(eventId, id));
      expect(certificate.claimId).toBe(`run:${run.runId}`);
      expect(certificate.supersedes).toBe(before.get(id));
    }
    // Exactly two versions per speaker: the trigger's and the run's.
    expect(await listFiles(`certificates/${eventId}/`)).toHaveLength(8 * 2);
    expect((await admin().db.collection('events').doc(eventId).get()).get('issuance')).toMatchObject({
      total: 8,
      ready: 8,
    });
    const tallies = await admin()
      .db.collection('events')
      .doc(eventId)
      .collection('issuanceRuns')
      .doc(run.runId)
      .collection('tallies')
      .get();
    expect(tallies.docs.map((d) => d.get('state'))).toEqual(Array(8).fill('ready'));
  });

  it('renew re-issues every certificate with a new validity period; a forced run keeps the period', async () => {
    const eventId = await createEvent({
      organizerUids: [organizer.uid],
      date: '2020-05-01',
      validity: { period: 'P2Y' },
    });
    const ids = await addSpeakers(eventId, 4, 'r');
    for (const id of ids)
      expect(await waitForCertificate(speakerRef(eventId, id))).toMatchObject({
        validFrom: '2020-05-01T00:00:00.000Z',
        validUntil: '2022-05-01T23:59:59.000Z',
      });
    const forced = (await callRaw('issueEventCertificates', { eventId, force: true }, organizer.idToken)).body
      .result as { runId: string };
    await finished(eventId, forced.runId);
    for (const id of ids)
      expect(await waitForCertificate(speakerRef(eventId, id))).toMatchObject({
        validUntil: '2022-05-01T23:59:59.000Z',
      });
    const before = Date.now();
    const { body } = await callRaw('issueEventCertificates', { eventId, renew: true }, organizer.idToken);
    const run = body.result as { runId: string; total: number };
    expect(run.total, JSON.stringify(body)).toBe(4);
    expect(await finished(eventId, run.runId)).toMatchObject({ ready: 4, failed: 0 });
    for (const id of ids) {
      const renewed = await waitForCertificate(speakerRef(eventId, id));
      expect(renewed.claimId).toBe(`run:${run.runId}`);
      expect(Date.parse(renewed.validFrom!)).toBeGreaterThanOrEqual(before - 1000);
      const end = new Date(renewed.validFrom!);
      end.setUTCFullYear(end.getUTCFullYear() + 2);
      expect(renewed.validUntil).toBe(`${end.toISOString().slice(0, 10)}T23:59:59.000Z`);
    }
    expect((await admin().db.collection('events').doc(eventId).get()).get('issuance')).toMatchObject({ renew: true });
  });

  it('two concurrent starts make one run: the second resumes it, every task enqueued once', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ids = await addSpeakers(eventId, 6);
    for (const id of ids) await waitForCertificate(speakerRef(eventId, id));
    const db = admin().db;
    // The tasks reach the real queue once both starts have returned: on a loaded machine the
    // second start's transaction could otherwise retry until the first run had finished, and a
    // second run after a finished one is right, not the race this test is about.
    const held = new Map<string, IssueTaskPayload>();
    const gate: TaskEnqueuer = {
      enqueue: async (payload, id) => (held.has(id) ? 'exists' : (held.set(id, payload), 'queued')),
    };
    const [a, b] = await Promise.all([
      startIssuance(db, gate, { eventId, force: true }),
      startIssuance(db, gate, { eventId, force: true }),
    ]);
    expect(a.runId).toBe(b.runId);
    expect([a.resumed, b.resumed].sort()).toEqual([false, true]);
    expect(a.enqueued + b.enqueued).toBe(6);
    const queue = taskQueue();
    for (const [id, payload] of held) await queue.enqueue(payload, id);
    const issuance = await finished(eventId, a.runId);
    expect(issuance).toMatchObject({ total: 6, ready: 6, failed: 0, skipped: 0 });
    expect(await listFiles(`certificates/${eventId}/`)).toHaveLength(6 * 2);
  });

  it('two starts at the same instant, many times: always one run, every speaker enrolled once, no start fails', async () => {
    // The starts race on the run's tallies (both list them before either writes): enrolment is
    // transactional, so neither fails on the other's tallies. Events whose template is missing
    // fail their speakers at once, so the repetitions render nothing. The tasks go to a queue
    // that keeps them (deduplicated by id, as Cloud Tasks does) instead of running them: with
    // nothing to render, a real queue can finish the first run before the second start's
    // transaction retries, and a second run after a finished one is right, not a race.
    const held = new Set<string>();
    const queue: TaskEnqueuer = {
      enqueue: async (_payload, id) => (held.has(id) ? 'exists' : (held.add(id), 'queued')),
    };
    for (let round = 0; round < 12; round++) {
      const eventId = await createEvent({ organizerUids: [organizer.uid], templateId: 'missing-template' });
      const ids = await addSpeakers(eventId, 6);
      const db = admin().db;
      const [a, b] = await Promise.all([
        startIssuance(db, queue, { eventId, force: false }),
        startIssuance(db, queue, { eventId, force: false }),
      ]);
      expect(a.runId, `round ${round}`).toBe(b.runId);
      expect([a.resumed, b.resumed].sort(), `round ${round}`).toEqual([false, true]);
      expect([a.total, b.total], `round ${round}`).toEqual([6, 6]);
      expect(a.enqueued + b.enqueued, `round ${round}`).toBe(6);
      const tallies = await db
        .collection('events')
        .doc(eventId)
        .collection('issuanceRuns')
        .doc(a.runId)
        .collection('tallies')
        .get();
      expect(tallies.docs.map((doc) => doc.id).sort(), `round ${round}`).toEqual(ids);
    }
  });

  it('a task that finds a dead attempt holding the lease fails, is retried, and the counts end exact', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid], templateId: 'missing-template' });
    const ids = await addSpeakers(eventId, 4);
    // The trigger fails them all (unknown template): a permanent, counted failure.
    for (const id of ids) expect((await waitForCertificate(speakerRef(eventId, id))).status).toBe('failed');
    await admin().db.collection('events').doc(eventId).update({ templateId: 'modern' });
    // A killed attempt left speaker s000 'rendering' with a lease that runs 4 more seconds.
    const stuck = speakerRef(eventId, 's000');
    const dead = (await stuck.get()).get('certificate');
    await stuck.update({
      certificate: {
        ...dead,
        status: 'rendering',
        claimId: 'event:killed',
        attemptId: 'killed',
        leaseUntil: Date.now() + 4000,
      },
    });
    const { body } = await callRaw('issueEventCertificates', { eventId, force: true }, organizer.idToken);
    const result = body.result as { runId: string };
    const issuance = await finished(eventId, result.runId);
    expect(issuance).toMatchObject({ total: 4, ready: 4, failed: 0, skipped: 0 });
    const recovered = await waitForCertificate(stuck);
    expect(recovered).toMatchObject({ status: 'ready', templateId: 'modern' });
    // Took over the dead attempt's certificate id (its files would simply be overwritten).
    expect(recovered.certificateId).toBe(dead.certificateId);
    expect(recovered.attempts).toBeGreaterThan(1);
  });

  it('counts permanent failures and deleted speakers', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    await addSpeakers(eventId, 3);
    for (const id of ['s000', 's001', 's002']) await waitForCertificate(speakerRef(eventId, id));
    // One with a name that cannot fit any template limit, re-issued by force: failed.
    await speakerRef(eventId, 's001').update({ name: 'n'.repeat(400) });
    await waitForCertificate(speakerRef(eventId, 's001'), { settled: (c) => c.status === 'failed' });
    const { body } = await callRaw('issueEventCertificates', { eventId, force: true }, organizer.idToken);
    const result = body.result as { runId: string };
    const issuance = await finished(eventId, result.runId);
    expect(issuance).toMatchObject({ total: 3, ready: 2, failed: 1, skipped: 0 });
  });

  it('each counter shard knows its share of the run; a run begun without shares (an earlier version) still finishes exact', async () => {
    const db = admin().db;
    for (const legacy of [false, true]) {
      const eventId = await createEvent({ organizerUids: [organizer.uid] });
      const ids = await addSpeakers(eventId, 10);
      for (const id of ids) await waitForCertificate(speakerRef(eventId, id));
      const held = new Map<string, IssueTaskPayload>();
      const gate: TaskEnqueuer = { enqueue: async (payload, id) => (held.set(id, payload), 'queued') };
      const { runId } = await startIssuance(db, gate, { eventId, force: true });
      const run = db.collection('events').doc(eventId).collection('issuanceRuns').doc(runId);
      const shards = await run.collection('shards').get();
      // The shares add up to the run, one document per shard that has speakers.
      expect(shards.docs.reduce((sum, doc) => sum + Number(doc.get('expected')), 0)).toBe(10);
      for (const doc of shards.docs) expect(doc.data()).toMatchObject({ step: 1, shards: COUNTER_SHARDS });
      // No progress sample: the run must finish through its shards' completion alone.
      if (!legacy) for (const doc of shards.docs) await doc.ref.update({ step: 1_000_000_007 });
      if (legacy) {
        // As a run started before shares existed: no layout on the run, no shares on its shards;
        // resuming it must not give it shares under the current layout.
        await run.update({ shards: adminFirestore.FieldValue.delete() });
        for (const doc of shards.docs) await doc.ref.delete();
        await startIssuance(db, gate, { eventId, force: true });
        expect((await run.collection('shards').get()).size).toBe(0);
      }
      const queue = taskQueue();
      for (const [id, payload] of held) await queue.enqueue(payload, id);
      expect(await finished(eventId, runId)).toMatchObject({ total: 10, ready: 10, failed: 0, skipped: 0 });
    }
  });

  it('an event without speakers finishes at once', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const { body } = await callRaw('issueEventCertificates', { eventId }, organizer.idToken);
    const result = body.result as { runId: string; total: number };
    expect(result.total).toBe(0);
    expect(await finished(eventId, result.runId, 5000)).toMatchObject({ total: 0, ready: 0, failed: 0 });
  });
});
