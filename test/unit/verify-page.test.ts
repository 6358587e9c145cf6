/**
 * The public verification page: page model (public fields only, chain of corrections), HTML
 * (escaping, right-to-left text, each status, self-contained), JSON, the LinkedIn link, hash
 * comparison and POST parsing; then the handler itself over HTTP, served by
 * @google-cloud/functions-framework (the Cloud Functions host, which reads the body into
 * req.rawBody as production does) with an in-memory registry behind the CertificateRegistry
 * interface. The Firestore registry and the real PDFs are covered by test/integration/verify-*.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Framework from '../../functions/node_modules/@google-cloud/functions-framework/build/src/index.js';
import type * as FrameworkTesting from '../../functions/node_modules/@google-cloud/functions-framework/build/src/testing.js';
import { createVerifyHandler, type CertificateRegistry } from '../../functions/src/handlers/verify-certificate.js';

/** The handler's 'certificate checked' log lines (functions/src/logs.ts), captured. */
const checks = vi.hoisted(() => [] as unknown[]);
vi.mock('../../functions/src/logs.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../functions/src/logs.js')>()),
  logCertificateChecked: (fields: unknown) => void checks.push(fields),
  logUnexpected: () => undefined,
}));
import { CONTENT_SECURITY_POLICY, renderCertificatePage, renderNotFoundPage } from '../../functions/src/verify/html.js';
import { linkedInAddToProfileUrl } from '../../functions/src/verify/linkedin.js';
import { buildView, resolveChain, roleOf, toJson, type CheckResult } from '../../functions/src/verify/page-model.js';
import { certificateIdFromPath, wantsJson } from '../../functions/src/verify/route.js';
import { isCertificateId } from '../../functions/src/shared/paths.js';
import { normalizeSha256, sameSha256, sha256Hex } from '../../functions/src/verify/sha256.js';
import { CheckInputError, MAX_PDF_BYTES, checkInputFromBody } from '../../functions/src/verify/upload.js';
import type { PublicCertificate } from '../../functions/src/shared/model.js';
import { escapeHtml } from '../../functions/src/shared/html.js';
import { generateIssuerKey, type IssuerKey } from '../../functions/src/credential/issuer-key.js';
import {
  issuerResolver,
  openBadgeCredential,
  signCredential,
  statusListCredential,
  verifyCredential,
  type Issuer,
} from '../../functions/src/credential/open-badge.js';
import { PAGE_LANGUAGES, messages, pageLanguage } from '../../functions/src/verify/messages.js';
import { representation, routeOf } from '../../functions/src/verify/route.js';

const requireFromFunctions = createRequire(new URL('../../functions/package.json', import.meta.url));
const { http } = requireFromFunctions('@google-cloud/functions-framework') as typeof Framework;
const { getTestServer } = requireFromFunctions('@google-cloud/functions-framework/testing') as typeof FrameworkTesting;

const PDF = new TextEncoder().encode('%PDF-1.7\n% a stand-in for the issued certificate\n%%EOF\n');
const PDF_SHA = sha256Hex(PDF);
const ID = 'AbCdEfGhIjKlMnOpQrSt_-'; // 22 base64url characters
const ID2 = 'Zz0123456789abcdefGHIJ';
const ID3 = 'Yy0123456789abcdefGHIJ';
const ID4 = 'Xx0123456789abcdefGHIJ';
const ISSUER: Issuer = {
  id: 'https://verify.example.org/c/issuer',
  name: 'Example Foundation',
  url: 'https://example.org',
};
const LIST_ID = 'AbCdEfGhIjKlMnOp-1';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let key: IssuerKey;
/** Revoked status list positions of the in-memory authority. */
const revokedIndexes = new Set<number>();
/** The CredentialAuthority of the handler, over the real signing code without Firestore. */
const LIST_URL = `https://verify.example.org/c/status/${LIST_ID}`;
const authority = {
  profile: async () => (await resolver()(ISSUER.id))!,
  statusList: async (listId: string) =>
    listId === LIST_ID
      ? statusListCredential(LIST_URL, revokedIndexes, key, ISSUER, new Date('2026-03-15T00:00:00Z'))
      : undefined,
  check: async (credential: unknown, at?: Date) => verifyCredential(credential, resolver(), at),
};
/** The issuer's documents as the function serves them: profile, key, status list. */
const resolver = () =>
  issuerResolver(ISSUER, [key], (url) => (url === LIST_URL ? authority.statusList(LIST_ID) : undefined));
const files = {
  read: async (path: string) => (path.endsWith('.png') ? PNG : path.endsWith('.pdf') ? PDF : undefined),
};

/** A registry entry with every private field filled with a recognisable value. */
function entry(overrides: Partial<PublicCertificate> = {}): PublicCertificate {
  return {
    certificateId: ID,
    status: 'valid',
    recipientName: 'Ada Lovelace',
    talkTitle: 'Notes on the Analytical Engine',
    eventId: 'evt-secret-event-id',
    eventName: 'Example Conf 2026',
    eventDate: '12 March 2026',
    eventIsoDate: '2026-03-12',
    eventPlace: 'Kraków, Poland',
    issuer: 'Example Foundation',
    issuedAt: new Date('2026-03-14T09:30:00Z'),
    locale: 'en',
    verifyUrl: `https://verify.example.org/c/${ID}`,
    sha256: PDF_SHA,
    pdfBytes: PDF.byteLength,
    pdfPath: `certificates/evt-secret-event-id/spk-secret-speaker/${ID}.pdf`,
    pngPath: `certificates/evt-secret-event-id/spk-secret-speaker/${ID}.png`,
    participantPath: 'events/evt-secret-event-id/speakers/spk-secret-speaker',
    templateId: 'secret-template',
    ...overrides,
  };
}

