/**
 * Every ready certificate of an event as separate PDFs in one ZIP (`bundles/{eventId}/{id}.zip`),
 * for organizers who mail or archive them one by one; the print bundle (build-bundle.ts) is the one
 * PDF to print. Streamed: one certificate is held at a time, stored uncompressed (a PDF is
 * compressed already), written to Storage as it is made, with its sha256 in the metadata.
 * File names are the recipients' names as certified (Unicode kept, characters no file system
 * accepts replaced), made unique with a number.
 */
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { Zip, ZipPassThrough } from 'fflate';
import type { BundleEntry } from './entries.js';
import { BUNDLE_CACHE_CONTROL } from './build-bundle.js';
import type { ObjectStore } from '../shared/object-store.js';
import { withRetries } from '../shared/retry.js';

export interface PdfZipResult {
  path: string;
  count: number;
  bytes: number;
  sha256: string;
}

/** A file name for `name`: no path separators, reserved or control characters, at most 120 characters. */
export function pdfFileName(name: string, taken: Set<string>): string {
  const base =
    [
      ...name
        .normalize('NFC')
        .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_')
        .trim(),
    ]
      .slice(0, 120)
      .join('')
      .replace(/^\.+/, '_') || 'certificate';
  let file = `${base}.pdf`;
  for (let n = 2; taken.has(file.toLowerCase()); n++) file = `${base} (${n}).pdf`;
  taken.add(file.toLowerCase());
  return file;
}

export async function buildPdfZip(
  store: ObjectStore,
  request: { path: string; entries: readonly BundleEntry[]; downloadName: string },
): Promise<PdfZipResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  let sha256 = '';
  const stream = store.uploadStream(request.path, {
    contentType: 'application/zip',
    cacheControl: BUNDLE_CACHE_CONTROL,
    contentDisposition: `attachment; filename="${request.downloadName}"`,
    metadata: { count: String(request.entries.length), firebaseStorageDownloadTokens: randomUUID() },
    finalMetadata: () => {
      sha256 = hash.digest('hex');
      return { sha256, bytes: String(bytes) };
    },
  });
  stream.on('error', () => undefined);
  let failure: Error | undefined;
  let pressure = false;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else {
      hash.update(chunk);
      bytes += chunk.byteLength;
      if (!stream.write(chunk)) pressure = true;
    }
  });
  try {
    const taken = new Set<string>();
    for (const entry of request.entries) {
      const pdf = await withRetries(() => store.download(entry.pdfPath), { what: `downloading ${entry.pdfPath}` });
      const file = new ZipPassThrough(pdfFileName(entry.name, taken));
      zip.add(file);
      file.push(pdf, true);
      if (failure) throw failure;
      if (pressure) {
        pressure = false;
        await once(stream, 'drain');
      }
    }
    zip.end();
    if (failure) throw failure;
    stream.end();
    await finished(stream);
  } catch (error) {
    stream.destroy(error as Error);
    throw error;
  }
  return { path: request.path, count: request.entries.length, bytes, sha256 };
}
