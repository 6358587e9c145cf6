/**
 * From a registry entry (`certificates/{certificateId}`, PublicCertificate) to what the public
 * verification page shows: only what the certificate itself states (recipient, talk, event,
 * date, place) plus its status, issuer, issue date, id, verification URL and the PDF's
 * SHA-256. Storage paths, the participant path (event and speaker ids), the template, the
 * email are never copied: the view is built field by field from an allowlist.
 */
import { linkedInAddToProfileUrl } from './linkedin.js';
import { toDate, toIso, type PublicCertificate, type PublicStatus } from '../shared/model.js';
import { isExpired } from '../shared/validity.js';
import { isRecord, text } from '../shared/values.js';
import { BUILT_IN_ROLES } from '../shared/roles.js';

export type { PublicCertificate, PublicStatus };

/** The newest version at the end of a chain of corrections. */
export interface CurrentVersion {
  certificateId: string;
  status: PublicStatus;
  verifyUrl: string;
}

/** A visitor's check of a PDF (uploaded, or its hash given) against this certificate. */
export interface CheckResult {
  method: 'upload' | 'hash';
  /** The SHA-256 of what the visitor gave (lower-case hex). */
  sha256: string;
  matches: boolean;
  /** Size of the uploaded file. */
  bytes?: number;
  /** False when an uploaded file does not start like a PDF. */
  looksLikePdf?: boolean;
}

/** What the verify function found when it checked the certificate's credential. */
export type CredentialState =
  /** Signature, key published by the issuer, status bit clear. */
  | 'verified'
  /** The proof or the key does not check out. */
  | 'signature-failed'
  /** Signed correctly, but its status list bit is set (revoked or replaced). */
  | 'revoked'
  /** It could not be checked just now (Firestore, the key). */
  | 'uncheckable'
  /** Issued before certificates carried a credential. */
  | 'none';

/** What the page says: the registry's status, or `expired` for a valid one past its validUntil. */
export type ViewStatus = PublicStatus | 'expired';

export interface VerifyView {
  certificateId: string;
  status: ViewStatus;
  /** ISO instant it expires (event.validity); absent: it does not expire. */
  validUntil?: string;
  recipientName: string;
  talkTitle?: string;
  eventName?: string;
  /** As printed on the certificate (already in the certificate's language). */
  eventDate?: string;
  /** 'YYYY-MM-DD' when known. */
  eventIsoDate?: string;
  eventPlace?: string;
  issuer: string;
  /** ISO instant. */
  issuedAt?: string;
  /** BCP 47 language of the certificate's text, when valid. */
  locale?: string;
  verifyUrl: string;
  sha256: string;
  /** What the certificate was given for: the role's English name ("Speaker", "Volunteer"), the key of its translations. */
  role: string;
  /** The organizer's own label of the role (one text, or by language), shown instead of the translation. */
  roleLabel?: string | Record<string, string>;
  /** The attendance the certificate was issued for (attendance roles). */
  evidence?: { checkins: number; days: string[]; minutes: number };
  revokedAt?: string;
  revocationReason?: string;
  supersededAt?: string;
  /** Set when a newer version replaces this one and the chain could be followed. */
  currentVersion?: CurrentVersion;
  /** Only for a valid certificate. */
  linkedInUrl?: string;
  credential: CredentialState;
  /** The PNG preview is served (not for a revoked certificate). */
  hasPreview: boolean;
  /** The PDF is offered: the event allows it and the certificate is valid. */
  offersPdf: boolean;
  /** Where the recipient asks the organizer for a correction (the console's page), for a valid certificate. */
  correctionUrl?: string;
  /** How the PDF itself is signed with the organization's certificate (PAdES), when it is. */
  pdfSignature?: { level: string; signer: string; timeStampedAt?: string };
}

/** Longest chain of corrections followed (a loop or a broken chain stops earlier). */
export const MAX_CHAIN_LENGTH = 20;

