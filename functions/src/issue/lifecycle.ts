/**
 * What happens to a certificate after it is issued: corrections (a new version when the
 * speaker's name or talk title changes), revocation by an organizer, and revocation when
 * the speaker is deleted. Files are kept for the audit trail (until the event is deleted), but
 * a revoked certificate's download links are withdrawn.
 */
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import type { CodedError } from '../shared/errors.js';
import { certificateSubject, sameSubject } from '../shared/template-data.js';
import type { EventDoc, ParticipantDoc, PublicCertificate, SpeakerDoc } from '../shared/model.js';
import { participantEligibility, sameEligibility, ticketCanceled, type Eligibility } from '../shared/roles.js';
import { sameValue } from '../shared/values.js';
import { announcesWebhooks, eventRef, registryRef, webhookOutboxRef } from '../shared/paths.js';
import type { ObjectStore } from '../shared/object-store.js';

/**
 * True when the speaker's current certificate no longer states what the document says:
 * its name or talk title changed since it was rendered. Only settled certificates are
 * corrected (a rendering one is checked again when it commits, which is an update too), and
 * a revoked one stays revoked (an organizer can still force a new one). Writes of the
 * `certificate` field alone never qualify, so the functions' own writes do not loop.
 */
export function correctionNeeded(before: SpeakerDoc | undefined, after: SpeakerDoc | undefined): boolean {
  const certificate = after?.certificate;
  if (!after || !certificate) return false;
  if (certificate.status !== 'ready' && certificate.status !== 'failed') return false;
  if (certificate.revoked) return false;
  const now = certificateSubject(after);
  // A correction to this same subject was held back by a rate limit: writing that down must not
  // trigger it again (generateCertificate({ force }) issues it once the limit allows).
  if (certificate.held && sameSubject(certificate.held.subject, now)) return false;
  // Records made before `subject` existed: compare the document before and after instead.
  const rendered = certificate.subject ?? (before ? certificateSubject(before) : undefined);
  return !sameSubject(rendered, now);
}

/**
 * Records on the speaker that a rate limit held a correction back (`certificate.held`: code,
 * message, retryAfter, the subject it was for), unless the certificate changed meanwhile.
 */
export async function holdCorrection(ref: DocumentReference, error: CodedError, at: Date): Promise<void> {
  await ref.firestore.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const speaker = snap.data() as SpeakerDoc | undefined;
    const certificate = speaker?.certificate;
    if (!speaker || !certificate || (certificate.status !== 'ready' && certificate.status !== 'failed')) return;
    const retryAfter = typeof error.details.retryAfter === 'string' ? error.details.retryAfter : undefined;
    tx.update(ref, {
      'certificate.held': {
        code: error.code,
        message: error.message,
        ...(retryAfter ? { retryAfter } : {}),
        subject: certificateSubject(speaker),
        at,
      },
    });
  });
}

export type RevokeResult =
  { kind: 'revoked'; entry: PublicCertificate } | { kind: 'already'; entry: PublicCertificate } | { kind: 'not-found' };

export const MAX_REASON_LENGTH = 500;

/** What a registry entry says once revoked: the one shape every revocation writes. */
export function revokedFields(at: Date, reason: string, by?: string) {
  return { status: 'revoked' as const, revokedAt: at, revocationReason: reason, ...(by ? { revokedBy: by } : {}) };
}

/**
 * Marks a certificate revoked in the registry (status shown by /verify/<id>) and on the
 * speaker when it is their current certificate. Idempotent: a revoked certificate keeps its
 * first date and reason.
 */
