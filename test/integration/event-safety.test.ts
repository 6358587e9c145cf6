/**
 * Template safety on the emulators (issue 9): a deleted event's id cannot be taken over, its
 * certificates are revoked and its data and files removed; revoked certificates' download
 * links stop working; forced bulk runs are rate limited; an identical print bundle is reused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  callRaw,
  createEvent,
  createUser,
  eventually,
  listFiles,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';

let organizer: TestUser;

beforeAll(async () => {
  organizer = await createUser({ claims: { organizer: true } });
});

describe('deleting an event', () => {
  it('tombstones its id, revokes and detaches its certificates, removes its speakers and files', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ref = speakerRef(eventId, 'ada');
    await ref.set({ name: 'Ada Lovelace', email: 'ada@example.org', talk: { title: 'Engines' } });
    const certificate = await waitForCertificate(ref);
    expect(certificate.status).toBe('ready');
    expect((await listFiles(`certificates/${eventId}/`)).length).toBe(1);
    const { db } = admin();
    const name = (await db.collection('events').doc(eventId).get()).get('name') as string;
    const deleted = await callRaw('deleteEvent', { eventId, confirm: name }, organizer.idToken);
    expect(deleted.body.error).toBeUndefined();
    // The tombstone was written with the deletion, not later by the trigger.
    const tomb = await db.collection('eventTombstones').doc(eventId).get();
    expect(tomb.exists).toBe(true);
    expect(tomb.get('eventId')).toBe(eventId);
    expect(tomb.get('deletedBy')).toBe(organizer.uid);
    const entry = await eventually(
      async () => (await db.collection('certificates').doc(certificate.certificateId).get()).data()!,
      (data) => data.status === 'revoked' && data.pdfPath === undefined,
    );
    expect(entry).toMatchObject({ status: 'revoked', revocationReason: 'The event was deleted' });
    expect(entry.participantPath).toBeUndefined();
    await eventually(
      () => ref.get(),
      (snap) => !snap.exists,
    );
    await eventually(
      () => listFiles(`certificates/${eventId}/`),
      (files) => files.length === 0,
    );
    // The public page still answers, as revoked.
    const res = await fetch(
      `http://127.0.0.1:5001/demo-certforge/europe-west1/verify/${certificate.certificateId}?format=json`,
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('revoked');
  });
});

describe('deleteEvent', () => {
  it('needs the event name typed as confirmation, and the organizer; otherwise nothing is deleted', async () => {
    const stranger = await createUser({ claims: { organizer: true } });
    const eventId = await createEvent({ organizerUids: [organizer.uid], name: 'Kraków Dev Days 2026' });
    const cases: Array<[unknown, string | undefined, string]> = [
      [{ eventId, confirm: 'Krakow Dev Days 2026' }, organizer.idToken, 'INVALID_ARGUMENT'],
      [{ eventId }, organizer.idToken, 'INVALID_ARGUMENT'],
      [{ eventId, confirm: 'Kraków Dev Days 2026', extra: 1 }, organizer.idToken, 'INVALID_ARGUMENT'],
      [{ eventId, confirm: 'Kraków Dev Days 2026' }, stranger.idToken, 'PERMISSION_DENIED'],
      [{ eventId, confirm: 'Kraków Dev Days 2026' }, undefined, 'UNAUTHENTICATED'],
      [{ eventId: 'no-such-event', confirm: 'x' }, organizer.idToken, 'PERMISSION_DENIED'],
    ];
    for (const [data, token, status] of cases) {
      const { body } = await callRaw('deleteEvent', data, token);
      expect(body.error?.status, JSON.stringify(data)).toBe(status);
    }
    const { db } = admin();
    expect((await db.collection('events').doc(eventId).get()).exists).toBe(true);
    expect((await db.collection('eventTombstones').doc(eventId).get()).exists).toBe(false);
    const { body } = await callRaw('deleteEvent', { eventId, confirm: '  Kraków Dev Days 2026 ' }, organizer.idToken);
    expect(body.result).toMatchObject({ eventId, deletedAt: expect.any(String) });
  });

  it('a tombstoned id is missing to every callable, even when a document is written there again', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid], name: 'Gone Conf' });
    const ref = speakerRef(eventId, 'ada');
    await ref.set({ name: 'Ada Lovelace', email: 'ada@example.org' });
    await waitForCertificate(ref);
    expect(
      (await callRaw('deleteEvent', { eventId, confirm: 'Gone Conf' }, organizer.idToken)).body.error,
    ).toBeUndefined();
    // Someone with the Admin SDK (the rules refuse clients) writes the id again, naming a new organizer,
    // before or after the cleanup: the callables still treat the event as missing.
    const taker = await createUser({ claims: { organizer: true } });
    await admin()
      .db.collection('events')
      .doc(eventId)
      .set({ name: 'Taken', organizerUids: [taker.uid] });
    for (const [name, data] of [
      ['generateCertificate', { eventId, speakerId: 'ada' }],
      ['issueEventCertificates', { eventId }],
      ['buildPrintBundle', { eventId }],
    ] as const) {
      const { body } = await callRaw(name, data, taker.idToken);
      expect(body.error?.status, name).toBe('PERMISSION_DENIED');
    }
  });
});

describe('leftovers of a deleted event', () => {
  it('participants older than the event document are nobody’s: not to generate for, not enrolled in a run', async () => {
    // The shape a deleted event leaves when its id is written again before onEventDeleted ran
    // (through the Admin SDK or the Firebase console, which bypass the rules): participants
    // older than the event document that now stands there.
    const { db } = admin();
    const eventId = `evt-leftover-${Date.now()}`;
    const leftover = speakerRef(eventId, 'ada');
    await leftover.set({ name: 'Ada Lovelace', email: 'ada@example.org' });
    await waitForCertificate(leftover); // the trigger finds no event: failed, EVENT_NOT_FOUND
    const taker = await createUser({ claims: { organizer: true } });
    await db
      .collection('events')
      .doc(eventId)
      .set({ name: 'Taken', organizerUids: [taker.uid] });

    const generated = await callRaw('generateCertificate', { eventId, speakerId: 'ada' }, taker.idToken);
    expect(generated.body.error?.status).toBe('NOT_FOUND');
    const run = await callRaw('issueEventCertificates', { eventId }, taker.idToken);
    expect(run.body.result).toMatchObject({ total: 0, enqueued: 0 });
    // A participant added to the event as it is now is the organizer's as usual.
    const fresh = speakerRef(eventId, 'grace');
    await fresh.set({ name: 'Grace Hopper' });
    await waitForCertificate(fresh);
    const mine = await callRaw('generateCertificate', { eventId, speakerId: 'grace' }, taker.idToken);
    expect(mine.body.error?.details?.code).not.toBe('NOT_FOUND');
    expect(mine.body.error?.status).not.toBe('NOT_FOUND');
  });
});

describe('revocation withdraws download links', () => {
  // Known failure here, not a defect of certforge: revocation sets a new
  // firebaseStorageDownloadTokens value, which in Cloud Storage replaces the file's tokens; the
  // Storage emulator (firebase-tools lib/emulator/storage/metadata.js,
  // setDownloadTokensFromCustomMetadata) adds it to the old ones instead, so the old URL keeps
  // working on the emulator. it.fails turns green the day the emulator replaces them too.
  it.fails(
    'the download URL returned before revocation stops working (known failure on the Storage emulator)',
    async () => {
      const eventId = await createEvent({ organizerUids: [organizer.uid] });
      const ref = speakerRef(eventId, 'grace');
      await ref.set({ name: 'Grace Hopper', talk: { title: 'Compilers' } });
      await waitForCertificate(ref);
      const { body } = await callRaw('generateCertificate', { eventId, speakerId: 'grace' }, organizer.idToken);
      const pdfUrl = body.result!.pdfUrl as string;
      expect((await fetch(pdfUrl)).status).toBe(200);
      const revoked = await callRaw(
        'revokeCertificate',
        { certificateId: body.result!.certificateId, reason: 'Issued by mistake' },
        organizer.idToken,
      );
      expect(revoked.status).toBe(200);
      expect((await fetch(pdfUrl)).status).not.toBe(200);
    },
  );
});

describe('amplification', () => {
  it('forced bulk runs are limited per event (resource-exhausted after 3 in 24 h)', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const statuses: Array<string | undefined> = [];
    for (let i = 0; i < 4; i++) {
      const { body } = await callRaw('issueEventCertificates', { eventId, force: true }, organizer.idToken);
      statuses.push(body.error?.status ?? 'OK');
      // Let the (empty) run finish so that the next call starts a new one.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(statuses).toEqual(['OK', 'OK', 'OK', 'RESOURCE_EXHAUSTED']);
  });

  it('an identical print bundle is reused, not stored again', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ref = speakerRef(eventId, 'b1');
    await ref.set({ name: 'Barbara Liskov', talk: { title: 'Substitution' } });
    await waitForCertificate(ref);
    const first = await callRaw('buildPrintBundle', { eventId }, organizer.idToken);
    const second = await callRaw('buildPrintBundle', { eventId }, organizer.idToken);
    expect(first.body.result).toMatchObject({ reused: false });
    expect(second.body.result).toMatchObject({
      reused: true,
      bundleId: first.body.result!.bundleId,
      sha256: first.body.result!.sha256,
    });
    expect((await listFiles(`bundles/${eventId}/`)).length).toBe(1);
  });
});
