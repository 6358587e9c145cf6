/**
 * Finishes a PDF with pdf-lib: document information, language, dates and an optional
 * JSON attachment. The render pipeline uses it to attach the certificate data (the core
 * already writes the same document information, so a PDF without attachment skips
 * pdf-lib's parse and save). Deterministic: the same input gives the same bytes
 * (no `new Date()`, `updateMetadata: false` so pdf-lib adds no producer/dates of its own).
 */
import type { PDFDocument } from 'pdf-lib';
import { CertforgeError } from './errors.js';

export interface PdfAttachment {
  /** File name shown in the viewer's attachment panel, e.g. `certificate.json`. */
  name: string;
  json: unknown;
  description?: string;
}

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  creator: string;
  producer: string;
  /** BCP 47 tag, written to the catalog's /Lang. */
  language: string;
  /** Used as both creation and modification date. */
  creationDate: Date;
  attachment?: PdfAttachment;
}

const encoder = new TextEncoder();

/** pdf-lib takes ~0.4 s to import: loaded on first use, not at cold start. */
let pdfLib: Promise<typeof import('pdf-lib')> | undefined;

export async function finishPdf(pdf: Uint8Array, meta: PdfMeta): Promise<Uint8Array> {
  pdfLib ??= import('pdf-lib');
  const { AFRelationship, PDFDocument } = await pdfLib;
  if (Number.isNaN(meta.creationDate.getTime())) {
    throw new CertforgeError('INVALID_DATA', 'The PDF creation date is not a valid date');
  }
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch (error) {
    throw new CertforgeError(
      'RENDER_FAILED',
      `The core's PDF cannot be parsed: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }

  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  // One string joined with ", " (as the core writes it), so multi-word keywords stay apart.
  doc.setKeywords([meta.keywords.filter((keyword) => keyword.length > 0).join(', ')]);
  doc.setCreator(meta.creator);
  doc.setProducer(meta.producer);
  doc.setLanguage(meta.language);
  doc.setCreationDate(meta.creationDate);
  doc.setModificationDate(meta.creationDate);

  if (meta.attachment) {
    const json = JSON.stringify(meta.attachment.json, null, 2);
    if (json === undefined) throw new CertforgeError('INVALID_DATA', 'The attachment cannot be serialized to JSON');
    await doc.attach(encoder.encode(json), meta.attachment.name, {
      mimeType: 'application/json',
      description: meta.attachment.description ?? 'Certificate data',
      creationDate: meta.creationDate,
      modificationDate: meta.creationDate,
      afRelationship: AFRelationship.Data,
    });
  }

  // Object streams (PDF 1.5+; the core writes 1.7): measured on the 24 example certificates,
  // 25% smaller (59.7 kB vs 79.2 kB average) and faster (~12 ms vs ~20 ms) than a classic xref table.
  return doc.save({ useObjectStreams: true });
}
