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
