/**
 * The Firestore data contract (docs/firebase.md, "Data model"): the documents certforge reads and writes,
 * as types, and the one conversion of their dates. No Firebase imports (paths are in paths.ts).
 *
 *   events/{eventId}                      EventDoc (+ `issuance`, written by functions only)
 *   events/{eventId}/speakers/{speakerId} SpeakerDoc (+ `certificate`, written by functions only)
 *   events/{eventId}/participants/{id}    ParticipantDoc: attendees and organizer-defined roles
 *                                         (+ `certificate`, `eligibility`, written by functions only)
 *   certificates/{certificateId}          PublicCertificate: the public registry behind /verify/<id>
 *   mail/{certificateId}                  MailDoc (mail.ts), for the Trigger Email extension
 */

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
  /** The verification page: `offerPdf: true` offers the PDF for download there (default off). */
  verification?: { offerPdf?: boolean };
  /** Progress of the latest bulk issuance (functions only). */
  issuance?: IssuanceProgress;
  /**
   * The roles of the event beyond speakers, by role id (a lower-case slug: `attendee`, `volunteer`,
   * ...), and optionally `speaker` to give speakers their own template or wording (shared/roles.ts).
   */
  roles?: Record<string, RoleConfig>;
  /** How long the event's certificates are valid (training, CPD); absent: they do not expire. */
  validity?: ValiditySetting;
  /** IANA time zone the event's days are counted in (attendance on N days); default UTC. */
  timeZone?: string;
  /** Outbound webhook endpoints (setWebhookEndpoints, functions only: outbound/endpoints.ts). */
  webhooks?: unknown[];
  /** Connections to pretix and pretalx (connectSource, functions only: connectors/sync.ts). */
  connectors?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One role of an event (`event.roles[roleId]`), every field optional. */
export interface RoleConfig {
  /** How the role is named on the verification page and in the credential ("Volunteer"); by locale or one text. */
  label?: string | Record<string, string>;
  /** The template of this role's certificates (default: the event's). */
  templateId?: string;
  /** The wording of the achievement ("Helped run the registration desk"), in the credential and as {{role.wording}}. */
  wording?: string;
  /** Who earns the certificate. Without a rule: everyone of the role, on creation (like speakers). */
  eligibility?: EligibilityRule;
  /** How long this role's certificates are valid (shared/validity.ts); default the event's. */
  validity?: ValiditySetting;
}

/** How long certificates are valid (shared/validity.ts): an ISO 8601 period, or a last day. */
export interface ValiditySetting {
  /** e.g. "P2Y", "P18M", "P90D": counted from the event date (or the issue, or a renewal). */
  period?: string;
  /** "YYYY-MM-DD": valid through the end of that day (UTC). */
  until?: string;
}

/**
 * Who earns a certificate, e.g. an attendance certificate: every condition given must hold.
 * `{ checkins: 1 }` checked in at least once; `{ days: 2 }` on at least 2 distinct days (in the
 * event's time zone); `{ minutes: 90 }` at least 90 minutes online, summed over rejoins.
 */
export interface EligibilityRule {
  checkins?: number;
  days?: number;
  minutes?: number;
}

/** The evidence of attendance a participant carries (from a ticketing system, a report, a check-in app). */
export interface Attendance {
  /** ISO 8601 instants of check-ins. */
  checkins?: string[];
  /** YYYY-MM-DD days attended (when a source gives days, not instants). */
  days?: string[];
  /** Minutes online, summed over rejoins. */
  minutes?: number;
  /** A source that says "checked in" without a time. */
  checkedIn?: boolean;
}

/** What the functions concluded about a participant (`eligibility`, written by functions only). */
export interface EligibilityRecord {
  eligible: boolean;
  /** Why not: NO_ATTENDANCE, TOO_FEW_CHECKINS, TOO_FEW_DAYS, TOO_FEW_MINUTES, TICKET_CANCELED, UNKNOWN_ROLE. */
  code?: string;
  message?: string;
  evidence: AttendanceEvidence;
  at: FirestoreDate;
}

/** The counted evidence (what the certificate and the credential state). */
export interface AttendanceEvidence {
  checkins: number;
  /** Distinct days, sorted. */
  days: string[];
  minutes: number;
}

/** A participant of a role other than speaker (events/{eventId}/participants/{id}). */
export interface ParticipantDoc extends SpeakerDoc {
  /** The role id (default `attendee`). */
  role?: unknown;
  attendance?: Attendance;
  /** A ticket cancelled or refunded: no certificate (and a revocation if one was issued). */
  ticket?: { status?: 'valid' | 'canceled' | 'refunded' | string; [key: string]: unknown };
  /** Where this participant comes from (a connector), so that a sync updates instead of duplicating. */
  source?: { system: string; ref: string; [key: string]: unknown };
  eligibility?: EligibilityRecord;
}

