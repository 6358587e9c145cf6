/**
 * Callable `generateCertificate({ eventId, speakerId | participantId, force?, renew? })`: a speaker's
 * certificate, or (participantId) an attendee's or another role's (events/{e}/participants/{id}),
 * which it issues only once earned (`failed-precondition`, details.code NOT_ELIGIBLE and the
 * reason, e.g. NO_ATTENDANCE, otherwise).
 *
 * Who may call: the event's organizers (or anyone with the `certforgeAdmin` claim) for any of
 * its participants, and a participant for themself when their verified email equals theirs.
 * `force` (organizers only) renders a new certificate even when one is ready or failed; `renew`
 * (organizers only) does the same and starts a new validity period now (event.validity,
 * shared/validity.ts), where `force` keeps the period of the version it replaces.
 * Returns the status, certificate id and download URLs of the PDF and PNG. A certificate
 * that failed is an HttpsError (failed-precondition for template/data errors) whose
 * `details.code` is the certforge code.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentReference } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { firestore, issueDeps, objectStore, previewDeps } from '../firebase-app.js';
import { ensurePreview } from '../issue/preview.js';
import { issueCertificate } from '../issue/issue-certificate.js';
import { buildView } from '../verify/page-model.js';
import { isSpeakerThemself } from '../shared/access.js';
import { toIso, type CertificateRecord } from '../shared/model.js';
import { participantRef, registryRef } from '../shared/paths.js';
import type { ParticipantCollection } from '../shared/roles.js';
import { docId, flag, parseInput, requestObject } from '../shared/request-schema.js';
import { belongsToEvent, callable, permissionDenied, readEventAs, requireSignIn } from './callable.js';
import { certificateFailure } from './error-mapping.js';

/** The request: `force` and `renew` are kept only when true. */
export const GenerateCertificateInput = requestObject('{ eventId, speakerId | participantId, force?, renew? }', {
  eventId: docId('eventId'),
  speakerId: docId('speakerId').optional(),
  participantId: docId('participantId').optional(),
  force: flag('force'),
  renew: flag('renew'),
})
  .refine((input) => (input.speakerId === undefined) !== (input.participantId === undefined), {
    error: 'Give either speakerId or participantId',
  })
  .transform(({ force, renew, eventId, speakerId, participantId }) => ({
    eventId,
    ...(participantId !== undefined
      ? { speakerId: participantId, collection: 'participants' as const }
      : { speakerId: speakerId!, collection: 'speakers' as const }),
    ...(force ? { force } : {}),
    ...(renew ? { renew } : {}),
  }));

export interface GenerateCertificateRequest {
  eventId: string;
  /** The participant's document id (speakerId or participantId of the request). */
  speakerId: string;
  collection: ParticipantCollection;
  force?: boolean;
  renew?: boolean;
}

export interface GenerateCertificateResult {
  status: 'ready' | 'rendering';
  certificateId: string;
  pdfUrl?: string;
  pngUrl?: string;
  pdfPath?: string;
  pngPath?: string;
  sha256?: string;
  pdfBytes?: number;
  templateId?: string;
  templateVersion?: string;
  renderedAt?: string;
  /** The public verification page (/verify/<id>). */
  verifyUrl?: string;
  /** LinkedIn's add-to-profile link for this certificate (Licenses & certifications). */
  linkedInUrl?: string;
  /** True when this call rendered it. */
  rendered: boolean;
}

const CALLABLE = 'generateCertificate';
/** The participant has not earned the certificate (shared/error-catalog.ts). */
export const NOT_ELIGIBLE_CODE = 'NOT_ELIGIBLE';

/** How long the callable waits for another attempt that is rendering the same certificate. */
const WAIT_FOR_OTHER_MS = 25_000;

export function parseRequest(data: unknown): GenerateCertificateRequest {
  return parseInput(GenerateCertificateInput, data);
}

