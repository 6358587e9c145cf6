/**
 * The CSV import on the emulators: files uploaded with the Admin SDK to the import bucket
 * (CERTFORGE_IMPORT_BUCKET of functions/.env.demo-certforge) of the Storage emulator fire the
 * real onImportUploaded (object finalized), which writes speakers and the report
 * events/{eventId}/imports/{sha256}. Creating speakers fires onSpeakerCreated as in production.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../functions/src/import/import-report.js';
import { speakerIdFor } from '../../functions/src/import/speakers-csv.js';
import {
  BUCKET,
  FUNCTIONS_ORIGIN,
  IMPORT_BUCKET,
  PROJECT_ID,
  admin,
  createEvent,
  newId,
  speakerRef,
  triggerId,
  waitForCertificate,
} from '../helpers/emulator.js';
import { rootPath, SPEAKERS } from '../helpers/fixtures.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const encode = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

async function upload(path: string, bytes: Uint8Array, contentType = 'text/csv'): Promise<void> {
  await admin().importBucket.file(path).save(Buffer.from(bytes), { contentType, resumable: false });
}

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const importsOf = (eventId: string) => admin().db.collection('events').doc(eventId).collection('imports');
const speakersOf = (eventId: string) => admin().db.collection('events').doc(eventId).collection('speakers');

/** The finished report of the import of `bytes` into `eventId`. */
async function waitForReport(eventId: string, bytes: Uint8Array): Promise<ImportReport> {
  const ref = importsOf(eventId).doc(sha256(bytes));
  return poll(`the report ${ref.path}`, async () => {
    const report = (await ref.get()).data() as ImportReport | undefined;
    return report && report.status !== 'running' ? report : undefined;
  });
}

/** The import status the function tagged the uploaded object with (custom metadata). */
async function waitForMark(path: string): Promise<Record<string, string>> {
  return poll(`the import metadata of ${path}`, async () => {
    const [metadata] = await admin().importBucket.file(path).getMetadata();
    const custom = (metadata.metadata ?? {}) as Record<string, string>;
    return custom.certforgeImportStatus ? custom : undefined;
  });
}

async function updateTimes(eventId: string): Promise<Map<string, string>> {
  const snap = await speakersOf(eventId).get();
  return new Map(snap.docs.map((doc) => [doc.id, doc.updateTime.toDate().toISOString() + doc.updateTime.nanoseconds]));
}

/** Until every speaker of the event has a settled certificate (their trigger writes are over). */
async function waitForCertificates(eventId: string, count: number): Promise<void> {
  await poll(
    `${count} settled certificates`,
    async () => {
      const snap = await speakersOf(eventId).get();
      const settled = snap.docs.filter((doc) => ['ready', 'failed'].includes(doc.get('certificate.status') as string));
      return snap.size === count && settled.length === count ? true : undefined;
    },
    180_000,
  );
}

// ---- The acceptance file: 50 good rows (international names), 5 bad ones ----------------

const EXTRA_NAMES = [
  'Trần Thị Thu Hương',
  'Lê Văn Đức',
  'Phạm Ngọc Ánh',
  'Đoàn Thảo Vy',
  'فاطمة الزهراء',
  'عمر الفاروق',
  'ليلى أحمد',
  'שרה כהן',
  'יוסף מזרחי',
  'רחל אברהם',
  '王芳',
  '李娜',
  '田中 太郎',
  '佐藤 花子',
  '박서준',
  '이지은',
  'Ólafur Ragnar Grímsson',
  'Zoë Ångström',
  'Łukasz Żółkiewski',
  'Ahmet Çelik',
  'Ивана Петровић',
  'Αλέξανδρος Νικολάου',
  'Søren Kierkegaard',
  'José Ramírez',
  'Nguyễn Văn Bình',
  'محمد Smith Jr.',
];

interface Row {
  id?: string;
  name: string;
  email?: string;
  title?: string;
  affiliation?: string;
}

