/**
 * The text layer of every script, exactly: what two independent extractors (poppler's
 * pdftotext and pdf.js) read from a certificate equals the name as given (NFC, bidi
 * controls removed; a line break may stand for the space at a wrap). The names are the
 * stress set of examples/names-by-script.json, on both bundled templates and their fonts.
 *
 * The only tolerated difference is poppler's own reordering of the space between runs of
 * opposite direction (it does that to librsvg's PDFs too). Anything else that is wrong is
 * listed below as a known failure with its reason, and fails the run if it starts passing.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initRenderer, type Renderer } from '../../functions/src/render/index.js';
import { cleanText, rootPath, templateBytes, textLines, type TemplateName } from '../helpers/fixtures.js';
import { pdfJsLines, pdfToText } from '../helpers/pdf-tools.js';

interface StressName {
  script: string;
  name: string;
}
const NAMES: StressName[] = (
  JSON.parse(readFileSync(rootPath('examples/names-by-script.json'), 'utf8')) as { names: StressName[] }
).names;

/**
 * Known failures, by extractor, with the reason. Both come from how the glyphs of one
 * cluster are drawn, not from the text we write: the rendering is right.
 * - poppler: a mark drawn with a vertical offset, or a cluster read through /ActualText
 *   whose last glyph is a mark inside it, looks like a word or line break to poppler's
 *   layout analysis (librsvg's PDFs of Bengali, Gujarati, Oriya and Lao names fail the same way).
 * - pdf.js ignores /ActualText: a cluster whose glyphs are not in the text's order (a vowel
 *   sign drawn before its consonant: Devanagari ि, Bengali ি, Tamil ெ, Malayalam െ, Myanmar ေ...)
 *   can only be read glyph by glyph, which one ToUnicode entry per glyph cannot express
 *   without duplicating glyph codes (krilla has no way to do that yet).
 */
const KNOWN_POPPLER = new Set(['Arabic (harakat)', 'Bengali', 'Gujarati', 'Oriya', 'Lao', 'Myanmar']);
const KNOWN_PDFJS = new Set([
  'Arabic (harakat)',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Myanmar',
]);

const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;
const LTR = /[A-Za-z0-9\u00c0-\u024f]/u;

/** `text` without the spaces that sit between a right-to-left and a left-to-right run. */
function withoutDirectionSpaces(text: string): string {
  const chars = [...text];
  return chars
    .filter((c, i) => {
      if (c !== ' ') return true;
      const before =
        chars
          .slice(0, i)
          .reverse()
          .find((x) => x !== ' ') ?? '';
      const after = chars.slice(i + 1).find((x) => x !== ' ') ?? '';
      const boundary = (RTL.test(before) && LTR.test(after)) || (LTR.test(before) && RTL.test(after));
      const edge = i === 0 || i === chars.length - 1;
      return !(boundary || (edge && (RTL.test(before) || RTL.test(after))));
    })
    .join('');
}

/** Whether the extracted lines hold the name, on one line or wrapped over two. */
function holdsName(lines: string[], name: string): boolean {
  const want = cleanText(name);
  const spaces = (s: string) => [...s].filter((c) => c === ' ').length;
  const same = (got: string) =>
    got === want ||
    // poppler's reordering of the space between runs of opposite direction, and only that.
    (RTL.test(want) &&
      LTR.test(want) &&
      spaces(got.trim()) + (got.trim() === got ? 0 : 0) <= spaces(want) &&
      withoutDirectionSpaces(got) === withoutDirectionSpaces(want));
  return lines.some((line, i) => same(line) || (i + 1 < lines.length && same(`${line} ${lines[i + 1]}`)));
}

let renderer: Renderer;
beforeAll(async () => {
  renderer = await initRenderer();
});

const minimal = (name: string) => ({
  name,
  event: { name: 'Open Source Summit', date: '12 March 2026' },
});

describe.each(['classic', 'modern'] as TemplateName[])('%s template', (template) => {
  describe.each(NAMES)('$script: $name', ({ script, name }) => {
    let pdf: Uint8Array;
    beforeAll(async () => {
      const result = await renderer.renderCertificate(templateBytes(template), minimal(name), { png: false });
      pdf = result.pdf;
    });

    (KNOWN_POPPLER.has(script) ? it.fails : it)('pdftotext extracts it exactly', () => {
      const lines = textLines(pdfToText(pdf)).map(cleanText);
      expect(holdsName(lines, name), lines.join('\n')).toBe(true);
    });

    (KNOWN_PDFJS.has(script) ? it.fails : it)('pdf.js extracts it exactly', async () => {
      const lines = (await pdfJsLines(pdf)).map(cleanText);
      expect(holdsName(lines, name), lines.join('\n')).toBe(true);
    });
  });
});
