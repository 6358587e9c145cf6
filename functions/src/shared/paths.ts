/**
 * Every Firestore document path, every Storage object path and every id rule of certforge, in
 * one place. firestore.rules and storage.rules spell the same paths; docs/firebase.md "Data model" and
 * docs/security.md describe them.
 *
 *   events/{eventId}                                     the event (EventDoc)
 *   events/{eventId}/speakers/{speakerId}                a speaker (SpeakerDoc)
 *   events/{eventId}/participants/{participantId}        an attendee or other role (ParticipantDoc, shared/roles.ts)
 *   events/{eventId}/imports/{importId}                  a CSV import report
 *   events/{eventId}/issuanceRuns/{runId}                a bulk run, with tallies/ and shards/
 *   eventTombstones/{eventId}                            a deleted event id (never reused)
 *   certificates/{certificateId}                         the public registry (PublicCertificate)
 *   mail/{certificateId}, mailLog/{hash of speaker path} Trigger Email documents, one per window
 *   issuerKeys/{keyId}                                   the issuer's public keys, old ones kept (credential/issuer-key.ts)
 *   statusLists/{listId}/indexes/{index}                 a status list position taken by a certificate
 *   eventSecrets/{eventId}                               connector tokens, webhook secrets (functions only)
 *   webhookOutbox/{type-certificateId}                   an outbound event to announce (functions only)
 *
 *   certificates/{eventId}/{speakerId}/{certificateId}.pdf|.png   the files of a speaker's certificate
 *   certificates/{eventId}/participants/{participantId}/{certificateId}.pdf|.png   another role's
 *   bundles/{eventId}/{bundleId}.pdf                               a print bundle
 *   imports/{eventId}/{file}.csv                                   an uploaded speaker list
 *   templates/{templateId}/template.svg, templates/{templateId}/fonts/  a Storage template
 */
import { randomBytes } from 'node:crypto';
import { sha256Id } from './hash.js';
import type {
  CollectionReference,
  DocumentData,
  DocumentReference,
  Firestore,
  FirestoreDataConverter,
  QueryDocumentSnapshot,
} from 'firebase-admin/firestore';
import type { EventDoc, ParticipantDoc, PublicCertificate, SpeakerDoc } from './model.js';
import type { ParticipantCollection } from './roles.js';

/**
 * A document typed at its reference: reads come back as `T` (shared/model.ts), not as a cast at
 * each `.data()`. The documents are written by the functions and by clients the rules check, so
 * reading them is a typing, not a parse; writes go through unchanged.
 */
function typed<T extends DocumentData>(): FirestoreDataConverter<T, DocumentData> {
  return {
    toFirestore: (value) => value as DocumentData,
    fromFirestore: (snapshot: QueryDocumentSnapshot) => snapshot.data() as T,
  };
}

const asEvent = typed<EventDoc>();
const asSpeaker = typed<SpeakerDoc>();
const asRegistryEntry = typed<PublicCertificate>();
const asParticipant = typed<ParticipantDoc>();

/** Sub-collections of an event, all deleted with it. */
export const EVENT_SUBCOLLECTIONS = [
  'speakers',
  'participants',
  'imports',
  'issuanceRuns',
  'webhookDeliveries',
  'templates',
  'stats',
  'correctionRequests',
] as const;
/** Sub-collections of a bulk run. */
export const RUN_SUBCOLLECTIONS = ['tallies', 'shards'] as const;

export function eventRef(db: Firestore, eventId: string): DocumentReference<EventDoc> {
  return db.collection('events').doc(eventId).withConverter(asEvent);
}

export function speakersOf(db: Firestore, eventId: string): CollectionReference<SpeakerDoc> {
  return eventRef(db, eventId).collection('speakers').withConverter(asSpeaker);
}

export function speakerRef(db: Firestore, eventId: string, speakerId: string): DocumentReference<SpeakerDoc> {
  return speakersOf(db, eventId).doc(speakerId);
}

export function participantsOf(db: Firestore, eventId: string): CollectionReference<ParticipantDoc> {
  return eventRef(db, eventId).collection('participants').withConverter(asParticipant);
}

/** A person of an event, in whichever collection their role lives (shared/roles.ts). */
export interface ParticipantKey {
  eventId: string;
  collection: ParticipantCollection;
  participantId: string;
}

/** The collection of a role's people: speakers/ or participants/. */
export function peopleOf(
  db: Firestore,
  eventId: string,
  collection: ParticipantCollection,
): CollectionReference<ParticipantDoc> {
  return collection === 'speakers' ? speakersOf(db, eventId) : participantsOf(db, eventId);
}

export function participantRef(db: Firestore, key: ParticipantKey): DocumentReference<ParticipantDoc> {
  return peopleOf(db, key.eventId, key.collection).doc(key.participantId);
}

/** The key of a participant document path (`events/{e}/speakers/{s}` or `events/{e}/participants/{p}`). */
export function participantKeyOfPath(path: string): ParticipantKey | undefined {
  const parts = path.split('/');
  if (parts.length !== 4 || parts[0] !== 'events') return undefined;
  const collection = parts[2];
  if (collection !== 'speakers' && collection !== 'participants') return undefined;
  return { eventId: parts[1]!, collection, participantId: parts[3]! };
}

/**
 * An outbound event to announce (certificate issued, corrected, revoked), written in the same
 * transaction as the change it announces, and only for an event with webhook endpoints: the
 * outbox of handlers/outbound-webhooks.ts (functions only).
 */