const quote = (value = '') => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const HEADER = 'Speaker ID;Full Name;E-mail;Talk Title;affiliation';

/** A semicolon CSV with a BOM and CRLF (Excel's "CSV UTF-8" in many locales), and each row's first line. */
function csv(rows: Row[]): { bytes: Uint8Array; lines: number[] } {
  let line = 2;
  const lines: number[] = [];
  const body = rows.map((row) => {
    lines.push(line);
    const text = [row.id, row.name, row.email, row.title, row.affiliation].map(quote).join(';');
    line += 1 + (text.match(/\r\n|\n/g)?.length ?? 0);
    return text;
  });
  return { bytes: encode(`\uFEFF${[HEADER, ...body].join('\r\n')}\r\n`), lines };
}

const GOOD: Row[] = [
  ...SPEAKERS.map((s) => ({ id: s.id, name: s.name, email: s.email, title: s.talk?.title, affiliation: 'Examples' })),
  ...EXTRA_NAMES.map((name, i) => ({
    name,
    email: `speaker-${i + 25}@example.org`,
    title: i === 0 ? 'Xây dựng hệ thống\nphân tán với Rust' : `Talk ${i + 25}`,
    affiliation: i % 2 ? 'Open Source Institute' : undefined,
  })),
];

const BAD: { after: number; row: Row; code: string; field: string | null }[] = [
  { after: 3, row: { name: '', email: 'nobody@example.org', title: 'No name' }, code: 'MISSING_NAME', field: 'name' },
  { after: 30, row: { name: 'Bad Email', email: 'not-an-email', title: 'T' }, code: 'INVALID_EMAIL', field: 'email' },
  { after: 31, row: { name: 'N'.repeat(301), email: 'long@example.org' }, code: 'NAME_TOO_LONG', field: 'name' },
  { after: 40, row: { id: 'spk-003', name: 'Şükrü Again', title: 'Twice' }, code: 'DUPLICATE_SPEAKER', field: 'id' },
  {
    after: 49,
    row: { name: 'Bell\u0007 Ringer', email: 'bell@example.org' },
    code: 'CONTROL_CHARACTER',
    field: 'name',
  },
];

function acceptanceFile() {
  const rows: Row[] = [];
  const badIndexes: number[] = [];
  GOOD.forEach((row, i) => {
    rows.push(row);
    for (const bad of BAD.filter((b) => b.after === i)) {
      badIndexes.push(rows.length);
      rows.push(bad.row);
    }
  });
  const { bytes, lines } = csv(rows);
  return { bytes, badLines: badIndexes.map((i) => lines[i]!) };
}

const idOf = (row: Row) => speakerIdFor({ id: row.id, email: row.email, name: row.name, talkTitle: row.title }).id;

beforeAll(() => {
  admin();
});

