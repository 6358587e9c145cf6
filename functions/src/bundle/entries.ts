import type { CertificateRecord, SpeakerDoc } from '../shared/model.js';
/**
 * Which certificates go into an event's print bundle, and in which order. Pure: speaker
 * documents in, sorted entries out.
 */

/** The fields of `certificate` the bundle reads. */
type CertificateFields = Pick<CertificateRecord, 'status' | 'pdfPath'> & {
  revoked?: unknown;
  subject?: { name?: unknown } | null;
};

export interface BundleEntry {
  speakerId: string;
  /** The recipient's name as on the certificate: the bookmark title and the sort key. */
  name: string;
  pdfPath: string;
}

/**
 * The entry of a speaker whose certificate is `ready`, has a PDF and is not revoked;
 * undefined otherwise. The name is the one the certificate was rendered from
 * (`certificate.subject.name`) when recorded, else the speaker's current name.
 */
export function bundleEntry(speakerId: string, speaker: SpeakerDoc): BundleEntry | undefined {
  // Read defensively: `revoked` and `subject` are recent fields and documents may predate them.
  const certificate = speaker.certificate as CertificateFields | undefined;
  if (!certificate || typeof certificate !== 'object') return undefined;
  if (certificate.status !== 'ready') return undefined;
  if (certificate.revoked) return undefined;
  if (typeof certificate.pdfPath !== 'string' || certificate.pdfPath === '') return undefined;
  const rendered = certificate.subject?.name;
  const current = speaker.name;
  const name =
    (typeof rendered === 'string' && rendered.trim()) || (typeof current === 'string' && current.trim()) || speakerId;
  return { speakerId, name, pdfPath: certificate.pdfPath };
}

/** A collator for `locale`, or for the default locale when the tag is missing or invalid. */
export function nameCollator(locale: string | undefined): Intl.Collator {
  const options: Intl.CollatorOptions = { usage: 'sort', numeric: true };
  if (locale) {
    try {
      return new Intl.Collator(locale, options);
    } catch {
      // RangeError: not a BCP 47 tag. Fall through to the default.
    }
  }
  return new Intl.Collator(undefined, options);
}

/**
 * Sorts by name in the event's locale (numbers in names compare as numbers: "Room 9" before
 * "Room 10"), then by speaker id (code unit order) so that equal names keep a stable order.
 */
export function sortEntries(entries: BundleEntry[], locale: string | undefined): BundleEntry[] {
  const collator = nameCollator(locale);
  return entries.sort(
    (a, b) => collator.compare(a.name, b.name) || (a.speakerId < b.speakerId ? -1 : a.speakerId > b.speakerId ? 1 : 0),
  );
}
