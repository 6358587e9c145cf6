/**
 * The print bundle's PDF writer: many certificate PDFs → one PDF, written as a stream in a
 * memory that does not grow with the number of certificates. Pure pdf-lib and Node, no
 * Firebase (the bench and the unit tests run it on local files).
 *
 * How it stays bounded. A certificate is loaded (a few at a time ahead, `prefetch`), parsed with
 * pdf-lib, and its page and everything the page references are written out at once, as
 * numbered indirect objects of the output file; then the certificate is dropped. What is kept
 * per certificate: its title, the object number of its first page, and one byte offset per
 * object written (for the cross-reference table). Pages hang in a two-level page tree whose
 * nodes are written as they fill (`pagesPerNode` pages each); the root's number is reserved
 * before the first page. At the end come the root, the outline (one bookmark per
 * certificate), the catalog, the document information, the xref table and the trailer.
 *
 * Shared objects are written once. Every certificate of a template embeds the same static
 * artwork (a form XObject with its fonts, images, graphics states): the writer keys each object
 * by its content with every reference replaced by the key of the object it points to (a
 * sha256 of that when longer than 64 characters), and an object whose key was already written
 * is referenced instead of written again. The table of keys is bounded
 * (`sharedObjectsMax`): when full, entries never reused are dropped first. Per-certificate
 * objects (the variable text's font subsets, the page's content stream) are written each time.
 *
 * pdf-lib does the parsing and the serialization of every object (PDFDict, PDFArray,
 * PDFRawStream... copyBytesInto), the header and the trailer (PDFHeader, PDFTrailerDict,
 * PDFTrailer). It does not do the renumbering: instead of PDFObjectCopier (which registers
 * every copy in a PDFContext and numbers it with PDFRef, whose global pool never shrinks), a
 * copied object's references are replaced in place, in the parsed certificate that is thrown
 * away next, by small `OutputRef` objects that print as `n 0 R`. The xref table is written in
 * pieces (20 bytes a line, the same lines as PDFCrossRefSection) rather than built in memory.
 */
import { createHash, hash, type Hash } from 'node:crypto';
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFHeader,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFObject,
  PDFPageLeaf,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  PDFTrailer,
  PDFTrailerDict,
  ParseSpeeds,
  decodePDFRawStream,
} from 'pdf-lib';
import type { SignatureTarget } from '../pdf-signature/pades.js';
import type { PdfSignatureRecord } from '../pdf-signature/service.js';
import { CodedError } from '../shared/errors.js';

/** One certificate of the bundle, in bundle order. */
export interface BundleItem {
  /** The bookmark title (the recipient's name); any Unicode text. */
  title: string;
  /** The certificate's PDF. Called at most `prefetch` items ahead of the one being written. */
  load(): Promise<Uint8Array>;
}

/** Where the bundle's bytes go, in order. The writer awaits each write (backpressure). */
export interface BundleSink {
  write(bytes: Uint8Array): Promise<void>;
}

export interface BundleOptions {
  /** Document title (Info /Title). Default none. */
  title?: string;
  /** BCP 47 language of the bundle (catalog /Lang). Default none. */
  language?: string;
  /** Info /CreationDate. Default: now. */
  creationDate?: Date;
  /** Info /Producer and /Creator. Default 'certforge'. */
  producer?: string;
  /**
   * Certificates loaded ahead of the one being written (download concurrency). Default 8:
   * ~40 ms of Storage latency hidden behind ~6 ms of work per certificate, and only 8
   * certificates' bytes in memory at once.
   */
  prefetch?: number;
  /** Pages per intermediate node of the page tree. Default 50. */
  pagesPerNode?: number;
  /** Keys of shared objects remembered for reuse. Default 20,000 (a few MB). */
  sharedObjectsMax?: number;
  /** Output buffered before a write to the sink, in bytes. Default 1 MiB. */
  flushBytes?: number;
  /** Called after each certificate is written. */
  onProgress?(written: number, total: number): void;
  /**
   * Signs the bundle (pdf-signature/service.ts signatureRevision): given the written file's last
   * revision and its hash so far, the signature revision to append, or undefined (unsigned).
   */
  sign?(
    target: SignatureTarget,
    hashSoFar: () => Hash,
  ): Promise<{ revision: Uint8Array; record: PdfSignatureRecord } | undefined>;
}