const PRIVATE_VALUES = [
  'evt-secret-event-id',
  'spk-secret-speaker',
  'secret-template',
  'certificates/',
  'pdfPath',
  'pngPath',
  'participantPath',
  'templateId',
  'eventId',
  'pdfBytes',
];

describe('page model', () => {
  it('keeps only the public fields', () => {
    const view = buildView(entry());
    expect(Object.keys(view).sort()).toEqual(
      [
        'certificateId',
        'status',
        'recipientName',
        'talkTitle',
        'eventName',
        'eventDate',
        'eventIsoDate',
        'eventPlace',
        'issuer',
        'issuedAt',
        'locale',
        'verifyUrl',
        'sha256',
        'role',
        'linkedInUrl',
        'credential',
        'hasPreview',
        'offersPdf',
      ].sort(),
    );
    expect(view.issuedAt).toBe('2026-03-14T09:30:00.000Z');
    expect(view.role).toBe('Speaker');
  });

  it('reads Firestore Timestamps (toDate) as ISO instants, and drops what is not a date or a BCP 47 tag', () => {
    const timestamp = { toDate: () => new Date('2026-04-01T00:00:00Z') };
    const view = buildView(
      entry({
        status: 'revoked',
        revokedAt: timestamp,
        revocationReason: 'Issued by mistake',
        locale: 'not a locale!',
        eventIsoDate: '12/03/2026',
      }),
    );
    expect(view.revokedAt).toBe('2026-04-01T00:00:00.000Z');
    expect(view.locale).toBeUndefined();
    expect(view.eventIsoDate).toBeUndefined();
    expect(buildView(entry({ locale: 'AR-eg' })).locale).toBe('ar-EG');
  });

  it('names the role from the recorded role, its label, or (entries from before roles) the collection', () => {
    expect(roleOf('events/e/speakers/s')).toBe('Speaker');
    expect(roleOf('events/e/participants/a', 'attendee')).toBe('Attendee');
    expect(roleOf('events/e/participants/v', 'volunteer')).toBe('Volunteer');
    expect(roleOf('events/e/participants/v', 'jury', { en: 'Jury member', de: 'Jurymitglied' })).toBe('Jury member');
    expect(roleOf('events/e/participants/v', 'jury')).toBe('jury');
    expect(roleOf('events/e/participants/p')).toBe('Participant');
    expect(roleOf(undefined)).toBe('Participant');
  });

  it('shows the organizer label in the page language and the attendance evidence', () => {
    const view = buildView(
      entry({
        participantPath: 'events/e/participants/p',
        role: 'jury',
        roleLabel: { en: 'Jury member', de: 'Jurymitglied' },
        evidence: { checkins: 2, days: ['2026-05-04', '2026-05-05'], minutes: 0 },
      }),
    );
    expect(view.role).toBe('Jury member');
    const german = renderCertificatePage(view, undefined, undefined, 'de');
    expect(german).toContain('Zertifikat für Jurymitglied');
    expect(german).toContain('2 Tage');
    expect(renderCertificatePage(buildView(entry({ role: 'volunteer' })), undefined, undefined, 'es')).toContain(
      'Certificado de voluntario/a',
    );
  });

  it('follows a chain of corrections to the current version, and stops on loops and gaps', async () => {
    const registry = new Map<string, PublicCertificate>([
      [ID, entry({ status: 'superseded', supersededBy: ID2 })],
      [ID2, entry({ certificateId: ID2, status: 'superseded', supersededBy: ID3, verifyUrl: `https://v/${ID2}` })],
      [ID3, entry({ certificateId: ID3, status: 'valid', verifyUrl: `https://v/${ID3}` })],
    ]);
    const read = async (id: string) => registry.get(id);
    expect(await resolveChain(registry.get(ID)!, read)).toEqual({
      certificateId: ID3,
      status: 'valid',
      verifyUrl: `https://v/${ID3}`,
    });
    expect(await resolveChain(registry.get(ID3)!, read)).toBeUndefined();
    // A loop back to the start: the last new version read.
    const loop = new Map([
      [ID, entry({ status: 'superseded', supersededBy: ID2 })],
      [ID2, entry({ certificateId: ID2, status: 'superseded', supersededBy: ID })],
    ]);
    expect((await resolveChain(loop.get(ID)!, async (id) => loop.get(id)))?.certificateId).toBe(ID2);
    // A missing next version.
    expect(
      await resolveChain(entry({ status: 'superseded', supersededBy: ID2 }), async () => undefined),
    ).toBeUndefined();
  });
});

