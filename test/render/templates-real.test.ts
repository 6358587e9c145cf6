/**
 * The 19 real certificate templates of ../shared/wild-templates (Inkscape 0.47 to 1.3, Illustrator,
 * Figma, hand-written; read in place), each with its own fonts, rendered with a short Latin name,
 * a 50-character Polish one and an Arabic one: every word of the name drawn, on the page, and
 * extracted by poppler as one line. Positions from pdftotext -bbox.
 *
 * `npm run fidelity:templates` runs this file with CERTFORGE_WILD_REPORT set: it then also writes
 * each certificate's PDF and PNG, librsvg's PNG of the same SVG with the data written in
 * (`*-rsvg.png`, the independent picture to compare with), and report.md to out/fidelity/wild/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFontFile } from '../../functions/src/render/fonts.js';
import { initRenderer, type Renderer } from '../../functions/src/render/index.js';
import { cleanText, rootPath, textLines } from '../helpers/fixtures.js';
import { pdfFonts, pdfToText, pdfWords } from '../helpers/pdf-tools.js';
import { filledSvg, WILD_DIR, WILD_NAMES, wildData, wildFontPaths, wildTemplates } from '../helpers/wild-templates.js';

/**
 * Known failures, each with its reason (the test turns red the day they pass, to be removed here).
 * None at the moment: flisol-salta-2011 with the Arabic name was one until usvg's font fallback
 * replaced clusters rather than glyph by glyph (wasm/vendor/README.md).
 */
const KNOWN: Record<string, string> = {};

const REPORT_DIR = process.env.CERTFORGE_WILD_REPORT ? rootPath('out/fidelity/wild') : undefined;
const templates = wildTemplates();
let renderer: Renderer;
const rows: string[] = [];

beforeAll(async () => {
  renderer = await initRenderer();
  if (REPORT_DIR) mkdirSync(REPORT_DIR, { recursive: true });
});

afterAll(() => {
  if (!REPORT_DIR) return;
  writeFileSync(
    join(REPORT_DIR, 'report.md'),
    [
      '# Real templates (../shared/wild-templates)',
      '',
      `${new Date().toISOString()}; \`npm run fidelity:templates\`. certforge's PNG as <id>-<n>.png, librsvg's as <id>-<n>-rsvg.png.`,
      '',
      '| template | name | name height (pt) | fonts in the PDF | warnings |',
      '|---|---|---:|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
});

/**
 * A word as poppler gives it, without the punctuation the template writes after the name
 * ("Ada Lovelace, DNI ..."), a right-to-left one (drawing order) read back in logical order.
 */
const logical = (text: string) => {
  const word = text.replace(/^[,.;:]+|[,.;:]+$/g, '');
  return /[\u0590-\u08FF]/.test(word) ? [...word].reverse().join('') : word;
};

describe.each(templates.map((t) => [t.id, t] as const))('%s', (_id, template) => {
  const svg = readFileSync(join(WILD_DIR, template.file));
  const fontFiles = wildFontPaths(template);

  it.each(WILD_NAMES.map((name, index) => [name, index] as const))(
    '%s: drawn, on the page, extracted',
    async (name, index) => {
      if (KNOWN[`${template.id} ${index + 1}`]) {
        await expect(check(name, index), KNOWN[`${template.id} ${index + 1}`]).rejects.toThrow();
        return;
      }
      await check(name, index);
    },
  );

  async function check(name: string, index: number): Promise<void> {
    {
      const absent = fontFiles.filter((path) => !existsSync(path));
      expect(absent, 'font files (node test/setup/ensure-tools.mjs installs them)').toEqual([]);
      const compiled = renderer.compileTemplate(svg, { fonts: fontFiles.map(readFontFile) });
      const data = wildData(template, name);
      const result = await renderer.renderCertificate(compiled, data, { png: Boolean(REPORT_DIR) });

      const { width, height, words } = pdfWords(result.pdf);
      const nameWords = name.split(' ');
      const drawn = words.filter((w) => nameWords.includes(logical(w.text)));
      if (REPORT_DIR) {
        const stem = join(REPORT_DIR, `${template.id}-${index + 1}`);
        writeFileSync(`${stem}.pdf`, result.pdf);
        writeFileSync(`${stem}.png`, result.png!);
        writeFileSync(`${stem}-rsvg.svg`, filledSvg(svg.toString('utf8'), data));
        spawnSync('rsvg-convert', ['-w', '1200', '-o', `${stem}-rsvg.png`, `${stem}-rsvg.svg`]);
        const fonts = pdfFonts(result.pdf).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
        const warnings = [...compiled.warnings, ...result.warnings].map((w) => w.code);
        const tallest = Math.max(0, ...drawn.map((w) => w.yMax - w.yMin));
        rows.push(
          `| ${template.id} | ${index + 1} | ${tallest.toFixed(1)} | ${fonts.join(', ')} | ${[...new Set(warnings)].join(', ')} |`,
        );
      }

      const context = JSON.stringify(words.map((w) => w.text));
      expect(drawn.map((w) => logical(w.text)).sort(), context).toEqual(expect.arrayContaining(nameWords));
      for (const w of drawn) {
        expect(w.xMin, `${w.text}: left edge on the page`).toBeGreaterThanOrEqual(0);
        expect(w.xMax, `${w.text}: right edge on the page`).toBeLessThanOrEqual(width);
        expect(w.yMin, `${w.text}: top on the page`).toBeGreaterThanOrEqual(0);
        expect(w.yMax, `${w.text}: bottom on the page`).toBeLessThanOrEqual(height);
      }
      const lines = textLines(pdfToText(result.pdf)).map(cleanText);
      expect(
        lines.some((line, i) => line.includes(name) || `${line} ${lines[i + 1]}`.includes(name)),
        lines.join('\n'),
      ).toBe(true);
    }
  }
});
