/**
 * `organizerConsole` on the emulators, beyond what the browser suite drives: pages of people that
 * add up (cursors, every state filter, the counts from aggregate queries), the revoked filter, the
 * certificate history of a correction, an import preview that writes nothing, and the edit of an
 * event that clears a field. The console's pages and the gate are test/browser/console.browser.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  callRaw,
  createEvent,
  createUser,
  eventually,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';

let organizer: TestUser;
let eventId: string;
const PARTICIPANTS = 130;

async function action<T>(data: Record<string, unknown>): Promise<T> {
  const { body } = await callRaw('organizerConsole', data, organizer.idToken);
  if (body.error) throw new Error(`${body.error.status}: ${body.error.message}`);
  return body.result as T;
}

interface Page {
  people: { personId: string; status: string; name: string; error: { code: string; fields?: string[] } | null }[];
  next: string | null;
  total: number;
}

/** Every page of a list, following the cursors. */
async function allPages(collection: string, status?: string, pageSize = 50): Promise<Page['people']> {
  const people: Page['people'] = [];
  let after: string | null = null;
  for (let i = 0; i < 20; i++) {
    const page: Page = await action({
      action: 'listPeople',
      eventId,
      collection,
      pageSize,
      ...(status ? { status } : {}),
      ...(after ? { after } : {}),
    });
    people.push(...page.people);
    if (!page.next) return people;
    after = page.next;
  }
  throw new Error('more than 20 pages');
}

beforeAll(async () => {
  organizer = await createUser();
  eventId = await createEvent({ organizerUids: [organizer.uid], locale: 'en' });
  const { db } = admin();
  const batch = db.batch();
  for (let i = 0; i < PARTICIPANTS; i++)
    batch.set(db.doc(`events/${eventId}/participants/p${String(i).padStart(4, '0')}`), {
      name: `Participant ${i}`,
      role: 'attendee',
    });
  for (const id of ['ada', 'grace', 'katherine'])
    batch.set(speakerRef(eventId, id), { name: id[0]!.toUpperCase() + id.slice(1), talk: { title: 'A talk' } });
  batch.set(speakerRef(eventId, 'too-long'), { name: 'x'.repeat(10_000), talk: { title: 'Too long' } });
  await batch.commit();
  for (const id of ['ada', 'grace', 'katherine', 'too-long']) await waitForCertificate(speakerRef(eventId, id));
  const grace = await waitForCertificate(speakerRef(eventId, 'grace'));
  const revoked = await callRaw(
    'revokeCertificate',
    { certificateId: grace.certificateId, reason: 'Issued by mistake' },
    organizer.idToken,
  );
  expect(revoked.status).toBe(200);
  await eventually(
    async () => (await speakerRef(eventId, 'grace').get()).get('certificate.revoked'),
    (value) => Boolean(value),
  );
}, 240_000);