describe('JSON', () => {
  it('has the public shape, ISO dates, and no private field', () => {
    const body = toJson(buildView(entry()));
    expect(body).toEqual({
      certificateId: ID,
      status: 'valid',
      recipientName: 'Ada Lovelace',
      talkTitle: 'Notes on the Analytical Engine',
      event: { name: 'Example Conf 2026', date: '12 March 2026', isoDate: '2026-03-12', place: 'Kraków, Poland' },
      issuer: 'Example Foundation',
      issuedAt: '2026-03-14T09:30:00.000Z',
      locale: 'en',
      verifyUrl: `https://verify.example.org/c/${ID}`,
      sha256: PDF_SHA,
      revokedAt: null,
      revocationReason: null,
      supersededAt: null,
      currentVersion: null,
      currentVersionUrl: null,
      linkedInUrl: expect.stringMatching(/^https:\/\/www\.linkedin\.com\/profile\/add\?startTask=CERTIFICATION_NAME&/),
      credential: null,
      previewUrl: `https://verify.example.org/c/${ID}/preview.png`,
      pdfUrl: null,
      pdfSignature: null,
      validUntil: null,
    });
    // A PDF signed with the organization's certificate: who signed it and how, on the page and in JSON.
    const signed = buildView(
      entry({
        pdfSignature: { level: 'B-LT', signer: 'CN=Example Org Signer, O=Example Org', timeStampedAt: new Date(0) },
      }),
    );
    expect(toJson(signed).pdfSignature).toEqual({
      level: 'B-LT',
      signer: 'CN=Example Org Signer, O=Example Org',
      timeStampedAt: '1970-01-01T00:00:00.000Z',
    });
    expect(renderCertificatePage(signed)).toMatch(
      /<dt>PDF signed by<\/dt><dd><span class="signer" dir="ltr">CN=Example Org Signer, O=Example Org<\/span> \(PAdES B-LT\)/,
    );
    // A certificate with a validity period: valid until then, "expired" after (not revoked).
    const expiring = entry({ validUntil: '2027-03-12T00:00:00.000Z', offerPdf: true });
    const before = buildView(expiring, undefined, 'verified', Date.parse('2027-03-11T12:00:00Z'));
    expect(toJson(before)).toMatchObject({ status: 'valid', validUntil: '2027-03-12T00:00:00.000Z' });
    expect(renderCertificatePage(before)).toContain(
      '<p id="valid-until">Valid until <time datetime="2027-03-12">March 12, 2027</time>.</p>',
    );
    const after = buildView(expiring, undefined, 'verified', Date.parse('2027-03-12T00:00:01Z'));
    expect(toJson(after)).toMatchObject({
      status: 'expired',
      linkedInUrl: null,
      pdfUrl: expect.stringMatching(/certificate\.pdf$/),
    });
    const expiredPage = renderCertificatePage(after);
    expect(expiredPage).toContain('<h1 id="status-title">This certificate has expired</h1>');
    expect(expiredPage).toContain(
      'It was valid until <time datetime="2027-03-12">March 12, 2027</time>. It was not revoked',
    );
    expect(expiredPage).not.toContain('badge.png');
    expect(renderCertificatePage(after, undefined, undefined, 'de')).toContain('Dieses Zertifikat ist abgelaufen');
    expect(toJson(buildView(entry({ credentialJson: '{}', offerPdf: true }), undefined, 'verified'))).toMatchObject({
      credential: { url: `https://verify.example.org/c/${ID}/credential.json`, state: 'verified' },
      pdfUrl: `https://verify.example.org/c/${ID}/certificate.pdf`,
    });
    // Revoked: no preview, no PDF, even where the event offers it.
    expect(toJson(buildView(entry({ status: 'revoked', offerPdf: true })))).toMatchObject({
      previewUrl: null,
      pdfUrl: null,
    });
    const text = JSON.stringify(
      toJson(buildView(entry({ status: 'revoked', revokedAt: new Date(), revocationReason: 'x' }))),
    );
    for (const value of PRIVATE_VALUES) expect(text).not.toContain(value);
  });

  it('gives the current version of a superseded certificate and no LinkedIn link', () => {
    const view = buildView(
      entry({ status: 'superseded', supersededBy: ID2, supersededAt: new Date('2026-03-20T00:00:00Z') }),
      {
        certificateId: ID3,
        status: 'valid',
        verifyUrl: `https://verify.example.org/c/${ID3}`,
      },
    );
    const body = toJson(view);
    expect(body).toMatchObject({
      status: 'superseded',
      supersededAt: '2026-03-20T00:00:00.000Z',
      currentVersion: { certificateId: ID3, status: 'valid' },
      currentVersionUrl: `https://verify.example.org/c/${ID3}`,
      linkedInUrl: null,
    });
  });
});

describe('LinkedIn add-to-profile URL', () => {
  it('carries the certification parameters LinkedIn reads', () => {
    const url = new URL(buildView(entry()).linkedInUrl!);
    expect(url.origin + url.pathname).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: 'Speaker at Example Conf 2026',
      organizationName: 'Example Foundation',
      issueYear: '2026',
      issueMonth: '3',
      certUrl: `https://verify.example.org/c/${ID}`,
      certId: ID,
    });
    expect(url.search).toContain('name=Speaker%20at%20Example%20Conf%202026'); // %20, not '+'
  });

  it('prefers a LinkedIn organization id, encodes any text, and uses UTC months', () => {
    const url = linkedInAddToProfileUrl({
      name: 'محاضر & <Speaker>',
      organizationName: 'ignored',
      organizationId: '1337',
      issuedAt: new Date('2025-12-31T23:30:00Z'),
      certUrl: 'https://v.example/c/x?y=1&z=2',
      certId: 'x',
    });
    const params = new URL(url).searchParams;
    expect(params.get('organizationId')).toBe('1337');
    expect(params.has('organizationName')).toBe(false);
    expect(params.get('name')).toBe('محاضر & <Speaker>');
    expect(params.get('certUrl')).toBe('https://v.example/c/x?y=1&z=2');
    expect([params.get('issueYear'), params.get('issueMonth')]).toEqual(['2025', '12']);
  });
});

describe('SHA-256', () => {
  it('accepts the usual spellings of a hash and compares them', () => {
    const upper = PDF_SHA.toUpperCase();
    expect(normalizeSha256(`  ${upper} `)).toBe(PDF_SHA);
    expect(normalizeSha256(`sha256:${PDF_SHA}`)).toBe(PDF_SHA);
    expect(normalizeSha256(PDF_SHA.match(/.{8}/g)!.join(' '))).toBe(PDF_SHA);
    expect(normalizeSha256(PDF_SHA.slice(1))).toBeUndefined();
    expect(normalizeSha256(`${PDF_SHA.slice(1)}g`)).toBeUndefined();
    expect(normalizeSha256(42)).toBeUndefined();
    expect(sameSha256(PDF_SHA, upper)).toBe(true);
    expect(sameSha256(PDF_SHA, sha256Hex(new Uint8Array([1])))).toBe(false);
    expect(sameSha256(PDF_SHA, 'nope')).toBe(false);
  });
});