export function webhookOutboxRef(db: Firestore, type: string, certificateId: string): DocumentReference {
  return db.collection('webhookOutbox').doc(`${type.replace(/^certificate\./, '')}-${certificateId}`);
}

/** True when the event has an enabled webhook endpoint (event.webhooks, set by setWebhookEndpoints). */
export function announcesWebhooks(event: Pick<EventDoc, 'webhooks'> | undefined): boolean {
  return Array.isArray(event?.webhooks) && event.webhooks.some((e) => (e as { enabled?: unknown })?.enabled !== false);
}

/** Functions-only secrets of an event (connector tokens, webhook signing secrets): no client rule reads them. */
export function eventSecretsRef(db: Firestore, eventId: string): DocumentReference {
  return db.collection('eventSecrets').doc(eventId);
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
export function registries(db: Firestore): CollectionReference<PublicCertificate> {
  return db.collection('certificates').withConverter(asRegistryEntry);
}

/** The public registry entry of a certificate. */
export function registryRef(db: Firestore, certificateId: string): DocumentReference<PublicCertificate> {
  return registries(db).doc(certificateId);
}

/** The public half of an issuer key, recorded the first time the key signs (kept after rotation). */
export function issuerKeyRef(db: Firestore, keyId: string): DocumentReference {
  return db.collection('issuerKeys').doc(keyId);
}

export function issuerKeys(db: Firestore): CollectionReference {
  return db.collection('issuerKeys');
}

/** A status list that was issued: created with its first position, so that only issued lists are served. */
export function statusListRef(db: Firestore, listId: string): DocumentReference {
  return db.collection('statusLists').doc(listId);
}

/** A position of a status list, created by the certificate that takes it (create fails if taken). */
export function statusIndexRef(db: Firestore, listId: string, index: number): DocumentReference {
  return statusListRef(db, listId).collection('indexes').doc(String(index));
}

/** An opaque, stable key of an event: its status lists and its credentials' achievement id use it, never the event id. */
export function eventKey(eventId: string): string {
  return sha256Id(`certforge-status-list:${eventId}`, 16);
}

/**
 * The status lists of an event: `<eventKey>-<n>`, n from 1 (the next list when 16 random tries
 * find no free position).
 */
export function statusListId(eventId: string, n: number): string {
  return `${eventKey(eventId)}-${n}`;
}

export function isStatusListId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{16}-[1-9][0-9]{0,5}$/.test(value);
}

/**
 * The public URLs under the verify base (`CERTFORGE_VERIFY_BASE_URL`, no trailing slash): a
 * certificate's page, the issuer profile and its keys, the status lists.
 */
export function publicUrls(verifyBaseUrl: string) {
  const base = verifyBaseUrl.replace(/\/+$/, '');
  return {
    certificate: (certificateId: string) => `${base}/${certificateId}`,
    issuer: `${base}/issuer`,
    key: (keyId: string) => `${base}/issuer#${keyId}`,
    statusList: (listId: string) => `${base}/status/${listId}`,
  };
}

export function mailRef(db: Firestore, certificateId: string): DocumentReference {
  return db.collection('mail').doc(certificateId);
}

/** When the speaker at `speakerPath` was last mailed: keyed by a hash of the path (no email, no ids readable from it). */
export function mailLogRef(db: Firestore, speakerPath: string): DocumentReference {
  return db.collection('mailLog').doc(sha256Id(speakerPath));
}

/**
 * Storage: the files of one certificate. A speaker's are `certificates/{e}/{speakerId}/…` (three
 * levels, as always); another role's one level deeper, `certificates/{e}/participants/{id}/…`, so
 * that storage.rules can never take one for the other whatever the ids.
 */
export function certificatePaths(
  eventId: string,
  speakerId: string,
  certificateId: string,
  collection: ParticipantCollection = 'speakers',
): { pdfPath: string; pngPath: string } {
  const folder = collection === 'speakers' ? speakerId : `participants/${speakerId}`;
  const base = `${certificatesPrefix(eventId)}${folder}/${certificateId}`;
  return { pdfPath: `${base}.pdf`, pngPath: `${base}.png` };
}

/** The participant id of a path made by certificatePaths (`certificates/{e}/{speakerId}/…` or `certificates/{e}/participants/{id}/…`). */
export function speakerIdOfCertificatePath(path: string): string {
  const parts = path.split('/');
  return (parts.length === 5 && parts[2] === 'participants' ? parts[3] : parts[2]) ?? '';
}

/** Storage: every certificate file of an event. */
export function certificatesPrefix(eventId: string): string {
  return `certificates/${eventId}/`;
}

export function bundlesPrefix(eventId: string): string {
  return `bundles/${eventId}/`;
}

export function bundlePath(eventId: string, bundleId: string, format: 'pdf' | 'zip' = 'pdf'): string {
  return `${bundlesPrefix(eventId)}${bundleId}.${format}`;
}

/** Storage: the folder uploads of an event's speaker lists go to (in the import bucket). */
export function importsPrefix(eventId: string): string {
  return `imports/${eventId}/`;
}

/** Template ids as accepted in Storage paths (`templates/{templateId}/`). */
export const TEMPLATE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The font files a Storage template may bring (in its `fonts/` folder). */
export const TEMPLATE_FONT_FILE = /\.(ttf|otf|ttc)$/i;

/** Everything of a Storage template: `templates/{templateId}/`. */
export function templatePrefix(templateId: string): string {
  return `templates/${templateId}/`;
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