describe('organizerConsole', () => {
  it('pages through every participant once, in pages that add up to the aggregate count', async () => {
    const pages = await allPages('participants', undefined, 50);
    expect(pages).toHaveLength(PARTICIPANTS);
    expect(new Set(pages.map((p) => p.personId)).size).toBe(PARTICIPANTS);
    const first: Page = await action({ action: 'listPeople', eventId, collection: 'participants', pageSize: 50 });
    expect(first.total).toBe(PARTICIPANTS);
    expect(first.people).toHaveLength(50);
  });

  it('filters speakers by the state of their certificate, revoked included, with exact counts', async () => {
    const by = async (status: string) => (await allPages('speakers', status, 1)).map((p) => p.personId).sort();
    expect(await by('failed')).toEqual(['too-long']);
    expect(await by('revoked')).toEqual(['grace']);
    // A revoked certificate was ready: the ready list shows it as revoked.
    expect(await by('ready')).toEqual(['ada', 'grace', 'katherine']);
    const failed: Page = await action({ action: 'listPeople', eventId, collection: 'speakers', status: 'failed' });
    expect(failed.total).toBe(1);
    expect(failed.people[0]!.error?.code).toBe('LIMIT_EXCEEDED');
    const none: Page = await action({ action: 'listPeople', eventId, collection: 'participants', status: 'none' });
    expect(none.total).toBe(PARTICIPANTS);
    const summary = await action<{
      people: { speakers: { total: number; ready: number; failed: number } };
      revoked: number;
    }>({ action: 'eventSummary', eventId });
    expect(summary.people.speakers).toMatchObject({ total: 4, ready: 3, failed: 1 });
    expect(summary.revoked).toBe(1);
  });

  it('shows a corrected certificate with its earlier version', async () => {
    const before = await waitForCertificate(speakerRef(eventId, 'ada'));
    await speakerRef(eventId, 'ada').update({ name: 'Ada Lovelace' });
    const after = await eventually(
      () => waitForCertificate(speakerRef(eventId, 'ada')),
      (c) => c.certificateId !== before.certificateId && c.status === 'ready',
      60_000,
    );
    const detail = await action<{
      certificate: { certificateId: string };
      history: { certificateId: string; status: string; recipientName: string }[];
      person: { collection: string; personId: string };
    }>({ action: 'certificate', certificateId: before.certificateId });
    expect(detail.person).toEqual({ collection: 'speakers', personId: 'ada' });
    expect(detail.history.map((v) => [v.certificateId, v.status, v.recipientName])).toEqual([
      [before.certificateId, 'superseded', 'Ada'],
      [after.certificateId, 'valid', 'Ada Lovelace'],
    ]);
  });

  it('previews an import with a column mapping and writes nothing', async () => {
    const csv = 'Full Name,Presentation\nHedy Lamarr,Frequency Hopping\n,No name here\n';
    const content = Buffer.from(csv).toString('base64');
    const preview = await action<{
      ok: boolean;
      rowsTotal: number;
      accepted: number;
      rejectedRows: { line: number; code: string }[];
      rows: { fields: Record<string, unknown> }[];
    }>({ action: 'previewImport', eventId, fileName: 'people.csv', content, columns: { Presentation: 'talk.title' } });
    expect(preview).toMatchObject({ ok: true, rowsTotal: 2, accepted: 1 });
    expect(preview.rejectedRows).toEqual([expect.objectContaining({ line: 3, code: 'MISSING_NAME' })]);
    expect(preview.rows[0]!.fields).toMatchObject({ name: 'Hedy Lamarr', 'talk.title': 'Frequency Hopping' });
    const speakers = await admin().db.collection(`events/${eventId}/speakers`).count().get();
    expect(speakers.data().count).toBe(4);
    const broken = await action<{ ok: boolean; error: { code: string } }>({
      action: 'previewImport',
      eventId,
      fileName: 'people.csv',
      content: Buffer.from('Email\nx@example.org\n').toString('base64'),
    });
    expect(broken).toMatchObject({ ok: false, error: { code: 'MISSING_NAME_COLUMN' } });
  });

  it('edits an event: fields cleared with an empty text, the organizers untouched', async () => {
    await action({
      action: 'saveEvent',
      eventId,
      event: { name: 'Renamed', place: 'Kraków', timeZone: 'Europe/Warsaw' },
    });
    const saved = await action<{
      event: { name: string; place: string | null; timeZone: string | null; locale: string | null };
    }>({ action: 'saveEvent', eventId, event: { name: 'Renamed', place: '', timeZone: '', locale: '' } });
    expect(saved.event).toMatchObject({ name: 'Renamed', place: null, timeZone: null, locale: null });
    const doc = (await admin().db.doc(`events/${eventId}`).get()).data()!;
    expect(doc.organizerUids).toEqual([organizer.uid]);
    expect(doc).not.toHaveProperty('place');
  });

  it('sets and clears how long the event’s certificates are valid (months)', async () => {
    const set = await action<{ event: { validityMonths: number | null } }>({
      action: 'saveEvent',
      eventId,
      event: { name: 'Renamed', validityMonths: 24 },
    });
    expect(set.event.validityMonths).toBe(24);
    expect((await admin().db.doc(`events/${eventId}`).get()).get('validity')).toEqual({ period: 'P24M' });
    const cleared = await action<{ event: { validityMonths: number | null } }>({
      action: 'saveEvent',
      eventId,
      event: { name: 'Renamed', validityMonths: 0 },
    });
    expect(cleared.event.validityMonths).toBeNull();
    expect((await admin().db.doc(`events/${eventId}`).get()).get('validity')).toBeUndefined();
    const refused = await callRaw(
      'organizerConsole',
      { action: 'saveEvent', eventId, event: { name: 'Renamed', validityMonths: 1.5 } },
      organizer.idToken,
    );
    expect(refused.body.error?.status).toBe('INVALID_ARGUMENT');
  });
});