export interface BundleStats {
  certificates: number;
  pages: number;
  /** How the bundle is signed (PAdES), when `sign` signed it. */
  signature?: PdfSignatureRecord;
  /** Size of the whole bundle in bytes. */
  bytes: number;
  /** Hex sha256 of the whole bundle. */
  sha256: string;
  /** Indirect objects in the bundle. */
  objects: number;
  /** References to an object already written by an earlier certificate (not written again). */
  sharedReuses: number;
  /** Size of the certificates' PDFs as loaded, in bytes. */
  inputBytes: number;
  /**
   * Whether the bundle is written as PDF/A-3b (XMP identification, the certificates' output
   * intent): when every certificate is PDF/A itself. Certificates issued before certforge
   * wrote PDF/A make a plain PDF bundle, which then does not claim conformance.
   */
  pdfa: boolean;
}

/**
 * Codes of the print bundle's refusals (`details.code` of buildPrintBundle's HttpsError):
 * - NO_READY_CERTIFICATES: the event has no ready, unrevoked certificate;
 * - BUNDLE_TOO_LARGE: more ready certificates than MAX_BUNDLE_CERTIFICATES;
 * - CERTIFICATE_UNREADABLE: a certificate's PDF could not be loaded or parsed (BundleInputError).
 */
export const BUNDLE_ERROR_CODES = ['NO_READY_CERTIFICATES', 'BUNDLE_TOO_LARGE', 'CERTIFICATE_UNREADABLE'] as const;
export type BundleErrorCode = (typeof BUNDLE_ERROR_CODES)[number];

/** A certificate the writer could not use; `index` is its position in the bundle. */
export class BundleInputError extends CodedError<'CERTIFICATE_UNREADABLE'> {
  override readonly name = 'BundleInputError';
  constructor(
    message: string,
    readonly index: number,
    readonly title: string,
    options?: { cause?: unknown },
  ) {
    super('CERTIFICATE_UNREADABLE', message, { index, title }, options);
  }
}

const encoder = new TextEncoder();
const NAME = {
  Metadata: PDFName.of('Metadata'),
  OutputIntents: PDFName.of('OutputIntents'),
  Type: PDFName.of('Type'),
  Parent: PDFName.of('Parent'),
  StructParents: PDFName.of('StructParents'),
  Length: PDFName.of('Length'),
  Annots: PDFName.of('Annots'),
  Subtype: PDFName.of('Subtype'),
  FT: PDFName.of('FT'),
};

/**
 * Drops a certificate's own signature fields from its page: the bundle is a new file, which
 * those signatures do not cover (the bundle gets its own signature, `sign`).
 */
function dropSignatureWidgets(leaf: PDFPageLeaf): void {
  const annots = leaf.lookupMaybe(NAME.Annots, PDFArray);
  if (!annots) return;
  const kept = annots.asArray().filter((entry) => {
    const annot = leaf.context.lookup(entry);
    return !(
      annot instanceof PDFDict &&
      annot.get(NAME.Subtype) === PDFName.of('Widget') &&
      annot.get(NAME.FT) === PDFName.of('Sig')
    );
  });
  // Written as a direct array, so that the bundle's own signature can add its widget to it.
  if (kept.length) leaf.set(NAME.Annots, leaf.context.obj(kept));
  else leaf.delete(NAME.Annots);
}
const INHERITABLE = PDFPageLeaf.InheritableEntries.map((key) => PDFName.of(key));

