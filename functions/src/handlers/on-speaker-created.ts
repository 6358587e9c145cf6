/**
 * events/{eventId}/speakers/{speakerId} created → issue the certificate.
 *
 * Delivery is at least once: the issuing path is idempotent (claim in a transaction, files
 * named by certificate id), so a duplicate delivery or a second event for the same speaker
 * changes nothing. A transient failure is rethrown so the platform redelivers the event
 * (the trigger has retry on), until the event is older than CERTFORGE_MAX_RETRY_AGE_MINUTES:
 * then the speaker is recorded as failed with RETRY_EXHAUSTED. Every speaker ends ready or failed.
 */
import type { FirestoreEvent, QueryDocumentSnapshot } from 'firebase-functions/v2/firestore';
import { firestore, issueDeps, retryWindowMs } from '../firebase-app.js';
import { issueCertificate, recordRetryExhausted } from '../issue/issue-certificate.js';
import { speakerRef } from '../shared/paths.js';
import { logRetryExhausted } from '../logs.js';
import { deliveryAgeMinutes, retriesExhausted } from '../shared/retry.js';

export type SpeakerCreatedEvent = FirestoreEvent<
  QueryDocumentSnapshot | undefined,
  { eventId: string; speakerId: string }
>;

export async function handleSpeakerCreated(event: SpeakerCreatedEvent): Promise<void> {
  const { eventId, speakerId } = event.params;
  try {
    await issueCertificate(issueDeps(), { eventId, speakerId, claimId: `event:${event.id}` });
  } catch (error) {
    if (!retriesExhausted({ kind: 'event', time: event.time }, retryWindowMs())) throw error; // redelivered
    const message = `Gave up after ${deliveryAgeMinutes(event.time)} min of retries: ${(error as Error).message ?? error}`;
    logRetryExhausted({
      eventId,
      speakerId,
      deliveryId: event.id,
      ageMs: Date.now() - Date.parse(event.time),
      message,
    });
    await recordRetryExhausted(speakerRef(firestore(), eventId, speakerId), message, new Date());
  }
}