/** A BCP 47 tag in canonical form, or undefined when it is not one. */
export function canonicalLocale(value: unknown): string | undefined {
  const tag = text(value);
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/**
 * The role's English name of a registry entry: its recorded role (shared/roles.ts BUILT_IN_ROLES,
 * or the organizer's label), else, for entries from before roles, "Speaker" for
 * events/{e}/speakers/{s} and "Participant" otherwise.
 */
export function roleOf(participantPath: unknown, roleId?: unknown, label?: unknown): string {
  const english = typeof label === 'string' ? text(label) : isRecord(label) ? text(label.en) : undefined;
  if (english) return english;
  if (typeof roleId === 'string' && Object.prototype.hasOwnProperty.call(BUILT_IN_ROLES, roleId))
    return BUILT_IN_ROLES[roleId]!;
  if (typeof roleId === 'string' && roleId) return roleId;
  const collection = typeof participantPath === 'string' ? participantPath.split('/')[2] : undefined;
  return collection === 'speakers' ? 'Speaker' : 'Participant';
}

/** The certification's name on LinkedIn: "Speaker at <event>". */
export function certificationName(view: Pick<VerifyView, 'role' | 'eventName'>): string {
  return view.eventName ? `${view.role} at ${view.eventName}` : `${view.role} certificate`;
}

const STATUSES = new Set<PublicStatus>(['valid', 'revoked', 'superseded']);

/**
 * The public view of a registry entry. `current` is the newest version of its chain of
 * corrections (see resolveChain), when it has a newer one.
 */
export function buildView(
  entry: PublicCertificate,
  current?: CurrentVersion,
  credential: CredentialState = entry.credentialJson ? 'uncheckable' : 'none',
  now: number = Date.now(),
): VerifyView {
  const registered: PublicStatus = STATUSES.has(entry.status) ? entry.status : 'revoked';
  // Expired is not revoked: it certified what it states, for the period it was issued for.
  const status: ViewStatus = registered === 'valid' && isExpired(entry.validUntil, now) ? 'expired' : registered;
  const view: VerifyView = {
    certificateId: entry.certificateId,
    status,
    recipientName: text(entry.recipientName) ?? '',
    issuer: text(entry.issuer) ?? '',
    verifyUrl: entry.verifyUrl,
    sha256: entry.sha256.toLowerCase(),
    role: roleOf(entry.participantPath, entry.role, entry.roleLabel),
    ...(entry.roleLabel && (typeof entry.roleLabel === 'string' || isRecord(entry.roleLabel))
      ? { roleLabel: entry.roleLabel }
      : {}),
    ...(entry.evidence && Array.isArray(entry.evidence.days) ? { evidence: entry.evidence } : {}),
    credential,
    hasPreview: status !== 'revoked' && typeof entry.pngPath === 'string' && entry.pngPath !== '',
    offersPdf: (status === 'valid' || status === 'expired') && entry.offerPdf === true,
  };
  const optional: Partial<VerifyView> = {
    talkTitle: text(entry.talkTitle),
    eventName: text(entry.eventName),
    eventDate: text(entry.eventDate),
    eventIsoDate:
      typeof entry.eventIsoDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(entry.eventIsoDate)
        ? entry.eventIsoDate
        : undefined,
    eventPlace: text(entry.eventPlace),
    issuedAt: toIso(entry.issuedAt),
    locale: canonicalLocale(entry.locale),
    revokedAt: status === 'revoked' ? toIso(entry.revokedAt) : undefined,
    revocationReason: status === 'revoked' ? text(entry.revocationReason) : undefined,
    supersededAt: entry.supersededBy ? toIso(entry.supersededAt) : undefined,
    currentVersion: current && current.certificateId !== entry.certificateId ? { ...current } : undefined,
    pdfSignature: pdfSignatureOf(entry.pdfSignature),
    validUntil:
      typeof entry.validUntil === 'string' && Number.isFinite(Date.parse(entry.validUntil))
        ? new Date(entry.validUntil).toISOString()
        : undefined,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (view as unknown as Record<string, unknown>)[key] = value;
  }
  if (status === 'valid') {
    view.linkedInUrl = linkedInAddToProfileUrl({
      name: certificationName(view),
      organizationName: view.issuer || view.eventName || 'certforge',
      issuedAt: toDate(entry.issuedAt) ?? new Date(Number.NaN),
      certUrl: view.verifyUrl,
      certId: view.certificateId,
    });
  }
  return view;
}

function pdfSignatureOf(value: unknown): VerifyView['pdfSignature'] {
  if (!isRecord(value)) return undefined;
  const level = text(value.level);
  const signer = text(value.signer);
  if (!level || !signer) return undefined;
  const timeStampedAt = toIso(value.timeStampedAt as Parameters<typeof toIso>[0]);
  return { level, signer, ...(timeStampedAt ? { timeStampedAt } : {}) };
}

/**
 * Follows `supersededBy` from `entry` to the newest version. Returns undefined when there is no
 * newer version, or when the chain is broken (a missing entry), loops or is too long: then the
 * last version that could be read is returned if it is newer than `entry`.
 */
export async function resolveChain(
  entry: PublicCertificate,
  read: (certificateId: string) => Promise<PublicCertificate | undefined>,
): Promise<CurrentVersion | undefined> {
  const seen = new Set([entry.certificateId]);
  let last: PublicCertificate = entry;
  for (let hop = 0; hop < MAX_CHAIN_LENGTH && last.supersededBy; hop++) {
    const nextId = last.supersededBy;
    if (seen.has(nextId)) break;
    seen.add(nextId);
    const next = await read(nextId);
    if (!next) break;
    last = next;
  }
  if (last === entry) return undefined;
  return {
    certificateId: last.certificateId,
    status: STATUSES.has(last.status) ? last.status : 'revoked',
    verifyUrl: last.verifyUrl,
  };
}

/** The JSON body of a certificate (GET …?format=json, Accept: application/json). */
export interface VerifyJson {
  certificateId: string;
  status: ViewStatus;
  /** When it expires (null: it does not). */
  validUntil: string | null;
  recipientName: string;
  talkTitle: string | null;
  event: { name: string | null; date: string | null; isoDate: string | null; place: string | null };
  issuer: string;
  issuedAt: string | null;
  locale: string | null;
  verifyUrl: string;
  sha256: string;
  revokedAt: string | null;
  revocationReason: string | null;
  supersededAt: string | null;
  currentVersion: CurrentVersion | null;
  currentVersionUrl: string | null;
  linkedInUrl: string | null;
  /** The Open Badges credential: its URL and what the check found (null: issued before credentials). */
  credential: { url: string; state: Exclude<CredentialState, 'none'> } | null;
  /** The PNG preview's URL (null for a revoked certificate). */
  previewUrl: string | null;
  /** The PDF's URL where the event offers it (null otherwise). */
  pdfUrl: string | null;
  /** How the PDF is signed with the organization's certificate (PAdES level, signer), or null. */
  pdfSignature: { level: string; signer: string; timeStampedAt?: string } | null;
  check?: CheckResult;
}

/** Absolute URL of a file of the certificate (`<verifyUrl>/<file>`). */
export function fileUrl(view: Pick<VerifyView, 'verifyUrl'>, file: string): string {
  return `${view.verifyUrl.replace(/\/+$/, '')}/${file}`;
}

export function toJson(view: VerifyView, check?: CheckResult): VerifyJson {
  return {
    certificateId: view.certificateId,
    status: view.status,
    validUntil: view.validUntil ?? null,
    recipientName: view.recipientName,
    talkTitle: view.talkTitle ?? null,
    event: {
      name: view.eventName ?? null,
      date: view.eventDate ?? null,
      isoDate: view.eventIsoDate ?? null,
      place: view.eventPlace ?? null,
    },
    issuer: view.issuer,
    issuedAt: view.issuedAt ?? null,
    locale: view.locale ?? null,
    verifyUrl: view.verifyUrl,
    sha256: view.sha256,
    revokedAt: view.revokedAt ?? null,
    revocationReason: view.revocationReason ?? null,
    supersededAt: view.supersededAt ?? null,
    currentVersion: view.currentVersion ?? null,
    currentVersionUrl: view.currentVersion?.verifyUrl ?? null,
    linkedInUrl: view.linkedInUrl ?? null,
    credential: view.credential === 'none' ? null : { url: fileUrl(view, 'credential.json'), state: view.credential },
    previewUrl: view.hasPreview ? fileUrl(view, 'preview.png') : null,
    pdfUrl: view.offersPdf ? fileUrl(view, 'certificate.pdf') : null,
    pdfSignature: view.pdfSignature ?? null,
    ...(check ? { check } : {}),
  };
}