/**
 * A reference to an object of the output file (`n 0 R`). Not a PDFRef: PDFRef.of keeps every
 * instance in a global pool for the life of the process, which would grow with the bundle.
 */
class OutputRef extends PDFObject {
  private readonly tag: string;
  constructor(readonly objectNumber: number) {
    super();
    this.tag = `${objectNumber} 0 R`;
  }
  override clone(): OutputRef {
    return this;
  }
  override toString(): string {
    return this.tag;
  }
  override sizeInBytes(): number {
    return this.tag.length;
  }
  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    for (let i = 0; i < this.tag.length; i++) buffer[offset + i] = this.tag.charCodeAt(i);
    return this.tag.length;
  }
}

/** Keys of objects already written → their object number; bounded, reused entries kept. */
class SharedObjects {
  private readonly entries = new Map<string, { objectNumber: number; reused: boolean }>();
  reuses = 0;
  constructor(private readonly max: number) {}

  get(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    entry.reused = true;
    this.reuses++;
    return entry.objectNumber;
  }

  add(key: string, objectNumber: number): void {
    if (this.max <= 0) return;
    if (this.entries.size >= this.max) {
      for (const [k, entry] of this.entries) if (!entry.reused) this.entries.delete(k);
      // Everything left was reused: keep it, remember nothing new.
      if (this.entries.size >= this.max) return;
    }
    this.entries.set(key, { objectNumber, reused: false });
  }
}

/**
 * The output file. Writing is synchronous into buffers of `flushBytes`; full buffers wait in a
 * queue that `drain()` hands to the sink (the writer drains after each certificate, so the
 * queue holds at most about one certificate's output). Hashed and counted on the way.
 */
class Output {
  private chunk: Uint8Array;
  private used = 0;
  private readonly full: Uint8Array[] = [];
  private readonly hash = createHash('sha256');
  /** Bytes in `full` and before: everything but the current chunk. */
  private sealed = 0;
  /** offsets[n] = byte offset of object n (index 0 unused). */
  readonly offsets: number[] = [0];
  private lastObjectNumber = 0;

  constructor(
    private readonly sink: BundleSink,
    private readonly flushBytes: number,
  ) {
    this.chunk = new Uint8Array(flushBytes);
  }

  get position(): number {
    return this.sealed + this.used;
  }

  /** A new object number. Every number allocated must be written (the xref has no gaps). */
  allocate(): number {
    return ++this.lastObjectNumber;
  }

  get objectCount(): number {
    return this.lastObjectNumber;
  }

  private seal(): void {
    if (this.used === 0) return;
    const bytes = this.chunk.subarray(0, this.used);
    this.hash.update(bytes);
    this.full.push(bytes);
    this.sealed += this.used;
    // The sink may keep a buffer until it is written: the next one is new.
    this.chunk = new Uint8Array(this.flushBytes);
    this.used = 0;
  }

  /** Writes `size` bytes with `fill(buffer, offset)`, which returns how many it wrote. */
  private put(size: number, fill: (buffer: Uint8Array, offset: number) => number): void {
    if (this.used + size > this.chunk.length) this.seal();
    if (size > this.chunk.length) {
      // Larger than a buffer: a buffer of its own.
      const own = new Uint8Array(size);
      const written = fill(own, 0);
      if (written !== size) throw new Error(`internal: wrote ${written} bytes for ${size}`);
      this.hash.update(own);
      this.full.push(own);
      this.sealed += size;
      return;
    }
    const written = fill(this.chunk, this.used);
    if (written !== size) throw new Error(`internal: wrote ${written} bytes for ${size}`);
    this.used += size;
  }

  text(text: string): void {
    const bytes = encoder.encode(text);
    this.put(bytes.length, (buffer, offset) => {
      buffer.set(bytes, offset);
      return bytes.length;
    });
  }

