/**
 * PAdES signatures on certificate PDFs and print bundles (functions/src/pdf-signature/), checked
 * by tools that did not make them: pyHanko validates each signature against the test root
 * (intact, valid, trusted, what it covers, the level), veraPDF checks that the signed file is
 * still PDF/A-3b. The PKI is certomancer's, animated on loopback: a real time-stamping authority,
 * a real OCSP responder and real CRLs (test/setup/test-pki.mjs).
 */
import { constants, privateEncrypt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePdfBundle } from '../../functions/src/bundle/pdf-bundle.js';
import { PdfSignatureError } from '../../functions/src/pdf-signature/errors.js';
import { signPdf, type PadesOptions } from '../../functions/src/pdf-signature/pades.js';
import { pkiHttp } from '../../functions/src/pdf-signature/pki-http.js';
import { PdfSigningService } from '../../functions/src/pdf-signature/service.js';
import { configuredSigner, localKeySigner, materialParts } from '../../functions/src/pdf-signature/signing-key.js';
import { embeddedFiles } from '../../functions/src/render/pdf-attachments.js';
import { initRenderer, type Renderer } from '../../functions/src/render/index.js';
import { TransientError } from '../../functions/src/shared/errors.js';
import { certificateData, rootPath } from '../helpers/fixtures.js';
import { testTempDir } from '../helpers/pdf-tools.js';
import { startTestPki, validateSignatures, type TestPki } from '../helpers/pdf-signatures.js';
import { veraPdf } from '../helpers/verapdf.js';

let renderer: Renderer;
/** The test PKI listens on loopback, which production refuses for addresses taken from certificates. */
const LOOPBACK = pkiHttp(fetch, { allowPrivateHosts: true });
let pki: TestPki & { stop(): Promise<void> };
let certificate: Uint8Array;
let dir: string;

const CREDENTIAL = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'] };

async function renderCertificate(name: string): Promise<Uint8Array> {
  const result = await renderer.renderCertificate(
    readFileSync(rootPath('functions/templates/classic.svg')),
    certificateData({ name }),
    { png: false, attachments: [{ name: 'credential.json', json: CREDENTIAL, description: 'credential' }] },
  );
  return result.pdf;
}

const material = (name: keyof TestPki['signers']) => readFileSync(pki.signers[name], 'utf8');

async function options(extra: Partial<PadesOptions> = {}): Promise<PadesOptions> {
  return {
    signer: await localKeySigner(material('signer'), 'test signer'),
    signingTime: new Date(),
    reason: 'Certificate: Conférence 2026',
    contactInfo: 'https://verify.example.org/c/abc',
    http: LOOPBACK,
    ...extra,
  };
}

function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

beforeAll(async () => {
  dir = testTempDir();
  pki = await startTestPki();
  renderer = await initRenderer();
  certificate = await renderCertificate('Zoë Ðurić-Ångström');
});

afterAll(async () => {
  await pki?.stop();
});

