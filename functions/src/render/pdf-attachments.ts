/**
 * Reading a certificate's associated files back out of its PDF (pdf-lib): the embedded-files
 * name tree of the catalog, each file's stream decoded. The issuing path renders a certificate's
 * PNG preview on first request from the `certificate.json` its PDF carries (issue/preview.ts).
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
  decodePDFRawStream,
} from 'pdf-lib';

/** An embedded file: its bytes and MIME type (`/Subtype`). */
export interface EmbeddedFile {
  bytes: Uint8Array;
  mime?: string;
}

/** Every file of the catalog's /Names /EmbeddedFiles tree (a flat /Names array, as the core writes it), by name. */
export async function embeddedFiles(pdf: Uint8Array): Promise<Map<string, EmbeddedFile>> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const out = new Map<string, EmbeddedFile>();
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const list = tree?.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (!list) return out;
  for (let i = 0; i + 1 < list.size(); i += 2) {
    const key = list.lookup(i, PDFString, PDFHexString).decodeText();
    const spec = list.lookup(i + 1, PDFDict);
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
    if (!(stream instanceof PDFRawStream)) continue;
    const subtype = stream.dict.lookupMaybe(PDFName.of('Subtype'), PDFName);
    out.set(key, { bytes: decodePDFRawStream(stream).decode(), mime: subtype?.decodeText() });
  }
  return out;
}