  /** Something pdf-lib serializes (an object, a header, a trailer). */
  serialized(piece: { sizeInBytes(): number; copyBytesInto(buffer: Uint8Array, offset: number): number }): void {
    this.put(piece.sizeInBytes(), (buffer, offset) => piece.copyBytesInto(buffer, offset));
  }

  /** `n 0 obj`, the object, `endobj`; records the offset. */
  object(objectNumber: number, object: PDFObject): void {
    if (this.offsets[objectNumber] !== undefined) throw new Error(`internal: object ${objectNumber} written twice`);
    this.offsets[objectNumber] = this.position;
    this.text(`${objectNumber} 0 obj\n`);
    this.serialized(object);
    this.text('\nendobj\n');
  }

  /** Hands the full buffers to the sink (all of it with `everything`). */
  async drain(everything = false): Promise<void> {
    if (everything) this.seal();
    while (this.full.length) await this.sink.write(this.full.shift()!);
  }

  /** The hash of what was written so far, to be continued (a signature's digest). */
  hashSoFar(): Hash {
    return this.hash.copy().update(this.chunk.subarray(0, this.used));
  }

  /** sha256 of what was written so far (the trailer's /ID is derived from it). */
  digestSoFar(): Buffer {
    return this.hashSoFar().digest();
  }

  /** Raw bytes (a revision appended whole). */
  bytes(bytes: Uint8Array): void {
    this.put(bytes.length, (buffer, offset) => {
      buffer.set(bytes, offset);
      return bytes.length;
    });
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    await this.drain(true);
    return { bytes: this.sealed, sha256: this.hash.digest('hex') };
  }
}

/** What a source object became: its output object number, and its content key (null: never shared). */
interface Copied {
  objectNumber: number | null;
  key: string | null;
}

/**
 * Copies the objects reachable from one certificate page into the output, renumbered, reusing
 * shared objects. One instance per certificate (its memo maps that certificate's refs).
 */
class CertificateCopier {
  private readonly memo = new Map<PDFRef, Copied>();
  /** Refs being copied (ancestors on the current path) → a number forced by a cycle through them. */
  private readonly active = new Map<PDFRef, { forced: number | null }>();

  constructor(
    private readonly context: PDFContext,
    private readonly output: Output,
    private readonly shared: SharedObjects,
  ) {}

  /** The page's own ref: references to it (e.g. from annotations) resolve to `objectNumber`. */
  pin(ref: PDFRef, objectNumber: number): void {
    this.memo.set(ref, { objectNumber, key: null });
  }

  copyRef(ref: PDFRef): Copied {
    const known = this.memo.get(ref);
    if (known) return known;
    const inProgress = this.active.get(ref);
    if (inProgress) {
      // A cycle: the ancestor gets its number now, and nothing on the cycle is shared.
      inProgress.forced ??= this.output.allocate();
      return { objectNumber: inProgress.forced, key: null };
    }
    const object = this.context.lookup(ref);
    if (object === undefined || object === PDFNull) {
      const missing = { objectNumber: null, key: 'null' };
      this.memo.set(ref, missing);
      return missing;
    }
    const state = { forced: null as number | null };
    this.active.set(ref, state);
    const parts: string[] = [];
    const shareable = this.digest(object, parts);
    this.active.delete(ref);

    let result: Copied;
    if (state.forced !== null || !shareable) {
      const objectNumber = state.forced ?? this.output.allocate();
      this.write(objectNumber, object);
      result = { objectNumber, key: null };
    } else {
      // Small objects are their own key; longer ones are keyed by a hash of their fingerprint
      // (base64, which never equals a fingerprint: those always contain '<', '[', ' ', '@' or '$').
      const fingerprint = parts.join('');
      const key = fingerprint.length <= 64 ? fingerprint : hash('sha256', fingerprint, 'base64');
      const existing = this.shared.get(key);
      if (existing !== undefined) {
        result = { objectNumber: existing, key };
      } else {
        const objectNumber = this.output.allocate();
        this.write(objectNumber, object);
        this.shared.add(key, objectNumber);
        result = { objectNumber, key };
      }
    }
    this.memo.set(ref, result);
    return result;
  }

