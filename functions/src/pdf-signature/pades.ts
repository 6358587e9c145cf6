/**
 * PAdES baseline signatures (ETSI EN 319 142-1) on certforge's PDFs, as incremental updates
 * that leave the signed file PDF/A-3b and every byte of it in place:
 *
 *   B-B   one revision: an invisible signature field on the first page (a widget with an empty
 *         rectangle, Print and Locked), the catalog's /AcroForm (SigFlags 3), and the signature
 *         dictionary (/Adobe.PPKLite, /ETSI.CAdES.detached, /M the signing time) whose /Contents
 *         holds the CMS signature (cms.ts) of every byte of the file except /Contents itself;
 *   B-T   the same, with the authority's time-stamp of the signature value (timestamp.ts);
 *   B-LT  then a second revision: the document security store (/DSS) with every certificate of
 *         both chains and their OCSP answers or CRLs (revocation.ts), when all can be fetched.
 *
 * A file can be signed whole (signPdf) or streamed (the print bundle): `prepareSignature` gives
 * the revision's bytes around /Contents, the caller hashes what it wrote before them, then
 * `sealSignature` fills /Contents.
 */
import { createHash, type Hash } from 'node:crypto';
import { PDFArray, PDFContext, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import { signDetached, signatureTimeStampAttribute, type KeySigner } from './cms.js';
import { PdfSignatureError } from './errors.js';
import type { PkiHttp } from './pki-http.js';
import { fetchValidationData } from './revocation.js';
import { objectBody, parsePdf, revisionBytes, type PriorRevision, type RevisionObject } from './revision.js';
import { timeStamp, type TimeStamp } from './timestamp.js';

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT';

export interface PadesOptions {
  signer: KeySigner;
  /** The claimed signing time (/M). */
  signingTime: Date;
  /** /Reason, /Location, /ContactInfo: shown by PDF readers in the signature panel. */
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** RFC 3161 time-stamping authority: B-T (and B-LT) when set. */
  tsaUrl?: string;
  /** Embed the validation data (B-LT) when a TSA is set and the revocation data can be fetched. */
  ltv?: boolean;
  /** The time-stamping authority's HTTP (its address is the deployment's). */
  http: PkiHttp;
  /** The OCSP responders' and CRLs' HTTP (their addresses come from certificates); default `http`. */
  certificateHttp?: PkiHttp;
  /** The CMS size of the last signature made with the same settings: /Contents is sized from it. */
  lastContentsBytes?: number;
}

export interface SignedPdf {
  pdf: Uint8Array;
  level: PadesLevel;
  /** The authority's time, when time-stamped. */
  timeStampedAt?: Date;
  /** Bytes of the CMS in /Contents. */
  contentsBytes: number;
}

/** Bytes of /Contents reserved beyond the chain: the signed attributes, an RSA-4096 signature, the structure. */
const SIGNATURE_OVERHEAD = 1536;
/** Reserved for a time-stamp token (its authority's certificates included) before the first one is seen. */
const TIMESTAMP_RESERVE = 8192;
/** Margin over the last signature's size (time-stamp tokens and ECDSA signatures vary by a few bytes). */
const RESERVE_MARGIN = 256;
const BYTE_RANGE_PLACEHOLDER = `/ByteRange [0 ${'9'.repeat(10)} ${'9'.repeat(10)} ${'9'.repeat(10)}]`;

/** What a signature revision needs of the document besides the prior revision. */
export interface SignatureTarget {
  prior: PriorRevision;
  /** The catalog as of the prior revision (updated with /AcroForm in the new one). */
  catalog: PDFDict;
  /** The first page (the widget's page) and its dictionary. */
  page: { ref: PDFRef; dict: PDFDict };
  /** Resolves an indirect object of the document (an existing /AcroForm, /Annots array). */
  lookup(ref: PDFRef): unknown;
}

/** A signature revision whose /Contents is still empty. */
export interface PreparedSignature {
  /** Revision bytes up to /Contents' hex string (exclusive), and from its end. */
  before: Uint8Array;
  after: Uint8Array;
  /** Hex digits of /Contents (twice the bytes reserved for the CMS). */
  contentsLength: number;
  /** The catalog of the new revision (for the next one, e.g. the DSS). */
  catalog: PDFDict;
  next: PriorRevision;
}

function text(value: string): PDFHexString {
  return PDFHexString.fromText(value.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' '));
}