describe('routes', () => {
  it('accepts /<id> and /verify/<id> only', () => {
    expect(certificateIdFromPath(`/${ID}`)).toBe(ID);
    expect(certificateIdFromPath(`/verify/${ID}`)).toBe(ID);
    for (const path of [
      '/',
      '/verify',
      `/${ID}/`,
      `/x/${ID}`,
      `/verify/verify/${ID}`,
      `/${ID}x`,
      `/${ID.slice(1)}`,
      '/%E0%A4%A',
      `/${ID.slice(0, 21)}%2F`,
      '/__abcdefghijklmnopqr__',
    ]) {
      expect(certificateIdFromPath(path), path).toBeUndefined();
    }
    expect(isCertificateId('a'.repeat(22))).toBe(true);
    expect(isCertificateId('a'.repeat(21) + '=')).toBe(false);
  });

  it('negotiates JSON only when asked for', () => {
    expect(wantsJson('application/json', null)).toBe(true);
    expect(wantsJson('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', null)).toBe(false);
    expect(wantsJson('*/*', null)).toBe(false);
    expect(wantsJson(undefined, null)).toBe(false);
    expect(wantsJson('application/json;q=0.5, text/html', null)).toBe(false);
    expect(wantsJson('text/html;q=0.5, application/json', null)).toBe(true);
    expect(wantsJson('text/html', 'json')).toBe(true);
    expect(wantsJson('application/json', 'html')).toBe(false);
  });
});

describe('HTML', () => {
  it('escapes every value: a name like <script> shows as text', () => {
    const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const html = renderCertificatePage(
      buildView(
        entry({
          recipientName: evil,
          talkTitle: evil,
          eventName: evil,
          eventPlace: evil,
          issuer: `" onmouseover="x`,
          revocationReason: evil,
        }),
      ),
    );
    expect(html).not.toContain('<script');
    // The one image is the certificate's own preview, with the escaped name in its alt text.
    expect(html.match(/<img/g)).toHaveLength(1);
    expect(html).toContain(`<img src="${ID}/preview.png" alt="The certificate of ${escapeHtml(evil)}"`);
    expect(html).toContain(escapeHtml(evil));
    expect(html).not.toContain('" onmouseover="x');
    // The LinkedIn link goes through the verify function, which counts it and redirects (verify/stats.ts).
    expect(html).toContain(`href="https://verify.example.org/c/${ID}/linkedin"`);
  });

  it('is self-contained: no script, no external URL, one stylesheet allowed by its CSP hash', () => {
    const html = renderCertificatePage(buildView(entry()));
    expect(html).not.toMatch(/<script|<iframe|@import|url\(/i);
    // The one link element is the empty favicon (no request for /favicon.ico).
    expect(html.match(/<link[^>]*>/g)).toEqual(['<link rel="icon" href="data:,">']);
    // Images only from this origin: the preview, relative to the page.
    expect([...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1])).toEqual([`${ID}/preview.png`]);
    expect(CONTENT_SECURITY_POLICY).toContain("img-src 'self' data:");
    expect(html.match(/<style>/g)).toHaveLength(1);
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(css).digest('base64');
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${hash}'`);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    // The only absolute URL is the LinkedIn link (a navigation through this function, not a resource).
    const absolute = [...html.matchAll(/(?:href|src|action)="(https?:[^"]*)"/g)].map((m) => m[1]);
    expect(absolute).toEqual([`https://verify.example.org/c/${ID}/linkedin`]);
  });

  it('has the page structure: lang, viewport, landmarks, one h1, labelled controls', () => {
    const html = renderCertificatePage(buildView(entry()));
    expect(html).toMatch(/^<!doctype html>\n<html lang="en" dir="ltr">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toMatch(/<header>[\s\S]*<main id="main">[\s\S]*<\/main>\s*<footer>/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    for (const id of [...html.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1])) {
      expect(html).toContain(`<label for="${id}">`);
    }
    expect(html).toContain('<form method="post" enctype="multipart/form-data" action="#check-result">');
    expect(html).toContain('<form method="get" action="#check-result">');
  });

  it('marks the certificate text with its language and dir="auto" (Arabic, Hebrew)', () => {
    const html = renderCertificatePage(
      buildView(entry({ recipientName: 'مريم الحسيني', talkTitle: 'שלום עולם', locale: 'ar' })),
    );
    expect(html).toContain('<dd class="name" lang="ar" dir="auto">مريم الحسيني</dd>');
    expect(html).toContain('<dt>Talk</dt><dd lang="ar" dir="auto">שלום עולם</dd>');
    expect(html).toContain(
      '<dt>Date</dt><dd lang="ar" dir="auto"><time datetime="2026-03-12">12 March 2026</time></dd>',
    );
    expect(html).toContain('<html lang="en" dir="ltr">'); // the interface in the reader's language (English asked)
  });

  it('shows each status', () => {
    const valid = renderCertificatePage(buildView(entry()));
    expect(valid).toContain('This certificate is valid');
    expect(valid).toContain('✓ Valid');
    expect(valid).toContain('Add to LinkedIn profile');
    expect(valid).toContain(`<code dir="ltr" class="hash" id="issued-sha256">${PDF_SHA}</code>`);
    expect(valid).toContain('<time datetime="2026-03-14">March 14, 2026</time>');

    const revoked = renderCertificatePage(
      buildView(
        entry({
          status: 'revoked',
          revokedAt: new Date('2026-04-02T10:00:00Z'),
          revocationReason: 'Issued to the wrong person',
        }),
      ),
    );
    expect(revoked).toContain('This certificate has been revoked');
    expect(revoked).toContain('Revoked on <time datetime="2026-04-02">April 2, 2026</time>');
    expect(revoked).toContain('Issued to the wrong person');
    expect(revoked).not.toContain('LinkedIn');
    expect(revoked).not.toContain('<img');

    const superseded = renderCertificatePage(
      buildView(entry({ status: 'superseded', supersededBy: ID2, supersededAt: new Date('2026-03-20T00:00:00Z') }), {
        certificateId: ID3,
        status: 'valid',
        verifyUrl: `https://verify.example.org/c/${ID3}`,
      }),
    );
    expect(superseded).toContain('replaced by a corrected version');
    expect(superseded).toContain(`<a href="${ID3}">View the current version of this certificate</a>`);
    expect(superseded).not.toContain('LinkedIn');
    const broken = renderCertificatePage(buildView(entry({ status: 'superseded', supersededBy: ID2 })));
    expect(broken).toContain('The current version could not be found');
  });

  it('says clearly whether a checked PDF matches', () => {
    const view = buildView(entry());
    const match: CheckResult = { method: 'upload', sha256: PDF_SHA, matches: true, bytes: 10, looksLikePdf: true };
    const miss: CheckResult = {
      method: 'upload',
      sha256: 'f'.repeat(64),
      matches: false,
      bytes: 10,
      looksLikePdf: false,
    };
    expect(renderCertificatePage(view, match)).toContain('✓ Match: this is the issued PDF');
    expect(renderCertificatePage(view, match)).toMatch(/<title>PDF matches – /);
    const missHtml = renderCertificatePage(view, miss);
    expect(missHtml).toContain('✕ No match: this is not the issued PDF');
    expect(missHtml).toContain('The file is not a PDF.');
    const revoked = renderCertificatePage(buildView(entry({ status: 'revoked' })), match);
    expect(revoked).toContain('has been revoked, so the PDF no longer certifies');
  });

  it('has one not-found page', () => {
    const html = renderNotFoundPage();
    expect(html).toContain('Certificate not found');
    expect(html).not.toContain('<form');
  });
});

/** multipart/form-data bytes as a browser sends them. */
function multipart(parts: { name: string; filename?: string; type?: string; data: Uint8Array | string }[]): {
  body: Buffer;
  contentType: string;
} {
  const boundary = '----certforgeTestBoundary7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`,
      ),
    );
    chunks.push(Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function rejection(promise: Promise<unknown>): Promise<CheckInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckInputError);
  return error as CheckInputError;
}

