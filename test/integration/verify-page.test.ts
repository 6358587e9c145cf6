/**
 * The public `verify` function on the emulators: a speaker created in Firestore gets its
 * certificate from the real onSpeakerCreated trigger, whose transaction writes the registry entry
 * certificates/{id}; the URL printed on the certificate (functions/.env.demo-certforge points it
 * at the emulator's verify function) then serves the page, the JSON and the PDF check. Revoked
 * and superseded states are written to the registry directly here (the revoke and correction
 * flows have their own end-to-end tests).
 */
import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTIONS_ORIGIN,
  PROJECT_ID,
  REGION,
  admin,
  createEvent,
  speakerRef,
  waitForCertificate,
} from '../helpers/emulator.js';
import type { PublicCertificate } from '../../functions/src/shared/model.js';

const VERIFY_BASE = `${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/verify`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** What a person's browser sends (bots and link previewers are not counted: verify/stats.ts). */
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
/** A fresh certificate id: 128 random bits, base64url. */
const newCertificateId = () => randomBytes(16).toString('base64url');

interface Issued {
  certificateId: string;
  entry: PublicCertificate;
  pdf: Buffer;
  url: string;
}

/** Creates a speaker, waits for the trigger's certificate and reads its registry entry and PDF. */
async function issue(
  name: string,
  eventFields: Record<string, unknown> = {},
  talk = 'Verifiable Certificates on Serverless',
): Promise<Issued> {
  const eventId = await createEvent({ issuer: 'Open Source Infrastructure Foundation', ...eventFields });
  const ref = speakerRef(eventId, 'spk-verify');
  await ref.set({ name, email: 'speaker@example.org', talk: { title: talk } });
  const certificate = await waitForCertificate(ref);
  expect(certificate.status).toBe('ready');
  const { db, bucket } = admin();
  const snap = await db.collection('certificates').doc(certificate.certificateId).get();
  expect(snap.exists).toBe(true);
  const entry = snap.data() as PublicCertificate;
  const [pdf] = await bucket.file(certificate.pdfPath!).download();
  return { certificateId: certificate.certificateId, entry, pdf, url: entry.verifyUrl };
}

/** Writes a registry entry directly (what the revoke and correction flows write). */
async function writeEntry(base: PublicCertificate, fields: Partial<PublicCertificate>): Promise<PublicCertificate> {
  const certificateId = fields.certificateId ?? newCertificateId();
  // A copy is not an issued certificate: it has no credential nor status list position of its own.
  const { credentialJson: _c, statusList: _l, statusIndex: _i, ...rest } = base;
  const entry = { ...rest, verifyUrl: `${VERIFY_BASE}/${certificateId}`, ...fields, certificateId };
  await admin().db.collection('certificates').doc(certificateId).set(entry);
  return entry;
}

let issued: Issued;

beforeAll(async () => {
  admin();
  issued = await issue('Ada Lovelace');
});

