/**
 * Bulk issuance of an event's certificates on Cloud Tasks: one task per speaker on the
 * `issueCertificateTask` queue, each running the same idempotent issuing path as the
 * creation trigger (issue-certificate.ts).
 *
 *   events/{eventId}.issuance                               IssuanceProgress (the latest run)
 *   events/{eventId}/issuanceRuns/{runId}                   { total, force, startedAt }
 *   events/{eventId}/issuanceRuns/{runId}/tallies/{speaker} { state: queued|ready|failed|skipped }
 *   events/{eventId}/issuanceRuns/{runId}/shards/{0..63}    { ready, failed, skipped } counters,
 *                                                           { expected, step } set at enrolment
 *
 * Counting is exact and contention-free: a task moves its speaker's tally from `queued` to
 * its outcome and increments ONE of 64 counter shards (chosen by speaker id) in the same
 * transaction, so a retried or duplicated task never counts twice, and no document is
 * written by every task (at 100,000 certificates an hour, a shard takes ~0.4 writes a second;
 * Firestore sustains about one per document). The event's `issuance` summary is recounted
 * from the shards (a read of the run and its 64 shards) only when a task's tally says so:
 * when its shard has counted every speaker enrolled in it (the run may be complete), or for
 * one speaker in `step` (a fixed, hash-chosen sample, ~50 per run, spread over its course).
 * A run then reads ~(50 + 64) × 66 documents for its progress whatever its size, instead of
 * 33 per certificate. The summary is written by a transaction that only moves it forward, at
 * most once per `step` certificates and once a second, and at the end (docs/capacity.md).
 *
 * Re-enqueueing is harmless twice over: task ids are derived from (event, speaker, run),
 * so Cloud Tasks refuses a second task of the same run (task-already-exists), and the
 * issuing path itself does nothing for a certificate already made by this run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { FieldValue, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import { IssueError } from './errors.js';
import type { IssuanceProgress } from '../shared/model.js';
import { eventRef, issuanceRunRef, participantsOf, speakersOf } from '../shared/paths.js';
import { collectionOfRole, participantEligibility, roleIdOf, SPEAKER_ROLE } from '../shared/roles.js';
import type { EventDoc } from '../shared/model.js';
import type { QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { MAX_FORCED_RUNS, nextAllowedAt, recentInstants } from '../shared/rate-limits.js';

export const ISSUE_TASK_FUNCTION = 'issueCertificateTask';
export const COUNTER_SHARDS = 64;
/** Progress updates of the event's summary per run (about). */
export const PROGRESS_STEPS = 50;

/** The payload of one task. */
export interface IssueTaskPayload {
  eventId: string;
  /** The participant's document id. */
  speakerId: string;
  runId: string;
  force: boolean;
  /** A renewal run: each new version's validity period starts now (shared/validity.ts). */
  renew?: true;
  /** Present for other roles than speaker: the participant lives in participants/. */
  collection?: 'participants';
}

export type TallyState = 'queued' | 'ready' | 'failed' | 'skipped';

/** The narrow part of a Cloud Tasks queue this module needs (firebase-admin's TaskQueue). */
export interface TaskEnqueuer {
  /** Resolves 'exists' when a task with this id was already enqueued. */
  enqueue(payload: IssueTaskPayload, taskId: string): Promise<'queued' | 'exists'>;
}

/** A TaskEnqueuer over firebase-admin's TaskQueue (the tasks emulator when CLOUD_TASKS_EMULATOR_HOST is set). */
export function taskEnqueuer(queue: {
  enqueue(payload: IssueTaskPayload, options: { id: string }): Promise<unknown>;
}): TaskEnqueuer {
  return {
    async enqueue(payload, id) {
      try {
        await queue.enqueue(payload, { id });
        return 'queued';
      } catch (error) {
        if ((error as { code?: string }).code === 'functions/task-already-exists') return 'exists';
        throw error;
      }
    },
  };
}

/** Cloud Tasks ids: [A-Za-z0-9_-], deterministic per (event, speaker, run). */
export function issueTaskId(eventId: string, speakerId: string, runId: string): string {
  const digest = createHash('sha256').update(`${eventId}\u0000${speakerId}\u0000${runId}`).digest('hex');
  return `cert-${digest.slice(0, 40)}`;
}

export function shardOf(speakerId: string): number {
  return createHash('sha256').update(speakerId).digest().readUInt32BE(0) % COUNTER_SHARDS;
}