describe('POST bodies', () => {
  it('hashes an uploaded file, a raw PDF, and reads a hash from a form, JSON or multipart field', async () => {
    const upload = multipart([{ name: 'pdf', filename: 'certificate.pdf', type: 'application/pdf', data: PDF }]);
    expect(await checkInputFromBody(upload.body, upload.contentType)).toEqual({
      kind: 'file',
      sha256: PDF_SHA,
      bytes: PDF.byteLength,
      looksLikePdf: true,
    });
    expect(await checkInputFromBody(Buffer.from(PDF), 'application/pdf')).toMatchObject({
      kind: 'file',
      sha256: PDF_SHA,
    });
    expect(await checkInputFromBody(Buffer.from(`sha256=${PDF_SHA}`), 'application/x-www-form-urlencoded')).toEqual({
      kind: 'hash',
      sha256: PDF_SHA,
    });
    expect(
      await checkInputFromBody(
        Buffer.from(JSON.stringify({ sha256: PDF_SHA.toUpperCase() })),
        'application/json; charset=utf-8',
      ),
    ).toEqual({ kind: 'hash', sha256: PDF_SHA });
    const field = multipart([
      { name: 'pdf', filename: '', type: 'application/octet-stream', data: '' },
      { name: 'sha256', data: PDF_SHA },
    ]);
    expect(await checkInputFromBody(field.body, field.contentType)).toEqual({ kind: 'hash', sha256: PDF_SHA });
    const notPdf = multipart([{ name: 'pdf', filename: 'x.png', type: 'image/png', data: 'PNG...' }]);
    expect(await checkInputFromBody(notPdf.body, notPdf.contentType)).toMatchObject({
      kind: 'file',
      looksLikePdf: false,
    });
  });

  it('refuses what cannot be checked, with typed errors', async () => {
    const empty = multipart([{ name: 'pdf', filename: '', type: 'application/octet-stream', data: '' }]);
    expect(await rejection(checkInputFromBody(empty.body, empty.contentType))).toMatchObject({
      status: 400,
      code: 'NO_INPUT',
    });
    expect(await rejection(checkInputFromBody(Buffer.alloc(0), 'application/pdf'))).toMatchObject({
      status: 400,
      code: 'NO_INPUT',
    });
    expect(
      await rejection(checkInputFromBody(Buffer.from('sha256=abc'), 'application/x-www-form-urlencoded')),
    ).toMatchObject({ status: 400, code: 'INVALID_HASH' });
    expect(await rejection(checkInputFromBody(Buffer.from('hello'), 'text/plain'))).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(await rejection(checkInputFromBody(Buffer.from('--x\r\nbroken'), 'multipart/form-data'))).toMatchObject({
      status: 400,
      code: 'INVALID_UPLOAD',
    });
    const big = multipart([{ name: 'pdf', filename: 'big.pdf', type: 'application/pdf', data: new Uint8Array(2000) }]);
    expect(await rejection(checkInputFromBody(big.body, big.contentType, 1000))).toMatchObject({
      status: 413,
      code: 'LIMIT_EXCEEDED',
      details: { limitBytes: 1000 },
    });
    expect(await rejection(checkInputFromBody(Buffer.alloc(MAX_PDF_BYTES + 1), 'application/pdf'))).toMatchObject({
      status: 413,
      code: 'LIMIT_EXCEEDED',
    });
  });
});

