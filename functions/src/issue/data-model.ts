/**
 * The Firestore data contract (README, "Data model") and the pure mapping from an event
 * and a speaker document to the data a template is filled with. No Firebase imports.
 *
 *   events/{eventId}                      EventDoc (+ `issuance`, written by functions only)
 *   events/{eventId}/speakers/{speakerId} SpeakerDoc (+ `certificate`, written by functions only)
 *   certificates/{certificateId}          PublicCertificate: the public registry behind /verify/<id>
 *   mail/{certificateId}                  MailDoc, for the Trigger Email extension (emailOnIssue)
 */
import type { CertificateData } from '../render/index.js';
import { IssueError } from './errors.js';

export interface Signatory {
  name?: string;
  role?: string;
}

export interface EventDoc {
  name?: string;
  /** 'YYYY-MM-DD' (formatted in the event's locale on the certificate) or any display text. */
  date?: string;
  place?: string;
  /** Template id: bundled ('classic', 'modern') or `templates/{id}/` in Storage. */
  templateId?: string;
  organizerUids?: string[];
  signatories?: Signatory[];
  /** BCP 47 language of the certificates, e.g. 'en', 'pl', 'ar'. */
  locale?: string;
  /** Who issues the certificates (verification page, LinkedIn); defaults to the event name. */
  issuer?: string;
  /** Write a `mail` document (Trigger Email extension format) when a certificate is ready. */
  emailOnIssue?: boolean;
  /** Progress of the latest bulk issuance (functions only). */
  issuance?: IssuanceProgress;
  [key: string]: unknown;
}

/** `events/{eventId}.issuance`: the latest bulk run, summed from its counter shards. */
export interface IssuanceProgress {
  runId: string;
  force: boolean;
  total: number;
  ready: number;
  failed: number;
  /** Speakers deleted between the listing and their task. */
  skipped: number;
  startedAt: FirestoreDate;
  finishedAt: FirestoreDate | null;
  /** Start times of the forced runs of the last FORCED_RUN_WINDOW_MS (bounded, see bulk-issuance.ts). */
  forcedRunsAt?: FirestoreDate[];
}

export interface SpeakerDoc {
  name?: unknown;
  email?: unknown;
  talk?: { title?: unknown; [key: string]: unknown };
  certificate?: CertificateRecord;
  [key: string]: unknown;
}

export type CertificateStatus = 'rendering' | 'ready' | 'failed';

/** The `certificate` field of a speaker. Only the functions write it (firestore.rules). */
export interface CertificateRecord {
  status: CertificateStatus;
  /** Unguessable id (128 random bits, base64url), also the file name in Storage. */
  certificateId: string;
  /** Who started this rendering: a trigger's event id, or `callable:<uuid>`. */
  claimId: string;
  /** One attempt of that claim (a retry of the same delivery gets a new attempt). */
  attemptId: string;
  attempts: number;
  /** While `rendering`: another attempt may take over after this instant (ms since epoch). */
  leaseUntil?: number;
  templateId: string;
  templateVersion?: string;
  pdfPath?: string;
  pngPath?: string;
  /** Hex sha256 of the PDF (also in the file's custom metadata). */
  sha256?: string;
  pngSha256?: string;
  pdfBytes?: number;
  pngBytes?: number;
  startedAt: FirestoreDate;
  renderedAt?: FirestoreDate;
  failedAt?: FirestoreDate;
  /** Milliseconds spent rendering (core + PNG), for the logs and the bench. */
  renderMs?: number;
  warnings?: { code: string; message: string }[];
  error?: { code: string; message: string; details?: Record<string, unknown> };
  /** The certificate this one replaced (a forced re-render or a correction). */
  supersedes?: string;
  /** The certificate-relevant fields it was rendered from; a change issues a new version. */
  subject?: CertificateSubject;
  /** Set when an organizer revoked it, or the speaker was deleted (registry: status revoked). */
  revoked?: { at: FirestoreDate; reason: string };
}

/** What a certificate states about its recipient: a change of these issues a corrected version. */
export interface CertificateSubject {
  name: string | null;
  talkTitle: string | null;
}

export function certificateSubject(speaker: SpeakerDoc): CertificateSubject {
  const name = typeof speaker.name === 'string' ? speaker.name.trim() : null;
  const title = speaker.talk && typeof speaker.talk === 'object' ? text(speaker.talk.title) : undefined;
  return { name, talkTitle: title ?? null };
}

