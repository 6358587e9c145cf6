/**
 * An event's print bundle, over the ObjectStore: downloads the certificates' PDFs (a window
 * ahead of the writer), writes the bundle with writePdfBundle and streams it to
 * `bundles/{eventId}/{bundleId}.pdf`, hashing on the way; the sha256 lands in the object's
 * metadata once everything is stored. Nothing is stored when any step fails (the streamed
 * upload is abandoned). No Firestore: the handler lists and sorts the entries.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { BundleEntry } from './entries.js';
import { writePdfBundle, type BundleOptions, type BundleStats } from './pdf-bundle.js';
import { withRetries } from '../shared/retry.js';
import type { ObjectStore } from '../shared/object-store.js';
import { bundlePath } from '../shared/paths.js';

/** Same as the certificates' files. */
export const BUNDLE_CACHE_CONTROL = 'private, max-age=3600';

export interface BuildBundleRequest {
  eventId: string;
  /** In bundle order (sortEntries). */
  entries: readonly BundleEntry[];
  /** Default: a new id (UTC timestamp + 48 random bits, so that listings sort by time). */
  bundleId?: string;
  /** The PDF's title, e.g. the event name. */
  title?: string;
  /** BCP 47, the event's locale. */
  language?: string;
}

export interface BuildBundleResult extends BundleStats {
  bundleId: string;
  path: string;
  /** The Firebase download token set on the object. */
  token: string;
  ms: number;
}

export type BuildBundleOptions = Pick<
  BundleOptions,
  'prefetch' | 'pagesPerNode' | 'sharedObjectsMax' | 'onProgress' | 'sign'
>;

export function newBundleId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(6).toString('base64url')}`;
}

/**
 * The id of a bundle of exactly these certificates, title and language: the same request
 * twice names the same file, so an identical earlier bundle is reused instead of stored again.
 */
export function contentBundleId(
  entries: ReadonlyArray<{ name: string; pdfPath: string }>,
  title?: string,
  language?: string,
): string {
  const hash = createHash('sha256').update(
    JSON.stringify([title ?? '', language ?? '', entries.map((e) => [e.name, e.pdfPath])]),
  );
  return `c-${hash.digest('base64url').slice(0, 32)}`;
}

/** A file name safe in a Content-Disposition header. */
/** `text` as an ASCII file name for a Content-Disposition header (anything else becomes `_`). */
export function asciiFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_');
}

function dispositionName(eventId: string): string {
  return `certificates-${asciiFileName(eventId)}.pdf`;
}

/** Writes to a Writable, waiting for 'drain' when it asks to. */
function writableSink(stream: Writable) {
  return {
    async write(bytes: Uint8Array): Promise<void> {
      if (stream.destroyed) throw stream.errored ?? new Error('The upload stream was closed');
      if (!stream.write(bytes)) {
        await once(stream, 'drain');
      }
    },
  };
}

export async function buildBundle(
  store: ObjectStore,
  request: BuildBundleRequest,
  options: BuildBundleOptions = {},
): Promise<BuildBundleResult> {
  const start = performance.now();
  const bundleId = request.bundleId ?? newBundleId();
  const path = bundlePath(request.eventId, bundleId);
  const token = randomUUID();
  let stats: BundleStats | undefined;
  const stream = store.uploadStream(path, {
    contentType: 'application/pdf',
    cacheControl: BUNDLE_CACHE_CONTROL,
    contentDisposition: `inline; filename="${dispositionName(request.eventId)}"`,
    metadata: {
      eventId: request.eventId,
      bundleId,
      count: String(request.entries.length),
      firebaseStorageDownloadTokens: token,
    },
    finalMetadata: () => ({ sha256: stats!.sha256, pages: String(stats!.pages), bytes: String(stats!.bytes) }),
  });
  // Errors surface through the writes and `finished`; without a listener they would crash.
  stream.on('error', () => undefined);
  try {
    stats = await writePdfBundle(
      request.entries.map((entry) => ({
        title: entry.name,
        load: () => withRetries(() => store.download(entry.pdfPath), { what: `downloading ${entry.pdfPath}` }),
      })),
      writableSink(stream),
      { ...options, title: request.title, language: request.language },
    );
    stream.end();
    await finished(stream);
  } catch (error) {
    stream.destroy(error as Error);
    throw error;
  }
  return { ...stats, bundleId, path, token, ms: Math.round(performance.now() - start) };
}