describe('onImportUploaded: one event, three uploads', () => {
  let eventId: string;
  const file = acceptanceFile();

  it('imports 50 good rows and reports the 5 bad ones with their line numbers', async () => {
    expect(GOOD).toHaveLength(50);
    // A template that does not exist: each new speaker's certificate fails at once
    // (TEMPLATE_NOT_FOUND) instead of ~0.2-1 s of rendering on the emulator, so the writes of
    // onSpeakerCreated are soon over and update times can be compared. The last test of this
    // file follows an import through to a rendered certificate.
    eventId = await createEvent({ templateId: newId('no-template') });
    const path = `imports/${eventId}/speakers-2026.csv`;
    await upload(path, file.bytes);
    const report = await waitForReport(eventId, file.bytes);

    expect(report).toMatchObject({
      status: 'done',
      importId: sha256(file.bytes),
      sha256: sha256(file.bytes),
      eventId,
      path,
      fileName: 'speakers-2026.csv',
      bytes: file.bytes.length,
      encoding: 'utf-8-bom',
      delimiter: 'semicolon',
      columns: {
        id: 'Speaker ID',
        name: 'Full Name',
        email: 'E-mail',
        'talk.title': 'Talk Title',
        affiliation: 'affiliation',
      },
      rowsTotal: 55,
      accepted: 50,
      created: 50,
      updated: 0,
      unchanged: 0,
      rejected: 5,
      rejectedRowsOmitted: 0,
      error: null,
      attempts: 1,
    });
    expect(report.rejectedRows.map((r) => [r.line, r.code, r.field])).toEqual(
      BAD.map((b, i) => [file.badLines[i], b.code, b.field]),
    );
    // Header on line 1; the quoted two-line title of the 25th speaker moves every later row down by one.
    expect(file.badLines).toEqual([6, 35, 37, 47, 57]);
    const duplicate = report.rejectedRows.find((r) => r.code === 'DUPLICATE_SPEAKER')!;
    expect(duplicate.reason).toBe('same speaker as line 4 (id "spk-003")');
    const started = report.startedAt as unknown as { toMillis(): number };
    const finished = report.finishedAt as unknown as { toMillis(): number };
    expect(finished.toMillis()).toBeGreaterThanOrEqual(started.toMillis());

    const snap = await speakersOf(eventId).get();
    expect(snap.size).toBe(50);
    expect(snap.docs.map((doc) => doc.id).sort()).toEqual(GOOD.map(idOf).sort());
    const vietnamese = (await speakerRef(eventId, idOf(GOOD[24]!)).get()).data()!;
    expect(vietnamese).toMatchObject({
      name: 'Trần Thị Thu Hương',
      email: 'speaker-25@example.org',
      talk: { title: 'Xây dựng hệ thống phân tán với Rust' },
    });
    expect(vietnamese.affiliation).toBeUndefined();
    const hebrew = (await speakerRef(eventId, 'spk-012').get()).data()!;
    expect(hebrew).toMatchObject({
      name: 'דוד לוי',
      email: 'david.levi@example.co.il',
      talk: { title: 'אבטחת שרשרת האספקה של תוכנה' },
      affiliation: 'Examples',
    });
    expect((await speakerRef(eventId, idOf(GOOD[28]!)).get()).get('name')).toBe('فاطمة الزهراء');
    expect((await speakerRef(eventId, idOf(GOOD[34]!)).get()).get('name')).toBe('王芳');

    // The upload is kept, tagged with its report.
    expect(await waitForMark(path)).toMatchObject({
      certforgeImportId: sha256(file.bytes),
      certforgeImportStatus: 'done',
    });
  });

  it('the same bytes uploaded again under another name change nothing', async () => {
    // Let onSpeakerCreated finish writing the certificates first: only then are update times stable.
    await waitForCertificates(eventId, 50);
    const before = await updateTimes(eventId);
    const reportBefore = await importsOf(eventId).doc(sha256(file.bytes)).get();

    const copy = `imports/${eventId}/speakers-2026 (copy).csv`;
    await upload(copy, file.bytes);
    expect(await waitForMark(copy)).toEqual({
      certforgeImportId: sha256(file.bytes),
      certforgeImportStatus: 'duplicate',
    });

    expect(await updateTimes(eventId)).toEqual(before);
    const reports = await importsOf(eventId).get();
    expect(reports.docs.map((doc) => doc.id)).toEqual([sha256(file.bytes)]);
    const reportAfter = reports.docs[0]!;
    expect(reportAfter.updateTime.isEqual(reportBefore.updateTime!)).toBe(true);
    expect(reportAfter.get('path')).toBe(`imports/${eventId}/speakers-2026.csv`);
  });

  it('a second file that changes one talk title and adds a speaker: 1 updated, 1 created, 49 unchanged', async () => {
    const before = await updateTimes(eventId);
    const rows = GOOD.map((row) =>
      row.id === 'spk-014' ? { ...row, title: 'Designing Accessible Developer Tools, 2nd edition' } : row,
    );
    rows.push({
      name: 'Ngô Bảo Châu',
      email: 'ngo.bao.chau@example.vn',
      title: 'Bổ đề cơ bản',
      affiliation: 'Viện Toán học',
    });
    const { bytes } = csv(rows);
    await upload(`imports/${eventId}/speakers-2026-v2.csv`, bytes);
    const report = await waitForReport(eventId, bytes);

    expect(report).toMatchObject({
      status: 'done',
      rowsTotal: 51,
      accepted: 51,
      created: 1,
      updated: 1,
      unchanged: 49,
      rejected: 0,
      rejectedRows: [],
    });
    expect((await speakerRef(eventId, 'spk-014').get()).get('talk.title')).toBe(
      'Designing Accessible Developer Tools, 2nd edition',
    );
    const added = (await speakerRef(eventId, idOf(rows[50]!)).get()).data();
    expect(added).toMatchObject({
      name: 'Ngô Bảo Châu',
      email: 'ngo.bao.chau@example.vn',
      talk: { title: 'Bổ đề cơ bản' },
      affiliation: 'Viện Toán học',
    });

    const after = await updateTimes(eventId);
    expect(after.size).toBe(51);
    const changed = [...before].filter(([id, time]) => after.get(id) !== time).map(([id]) => id);
    // Only the updated speaker (and possibly its corrected certificate) was written.
    expect(changed.filter((id) => id !== 'spk-014')).toEqual([]);
    expect(changed).toContain('spk-014');
    expect((await importsOf(eventId).get()).size).toBe(2);
  });
});

