/**
 * buildPrintBundle on the emulators: certificates issued by the real onSpeakerCreated trigger
 * (one fails: a 10,000-character name; one is revoked afterwards), the callable through raw
 * HTTP and the web SDK, the bundle downloaded from its URL and checked with qpdf and poppler.
 */
import { createHash } from 'node:crypto';
import { unzipSync } from '../../functions/node_modules/fflate/esm/index.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  callRaw,
  createEvent,
  createUser,
  sdkCallError,
  sdkCallable,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';
import { SPEAKERS, joinedLines } from '../helpers/fixtures.js';
import { runTool, writeTempPdf } from '../helpers/pdf-tools.js';

/** Ten scripts: Arabic, Hebrew, Chinese, Korean, Polish, Greek, Russian, German, mixed, English. */
const READY_IDS = [
  'spk-010',
  'spk-012',
  'spk-013',
  'spk-016',
  'spk-002',
  'spk-006',
  'spk-007',
  'spk-022',
  'spk-017',
  'spk-024',
];
const READY = READY_IDS.map((id) => SPEAKERS.find((s) => s.id === id)!);

let organizer: TestUser;
let otherOrganizer: TestUser;
let eventId: string;
let emptyEventId: string;

beforeAll(async () => {
  [organizer, otherOrganizer] = await Promise.all([
    createUser({ claims: { organizer: true } }),
    createUser({ claims: { organizer: true } }),
  ]);
  eventId = await createEvent({ organizerUids: [organizer.uid], locale: 'en' });
  const batch = admin().db.batch();
  for (const speaker of READY) batch.set(speakerRef(eventId, speaker.id), { name: speaker.name, talk: speaker.talk });
  batch.set(speakerRef(eventId, 'too-long'), { name: 'x'.repeat(10_000), talk: { title: 'Too long' } });
  batch.set(speakerRef(eventId, 'revoked'), { name: 'Aaron Revoked', talk: { title: 'Withdrawn' } });
  await batch.commit();
  for (const id of [...READY_IDS, 'too-long', 'revoked'])
    await waitForCertificate(speakerRef(eventId, id), { timeoutMs: 90_000 });
  // The revocation marker another function sets (shared/model.ts: certificate.revoked).
  await speakerRef(eventId, 'revoked').update({ 'certificate.revoked': { at: new Date(), reason: 'test' } });

  emptyEventId = await createEvent({ organizerUids: [organizer.uid] });
  await speakerRef(emptyEventId, 'too-long').set({ name: 'y'.repeat(10_000) });
  await waitForCertificate(speakerRef(emptyEventId, 'too-long'), { timeoutMs: 60_000 });
}, 240_000);

// A large bundle takes longer than the SDK's default 70 s.
const LONG = { timeout: 540_000 };
const callable = (user: TestUser) => sdkCallable('buildPrintBundle', user, LONG);
const sdkError = (user: TestUser, data: unknown) => sdkCallError('buildPrintBundle', user, data, LONG);

