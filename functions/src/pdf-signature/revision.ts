/**
 * Incremental updates: new objects (and new versions of old ones) appended after a PDF's last
 * byte with their own cross-reference section, so that every byte before stays as it was. A
 * signature covers the file as it is when signed; what is added later (the validation data of a
 * PAdES B-LT signature) goes into the next revision and leaves the signature intact.
 *
 * The new section has the same kind as the last one (a cross-reference stream after a stream,
 * as the core writes; a table after a table, as the print bundle writes), /Prev pointing at it,
 * and the trailer's /Root, /Info and /ID carried over. pdf-lib serializes every object
 * (copyBytesInto) and the section (PDFCrossRefStream, PDFCrossRefSection, PDFTrailer); this
 * module only places them.
 */
import {
  PDFArray,
  PDFContext,
  PDFCrossRefSection,
  PDFCrossRefStream,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFObject,
  PDFRef,
  PDFTrailer,
  PDFTrailerDict,
} from 'pdf-lib';
import { PdfSignatureError } from './errors.js';

/** What an incremental update needs to know of the file before it. */
export interface PriorRevision {
  /** Byte length of the file so far. */
  length: number;
  /** Whether the file ends with a newline (the update starts on a new line either way). */
  endsWithNewline: boolean;
  /** Offset of the last cross-reference section (the `startxref` value). */
  startxref: number;
  /** The last section is a cross-reference stream (else a classic table). */
  xrefStream: boolean;
  /** The trailer's /Size: the first free object number. */
  size: number;
  root: PDFRef;
  info?: PDFRef;
  /** The trailer's /ID (PDF/A requires it in every trailer). */
  id?: PDFArray;
}

/** A parsed PDF and what an update of it needs. */
export interface ParsedPdf {
  document: PDFDocument;
  prior: PriorRevision;
}

const TAIL_BYTES = 1024;

/** Reads a PDF (pdf-lib) and the facts of its last revision; PDF_UNREADABLE when it is not one. */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedPdf> {
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    throw new PdfSignatureError('PDF_UNREADABLE', `The PDF cannot be read: ${(error as Error).message}`, {}, error);
  }
  const startxref = lastStartxref(bytes);
  const { Root, Info, ID } = document.context.trailerInfo;
  if (!(Root instanceof PDFRef)) throw new PdfSignatureError('PDF_UNREADABLE', 'The PDF has no catalog reference');
  const id = ID instanceof PDFArray ? ID : undefined;
  const last = bytes[bytes.length - 1];
  return {
    document,
    prior: {
      length: bytes.length,
      endsWithNewline: last === 0x0a || last === 0x0d,
      startxref,
      xrefStream: !startsWith(bytes, startxref, 'xref'),
      size: Math.max(trailerSize(bytes, startxref), document.context.largestObjectNumber + 1),
      root: Root,
      ...(Info instanceof PDFRef ? { info: Info } : {}),
      ...(id ? { id } : {}),
    },
  };
}

function lastStartxref(bytes: Uint8Array): number {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES))).toString('latin1');
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const offset = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(offset) || offset >= bytes.length)
    throw new PdfSignatureError('PDF_UNREADABLE', 'The PDF does not end with startxref and %%EOF');
  return offset;
}

/** The last trailer's /Size (in the cross-reference stream's dictionary, or after `trailer`). */
function trailerSize(bytes: Uint8Array, startxref: number): number {
  const section = Buffer.from(bytes.subarray(startxref, Math.min(bytes.length, startxref + 64 * 1024))).toString(
    'latin1',
  );
  const dictionary = section.slice(0, Math.max(section.indexOf('stream'), section.indexOf('startxref')));
  const match = /\/Size\s+(\d+)/.exec(dictionary);
  return match ? Number(match[1]) : 0;
}

function startsWith(bytes: Uint8Array, offset: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** An object of the update: its number and its serialized body (what goes between `obj` and `endobj`). */
export interface RevisionObject {
  ref: PDFRef;
  body: Uint8Array;
}

/** The serialized body of a pdf-lib object (dictionary, array, stream...). */
export function objectBody(object: PDFObject): Uint8Array {
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

/** The update's bytes, and where each object's body starts in them. */
export interface Revision {
  bytes: Uint8Array;
  /** Offset in `bytes` of each object's body, by object number. */
  bodyOffsets: Map<number, number>;
  /** The file's last revision once these bytes are appended (for the next update). */
  next: PriorRevision;
}

/**
 * The bytes to append to a file whose last revision is `prior`: each object, then a
 * cross-reference section of the same kind with /Prev, and the trailer. Object numbers at or
 * above `prior.size` are new; the update's /Size counts them (and the section's own stream).
 */
export function revisionBytes(prior: PriorRevision, objects: RevisionObject[]): Revision {
  const sorted = [...objects].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber);
  const parts: Uint8Array[] = [];
  let length = 0;
  const push = (part: Uint8Array | string) => {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    parts.push(bytes);
    length += bytes.length;
  };
  if (!prior.endsWithNewline) push('\n');
  const offsets = new Map<number, number>();
  const bodyOffsets = new Map<number, number>();
  for (const { ref, body } of sorted) {
    offsets.set(ref.objectNumber, prior.length + length);
    push(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    bodyOffsets.set(ref.objectNumber, length);
    push(body);
    push('\nendobj\n');
  }
  const highest = sorted.reduce((max, { ref }) => Math.max(max, ref.objectNumber + 1), prior.size);
  const context = PDFContext.create();
  const trailer = (size: number) => {
    const dict = context.obj({}) as PDFDict;
    dict.set(PDFName.of('Size'), PDFNumber.of(size));
    dict.set(PDFName.of('Root'), prior.root);
    if (prior.info) dict.set(PDFName.of('Info'), prior.info);
    if (prior.id) dict.set(PDFName.of('ID'), prior.id);
    dict.set(PDFName.of('Prev'), PDFNumber.of(prior.startxref));
    return dict;
  };
  const xrefOffset = prior.length + length;
  if (prior.xrefStream) {
    const streamRef = PDFRef.of(highest);
    const stream = PDFCrossRefStream.of(trailer(highest + 1), []);
    for (const { ref } of sorted) stream.addUncompressedEntry(ref, offsets.get(ref.objectNumber)!);
    stream.addUncompressedEntry(streamRef, xrefOffset);
    push(`${streamRef.objectNumber} 0 obj\n`);
    push(objectBody(stream));
    push('\nendobj\n');
  } else {
    const section = PDFCrossRefSection.createEmpty();
    for (const { ref } of sorted) section.addEntry(ref, offsets.get(ref.objectNumber)!);
    push(objectBody(section as unknown as PDFObject));
    push(objectBody(PDFTrailerDict.of(trailer(highest)) as unknown as PDFObject));
    push('\n');
  }
  push(objectBody(PDFTrailer.forLastCrossRefSectionOffset(xrefOffset) as unknown as PDFObject));
  push('\n');
  const next: PriorRevision = {
    ...prior,
    length: prior.length + length,
    endsWithNewline: true,
    startxref: xrefOffset,
    size: prior.xrefStream ? highest + 1 : highest,
  };
  return { bytes: Buffer.concat(parts), bodyOffsets, next };
}
