/**
 * Every Firestore document path, every Storage object path and every id rule of certforge, in
 * one place. firestore.rules and storage.rules spell the same paths; README "Data model" and
 * docs/security.md describe them.
 *
 *   events/{eventId}                                     the event (EventDoc)
 *   events/{eventId}/speakers/{speakerId}                a speaker (SpeakerDoc)
 *   events/{eventId}/imports/{importId}                  a CSV import report
 *   events/{eventId}/issuanceRuns/{runId}                a bulk run, with tallies/ and shards/
 *   eventTombstones/{eventId}                            a deleted event id (never reused)
 *   certificates/{certificateId}                         the public registry (PublicCertificate)
 *   mail/{certificateId}, mailLog/{hash of speaker path} Trigger Email documents, one per window
 *
 *   certificates/{eventId}/{speakerId}/{certificateId}.pdf|.png   the files of a certificate
 *   bundles/{eventId}/{bundleId}.pdf                               a print bundle
 *   imports/{eventId}/{file}.csv                                   an uploaded speaker list
 *   templates/{templateId}/template.svg, templates/{templateId}/fonts/  a Storage template
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CollectionReference, DocumentReference, Firestore } from 'firebase-admin/firestore';

/** Sub-collections of an event, all deleted with it. */
export const EVENT_SUBCOLLECTIONS = ['speakers', 'imports', 'issuanceRuns'] as const;
/** Sub-collections of a bulk run. */
export const RUN_SUBCOLLECTIONS = ['tallies', 'shards'] as const;

export function eventRef(db: Firestore, eventId: string): DocumentReference {
  return db.collection('events').doc(eventId);
}

export function speakersOf(db: Firestore, eventId: string): CollectionReference {
  return eventRef(db, eventId).collection('speakers');
}

export function speakerRef(db: Firestore, eventId: string, speakerId: string): DocumentReference {
  return speakersOf(db, eventId).doc(speakerId);
}

export function importReportRef(db: Firestore, eventId: string, importId: string): DocumentReference {
  return eventRef(db, eventId).collection('imports').doc(importId);
}

export function issuanceRunRef(db: Firestore, eventId: string, runId: string): DocumentReference {
  return eventRef(db, eventId).collection('issuanceRuns').doc(runId);
}

export function tombstoneRef(db: Firestore, eventId: string): DocumentReference {
  return db.collection('eventTombstones').doc(eventId);
}

/** The public registry (what /verify/<id> reads). */
export function registries(db: Firestore): CollectionReference {
  return db.collection('certificates');
}

/** The public registry entry of a certificate. */
export function registryRef(db: Firestore, certificateId: string): DocumentReference {
  return registries(db).doc(certificateId);
}

export function mailRef(db: Firestore, certificateId: string): DocumentReference {
  return db.collection('mail').doc(certificateId);
}

/** When the speaker at `speakerPath` was last mailed: keyed by a hash of the path (no email, no ids readable from it). */
export function mailLogRef(db: Firestore, speakerPath: string): DocumentReference {
  return db.collection('mailLog').doc(createHash('sha256').update(speakerPath).digest('base64url'));
}

/** Storage: the files of one certificate. */
export function certificatePaths(eventId: string, speakerId: string, certificateId: string): { pdfPath: string; pngPath: string } {
  const base = `${certificatesPrefix(eventId)}${speakerId}/${certificateId}`;
  return { pdfPath: `${base}.pdf`, pngPath: `${base}.png` };
}

/** Storage: every certificate file of an event. */
export function certificatesPrefix(eventId: string): string {
  return `certificates/${eventId}/`;
}

export function bundlesPrefix(eventId: string): string {
  return `bundles/${eventId}/`;
}

export function bundlePath(eventId: string, bundleId: string): string {
  return `${bundlesPrefix(eventId)}${bundleId}.pdf`;
}

/** Storage: the folder uploads of an event's speaker lists go to (in the import bucket). */
export function importsPrefix(eventId: string): string {
  return `imports/${eventId}/`;
}

export function templateSvgPath(templateId: string): string {
  return `templates/${templateId}/template.svg`;
}

export function templateFontsPrefix(templateId: string): string {
  return `templates/${templateId}/fonts/`;
}

/** Firestore ids we accept from clients: no '/', no '.'/'..', no `__x__`, at most 128 characters. */
const DOC_ID_PATTERN = /^(?!\.\.?$)[^/\s]{1,128}$/;

export function isValidDocId(value: unknown): value is string {
  return typeof value === 'string' && DOC_ID_PATTERN.test(value) && !/^__.*__$/.test(value);
}

/** A certificate id: 128 random bits in base64url, 22 characters (newCertificateId). */
export const CERTIFICATE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function isCertificateId(value: unknown): value is string {
  // Firestore reserves ids of the form __…__; such an id cannot be a stored certificate.
  return typeof value === 'string' && CERTIFICATE_ID_PATTERN.test(value) && !/^__.*__$/.test(value);
}

/** 128 random bits, base64url: 22 characters, unguessable. */
export function newCertificateId(): string {
  return randomBytes(16).toString('base64url');
}
