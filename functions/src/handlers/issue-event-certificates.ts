/**
 * Bulk issuance on Cloud Tasks (issue/bulk-issuance.ts):
 *
 *   issueEventCertificates  callable { eventId, force? }, organizers → one task per speaker
 *   issueCertificateTask    task queue: issues one speaker's certificate (the same idempotent
 *                           path as the creation trigger), then counts it in the run
 */
import { getFunctions } from 'firebase-admin/functions';
import type { CallableRequest } from 'firebase-functions/v2/https';
import type { Request as TaskRequest } from 'firebase-functions/v2/tasks';
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
import { IssueError } from '../issue/errors.js';
import { issueCertificate, recordRetryExhausted, RUN_CLAIM_PREFIX } from '../issue/issue-certificate.js';
import { logIssuanceFinished, logIssuanceStarted, logIssuanceTaskIgnored } from '../logs.js';
import { requestFailure } from './error-mapping.js';
import { booleanField, docIdField, requestRecord, requireOrganizer, requireSignIn } from './callable.js';
import { isValidDocId, speakerRef } from '../shared/paths.js';
import { TransientError } from '../shared/errors.js';
import { retriesExhausted } from '../shared/retry.js';

/** Retry policy of the task queue; the last attempt records RETRY_EXHAUSTED instead of throwing. */
export const TASK_MAX_ATTEMPTS = 8;

export function parseIssueEventRequest(data: unknown): { eventId: string; force: boolean } {
  const record = requestRecord(data, ['eventId', 'force'], '{ eventId, force? }');
  return { eventId: docIdField(record, 'eventId'), force: booleanField(record, 'force') };
}

/** firebase-admin's task queue for issueCertificateTask (the tasks emulator when CLOUD_TASKS_EMULATOR_HOST is set). */
function taskQueue(): TaskEnqueuer {
  return taskEnqueuer(getFunctions(app()).taskQueue<IssueTaskPayload>(`locations/${REGION.value()}/functions/${ISSUE_TASK_FUNCTION}`));
}

export async function handleIssueEventCertificates(request: CallableRequest<unknown>): Promise<StartResult> {
  const caller = requireSignIn(request, 'issueEventCertificates', 'issue certificates');
  const input = parseIssueEventRequest(request.data);
  const { uid } = await requireOrganizer(caller, input.eventId, 'issueEventCertificates', 'issue its certificates');
  let result: StartResult;
  try {
    result = await startIssuance(firestore(), taskQueue(), input);
  } catch (error) {
    if (error instanceof IssueError && error.code === 'RATE_LIMITED') throw requestFailure(error);
    throw error;
  }
  logIssuanceStarted({ eventId: input.eventId, uid, ...result });
  return result;
}

function isPayload(data: unknown): data is IssueTaskPayload {
  const d = data as Partial<IssueTaskPayload> | null;
  return (
    typeof d === 'object' && d !== null && isValidDocId(d.eventId) && isValidDocId(d.speakerId) && typeof d.runId === 'string' && typeof d.force === 'boolean'
  );
}

export async function handleIssueCertificateTask(request: TaskRequest<unknown>): Promise<void> {
  if (!isPayload(request.data)) {
    // Nothing a retry could fix: acknowledge and log.
    logIssuanceTaskIgnored({ data: request.data as Record<string, unknown> });
    return;
  }
  const { eventId, speakerId, runId, force } = request.data;
  const db = firestore();
  const lastAttempt = retriesExhausted({ kind: 'task', retryCount: request.retryCount, maxAttempts: TASK_MAX_ATTEMPTS }, 0);
  let state: 'ready' | 'failed' | 'skipped';
  try {
    // One claim id per run: a duplicate task of a forced run does not render a third version.
    const outcome = await issueCertificate(issueDeps(), { eventId, speakerId, claimId: `${RUN_CLAIM_PREFIX}${runId}`, force });
    if (outcome.kind === 'gone') state = 'skipped';
    else if (outcome.kind === 'busy') throw new TransientError('Another attempt is rendering this certificate');
    else state = outcome.certificate.status === 'ready' ? 'ready' : 'failed';
  } catch (error) {
    if (!lastAttempt) throw error; // Cloud Tasks retries with backoff
    await recordRetryExhausted(speakerRef(db, eventId, speakerId), `Gave up after ${TASK_MAX_ATTEMPTS} task attempts: ${(error as Error).message}`, new Date());
    const snap = await speakerRef(db, eventId, speakerId).get();
    const status = snap.get('certificate.status');
    state = !snap.exists ? 'skipped' : status === 'ready' ? 'ready' : 'failed';
  }
  await tally(db, eventId, runId, speakerId, state);
  const published = await publish(db, eventId, runId);
  if (published?.finishedNow) {
    const { total, ready, failed, skipped } = published.progress;
    logIssuanceFinished({ eventId, runId, total, ready, failed, skipped });
  }
}
