/**
 * What `organizerConsole` answers, as the console reads it (console/src/api.ts imports these
 * types). Pure types, no imports: the browser build type-checks this file too.
 */

export type PeopleCollection = 'speakers' | 'participants';
/** A person's certificate state in the console (`none`: no certificate yet). */
export type PersonStatus = 'none' | 'rendering' | 'ready' | 'failed' | 'revoked';

/** An event as the console lists and edits it. */
export interface ConsoleEvent {
  eventId: string;
  name: string;
  date: string | null;
  place: string | null;
  locale: string | null;
  issuer: string | null;
  timeZone: string | null;
  emailOnIssue: boolean;
  offerPdf: boolean;
  /** Months its certificates are valid (event.validity); null: they do not expire, or a validity the console does not edit. */
  validityMonths: number | null;
  templateId: string | null;
  /** A role's own template (event.roles[role].templateId), by role id. */
  roleTemplates: Record<string, string>;
  signatories: { name: string; role: string | null }[];
  roles: string[];
}

export interface StatusCounts {
  total: number;
  rendering: number;
  ready: number;
  failed: number;
}

export interface EventSummary {
  event: ConsoleEvent;
  people: Record<PeopleCollection, StatusCounts>;
  /** Certificates of the event in the registry that are revoked (not counting superseded versions). */
  revoked: number;
  /** The latest bulk run, from its own counters. */
  issuance: {
    runId: string;
    role: string;
    force: boolean;
    total: number;
    ready: number;
    failed: number;
    skipped: number;
    startedAt: string | null;
    finishedAt: string | null;
  } | null;
  /** Verification page views, PDF downloads and LinkedIn additions (verify/stats.ts). */
  stats: { views: number; downloads: number; linkedIn: number };
}

/** One person as the console's people table shows them. */
export interface ConsolePerson {
  personId: string;
  name: string;
  email: string | null;
  talkTitle: string | null;
  role: string;
  status: PersonStatus;
  certificateId: string | null;
  /** Why it failed: the catalogued code and the functions' message (the console explains the code). */
  error: {
    code: string;
    message: string;
    /** MISSING_FIELD: the fields the template needs and the data lacks (e.g. `event.date`). */
    fields?: string[];
    /** FONT_MISSING_GLYPHS: the characters no font could draw. */
    characters?: string;
  } | null;
  /** A participant's eligibility when they have not earned the certificate (NO_ATTENDANCE, ...). */
  eligibility: { code: string; message: string | null } | null;
  revokedReason: string | null;
  warnings: string[];
}

/** One version of a certificate as its history lists it. */
export interface CertificateVersion {
  certificateId: string;
  status: 'valid' | 'revoked' | 'superseded';
  recipientName: string;
  talkTitle: string | null;
  issuedAt: string | null;
  supersededAt: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
  templateId: string;
  templateVersion: string | null;
  verifyUrl: string;
}

export interface CertificateDetail {
  certificate: CertificateVersion;
  eventId: string;
  person: { collection: PeopleCollection; personId: string } | null;
  role: string;
  /** Oldest first. */
  history: CertificateVersion[];
}

export interface ImportPreview {
  ok: true;
  format: string;
  /** Field → the header it is read from. */
  columns: Record<string, string>;
  ignoredColumns: { column: number; header: string; reason: string }[];
  rowsTotal: number;
  accepted: number;
  rows: { line: number; fields: Record<string, unknown> }[];
  rejected: number;
  rejectedRows: { line: number; field?: string | null; code: string; reason: string }[];
}

export type ImportPreviewResult = ImportPreview | { ok: false; error: { code: string; message: string } };

export interface ImportSummary {
  importId: string;
  fileName: string;
  status: string;
  role: string;
  rowsTotal: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejectedRows: { line: number; field?: string | null; code: string; reason: string }[];
  error: { code: string; message: string } | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface TemplateList {
  bundled: string[];
  uploaded: { templateId: string; fileName: string; fonts: string[]; uploadedAt: string | null }[];
  current: string | null;
}

/** A template rendered with sample data: the PNG (base64) and what the renderer warned about, or why it failed. */
export type TemplatePreview =
  | {
      ok: true;
      png: string;
      warnings: { code: string; message: string }[];
      /** The placeholders the template fills, e.g. `name`, `talk.title`. */
      fields: string[];
      /** The page in millimetres. */
      pageMm: { width: number; height: number };
    }
  | { ok: false; error: { code: string; message: string } };

/** Who organizes an event (the event's organizerUids), by their sign-in email. */
export interface OrganizerList {
  organizers: { uid: string; email: string | null; you: boolean }[];
}

/** A recipient's correction request as the console lists it. */
export type { CorrectionRequestItem } from '../issue/correction-requests.js';
