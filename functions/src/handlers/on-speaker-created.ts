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
import { MAX_RETRY_AGE_MINUTES } from '../config.js';
import { firestore, issueDeps } from '../firebase-app.js';
import { issueCertificate, recordRetryExhausted } from '../issue/issue-certificate.js';
import { speakerRef } from '../shared/paths.js';
import { logRetryExhausted } from '../logs.js';

export type SpeakerCreatedEvent = FirestoreEvent<QueryDocumentSnapshot | undefined, { eventId: string; speakerId: string }>;

export async function handleSpeakerCreated(event: SpeakerCreatedEvent): Promise<void> {
  const { eventId, speakerId } = event.params;
  try {
    await issueCertificate(issueDeps(), { eventId, speakerId, claimId: `event:${event.id}` });
  } catch (error) {
    const ageMs = Date.now() - Date.parse(event.time);
    const maxAgeMs = MAX_RETRY_AGE_MINUTES.value() * 60_000;
    if (!(ageMs > maxAgeMs)) throw error; // redelivered by the platform
    const message = `Gave up after ${Math.round(ageMs / 60_000)} min of retries: ${(error as Error).message ?? error}`;
    logRetryExhausted({ eventId, speakerId, deliveryId: event.id, ageMs, message });
    await recordRetryExhausted(speakerRef(firestore(), eventId, speakerId), message, new Date());
  }
}
