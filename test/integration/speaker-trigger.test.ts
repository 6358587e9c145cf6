/**
 * The creation trigger on the emulators: a Firestore write fires the real onSpeakerCreated in
 * the functions emulator, which renders, uploads to the Storage emulator and writes back.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPEAKERS, rootPath } from '../helpers/fixtures.js';
import {
  FUNCTIONS_ORIGIN,
  PROJECT_ID,
  REGION,
  admin,
  createEvent,
  listFiles,
  newId,
  speakerRef,
  triggerId,
  waitForCertificate,
} from '../helpers/emulator.js';
import { cleanText, joinedLines } from '../helpers/fixtures.js';
import { pdfLib, pdfToText } from '../helpers/pdf-tools.js';

beforeAll(() => {
  admin();
});

it('runs on Node 22, the Cloud Functions runtime', () => {
  expect(process.version).toMatch(/^v22\./);
});

describe('onSpeakerCreated', () => {
  it('renders a created speaker: ready, the PDF in Storage with metadata, name in the PDF text; the PNG on first request', async () => {
    const eventId = await createEvent();
    const speaker = SPEAKERS.find((s) => s.id === 'spk-001')!; // Nguyễn Thị Minh Khai
    const ref = speakerRef(eventId, 'spk-001');
    await ref.set({ name: speaker.name, email: speaker.email, talk: speaker.talk });
    const certificate = await waitForCertificate(ref);
    expect(certificate).toMatchObject({ status: 'ready', templateId: 'classic' });
    expect(certificate.certificateId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(certificate.pdfPath).toBe(`certificates/${eventId}/spk-001/${certificate.certificateId}.pdf`);
    expect(certificate.pngPath).toBe(`certificates/${eventId}/spk-001/${certificate.certificateId}.png`);

    const { bucket } = admin();
    const [pdf] = await bucket.file(certificate.pdfPath!).download();
    const [pdfMeta] = await bucket.file(certificate.pdfPath!).getMetadata();
    expect(pdfMeta.contentType).toBe('application/pdf');
    expect(pdfMeta.cacheControl).toBe('private, max-age=3600');
    expect(pdfMeta.metadata).toMatchObject({
      sha256: certificate.sha256,
      certificateId: certificate.certificateId,
      eventId,
      speakerId: 'spk-001',
    });
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(certificate.sha256);
    expect(pdf.byteLength).toBe(certificate.pdfBytes);
    expect(joinedLines(pdfToText(new Uint8Array(pdf)))).toContain(cleanText(speaker.name));
    expect(pdfToText(new Uint8Array(pdf))).toContain(certificate.certificateId);

    const document = await pdfLib.PDFDocument.load(pdf, { updateMetadata: false });
    expect(document.getTitle()).toContain(speaker.name);
    expect(document.getCreationDate()?.toISOString()).toBe('2026-03-12T00:00:00.000Z');

    // Issuance stores the PDF only; the preview is rendered when something first asks for it.
    expect(await listFiles(`certificates/${eventId}/`)).toEqual([certificate.pdfPath]);
    const served = await fetch(
      `${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/verify/${certificate.certificateId}/preview.png`,
    );
    expect(served.status).toBe(200);
    const fromPage = Buffer.from(await served.arrayBuffer());
    const [png] = await bucket.file(certificate.pngPath!).download();
    const [pngMeta] = await bucket.file(certificate.pngPath!).getMetadata();
    expect(png.equals(fromPage)).toBe(true);
    expect(pngMeta.contentType).toBe('image/png');
    expect(pngMeta.cacheControl).toBe('private, max-age=3600');
    expect(pngMeta.metadata).toMatchObject({
      sha256: createHash('sha256').update(png).digest('hex'),
      certificateId: certificate.certificateId,
      eventId,
      speakerId: 'spk-001',
      templateId: 'classic',
      templateVersion: certificate.templateVersion,
      firebaseStorageDownloadTokens: certificate.pngToken,
    });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(await listFiles(`certificates/${eventId}/`)).toEqual([certificate.pdfPath, certificate.pngPath].sort());
    // The preview is the certificate as issued: the same as a render of the PDF's own data with PNG.
    const again = await fetch(
      `${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/verify/${certificate.certificateId}/preview.png`,
    );
    expect(Buffer.from(await again.arrayBuffer()).equals(png)).toBe(true);
  });

  it('does not add a certificate or a file for duplicate deliveries, even concurrent ones', async () => {
    const eventId = await createEvent();
    const ref = speakerRef(eventId, 'dup');
    const trigger = await triggerId('onSpeakerCreated');
    await ref.set({ name: 'Đặng Thị Thu Hà', talk: { title: 'Idempotence' } });
    // Besides the real delivery: the same extra event twice at once, and another event id.
    const duplicate = cloudEvent(eventId, 'dup');
    await Promise.all([
      deliver(trigger, duplicate),
      deliver(trigger, duplicate),
      deliver(trigger, cloudEvent(eventId, 'dup')),
    ]);
    const first = await waitForCertificate(ref);
    expect(first.status).toBe('ready');
    // And once more after it is ready: the exact same event again.
    await deliver(trigger, duplicate);
    const after = (await ref.get()).get('certificate');
    expect(after.certificateId).toBe(first.certificateId);
    expect(after.sha256).toBe(first.sha256);
    expect(await listFiles(`certificates/${eventId}/dup/`)).toEqual([first.pdfPath]);
  });

  it('created → deleted → recreated: a new certificate for the new speaker, the old files kept, no duplicates', async () => {
    const eventId = await createEvent();
    const ref = speakerRef(eventId, 'again');
    await ref.set({ name: 'Ольга Коваленко', talk: { title: 'Перший доклад' } });
    const first = await waitForCertificate(ref);
    await ref.delete();
    await ref.set({ name: 'Ольга Коваленко-Шевченко', talk: { title: 'Другий доклад' } });
    const second = await waitForCertificate(ref);
    expect(second.status).toBe('ready');
    expect(second.certificateId).not.toBe(first.certificateId);
    expect(await listFiles(`certificates/${eventId}/again/`)).toEqual([first.pdfPath, second.pdfPath].sort());
    const [pdf] = await admin().bucket.file(second.pdfPath!).download();
    expect(joinedLines(pdfToText(new Uint8Array(pdf)))).toContain('Ольга Коваленко-Шевченко');
  });

  it('20 speakers created in one batch all end ready', async () => {
    const eventId = await createEvent({ templateId: 'modern' });
    const batch = admin().db.batch();
    const picked = SPEAKERS.slice(0, 20);
    for (const speaker of picked)
      batch.set(speakerRef(eventId, speaker.id), { name: speaker.name, talk: speaker.talk ?? {} });
    await batch.commit();
    const results = await Promise.all(
      picked.map((speaker) => waitForCertificate(speakerRef(eventId, speaker.id), { timeoutMs: 90_000 })),
    );
    expect(results.map((c) => c.status)).toEqual(Array(20).fill('ready'));
    expect(new Set(results.map((c) => c.certificateId)).size).toBe(20);
    expect((await listFiles(`certificates/${eventId}/`)).length).toBe(20); // one PDF each
  });

  it('a broken template fails with its code and stores nothing; other events are unaffected', async () => {
    const { bucket } = admin();
    const brokenId = newId('broken');
    await bucket.file(`templates/${brokenId}/template.svg`).save('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', {
      contentType: 'image/svg+xml',
    });
    const broken = await createEvent({ templateId: brokenId });
    const healthy = await createEvent();
    await Promise.all([
      speakerRef(broken, 'a').set({ name: 'Ana' }),
      speakerRef(broken, 'b').set({ name: 'Bea' }),
      speakerRef(healthy, 'c').set({ name: 'Chidi Okafor', talk: { title: 'Healthy' } }),
    ]);
    const [a, b, c] = await Promise.all([
      waitForCertificate(speakerRef(broken, 'a')),
      waitForCertificate(speakerRef(broken, 'b')),
      waitForCertificate(speakerRef(healthy, 'c')),
    ]);
    for (const failed of [a, b]) {
      expect(failed.status).toBe('failed');
      expect(failed.error?.code).toBe('TEMPLATE_PARSE');
      expect(failed.error?.message).toMatch(/not valid SVG/);
    }
    expect(c.status).toBe('ready');
    expect(await listFiles(`certificates/${broken}/`)).toEqual([]);
  });

  it('records data and template errors with their codes: missing name, unknown template, hostile template', async () => {
    const { bucket } = admin();
    const hostileId = newId('hostile');
    await bucket
      .file(`templates/${hostileId}/template.svg`)
      .save(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100"><image xlink:href="file:///etc/passwd" width="10" height="10"/><text y="50">{{name}}</text></svg>',
        { contentType: 'image/svg+xml' },
      );
    const plain = await createEvent();
    const unknown = await createEvent({ templateId: 'no-such-template' });
    const hostile = await createEvent({ templateId: hostileId });
    await Promise.all([
      speakerRef(plain, 'noname').set({ email: 'x@example.org' }),
      speakerRef(plain, 'huge').set({ name: 'N'.repeat(10_000) }),
      speakerRef(unknown, 's').set({ name: 'Sam' }),
      speakerRef(hostile, 's').set({ name: 'Sam' }),
    ]);
    const codes = await Promise.all(
      [speakerRef(plain, 'noname'), speakerRef(plain, 'huge'), speakerRef(unknown, 's'), speakerRef(hostile, 's')].map(
        async (ref) => (await waitForCertificate(ref)).error?.code,
      ),
    );
    expect(codes).toEqual(['MISSING_FIELD', 'LIMIT_EXCEEDED', 'TEMPLATE_NOT_FOUND', 'EXTERNAL_REFERENCE']);
  });

  it('renders a template stored in Storage with its own font, and picks up a re-uploaded version', async () => {
    const { bucket } = admin();
    const templateId = newId('custom');
    const svg = (title: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="842" height="595" viewBox="0 0 842 595"><rect width="842" height="595" fill="#fff"/>` +
      `<text x="421" y="200" text-anchor="middle" font-family="Great Vibes" font-size="48">${title}</text>` +
      `<text x="421" y="320" text-anchor="middle" font-family="Great Vibes" font-size="40" data-fit-width="700">{{name}}</text></svg>`;
    const font = readFileSync(
      rootPath('functions/node_modules/@expo-google-fonts/great-vibes/400Regular/GreatVibes_400Regular.ttf'),
    );
    await bucket.file(`templates/${templateId}/fonts/GreatVibes.ttf`).save(font, { contentType: 'font/ttf' });
    await bucket
      .file(`templates/${templateId}/template.svg`)
      .save(svg('Certificate of Talk'), { contentType: 'image/svg+xml' });
    const eventId = await createEvent({ templateId });
    await speakerRef(eventId, 'one').set({ name: 'Amélie Poulain' });
    const first = await waitForCertificate(speakerRef(eventId, 'one'));
    expect(first.status).toBe('ready');
    const [pdf1] = await bucket.file(first.pdfPath!).download();
    expect(pdfToText(new Uint8Array(pdf1))).toContain('Certificate of Talk');

    await bucket
      .file(`templates/${templateId}/template.svg`)
      .save(svg('Certificate of Keynote'), { contentType: 'image/svg+xml' });
    await speakerRef(eventId, 'two').set({ name: 'Bruno Ganz' });
    const second = await waitForCertificate(speakerRef(eventId, 'two'));
    expect(second.templateVersion).not.toBe(first.templateVersion);
    const [pdf2] = await bucket.file(second.pdfPath!).download();
    expect(pdfToText(new Uint8Array(pdf2))).toContain('Certificate of Keynote');
  });
});

/** A structured CloudEvent for the speaker, as the Firestore emulator would send it. */
function cloudEvent(eventId: string, speakerId: string) {
  const document = `events/${eventId}/speakers/${speakerId}`;
  const now = new Date().toISOString();
  return {
    specversion: '1.0',
    id: randomUUID(),
    type: 'google.cloud.firestore.document.v1.created',
    source: `//firestore.googleapis.com/projects/${PROJECT_ID}/databases/(default)`,
    subject: `documents/${document}`,
    time: now,
    datacontenttype: 'application/json',
    project: PROJECT_ID,
    database: '(default)',
    namespace: '(default)',
    document,
    location: 'nam5',
    data: {
      value: {
        name: `projects/${PROJECT_ID}/databases/(default)/documents/${document}`,
        fields: {},
        createTime: now,
        updateTime: now,
      },
    },
  };
}

async function deliver(trigger: string, event: ReturnType<typeof cloudEvent>): Promise<void> {
  const res = await fetch(`${FUNCTIONS_ORIGIN}/functions/projects/${PROJECT_ID}/triggers/${trigger}`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify(event),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}
