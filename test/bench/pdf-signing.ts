/**
 * What a PAdES signature costs per certificate (functions/src/pdf-signature/): the issued PDF of
 * each bench template (data and credential attached) signed N times at each level with the test
 * PKI's certificate (test/setup/test-pki.mjs: RSA 2048, certomancer's TSA, OCSP responder and
 * CRLs on loopback, so the network part is a local round trip, not the internet's), medians of
 * the wall time and the bytes added; and what the print bundle's signature adds to writing it.
 */
import { writePdfBundle } from '../../functions/src/bundle/pdf-bundle.js';
import type { PadesLevel } from '../../functions/src/pdf-signature/pades.js';
import { pkiHttp } from '../../functions/src/pdf-signature/pki-http.js';
import { PdfSigningService } from '../../functions/src/pdf-signature/service.js';
import { startTestPki } from '../helpers/pdf-signatures.js';
import { median, ms } from './figures.js';

export const SIGN_N = 30;
const LEVELS: PadesLevel[] = ['B-B', 'B-T', 'B-LT'];

export interface SigningCost {
  /** Per template and level: wall ms and bytes added, medians. */
  byTemplate: Record<string, Record<PadesLevel, { ms: number; addedBytes: number }>>;
  unsignedBytes: Record<string, number>;
  /** Writing a bundle of `bundleN` certificates unsigned and signed (B-T), medians of 5. */
  bundle: { certificates: number; unsignedMs: number; signedMs: number; addedBytes: number };
}

export async function measurePdfSigning(issued: Record<string, Uint8Array>): Promise<SigningCost> {
  const pki = await startTestPki();
  try {
    // Through the instance's service, as the issuing path signs: /Contents is sized from the last signature.
    const services = Object.fromEntries(
      LEVELS.map((level) => [
        level,
        new PdfSigningService(
          () => ({
            signer: `file:${pki.signers.signer}`,
            chain: '',
            tsaUrl: level === 'B-B' ? '' : pki.tsaUrl,
            ltv: level === 'B-LT',
          }),
          // The test PKI is on loopback, which addresses from certificates may not name in production.
          { http: pkiHttp(fetch, { allowPrivateHosts: true }) },
        ),
      ]),
    ) as Record<PadesLevel, PdfSigningService>;
    const wording = () => ({ signingTime: new Date(), reason: 'Certificate: Open Source Infrastructure Summit 2026' });
    const byTemplate: SigningCost['byTemplate'] = {};
    const unsignedBytes: Record<string, number> = {};
    for (const [template, pdf] of Object.entries(issued)) {
      unsignedBytes[template] = pdf.byteLength;
      byTemplate[template] = {} as Record<PadesLevel, { ms: number; addedBytes: number }>;
      for (const level of LEVELS) {
        const times: number[] = [];
        const added: number[] = [];
        for (let i = 0; i < SIGN_N + 3; i++) {
          const start = performance.now();
          const signed = (await services[level].sign(pdf, wording()))!;
          const elapsed = performance.now() - start;
          if (signed.level !== level) throw new Error(`bench: signed at ${signed.level}, not ${level}`);
          if (i < 3) continue; // warm-up
          times.push(elapsed);
          added.push(signed.pdf.byteLength - pdf.byteLength);
        }
        byTemplate[template]![level] = { ms: median(times), addedBytes: median(added) };
      }
    }
    const service = new PdfSigningService(() => ({
      signer: `file:${pki.signers.signer}`,
      chain: '',
      tsaUrl: pki.tsaUrl,
      ltv: false,
    }));
    const certificates = Object.values(issued);
    const items = Array.from({ length: 60 }, (_, i) => ({
      title: `Certificate ${i}`,
      load: async () => certificates[i % certificates.length]!,
    }));
    const write = async (sign: boolean) => {
      let bytes = 0;
      const start = performance.now();
      await writePdfBundle(
        items,
        { write: async (chunk) => void (bytes += chunk.byteLength) },
        sign ? { sign: (target, hash) => service.signatureRevision(target, hash, wording()) } : {},
      );
      return { ms: performance.now() - start, bytes };
    };
    const unsigned: { ms: number; bytes: number }[] = [];
    const signed: { ms: number; bytes: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const u = await write(false);
      const s = await write(true);
      if (i === 0) continue;
      unsigned.push(u);
      signed.push(s);
    }
    return {
      byTemplate,
      unsignedBytes,
      bundle: {
        certificates: items.length,
        unsignedMs: median(unsigned.map((r) => r.ms)),
        signedMs: median(signed.map((r) => r.ms)),
        addedBytes: median(signed.map((r) => r.bytes)) - median(unsigned.map((r) => r.bytes)),
      },
    };
  } finally {
    await pki.stop();
  }
}

export function reportPdfSigning(cost: SigningCost, p: (line?: string) => void): void {
  p('## PDF signatures (PAdES, test/bench/pdf-signing.ts)');
  p();
  p(
    `Each template's issued PDF (data and credential attached) signed ${SIGN_N} times per level with an RSA 2048 certificate; the TSA,`,
  );
  p(
    'OCSP responder and CRLs are certomancer on loopback (a local round trip; a public TSA adds its own latency). Medians, wall time:',
  );
  p();
  p('| template | unsigned | B-B | B-T | B-LT | bytes added B-B / B-T / B-LT |');
  p('|---|---:|---:|---:|---:|---:|');
  for (const [template, levels] of Object.entries(cost.byTemplate)) {
    p(
      `| ${template} | ${(cost.unsignedBytes[template]! / 1024).toFixed(1)} KB | ${ms(levels['B-B'].ms)} ms | ${ms(levels['B-T'].ms)} ms | ${ms(levels['B-LT'].ms)} ms | ${LEVELS.map((l) => `${(levels[l].addedBytes / 1024).toFixed(1)} KB`).join(' / ')} |`,
    );
  }
  p();
  const b = cost.bundle;
  p(
    `Print bundle of ${b.certificates} certificates written in memory: ${ms(b.unsignedMs)} ms unsigned, ${ms(b.signedMs)} ms signed (B-T), +${(b.addedBytes / 1024).toFixed(1)} KB.`,
  );
  p();
}
