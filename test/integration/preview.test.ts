/**
 * The PNG preview on first request (functions/src/issue/preview.ts): issuance stores the PDF
 * only; the verification page and generateCertificate render the preview when first asked,
 * store it beside the PDF, and serve the stored one afterwards.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTIONS_ORIGIN,
  PROJECT_ID,
  REGION,
  admin,
  callRaw,
  createEvent,
  createUser,
  listFiles,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';

const preview = (certificateId: string) =>
  fetch(`${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/verify/${certificateId}/preview.png`);

let organizer: TestUser;

beforeAll(async () => {
  organizer = await createUser({ claims: { organizer: true } });
});

describe('the PNG preview on first request', () => {
  it('concurrent first requests get the same image, stored once, with the certificate’s metadata', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ref = speakerRef(eventId, 'ada');
    await ref.set({ name: 'Ada Lovelace', talk: { title: 'Notes' } });
    const certificate = await waitForCertificate(ref);
    expect(await listFiles(`certificates/${eventId}/ada/`)).toEqual([certificate.pdfPath]);

    const answers = await Promise.all(Array.from({ length: 5 }, () => preview(certificate.certificateId)));
    const images = await Promise.all(answers.map(async (res) => Buffer.from(await res.arrayBuffer())));
    for (const res of answers) expect(res.status).toBe(200);
    for (const image of images) expect(image.equals(images[0]!)).toBe(true);
    expect(images[0]!.subarray(1, 4).toString()).toBe('PNG');
    expect(await listFiles(`certificates/${eventId}/ada/`)).toEqual([certificate.pdfPath, certificate.pngPath].sort());
    const [meta] = await admin().bucket.file(certificate.pngPath!).getMetadata();
    expect(meta.metadata?.sha256).toBe(createHash('sha256').update(images[0]!).digest('hex'));

    // generateCertificate hands out the stored preview's download URL.
    const { body } = await callRaw('generateCertificate', { eventId, speakerId: 'ada' }, organizer.idToken);
    const pngUrl = body.result?.pngUrl as string;
    const downloaded = await fetch(pngUrl);
    expect(downloaded.status).toBe(200);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(images[0]!)).toBe(true);
  });

  it('generateCertificate renders it when nobody asked before; none for a revoked certificate on the page', async () => {
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const ref = speakerRef(eventId, 'grace');
    await ref.set({ name: 'Grace Hopper' });
    const certificate = await waitForCertificate(ref);
    const { body } = await callRaw('generateCertificate', { eventId, speakerId: 'grace' }, organizer.idToken);
    const png = await fetch(body.result?.pngUrl as string);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');

    const revoked = await callRaw(
      'revokeCertificate',
      { certificateId: certificate.certificateId, reason: 'Issued by mistake' },
      organizer.idToken,
    );
    expect(revoked.body.error).toBeUndefined();
    expect((await preview(certificate.certificateId)).status).toBe(404);
  });

  it('a Storage template uploaded again since: no preview rather than one that differs from the PDF', async () => {
    const { bucket } = admin();
    const templateId = `tpl-${Date.now()}`;
    const svg = (text: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><text x="20" y="150" font-size="24">${text} {{name}}</text></svg>`;
    await bucket.file(`templates/${templateId}/template.svg`).save(svg('First'), { contentType: 'image/svg+xml' });
    const eventId = await createEvent({ organizerUids: [organizer.uid], templateId });
    const ref = speakerRef(eventId, 'kat');
    await ref.set({ name: 'Katherine Johnson' });
    const certificate = await waitForCertificate(ref);
    expect(certificate.status).toBe('ready');
    await bucket.file(`templates/${templateId}/template.svg`).save(svg('Second'), { contentType: 'image/svg+xml' });
    expect((await preview(certificate.certificateId)).status).toBe(404);
    expect(await listFiles(`certificates/${eventId}/kat/`)).toEqual([certificate.pdfPath]);
  });
});