/** Whether this speaker's tally recounts the run: one speaker in `step`, chosen by its id. */
export function samplesProgress(speakerId: string, step: number): boolean {
  return createHash('sha256').update(speakerId).digest().readUInt32BE(4) % Math.max(1, step) === 0;
}

/** The progress step of a run of `total`: the summary moves at most once per step. */
export function progressStep(total: number): number {
  return Math.max(1, Math.floor(total / PROGRESS_STEPS));
}

function runRef(db: Firestore, eventId: string, runId: string): DocumentReference {
  return issuanceRunRef(db, eventId, runId);
}

export interface StartResult {
  runId: string;
  /** Speakers in the run. */
  total: number;
  /** Tasks enqueued by this call. */
  enqueued: number;
  /** Tasks this call found already enqueued (a repeated call). */
  alreadyQueued: number;
  /** True when this call continued an unfinished run with the same `force`. */
  resumed: boolean;
}

const ENQUEUE_CONCURRENCY = 25;
const BATCH = 400;

/**
 * Starts (or resumes) a run: records it on the event, enrolls every speaker (a `queued`
 * tally each) and enqueues one task per speaker not done yet. Calling it again while the
 * run is unfinished resumes the same run: speakers created since are enrolled, and tasks
 * already enqueued are refused by Cloud Tasks as duplicates.
 */
