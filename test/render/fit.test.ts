/**
 * The 120-character name is shrunk and wrapped into its fit box: the core's field report says
 * so, and the PDF agrees (poppler's word boxes of the name lie inside the box). The box is read
 * from the template file itself, so a template edited inconsistently fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Core,
  loadBundledFonts,
  type CompiledTemplateInfo,
  type FieldLayout,
} from '../../functions/src/render/index.js';
import { certificateData, speaker, templateBytes, templateText, type TemplateName } from '../helpers/fixtures.js';
import { pdfWords, type PdfWord } from '../helpers/pdf-tools.js';

const LONG = speaker('spk-020');
const TOLERANCE_PT = 0.5;

interface NameBox {
  /** User units. */
  x: number;
  width: number;
  anchor: string;
  fontSize: number;
  minSize: number;
  lines: number;
  /** PDF points per user unit. */
  scale: number;
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

const MM_TO_PT = 72 / 25.4;

/** The fit box of the `<text>` whose content is `{{name}}`, and the user-unit → pt scale. */
function nameBox(template: TemplateName): NameBox {
  const svg = templateText(template);
  const root = /<svg\b[^>]*>/.exec(svg)![0];
  const width = attr(root, 'width')!;
  const viewBox = attr(root, 'viewBox')!
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  expect(width, 'the default templates are sized in mm').toMatch(/^[\d.]+mm$/);
  const scale = (parseFloat(width) * MM_TO_PT) / viewBox[2]!;

  const tags = [...svg.matchAll(/<text\b([^>]*)>\s*\{\{\s*name\s*\}\}\s*<\/text>/g)];
  expect(tags, 'exactly one <text> holds {{name}}').toHaveLength(1);
  const tag = tags[0]![1]!;
  const fontSize = Number(attr(tag, 'font-size'));
  return {
    x: Number(attr(tag, 'x')),
    width: Number(attr(tag, 'data-fit-width')),
    anchor: attr(tag, 'text-anchor') ?? 'start',
    fontSize,
    minSize: Number(attr(tag, 'data-fit-min-size') ?? fontSize * 0.4),
    lines: Number(attr(tag, 'data-fit-lines') ?? 1),
    scale,
  };
}

/** [left, right] of the box in PDF points. */
function boxRangePt(box: NameBox): [number, number] {
  const left = box.anchor === 'middle' ? box.x - box.width / 2 : box.anchor === 'end' ? box.x - box.width : box.x;
  return [left * box.scale, (left + box.width) * box.scale];
}

/** The consecutive words (reading order) that spell `name`. */
function nameWords(words: PdfWord[], name: string): PdfWord[] | undefined {
  const wanted = name.split(/\s+/);
  for (let i = 0; i + wanted.length <= words.length; i++) {
    if (wanted.every((w, k) => words[i + k]!.text.normalize('NFC') === w.normalize('NFC'))) {
      return words.slice(i, i + wanted.length);
    }
  }
  return undefined;
}

let core: Core;
beforeAll(async () => {
  core = await Core.create(await loadBundledFonts());
});

describe.each(['classic', 'modern'] as const)('%s: the 120-character name', (template) => {
  let info: CompiledTemplateInfo;
  let field: FieldLayout;
  let box: NameBox;
  let pdf: Uint8Array;
  let warnings: string[];

  beforeAll(async () => {
    expect([...LONG.name]).toHaveLength(120);
    box = nameBox(template);
    info = core.compile(templateBytes(template));
    const data = certificateData(LONG);
    const out = core.render(info.id, data);
    const found = out.fields.find((f) => f.element === 'name');
    expect(found, `fields: ${JSON.stringify(out.fields)}`).toBeDefined();
    field = found!;
    warnings = out.warnings.map((w) => w.code);
    // The core's PDF is the pipeline's (only attachData post-processes it).
    pdf = out.pdf;
  });

  it('the template box is what the tests assume (A4 at 0.75 pt per user unit, centred)', () => {
    expect(box.scale).toBeCloseTo(0.75, 3);
    expect(box.anchor).toBe('middle');
    expect(box.width).toBeGreaterThan(0);
    expect(box.lines).toBe(2);
    expect(info.pageSize.width).toBeCloseTo(841.89, 1);
  });

  it('the core reports a layout within the box', () => {
    expect(field.boxWidth, 'core read the same fit width as the template file').toBe(box.width);
    expect(field.width as number).toBeGreaterThan(0);
    expect(field.width as number).toBeLessThanOrEqual(box.width + 0.01);
    expect(field.lines).toBe(2);
    expect(field.fontSize).toBeLessThan(box.fontSize);
    // Below the template's minimum only with the warning, never silently.
    if (field.fontSize < box.minSize - 0.01) expect(warnings).toContain('FIT_BELOW_MIN_SIZE');
    else expect(warnings).not.toContain('FIT_BELOW_MIN_SIZE');
  });

  it("poppler's word boxes of the name lie within the box, on two lines", () => {
    const { words } = pdfWords(pdf);
    const found = nameWords(words, LONG.name);
    expect(found, `the name's words in pdftotext -bbox:\n${words.map((w) => w.text).join(' ')}`).toBeDefined();
    const [left, right] = boxRangePt(box);
    const xMin = Math.min(...found!.map((w) => w.xMin));
    const xMax = Math.max(...found!.map((w) => w.xMax));
    expect(xMin, `name starts at ${xMin} pt, box starts at ${left} pt`).toBeGreaterThanOrEqual(left - TOLERANCE_PT);
    expect(xMax, `name ends at ${xMax} pt, box ends at ${right} pt`).toBeLessThanOrEqual(right + TOLERANCE_PT);

    // Two lines (distinct baselines), each centred on the box.
    const lines = new Map<number, PdfWord[]>();
    for (const w of found!) {
      const key = Math.round(w.yMax);
      lines.set(key, [...(lines.get(key) ?? []), w]);
    }
    expect(lines.size).toBe(2);
    const centre = (left + right) / 2;
    let widest = 0;
    for (const line of lines.values()) {
      const l = Math.min(...line.map((w) => w.xMin));
      const r = Math.max(...line.map((w) => w.xMax));
      widest = Math.max(widest, r - l);
      expect(Math.abs((l + r) / 2 - centre), 'line centred on the box').toBeLessThan(1);
    }
    // The PDF's widest line is the width the core reported (user units → pt).
    expect(Math.abs(widest - (field.width as number) * box.scale)).toBeLessThan(1);
  });
});