describe('a certificate PDF signed with the organization certificate', () => {
  const levels = [
    { level: 'B-B', extra: {} },
    { level: 'B-T', extra: { ltv: false } },
    { level: 'B-LT', extra: { ltv: true } },
  ] as const;

  for (const { level, extra } of levels) {
    it(`PAdES ${level}: pyHanko finds it intact, valid and trusted; veraPDF finds it PDF/A-3b`, async () => {
      const signed = await signPdf(
        certificate,
        await options({ ...extra, ...(level !== 'B-B' ? { tsaUrl: pki.tsaUrl } : {}) }),
      );
      expect(signed.level).toBe(level);
      // Every byte of the unsigned file is still there, in front.
      expect(Buffer.from(signed.pdf.subarray(0, certificate.length)).equals(Buffer.from(certificate))).toBe(true);
      const path = save(`certificate-${level}.pdf`, signed.pdf);
      const report = await validateSignatures(path, pki.rootPem);
      expect(report.signatures).toHaveLength(1);
      const [signature] = report.signatures;
      expect(signature).toMatchObject({
        subfilter: '/ETSI.CAdES.detached',
        intact: true,
        valid: true,
        trusted: true,
        bottomLine: true,
        level,
        signedAttributes: ['content_type', 'message_digest', 'signing_certificate_v2'],
      });
      expect(signature!.signer).toContain('Example Org Document Signer');
      if (level === 'B-LT') {
        // The validation data is a later revision: the signature covers its own, and what follows
        // is only what long-term validation may add.
        expect(report.revisions).toBe(3);
        expect(report.dss).toBe(true);
        expect(signature).toMatchObject({ coverage: 'ENTIRE_REVISION', modificationLevel: 'LTA_UPDATES' });
      } else {
        expect(report.revisions).toBe(2);
        expect(signature).toMatchObject({ coverage: 'ENTIRE_FILE', modificationLevel: 'NONE' });
      }
      if (level === 'B-B') expect(signature!.timestamp).toBeNull();
      else {
        expect(signature!.timestamp).toMatchObject({ intact: true, valid: true, trusted: true });
        expect(signature!.unsignedAttributes).toEqual(['signature_time_stamp_token']);
      }
      const [vera] = veraPdf('3b', [path]);
      expect(vera!.failedRules).toEqual([]);
      expect(vera!.compliant).toBe(true);
      // The attached files are still read back (the preview is rendered from them).
      const files = await embeddedFiles(signed.pdf);
      expect(JSON.parse(Buffer.from(files.get('credential.json')!.bytes).toString('utf8'))).toEqual(CREDENTIAL);
    });
  }

  it('a changed byte anywhere in the signed range breaks the signature', async () => {
    const signed = await signPdf(certificate, await options());
    const text = Buffer.from(signed.pdf).toString('latin1');
    // A byte of the page content (inside the first revision) and one of the signature's /M.
    for (const at of [Math.floor(certificate.length / 2), text.lastIndexOf('/M (D:') + 7]) {
      const changed = Buffer.from(signed.pdf);
      changed[at] = changed[at] === 0x30 ? 0x31 : 0x30;
      const report = await validateSignatures(save(`changed-${at}.pdf`, changed), pki.rootPem);
      expect(report.signatures[0]!.intact, `byte ${at}`).toBe(false);
      expect(report.signatures[0]!.bottomLine).toBe(false);
    }
  });
});

describe('the space a signature takes', () => {
  it('is sized from the instance’s last signature: the second file wastes no more than a margin', async () => {
    const service = new PdfSigningService(() => ({
      signer: `file:${pki.signers.signer}`,
      chain: '',
      tsaUrl: pki.tsaUrl,
      ltv: false,
    }));
    const first = (await service.sign(certificate, { signingTime: new Date() }))!;
    const second = (await service.sign(certificate, { signingTime: new Date() }))!;
    expect(second.pdf.byteLength).toBeLessThan(first.pdf.byteLength);
    // /Contents is reserved as the first signature's CMS plus the margin (256 bytes) and holds the
    // second's. The two differ by a byte or two (the time-stamp token's DER, e.g. its time's
    // fraction), so the padding is the margin plus that difference, not at most the margin.
    const hex = /\/Contents <([0-9A-F]+)>/.exec(Buffer.from(second.pdf).toString('latin1'))![1]!;
    expect(hex.length / 2).toBe(first.contentsBytes + 256);
    expect(second.contentsBytes).toBeLessThanOrEqual(hex.length / 2);
    for (const pdf of [first.pdf, second.pdf])
      expect((await validateSignatures(pdf, pki.rootPem)).signatures[0]).toMatchObject({ intact: true, level: 'B-T' });
  });
});

describe('the print bundle', () => {
  it('is signed as a whole (B-T); the certificates’ own signatures are not carried into it', async () => {
    const service = new PdfSigningService(
      () => ({ signer: `file:${pki.signers.signer}`, chain: '', tsaUrl: pki.tsaUrl, ltv: true }),
      { http: LOOPBACK },
    );
    const one = await service.sign(certificate, { signingTime: new Date() });
    const two = await service.sign(await renderCertificate('李小龍'), { signingTime: new Date() });
    expect(one!.level).toBe('B-LT');
    const chunks: Buffer[] = [];
    const sink = { write: async (bytes: Uint8Array) => void chunks.push(Buffer.from(bytes)) };
    const stats = await writePdfBundle(
      [
        { title: 'Zoë', load: async () => one!.pdf },
        { title: '李小龍', load: async () => two!.pdf },
      ],
      sink,
      {
        title: 'Conférence 2026',
        sign: (target, hashSoFar) =>
          service.signatureRevision(target, hashSoFar, { signingTime: new Date(), reason: 'Certificates' }),
      },
    );
    expect(stats.signature).toMatchObject({ level: 'B-T' });
    const bundle = Buffer.concat(chunks);
    expect(bundle.length).toBe(stats.bytes);
    const path = save('bundle.pdf', bundle);
    const report = await validateSignatures(path, pki.rootPem);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({
      intact: true,
      valid: true,
      trusted: true,
      coverage: 'ENTIRE_FILE',
      level: 'B-T',
    });
    expect(bundle.toString('latin1').match(/\/ETSI\.CAdES\.detached/g)).toHaveLength(1);
    const [vera] = veraPdf('3b', [path]);
    expect(vera!.failedRules).toEqual([]);
  });
});

