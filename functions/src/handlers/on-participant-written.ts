/**
 * events/{eventId}/participants/{participantId} written (created, updated or deleted): attendees
 * and every other role but speakers (shared/roles.ts). One trigger, because what a write means
 * depends on the document, not on the kind of write: a check-in added to an attendee created
 * yesterday is what earns the certificate.
 *
 *  - deleted: the current certificate is revoked (files kept), as for speakers;
 *  - the participant's `eligibility` is written when it changed (the organizer sees who is not
 *    eligible and why: NO_ATTENDANCE, TOO_FEW_DAYS, TICKET_CANCELED, ...), in a transaction on the
 *    document as it is then (or, when it is issued now, by the claim, in the same write);
 *  - a ticket cancelled or refunded after issuance revokes the certificate with that reason;
 *  - eligible and no certificate: issued (claim `event:<delivery id>`, re-checked in the claim's
 *    transaction, so never before it is earned and exactly once however many writes race);
 *  - name or talk title changed: a corrected version, as for speakers (issue/lifecycle.ts).
 *
 * Retries, the give-up window and rate-limit holds are the speakers' (on-speaker-*.ts).
 */
import type { Change, DocumentSnapshot, FirestoreEvent } from 'firebase-functions/v2/firestore';
import { firestore, issueDeps, objectStore, retryWindowMs } from '../firebase-app.js';
import { issueCertificate, recordRetryExhausted } from '../issue/issue-certificate.js';
import { IssueError } from '../issue/errors.js';
import {
  holdCorrection,
  ownWriteOnly,
  participantAction,
  revokeCertificate,
  revokeOnDelete,
  TICKET_CANCELED_REASON,
  withdrawDownloadLinks,
} from '../issue/lifecycle.js';
import { logCorrection, logRetryExhausted, logRevoked } from '../logs.js';
import type { ParticipantDoc } from '../shared/model.js';
import { eventRef, participantRef, tombstoneRef } from '../shared/paths.js';
import { participantEligibility, sameEligibility } from '../shared/roles.js';
import { TransientError } from '../shared/errors.js';
import { deliveryAgeMinutes, retriesExhausted } from '../shared/retry.js';

type Params = { eventId: string; participantId: string };
export type ParticipantWrittenEvent = FirestoreEvent<Change<DocumentSnapshot> | undefined, Params>;

export async function handleParticipantWritten(event: ParticipantWrittenEvent): Promise<void> {
  const { eventId, participantId } = event.params;
  const db = firestore();
  const at = new Date(event.time);
  const before = event.data?.before.exists ? (event.data.before.data() as ParticipantDoc) : undefined;
  const afterSnap = event.data?.after;
  if (!afterSnap?.exists) {
    const result = await revokeOnDelete(db, before, at);
    if (result && result.kind !== 'not-found') {
      await withdrawDownloadLinks(objectStore(), result.entry);
      logRevoked({
        eventId,
        participantId,
        certificateId: before?.certificate?.certificateId,
        reason: 'participant deleted',
        outcome: result.kind,
      });
    }
    return;
  }
  const after = afterSnap.data() as ParticipantDoc;
  if (ownWriteOnly(before, after)) return;
  const [eventSnap, tombstone] = await Promise.all([eventRef(db, eventId).get(), tombstoneRef(db, eventId).get()]);
  // A participant of no event, of a deleted one, or a leftover older than the event document
  // (a deleted event whose id was written again): nothing is issued.
  if (!eventSnap.exists || tombstone.exists) return;
  const created = afterSnap.createTime?.toDate();
  const eventCreated = eventSnap.createTime?.toDate();
  if (created && eventCreated && created < eventCreated) return;
  const eventDoc = eventSnap.data()!;
  const decision = participantAction(eventDoc, before, after);
  const ref = participantRef(db, { eventId, collection: 'participants', participantId });

  // Recomputed on the document as the transaction reads it: a stale delivery never overwrites a newer conclusion.
  const recordEligibility = () =>
    db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return;
      const current = snap.data()!;
      const eligibility = participantEligibility(eventDoc, current);
      if (!sameEligibility(current.eligibility, eligibility)) tx.update(ref, { eligibility: { ...eligibility, at } });
    });
  // When issuing, the claim records the eligibility in its own write (one write and trigger less).
  if (decision.record && decision.action !== 'issue') await recordEligibility();

  if (decision.action === 'revoke') {
    const certificateId = after.certificate!.certificateId;
    const result = await revokeCertificate(db, certificateId, TICKET_CANCELED_REASON, at);
    if (result.kind !== 'not-found') await withdrawDownloadLinks(objectStore(), result.entry);
    logRevoked({ eventId, participantId, certificateId, reason: 'ticket cancelled', outcome: result.kind });
    return;
  }
  if (decision.action === 'none') return;

  const correcting = decision.action === 'correct';
  try {
    const outcome = await issueCertificate(issueDeps(), {
      eventId,
      speakerId: participantId,
      collection: 'participants',
      claimId: `event:${event.id}`,
      ...(correcting ? { force: true } : {}),
    });
    // Not earned after all (the document changed since this delivery): say so.
    if (outcome.kind === 'ineligible') await recordEligibility();
    if (correcting) {
      logCorrection({ eventId, participantId, outcome: outcome.kind, replaced: after.certificate?.certificateId });
      if (outcome.kind === 'busy')
        throw new TransientError('Another attempt is rendering this certificate; correction retried later');
    }
  } catch (error) {
    if (correcting && error instanceof IssueError && error.code === 'RATE_LIMITED') {
      await holdCorrection(ref, error, at);
      return;
    }
    if (!retriesExhausted({ kind: 'event', time: event.time }, retryWindowMs())) throw error; // redelivered
    const message = `Gave up after ${deliveryAgeMinutes(event.time)} min of retries: ${(error as Error).message ?? error}`;
    logRetryExhausted({ eventId, participantId, deliveryId: event.id, ageMs: Date.now() - at.getTime(), message });
    if (correcting) await holdCorrection(ref, new IssueError('RETRY_EXHAUSTED', message), at);
    else await recordRetryExhausted(ref, message, at);
  }
}
