/**
 * The files a certificate's PDF carries, as PDF/A-3 associated files: the certificate data as
 * `certificate.json` (AFRelationship /Data) and whatever the caller adds (the issuing path adds
 * the signed Open Badges credential as /Alternative). The core embeds them while it writes the
 * PDF (one pass, PDF/A-3b checked by krilla); this module only turns JSON values into the
 * core's attachment records, with typed errors for what cannot be serialized.
 */
import { CertforgeError } from './errors.js';

/** PDF/A-3's AFRelationship of an associated file. */
export type AttachmentRelationship = 'data' | 'source' | 'alternative' | 'supplement' | 'unspecified';

export interface PdfAttachment {
  /** File name shown in the viewer's attachment panel, e.g. `certificate.json`. */
  name: string;
  /** The content as a JSON value (written pretty-printed)... */
  json?: unknown;
  /** ...or as text, written as given (UTF-8). */
  text?: string;
  /** Shown by viewers; PDF/A-3 requires one. */
  description: string;
  /** Default `application/json`. */
  mimeType?: string;
  /** Default `supplement`. */
  relationship?: AttachmentRelationship;
}

/** What crosses the WASM boundary (the core's `Attachment`). */
export interface CoreAttachment {
  name: string;
  mimeType: string;
  description: string;
  relationship: AttachmentRelationship;
  content: string;
}

export const DATA_ATTACHMENT_NAME = 'certificate.json';

export function coreAttachment(attachment: PdfAttachment): CoreAttachment {
  let content: string | undefined = typeof attachment.text === 'string' ? attachment.text : undefined;
  try {
    content ??= JSON.stringify(attachment.json, null, 2);
  } catch (error) {
    throw new CertforgeError(
      'INVALID_DATA',
      `The attachment ${attachment.name} cannot be serialized to JSON: ${(error as Error).message}`,
    );
  }
  if (content === undefined)
    throw new CertforgeError('INVALID_DATA', `The attachment ${attachment.name} cannot be serialized to JSON`);
  return {
    name: attachment.name,
    mimeType: attachment.mimeType ?? 'application/json',
    description: attachment.description,
    relationship: attachment.relationship ?? 'supplement',
    content,
  };
}

/** The certificate data as the PDF's `certificate.json`. */
export function dataAttachment(data: unknown): PdfAttachment {
  return { name: DATA_ATTACHMENT_NAME, json: data, description: 'Certificate data', relationship: 'data' };
}

/**
 * What verification needs, embedded whether or not the template prints it: who (`name`), for
 * which event (`event`: name, date, place, isoDate), which certificate (`certificate`: id, url),
 * when (`issuedAt`) and in which language (`locale`).
 */
export const ALWAYS_EMBEDDED = ['name', 'event', 'certificate', 'issuedAt', 'locale'] as const;

/**
 * The part of `data` that `certificate.json` carries: what verification needs (ALWAYS_EMBEDDED)
 * and the values of the template's own placeholders (`fields`, e.g. `talk.title`,
 * `signatories.0.name`), nothing else. A row imported from a CRM may hold phone numbers, notes
 * and internal ids that no certificate shows; they never reach the file a recipient passes on.
 * Arrays keep their positions (a skipped element is `null`).
 */
export function embeddedData(data: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of [...ALWAYS_EMBEDDED, ...fields]) copyPath(data, out, path.split('.'));
  return out;
}

function copyPath(from: unknown, to: Record<string, unknown> | unknown[], path: string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || from === null || typeof from !== 'object') return;
  if (!Object.prototype.hasOwnProperty.call(from, head)) return;
  const value = (from as Record<string, unknown>)[head];
  if (value === undefined) return;
  const target = to as Record<string, unknown>;
  if (rest.length === 0 || value === null || typeof value !== 'object') {
    if (rest.length === 0) target[head] = value;
    return;
  }
  const existing = target[head];
  const next = existing !== null && typeof existing === 'object' ? existing : Array.isArray(value) ? [] : {};
  if (Array.isArray(next)) {
    // Positions before the copied one stay as holes, written `null` by JSON.
    copyPath(value, next, rest);
    for (let i = 0; i < next.length; i++) if (!(i in next)) next[i] = null;
  } else copyPath(value, next as Record<string, unknown>, rest);
  target[head] = next;
}