describe('verify handler over functions-framework', () => {
  const registry = new Map<string, PublicCertificate>();
  let reads = 0;
  let fail = false;
  const memory: CertificateRegistry = {
    async get(id) {
      reads++;
      if (fail) throw new Error('Firestore is down');
      return registry.get(id);
    },
  };
  let server: Server;
  let base: string;

  beforeAll(async () => {
    registry.set(ID, entry());
    registry.set(
      ID2,
      entry({
        certificateId: ID2,
        verifyUrl: `https://verify.example.org/c/${ID2}`,
        status: 'superseded',
        supersededBy: ID3,
        supersededAt: new Date('2026-03-20T00:00:00Z'),
      }),
    );
    registry.set(
      ID3,
      entry({
        certificateId: ID3,
        verifyUrl: `https://verify.example.org/c/${ID3}`,
        status: 'revoked',
        revokedAt: new Date('2026-04-01T00:00:00Z'),
        revocationReason: 'Withdrawn',
      }),
    );
    key = await generateIssuerKey('test-key');
    const credential = await signCredential(
      openBadgeCredential(
        {
          verifyUrl: `https://verify.example.org/c/${ID4}`,
          recipientName: 'Ada Lovelace',
          role: 'Speaker',
          eventName: 'Example Conf 2026',
          organizer: 'Example Foundation',
          eventKey: 'k',
          issuedAt: new Date('2026-03-14T09:30:00Z'),
          status: { listUrl: `${ISSUER.id.replace('/issuer', '')}/status/${LIST_ID}`, index: 7 },
        },
        ISSUER,
      ),
      key,
      ISSUER,
      new Date('2026-03-14T09:30:00Z'),
    );
    registry.set(
      ID4,
      entry({
        certificateId: ID4,
        verifyUrl: `https://verify.example.org/c/${ID4}`,
        credentialJson: JSON.stringify(credential),
        offerPdf: true,
        locale: 'ar',
        statusList: LIST_ID,
        statusIndex: 7,
      }),
    );
    http(
      'verifyTest',
      createVerifyHandler({ registry: () => memory, credentials: () => authority, files: () => files }),
    );
    server = getTestServer('verifyTest');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the page with strict headers, at /<id> and /verify/<id>', async () => {
    for (const path of [`/${ID}`, `/verify/${ID}`]) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('private, max-age=60');
      expect(res.headers.get('vary')).toBe('Accept, Accept-Language');
      expect(res.headers.get('content-language')).toBe('en');
      const html = await res.text();
      expect(html).toContain('Ada Lovelace');
      expect(html).toContain(PDF_SHA);
      for (const value of PRIVATE_VALUES.slice(0, 4)) expect(html).not.toContain(value);
    }
  });

  it('answers JSON for Accept: application/json and ?format=json, readable cross-origin', async () => {
    const byHeader = await fetch(`${base}/${ID}`, { headers: { accept: 'application/json' } });
    const byQuery = await fetch(`${base}/${ID}?format=json`);
    for (const res of [byHeader, byQuery]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ certificateId: ID, status: 'valid', sha256: PDF_SHA });
      for (const value of PRIVATE_VALUES) expect(JSON.stringify(body)).not.toContain(value);
    }
  });

  it('gives one and the same 404 for unknown ids, malformed ids and other paths, without reading malformed ones', async () => {
    const before = reads;
    const malformed = await fetch(`${base}/not-an-id`);
    const other = await fetch(`${base}/a/b/c`);
    expect(reads).toBe(before);
    const unknown = await fetch(`${base}/${'x'.repeat(22)}`);
    expect(reads).toBe(before + 1);
    const bodies = await Promise.all(
      [malformed, other, unknown].map(async (res) => ({
        status: res.status,
        cache: res.headers.get('cache-control'),
        body: await res.text(),
      })),
    );
    expect(bodies[0]).toEqual(bodies[2]);
    expect(bodies[1]).toEqual(bodies[2]);
    expect(bodies[2]!.status).toBe(404);
    expect(bodies[2]!.cache).toBe('no-store');
    const jsonUnknown = await fetch(`${base}/${'x'.repeat(22)}?format=json`);
    const jsonMalformed = await fetch(`${base}/nope?format=json`);
    expect(await jsonUnknown.json()).toEqual({
      error: { code: 'CERTIFICATE_NOT_FOUND', message: 'No certificate has this address.' },
    });
    expect(await jsonMalformed.json()).toEqual({
      error: { code: 'CERTIFICATE_NOT_FOUND', message: 'No certificate has this address.' },
    });
  });

  it('refuses other methods with 405 and answers CORS preflights', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${base}/${ID}`, { method, headers: { accept: 'application/json' } });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
    }
    const preflight = await fetch(`${base}/${ID}`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const head = await fetch(`${base}/${ID}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('checks an uploaded PDF (form), a raw PDF and a hash', async () => {
    const form = new FormData();
    form.append('pdf', new Blob([PDF], { type: 'application/pdf' }), 'certificate.pdf');
    const res = await fetch(`${base}/${ID}`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('✓ Match: this is the issued PDF');

    const altered = new Uint8Array(PDF);
    altered[20] ^= 1;
    const form2 = new FormData();
    form2.append('pdf', new Blob([altered], { type: 'application/pdf' }), 'certificate.pdf');
    const miss = await fetch(`${base}/${ID}`, { method: 'POST', body: form2 });
    expect(await miss.text()).toContain('✕ No match: this is not the issued PDF');

    const raw = await fetch(`${base}/${ID}`, {
      method: 'POST',
      body: PDF,
      headers: { 'content-type': 'application/pdf', accept: 'application/json' },
    });
    expect(raw.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await raw.json()) as { check: CheckResult }).check).toEqual({
      method: 'upload',
      sha256: PDF_SHA,
      matches: true,
      bytes: PDF.byteLength,
      looksLikePdf: true,
    });

    const hash = await fetch(`${base}/${ID}?format=json&sha256=${PDF_SHA.toUpperCase()}`);
    expect(((await hash.json()) as { check: CheckResult }).check).toEqual({
      method: 'hash',
      sha256: PDF_SHA,
      matches: true,
    });
    const wrong = await fetch(`${base}/${ID}?sha256=${'0'.repeat(64)}`);
    expect(wrong.headers.get('cache-control')).toBe('no-store');
    expect(await wrong.text()).toContain('✕ No match');
    expect(checks).toContainEqual({ certificateId: ID, method: 'upload', matches: true, bytes: PDF.byteLength });
  });

  it('answers a bad check with the page and a typed error (HTML) or the error (JSON)', async () => {
    const badHash = await fetch(`${base}/${ID}?sha256=xyz`);
    expect(badHash.status).toBe(400);
    const html = await badHash.text();
    expect(html).toContain('The PDF could not be checked');
    expect(html).toContain('Ada Lovelace');
    const badJson = await fetch(`${base}/${ID}?sha256=xyz&format=json`);
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe('INVALID_HASH');
    const text = await fetch(`${base}/${ID}`, {
      method: 'POST',
      body: 'hi',
      headers: { 'content-type': 'text/plain', accept: 'application/json' },
    });
    expect(text.status).toBe(415);
  });

  it('refuses a PDF over 10 MB with 413 LIMIT_EXCEEDED', async () => {
    const big = new Uint8Array(MAX_PDF_BYTES + 1);
    big.set(PDF);
    const form = new FormData();
    form.append('pdf', new Blob([big], { type: 'application/pdf' }), 'big.pdf');
    const res = await fetch(`${base}/${ID}?format=json`, { method: 'POST', body: form });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: { code: 'LIMIT_EXCEEDED', details: { limitBytes: MAX_PDF_BYTES } },
    });
    const raw = await fetch(`${base}/${ID}`, {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(raw.status).toBe(413);
    expect(await raw.text()).toContain('larger than 10 MB');
  });

  it('links a superseded certificate to the current version at the end of the chain', async () => {
    const html = await (await fetch(`${base}/verify/${ID2}`)).text();
    expect(html).toContain(
      `<a href="${ID3}">View the current version of this certificate</a> (that version has been revoked too)`,
    );
    const json = (await (await fetch(`${base}/${ID2}?format=json`)).json()) as Record<string, unknown>;
    expect(json).toMatchObject({
      status: 'superseded',
      currentVersion: { certificateId: ID3, status: 'revoked' },
      currentVersionUrl: `https://verify.example.org/c/${ID3}`,
    });
  });

  it('answers 503 UNAVAILABLE when the registry cannot be read', async () => {
    fail = true;
    try {
      const res = await fetch(`${base}/${ID}?format=json`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    } finally {
      fail = false;
    }
  });

  it('serves the credential: ?format=vc, Accept: application/vc, and as a download; the same bytes as issued', async () => {
    const issued = registry.get(ID4)!.credentialJson!;
    for (const [path, headers] of [
      [`/${ID4}?format=vc`, {}],
      [`/verify/${ID4}`, { accept: 'application/vc' }],
      [`/${ID4}`, { accept: 'application/vc+ld+json, application/json;q=0.5' }],
    ] as const) {
      const res = await fetch(base + path, { headers });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vc; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.text()).toBe(issued);
    }
    const download = await fetch(`${base}/${ID4}/credential.json`);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="certificate-${ID4}.credential.json"`,
    );
    expect(await download.text()).toBe(issued);
    // A certificate from before credentials: none to serve.
    expect((await fetch(`${base}/${ID}?format=vc`)).status).toBe(404);
    expect((await fetch(`${base}/${ID}/credential.json`)).status).toBe(404);
  });

  it('serves the issuer profile and the status list, public and cross-origin', async () => {
    const profile = await fetch(`${base}/verify/issuer`);
    expect(profile.headers.get('content-type')).toBe('application/ld+json; charset=utf-8');
    expect(profile.headers.get('access-control-allow-origin')).toBe('*');
    expect(await profile.json()).toMatchObject({
      id: ISSUER.id,
      type: ['Profile'],
      assertionMethod: [{ id: `${ISSUER.id}#test-key`, type: 'Multikey' }],
    });
    const list = (await (await fetch(`${base}/status/${LIST_ID}`)).json()) as {
      type: string[];
      credentialSubject: { statusPurpose: string };
    };
    expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    expect(list.credentialSubject.statusPurpose).toBe('revocation');
    expect((await fetch(`${base}/status/unknown-list`)).status).toBe(404);
    expect((await fetch(`${base}/status/AbCdEfGhIjKlMnOp-2`)).status).toBe(404);
  });

  it('serves the preview through the function, the PDF only where the event offers it, neither when revoked', async () => {
    const png = await fetch(`${base}/${ID}/preview.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer())).toEqual(PNG);
    expect((await fetch(`${base}/${ID}/certificate.pdf`)).status).toBe(404); // the event did not offer it
    const pdf = await fetch(`${base}/${ID4}/certificate.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await pdf.arrayBuffer())).toEqual(Buffer.from(PDF));
    expect((await fetch(`${base}/${ID3}/preview.png`)).status).toBe(404); // revoked
    expect((await fetch(`${base}/${ID}/other.txt`)).status).toBe(404);
  });

  it('the page says the credential verifies, and that it is revoked once its status bit is set', async () => {
    const html = await (await fetch(`${base}/${ID4}`, { headers: { 'accept-language': 'en' } })).text();
    expect(html).toContain(messages('en').credential.verified);
    expect(html).toContain(`href="${ID4}/credential.json" download`);
    expect(html).toContain(`href="${ID4}/certificate.pdf" download`);
    revokedIndexes.add(7);
    try {
      const after = await (await fetch(`${base}/${ID4}?format=json`)).json();
      expect(after).toMatchObject({ credential: { state: 'revoked' } });
    } finally {
      revokedIndexes.clear();
    }
    const old = await (await fetch(`${base}/${ID}`)).text();
    expect(old).toContain(messages('en').credential.none);
  });

  it("speaks the reader's language: Accept-Language first, the event's locale next, English last", async () => {
    const lang = async (id: string, header?: string) => {
      const res = await fetch(`${base}/${id}`, { headers: header ? { 'accept-language': header } : {} });
      const html = await res.text();
      return {
        header: res.headers.get('content-language'),
        html: /<html lang="([^"]+)" dir="([^"]+)">/.exec(html)!.slice(1).join(' '),
        body: html,
      };
    };
    expect((await lang(ID, 'es-MX,es;q=0.9,en;q=0.8')).html).toBe('es ltr');
    expect((await lang(ID, 'pl,de;q=0.7,fr;q=0.9')).html).toBe('fr ltr');
    expect((await lang(ID, 'ja')).header).toBe('ja');
    expect((await lang(ID4)).html).toBe('ar rtl'); // no header: the event's locale (ar)
    expect((await lang(ID4, 'ar;q=0, de')).html).toBe('de ltr');
    const arabic = await lang(ID4, 'ar-EG');
    expect(arabic.body).toContain(messages('ar').heading.valid);
    // The certificate's own values stay as issued, in their language and direction.
    expect(arabic.body).toContain('<dd class="name" lang="ar" dir="auto">Ada Lovelace</dd>');
    expect((await lang(ID, 'pl-PL')).html).toBe('en ltr');
    const missing = await fetch(`${base}/AAAAAAAAAAAAAAAAAAAAAA`, { headers: { 'accept-language': 'zh-CN' } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain(messages('zh').notFound.title);
  });
});

