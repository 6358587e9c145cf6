/**
 * What a certificate version publishes: its Open Badges credential (made from the same data as
 * the PDF) and its public registry entry (`certificates/{certificateId}`), which keeps the
 * credential as issued and its status list position.
 */
import type { CredentialRequest, IssuedCredential } from '../credential/service.js';
import type { CertificateData } from '../render/index.js';
import type { CertificateRecord, EventDoc, PublicCertificate, SpeakerDoc } from '../shared/model.js';
import { text } from '../shared/values.js';
import type { IssuedRole } from './issue-certificate.js';

const str = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** The credential of a version: the data the template was filled with, the speaker's email (hashed in it). */
export function credentialRequest(
  eventId: string,
  event: EventDoc,
  speaker: SpeakerDoc,
  data: CertificateData,
  verifyUrl: string,
  issuedAt: Date,
  role: Pick<CredentialRequest, 'role' | 'roleId' | 'wording' | 'evidence' | 'validFrom' | 'validUntil'>,
): CredentialRequest {
  const eventData = (data.event ?? {}) as Record<string, unknown>;
  const talk =
    data.talk && typeof data.talk === 'object' ? str((data.talk as Record<string, unknown>).title) : undefined;
  const email = str(speaker.email);
  return {
    eventId,
    certificateId: String((data.certificate as { id?: unknown } | undefined)?.id ?? ''),
    verifyUrl,
    recipientName: String(data.name),
    ...(email ? { email } : {}),
    ...role,
    ...(talk ? { talkTitle: talk } : {}),
    eventName: str(eventData.name) ?? text(event.name) ?? 'Event',
    ...(str(eventData.isoDate) ? { eventIsoDate: str(eventData.isoDate) } : {}),
    ...(str(eventData.date) ? { eventDate: str(eventData.date) } : {}),
    ...(str(eventData.place) ? { eventPlace: str(eventData.place) } : {}),
    organizer: text(event.issuer) ?? text(event.name) ?? 'certforge',
    issuedAt,
  };
}

export function publicCertificate(
  event: EventDoc,
  eventId: string,
  participantPath: string,
  certificate: CertificateRecord & { pdfPath: string; pngPath: string; sha256: string; pdfBytes: number },
  data: CertificateData,
  verifyUrl: string,
  issuedAt: Date,
  credential: IssuedCredential,
  role?: IssuedRole,
): PublicCertificate {
  const eventData = (data.event ?? {}) as Record<string, unknown>;
  const talk =
    data.talk && typeof data.talk === 'object' ? str((data.talk as Record<string, unknown>).title) : undefined;
  const entry: PublicCertificate = {
    certificateId: certificate.certificateId,
    status: 'valid',
    recipientName: String(data.name),
    eventId,
    issuer: text(event.issuer) ?? text(event.name) ?? 'certforge',
    issuedAt,
    verifyUrl,
    sha256: certificate.sha256,
    pdfBytes: certificate.pdfBytes,
    pdfPath: certificate.pdfPath,
    pngPath: certificate.pngPath,
    participantPath,
    ...(role ? { role: role.roleId } : {}),
    ...(role?.label ? { roleLabel: role.label } : {}),
    ...(role?.evidence ? { evidence: role.evidence } : {}),
    templateId: certificate.templateId,
    ...(certificate.templateVersion ? { templateVersion: certificate.templateVersion } : {}),
    ...(certificate.pngToken ? { pngToken: certificate.pngToken } : {}),
    ...(certificate.pdfSignature ? { pdfSignature: certificate.pdfSignature } : {}),
    ...(certificate.validUntil ? { validUntil: certificate.validUntil } : {}),
    ...(talk ? { talkTitle: talk } : {}),
    ...(str(eventData.name) ? { eventName: str(eventData.name) } : {}),
    ...(str(eventData.date) ? { eventDate: str(eventData.date) } : {}),
    ...(str(eventData.isoDate) ? { eventIsoDate: str(eventData.isoDate) } : {}),
    ...(str(eventData.place) ? { eventPlace: str(eventData.place) } : {}),
    ...(text(event.locale) ? { locale: text(event.locale) } : {}),
    ...(certificate.supersedes ? { supersedes: certificate.supersedes } : {}),
    // The credential as embedded in the PDF, byte for byte (a Firestore map would not keep key order).
    credentialJson: credential.json,
    statusList: credential.statusList,
    statusIndex: credential.statusIndex,
    offerPdf: event.verification?.offerPdf === true,
  };
  return entry;
}
