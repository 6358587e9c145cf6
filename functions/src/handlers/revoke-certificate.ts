/**
 * Callable `revokeCertificate({ certificateId, reason })`: the event's organizers (or the
 * certforgeAdmin claim) revoke a certificate; /verify/<id> then says `revoked` with the
 * date and reason. Idempotent: revoking again returns the first revocation.
 */
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore, objectStore } from '../firebase-app.js';
import { MAX_REASON_LENGTH, revokeCertificate, withdrawDownloadLinks } from '../issue/lifecycle.js';
import { logRevoked } from '../logs.js';
import { requestRecord, requireOrganizer, requireSignIn } from './callable.js';
import { toIso, type PublicCertificate } from '../shared/model.js';
import { isCertificateId, registryRef } from '../shared/paths.js';

export interface RevokeCertificateResult {
  certificateId: string;
  status: 'revoked';
  revokedAt: string;
  reason: string;
  /** False when it was revoked before (the first revocation is kept). */
  changed: boolean;
}

export function parseRevokeRequest(data: unknown): { certificateId: string; reason: string } {
  const record = requestRecord(data, ['certificateId', 'reason'], '{ certificateId, reason }');
  if (!isCertificateId(record.certificateId)) {
    throw new HttpsError('invalid-argument', 'certificateId must be a certificate id');
  }
  const reason = typeof record.reason === 'string' ? record.reason.trim() : '';
  if (!reason) throw new HttpsError('invalid-argument', 'reason is required (shown on the verification page)');
  if ([...reason].length > MAX_REASON_LENGTH) throw new HttpsError('invalid-argument', `reason is longer than ${MAX_REASON_LENGTH} characters`);
  return { certificateId: record.certificateId, reason };
}

export async function handleRevokeCertificate(request: CallableRequest<unknown>): Promise<RevokeCertificateResult> {
  const caller = requireSignIn(request, 'revokeCertificate', 'revoke a certificate');
  const input = parseRevokeRequest(request.data);
  const db = firestore();
  const entrySnap = await registryRef(db, input.certificateId).get();
  if (!entrySnap.exists) throw new HttpsError('not-found', `No certificate ${input.certificateId}`);
  const entry = entrySnap.data() as PublicCertificate;
  const { uid } = await requireOrganizer(caller, entry.eventId, 'revokeCertificate', 'revoke its certificates');
  const result = await revokeCertificate(db, input.certificateId, input.reason, new Date(), uid);
  if (result.kind === 'not-found') throw new HttpsError('not-found', `No certificate ${input.certificateId}`);
  await withdrawDownloadLinks(objectStore(), result.entry);
  logRevoked({ certificateId: input.certificateId, eventId: entry.eventId, uid, outcome: result.kind });
  return {
    certificateId: input.certificateId,
    status: 'revoked',
    revokedAt: toIso(result.entry.revokedAt) ?? '',
    reason: result.entry.revocationReason ?? input.reason,
    changed: result.kind === 'revoked',
  };
}
