/**
 * Bulk issuance on Cloud Tasks (issue/bulk-issuance.ts):
 *
 *   issueEventCertificates  callable { eventId, force?, renew?, role? }, organizers → one task per speaker (or per
 *                           participant of `role` who has earned the certificate)
 *   issueCertificateTask    task queue: issues one speaker's certificate (the same idempotent
 *                           path as the creation trigger), then counts it in the run
 */
import type { Request as TaskRequest } from 'firebase-functions/v2/tasks';
import { z } from 'zod';
import { REGION } from '../config.js';
import { app, firestore, issueDeps } from '../firebase-app.js';
import {
  ISSUE_TASK_FUNCTION,
  publish,
  startIssuance,
  tally,
  taskEnqueuer,
  type IssueTaskPayload,
  type StartResult,
  type TaskEnqueuer,
} from '../issue/bulk-issuance.js';
import { issueCertificate, recordRetryExhausted, RUN_CLAIM_PREFIX } from '../issue/issue-certificate.js';
import { logIssuanceFinished, logIssuanceStarted, logIssuanceTaskIgnored } from '../logs.js';
import { callable, requireOrganizer, requireSignIn } from './callable.js';
import { participantRef } from '../shared/paths.js';
import { TransientError } from '../shared/errors.js';
import { docId, flag, parseInput, requestObject, roleId } from '../shared/request-schema.js';
import { retriesExhausted } from '../shared/retry.js';
import { TASK_MAX_ATTEMPTS } from '../config.js';

/** The callable's request. */
export const IssueEventInput = requestObject('{ eventId, force?, renew?, role? }', {
  eventId: docId('eventId'),
  force: flag('force'),
  /** Renew every certificate of the role: a new version each, whose validity period starts now (implies force). */
  renew: flag('renew'),
  role: roleId('role'),
}).transform(({ renew, force, ...rest }) => ({ ...rest, force: force || renew, ...(renew ? { renew } : {}) }));

/** A task's payload, as startIssuance enqueues it (IssueTaskPayload). */
/**
 * What a task carries. Not strict, unlike the requests of clients: a payload written by a newer
 * producer (one more key) must still be processed while both versions run, as before.
 */
export const IssueTaskInput = z.object({
  eventId: docId('eventId'),
  speakerId: docId('speakerId'),
  runId: z.string({ error: 'runId must be a string' }),
  force: z.boolean({ error: 'force must be a boolean' }),
  renew: z.literal(true).optional(),
  collection: z.literal('participants').optional(),
}) satisfies z.ZodType<IssueTaskPayload>;

export function parseIssueEventRequest(data: unknown): {
  eventId: string;
  force: boolean;
  renew?: boolean;
  role?: string;
} {
  return parseInput(IssueEventInput, data);
}

/**
 * firebase-admin's task queue for issueCertificateTask (the tasks emulator when
 * CLOUD_TASKS_EMULATOR_HOST is set). Loaded here, by the callable that enqueues, not with the
 * module: the task handler of this module (issueCertificateTask's instances) never enqueues.
 */
async function taskQueue(): Promise<TaskEnqueuer> {
  const { getFunctions } = await import('firebase-admin/functions');
  return taskEnqueuer(
    getFunctions(app()).taskQueue<IssueTaskPayload>(`locations/${REGION.value()}/functions/${ISSUE_TASK_FUNCTION}`),
  );
}

export const handleIssueEventCertificates = callable<StartResult>(async (request) => {
  const caller = requireSignIn(request, 'issueEventCertificates', 'issue certificates');
  const input = parseIssueEventRequest(request.data);
  const { uid } = await requireOrganizer(caller, input.eventId, 'issueEventCertificates', 'issue its certificates');
  const result = await startIssuance(firestore(), await taskQueue(), input);
  logIssuanceStarted({ eventId: input.eventId, uid, ...result });
  return result;
});

export async function handleIssueCertificateTask(request: TaskRequest<unknown>): Promise<void> {
  const payload = IssueTaskInput.safeParse(request.data);
  if (!payload.success) {
    // Nothing a retry could fix: acknowledge and log.
    logIssuanceTaskIgnored({ data: request.data as Record<string, unknown> });
    return;
  }
  const { eventId, speakerId, runId, force, renew, collection } = payload.data;
  const key = { eventId, collection: collection ?? ('speakers' as const), participantId: speakerId };
  const db = firestore();
  const lastAttempt = retriesExhausted(
    { kind: 'task', retryCount: request.retryCount, maxAttempts: TASK_MAX_ATTEMPTS },
    0,
  );
  let state: 'ready' | 'failed' | 'skipped';
  try {
    // One claim id per run: a duplicate task of a forced run does not render a third version.
    const outcome = await issueCertificate(issueDeps(), {
      eventId,
      speakerId,
      claimId: `${RUN_CLAIM_PREFIX}${runId}`,
      force,
      ...(renew ? { renew } : {}),
      ...(collection ? { collection } : {}),
    });
    if (outcome.kind === 'gone' || outcome.kind === 'ineligible') state = 'skipped';
    else if (outcome.kind === 'busy') throw new TransientError('Another attempt is rendering this certificate');
    else state = outcome.certificate.status === 'ready' ? 'ready' : 'failed';
  } catch (error) {
    if (!lastAttempt) throw error; // Cloud Tasks retries with backoff
    await recordRetryExhausted(
      participantRef(db, key),
      `Gave up after ${TASK_MAX_ATTEMPTS} task attempts: ${(error as Error).message}`,
      new Date(),
    );
    const snap = await participantRef(db, key).get();
    const status = snap.get('certificate.status');
    state = !snap.exists ? 'skipped' : status === 'ready' ? 'ready' : 'failed';
  }
  const { recount } = await tally(db, eventId, runId, speakerId, state);
  const published = recount ? await publish(db, eventId, runId) : undefined;
  if (published?.finishedNow) {
    const { total, ready, failed, skipped } = published.progress;
    logIssuanceFinished({ eventId, runId, total, ready, failed, skipped });
  }
}