describe('languages and routes', () => {
  it('has every message in every language, none left in English by mistake', () => {
    const flat = (value: unknown, path = ''): Array<[string, string]> =>
      typeof value === 'string'
        ? [[path, value]]
        : typeof value === 'function'
          ? [[path, String((value as (...a: string[]) => string)('X', 'Y'))]]
          : Object.entries(value as object).flatMap(([k, v]) => flat(v, `${path}.${k}`));
    const english = new Map(flat(messages('en')));
    for (const language of PAGE_LANGUAGES) {
      const own = new Map(flat(messages(language)));
      for (const [path] of english)
        if (!path.startsWith('.check.problems')) expect(own.has(path), `${language}${path}`).toBe(true);
      if (language === 'en') continue;
      const same = [...own].filter(
        ([path, text]) =>
          english.get(path) === text && !['.dir', '.labels.sha256', '.labels.date'].includes(path) && text.length > 12,
      );
      expect(same, language).toEqual([]);
    }
    expect(messages('ar').dir).toBe('rtl');
  });

  it('negotiates with q-values, wildcards and garbage, within bounds', () => {
    expect(pageLanguage('*', 'de')).toBe('de');
    expect(pageLanguage('pt-BR', undefined)).toBe('pt');
    expect(pageLanguage('zh-Hant-TW', undefined)).toBe('zh');
    expect(pageLanguage('en;q=0.1, ja;q=0.9', undefined)).toBe('ja');
    expect(pageLanguage('fr;q=abc, es;q=2, de', undefined)).toBe('de');
    expect(pageLanguage('x'.repeat(100_000), 'fr')).toBe('fr');
    expect(pageLanguage(`${'pl,'.repeat(5000)}de`, undefined)).toBe('en');
    expect(pageLanguage(undefined, 'klingon')).toBe('en');
  });

  it('routes the certificate, its files, the issuer and status lists; everything else is not found', () => {
    expect(routeOf(`/${ID}`)).toEqual({ kind: 'certificate', certificateId: ID });
    expect(routeOf(`/verify/${ID}/preview.png`)).toEqual({ kind: 'file', certificateId: ID, file: 'preview.png' });
    expect(routeOf('/issuer')).toEqual({ kind: 'issuer' });
    expect(routeOf(`/verify/status/${LIST_ID}`)).toEqual({ kind: 'status-list', listId: LIST_ID });
    for (const path of [
      '/',
      '/issuer/x',
      '/status/',
      '/status/../x',
      `/${ID}/../../etc`,
      `/${ID}/preview.PNG`,
      '/%E0%A4%A',
      `/verify/verify/${ID}`,
    ]) {
      expect(routeOf(path).kind, path).toBe('not-found');
    }
    expect(representation('application/vc', null)).toBe('vc');
    expect(representation('text/html,application/vc;q=0.5', null)).toBe('html');
    expect(representation(undefined, 'vc')).toBe('vc');
  });
});