/** The object-finalized CloudEvent the Storage emulator sends, with our own event id. */
async function finalizedEvent(id: string, path: string) {
  const [metadata] = await admin().importBucket.file(path).getMetadata();
  return {
    specversion: '1.0',
    id,
    type: 'google.cloud.storage.object.v1.finalized',
    source: `//storage.googleapis.com/projects/_/buckets/${IMPORT_BUCKET}/objects/${path}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { ...metadata, bucket: IMPORT_BUCKET, name: path },
  };
}

/** Delivers an event straight to the function (the emulator answers once it has run). */
async function deliver(event: unknown): Promise<void> {
  const trigger = await triggerId('onImportUploaded');
  const res = await fetch(`${FUNCTIONS_ORIGIN}/functions/projects/${PROJECT_ID}/triggers/${trigger}`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify(event),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}

describe('onImportUploaded: at-least-once delivery', () => {
  it('a redelivery takes over an interrupted run, another upload of the same bytes waits, and nothing is doubled', async () => {
    const eventId = await createEvent({ templateId: newId('no-template') });
    const rows: Row[] = [
      { id: 'r-1', name: 'Ada Lovelace', email: 'ada@example.org', title: 'Notes' },
      { id: 'r-2', name: 'Nguyễn Thị Minh Khai', title: 'Rust' },
      { id: 'r-3', name: 'דוד לוי', title: 'Supply chains' },
    ];
    const { bytes } = csv(rows);
    const importId = sha256(bytes);
    // As if delivery "delivery-1" crashed after writing r-1: its claim still holds the report.
    await speakerRef(eventId, 'r-1').set({ name: 'Ada Lovelace', email: 'ada@example.org', talk: { title: 'Notes' } });
    await waitForCertificate(speakerRef(eventId, 'r-1')); // failed (no template): its trigger is done writing
    await importsOf(eventId)
      .doc(importId)
      .set({
        importId,
        eventId,
        status: 'running',
        path: `imports/${eventId}/interrupted.csv`,
        generation: '1',
        deliveryId: 'delivery-1',
        attemptId: 'crashed',
        attempts: 1,
        leaseUntil: Date.now() + 10 * 60_000,
      });

    // The upload's own delivery (another event id) finds a live claim and leaves it alone.
    const path = `imports/${eventId}/interrupted.csv`;
    await upload(path, bytes);
    expect(await waitForMark(path)).toEqual({ certforgeImportId: importId, certforgeImportStatus: 'duplicate' });
    expect((await importsOf(eventId).doc(importId).get()).get('status')).toBe('running');

    // The redelivery of "delivery-1" takes over and finishes, even delivered twice at once: each
    // attempt takes the claim from the one before, the last one writes the report, and the
    // rows the others wrote are unchanged for it (so its counts depend on the interleaving).
    const firstWrite = (await speakerRef(eventId, 'r-1').get()).updateTime;
    const redelivery = await finalizedEvent('delivery-1', path);
    await Promise.all([deliver(redelivery), deliver(redelivery)]);
    const report = await waitForReport(eventId, bytes);
    expect(report).toMatchObject({ status: 'done', rowsTotal: 3, accepted: 3, updated: 0, rejected: 0 });
    expect(report.created + report.unchanged).toBe(3);
    expect(report.created).toBeLessThanOrEqual(2);
    expect(report.attempts).toBeGreaterThanOrEqual(2);
    expect((await speakerRef(eventId, 'r-1').get()).updateTime?.isEqual(firstWrite!)).toBe(true);
    await waitForCertificates(eventId, 3);

    // Delivered once more after it finished: nothing changes.
    const before = await updateTimes(eventId);
    const reportBefore = await importsOf(eventId).doc(importId).get();
    await deliver(redelivery);
    await deliver(await finalizedEvent('delivery-2', path));
    expect(await updateTimes(eventId)).toEqual(before);
    expect((await importsOf(eventId).doc(importId).get()).updateTime?.isEqual(reportBefore.updateTime!)).toBe(true);
    expect((await speakersOf(eventId).get()).size).toBe(3);
  });
});

describe('onImportUploaded: rejected files', () => {
  it('a file that is not UTF-8 is rejected as a whole, with the reason', async () => {
    const eventId = await createEvent();
    const bytes = new Uint8Array(readFileSync(rootPath('test/fixtures/import/excel-windows-1252.csv')));
    await upload(`imports/${eventId}/excel.csv`, bytes, 'application/vnd.ms-excel');
    const report = await waitForReport(eventId, bytes);
    expect(report).toMatchObject({ status: 'rejected', rowsTotal: 0, created: 0, error: { code: 'NOT_UTF8' } });
    expect(report.error!.message).toMatch(
      /^The file is not UTF-8 \(looks like Windows-1252\): byte 0xEB on line 2 .*CSV UTF-8/,
    );
    expect((await speakersOf(eventId).get()).size).toBe(0);
    expect(await waitForMark(`imports/${eventId}/excel.csv`)).toMatchObject({ certforgeImportStatus: 'rejected' });
  });

  it('an unknown event: the report is rejected with EVENT_NOT_FOUND and no speaker is written', async () => {
    const eventId = newId('missing');
    const bytes = encode('name,email\nAda Lovelace,ada@example.org\n');
    await upload(`imports/${eventId}/speakers.csv`, bytes);
    const report = await waitForReport(eventId, bytes);
    expect(report).toMatchObject({ status: 'rejected', error: { code: 'EVENT_NOT_FOUND', details: { eventId } } });
    expect((await speakersOf(eventId).get()).size).toBe(0);
    expect((await admin().db.collection('events').doc(eventId).get()).exists).toBe(false);
  });

  it('a header without a name column is rejected, with the detected delimiter', async () => {
    const eventId = await createEvent();
    const bytes = encode('id;mail\nspk-1;a@example.org\n');
    await upload(`imports/${eventId}/no-name.csv`, bytes);
    const report = await waitForReport(eventId, bytes);
    expect(report).toMatchObject({
      status: 'rejected',
      encoding: 'utf-8',
      delimiter: 'semicolon',
      error: { code: 'MISSING_NAME_COLUMN' },
    });
  });
});

describe('onImportUploaded: a report never stays running', () => {
  it('huge header cells (an 8 MB header) and mixed line endings: a finished report well under 1 MiB, three speakers', async () => {
    // Before: the header cells were stored whole, the report (8 MB) was refused by Firestore
    // outside the try, the delivery retried forever and the report stayed `running`; and the
    // CRLF / LF / CR line endings made one speaker "Ada Lovelace Grace Hopper Linus Torvalds".
    const eventId = await createEvent({ templateId: newId('no-template') });
    const huge = Array.from({ length: 40 }, (_, i) => `${'Q'.repeat(200_000)}${i}`);
    const bytes = encode(`name,${huge.join(',')}\r\nAda Lovelace,x\nGrace Hopper,y\rLinus Torvalds,z\n`);
    await upload(`imports/${eventId}/huge-header.csv`, bytes);
    const report = await waitForReport(eventId, bytes);
    expect(report).toMatchObject({ status: 'done', rowsTotal: 3, created: 3, rejected: 0 });
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThan(64 * 1024);
    expect(report.ignoredColumns).toHaveLength(40);
    for (const column of report.ignoredColumns) expect([...column.header].length).toBeLessThanOrEqual(200);
    const names = (await speakersOf(eventId).get()).docs.map((doc) => doc.get('name') as string).sort();
    expect(names).toEqual(['Ada Lovelace', 'Grace Hopper', 'Linus Torvalds']);
    expect(await waitForMark(`imports/${eventId}/huge-header.csv`)).toMatchObject({ certforgeImportStatus: 'done' });
  });
});

describe('onImportUploaded: what is not an import', () => {
  it('ignores files outside imports/{eventId}/[{role}/] and files that are no list; an imported speaker gets a certificate', async () => {
    const eventId = await createEvent();
    const ignoredBytes = encode('name,email\nIgnored Person,ignored@example.org\n');
    const ignored = [
      `imports/${eventId}/speakers.pdf`,
      `uploads/${eventId}/speakers.csv`,
      `imports/${eventId}/nested/twice/speakers.csv`,
      `imports/${eventId}/Not A Role/speakers.csv`,
      `imports/speakers.csv`,
    ];
    for (const path of ignored) await upload(path, ignoredBytes);
    // A well-named CSV in the default bucket (where certificates are stored) is not watched.
    const elsewhere = `imports/${eventId}/speakers.csv`;
    if (IMPORT_BUCKET !== BUCKET)
      await admin()
        .bucket.file(elsewhere)
        .save(Buffer.from(ignoredBytes), { contentType: 'text/csv', resumable: false });
    // A real import afterwards: once its report is there, the uploads before it were delivered too.
    const bytes = encode('name,email,talk\nAda Lovelace,ada@example.org,Notes on the Analytical Engine\n');
    await upload(`imports/${eventId}/speakers.csv`, bytes);
    expect(await waitForReport(eventId, bytes)).toMatchObject({ status: 'done', created: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect((await importsOf(eventId).get()).docs.map((doc) => doc.id)).toEqual([sha256(bytes)]);
    expect((await speakersOf(eventId).get()).docs.map((doc) => doc.get('name'))).toEqual(['Ada Lovelace']);
    for (const path of ignored) {
      const [metadata] = await admin().importBucket.file(path).getMetadata();
      expect(metadata.metadata?.certforgeImportStatus, path).toBeUndefined();
    }
    if (IMPORT_BUCKET !== BUCKET) {
      const [metadata] = await admin().bucket.file(elsewhere).getMetadata();
      expect(metadata.metadata?.certforgeImportStatus, `${BUCKET}/${elsewhere}`).toBeUndefined();
    }
    // And the imported speaker got its certificate from onSpeakerCreated.
    const id = speakerIdFor({ email: 'ada@example.org', name: 'Ada Lovelace' }).id;
    expect(await waitForCertificate(speakerRef(eventId, id))).toMatchObject({ status: 'ready' });
  });
});
