/**
 * PDF/A-3b, checked by veraPDF (test/helpers/verapdf.ts), on what organizers bring: both bundled
 * templates with a name in every script, the Inkscape / Illustrator / Figma / plain fixtures, the
 * bench's rich template (gradients, clip path, mask, an embedded PNG) and international one, the
 * least data a certificate can have, with the data and a credential attached; and the print
 * bundle of such certificates. PDF/UA-1 is measured against the same files: its remaining gaps
 * are pinned, and full conformance is a known failure (krilla's), not a hidden one.
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initRenderer, type CertificateData, type Renderer } from '../../functions/src/render/index.js';
import { writePdfBundle } from '../../functions/src/bundle/pdf-bundle.js';
import { certificateData, rootPath } from '../helpers/fixtures.js';
import { inflatedPdf, testTempDir } from '../helpers/pdf-tools.js';
import { describeReports, veraPdf, type VeraReport } from '../helpers/verapdf.js';

const NAMES = (
  JSON.parse(readFileSync(rootPath('examples/names-by-script.json'), 'utf8')) as {
    names: Array<{ script: string; name: string }>;
  }
).names;
const FEW = NAMES.filter((n) => ['Latin (Vietnamese)', 'Arabic', 'Chinese', 'Devanagari'].includes(n.script));

const TEMPLATES: Record<string, string> = {
  classic: 'functions/templates/classic.svg',
  modern: 'functions/templates/modern.svg',
  ...Object.fromEntries(
    readdirSync(rootPath('test/fixtures/templates-wild')).map((f) => [
      `wild-${f.replace(/\.svg$/, '')}`,
      `test/fixtures/templates-wild/${f}`,
    ]),
  ),
  ...Object.fromEntries(
    readdirSync(rootPath('test/bench/templates')).map((f) => [
      `bench-${f.replace(/\.svg$/, '')}`,
      `test/bench/templates/${f}`,
    ]),
  ),
};

/** A stand-in for the signed credential the issuing path attaches (its content does not matter to PDF/A). */
const CREDENTIAL = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  proof: { type: 'DataIntegrityProof' },
};

let renderer: Renderer;
const files: Array<{ label: string; path: string; pdf: Uint8Array }> = [];
let reports: Map<string, VeraReport>;

async function render(label: string, template: string, data: CertificateData): Promise<void> {
  const result = await renderer.renderCertificate(readFileSync(rootPath(template)), data, {
    png: false,
    attachments: [
      {
        name: 'credential.json',
        json: CREDENTIAL,
        description: 'Open Badges 3.0 credential',
        relationship: 'alternative',
        mimeType: 'application/vc',
      },
    ],
  });
  const path = join(dir, `${label}.pdf`);
  writeFileSync(path, result.pdf);
  files.push({ label, path, pdf: result.pdf });
}

let dir: string;
beforeAll(async () => {
  renderer = await initRenderer();
  dir = join(testTempDir(), 'pdfa');
  mkdirSync(dir, { recursive: true });
  for (const [template, path] of Object.entries(TEMPLATES)) {
    const names = template === 'classic' || template === 'modern' ? NAMES : FEW;
    for (const [i, { name }] of names.entries()) await render(`${template}-${i}`, path, certificateData({ name }));
  }
  // The least data the bundled templates take: a name and the event's name and date.
  const minimal = { name: 'Ada', event: { name: 'Summit', date: '2026-03-12' } };
  await render('classic-minimal', TEMPLATES.classic!, minimal);
  await render('modern-minimal', TEMPLATES.modern!, minimal);
  // The print bundle of the classic and modern certificates.
  const chunks: Uint8Array[] = [];
  const sources = files.filter((f) => f.label.startsWith('classic-') || f.label.startsWith('modern-'));
  await writePdfBundle(
    sources.map((f) => ({ title: f.label, load: async () => f.pdf })),
    { write: async (bytes) => void chunks.push(bytes) },
    { title: 'Open Source Summit — certificates', language: 'en', creationDate: new Date('2026-03-12T00:00:00Z') },
  );
  const bundlePath = join(dir, 'print-bundle.pdf');
  writeFileSync(bundlePath, Buffer.concat(chunks));
  files.push({ label: 'print-bundle', path: bundlePath, pdf: Buffer.concat(chunks) });
  reports = new Map(
    veraPdf(
      '3b',
      files.map((f) => f.path),
    ).map((r) => [r.file, r]),
  );
}, 600_000);

describe('PDF/A-3b (veraPDF)', () => {
  it('every certificate conforms: bundled, wild and bench templates, every script, minimal data', () => {
    const certificates = files.filter((f) => f.label !== 'print-bundle').map((f) => reports.get(f.path)!);
    expect(certificates.length).toBeGreaterThan(90);
    const bad = certificates.filter((r) => r.compliant !== true);
    expect(bad, describeReports(bad)).toEqual([]);
  });

  it('the print bundle conforms', () => {
    const report = reports.get(files.find((f) => f.label === 'print-bundle')!.path)!;
    expect(report.compliant, describeReports([report])).toBe(true);
  });

  it('says so in its XMP metadata (pdfaid:part 3, conformance B)', () => {
    for (const f of files) {
      const text = inflatedPdf(f.pdf).toString('latin1');
      expect(text, f.label).toMatch(/pdfaid:part(="3"|>3<)/);
      expect(text, f.label).toMatch(/pdfaid:conformance(="B"|>B<)/);
    }
  });
});

describe('PDF/UA-1 (veraPDF), how close', () => {
  /**
   * What is left, each for a reason outside certforge's reach today:
   * - 5-1: no PDF/UA identification in the XMP. Claiming PDF/UA would be false while the rules
   *   below fail, and krilla writes it only under its PDF/UA validator, which refuses images
   *   without alternative text (artwork logos have none).
   * - 7.1-3: content neither tagged nor an artifact, inside the Form XObjects krilla writes for
   *   soft masks, patterns and gradients of the artwork (certforge marks the artwork it draws
   *   as an artifact; krilla does not mark what it generates inside those groups).
   * - 7.21.7-1: a glyph without a Unicode mapping: a mark glyph the shaper added for a cluster
   *   whose text went to its base glyph (Vietnamese ị drawn as i and a dot below); extraction is
   *   right (test/render/text-layer.test.ts), the font's ToUnicode has no entry for the mark.
   */
  const KNOWN_GAPS = ['ISO 14289-1:2014 5-1', 'ISO 14289-1:2014 7.1-3', 'ISO 14289-1:2014 7.21.7-1'];
  let ua: VeraReport[];
  beforeAll(() => {
    const sample = files.filter((f) => /-(0|5|9)$|minimal/.test(f.label));
    ua = veraPdf(
      'ua1',
      sample.map((f) => f.path),
    );
  }, 300_000);

  it('fails no rule but the known gaps (DisplayDocTitle, tagging of text and artwork all pass)', () => {
    for (const report of ua) {
      const rules = (report.failedRules ?? []).map((r) => r.rule);
      expect(
        rules.filter((rule) => !KNOWN_GAPS.includes(rule)),
        describeReports([report]),
      ).toEqual([]);
    }
    expect(ua.length).toBeGreaterThan(10);
  });

  it.fails('every certificate conforms to PDF/UA-1 (known failure: the gaps above)', () => {
    const bad = ua.filter((r) => r.compliant !== true);
    expect(bad, describeReports(bad)).toEqual([]);
  });
});
