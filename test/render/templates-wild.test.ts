/**
 * Templates as ordinary tools write them (test/fixtures/templates-wild/): a plain centred
 * text without any data-fit-*, Inkscape 1.x flowed text in millimetre units (shape-inside),
 * Inkscape 0.92 flowRoot, Illustrator (CSS classes, matrix transforms), Figma (positioned
 * tspans, xml:space). Every placeholder text must stay on the page, flowed text inside its
 * box, and extract exactly; positions are read from the PDF with pdftotext -bbox.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initRenderer, type Renderer } from '../../functions/src/render/index.js';
import { cleanText, rootPath, textLines } from '../helpers/fixtures.js';
import { pdfFonts, pdfJsLines, pdfToText, pdfWords } from '../helpers/pdf-tools.js';

const LONG = 'Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Sr.';
const NAMES = [LONG, 'Małgorzata Wiśniewska-Żółkiewska', 'Ada Lovelace'];
const fixture = (name: string) => readFileSync(rootPath(`test/fixtures/templates-wild/${name}.svg`));
const data = (name: string) => ({ name, event: { name: 'Open Source Summit', date: '12 March 2026' } });
const MM = 72 / 25.4;

/** Flowed boxes of the fixtures, in PDF points: [left, top, right, bottom]. */
const BOXES: Record<string, [number, number, number, number]> = {
  'inkscape-1x-flowed-mm': [48.5 * MM, 84 * MM, 248.5 * MM, 114 * MM],
  'inkscape-092-flowroot': [211.26 * 0.75, 300 * 0.75, 911.26 * 0.75, 460 * 0.75],
};

let renderer: Renderer;
beforeAll(async () => {
  renderer = await initRenderer();
});

describe('hand-written: the name indented in its <text>, the stylesheet in <defs>, x="50%"', () => {
  it.each([...NAMES, 'عبد الرحمن بن محمد الفارسي'])(
    '%s: drawn, at the stylesheet size, centred on the page',
    async (name) => {
      const result = await renderer.renderCertificate(fixture('hand-written'), data(name), { png: false });
      const { width, words } = pdfWords(result.pdf);
      const nameWords = name.split(' ');
      // poppler's word boxes give right-to-left words in drawing order: read them back.
      const logical = (text: string) => (/[\u0600-\u06FF]/.test(text) ? [...text].reverse().join('') : text);
      const drawn = words.filter((w) => nameWords.includes(logical(w.text)));
      // Before: the indentation made the name not drawn at all; x="50%" put an Arabic name at x≈0.
      expect(drawn.map((w) => logical(w.text)).sort(), JSON.stringify(words.map((w) => w.text))).toEqual(
        [...nameWords].sort(),
      );
      const left = Math.min(...drawn.map((w) => w.xMin));
      const right = Math.max(...drawn.map((w) => w.xMax));
      expect(left).toBeGreaterThanOrEqual(0);
      expect(right).toBeLessThanOrEqual(width);
      // Measured 0.0001 pt off for every name; the Arabic one was at x≈0 before.
      expect(Math.abs((left + right) / 2 - width / 2), 'centred on the page').toBeLessThan(0.01);
      if (name === 'Ada Lovelace') {
        // The .name rule of the <defs> stylesheet: 64 px = 48 pt (poppler's box: ~1.36 em); it was 12 px.
        const height = Math.max(...drawn.map((w) => w.yMax - w.yMin));
        expect(height).toBeGreaterThan(48);
      }
    },
  );
});