export const handleGenerateCertificate = callable<GenerateCertificateResult>(async (request) => {
  const caller = requireSignIn(request, CALLABLE, 'request a certificate');
  const input = parseRequest(request.data);
  const key = { eventId: input.eventId, collection: input.collection, participantId: input.speakerId };
  const who = input.collection === 'speakers' ? 'speaker' : 'participant';
  const speakerRead = participantRef(firestore(), key).get();
  speakerRead.catch(() => undefined); // awaited below once the event is read
  const access = await readEventAs(caller, input.eventId);
  const read = await speakerRead;
  // A leftover of a deleted event whose id was written again is nobody's speaker here.
  const speakerSnap = belongsToEvent(access, read.createTime?.toDate()) ? read : undefined;
  if (!access.organizer) {
    // Non-organizers learn nothing about other speakers: missing and foreign look the same.
    if (!speakerSnap?.exists || !isSpeakerThemself(speakerSnap.data()!, caller.token)) {
      throw permissionDenied(
        CALLABLE,
        access,
        `Only the event organizers or the ${who} themself may request this certificate`,
        { [`${who}Id`]: input.speakerId },
      );
    }
    if (input.force || input.renew)
      throw new HttpsError('permission-denied', 'Only organizers may force a new rendering or renew a certificate');
  } else if (!speakerSnap?.exists) {
    throw new HttpsError('not-found', `No ${who} ${input.speakerId} in event ${input.eventId}`);
  }

  const outcome = await issueCertificate(issueDeps(), { ...input, claimId: `callable:${randomUUID()}` });
  if (outcome.kind === 'gone')
    throw new HttpsError('not-found', `No ${who} ${input.speakerId} in event ${input.eventId}`);
  if (outcome.kind === 'ineligible')
    throw new HttpsError('failed-precondition', `Not eligible: ${outcome.eligibility.message}`, {
      code: NOT_ELIGIBLE_CODE,
      reason: outcome.eligibility.code,
      evidence: outcome.eligibility.evidence,
    });
  let certificate = outcome.certificate;
  if (outcome.kind === 'busy') certificate = await waitUntilSettled(speakerSnap.ref, certificate);
  if (certificate.status === 'failed')
    throw certificateFailure(certificate.error ?? { code: 'INTERNAL', message: 'Failed' }, certificate.certificateId);
  return describe(certificate, outcome.kind === 'issued', input.eventId);
});

async function describe(
  certificate: CertificateRecord,
  rendered: boolean,
  eventId: string,
): Promise<GenerateCertificateResult> {
  if (certificate.status !== 'ready')
    return { status: 'rendering', certificateId: certificate.certificateId, rendered };
  const store = objectStore();
  const [pdfUrl, pngUrl, entry] = await Promise.all([
    store.downloadUrl(certificate.pdfPath!),
    previewUrl(certificate, eventId),
    registryRef(firestore(), certificate.certificateId).get(),
  ]);
  const view = entry.exists ? buildView(entry.data()!) : undefined;
  const renderedAt = certificate.renderedAt;
  return {
    status: 'ready',
    certificateId: certificate.certificateId,
    pdfUrl,
    ...(pngUrl ? { pngUrl } : {}),
    pdfPath: certificate.pdfPath,
    pngPath: certificate.pngPath,
    sha256: certificate.sha256,
    pdfBytes: certificate.pdfBytes,
    templateId: certificate.templateId,
    templateVersion: certificate.templateVersion,
    renderedAt: toIso(renderedAt),
    ...(view ? { verifyUrl: view.verifyUrl, ...(view.linkedInUrl ? { linkedInUrl: view.linkedInUrl } : {}) } : {}),
    rendered,
  };
}

async function waitUntilSettled(ref: DocumentReference, certificate: CertificateRecord): Promise<CertificateRecord> {
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
  let current = certificate;
  while (current.status === 'rendering' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const snap = await ref.get();
    current = snap.data()?.certificate ?? current;
  }
  return current;
}

/** The preview's download URL, the preview rendered first if nobody asked for it before (issue/preview.ts). */
async function previewUrl(certificate: CertificateRecord, eventId: string): Promise<string | undefined> {
  const stored = await ensurePreview(previewDeps(), {
    ...certificate,
    eventId,
    revoked: certificate.revoked !== undefined,
  });
  return stored ? objectStore().downloadUrl(certificate.pngPath!) : undefined;
}
