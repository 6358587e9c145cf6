/** The public registry entry (`certificates/{certificateId}`) of a certificate that just became ready. */
import type { CertificateData } from '../render/index.js';
import type { CertificateRecord, EventDoc, PublicCertificate } from '../shared/model.js';
import { text } from '../shared/values.js';

export function publicCertificate(
  event: EventDoc,
  eventId: string,
  participantPath: string,
  certificate: CertificateRecord & { pdfPath: string; pngPath: string; sha256: string; pdfBytes: number },
  data: CertificateData,
  verifyUrl: string,
  issuedAt: Date,
): PublicCertificate {
  const eventData = (data.event ?? {}) as Record<string, unknown>;
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const talk = data.talk && typeof data.talk === 'object' ? str((data.talk as Record<string, unknown>).title) : undefined;
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
    templateId: certificate.templateId,
    ...(talk ? { talkTitle: talk } : {}),
    ...(str(eventData.name) ? { eventName: str(eventData.name) } : {}),
    ...(str(eventData.date) ? { eventDate: str(eventData.date) } : {}),
    ...(str(eventData.isoDate) ? { eventIsoDate: str(eventData.isoDate) } : {}),
    ...(str(eventData.place) ? { eventPlace: str(eventData.place) } : {}),
    ...(text(event.locale) ? { locale: text(event.locale) } : {}),
    ...(certificate.supersedes ? { supersedes: certificate.supersedes } : {}),
  };
  return entry;
}