/** The signature revision of `target` with `reservedBytes` of /Contents. */
export function prepareSignature(
  target: SignatureTarget,
  options: Omit<PadesOptions, 'signer' | 'http' | 'tsaUrl' | 'ltv'>,
  reservedBytes: number,
): PreparedSignature {
  const context = PDFContext.create();
  const { prior } = target;
  const sigRef = PDFRef.of(prior.size);
  const widgetRef = PDFRef.of(prior.size + 1);
  const optional = [
    options.reason ? `/Reason ${text(options.reason).toString()}` : '',
    options.location ? `/Location ${text(options.location).toString()}` : '',
    options.contactInfo ? `/ContactInfo ${text(options.contactInfo).toString()}` : '',
  ].join('');
  const contentsLength = reservedBytes * 2;
  const sigBody =
    `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${BYTE_RANGE_PLACEHOLDER}` +
    ` /M ${PDFString.fromDate(options.signingTime).toString()}${optional}` +
    ` /Contents <${'0'.repeat(contentsLength)}>>>`;
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: text('Signature1'),
    V: sigRef,
    F: 132,
    Rect: [0, 0, 0, 0],
    P: target.page.ref,
  });
  // The widget joins the first page's annotations, the field the catalog's form.
  const page = target.page.dict.clone(context);
  const annots = resolve(target, target.page.dict.get(PDFName.of('Annots')));
  if (annots !== undefined && !(annots instanceof PDFArray))
    throw new PdfSignatureError('PDF_UNREADABLE', "The first page's annotations cannot be read");
  const annotList = PDFArray.withContext(context);
  if (annots instanceof PDFArray) for (let i = 0; i < annots.size(); i++) annotList.push(annots.get(i));
  annotList.push(widgetRef);
  page.set(PDFName.of('Annots'), annotList);
  const catalog = target.catalog.clone(context);
  const oldForm = resolve(target, target.catalog.get(PDFName.of('AcroForm')));
  const form = oldForm instanceof PDFDict ? oldForm.clone(context) : (context.obj({}) as PDFDict);
  const fields = PDFArray.withContext(context);
  const oldFields = resolve(target, form.get(PDFName.of('Fields')));
  if (oldFields instanceof PDFArray) for (let i = 0; i < oldFields.size(); i++) fields.push(oldFields.get(i));
  fields.push(widgetRef);
  form.set(PDFName.of('Fields'), fields);
  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  catalog.set(PDFName.of('AcroForm'), form);
  const revision = revisionBytes(prior, [
    { ref: sigRef, body: Buffer.from(sigBody, 'latin1') },
    { ref: widgetRef, body: objectBody(widget) },
    { ref: target.page.ref, body: objectBody(page) },
    { ref: prior.root, body: objectBody(catalog) },
  ]);
  const sigOffset = revision.bodyOffsets.get(sigRef.objectNumber)!;
  const contentsStart = sigOffset + sigBody.lastIndexOf('<');
  const contentsEnd = sigOffset + sigBody.lastIndexOf('>>>') + 1;
  const total = revision.next.length;
  const start = prior.length + contentsStart;
  const end = prior.length + contentsEnd;
  const byteRange = `/ByteRange [0 ${start} ${end} ${total - end}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  const bytes = Buffer.from(revision.bytes);
  const rangeAt = sigOffset + sigBody.indexOf(BYTE_RANGE_PLACEHOLDER);
  bytes.write(byteRange, rangeAt, 'latin1');
  return {
    before: bytes.subarray(0, contentsStart),
    after: bytes.subarray(contentsEnd),
    contentsLength,
    catalog,
    next: revision.next,
  };
}

function resolve(target: SignatureTarget, value: unknown): unknown {
  return value instanceof PDFRef ? target.lookup(value) : value;
}

/** The CMS bytes a signer produces for `digest`, time-stamped when a TSA is set. */
async function signatureContents(
  options: PadesOptions,
  digest: Uint8Array,
): Promise<{ cms: Uint8Array; stamp?: TimeStamp }> {
  const signed = await signDetached(options.signer, digest);
  if (!options.tsaUrl) return { cms: signed.encode() };
  const stamp = await timeStamp(options.http, options.tsaUrl, signed.signatureValue);
  return { cms: signed.encode([signatureTimeStampAttribute(stamp.token)]), stamp };
}

/**
 * /Contents bytes to reserve: the size of the instance's last signature with a margin (a
 * time-stamp token varies by a few bytes), or before the first one an estimate from the chain.
 * Every byte reserved and not used is a "0" pair in the file.
 */
export function reservedContentsBytes(options: Pick<PadesOptions, 'signer' | 'tsaUrl' | 'lastContentsBytes'>): number {
  if (options.lastContentsBytes) return options.lastContentsBytes + RESERVE_MARGIN;
  const chain = options.signer.chain.reduce((sum, der) => sum + der.byteLength, 0);
  return chain + SIGNATURE_OVERHEAD + (options.tsaUrl ? TIMESTAMP_RESERVE : 0);
}

/** A sealed signature revision. */
export interface SealedSignature {
  prepared: PreparedSignature;
  revision: Uint8Array;
  stamp?: TimeStamp;
  /** Bytes of the CMS in /Contents (what the next signature reserves). */
  contentsBytes: number;
}

/**
 * Prepares the signature revision (`prepare(reserved)`), computes its signature (`hashOfPrior()`
 * holds every byte before the revision) and returns the revision with /Contents filled. A CMS
 * larger than the reservation (a TSA answering with a longer chain) is made again with the size
 * it needs.
 */
export async function sealSignature(
  prepare: (reservedBytes: number) => PreparedSignature,
  hashOfPrior: () => Hash,
  options: PadesOptions,
): Promise<SealedSignature> {
  let reserved = reservedContentsBytes(options);
  for (let attempt = 0; ; attempt++) {
    const prepared = prepare(reserved);
    const digest = hashOfPrior().update(prepared.before).update(prepared.after).digest();
    const { cms, stamp } = await signatureContents(options, digest);
    if (cms.byteLength * 2 > prepared.contentsLength) {
      if (attempt > 0) throw new Error(`internal: the signature grew to ${cms.byteLength} bytes on its second try`);
      reserved = cms.byteLength + RESERVE_MARGIN * 4;
      continue;
    }
    const hex = Buffer.from(cms).toString('hex').toUpperCase().padEnd(prepared.contentsLength, '0');
    const revision = Buffer.concat([prepared.before, Buffer.from(`<${hex}>`, 'latin1'), prepared.after]);
    return { prepared, revision, ...(stamp ? { stamp } : {}), contentsBytes: cms.byteLength };
  }
}

/** The first page of the document (the leftmost leaf of the page tree). */
function firstPage(lookup: (ref: PDFRef) => unknown, catalog: PDFDict): { ref: PDFRef; dict: PDFDict } {
  let ref = catalog.get(PDFName.of('Pages'));
  for (let depth = 0; depth < 32 && ref instanceof PDFRef; depth++) {
    const node = lookup(ref);
    if (!(node instanceof PDFDict)) break;
    const kids = node.get(PDFName.of('Kids'));
    const list = kids instanceof PDFRef ? lookup(kids) : kids;
    if (!(list instanceof PDFArray)) return { ref, dict: node };
    ref = list.get(0);
  }
  throw new PdfSignatureError('PDF_UNREADABLE', 'The PDF has no page to hold the signature field');
}

/** Signs a whole PDF (a certificate): B-B, B-T with a TSA, B-LT when its validation data can be fetched. */
export async function signPdf(pdf: Uint8Array, options: PadesOptions): Promise<SignedPdf> {
  const parsed = await parsePdf(pdf);
  const { context } = parsed.document;
  const lookup = (ref: PDFRef) => context.lookup(ref);
  const catalog = context.lookup(parsed.prior.root);
  if (!(catalog instanceof PDFDict)) throw new PdfSignatureError('PDF_UNREADABLE', 'The PDF has no catalog');
  const target: SignatureTarget = { prior: parsed.prior, catalog, page: firstPage(lookup, catalog), lookup };
  const result = await sealSignature(
    (reserved) => prepareSignature(target, options, reserved),
    () => createHash('sha256').update(pdf),
    options,
  );
  const signed = Buffer.concat([pdf, result.revision]);
  const { contentsBytes } = result;
  if (!result.stamp) return { pdf: signed, level: 'B-B', contentsBytes };
  const timeStampedAt = result.stamp.time;
  if (!options.ltv) return { pdf: signed, level: 'B-T', timeStampedAt, contentsBytes };
  const validation = await fetchValidationData(options.certificateHttp ?? options.http, [
    options.signer.chain,
    result.stamp.certificates,
  ]);
  if (!validation) return { pdf: signed, level: 'B-T', timeStampedAt, contentsBytes };
  const dss = dssRevision(result.prepared.next, result.prepared.catalog, validation);
  return { pdf: Buffer.concat([signed, dss]), level: 'B-LT', timeStampedAt, contentsBytes };
}

/** The revision that adds the document security store (/DSS) with `data` to the catalog. */
export function dssRevision(
  prior: PriorRevision,
  catalog: PDFDict,
  data: { certificates: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[] },
): Uint8Array {
  const context = PDFContext.create();
  let next = prior.size;
  const objects: RevisionObject[] = [];
  const streams = (items: Uint8Array[]) => {
    const refs = PDFArray.withContext(context);
    for (const item of items) {
      const ref = PDFRef.of(next++);
      objects.push({ ref, body: objectBody(context.flateStream(item)) });
      refs.push(ref);
    }
    return refs;
  };
  const dssRef = PDFRef.of(next++);
  const dss = context.obj({}) as PDFDict;
  dss.set(PDFName.of('Certs'), streams(data.certificates));
  if (data.ocsps.length) dss.set(PDFName.of('OCSPs'), streams(data.ocsps));
  if (data.crls.length) dss.set(PDFName.of('CRLs'), streams(data.crls));
  objects.push({ ref: dssRef, body: objectBody(dss) });
  const updated = catalog.clone(context);
  updated.set(PDFName.of('DSS'), dssRef);
  objects.push({ ref: prior.root, body: objectBody(updated) });
  return revisionBytes(prior, objects).bytes;
}