export function sameSubject(a: CertificateSubject | undefined, b: CertificateSubject): boolean {
  return a !== undefined && a.name === b.name && a.talkTitle === b.talkTitle;
}

export type PublicStatus = 'valid' | 'revoked' | 'superseded';

/**
 * `certificates/{certificateId}`: what /verify/<id> shows. Written by the functions only, in
 * the transaction that makes a certificate ready; never holds the email. The paths are for
 * the functions (print bundle, hash check) and are not shown publicly.
 */
export interface PublicCertificate {
  certificateId: string;
  status: PublicStatus;
  recipientName: string;
  talkTitle?: string;
  eventId: string;
  eventName?: string;
  /** As printed (formatted in the event's locale). */
  eventDate?: string;
  eventIsoDate?: string;
  eventPlace?: string;
  issuer: string;
  issuedAt: FirestoreDate;
  locale?: string;
  verifyUrl: string;
  sha256: string;
  pdfBytes: number;
  pdfPath: string;
  pngPath: string;
  /** 'events/{eventId}/speakers/{speakerId}' (not public). */
  participantPath: string;
  templateId: string;
  supersedes?: string;
  supersededBy?: string;
  supersededAt?: FirestoreDate;
  revokedAt?: FirestoreDate;
  revocationReason?: string;
}

/** The registry entry of a certificate that just became ready. */
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

/**
 * `mail/{certificateId}`: a document in the format of Firebase's Trigger Email extension
 * (firestore-send-email). certforge never sends mail itself.
 */
export interface MailDoc {
  to: string[];
  message: {
    subject: string;
    text: string;
    html: string;
    attachments: { filename: string; path: string; contentType: string }[];
  };
  certforge: { eventId: string; certificateId: string; participantPath: string };
}

const EMAIL_PATTERN = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 254 && EMAIL_PATTERN.test(value.trim());
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One line of mail text: line breaks and other control characters become a space (no header or line injection). */
export function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** At most one mail per speaker in this window, however many versions are issued. */
export const MAIL_WINDOW_MS = 24 * 60 * 60 * 1000;

export function certificateMail(raw: PublicCertificate, to: string, pdfUrl: string): MailDoc {
  const entry = {
    ...raw,
    eventName: raw.eventName ? oneLine(raw.eventName) : raw.eventName,
    recipientName: oneLine(raw.recipientName),
    issuer: oneLine(raw.issuer),
  };
  const what = entry.eventName ? `your certificate for ${entry.eventName}` : 'your certificate';
  const subject = entry.eventName ? `Your certificate: ${entry.eventName}` : 'Your certificate';
  const lines = [
    `Hello ${entry.recipientName},`,
    '',
    `${what[0]!.toUpperCase()}${what.slice(1)} is attached.`,
    `Anyone can check it at ${entry.verifyUrl}`,
    '',
    `Issued by ${entry.issuer}.`,
  ];
  const html = [
    `<p dir="auto">Hello ${escapeHtml(entry.recipientName)},</p>`,
    `<p>${escapeHtml(what[0]!.toUpperCase() + what.slice(1))} is attached.</p>`,
    `<p>Anyone can check it at <a href="${escapeHtml(entry.verifyUrl)}">${escapeHtml(entry.verifyUrl)}</a>.</p>`,
    `<p>Issued by ${escapeHtml(entry.issuer)}.</p>`,
  ].join('\n');
  return {
    to: [to.trim()],
    message: {
      subject,
      text: lines.join('\n'),
      html,
      attachments: [{ filename: `certificate-${entry.certificateId}.pdf`, path: pdfUrl, contentType: 'application/pdf' }],
    },
    certforge: { eventId: entry.eventId, certificateId: entry.certificateId, participantPath: entry.participantPath },
  };
}

/** A Firestore Timestamp as read back, or a Date as written. */
export type FirestoreDate = Date | { toDate(): Date };

export const MAX_NAME_LENGTH = 300;
/** Firestore ids we accept from clients: no '/', no '.'/'..', at most 128 characters. */
const ID_PATTERN = /^(?!\.\.?$)[^/\s]{1,128}$/;

