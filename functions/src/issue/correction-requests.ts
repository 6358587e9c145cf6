/**
 * Corrections asked for by the recipient: "my name is misspelled", "the talk title is wrong".
 * The recipient, signed in with the email the certificate was issued to (verified), asks from the
 * verification page (through the console's /correction/<id> page); the organizer sees the request
 * and approves or declines it; an approval writes the corrected name or title on the participant,
 * and the existing correction path (onSpeakerUpdated / onParticipantWritten) issues the corrected
 * version. Nothing changes without the organizer.
 *
 *   events/{eventId}/correctionRequests/{requestId}
 *     { certificateId, participantPath, current: { name, talkTitle }, requested: { name?, talkTitle? },
 *       note?, status: 'pending' | 'approved' | 'declined' | 'outdated', requestedAt, requestedBy (uid),
 *       decidedAt?, decidedBy?, reason? }
 *
 * Limits: one pending request per participant; CORRECTION_REQUESTS_PER_PARTICIPANT (3) requests a
 * day per participant (participant.correctionRequestedAt); CORRECTION_REQUESTS_PER_EVENT_PER_DAY
 * (200) per event (a sharded daily counter, shared/rate-limits.ts).
 */
import { randomBytes } from 'node:crypto';
import { FieldValue, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import { isSpeakerThemself } from '../shared/access.js';
import { CodedError } from '../shared/errors.js';
import type { ParticipantDoc, PublicCertificate } from '../shared/model.js';
import { toIso } from '../shared/model.js';
import { eventRef, participantKeyOfPath, registryRef } from '../shared/paths.js';
import { nextAllowedAt, nextUtcDay, recentInstants, reserveDaily } from '../shared/rate-limits.js';
import { certificateSubject, MAX_NAME_LENGTH } from '../shared/template-data.js';

export const CORRECTION_REQUESTS_PER_PARTICIPANT = 3;
export const CORRECTION_REQUESTS_PER_EVENT_PER_DAY = 200;
export const MAX_TITLE_LENGTH = 300;
export const MAX_NOTE_LENGTH = 1000;

/**
 * Codes of the correction requests:
 * - CORRECTION_NOT_ALLOWED: the caller is not the certificate's recipient (signed in with the
 *   verified email it was issued to), or the certificate is revoked or replaced;
 * - CORRECTION_UNCHANGED: the request changes nothing;
 * - CORRECTION_PENDING: a request of this participant is already waiting for the organizer;
 * - CORRECTION_NOT_FOUND: no such request in the event (or already decided).
 */
export const CORRECTION_CODES = [
  'CORRECTION_NOT_ALLOWED',
  'CORRECTION_UNCHANGED',
  'CORRECTION_PENDING',
  'CORRECTION_NOT_FOUND',
] as const;
export type CorrectionCode = (typeof CORRECTION_CODES)[number] | 'RATE_LIMITED';

export class CorrectionError extends CodedError<CorrectionCode> {
  override name = 'CorrectionError' as const;
}

/** `outdated`: the participant's certificate or its name/title changed before a decision (nothing was applied). */
export type CorrectionStatus = 'pending' | 'approved' | 'declined' | 'outdated';

export interface CorrectionRequestDoc {
  certificateId: string;
  participantPath: string;
  current: { name: string | null; talkTitle: string | null };
  requested: { name?: string; talkTitle?: string };
  note?: string;
  status: CorrectionStatus;
  requestedAt: Date;
  requestedBy: string;
  decidedAt?: Date;
  decidedBy?: string;
  reason?: string;
}

/** A request as the organizer console lists it: ISO dates, no requester uid. */
export type CorrectionRequestItem = { requestId: string } & Omit<
  CorrectionRequestDoc,
  'requestedAt' | 'decidedAt' | 'requestedBy'
> & { requestedAt: string; decidedAt?: string };

/** What the recipient's page shows: the certificate as issued, and their request if any. */
export interface CorrectionView {
  certificateId: string;
  recipientName: string;
  talkTitle: string | null;
  eventName: string | null;
  /** A newer version replaces it (after an approved correction, say): it can no longer be corrected. */
  replaced: boolean;
  /** The latest request of this participant for this certificate. */
  request: {
    requestId: string;
    status: CorrectionStatus;
    requested: { name?: string; talkTitle?: string };
    reason?: string;
    requestedAt: string;
  } | null;
}

export interface Recipient {
  uid: string;
  token: Record<string, unknown>;
}

const notAllowed = () =>
  new CorrectionError(
    'CORRECTION_NOT_ALLOWED',
    'Only the recipient of a valid certificate, signed in with the email it was issued to, may ask for its correction',
  );

export function correctionRequestsOf(db: Firestore, eventId: string) {
  return eventRef(db, eventId).collection('correctionRequests');
}

/** The registry entry and participant of a certificate the caller received; CORRECTION_NOT_ALLOWED otherwise. */
async function recipientCertificate(
  db: Firestore,
  certificateId: string,
  caller: Recipient,
  { replacedToo = false } = {},
): Promise<{ entry: PublicCertificate; participant: DocumentReference; doc: ParticipantDoc }> {
  const entry = (await registryRef(db, certificateId).get()).data();
  const key = entry ? participantKeyOfPath(entry.participantPath) : undefined;
  // A replaced version may be looked at (the answer to a request made on it), never corrected.
  const usable = entry?.status === 'valid' || (replacedToo && entry?.status === 'superseded');
  if (!entry || !key || !usable) throw notAllowed();
  const participant = db.doc(entry.participantPath);
  const snap = await participant.get();
  const doc = snap.data() as ParticipantDoc | undefined;
  // The same answer whether the certificate is unknown, not theirs, or their email unverified.
  const current = doc?.certificate?.certificateId === certificateId;
  if (!doc || !isSpeakerThemself(doc, caller.token) || !(current || (replacedToo && entry.status === 'superseded')))
    throw notAllowed();
  return { entry, participant, doc };
}

export async function correctionView(db: Firestore, certificateId: string, caller: Recipient): Promise<CorrectionView> {
  const { entry } = await recipientCertificate(db, certificateId, caller, { replacedToo: true });
  const latest = await correctionRequestsOf(db, entry.eventId)
    .where('certificateId', '==', certificateId)
    .orderBy('requestedAt', 'desc')
    .limit(1)
    .get();
  const doc = latest.docs[0];
  const request = doc?.data() as CorrectionRequestDoc | undefined;
  return {
    certificateId,
    recipientName: entry.recipientName,
    talkTitle: entry.talkTitle ?? null,
    eventName: entry.eventName ?? null,
    replaced: entry.status === 'superseded',
    request:
      doc && request
        ? {
            requestId: doc.id,
            status: request.status,
            requested: request.requested,
            ...(request.reason ? { reason: request.reason } : {}),
            requestedAt: toIso(request.requestedAt) ?? '',
          }
        : null,
  };
}

function clean(value: string | undefined, max: number, field: string): string | undefined {
  if (value === undefined) return undefined;
  const text = value
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim();
  if ([...text].length > max)
    throw new CorrectionError('CORRECTION_UNCHANGED', `${field} is longer than ${max} characters`, {
      field,
      limit: max,
    });
  return text;
}

/** The recipient asks for a correction of their name and/or talk title. */
export async function requestCorrection(
  db: Firestore,
  caller: Recipient,
  input: { certificateId: string; name?: string; talkTitle?: string; note?: string },
  now: number = Date.now(),
): Promise<{ requestId: string; status: 'pending' }> {
  const { entry, participant, doc } = await recipientCertificate(db, input.certificateId, caller);
  const current = certificateSubject(doc);
  const name = clean(input.name, MAX_NAME_LENGTH, 'name');
  const talkTitle = clean(input.talkTitle, MAX_TITLE_LENGTH, 'talkTitle');
  const note = clean(input.note, MAX_NOTE_LENGTH, 'note');
  const requested = {
    ...(name && name !== current.name ? { name } : {}),
    // A title is corrected where there is one: an attendee's certificate has none to correct.
    ...(talkTitle !== undefined && current.talkTitle !== null && talkTitle !== current.talkTitle ? { talkTitle } : {}),
  };
  if (!requested.name && requested.talkTitle === undefined)
    throw new CorrectionError('CORRECTION_UNCHANGED', 'The request changes neither the name nor the talk title');
  const requests = correctionRequestsOf(db, entry.eventId);
  const requestId = randomBytes(12).toString('base64url');
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(participant);
    const fresh = snap.data() as
      (ParticipantDoc & { correctionRequestedAt?: unknown; pendingCorrection?: string }) | undefined;
    if (!fresh || fresh.certificate?.certificateId !== input.certificateId) throw notAllowed();
    // A waiting request blocks another for the same certificate; one left from an earlier
    // certificate (replaced since, e.g. by the organizer's own fix) is outdated now.
    let outdated: DocumentReference | undefined;
    if (fresh.pendingCorrection) {
      const pendingRef = requests.doc(fresh.pendingCorrection);
      const pending = (await tx.get(pendingRef)).data() as CorrectionRequestDoc | undefined;
      if (pending?.status === 'pending' && pending.certificateId === input.certificateId)
        throw new CorrectionError(
          'CORRECTION_PENDING',
          'A correction you asked for is waiting for the organizer; you can ask again once they decide',
          { requestId: fresh.pendingCorrection },
        );
      if (pending?.status === 'pending') outdated = pendingRef;
    }
    const recent = recentInstants(fresh.correctionRequestedAt, now);
    if (recent.length >= CORRECTION_REQUESTS_PER_PARTICIPANT)
      throw new CorrectionError(
        'RATE_LIMITED',
        `At most ${CORRECTION_REQUESTS_PER_PARTICIPANT} correction requests in 24 hours; the next is possible after ${nextAllowedAt(recent, CORRECTION_REQUESTS_PER_PARTICIPANT)}`,
        {
          scope: 'participant',
          limit: CORRECTION_REQUESTS_PER_PARTICIPANT,
          retryAfter: nextAllowedAt(recent, CORRECTION_REQUESTS_PER_PARTICIPANT),
        },
      );
    const slot = await reserveDaily(
      tx,
      db,
      { name: 'correction-request', limit: CORRECTION_REQUESTS_PER_EVENT_PER_DAY },
      entry.eventId,
      now,
    );
    if (!slot)
      throw new CorrectionError(
        'RATE_LIMITED',
        `This event has received ${CORRECTION_REQUESTS_PER_EVENT_PER_DAY} correction requests today; try again after ${nextUtcDay(now)}`,
        { scope: 'event', limit: CORRECTION_REQUESTS_PER_EVENT_PER_DAY, retryAfter: nextUtcDay(now) },
      );
    slot.spend(tx);
    if (outdated) tx.update(outdated, { status: 'outdated', decidedAt: new Date(now) });
    const request: CorrectionRequestDoc = {
      certificateId: input.certificateId,
      participantPath: participant.path,
      current,
      requested,
      ...(note ? { note } : {}),
      status: 'pending',
      requestedAt: new Date(now),
      requestedBy: caller.uid,
    };
    tx.set(requests.doc(requestId), request);
    tx.update(participant, {
      pendingCorrection: requestId,
      correctionRequestedAt: [...recent.map((ms) => new Date(ms)), new Date(now)],
    });
  });
  return { requestId, status: 'pending' };
}