export async function startIssuance(
  db: Firestore,
  queue: TaskEnqueuer,
  request: { eventId: string; force: boolean; renew?: boolean; role?: string },
  now: Date = new Date(),
): Promise<StartResult> {
  const eventDoc = eventRef(db, request.eventId);
  const role = request.role ?? SPEAKER_ROLE;
  const { runId, resumed, eventCreatedAt, event } = await db.runTransaction(async (tx) => {
    const snap = await tx.get(eventDoc);
    const current = snap.data()?.issuance;
    if (
      current &&
      !current.finishedAt &&
      current.force === request.force &&
      (current.renew === true) === (request.renew === true) &&
      (current.role ?? SPEAKER_ROLE) === role
    ) {
      return { runId: current.runId, resumed: true, eventCreatedAt: snap.createTime?.toMillis(), event: snap.data() };
    }
    // One run at a time per event: another role's unfinished run is not replaced (its progress
    // and its resumption would be lost).
    if (current && !current.finishedAt && (current.role ?? SPEAKER_ROLE) !== role) {
      throw new IssueError(
        'RUN_IN_PROGRESS',
        `The bulk run of the event's ${current.role ?? SPEAKER_ROLE}s is not finished yet (${current.ready + current.failed + current.skipped} of ${current.total}); start this one when it is`,
        { role: current.role ?? SPEAKER_ROLE, runId: current.runId },
      );
    }
    // Forced runs (a new version of every certificate, and new files) are limited per event, so
    // that an organizer's account cannot re-issue an event's certificates without end.
    const recent = recentInstants(current?.forcedRunsAt, now.getTime());
    if (request.force) {
      if (recent.length >= MAX_FORCED_RUNS) {
        const retryAfter = nextAllowedAt(recent, MAX_FORCED_RUNS);
        throw new IssueError(
          'RATE_LIMITED',
          `At most ${MAX_FORCED_RUNS} forced runs per event in 24 hours; the next is possible after ${retryAfter}`,
          { scope: 'event', limit: MAX_FORCED_RUNS, windowHours: 24, retryAfter },
        );
      }
      recent.push(now.getTime());
    }
    const forcedRunsAt = recent.map((ms) => new Date(ms));
    const fresh = randomBytes(9).toString('base64url');
    const progress: IssuanceProgress = {
      runId: fresh,
      force: request.force,
      ...(request.renew ? { renew: true } : {}),
      total: 0,
      ready: 0,
      failed: 0,
      skipped: 0,
      startedAt: now,
      finishedAt: null,
      forcedRunsAt,
      ...(role === SPEAKER_ROLE ? {} : { role }),
    };
    tx.update(eventDoc, { issuance: progress });
    // `shards`: the counter layout this run was started with (a run started by an earlier
    // version has none, and its tasks recount it every time).
    tx.set(runRef(db, request.eventId, fresh), {
      total: 0,
      force: request.force,
      startedAt: now,
      role,
      shards: COUNTER_SHARDS,
    });
    return { runId: fresh, resumed: false, eventCreatedAt: snap.createTime?.toMillis(), event: snap.data() };
  });

  const run = runRef(db, request.eventId, runId);
  const collection = collectionOfRole(role);
  const [speakers, tallies] = await Promise.all([
    collection === 'speakers'
      ? speakersOf(db, request.eventId).select().get()
      : participantsOf(db, request.eventId).select('role', 'attendance', 'ticket').get(),
    run.collection('tallies').get(),
  ]);
  // Other roles: only who has earned the certificate is enrolled (the attendee without a
  // check-in is not "failed"; their eligibility record says why).
  // A role's participants are those whose document names it (or none: attendee), however spelled.
  const earned = (doc: QueryDocumentSnapshot) =>
    collection === 'speakers' ||
    (roleIdOf(collection, doc.data()) === role &&
      participantEligibility(event ?? ({} as EventDoc), doc.data()).eligible);
  const state = new Map<string, TallyState>(tallies.docs.map((doc) => [doc.id, doc.get('state') as TallyState]));
  // Speakers older than the event document are leftovers of a deleted event whose id was written
  // again before its cleanup (handlers/callable.ts belongsToEvent): never enrolled.
  const newcomers = speakers.docs
    .filter((doc) => eventCreatedAt === undefined || doc.createTime.toMillis() >= eventCreatedAt)
    .filter(earned)
    .map((doc) => doc.id)
    .filter((id) => !state.has(id));
  // Enrolled in transactions, not blind creates: two concurrent starts of the same run (a
  // double click, a retried call) both list the tallies before either wrote them, and the
  // second one's creates would fail. Each takes what the other enrolled as it finds it.
  for (let i = 0; i < newcomers.length; i += BATCH) {
    const refs = newcomers.slice(i, i + BATCH).map((id) => run.collection('tallies').doc(id));
    const found = await db.runTransaction(async (tx) => {
      const snaps = await tx.getAll(...refs);
      const existing = new Map<string, TallyState>();
      for (const snap of snaps) {
        if (snap.exists) existing.set(snap.id, snap.get('state') as TallyState);
        else tx.create(snap.ref, { state: 'queued' });
      }
      return existing;
    });
    for (const ref of refs) state.set(ref.id, found.get(ref.id) ?? 'queued');
  }
  // Each shard's share of the run: a task whose shard has counted all of it recounts the run.
  const expected = new Array<number>(COUNTER_SHARDS).fill(0);
  for (const id of state.keys()) expected[shardOf(id)]!++;
  const shardRefs = expected.map((_, shard) => run.collection('shards').doc(String(shard)));
  // Only this callable writes `total` (before any task can finish the run, see publish()). Two
  // starts of one run may commit in either order, and tallies are never removed: the larger
  // total, and each shard's larger share, is the newer one.
  const total = await db.runTransaction(async (tx) => {
    const [snap, runSnap, ...shardSnaps] = await tx.getAll(eventDoc, run, ...shardRefs);
    const issuance = snap!.data()?.issuance;
    const runTotal = Math.max(state.size, Number(runSnap!.get('total') ?? 0));
    tx.update(run, { total: runTotal });
    if (issuance?.runId === runId) tx.update(eventDoc, { 'issuance.total': runTotal });
    // Shares only for a run counted with this layout from its start: a run begun by an earlier
    // version has counts under another shard choice, and its tasks keep recounting every time.
    if (runSnap!.get('shards') !== COUNTER_SHARDS) return runTotal;
    const step = progressStep(runTotal);
    expected.forEach((n, shard) => {
      const share = Math.max(n, Number(shardSnaps[shard]!.get('expected') ?? 0));
      if (share > 0) tx.set(shardRefs[shard]!, { expected: share, step, shards: COUNTER_SHARDS }, { merge: true });
    });
    return runTotal;
  });

  const pending = [...state].filter(([, s]) => s === 'queued').map(([id]) => id);
  let enqueued = 0;
  let alreadyQueued = 0;
  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const speakerId = pending[next++]!;
      const result = await queue.enqueue(
        {
          eventId: request.eventId,
          speakerId,
          runId,
          force: request.force,
          ...(request.renew ? { renew: true as const } : {}),
          ...(collection === 'participants' ? { collection } : {}),
        },
        issueTaskId(request.eventId, speakerId, runId),
      );
      if (result === 'queued') enqueued++;
      else alreadyQueued++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(ENQUEUE_CONCURRENCY, pending.length) }, worker));
  // A resumed run whose speakers were all done already: make sure it is marked finished.
  if (pending.length === 0) await publish(db, request.eventId, runId, true);
  return { runId, total, enqueued, alreadyQueued, resumed };
}

