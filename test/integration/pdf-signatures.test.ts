/**
 * PAdES signatures end to end on the emulators: `npm run test:emulator` gives the functions the
 * test PKI's signing certificate and time-stamping authority (CERTFORGE_EMULATOR_PDF_SIGNER,
 * emulators/run.mjs; the services run in the tests' global setup). A speaker written to
 * Firestore gets a certificate PDF signed at B-LT; the print bundle is signed at B-T; pyHanko
 * validates both against the test root, veraPDF finds them PDF/A-3b, and the registry's sha256
 * is the signed file's.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  callRaw,
  createEvent,
  createUser,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';
import { preparedPki, validateSignatures, type TestPki } from '../helpers/pdf-signatures.js';
import { writeTempPdf } from '../helpers/pdf-tools.js';
import { veraPdf } from '../helpers/verapdf.js';

let organizer: TestUser;
let eventId: string;
let pki: TestPki;

beforeAll(async () => {
  pki = await preparedPki();
  organizer = await createUser({ claims: { organizer: true } });
  eventId = await createEvent({ organizerUids: [organizer.uid], name: 'Signed Conf 2026' });
  await speakerRef(eventId, 'ana').set({ name: 'Ana Łukasiewicz-Núñez', talk: { title: 'Trust in PDFs' } });
  await speakerRef(eventId, 'kim').set({ name: '김민준', talk: { title: '서명' } });
}, 120_000);

describe('a certificate issued on the emulator', () => {
  it('is signed by the organization (PAdES B-LT), validated by pyHanko, PDF/A-3b, with the registry holding its hash', async () => {
    const certificate = await waitForCertificate(speakerRef(eventId, 'ana'), { timeoutMs: 90_000 });
    expect(certificate.status, JSON.stringify(certificate.error)).toBe('ready');
    expect(certificate.pdfSignature).toMatchObject({
      level: 'B-LT',
      signer: expect.stringContaining('Example Org Document Signer'),
    });
    const [pdf] = await admin().bucket.file(certificate.pdfPath!).download();
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(certificate.sha256).toBe(sha256);
    const registry = await admin().db.doc(`certificates/${certificate.certificateId}`).get();
    expect(registry.get('sha256')).toBe(sha256);

    const report = await validateSignatures(pdf, pki.rootPem);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({
      intact: true,
      valid: true,
      trusted: true,
      level: 'B-LT',
      coverage: 'ENTIRE_REVISION',
      modificationLevel: 'LTA_UPDATES',
    });
    const [vera] = veraPdf('3b', [writeTempPdf(pdf, 'signed-certificate')]);
    expect(vera!.failedRules).toEqual([]);

    // The public verification page states the signed file's hash and how it is signed.
    const page = await fetch(registry.get('verifyUrl') as string, { headers: { accept: 'application/json' } });
    const json = (await page.json()) as { sha256: string; pdfSignature?: { level: string; signer: string } };
    expect(json.sha256).toBe(sha256);
    expect(json.pdfSignature).toMatchObject({ level: 'B-LT', signer: expect.stringContaining('Example Org') });
  });
});

describe('the print bundle built on the emulator', () => {
  it('is signed as a whole (PAdES B-T) and validated by pyHanko', async () => {
    await waitForCertificate(speakerRef(eventId, 'kim'), { timeoutMs: 90_000 });
    const { status, body } = await callRaw('buildPrintBundle', { eventId }, organizer.idToken);
    expect(status, JSON.stringify(body)).toBe(200);
    const result = body.result as { url: string; sha256: string; count: number };
    expect(result.count).toBe(2);
    const pdf = new Uint8Array(await (await fetch(result.url)).arrayBuffer());
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(result.sha256);
    const report = await validateSignatures(pdf, pki.rootPem);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({
      intact: true,
      valid: true,
      trusted: true,
      coverage: 'ENTIRE_FILE',
      level: 'B-T',
    });
    const [vera] = veraPdf('3b', [writeTempPdf(pdf, 'signed-bundle')]);
    expect(vera!.failedRules).toEqual([]);
  });
});