/** An organizer's list of an event's requests, newest first. */
export async function listCorrections(
  db: Firestore,
  eventId: string,
  status?: CorrectionStatus,
  limit = 100,
): Promise<CorrectionRequestItem[]> {
  let query = correctionRequestsOf(db, eventId).orderBy('requestedAt', 'desc').limit(limit);
  if (status)
    query = correctionRequestsOf(db, eventId).where('status', '==', status).orderBy('requestedAt', 'desc').limit(limit);
  const snap = await query.get();
  return snap.docs.map((doc) => {
    const { requestedAt, decidedAt, requestedBy: _uid, ...rest } = doc.data() as CorrectionRequestDoc;
    return {
      requestId: doc.id,
      ...rest,
      requestedAt: toIso(requestedAt) ?? '',
      ...(decidedAt ? { decidedAt: toIso(decidedAt) ?? '' } : {}),
    };
  });
}

/**
 * The organizer's decision. Approve: the requested name/title go onto the participant (the
 * correction path issues the corrected version); decline: nothing changes but the request, which
 * keeps the organizer's reason for the recipient to read.
 */
export async function decideCorrection(
  db: Firestore,
  organizerUid: string,
  input: { eventId: string; requestId: string; decision: 'approve' | 'decline'; reason?: string },
  now: number = Date.now(),
): Promise<{ status: CorrectionStatus }> {
  const ref = correctionRequestsOf(db, input.eventId).doc(input.requestId);
  const reason = clean(input.reason, MAX_NOTE_LENGTH, 'reason');
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const request = snap.data() as CorrectionRequestDoc | undefined;
    if (!request || request.status !== 'pending')
      throw new CorrectionError(
        'CORRECTION_NOT_FOUND',
        `No pending correction request ${input.requestId} in this event`,
      );
    const participant = db.doc(request.participantPath);
    const current = (await tx.get(participant)).data() as (ParticipantDoc & { pendingCorrection?: string }) | undefined;
    // An approval applies only to the certificate and the name/title it was asked about: a
    // participant deleted, re-issued or edited since (a ticket passed on to someone else) is
    // not overwritten with an old request.
    const subject = current ? certificateSubject(current) : undefined;
    const unchanged =
      current !== undefined &&
      current.certificate?.certificateId === request.certificateId &&
      subject?.name === request.current.name &&
      subject?.talkTitle === request.current.talkTitle;
    const status: CorrectionStatus = input.decision === 'decline' ? 'declined' : unchanged ? 'approved' : 'outdated';
    tx.update(ref, { status, decidedAt: new Date(now), decidedBy: organizerUid, ...(reason ? { reason } : {}) });
    if (!current) return { status };
    const update: Record<string, unknown> = {};
    if (current.pendingCorrection === input.requestId) update.pendingCorrection = FieldValue.delete();
    if (status === 'approved') {
      if (request.requested.name) update.name = request.requested.name;
      if (request.requested.talkTitle !== undefined) update['talk.title'] = request.requested.talkTitle;
    }
    if (Object.keys(update).length) tx.update(participant, update);
    return { status };
  });
}