  /**
   * Copies what `object` references and appends its fingerprint to `parts` (null: copy only):
   * its content, with each reference replaced by the key of what it points to. False when
   * something it references is not shareable (then neither is the object).
   */
  digest(object: PDFObject, parts: string[] | null): boolean {
    if (object instanceof PDFRef) {
      const copied = this.copyRef(object);
      // Length-prefixed: a key may contain any character, the framing stays unambiguous.
      if (parts && copied.key !== null) parts.push('@', String(copied.key.length), ':', copied.key);
      return copied.key !== null;
    }
    if (object instanceof PDFDict) {
      let shareable = true;
      parts?.push('<<');
      for (const [key, value] of object.entries()) {
        parts?.push(key.asString(), ' ');
        if (!this.digest(value, parts)) shareable = false;
      }
      parts?.push('>>');
      return shareable;
    }
    if (object instanceof PDFArray) {
      let shareable = true;
      parts?.push('[');
      for (let i = 0; i < object.size(); i++) {
        if (!this.digest(object.get(i), parts)) shareable = false;
      }
      parts?.push(']');
      return shareable;
    }
    if (object instanceof PDFRawStream) {
      // /Length is rewritten from the contents when serialized; an indirect one is not copied.
      object.dict.delete(NAME.Length);
      const shareable = this.digest(object.dict, parts);
      parts?.push('stream', hash('sha256', object.contents, 'base64'));
      return shareable;
    }
    if (object instanceof PDFStream) {
      // Only pdf-lib's own stream types, which parsing does not produce: copied, never shared.
      this.digest(object.dict, null);
      return false;
    }
    if (object instanceof PDFNumber) {
      parts?.push(String(object.asNumber()), ' ');
      return true;
    }
    if (object instanceof PDFName) {
      parts?.push(object.asString(), ' ');
      return true;
    }
    // Strings (length-prefixed), booleans, null: their PDF syntax is their identity.
    const syntax = object.toString();
    parts?.push('$', String(syntax.length), ':', syntax);
    return true;
  }

  /** Replaces references (in place) with output refs, then writes the object. */
  write(objectNumber: number, object: PDFObject): void {
    this.rewrite(object);
    this.output.object(objectNumber, object);
  }

  private target(ref: PDFRef): PDFObject {
    const copied = this.memo.get(ref);
    const objectNumber = copied ? copied.objectNumber : this.active.get(ref)?.forced;
    if (objectNumber === undefined) throw new Error(`internal: ${ref.toString()} not copied before its referrer`);
    return objectNumber === null ? PDFNull : new OutputRef(objectNumber);
  }

  rewrite(object: PDFObject): void {
    if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) {
        if (value instanceof PDFRef) object.set(key, this.target(value));
        else this.rewrite(value);
      }
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) {
        const value = object.get(i);
        if (value instanceof PDFRef) object.set(i, this.target(value));
        else this.rewrite(value);
      }
    } else if (object instanceof PDFStream) {
      this.rewrite(object.dict);
    }
  }
}

/** A PDF text string: UTF-16BE with a byte order mark (bookmark panels show any script). */
export function pdfTextString(text: string): PDFHexString {
  // C0/C1 controls (a newline in a name) would show as boxes in the bookmark panel.
  const clean = text
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim();
  return PDFHexString.fromText(clean);
}

const LANGUAGE_TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