describe('verify on the emulators', () => {
  it('prints the emulator verify URL on the certificate, and that URL serves the page', async () => {
    expect(issued.url).toBe(`${VERIFY_BASE}/${issued.certificateId}`);
    const res = await fetch(issued.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'/,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    const html = await res.text();
    expect(html).toContain('<dd class="name" lang="en" dir="auto">Ada Lovelace</dd>');
    expect(html).toContain('This certificate is valid');
    expect(html).toContain('Verifiable Certificates on Serverless');
    expect(html).toContain('Open Source Infrastructure Summit 2026');
    expect(html).toContain('Open Source Infrastructure Foundation');
    // The hash shown is the stored PDF's.
    const shown = /<code dir="ltr" class="hash" id="issued-sha256">([0-9a-f]{64})<\/code>/.exec(html)?.[1];
    expect(shown).toBe(sha256(issued.pdf));
    expect(shown).toBe(issued.entry.sha256);
    // Nothing private.
    for (const value of [
      issued.entry.pdfPath,
      issued.entry.pngPath,
      ...(issued.entry.pngToken ? [issued.entry.pngToken] : []),
      issued.entry.participantPath,
      issued.entry.eventId,
      'speaker@example.org',
      'spk-verify',
    ]) {
      expect(html).not.toContain(value);
    }
    expect(html).toContain(`href="${issued.url}/linkedin"`);
    // The link counts the addition and takes the visitor to LinkedIn's form.
    const linkedIn = await fetch(`${issued.url}/linkedin`, {
      redirect: 'manual',
      headers: { 'user-agent': BROWSER_UA },
    });
    expect(linkedIn.status).toBe(302);
    expect(linkedIn.headers.get('location')).toMatch(
      /^https:\/\/www\.linkedin\.com\/profile\/add\?startTask=CERTIFICATION_NAME&/,
    );
  });

  it('counts page views, PDF downloads and LinkedIn additions per event, not bots, HEADs or checks', async () => {
    const counted = await issue('Ada Lovelace', { verification: { offerPdf: true } });
    const stats = async () => {
      const snap = await admin().db.collection('events').doc(counted.entry.eventId).collection('stats').get();
      const sum = { views: 0, downloads: 0, linkedIn: 0 };
      for (const doc of snap.docs)
        for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += Number(doc.get(key) ?? 0);
      return { sum, docs: snap.docs.map((doc) => doc.id) };
    };
    const browser = { 'user-agent': BROWSER_UA };
    expect((await fetch(counted.url, { headers: browser })).status).toBe(200);
    expect((await fetch(counted.url, { headers: browser })).status).toBe(200);
    expect((await fetch(`${counted.url}/certificate.pdf`, { headers: browser })).status).toBe(200);
    expect((await fetch(`${counted.url}/linkedin`, { headers: browser, redirect: 'manual' })).status).toBe(302);
    // Not counted: a link previewer, a HEAD, the JSON of a program, a hash check.
    await fetch(counted.url, { headers: { 'user-agent': 'LinkedInBot/1.0 (compatible; Mozilla/5.0)' } });
    await fetch(counted.url, { method: 'HEAD', headers: browser });
    await fetch(counted.url, { headers: { ...browser, accept: 'application/json' } });
    await fetch(`${counted.url}?sha256=${sha256(counted.pdf)}`, { headers: browser });
    const { sum, docs } = await stats();
    expect(sum).toEqual({ views: 2, downloads: 1, linkedIn: 1 });
    // Per UTC day and shard, nothing else: no certificate id, no visitor.
    for (const id of docs) expect(id).toMatch(/^\d{4}-\d{2}-\d{2}-\d$/);
  });

  it('serves JSON with public fields only', async () => {
    const res = await fetch(issued.url, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      certificateId: issued.certificateId,
      status: 'valid',
      recipientName: 'Ada Lovelace',
      talkTitle: 'Verifiable Certificates on Serverless',
      event: {
        name: 'Open Source Infrastructure Summit 2026',
        date: 'March 12, 2026',
        isoDate: '2026-03-12',
        place: 'Kraków, Poland',
      },
      issuer: 'Open Source Infrastructure Foundation',
      locale: 'en',
      verifyUrl: issued.url,
      sha256: sha256(issued.pdf),
      currentVersionUrl: null,
    });
    expect(body.issuedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const linkedIn = new URL(body.linkedInUrl as string);
    expect(linkedIn.searchParams.get('certId')).toBe(issued.certificateId);
    expect(linkedIn.searchParams.get('certUrl')).toBe(issued.url);
    const text = JSON.stringify(body);
    for (const value of [
      issued.entry.pdfPath,
      issued.entry.pngPath,
      ...(issued.entry.pngToken ? [issued.entry.pngToken] : []),
      issued.entry.participantPath,
      issued.entry.eventId,
      'speaker@example.org',
      'spk-verify',
      'pdfPath',
      'templateId',
    ]) {
      expect(text).not.toContain(value);
    }
    const byQuery = await fetch(`${issued.url}?format=json`);
    expect(((await byQuery.json()) as { certificateId: string }).certificateId).toBe(issued.certificateId);
  });

  it('answers 404 the same way for an unknown id, a malformed id and another path', async () => {
    // One after the other: concurrent calls would each start a worker in the functions emulator.
    const answers: { status: number; body: string }[] = [];
    for (const url of [
      `${VERIFY_BASE}/${newCertificateId()}`,
      `${VERIFY_BASE}/not-a-certificate`,
      `${VERIFY_BASE}/${issued.certificateId}/extra`,
    ]) {
      const res = await fetch(url);
      answers.push({ status: res.status, body: await res.text() });
    }
    expect(answers[0]!.status).toBe(404);
    expect(answers[0]!.body).toContain('Certificate not found');
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    const json = await fetch(`${VERIFY_BASE}/x?format=json`);
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({
      error: { code: 'CERTIFICATE_NOT_FOUND', message: 'No certificate has this address.' },
    });
  });

  it('refuses other methods with 405', async () => {
    const res = await fetch(issued.url, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('matches the real PDF uploaded through the form, and not a modified one', async () => {
    const form = new FormData();
    form.append('pdf', new Blob([new Uint8Array(issued.pdf)], { type: 'application/pdf' }), 'certificate.pdf');
    const match = await fetch(issued.url, { method: 'POST', body: form });
    expect(match.status).toBe(200);
    expect(await match.text()).toContain('✓ Match: this is the issued PDF');

    // One byte changed in the middle of the file: still a PDF, no longer the issued one.
    const modified = Buffer.from(issued.pdf);
    modified[Math.floor(modified.length / 2)] ^= 0x01;
    const form2 = new FormData();
    form2.append('pdf', new Blob([new Uint8Array(modified)], { type: 'application/pdf' }), 'certificate.pdf');
    const miss = await fetch(issued.url, { method: 'POST', body: form2, headers: { accept: 'application/json' } });
    expect(miss.status).toBe(200);
    expect(((await miss.json()) as { check: unknown }).check).toEqual({
      method: 'upload',
      sha256: sha256(modified),
      matches: false,
      bytes: modified.length,
      looksLikePdf: true,
    });

    const raw = await fetch(`${issued.url}?format=json`, {
      method: 'POST',
      body: new Uint8Array(issued.pdf),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(((await raw.json()) as { check: { matches: boolean } }).check.matches).toBe(true);
  });

  it('checks a hash given in the query', async () => {
    const good = await fetch(`${issued.url}?sha256=${issued.entry.sha256.toUpperCase()}`);
    expect(good.headers.get('cache-control')).toBe('no-store');
    expect(await good.text()).toContain('✓ Match: this is the issued PDF');
    const bad = await fetch(`${issued.url}?format=json&sha256=${'ab'.repeat(32)}`);
    expect(((await bad.json()) as { check: { matches: boolean } }).check.matches).toBe(false);
    const malformed = await fetch(`${issued.url}?format=json&sha256=123`);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('INVALID_HASH');
  });

  it('refuses an upload over 10 MB with 413', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1);
    issued.pdf.copy(big);
    const res = await fetch(`${issued.url}?format=json`, {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('LIMIT_EXCEEDED');
  });

  it('shows a revoked certificate with its date and reason', async () => {
    const revoked = await writeEntry(issued.entry, {
      status: 'revoked',
      revokedAt: new Date('2026-04-02T08:00:00Z'),
      revocationReason: 'Issued for a talk that was cancelled',
    });
    const html = await (await fetch(revoked.verifyUrl)).text();
    expect(html).toContain('This certificate has been revoked');
    expect(html).toContain('Revoked on <time datetime="2026-04-02">April 2, 2026</time>');
    expect(html).toContain('Issued for a talk that was cancelled');
    expect(html).not.toContain('linkedin.com');
    const json = (await (await fetch(revoked.verifyUrl, { headers: { accept: 'application/json' } })).json()) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      status: 'revoked',
      revokedAt: '2026-04-02T08:00:00.000Z',
      revocationReason: 'Issued for a talk that was cancelled',
      linkedInUrl: null,
    });
  });

  it('links a superseded certificate to the current version at the end of the chain', async () => {
    const current = await writeEntry(issued.entry, {
      status: 'valid',
      recipientName: 'Ada King, Countess of Lovelace',
    });
    const middle = await writeEntry(issued.entry, {
      status: 'superseded',
      supersededBy: current.certificateId,
      supersededAt: new Date('2026-03-21T00:00:00Z'),
    });
    const oldest = await writeEntry(issued.entry, {
      status: 'superseded',
      supersededBy: middle.certificateId,
      supersededAt: new Date('2026-03-20T00:00:00Z'),
    });
    const res = await fetch(oldest.verifyUrl);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('This certificate has been replaced by a corrected version');
    expect(html).toContain(`<a href="${current.certificateId}">View the current version of this certificate</a>`);
    // The relative link resolves next to the page: following it lands on the current version.
    const next = await fetch(new URL(current.certificateId, oldest.verifyUrl));
    expect(await next.text()).toContain('Ada King, Countess of Lovelace');
    const json = (await (await fetch(`${oldest.verifyUrl}?format=json`)).json()) as Record<string, unknown>;
    expect(json).toMatchObject({
      status: 'superseded',
      currentVersion: { certificateId: current.certificateId, status: 'valid' },
      currentVersionUrl: current.verifyUrl,
    });
  });
});