export async function revokeCertificate(
  db: Firestore,
  certificateId: string,
  reason: string,
  at: Date,
  by?: string,
): Promise<RevokeResult> {
  const ref = registryRef(db, certificateId);
  return db.runTransaction(async (tx): Promise<RevokeResult> => {
    const snap = await tx.get(ref);
    if (!snap.exists) return { kind: 'not-found' };
    const entry = snap.data()!;
    if (entry.status === 'revoked') return { kind: 'already', entry };
    const participant = db.doc(entry.participantPath);
    const [speakerSnap, eventSnap] = await Promise.all([tx.get(participant), tx.get(eventRef(db, entry.eventId))]);
    const revoked = revokedFields(at, reason, by);
    tx.update(ref, revoked);
    // Announced to the event's webhooks, in the same transaction (handlers/outbound-webhooks.ts).
    if (announcesWebhooks(eventSnap.data()))
      tx.set(webhookOutboxRef(db, 'certificate.revoked', certificateId), {
        type: 'certificate.revoked',
        certificateId,
        eventId: entry.eventId,
        at,
      });
    const current = speakerSnap.exists ? (speakerSnap.data() as SpeakerDoc).certificate : undefined;
    if (current?.certificateId === certificateId) tx.update(participant, { 'certificate.revoked': { at, reason } });
    return { kind: 'revoked', entry: { ...entry, ...revoked } };
  });
}

/**
 * A revoked certificate's download URLs (bearer links with the file's token, as handed out by
 * generateCertificate and in mails) stop working: its files get new tokens, known to nobody.
 * The files stay (organizers read them through the rules).
 */
export async function withdrawDownloadLinks(store: ObjectStore, entry: PublicCertificate): Promise<void> {
  await Promise.all([entry.pdfPath, entry.pngPath].filter(Boolean).map((path) => store.rotateDownloadToken(path)));
}

export const DELETED_REASON = 'The participant was removed from the event';

/** The speaker document is gone: its current certificate is revoked (files kept). */
export async function revokeOnDelete(
  db: Firestore,
  deleted: SpeakerDoc | undefined,
  at: Date,
): Promise<RevokeResult | undefined> {
  const certificate = deleted?.certificate;
  if (!certificate || certificate.status !== 'ready') return undefined;
  return revokeCertificate(db, certificate.certificateId, DELETED_REASON, at);
}

/** A participant's fields that only the functions write. */
const FUNCTIONS_OWN = new Set(['certificate', 'eligibility', 'pendingCorrection', 'correctionRequestedAt']);

/**
 * True when a participant write needs nothing of the functions and can be left before any read:
 * only their own fields changed (the claim, the commit, an eligibility record), the certificate
 * states what the document says, and no issued certificate has a cancelled ticket. So the two
 * writes of every issuance do not read the event again.
 */
export function ownWriteOnly(before: ParticipantDoc | undefined, after: ParticipantDoc): boolean {
  if (!before) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) if (!FUNCTIONS_OWN.has(key) && !sameValue(before[key], after[key])) return false;
  const certificate = after.certificate;
  if (certificate?.status === 'ready' && !certificate.revoked && ticketCanceled(after)) return false;
  return !correctionNeeded(before, after);
}

/** The reason a revocation states when a ticket was cancelled or refunded after issuance. */
export const TICKET_CANCELED_REASON = 'The ticket was cancelled or refunded';

/**
 * What a participant's write (attendees and other roles, shared/roles.ts) asks the functions to do,
 * decided from the document and the event alone:
 *  - `revoke`: the ticket was cancelled or refunded after the certificate was issued;
 *  - `issue`: the participant has earned the certificate and has none (a late check-in, a new
 *    volunteer): claimed under the delivery's id, so exactly once;
 *  - `correct`: the name or talk title changed since the certificate was rendered;
 *  - `none`.
 * `record` is the eligibility to write on the participant when it differs from what is there.
 */
export function participantAction(
  eventDoc: EventDoc,
  before: ParticipantDoc | undefined,
  after: ParticipantDoc,
): { action: 'revoke' | 'issue' | 'correct' | 'none'; eligibility: Eligibility; record: boolean } {
  const eligibility = participantEligibility(eventDoc, after);
  const record = !sameEligibility(after.eligibility, eligibility);
  const certificate = after.certificate;
  if (certificate?.status === 'ready' && !certificate.revoked && eligibility.code === 'TICKET_CANCELED')
    return { action: 'revoke', eligibility, record };
  if (!eligibility.eligible) return { action: 'none', eligibility, record };
  if (!certificate) return { action: 'issue', eligibility, record };
  if (correctionNeeded(before, after)) return { action: 'correct', eligibility, record };
  return { action: 'none', eligibility, record };
}