export interface TallyResult {
  /** False when it was already counted (a retried or duplicated task) or the speaker is not enrolled. */
  counted: boolean;
  /** Whether the caller should recount the run and publish its progress (publish()). */
  recount: boolean;
}

/**
 * Counts one speaker's outcome in its run, exactly once: the tally moves from `queued` to
 * `state` and one shard is incremented, in one transaction, which also tells whether the run
 * should be recounted now: its shard is complete, the speaker is in the progress sample, the
 * shard has no share of this layout (a run started by an earlier version, or under another
 * COUNTER_SHARDS), or the task was a repeat (whose first attempt may have stopped between its
 * tally and its recount).
 */
export async function tally(
  db: Firestore,
  eventId: string,
  runId: string,
  speakerId: string,
  outcome: Exclude<TallyState, 'queued'>,
): Promise<TallyResult> {
  const run = runRef(db, eventId, runId);
  const tallyRef = run.collection('tallies').doc(speakerId);
  const shardRef = run.collection('shards').doc(String(shardOf(speakerId)));
  return db.runTransaction(async (tx) => {
    const [snap, shard] = await tx.getAll(tallyRef, shardRef);
    if (!snap!.exists || snap!.get('state') !== 'queued') return { counted: false, recount: true };
    tx.update(tallyRef, { state: outcome });
    tx.set(shardRef, { [outcome]: FieldValue.increment(1) }, { merge: true });
    const expected = shard!.get('expected') as unknown;
    const step = Number(shard!.get('step') ?? 1);
    const done =
      1 + Number(shard!.get('ready') ?? 0) + Number(shard!.get('failed') ?? 0) + Number(shard!.get('skipped') ?? 0);
    const recount =
      typeof expected !== 'number' ||
      shard!.get('shards') !== COUNTER_SHARDS ||
      done >= expected ||
      samplesProgress(speakerId, step);
    return { counted: true, recount };
  });
}

/**
 * Recounts a run from its shards and moves the event's summary forward: by at least a step
 * (~2% of the run) since it was last written, and always when it is complete (or when `force`
 * is set). The task whose tally commits last always sees the full count here, since it reads
 * after its own tally committed, and its tally asks for the recount (its shard is complete).
 */
export async function publish(
  db: Firestore,
  eventId: string,
  runId: string,
  force = false,
): Promise<{ progress: IssuanceProgress; finishedNow: boolean } | undefined> {
  const run = runRef(db, eventId, runId);
  const [runSnap, shards] = await Promise.all([run.get(), run.collection('shards').get()]);
  if (!runSnap.exists) return undefined;
  const total = Number(runSnap.get('total') ?? 0);
  const sum = { ready: 0, failed: 0, skipped: 0 };
  for (const shard of shards.docs) {
    sum.ready += Number(shard.get('ready') ?? 0);
    sum.failed += Number(shard.get('failed') ?? 0);
    sum.skipped += Number(shard.get('skipped') ?? 0);
  }
  const done = sum.ready + sum.failed + sum.skipped;
  const complete = total > 0 ? done >= total : force;
  const step = progressStep(total);
  const eventDoc = eventRef(db, eventId);
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(eventDoc);
    const current = snap.data()?.issuance;
    if (!current || current.runId !== runId) return undefined; // a newer run took over
    const known = (current.ready ?? 0) + (current.failed ?? 0) + (current.skipped ?? 0);
    if (done < known || (done === known && (Boolean(current.finishedAt) || !complete)))
      return { progress: current, finishedNow: false };
    // Between steps, the summary waits (the event document is not written by every task), and
    // it is written at most once a second (Firestore sustains about one write per second per
    // document; a small run at full speed takes a step in less).
    const lastWrite = snap.updateTime?.toMillis() ?? 0;
    if (!complete && !force && (done < known + step || Date.now() - lastWrite < 1000))
      return { progress: current, finishedNow: false };
    const next: IssuanceProgress = { ...current, ...sum, total, finishedAt: complete ? new Date() : null };
    tx.update(eventDoc, { issuance: next });
    return { progress: next, finishedNow: complete };
  });
}