/** Whether a certificate's catalog identifies it as PDF/A (an output intent and pdfaid in its XMP). */
function isPdfA(document: PDFDocument): boolean {
  const metadata = document.catalog.lookup(NAME.Metadata);
  if (!(metadata instanceof PDFRawStream) || !(document.catalog.lookup(NAME.OutputIntents) instanceof PDFArray))
    return false;
  const xmp = Buffer.from(decodePDFRawStream(metadata).decode()).toString('utf8');
  return /pdfaid:part\s*(=\s*["']\d["']|>\s*\d\s*<)/.test(xmp);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const xmlText = (text: string) => text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!);

/**
 * The bundle's XMP packet, agreeing with its document information (PDF/A 6.6.3): title,
 * creator tool, producer, dates; with the PDF/A-3b identification when `pdfa`.
 */
export function bundleXmp(meta: {
  title?: string;
  producer: string;
  created: Date;
  language?: string;
  pdfa: boolean;
}): string {
  // Seconds precision, UTC, as the Info dictionary's D:YYYYMMDDHHmmSSZ.
  const date = meta.created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const title = meta.title ? pdfTextString(meta.title).decodeText() : undefined;
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
    ...(title
      ? [`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(title)}</rdf:li></rdf:Alt></dc:title>`]
      : []),
    ...(meta.language
      ? [`<dc:language><rdf:Bag><rdf:li>${xmlText(meta.language)}</rdf:li></rdf:Bag></dc:language>`]
      : []),
    '<dc:format>application/pdf</dc:format>',
    `<xmp:CreatorTool>${xmlText(meta.producer)}</xmp:CreatorTool>`,
    `<xmp:CreateDate>${date}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `<pdf:Producer>${xmlText(meta.producer)}</pdf:Producer>`,
    ...(meta.pdfa ? ['<pdfaid:part>3</pdfaid:part>', '<pdfaid:conformance>B</pdfaid:conformance>'] : []),
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

/**
 * Writes `items` (in that order) as one PDF to `sink`: each certificate's pages, a bookmark per
 * certificate titled `item.title` pointing at its first page, page labels 1..n, document
 * information. Throws BundleInputError for a certificate that does not load or parse; the sink
 * has then received part of a file, which the caller discards.
 */
export async function writePdfBundle(
  items: readonly BundleItem[],
  sink: BundleSink,
  options: BundleOptions = {},
): Promise<BundleStats> {
  if (items.length === 0) throw new RangeError('A bundle needs at least one certificate');
  const prefetch = Math.max(1, options.prefetch ?? 8);
  const pagesPerNode = Math.max(2, options.pagesPerNode ?? 50);
  const output = new Output(sink, Math.max(64 * 1024, options.flushBytes ?? 1024 * 1024));
  const shared = new SharedObjects(options.sharedObjectsMax ?? 20_000);
  /** A factory for the dictionaries the writer makes itself (nothing is registered in it). */
  const factory = PDFContext.create();

  output.serialized(PDFHeader.forVersion(1, 7));
  output.text('\n\n');
  const pagesRoot = output.allocate();

  // The page tree: nodes of up to pagesPerNode pages, each written when full.
  const nodes: { objectNumber: number; count: number }[] = [];
  let node: { objectNumber: number; kids: number[] } | undefined;
  let pageCount = 0;
  const flushNode = () => {
    if (!node) return;
    const dict = factory.obj({
      Type: 'Pages',
      Parent: new OutputRef(pagesRoot),
      Kids: node.kids.map((kid) => new OutputRef(kid)),
      Count: node.kids.length,
    });
    output.object(node.objectNumber, dict);
    nodes.push({ objectNumber: node.objectNumber, count: node.kids.length });
    node = undefined;
  };

  /** The bundle's first page, as written (a signature's widget goes on it). */
  let firstPage: { ref: PDFRef; dict: PDFDict } | undefined;
  /** Object number of each certificate's first page. */
  const firstPages: number[] = new Array<number>(items.length);
  let inputBytes = 0;
  /** PDF/A while every certificate is; the first certificate's output intents, copied. */
  let pdfa = true;
  let outputIntents: PDFArray | undefined;

  // Loads run up to `prefetch` items ahead; a rejection is observed when its turn comes.
  const loads: (Promise<Uint8Array> | undefined)[] = new Array<Promise<Uint8Array> | undefined>(items.length);
  const startLoad = (index: number) => {
    if (index >= items.length || loads[index]) return;
    const promise = Promise.resolve().then(() => items[index]!.load());
    promise.catch(() => undefined);
    loads[index] = promise;
  };
  for (let i = 0; i < prefetch; i++) startLoad(i);

  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    let bytes: Uint8Array;
    try {
      bytes = await loads[index]!;
    } catch (error) {
      throw new BundleInputError(
        `Could not load the certificate of ${item.title}: ${(error as Error).message}`,
        index,
        item.title,
        { cause: error },
      );
    } finally {
      loads[index] = undefined;
      startLoad(index + prefetch);
    }
    inputBytes += bytes.byteLength;
    let document: PDFDocument;
    try {
      document = await PDFDocument.load(bytes, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
    } catch (error) {
      throw new BundleInputError(
        `The certificate of ${item.title} is not a readable PDF: ${(error as Error).message}`,
        index,
        item.title,
        { cause: error },
      );
    }
    const pages = document.getPages();
    if (pages.length === 0)
      throw new BundleInputError(`The certificate of ${item.title} has no page`, index, item.title);
    const copier = new CertificateCopier(document.context, output, shared);
    pdfa &&= isPdfA(document);
    if (pdfa && !outputIntents) {
      outputIntents = document.catalog.lookup(NAME.OutputIntents, PDFArray);
      copier.digest(outputIntents, null);
      copier.rewrite(outputIntents);
    }
    // All pages get their numbers first: a page may refer to another (a link's destination).
    const pageNumbers = pages.map((page) => {
      const pageNumber = output.allocate();
      copier.pin(page.ref, pageNumber);
      return pageNumber;
    });
    firstPages[index] = pageNumbers[0]!;
    for (const [p, page] of pages.entries()) {
      if (!node || node.kids.length >= pagesPerNode) {
        flushNode();
        node = { objectNumber: output.allocate(), kids: [] };
      }
      const pageNumber = pageNumbers[p]!;
      const leaf = page.node;
      // What the page inherits from its tree goes on the page itself; /Parent is ours; the
      // structure tree (tagged PDF) is not carried over, so neither is the page's key into it.
      for (const key of INHERITABLE) {
        const value = leaf.getInheritableAttribute(key);
        if (value !== undefined && leaf.get(key) === undefined) leaf.set(key, value);
      }
      leaf.delete(NAME.Parent);
      leaf.delete(NAME.StructParents);
      dropSignatureWidgets(leaf);
      copier.digest(leaf, null);
      copier.rewrite(leaf);
      leaf.set(NAME.Parent, new OutputRef(node.objectNumber));
      output.object(pageNumber, leaf);
      if (pageCount === 0) firstPage = { ref: PDFRef.of(pageNumber), dict: leaf };
      node.kids.push(pageNumber);
      pageCount++;
    }
    await output.drain();
    options.onProgress?.(index + 1, items.length);
  }
  flushNode();

  // The page tree's root.
  output.object(
    pagesRoot,
    factory.obj({ Type: 'Pages', Kids: nodes.map((n) => new OutputRef(n.objectNumber)), Count: pageCount }),
  );

  // The outline: one item per certificate, in order, at the top level.
  const outlines = output.allocate();
  const firstItem = outlines + 1;
  for (let i = 0; i < items.length; i++) output.allocate();
  const itemRef = (i: number) => new OutputRef(firstItem + i);
  output.object(
    outlines,
    factory.obj({ Type: 'Outlines', First: itemRef(0), Last: itemRef(items.length - 1), Count: items.length }),
  );
  for (let i = 0; i < items.length; i++) {
    const dict = factory.obj({
      Title: pdfTextString(items[i]!.title),
      Parent: new OutputRef(outlines),
      ...(i > 0 ? { Prev: itemRef(i - 1) } : {}),
      ...(i < items.length - 1 ? { Next: itemRef(i + 1) } : {}),
      Dest: [new OutputRef(firstPages[i]!), 'Fit'],
    });
    output.object(firstItem + i, dict);
  }

  const language = options.language && LANGUAGE_TAG.test(options.language) ? options.language : undefined;
  const producer = options.producer ?? 'certforge';
  const creationDate = new Date(Math.floor((options.creationDate ?? new Date()).getTime() / 1000) * 1000);
  // XMP metadata is never compressed (PDF/A 6.6.2.1: no /Filter on a metadata stream).
  const metadata = output.allocate();
  const xmp = new TextEncoder().encode(
    bundleXmp({
      title: options.title,
      producer,
      created: creationDate,
      language,
      pdfa: pdfa && outputIntents !== undefined,
    }),
  );
  output.object(metadata, PDFRawStream.of(factory.obj({ Type: 'Metadata', Subtype: 'XML', Length: xmp.length }), xmp));

  const catalog = output.allocate();
  const catalogDict = factory.obj({
    Type: 'Catalog',
    Pages: new OutputRef(pagesRoot),
    Outlines: new OutputRef(outlines),
    PageMode: 'UseOutlines',
    // Decimal page numbers from 1 (the certificates' own documents have no labels).
    PageLabels: { Nums: [0, { S: 'D' }] },
    ...(language ? { Lang: PDFString.of(language) } : {}),
    Metadata: new OutputRef(metadata),
    ...(pdfa && outputIntents ? { OutputIntents: outputIntents } : {}),
  });
  output.object(catalog, catalogDict);

  const info = output.allocate();
  const created = PDFString.fromDate(creationDate);
  output.object(
    info,
    factory.obj({
      ...(options.title ? { Title: pdfTextString(options.title) } : {}),
      Creator: pdfTextString(producer),
      Producer: pdfTextString(producer),
      CreationDate: created,
      ModDate: created,
    }),
  );

  // Cross-reference table: objects 1..n, all written (numbers are allocated only for them).
  const size = output.objectCount + 1;
  const xrefOffset = output.position;
  output.text(`xref\n0 ${size}\n0000000000 65535 f \n`);
  let lines = '';
  for (let n = 1; n < size; n++) {
    const offset = output.offsets[n];
    if (offset === undefined) throw new Error(`internal: object ${n} was allocated but not written`);
    lines += `${String(offset).padStart(10, '0')} 00000 n \n`;
    if (lines.length >= 64 * 1024) {
      output.text(lines);
      lines = '';
      await output.drain();
    }
  }
  output.text(lines);
  const id = PDFHexString.of(output.digestSoFar().subarray(0, 16).toString('hex'));
  const trailer = factory.obj({
    Size: PDFNumber.of(size),
    Root: new OutputRef(catalog),
    Info: new OutputRef(info),
    ID: [id, id],
  });
  output.serialized(PDFTrailerDict.of(trailer));
  output.text('\n');
  output.serialized(PDFTrailer.forLastCrossRefSectionOffset(xrefOffset));
  output.text('\n');
  const signed = await options.sign?.(
    {
      prior: {
        length: output.position,
        endsWithNewline: true,
        startxref: xrefOffset,
        xrefStream: false,
        size,
        root: PDFRef.of(catalog),
        info: PDFRef.of(info),
        id: factory.obj([id, id]),
      },
      catalog: catalogDict,
      page: firstPage!,
      // Everything the writer refers to is written already: nothing to look up.
      lookup: () => undefined,
    },
    () => output.hashSoFar(),
  );
  if (signed) output.bytes(signed.revision);
  const { bytes, sha256 } = await output.finish();
  return {
    certificates: items.length,
    pages: pageCount,
    bytes,
    sha256,
    objects: size - 1,
    sharedReuses: shared.reuses,
    inputBytes,
    pdfa: pdfa && outputIntents !== undefined,
    ...(signed ? { signature: signed.record } : {}),
  };
}