/** `events/{eventId}.issuance`: the latest bulk run, summed from its counter shards. */
export interface IssuanceProgress {
  runId: string;
  force: boolean;
  /** A renewal run (issueEventCertificates({ renew })): every new version starts a new validity period. */
  renew?: boolean;
  total: number;
  ready: number;
  failed: number;
  /** Speakers deleted between the listing and their task. */
  skipped: number;
  startedAt: FirestoreDate;
  finishedAt: FirestoreDate | null;
  /** Start times of the forced runs of the last 24 h (at most MAX_FORCED_RUNS, shared/rate-limits.ts). */
  forcedRunsAt?: FirestoreDate[];
  /** The role of the run when not speakers (issueEventCertificates({ role })). */
  role?: string;
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
  /** Where the PNG preview is (or will be: it is rendered on first request, issue/preview.ts). */
  pngPath?: string;
  /** The PNG's Firebase download token, chosen at issue so that every render of it stores the same. */
  pngToken?: string;
  /** Hex sha256 of the PDF (also in the file's custom metadata); of the signed file when signed. */
  sha256?: string;
  /** How the PDF is signed with the organization's certificate (PAdES level, signer, time-stamp). */
  pdfSignature?: { level: 'B-B' | 'B-T' | 'B-LT'; signer: string; timeStampedAt?: FirestoreDate };
  pngSha256?: string;
  /** ISO instant when its validity starts: the event date, the replaced version's, or a renewal's moment. */
  validFrom?: string;
  /** ISO instant when it expires (event.validity); absent: it does not expire. */
  validUntil?: string;
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
  /** Instants (ms) of this participant's re-renders in the last 24 h (shared/rate-limits.ts). */
  reissuedAt?: number[];
  /** With event.emailOnIssue: whether this version's mail was queued, or held back by a limit and why. */
  mail?: CertificateMail;
  /** A correction (name or title edit) that a rate limit held back: call generateCertificate({ force }) after retryAfter. */
  held?: { code: string; message: string; retryAfter?: string; subject: CertificateSubject; at: FirestoreDate };
}

/** What happened to a version's mail (event.emailOnIssue). */
export interface CertificateMail {
  status: 'queued' | 'held';
  /**
   * Why it was held: NO_ADDRESS (the participant has no valid email), PARTICIPANT_WINDOW (mailed
   * in the last 24 h), ADDRESS_LIMIT (the address got MAIL_PER_ADDRESS mails in 24 h),
   * EVENT_LIMIT (the event's mails of the UTC day are used up).
   */
  reason?: 'NO_ADDRESS' | 'PARTICIPANT_WINDOW' | 'ADDRESS_LIMIT' | 'EVENT_LIMIT';
}

/** What a certificate states about its recipient: a change of these issues a corrected version. */
export interface CertificateSubject {
  name: string | null;
  talkTitle: string | null;
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
  /** 'events/{eventId}/speakers/{speakerId}' or 'events/{eventId}/participants/{id}' (not public). */
  participantPath: string;
  /** The role id (`speaker`, `attendee`, `volunteer`, ...); absent on entries from before roles: speakers. */
  role?: string;
  /** The organizer's name for the role, when the event gave one (shown instead of the translated role). */
  roleLabel?: string | Record<string, string>;
  /** The attendance the certificate was issued for (attendance roles). */
  evidence?: AttendanceEvidence;
  templateId: string;
  /** The template's version the certificate was rendered with: the preview is rendered with the same. */
  templateVersion?: string;
  /** The PNG preview's download token (not public). */
  pngToken?: string;
  supersedes?: string;
  supersededBy?: string;
  supersededAt?: FirestoreDate;
  revokedAt?: FirestoreDate;
  revocationReason?: string;
  /** ISO instant when it expires (event.validity): "expired" on the verification page after it. */
  validUntil?: string;
  /** How the PDF is signed with the organization's certificate (PAdES); absent when unsigned. */
  pdfSignature?: { level: 'B-B' | 'B-T' | 'B-LT'; signer: string; timeStampedAt?: FirestoreDate };
  /** The signed OpenBadgeCredential as embedded in the PDF (JSON text). Absent on certificates issued before credentials. */
  credentialJson?: string;
  /** Its status list (`statusLists/{id}`, served at <verify base>/status/<id>) and position. */
  statusList?: string;
  statusIndex?: number;
  /** The event allowed the PDF on the verification page (event.verification.offerPdf). */
  offerPdf?: boolean;
}

/** A Firestore Timestamp as read back, or a Date as written. */
export type FirestoreDate = Date | { toDate(): Date };

/** The instant of a Firestore date (or an ISO string), undefined when absent or unreadable. */
export function toDate(value: FirestoreDate | string | undefined | null): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = typeof value === 'string' ? new Date(value) : value instanceof Date ? value : value.toDate();
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** ISO 8601 of a Firestore date (or an ISO string), undefined when absent or unreadable. */
export function toIso(value: FirestoreDate | string | undefined | null): string | undefined {
  return toDate(value)?.toISOString();
}