it('an Arabic name inside a script-face paragraph of several lines is drawn (font fallback by cluster)', async () => {
  // Before: Great Vibes shapes "Por cuanto" with contextual forms, so the fallback font's
  // shaping had another number of glyphs, usvg gave up, and the Arabic letters stayed .notdef
  // (UNSUPPORTED_CONTENT under PDF/A; flisol-salta-2011 of ../shared/wild-templates).
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="300">
    <text x="500" y="100" text-anchor="middle" style="font-size:32px;font-family:'Great Vibes'">
      <tspan x="500" y="100">Por cuanto {{name}}, DNI</tspan><tspan x="500" y="150">ha participado del festival</tspan>
    </text></svg>`;
  const name = 'عبد الرحمن بن محمد الفارسي';
  const result = await renderer.renderCertificate(svg, data(name), { png: false });
  const lines = textLines(pdfToText(result.pdf)).map(cleanText);
  expect(lines, lines.join('\n')).toContain(`Por cuanto ${name}, DNI`);
});

describe('web fonts: @font-face rules with data: URLs (WOFF2 and WOFF), under their own family names', () => {
  it.each(NAMES)('%s: drawn with the embedded fonts', async (name) => {
    const template = renderer.compileTemplate(fixture('web-fonts'));
    // Before: every rule was ignored and the text drawn in a substitute (Playfair Display).
    // The one warning: the last text's first family, which no rule declares, fell back to the next.
    expect(template.warnings.map((w) => `${w.code}: ${w.message}`)).toEqual([
      'FONT_SUBSTITUTED: the font "Fixture Missing" is not supplied with the template: drawn with "Fixture Sans"',
    ]);
    const result = await renderer.renderCertificate(template, data(name), { png: false });
    const fonts = pdfFonts(result.pdf).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(fonts.sort()).toEqual(['Lato-Bold', 'Lato-Regular']);
    const poppler = textLines(pdfToText(result.pdf)).map(cleanText);
    expect(poppler, poppler.join('\n')).toContain(name);
    const { width, words } = pdfWords(result.pdf);
    for (const w of words) expect(w.xMax, `${w.text} right edge`).toBeLessThanOrEqual(width);
  });
});

describe.each(['plain', 'inkscape-1x-flowed-mm', 'inkscape-092-flowroot', 'illustrator', 'figma'])('%s', (file) => {
  it.each(NAMES)('%s: on the page, in its box, extracted exactly', async (name) => {
    const result = await renderer.renderCertificate(fixture(file), data(name), { png: false });
    const { width, height, words } = pdfWords(result.pdf);
    const nameWords = name.split(' ');
    const drawn = words.filter((w) => nameWords.includes(w.text));
    expect(drawn.map((w) => w.text).sort(), JSON.stringify(words.map((w) => w.text))).toEqual([...nameWords].sort());
    for (const w of words) {
      expect(w.xMin, `${w.text} left edge`).toBeGreaterThanOrEqual(0);
      expect(w.xMax, `${w.text} right edge`).toBeLessThanOrEqual(width);
      expect(w.yMax, `${w.text} bottom`).toBeLessThanOrEqual(height);
    }
    const box = BOXES[file];
    if (box) {
      for (const w of drawn) {
        expect(w.xMin, `${w.text} inside the flowed box (left)`).toBeGreaterThanOrEqual(box[0]);
        expect(w.xMax, `${w.text} inside the flowed box (right)`).toBeLessThanOrEqual(box[2]);
        expect(w.yMax, `${w.text} inside the flowed box (bottom)`).toBeLessThanOrEqual(box[3]);
        // The top by the middle of poppler's line box: its top is the font's ascent line (Noto
        // Sans: 1.069 em), which for a one-line name lies above the box while the glyphs do not.
        expect((w.yMin + w.yMax) / 2, `${w.text} inside the flowed box (top)`).toBeGreaterThanOrEqual(box[1]);
      }
      // Centred as the author set it (text-align:center): measured 0.000 pt off for every name.
      const left = Math.min(...drawn.map((w) => w.xMin));
      const right = Math.max(...drawn.map((w) => w.xMax));
      expect(Math.abs((left + right) / 2 - (box[0] + box[2]) / 2), 'centred in its box').toBeLessThan(0.01);
    }
    const poppler = textLines(pdfToText(result.pdf)).map(cleanText);
    expect(
      poppler.some((l, i) => l === name || `${l} ${poppler[i + 1]}` === name),
      poppler.join('\n'),
    ).toBe(true);
    const pdfjs = (await pdfJsLines(result.pdf)).map(cleanText);
    expect(
      pdfjs.some((l, i) => l === name || `${l} ${pdfjs[i + 1]}` === name),
      pdfjs.join('\n'),
    ).toBe(true);
  });
});

it('a plain centred name too long for the page shrinks, and warns below a legible size', async () => {
  const result = await renderer.renderCertificate(fixture('plain'), data(LONG), { png: false });
  const field = result.fields.find((f) => f.element === 'NAME');
  expect(field?.boxWidth, 'a box by default').toBeGreaterThan(900);
  expect(field!.fontSize).toBeLessThan(72);
  const tiny = await renderer.renderCertificate(fixture('plain'), data(`${LONG} ${LONG} ${LONG} ${LONG}`), {
    png: false,
  });
  expect(tiny.warnings.map((w) => w.code)).toContain('FIT_BELOW_MIN_SIZE');
});

it('data-fit="none" opts out of the default box', async () => {
  const svg = new TextDecoder()
    .decode(fixture('plain'))
    .replace('font-weight="bold">{{NAME}}', 'font-weight="bold" data-fit="none">{{NAME}}');
  const result = await renderer.renderCertificate(svg, data(LONG), { png: false });
  expect(result.fields.find((f) => f.element === 'NAME')).toBeUndefined();
});
