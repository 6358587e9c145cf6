/**
 * Callable `revokeCertificate({ certificateId, reason })`: the event's organizers (or the
 * certforgeAdmin claim) revoke a certificate; /verify/<id> then says `revoked` with the
 * date and reason. Idempotent: revoking again returns the first revocation.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { firestore, objectStore } from '../firebase-app.js';
import { MAX_REASON_LENGTH, revokeCertificate, withdrawDownloadLinks } from '../issue/lifecycle.js';
import { logRevoked } from '../logs.js';
import { belongsToEvent, callable, requireOrganizer, requireSignIn } from './callable.js';
import { toDate, toIso } from '../shared/model.js';
import { registryRef } from '../shared/paths.js';
import { certificateId, parseInput, requestObject } from '../shared/request-schema.js';

export interface RevokeCertificateResult {
  certificateId: string;
  status: 'revoked';
  revokedAt: string;
  reason: string;
  /** False when it was revoked before (the first revocation is kept). */
  changed: boolean;
}

const REASON_REQUIRED = 'reason is required (shown on the verification page)';

/** The request: `reason` trimmed, 1 to MAX_REASON_LENGTH characters (code points). */
export const RevokeCertificateInput = requestObject('{ certificateId, reason }', {
  certificateId: certificateId('certificateId'),
  reason: z
    .string({ error: REASON_REQUIRED })
    .trim()
    .min(1, { error: REASON_REQUIRED })
    .refine((reason) => [...reason].length <= MAX_REASON_LENGTH, {
      error: `reason is longer than ${MAX_REASON_LENGTH} characters`,
    }),
});

export function parseRevokeRequest(data: unknown): { certificateId: string; reason: string } {
  return parseInput(RevokeCertificateInput, data);
}

export const handleRevokeCertificate = callable<RevokeCertificateResult>(async (request) => {
  const caller = requireSignIn(request, 'revokeCertificate', 'revoke a certificate');
  const input = parseRevokeRequest(request.data);
  const db = firestore();
  const entrySnap = await registryRef(db, input.certificateId).get();
  if (!entrySnap.exists) throw new HttpsError('not-found', `No certificate ${input.certificateId}`);
  const entry = entrySnap.data()!;
  const access = await requireOrganizer(caller, entry.eventId, 'revokeCertificate', 'revoke its certificates');
  // A certificate of a deleted event whose id was written again is not the new owner's to revoke.
  if (!belongsToEvent(access, toDate(entry.issuedAt)))
    throw new HttpsError('not-found', `No certificate ${input.certificateId}`);
  const { uid } = access;
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
});