describe('where the key lives: Secret Manager and Cloud KMS, over their REST contracts', () => {
  // Neither service runs here. These stand-ins answer exactly what the REST APIs answer
  // (secretmanager v1 versions.access: { payload: { data: base64 } }; cloudkms v1
  // cryptoKeyVersions.asymmetricSign: { signature: base64 } of the given SHA-256 digest, RSA
  // PKCS#1 v1.5 as RSA_SIGN_PKCS1_2048_SHA256 does), so that the signature built from a digest,
  // not from the data, is what pyHanko validates.
  it('a Cloud KMS key (the digest signed remotely) and its chain from a secret make a valid signature', async () => {
    const { key, certificates } = await materialParts(material('signer'), 'p12');
    const chainPem = certificates.map((c) => c.toString()).join('\n');
    const requests: { url: string; method: string }[] = [];
    const request = async (options: { url: string; method: 'GET' | 'POST'; data?: unknown }) => {
      requests.push({ url: options.url, method: options.method });
      if (options.url.startsWith('https://secretmanager.googleapis.com/'))
        return { payload: { data: Buffer.from(chainPem).toString('base64') } };
      const digest = Buffer.from((options.data as { digest: { sha256: string } }).digest.sha256, 'base64');
      // DigestInfo(SHA-256) || digest, RSA PKCS#1 v1.5: what KMS signs for an RSA_SIGN_PKCS1_*_SHA256 key.
      const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), digest]);
      return {
        signature: privateEncrypt({ key: key!, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('base64'),
      };
    };
    const signer = await configuredSigner(
      {
        signer: 'kms:projects/p/locations/europe-west1/keyRings/certforge/cryptoKeys/pdf/cryptoKeyVersions/1',
        chain: 'secret:projects/p/secrets/pdf-chain/versions/latest',
      },
      async () => request,
    );
    const signed = await signPdf(certificate, { ...(await options()), signer: signer! });
    const report = await validateSignatures(signed.pdf, pki.rootPem);
    expect(report.signatures[0]).toMatchObject({ intact: true, valid: true, trusted: true, level: 'B-B' });
    expect(requests).toEqual([
      {
        url: 'https://secretmanager.googleapis.com/v1/projects/p/secrets/pdf-chain/versions/latest:access',
        method: 'GET',
      },
      {
        url: 'https://cloudkms.googleapis.com/v1/projects/p/locations/europe-west1/keyRings/certforge/cryptoKeys/pdf/cryptoKeyVersions/1:asymmetricSign',
        method: 'POST',
      },
    ]);
  });

  it('a PKCS#12 in Secret Manager; a malformed source names the setting', async () => {
    const request = async () => ({ payload: { data: Buffer.from(material('signer')).toString('base64') } });
    const signer = await configuredSigner(
      { signer: 'secret:projects/p/secrets/pdf-signer/versions/3', chain: '' },
      async () => request,
    );
    expect(signer!.chain).toHaveLength(3);
    for (const [signerSetting, why] of [
      ['secret:pdf-signer', /must name a secret version/],
      ['kms:projects/p/keys/k', /must name a key version/],
      ['https://example.org/signer.p12', /must start with secret:, kms: or file:/],
      ['file:/nonexistent/signer.json', /cannot be read \(ENOENT\)/],
    ] as const)
      await expect(configuredSigner({ signer: signerSetting, chain: '' }, async () => request)).rejects.toMatchObject({
        code: 'SIGNING_KEY_INVALID',
        message: expect.stringMatching(why),
      });
  });
});

