/**
 * The one mapping from an event and a speaker to the data a template is filled with, used by the
 * functions and by the CLI (`npm run render`), and what a certificate states about its recipient.
 * No Firebase imports.
 */
import { CertforgeError, type CertificateData } from '../render/index.js';
import type { CertificateSubject, EventDoc, SpeakerDoc } from './model.js';
import { plain, text } from './values.js';

export const MAX_NAME_LENGTH = 300;

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

/** Fields of the speaker document never handed to the template (the correction requests' bookkeeping too). */
const PRIVATE_SPEAKER_FIELDS = new Set(['certificate', 'email', 'pendingCorrection', 'correctionRequestedAt']);

/**
 * The keys certforge fills itself (templateData), in the one spelling it uses. In template data
 * these names, spelled exactly so, are certforge's: its value replaces a speaker field of the
 * same name (`event`, `signatories` and `certificate` always; `locale` and `issuedAt` when the
 * event gives one).
 * A key that differs only by case (`EVENT`, `Locale`) is not one of them: it stays the speaker's
 * own field (a placeholder matches exact names first, so `{{EVENT}}` reads it). The readers of
 * people (import/participants.ts) apply the same rule to columns, and warn.
 */
export const RESERVED_KEYS = ['event', 'signatories', 'locale', 'certificate', 'issuedAt'] as const;

export type ReservedKey = (typeof RESERVED_KEYS)[number];

/** Checks what every template needs from a speaker: a name. */
export function checkSpeaker(speaker: SpeakerDoc): string {
  if (speaker.name === undefined || speaker.name === null || text(speaker.name) === undefined) {
    throw new CertforgeError('MISSING_FIELD', 'The speaker has no name', { fields: ['name'] });
  }
  if (typeof speaker.name !== 'string') {
    throw new CertforgeError('INVALID_DATA', 'The speaker name must be a string', { field: 'name' });
  }
  const name = speaker.name.trim();
  if ([...name].length > MAX_NAME_LENGTH) {
    throw new CertforgeError('LIMIT_EXCEEDED', `The speaker name is longer than ${MAX_NAME_LENGTH} characters`, {
      field: 'name',
      limit: MAX_NAME_LENGTH,
    });
  }
  return name;
}

export interface CertificateIdentity {
  certificateId: string;
  /** The verification address; none (the CLI without --verify-base-url): `certificate` has no `url`. */
  verifyUrl?: string;
  /** ISO instant of issue; the PDF's creation date is the event date when it has one. */
  issuedAt?: string;
}

/**
 * The data a template is filled with: the speaker's own fields (minus email and the
 * certificate record), `name`, `talk`, `event` {name, date, place, isoDate}, `signatories`,
 * `locale` and `certificate` {id, url}. The keys of RESERVED_KEYS are certforge's.
 */
export function templateData(event: EventDoc, speaker: SpeakerDoc, identity: CertificateIdentity): CertificateData {
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
    certificate: { id: identity.certificateId, ...(identity.verifyUrl ? { url: identity.verifyUrl } : {}) },
  };
}

/** The template an event uses. */
export function templateIdOf(event: EventDoc, defaultTemplateId: string): string {
  const id = text(event.templateId);
  return id ?? defaultTemplateId;
}

export function certificateSubject(speaker: SpeakerDoc): CertificateSubject {
  const name = typeof speaker.name === 'string' ? speaker.name.trim() : null;
  const title = speaker.talk && typeof speaker.talk === 'object' ? text(speaker.talk.title) : undefined;
  return { name, talkTitle: title ?? null };
}

export function sameSubject(a: CertificateSubject | undefined, b: CertificateSubject): boolean {
  return a !== undefined && a.name === b.name && a.talkTitle === b.talkTitle;
}
