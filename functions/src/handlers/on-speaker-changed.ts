/**
 * events/{eventId}/speakers/{speakerId} updated or deleted.
 *
 * Updated: when the name or talk title differs from what the current certificate states,
 * a corrected version is issued (force, claimed under the delivery's id, so a redelivery
 * does not issue a third version); the old version becomes `superseded` in the registry.
 * If another attempt is rendering, the delivery is retried (retry on) until it settled, within
 * the retry window of every retried trigger (shared/retry.ts retriesExhausted); past it, or when
 * a rate limit holds the correction back, the speaker's `certificate.held` records why.
 *
 * Deleted: the speaker's certificate is revoked in the registry; files are kept.
 */
import type { Change, FirestoreEvent, QueryDocumentSnapshot } from 'firebase-functions/v2/firestore';
import { firestore, issueDeps, objectStore, retryWindowMs } from '../firebase-app.js';
import { issueCertificate } from '../issue/issue-certificate.js';
import { IssueError } from '../issue/errors.js';
import { correctionNeeded, holdCorrection, revokeOnDelete, withdrawDownloadLinks } from '../issue/lifecycle.js';
import { logCorrection, logRevoked } from '../logs.js';
import type { SpeakerDoc } from '../shared/model.js';
import { TransientError, type CodedError } from '../shared/errors.js';
import { deliveryAgeMinutes, retriesExhausted } from '../shared/retry.js';

type Params = { eventId: string; speakerId: string };
export type SpeakerUpdatedEvent = FirestoreEvent<Change<QueryDocumentSnapshot> | undefined, Params>;
export type SpeakerDeletedEvent = FirestoreEvent<QueryDocumentSnapshot | undefined, Params>;

export async function handleSpeakerUpdated(event: SpeakerUpdatedEvent): Promise<void> {
  const before = event.data?.before.data() as SpeakerDoc | undefined;
  const after = event.data?.after.data() as SpeakerDoc | undefined;
  if (!correctionNeeded(before, after)) return;
  const { eventId, speakerId } = event.params;
  const hold = async (error: CodedError) => {
    // The current version stays, and the speaker's certificate says what is held and why.
    await holdCorrection(event.data!.after.ref, error, new Date(event.time));
    logCorrection({
      eventId,
      speakerId,
      outcome: 'held',
      code: error.code,
      replaced: after?.certificate?.certificateId,
    });
  };
  try {
    const outcome = await issueCertificate(issueDeps(), {
      eventId,
      speakerId,
      claimId: `event:${event.id}`,
      force: true,
    });
    logCorrection({ eventId, speakerId, outcome: outcome.kind, replaced: after?.certificate?.certificateId });
    // Someone else is rendering: the correction must still happen once they are done.
    if (outcome.kind === 'busy')
      throw new TransientError('Another attempt is rendering this certificate; correction retried later');
  } catch (error) {
    // A rate limit: never retried blindly for 24 h.
    if (error instanceof IssueError && error.code === 'RATE_LIMITED') return hold(error);
    if (!retriesExhausted({ kind: 'event', time: event.time }, retryWindowMs())) throw error; // redelivered
    // The same give-up rule as every retried trigger: past the window, recorded, not retried.
    const message = `Gave up after ${deliveryAgeMinutes(event.time)} min of retries: ${(error as Error).message ?? error}`;
    return hold(new IssueError('RETRY_EXHAUSTED', message));
  }
}

export async function handleSpeakerDeleted(event: SpeakerDeletedEvent): Promise<void> {
  const deleted = event.data?.data() as SpeakerDoc | undefined;
  const result = await revokeOnDelete(firestore(), deleted, new Date(event.time));
  if (result && result.kind !== 'not-found') {
    await withdrawDownloadLinks(objectStore(), result.entry);
    logRevoked({
      ...event.params,
      certificateId: deleted?.certificate?.certificateId,
      reason: 'speaker deleted',
      outcome: result.kind,
    });
  }
}
