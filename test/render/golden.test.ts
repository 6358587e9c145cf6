/**
 * Every certificate twice against test/golden: its PNG preview (resvg-wasm from the core's
 * text-as-paths SVG) as <name>.png, and its PDF as poppler draws it (pdftoppm) as <name>-pdf.png.
 * The bundled templates with names in several scripts, and the wild-tool fixtures
 * (test/fixtures/templates-wild) with a long name. See test/helpers/golden.ts: a missing golden
 * fails unless UPDATE_GOLDENS=1, a mismatch writes expected | diff | actual to
 * test/golden/_failures/<name>.png.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { beforeAll, expect, it } from 'vitest';
import { initRenderer, type Renderer } from '../../functions/src/render/index.js';
import { expectMatchesGolden, expectPdfMatchesGolden } from '../helpers/golden.js';
import { certificateData, rootPath, speaker, templateBytes, type TemplateName } from '../helpers/fixtures.js';

const PNG_WIDTH = 1200;
/** A4 landscape at 1200 px wide: 1200 × 210/297. */
const PNG_HEIGHT = Math.round((PNG_WIDTH * 210) / 297);

const SPEAKERS = [
  { key: 'latin', id: 'spk-001' }, // Nguyễn Thị Minh Khai: Vietnamese diacritics
  { key: 'arabic', id: 'spk-010' }, // محمد بن عبد الله: joined letters, right to left
  { key: 'hebrew', id: 'spk-012' }, // דוד לוי
  { key: 'cjk', id: 'spk-015' }, // 山本 さくら: kanji + kana
  { key: 'mixed', id: 'spk-017' }, // محمد Smith: Arabic and Latin on one line
  { key: 'long', id: 'spk-020' }, // the 120-character name: shrunk and wrapped onto two lines
] as const;
const TEMPLATES: TemplateName[] = ['classic', 'modern'];

const CASES = TEMPLATES.flatMap((template) =>
  SPEAKERS.map((s) => ({ template, ...s, golden: `${template}-${s.key}` })),
);

let renderer: Renderer;
beforeAll(async () => {
  renderer = await initRenderer();
});

it.each(CASES)('golden $golden ($id)', async ({ template, id, golden }) => {
  const result = await renderer.renderCertificate(templateBytes(template), certificateData(speaker(id)), {
    pngWidth: PNG_WIDTH,
  });
  expect(result.png, 'png requested by default').toBeInstanceOf(Uint8Array);
  const png = PNG.sync.read(Buffer.from(result.png!));
  expect(png.width).toBe(PNG_WIDTH);
  expect(Math.abs(png.height - PNG_HEIGHT)).toBeLessThanOrEqual(1);
  expectMatchesGolden(golden, result.png!);
  expectPdfMatchesGolden(`${golden}-pdf`, result.pdf);
});

/** Templates as drawing tools write them (test/fixtures/templates-wild), with a long name and minimal data. */
const WILD = [
  'plain',
  'inkscape-1x-flowed-mm',
  'inkscape-092-flowroot',
  'illustrator',
  'figma',
  'hand-written',
  'web-fonts',
  'spread-gradients',
  'svg-logo',
] as const;

it.each(WILD)('golden wild-%s', async (fixture) => {
  const svg = readFileSync(rootPath(`test/fixtures/templates-wild/${fixture}.svg`));
  const data = {
    name: 'Małgorzata Wiśniewska-Żółkiewska',
    event: { name: 'Open Source Infrastructure Summit 2026', date: '12 March 2026' },
    talk: { title: 'Reproducible builds for everyone' },
  };
  const result = await renderer.renderCertificate(svg, data, { pngWidth: PNG_WIDTH });
  expectMatchesGolden(`wild-${fixture}`, result.png!);
  expectPdfMatchesGolden(`wild-${fixture}-pdf`, result.pdf);
});