describe('what the signing certificate can get wrong', () => {
  it('a wrong PKCS#12 password is SIGNING_KEY_INVALID, and says so without the key', async () => {
    const wrong = JSON.stringify({ ...JSON.parse(material('signer')), password: 'not-it' });
    const error = await localKeySigner(wrong, 'CERTFORGE_PDF_SIGNER').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdfSignatureError);
    expect(error).toMatchObject({ code: 'SIGNING_KEY_INVALID' });
    expect((error as Error).message).toMatch(/password is wrong/);
  });

  it('an expired signing certificate is refused before anything is signed', async () => {
    await expect(localKeySigner(material('signer-expired'), 'CERTFORGE_PDF_SIGNER')).rejects.toMatchObject({
      code: 'SIGNING_KEY_INVALID',
      message: expect.stringMatching(/valid from .* to .*, not now/),
    });
  });

  it('a revoked signing certificate is SIGNING_CERTIFICATE_REVOKED (its OCSP responder says so)', async () => {
    const signer = await localKeySigner(material('signer-revoked'), 'CERTFORGE_PDF_SIGNER');
    await expect(
      signPdf(certificate, { ...(await options()), signer, tsaUrl: pki.tsaUrl, ltv: true }),
    ).rejects.toMatchObject({
      code: 'SIGNING_CERTIFICATE_REVOKED',
    });
  });

  it('PEM material (the key and the chain in one text) signs the same way', async () => {
    const { key, certificates } = await materialParts(material('signer'), 'p12');
    const pem = [
      key!.export({ type: 'pkcs8', format: 'pem' }) as string,
      ...certificates.map((c) => c.toString()),
    ].join('\n');
    const signed = await signPdf(certificate, { ...(await options()), signer: await localKeySigner(pem, 'pem') });
    const report = await validateSignatures(signed.pdf, pki.rootPem);
    expect(report.signatures[0]).toMatchObject({ intact: true, valid: true, trusted: true, level: 'B-B' });
  });

  it('a key that belongs to none of the certificates is refused', async () => {
    const { certificates } = await materialParts(material('signer'), 'p12');
    const { key } = await materialParts(material('signer-expired'), 'p12');
    const pem = [key!.export({ type: 'pkcs8', format: 'pem' }) as string, certificates[0]!.toString()].join('\n');
    await expect(localKeySigner(pem, 'CERTFORGE_PDF_SIGNER')).rejects.toMatchObject({
      code: 'SIGNING_KEY_INVALID',
      message: expect.stringMatching(/belongs to none of its certificates/),
    });
  });

  it('OCSP and CRL addresses taken from certificates may not name a private network: nothing is fetched, the signature stays B-T', async () => {
    // The deployment's own service: its TSA may be anywhere, the certificates' addresses may not
    // (here they name 127.0.0.1, as an attacker's certificate in a time-stamp token could).
    let said = 0;
    const service = new PdfSigningService(
      () => ({ signer: `file:${pki.signers.signer}`, chain: '', tsaUrl: pki.tsaUrl, ltv: true }),
      { onLtvUnavailable: () => said++ },
    );
    expect((await service.sign(certificate, { signingTime: new Date() }))!.level).toBe('B-T');
    expect((await service.sign(certificate, { signingTime: new Date() }))!.level).toBe('B-T');
    expect(said).toBe(1); // the log says so once per instance
    const refusing = pkiHttp();
    for (const url of [
      'http://127.0.0.1:9310/testpki/crls/interm/latest.crl',
      'http://169.254.169.254/',
      'file:///etc/passwd',
    ])
      await expect(refusing.get(url), url).rejects.toBeInstanceOf(TransientError);
  });

  it('a time-stamping authority that does not answer is transient (the issuing path retries)', async () => {
    const error = await signPdf(certificate, { ...(await options()), tsaUrl: 'http://127.0.0.1:9/tsa' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransientError);
  });

  it('a signing certificate that expires during an instance’s life is loaded again, and refused', async () => {
    // The same material, seen from a day after the test PKI's signer expires (2045).
    let now = Date.now();
    const service = new PdfSigningService(
      () => ({ signer: `file:${pki.signers.signer}`, chain: '', tsaUrl: '', ltv: false }),
      { now: () => now },
    );
    expect((await service.sign(certificate, { signingTime: new Date() }))!.level).toBe('B-B');
    now = Date.parse('2045-01-02T00:00:00Z');
    await expect(service.sign(certificate, { signingTime: new Date() })).rejects.toMatchObject({
      code: 'SIGNING_KEY_INVALID',
      message: expect.stringMatching(/not now/),
    });
  });

  it('no signing certificate configured: nothing is signed, and the log says so once', async () => {
    let said = 0;
    const service = new PdfSigningService(() => ({ signer: '', chain: '', tsaUrl: '', ltv: true }), {
      onUnsigned: () => said++,
    });
    expect(await service.sign(certificate, { signingTime: new Date() })).toBeUndefined();
    expect(await service.sign(certificate, { signingTime: new Date() })).toBeUndefined();
    expect(said).toBe(1);
  });
});
