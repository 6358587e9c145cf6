/**
 * Every script through the whole pipeline (Rust core in WASM → pdf-lib finishing), checked on
 * the PDF with independent tools: pdf-lib parses it, poppler's pdftotext gives the name back in
 * logical order, pdffonts shows only embedded subset fonts with ToUnicode maps.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initRenderer, type Renderer } from '../../functions/src/render/index.js';
import {
  certificateData,
  cleanText,
  speaker,
  templateBytes,
  textLines,
  type TemplateName,
} from '../helpers/fixtures.js';
import { pdfFonts, pdfLib, pdfToText, pdfWords } from '../helpers/pdf-tools.js';

const A4_LANDSCAPE = { width: 841.89, height: 595.28 };

interface ScriptCase {
  label: string;
  name: string;
  templates: TemplateName[];
  /** A font whose subset must be embedded (the script's fallback font). */
  font?: RegExp;
  /** Mixed direction: the right-to-left part and the left-to-right part of the name. */
  mixed?: { rtl: string; ltr: string };
}

const RTL_LETTER = /[\u0590-\u05FF\u0600-\u06FF\u0750-\u077F\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

const CASES: ScriptCase[] = [
  {
    label: 'Vietnamese',
    name: speaker('spk-001').name,
    templates: ['classic', 'modern'],
  },
  {
    label: 'Polish',
    name: speaker('spk-002').name,
    templates: ['classic', 'modern'],
  },
  {
    label: 'Turkish',
    name: speaker('spk-003').name,
    templates: ['classic'],
  },
  {
    label: 'Czech',
    name: speaker('spk-004').name,
    templates: ['classic'],
  },
  {
    label: 'Romanian',
    name: speaker('spk-021').name,
    templates: ['classic'],
  },
  {
    label: 'Greek',
    name: speaker('spk-006').name,
    templates: ['classic', 'modern'],
    font: /^NotoSans-/,
  },
  {
    label: 'Russian',
    name: speaker('spk-007').name,
    templates: ['classic'],
  },
  {
    label: 'Ukrainian',
    name: speaker('spk-008').name,
    templates: ['classic'],
  },
  {
    label: 'Serbian',
    name: speaker('spk-009').name,
    templates: ['classic'],
  },
  {
    label: 'Arabic',
    name: speaker('spk-010').name,
    templates: ['classic', 'modern'],
    font: /^NotoNaskhArabic/,
  },
  {
    label: 'Persian',
    name: speaker('spk-011').name,
    templates: ['classic'],
    font: /^NotoNaskhArabic/,
  },
  {
    label: 'Hebrew',
    name: speaker('spk-012').name,
    templates: ['classic', 'modern'],
    font: /^NotoSansHebrew/,
  },
  {
    label: 'Chinese (Simplified)',
    name: speaker('spk-013').name,
    templates: ['classic', 'modern'],
    font: /^NotoSansHans/,
  },
  {
    label: 'Chinese (Traditional)',
    name: speaker('spk-014').name,
    templates: ['classic'],
    font: /^NotoSansHans/,
  },
  // Playfair/Montserrat lack kana and kanji: they fall back to Noto Sans S Chinese (docs/templates.md).
  {
    label: 'Japanese',
    name: speaker('spk-015').name,
    templates: ['classic', 'modern'],
    font: /^NotoSansHans/,
  },
  {
    label: 'Korean',
    name: speaker('spk-016').name,
    templates: ['classic', 'modern'],
    font: /^NotoSansKR/,
  },
  // Mixed-direction names, harakat, and every other script: exact comparisons in text-layer.test.ts
  // (the only tolerated difference there is poppler's placement of the space between runs of
  // opposite direction).
];

/** The extracted line (or two consecutive lines, for a wrapped name) that is the name. */
function findName(lines: string[], name: string): string | undefined {
  const want = cleanText(name);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === want) return lines[i];
    const two = `${lines[i]} ${lines[i + 1] ?? ''}`;
    if (i + 1 < lines.length && two === want) return two;
  }
  return undefined;
}

let renderer: Renderer;
beforeAll(async () => {
  renderer = await initRenderer();
});

describe.each(CASES)('$label name: $name', (c) => {
  it.each(c.templates)(
    '%s: A4 PDF, name extracted in logical order, subset fonts with unicode maps',
    async (template) => {
      const data = certificateData({ name: c.name });
      const result = await renderer.renderCertificate(templateBytes(template), data, { png: false });
      expect(result.warnings, 'no fit warnings for a normal name').toEqual([]);

      // pdf-lib parses it: one A4 landscape page.
      const doc = await pdfLib.PDFDocument.load(result.pdf, {
        updateMetadata: false,
      });
      expect(doc.getPageCount()).toBe(1);
      const size = doc.getPage(0).getSize();
      expect(Math.abs(size.width - A4_LANDSCAPE.width), `page width ${size.width}`).toBeLessThanOrEqual(1);
      expect(Math.abs(size.height - A4_LANDSCAPE.height), `page height ${size.height}`).toBeLessThanOrEqual(1);
      expect(result.pageSize.width).toBeCloseTo(size.width, 0);
      expect(result.pageSize.height).toBeCloseTo(size.height, 0);

      // pdftotext gives the name back.
      const lines = textLines(pdfToText(result.pdf));
      const line = findName(lines, c.name);
      expect(line, `name ${JSON.stringify(c.name)} not among the extracted lines:\n${lines.join('\n')}`).toBeDefined();

      if (c.mixed) {
        // Logical order in the extracted text: the right-to-left part comes first...
        const rtlAt = line!.indexOf(cleanText(c.mixed.rtl));
        const ltrAt = line!.indexOf(cleanText(c.mixed.ltr));
        expect(rtlAt, `${c.mixed.rtl} in ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
        expect(rtlAt, `word order in ${JSON.stringify(line)}`).toBeLessThan(ltrAt);
        // ...because the line is a left-to-right paragraph (SVG's default direction): the
        // right-to-left word is drawn to the left of the Latin word.
        const { words } = pdfWords(result.pdf);
        const latin = words.find((w) => w.text === c.mixed!.ltr.split(' ')[0]);
        expect(latin, `word ${c.mixed.ltr} in the PDF`).toBeDefined();
        const rtlWords = words.filter(
          (w) => RTL_LETTER.test(w.text) && (w.yMin + w.yMax) / 2 > latin!.yMin && (w.yMin + w.yMax) / 2 < latin!.yMax,
        );
        expect(rtlWords.length, 'right-to-left word on the name line').toBeGreaterThan(0);
        for (const w of rtlWords) expect(w.xMax, `${w.text} left of ${latin!.text}`).toBeLessThanOrEqual(latin!.xMin);
      }

      // pdffonts: every font embedded, subset (ABCDEF+ prefix) and with a ToUnicode map.
      const fonts = pdfFonts(result.pdf);
      expect(fonts.length).toBeGreaterThan(0);
      for (const font of fonts) {
        expect(font, `font ${font.name}`).toMatchObject({
          emb: 'yes',
          sub: 'yes',
          uni: 'yes',
        });
        expect(font.name).toMatch(/^[A-Z]{6}\+/);
      }
      if (c.font) {
        expect(
          fonts.map((f) => f.name.slice(7)),
          `fallback font for ${c.label}`,
        ).toContainEqual(expect.stringMatching(c.font));
      }
    },
  );
});
