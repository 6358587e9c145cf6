/**
 * Callable `revokeCertificate({ certificateId, reason })`: the event's organizers (or the
 * certforgeAdmin claim) revoke a certificate; /verify/<id> then says `revoked` with the
 * date and reason. Idempotent: revoking again returns the first revocation.
 */
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore, objectStore } from '../firebase-app.js';
import { isOrganizer, type EventDoc, type FirestoreDate, type PublicCertificate } from '../issue/data-model.js';
import { registryRef } from '../issue/issue-certificate.js';
import { MAX_REASON_LENGTH, revokeCertificate, withdrawDownloadLinks } from '../issue/lifecycle.js';
import { logRevoked } from '../logs.js';
import { requestRecord } from './callable-input.js';

export interface RevokeCertificateResult {
  certificateId: string;
  status: 'revoked';
  revokedAt: string;
  reason: string;
  /** False when it was revoked before (the first revocation is kept). */
  changed: boolean;
}

const CERTIFICATE_ID = /^[A-Za-z0-9_-]{16,64}$/;

export function parseRevokeRequest(data: unknown): { certificateId: string; reason: string } {
  const record = requestRecord(data, ['certificateId', 'reason'], '{ certificateId, reason }');
  if (typeof record.certificateId !== 'string' || !CERTIFICATE_ID.test(record.certificateId)) {
    throw new HttpsError('invalid-argument', 'certificateId must be a certificate id');
  }
  const reason = typeof record.reason === 'string' ? record.reason.trim() : '';
  if (!reason) throw new HttpsError('invalid-argument', 'reason is required (shown on the verification page)');
  if ([...reason].length > MAX_REASON_LENGTH) throw new HttpsError('invalid-argument', `reason is longer than ${MAX_REASON_LENGTH} characters`);
  return { certificateId: record.certificateId, reason };
}

function iso(date: FirestoreDate | undefined): string {
  if (!date) return '';
  return ('toDate' in date ? date.toDate() : date).toISOString();
}

export async function handleRevokeCertificate(request: CallableRequest<unknown>): Promise<RevokeCertificateResult> {
  const uid = request.auth?.uid;
  if (!uid) throw new HttpsError('unauthenticated', 'Sign in to revoke a certificate');
  const input = parseRevokeRequest(request.data);
  const db = firestore();
  const entrySnap = await registryRef(db, input.certificateId).get();
  if (!entrySnap.exists) throw new HttpsError('not-found', `No certificate ${input.certificateId}`);
  const entry = entrySnap.data() as PublicCertificate;
  const eventSnap = await db.collection('events').doc(entry.eventId).get();
  const token = request.auth?.token as Record<string, unknown> | undefined;
  if (!isOrganizer((eventSnap.data() ?? {}) as EventDoc, uid, token)) {
    throw new HttpsError('permission-denied', 'Only the organizers of the event may revoke its certificates');
  }
  const result = await revokeCertificate(db, input.certificateId, input.reason, new Date(), uid);
  if (result.kind === 'not-found') throw new HttpsError('not-found', `No certificate ${input.certificateId}`);
  await withdrawDownloadLinks(objectStore(), result.entry);
  logRevoked({ certificateId: input.certificateId, eventId: entry.eventId, uid, outcome: result.kind });
  return {
    certificateId: input.certificateId,
    status: 'revoked',
    revokedAt: iso(result.entry.revokedAt),
    reason: result.entry.revocationReason ?? input.reason,
    changed: result.kind === 'revoked',
  };
}
