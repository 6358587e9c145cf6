/**
 * Callable `buildPrintBundle({ eventId, role?, format? })`: one PDF with every ready certificate of
 * the event (revoked ones left out), sorted by name in the event's locale, one bookmark per
 * certificate; stored at `bundles/{eventId}/{bundleId}.pdf`. With `format: 'zip'`, the same
 * certificates as separate PDFs in one ZIP (bundle/pdf-zip.ts), `bundles/{eventId}/{bundleId}.zip`.
 *
 * Who may call: the event's organizers (or the `certforgeAdmin` claim), as generateCertificate.
 * Returns `{ path, url, pages, bytes, sha256, count, bundleId }`. Errors: unauthenticated,
 * invalid-argument, not-found (no event), permission-denied, failed-precondition with
 * `details.code` NO_READY_CERTIFICATES | BUNDLE_TOO_LARGE | CERTIFICATE_UNREADABLE (with the
 * speaker id), unavailable for Storage / Firestore failures that persisted through retries.
 * docs/print-bundle.md has the design and the measured limits.
 */
import { FieldPath, type DocumentReference, type QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { z } from 'zod';
import { bundleEntry, sortEntries, type BundleEntry } from '../bundle/entries.js';
import type { BundleErrorCode } from '../bundle/pdf-bundle.js';
import { objectStore, pdfSigningService } from '../firebase-app.js';
import { logBundleFailed, logBundleReady } from '../logs.js';
import { belongsToEvent, callable, requireOrganizer, requireSignIn } from './callable.js';
import { bundlePath } from '../shared/paths.js';
import type { SpeakerDoc } from '../shared/model.js';
import { CodedError, TRANSIENT_CODE } from '../shared/errors.js';
import { docId, parseInput, requestObject, roleId } from '../shared/request-schema.js';
import { collectionOfRole, roleIdOf, SPEAKER_ROLE } from '../shared/roles.js';
import { isTransient } from '../shared/retry.js';

export interface BuildPrintBundleRequest {
  eventId: string;
  /** Only this role's certificates (default: speakers, as before roles). */
  role?: string;
  /** One PDF to print (default), or a ZIP of the separate PDFs. */
  format: 'pdf' | 'zip';
}

export interface BuildPrintBundleResult {
  bundleId: string;
  /** `bundles/{eventId}/{bundleId}.pdf` in the default bucket. */
  path: string;
  /** Firebase download URL (token-based). */
  url: string;
  /** Certificates in the bundle. */
  count: number;
  /** Pages of the PDF; for a ZIP, its files (one certificate each). */
  pages: number;
  bytes: number;
  /** Hex sha256 of the bundle (also in the object's custom metadata). */
  sha256: string;
  /** True when an identical earlier bundle (same certificates, title, language) was returned. */
  reused: boolean;
}

/**
 * Most certificates in one bundle. Memory does not grow with the count (docs/print-bundle.md);
 * time does: ~6 ms of CPU per certificate (5,000 in 27 s, measured with local files), so
 * 10,000 stay well inside the 540 s timeout even on a slower vCPU with Storage latency; the
 * bundle of 10,000 classic certificates is ~120 MB.
 */
export const MAX_BUNDLE_CERTIFICATES = 10_000;
/** Speakers read per Firestore query page. */
const LIST_PAGE = 1000;

/** The request. */
export const BuildPrintBundleInput = requestObject('{ eventId, role?, format? }', {
  eventId: docId('eventId'),
  role: roleId('role'),
  format: z.enum(['pdf', 'zip'], { error: 'format must be "pdf" or "zip"' }).default('pdf'),
});

export function parseBundleRequest(data: unknown): BuildPrintBundleRequest {
  return parseInput(BuildPrintBundleInput, data);
}

/** A refusal of the bundle (answered as failed-precondition, shared/error-catalog.ts). */
function bundleError(code: BundleErrorCode, message: string, details: Record<string, unknown> = {}): CodedError {
  return new CodedError(code, message, details);
}

/**
 * The event's bundle entries, in bundle order. Reads only the fields it needs, a page at a time.
 * Participants older than the event document (`since`: leftovers of a deleted event whose id was
 * written again, callable.ts belongsToEvent) are left out.
 */
export async function readyEntries(
  eventRef: DocumentReference,
  locale: string | undefined,
  since?: Date,
  role: string = SPEAKER_ROLE,
): Promise<BundleEntry[]> {
  const entries: BundleEntry[] = [];
  const collection = collectionOfRole(role);
  const query = eventRef
    .collection(collection)
    .where('certificate.status', '==', 'ready')
    .orderBy(FieldPath.documentId())
    .select('name', 'role', 'certificate.status', 'certificate.pdfPath', 'certificate.revoked', 'certificate.subject')
    .limit(LIST_PAGE);
  let last: QueryDocumentSnapshot | undefined;
  for (;;) {
    const snap = await (last ? query.startAfter(last) : query).get();
    for (const doc of snap.docs) {
      if (!belongsToEvent({ createdAt: since }, doc.createTime.toDate())) continue;
      if (collection === 'participants' && roleIdOf(collection, doc.data()) !== role) continue;
      const entry = bundleEntry(doc.id, doc.data() as SpeakerDoc);
      if (entry) entries.push(entry);
    }
    if (snap.size < LIST_PAGE) break;
    last = snap.docs[snap.docs.length - 1];
  }
  return sortEntries(entries, locale);
}

export const handleBuildPrintBundle = callable<BuildPrintBundleResult>(async (request) => {
  const caller = requireSignIn(request, 'buildPrintBundle', 'build a print bundle');
  const { eventId, role, format } = parseBundleRequest(request.data);
  const { eventRef, event, createdAt } = await requireOrganizer(
    caller,
    eventId,
    'buildPrintBundle',
    'build its print bundle',
  );

  const locale = typeof event.locale === 'string' && event.locale.trim() ? event.locale.trim() : undefined;
  const entries = await readyEntries(eventRef, locale, createdAt, role);
  if (entries.length === 0) {
    throw bundleError('NO_READY_CERTIFICATES', `Event ${eventId} has no ready certificates to bundle`);
  }
  if (entries.length > MAX_BUNDLE_CERTIFICATES) {
    throw bundleError(
      'BUNDLE_TOO_LARGE',
      `Event ${eventId} has ${entries.length} ready certificates; a bundle holds at most ${MAX_BUNDLE_CERTIFICATES}`,
      { count: entries.length, max: MAX_BUNDLE_CERTIFICATES },
    );
  }

  if (format === 'zip') return zipBundle(eventId, entries, event.name);
  // pdf-lib takes ~0.4 s to import: only this function's instances pay for it, on first use.
  const { buildBundle, contentBundleId } = await import('../bundle/build-bundle.js');
  const { BundleInputError } = await import('../bundle/pdf-bundle.js');
  const store = objectStore();
  const title = typeof event.name === 'string' && event.name.trim() ? event.name.trim() : undefined;
  // The same certificates again: the earlier bundle is returned, not stored a second time.
  const bundleId = contentBundleId(entries, title, locale);
  const earlier = await store.customMetadata(bundlePath(eventId, bundleId));
  if (earlier?.sha256) {
    const path = bundlePath(eventId, bundleId);
    return {
      bundleId,
      path,
      url: await store.downloadUrl(path),
      count: Number(earlier.count ?? entries.length),
      pages: Number(earlier.pages),
      bytes: Number(earlier.bytes),
      sha256: earlier.sha256,
      reused: true,
    };
  }
  let built;
  try {
    const signing = pdfSigningService();
    built = await buildBundle(
      store,
      { eventId, entries, title, language: locale, bundleId },
      {
        // The organization's signature over the whole bundle (PAdES B-B, or B-T with a TSA).
        sign: (target, hashSoFar) =>
          signing.signatureRevision(target, hashSoFar, {
            signingTime: new Date(),
            reason: title ? `Certificates: ${title}` : 'Certificates',
          }),
      },
    );
  } catch (error) {
    logBundleFailed({ eventId, count: entries.length, message: (error as Error).message });
    if (isTransient(error) || (error instanceof BundleInputError && isTransient(error.cause))) {
      throw new CodedError(TRANSIENT_CODE, 'Storage temporarily unavailable; try again');
    }
    if (error instanceof BundleInputError) {
      const speakerId = entries[error.index]?.speakerId;
      const message = `The certificate of speaker ${speakerId} could not be read; render it again (generateCertificate with force)`;
      throw bundleError(error.code, message, { speakerId });
    }
    throw error;
  }
  const url = await store.downloadUrl(built.path);
  logBundleReady({
    eventId,
    bundleId: built.bundleId,
    count: built.certificates,
    pages: built.pages,
    bytes: built.bytes,
    objects: built.objects,
    sharedReuses: built.sharedReuses,
    ms: built.ms,
  });
  return {
    bundleId: built.bundleId,
    path: built.path,
    url,
    count: built.certificates,
    pages: built.pages,
    bytes: built.bytes,
    sha256: built.sha256,
    reused: false,
  };
});

/** The ready certificates as separate PDFs in one ZIP; the same certificates again return the stored ZIP. */
async function zipBundle(eventId: string, entries: BundleEntry[], eventName: unknown): Promise<BuildPrintBundleResult> {
  const { asciiFileName, contentBundleId } = await import('../bundle/build-bundle.js');
  const { buildPdfZip } = await import('../bundle/pdf-zip.js');
  const store = objectStore();
  const bundleId = contentBundleId(entries, 'zip');
  const path = bundlePath(eventId, bundleId, 'zip');
  const earlier = await store.customMetadata(path);
  const title = typeof eventName === 'string' && eventName.trim() ? eventName.trim() : eventId;
  const downloadName = `${asciiFileName(title).slice(0, 80) || 'certificates'}.zip`;
  let result;
  try {
    result = earlier?.sha256
      ? { count: Number(earlier.count ?? entries.length), bytes: Number(earlier.bytes), sha256: earlier.sha256 }
      : await buildPdfZip(store, { path, entries, downloadName });
  } catch (error) {
    logBundleFailed({ eventId, count: entries.length, message: (error as Error).message });
    if (isTransient(error)) throw new CodedError(TRANSIENT_CODE, 'Storage temporarily unavailable; try again');
    throw error;
  }
  return {
    bundleId,
    path,
    url: await store.downloadUrl(path),
    count: result.count,
    pages: result.count,
    bytes: result.bytes,
    sha256: result.sha256,
    reused: Boolean(earlier?.sha256),
  };
}
