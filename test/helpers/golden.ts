/**
 * Golden image comparison with pixelmatch, for the PNG previews and for the PDFs (rasterised by
 * poppler's pdftoppm).
 *
 * - test/golden/<name>.png is the expected image. A missing one fails the test, as resvg's
 *   harness does; UPDATE_GOLDENS=1 writes it (and every other golden) instead. Look at what
 *   it wrote before committing.
 * - One limit for every golden: MAX_DIFF_RATIO of the pixels, at PIXEL_THRESHOLD.
 * - On a mismatch, test/golden/_failures/<name>.png gets expected | diff | actual side by side
 *   (that directory is gitignored) and the comparison fails with its path.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { rootPath } from './fixtures.js';
import { runTool, writeTempPdf } from './pdf-tools.js';

export const GOLDEN_DIR = rootPath('test/golden');
export const FAILURE_DIR = join(GOLDEN_DIR, '_failures');

/** pixelmatch's per-pixel colour threshold (0..1; smaller is stricter). */
export const PIXEL_THRESHOLD = 0.1;
/** The share of differing pixels above which an image does not match. */
// Renders are pixel-identical run to run (resvg-wasm is deterministic), so the limit only
// absorbs anti-aliasing noise: 0.01% of a 1200×848 image is about 100 pixels.
export const MAX_DIFF_RATIO = 0.0001;

/** Resolution of the PDF goldens (pdftoppm -r): A4 landscape is 842 × 595 px. */
export const PDF_GOLDEN_DPI = 72;

export type GoldenOutcome =
  { status: 'updated'; path: string } | { status: 'match'; path: string; diffPixels: number; ratio: number };

function pad(png: PNG, width: number, height: number): PNG {
  if (png.width === width && png.height === height) return png;
  const out = new PNG({ width, height, fill: true });
  out.data.fill(255);
  PNG.bitblt(png, out, 0, 0, Math.min(png.width, width), Math.min(png.height, height), 0, 0);
  return out;
}

/** expected | diff | actual, on a white background, with a 10 px gap. */
function sideBySide(expected: PNG, diff: PNG, actual: PNG): Buffer {
  const gap = 10;
  const panels = [expected, diff, actual];
  const width = panels.reduce((sum, p) => sum + p.width, 0) + gap * (panels.length - 1);
  const height = Math.max(...panels.map((p) => p.height));
  const out = new PNG({ width, height, fill: true });
  out.data.fill(255);
  let x = 0;
  for (const panel of panels) {
    PNG.bitblt(panel, out, 0, 0, panel.width, panel.height, x, 0);
    x += panel.width + gap;
  }
  return PNG.sync.write(out);
}

/**
 * Compares `actual` (PNG bytes) with test/golden/<name>.png. Throws with the path of the
 * side-by-side failure image when more than MAX_DIFF_RATIO of the pixels differ.
 */
export function expectMatchesGolden(name: string, actual: Uint8Array): GoldenOutcome {
  const path = join(GOLDEN_DIR, `${name}.png`);
  if (process.env.UPDATE_GOLDENS === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
    console.log(`golden written: ${path} (look at it before committing)`);
    return { status: 'updated', path };
  }
  if (!existsSync(path)) {
    throw new Error(`${name}: no golden at ${path}. Run with UPDATE_GOLDENS=1 to write it, then look at it.`);
  }

  const actualPng = PNG.sync.read(Buffer.from(actual));
  const expectedPng = PNG.sync.read(readFileSync(path));
  const width = Math.max(actualPng.width, expectedPng.width);
  const height = Math.max(actualPng.height, expectedPng.height);
  const a = pad(actualPng, width, height);
  const e = pad(expectedPng, width, height);
  const diff = new PNG({ width, height });
  const diffPixels = pixelmatch(e.data, a.data, diff.data, width, height, { threshold: PIXEL_THRESHOLD });
  const ratio = diffPixels / (width * height);
  const sizeChanged = actualPng.width !== expectedPng.width || actualPng.height !== expectedPng.height;

  if (sizeChanged || ratio > MAX_DIFF_RATIO) {
    mkdirSync(FAILURE_DIR, { recursive: true });
    const failure = join(FAILURE_DIR, `${name}.png`);
    writeFileSync(failure, sideBySide(e, diff, a));
    const size = sizeChanged
      ? `; size ${actualPng.width}×${actualPng.height}, golden ${expectedPng.width}×${expectedPng.height}`
      : '';
    throw new Error(
      `${name}: ${diffPixels} pixels (${(ratio * 100).toFixed(3)}%) differ from ${path} (limit ${(MAX_DIFF_RATIO * 100).toFixed(2)}%)${size}. ` +
        `Expected | diff | actual: ${failure}. If the change is intended, rerun with UPDATE_GOLDENS=1.`,
    );
  }
  return { status: 'match', path, diffPixels, ratio };
}

/** The first page of `pdf` as poppler draws it (pdftoppm, PDF_GOLDEN_DPI), PNG bytes. */
export function rasterizePdf(pdf: Uint8Array, stem: string): Uint8Array {
  const input = writeTempPdf(pdf, stem);
  const prefix = input.replace(/\.pdf$/, '');
  runTool('pdftoppm', ['-png', '-r', String(PDF_GOLDEN_DPI), '-f', '1', '-l', '1', '-singlefile', input, prefix]);
  return readFileSync(`${prefix}.png`);
}

/** The PDF's first page, rasterised by pdftoppm, against test/golden/<name>.png (same rules). */
export function expectPdfMatchesGolden(name: string, pdf: Uint8Array): GoldenOutcome {
  return expectMatchesGolden(name, rasterizePdf(pdf, name));
}
