/**
 * PNG previews (resvg-wasm from the core's text-as-paths SVG) compared with test/golden/*.png.
 * See test/helpers/golden.ts: a missing golden is created, UPDATE_GOLDENS=1 rewrites them all,
 * a mismatch writes expected | diff | actual to test/golden/_failures/<name>.png.
 */
import { PNG } from 'pngjs';
import { beforeAll, expect, it } from 'vitest';
import { initRenderer, type Renderer } from '../../functions/src/render/index.js';
import { expectMatchesGolden } from '../helpers/golden.js';
import { certificateData, speaker, templateBytes, type TemplateName } from '../helpers/fixtures.js';

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
  const outcome = expectMatchesGolden(golden, result.png!);
  if (outcome.status === 'match') expect(outcome.ratio).toBeLessThanOrEqual(0.005);
});