describe('buildPrintBundle', () => {
  it('the setup has one failed and one revoked certificate next to the ten ready ones', async () => {
    expect((await waitForCertificate(speakerRef(eventId, 'too-long'))).status).toBe('failed');
    expect((await waitForCertificate(speakerRef(eventId, 'revoked'))).status).toBe('ready');
  });

  it('gives a ZIP of the same certificates as separate PDFs, named by recipient, byte for byte as stored', async () => {
    const { status, body } = await callRaw('buildPrintBundle', { eventId, format: 'zip' }, organizer.idToken);
    expect(status, JSON.stringify(body)).toBe(200);
    const result = body.result as { path: string; url: string; count: number; bytes: number; sha256: string };
    expect(result.path).toMatch(new RegExp(`^bundles/${eventId}/c-[A-Za-z0-9_-]{32}\\.zip$`));
    expect(result.count).toBe(READY.length);
    const zip = new Uint8Array(await (await fetch(result.url)).arrayBuffer());
    expect(zip.byteLength).toBe(result.bytes);
    expect(createHash('sha256').update(zip).digest('hex')).toBe(result.sha256);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(READY.map((s) => `${s.name}.pdf`).sort());
    const { bucket } = admin();
    for (const speaker of READY) {
      const certificate = await waitForCertificate(speakerRef(eventId, speaker.id));
      const [stored] = await bucket.file(certificate.pdfPath!).download();
      expect(Buffer.from(files[`${speaker.name}.pdf`]!).equals(stored), speaker.name).toBe(true);
    }
    // The same certificates again: the stored ZIP, not a second one.
    const again = await callRaw('buildPrintBundle', { eventId, format: 'zip' }, organizer.idToken);
    expect((again.body.result as { path: string; reused: boolean }).reused).toBe(true);
  });

  it('gives the organizer one PDF of exactly the ready, unrevoked certificates, sorted by name, with bookmarks', async () => {
    const { status, body } = await callRaw('buildPrintBundle', { eventId }, organizer.idToken);
    expect(status, JSON.stringify(body)).toBe(200);
    const result = body.result as {
      path: string;
      url: string;
      pages: number;
      bytes: number;
      sha256: string;
      count: number;
      bundleId: string;
    };
    expect(result.path).toBe(`bundles/${eventId}/${result.bundleId}.pdf`);
    expect(result).toMatchObject({ pages: 10, count: 10 });

    const response = await fetch(result.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await response.arrayBuffer());
    expect(pdf.byteLength).toBe(result.bytes);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(result.sha256);

    const file = writeTempPdf(pdf, 'bundle');
    expect(runTool('qpdf', ['--check', file])).toMatch(/No syntax or stream encoding errors/);
    expect(runTool('pdfinfo', [file])).toMatch(/^Pages:\s+10$/m);
    const collator = new Intl.Collator('en', { numeric: true });
    const expected = READY.map((s) => s.name).sort((a, b) => collator.compare(a, b));
    const outline = JSON.parse(runTool('qpdf', ['--json', '--json-key=outlines', file])) as {
      outlines: { title: string; destpageposfrom1: number }[];
    };
    expect(outline.outlines.map((o) => [o.title, o.destpageposfrom1])).toEqual(
      expected.map((name, k) => [name, k + 1]),
    );
    for (const [k, name] of expected.entries()) {
      const text = joinedLines(
        runTool('pdftotext', ['-enc', 'UTF-8', '-f', String(k + 1), '-l', String(k + 1), file, '-']),
      );
      // Word by word: on mixed-direction lines poppler may put the runs in another order.
      for (const word of name.normalize('NFC').split(' ')) expect(text, `page ${k + 1}`).toContain(word);
      expect(text).not.toContain('Revoked');
    }
    for (const font of runTool('pdffonts', [file]).split('\n').slice(2).filter(Boolean))
      expect(font).toMatch(/\byes\s+yes\s+yes\b/);

    const [metadata] = await admin().bucket.file(result.path).getMetadata();
    expect(metadata).toMatchObject({ contentType: 'application/pdf', cacheControl: 'private, max-age=3600' });
    expect(metadata.metadata).toMatchObject({
      eventId,
      bundleId: result.bundleId,
      count: '10',
      pages: '10',
      sha256: result.sha256,
      bytes: String(result.bytes),
    });
  });

  it('a listed organizer through the web SDK, and certforgeAdmin, get a bundle too; the same certificates give the same, reused file', async () => {
    const first = (await callable(organizer)({ eventId })).data;
    const superUser = await createUser({ claims: { certforgeAdmin: true } });
    const second = (await callable(superUser)({ eventId })).data;
    expect(first.pages).toBe(10);
    expect(second.pages).toBe(10);
    expect(second.path).toBe(first.path);
    expect(second.sha256).toBe(first.sha256);
    expect(second.reused).toBe(true);
  });

  it('an organizer of another event → permission-denied', async () => {
    const { status, body } = await callRaw('buildPrintBundle', { eventId }, otherOrganizer.idToken);
    expect(status).toBe(403);
    expect(body.error?.status).toBe('PERMISSION_DENIED');
    expect((await sdkError(otherOrganizer, { eventId })).code).toBe('functions/permission-denied');
  });

  it('no auth, or a token without uid → unauthenticated', async () => {
    expect((await callRaw('buildPrintBundle', { eventId })).body.error?.status).toBe('UNAUTHENTICATED');
    expect((await callRaw('buildPrintBundle', { eventId }, 'not-a-token')).body.error?.status).toBe('UNAUTHENTICATED');
  });

  it('unknown event → permission-denied, as a foreign one (no probing of event ids); bad input → invalid-argument', async () => {
    expect(
      (await callRaw('buildPrintBundle', { eventId: 'no-such-event' }, organizer.idToken)).body.error?.status,
    ).toBe('PERMISSION_DENIED');
    for (const data of [{}, { eventId: 'a/b' }, { eventId, extra: true }, 'evt']) {
      expect(
        (await callRaw('buildPrintBundle', data, organizer.idToken)).body.error?.status,
        JSON.stringify(data),
      ).toBe('INVALID_ARGUMENT');
    }
  });

  it('an event without ready certificates → failed-precondition NO_READY_CERTIFICATES', async () => {
    const error = await sdkError(organizer, { eventId: emptyEventId });
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details).toMatchObject({ code: 'NO_READY_CERTIFICATES' });
    expect(error.message).toMatch(/no ready certificates/);
  });
});
