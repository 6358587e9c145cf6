/**
 * An event was deleted → nothing of it may be taken over by whoever creates an event with the
 * same id later (docs/security.md, "Event ids"):
 * 1. a tombstone `eventTombstones/{eventId}` is written first: the rules refuse to create an
 *    event whose id has one, and the callables treat a tombstoned event as missing;
 * 2. every certificate of the event is revoked in the public registry ("The event was
 *    deleted"), with its Storage paths and speaker path removed from the entry;
 * 3. the connector tokens and webhook secrets (eventSecrets/{eventId}), the speakers and other
 *    participants (names, emails), import reports, bulk-run records and webhook logs are deleted;
 * 4. the files are deleted: certificates/{eventId}/, bundles/{eventId}/ in the default
 *    bucket, imports/{eventId}/ in the import bucket.
 * Idempotent: a redelivery finds less to do. Retried on failure.
 */
import { FieldValue, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';
import type { FirestoreEvent, QueryDocumentSnapshot } from 'firebase-functions/v2/firestore';
import { IMPORT_BUCKET } from '../config.js';
import { app, firestore, objectStore } from '../firebase-app.js';
import { revokedFields } from '../issue/lifecycle.js';
import { logEventDeleted } from '../logs.js';
import { bucketStore, type ObjectStore } from '../shared/object-store.js';
import {
  bundlesPrefix,
  certificatesPrefix,
  EVENT_SUBCOLLECTIONS,
  eventRef,
  eventSecretsRef,
  importsPrefix,
  registries,
  RUN_SUBCOLLECTIONS,
  templatePrefix,
  tombstoneRef,
} from '../shared/paths.js';

export const EVENT_DELETED_REASON = 'The event was deleted';

export type EventDeletedEvent = FirestoreEvent<QueryDocumentSnapshot | undefined, { eventId: string }>;

export async function handleEventDeleted(event: EventDeletedEvent): Promise<void> {
  const { eventId } = event.params;
  const db = firestore();
  const at = new Date(event.time);
  await tombstoneRef(db, eventId).set({ eventId, deletedAt: at }, { merge: true });
  // Connector tokens and webhook secrets go first: nothing syncs or delivers for a deleted event.
  await eventSecretsRef(db, eventId).delete();
  const revoked = await revokeEventCertificates(db, eventId, at);
  // Templates uploaded for the event (the console's uploadTemplate): their records go with the
  // sub-collections, their files with the event's other files.
  const templateIds = (await eventRef(db, eventId).collection('templates').get()).docs.map((doc) => doc.id);
  const deleted = await deleteSubcollections(db, eventRef(db, eventId));
  const importBucket = IMPORT_BUCKET.value();
  const stores: Array<[ObjectStore, string]> = [
    [objectStore(), certificatesPrefix(eventId)],
    [objectStore(), bundlesPrefix(eventId)],
    [importBucket ? bucketStore(getStorage(app()).bucket(importBucket)) : objectStore(), importsPrefix(eventId)],
    ...templateIds.map((id): [ObjectStore, string] => [objectStore(), templatePrefix(id)]),
  ];
  let files = 0;
  for (const [store, prefix] of stores) {
    for (const path of await store.list(prefix)) {
      await store.remove(path);
      files++;
    }
  }
  logEventDeleted({ eventId, revoked, documents: deleted, files });
}

/** Revokes every registry entry of the event and detaches it from its files and speaker. */
async function revokeEventCertificates(db: Firestore, eventId: string, at: Date): Promise<number> {
  const entries = await registries(db).where('eventId', '==', eventId).get();
  const writer = db.bulkWriter();
  let revoked = 0;
  for (const entry of entries.docs) {
    const data = entry.data();
    const update: Record<string, unknown> = {
      pdfPath: FieldValue.delete(),
      pngPath: FieldValue.delete(),
      participantPath: FieldValue.delete(),
    };
    if (data.status !== 'revoked') {
      Object.assign(update, revokedFields(at, EVENT_DELETED_REASON));
      revoked++;
    }
    void writer.update(entry.ref, update);
  }
  await writer.close();
  return revoked;
}

/** Deletes the event's speakers, import reports and bulk runs (with their tallies and shards). */
async function deleteSubcollections(db: Firestore, event: DocumentReference): Promise<number> {
  const writer = db.bulkWriter();
  let count = 0;
  const drop = async (ref: DocumentReference, nested: readonly string[]) => {
    for (const name of nested) {
      for (const doc of (await ref.collection(name).get()).docs) {
        void writer.delete(doc.ref);
        count++;
      }
    }
  };
  for (const name of EVENT_SUBCOLLECTIONS) {
    for (const doc of (await event.collection(name).get()).docs) {
      if (name === 'issuanceRuns') await drop(doc.ref, RUN_SUBCOLLECTIONS);
      void writer.delete(doc.ref);
      count++;
    }
  }
  await writer.close();
  return count;
}