export function isValidDocId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value) && !/^__.*__$/.test(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes a Firestore value plain JSON for the template: Timestamps become ISO strings,
 * other class instances (GeoPoint, DocumentReference, bytes) are left out.
 */
function plain(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) return value.map(plain).filter((item) => item !== undefined);
  if (value instanceof Date) return value.toISOString();
  if (isRecord(value)) {
    if (typeof (value as { toDate?: unknown }).toDate === 'function') {
      return ((value as { toDate(): Date }).toDate()).toISOString();
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = plain(item);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  }
  return undefined;
}

/** 'YYYY-MM-DD' → e.g. '12 March 2026' / '12 marca 2026' / '١٢ مارس ٢٠٢٦' in `locale`; anything else as is. */
export function formatEventDate(date: string | undefined, locale: string | undefined): string | undefined {
  if (!date) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const instant = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(instant.getTime())) return date;
  try {
    return new Intl.DateTimeFormat(locale || 'en', { dateStyle: 'long', timeZone: 'UTC' }).format(instant);
  } catch {
    return new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(instant);
  }
}

/** Fields of the speaker document never handed to the template. */
const PRIVATE_SPEAKER_FIELDS = new Set(['certificate', 'email']);

/** Checks what every template needs from a speaker: a name. */
export function checkSpeaker(speaker: SpeakerDoc): string {
  if (speaker.name === undefined || speaker.name === null || text(speaker.name) === undefined) {
    throw new IssueError('MISSING_FIELD', 'The speaker has no name', { fields: ['name'] });
  }
  if (typeof speaker.name !== 'string') {
    throw new IssueError('INVALID_DATA', 'The speaker name must be a string', { field: 'name' });
  }
  const name = speaker.name.trim();
  if ([...name].length > MAX_NAME_LENGTH) {
    throw new IssueError('LIMIT_EXCEEDED', `The speaker name is longer than ${MAX_NAME_LENGTH} characters`, {
      field: 'name',
      limit: MAX_NAME_LENGTH,
    });
  }
  return name;
}

export interface CertificateIdentity {
  certificateId: string;
  verifyUrl: string;
  /** ISO instant of issue; the PDF's creation date is the event date when it has one. */
  issuedAt?: string;
}

/**
 * The data a template is filled with: the speaker's own fields (minus email and the
 * certificate record), `name`, `talk`, `event` {name, date, place, isoDate}, `signatories`,
 * `locale` and `certificate` {id, url}.
 */
export function certificateData(event: EventDoc, speaker: SpeakerDoc, identity: CertificateIdentity): CertificateData {
  const name = checkSpeaker(speaker);
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(speaker)) {
    if (PRIVATE_SPEAKER_FIELDS.has(key)) continue;
    const converted = plain(value);
    if (converted !== undefined) own[key] = converted;
  }
  const locale = text(event.locale);
  const isoDate = typeof event.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(event.date) ? event.date : undefined;
  const eventData: Record<string, unknown> = {
    name: text(event.name),
    date: formatEventDate(text(event.date), locale),
    place: text(event.place),
    ...(isoDate ? { isoDate } : {}),
  };
  for (const key of Object.keys(eventData)) if (eventData[key] === undefined) delete eventData[key];
  return {
    ...own,
    name,
    event: eventData,
    signatories: Array.isArray(event.signatories) ? (plain(event.signatories) as unknown[]) : [],
    ...(locale ? { locale } : {}),
    ...(isoDate ? { issuedAt: isoDate } : identity.issuedAt ? { issuedAt: identity.issuedAt } : {}),
    certificate: { id: identity.certificateId, url: identity.verifyUrl },
  };
}

/** The template an event uses. */
export function templateIdOf(event: EventDoc, defaultTemplateId: string): string {
  const id = text(event.templateId);
  return id ?? defaultTemplateId;
}

/** True when `uid` may manage the event: listed organizer, or the certforgeAdmin claim. */
export function isOrganizer(event: EventDoc, uid: string, token: Record<string, unknown> | undefined): boolean {
  if (token?.certforgeAdmin === true) return true;
  return Array.isArray(event.organizerUids) && event.organizerUids.includes(uid);
}

/** True when the signed-in user is this speaker: verified email equal to the speaker's (case-insensitive). */
export function isSpeakerThemself(speaker: SpeakerDoc, token: Record<string, unknown> | undefined): boolean {
  if (!token || token.email_verified !== true || typeof token.email !== 'string') return false;
  if (typeof speaker.email !== 'string' || speaker.email.trim() === '') return false;
  return token.email.trim().toLowerCase() === speaker.email.trim().toLowerCase();
}
