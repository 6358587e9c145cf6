/**
 * The Firestore data contract (README, "Data model") and the pure mapping from an event
 * and a speaker document to the data a template is filled with. No Firebase imports.
 *
 *   events/{eventId}                      EventDoc
 *   events/{eventId}/speakers/{speakerId} SpeakerDoc (+ `certificate`, written by functions only)
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
  [key: string]: unknown;
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
  /** The certificate this one replaced (a forced re-render). */
  supersedes?: string;
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
