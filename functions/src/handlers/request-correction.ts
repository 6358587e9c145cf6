/**
 * Callable `requestCorrection`: the recipient of a certificate asks the organizer to correct their
 * name or talk title (issue/correction-requests.ts). Signed in with the verified email the
 * certificate was issued to; anyone else gets the same CORRECTION_NOT_ALLOWED, whether the
 * certificate exists or not.
 *
 *   { certificateId, action: 'view' }                              → the certificate and their latest request
 *   { certificateId, action: 'request', name?, talkTitle?, note? } → { requestId, status: 'pending' }
 */
import { z } from 'zod';
import { firestore } from '../firebase-app.js';
import { correctionView, requestCorrection, type CorrectionView } from '../issue/correction-requests.js';
import { logCorrectionRequested } from '../logs.js';
import { certificateId, parseInput, requestObject } from '../shared/request-schema.js';
import { callable, requireSignIn } from './callable.js';

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .max(max * 4, { error: `${field} is too long` })
    .optional();

export const RequestCorrectionInput = requestObject('{ certificateId, action, name?, talkTitle?, note? }', {
  certificateId: certificateId('certificateId'),
  action: z.enum(['view', 'request'], { error: 'action must be "view" or "request"' }),
  name: text('name', 300),
  talkTitle: text('talkTitle', 300),
  note: text('note', 1000),
});

export const handleRequestCorrection = callable<CorrectionView | { requestId: string; status: 'pending' }>(
  async (request) => {
    const caller = requireSignIn(request, 'requestCorrection', 'ask for a correction');
    const input = parseInput(RequestCorrectionInput, request.data);
    const recipient = { uid: caller.uid, token: caller.token ?? {} };
    if (input.action === 'view') return correctionView(firestore(), input.certificateId, recipient);
    const result = await requestCorrection(firestore(), recipient, input);
    logCorrectionRequested({ certificateId: input.certificateId, requestId: result.requestId });
    return result;
  },
);
