/**
 * Fonts loaded on first need (functions/src/render/font-manifest.ts, LAZY_GROUPS, and the CJK
 * slices of font-slices.ts): each renderer here is new (Renderer.create), so it starts with the
 * fonts of start-up only. A CJK character loads the slice that holds it; the slices of S Chinese,
 * Japanese and Korean cover disjoint characters and serve fallback only, the whole fonts serve
 * templates that name them and never fallback, so what a certificate looks like never depends
 * on what its renderer drew before.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fallbackGroups,
  lazyFamilies,
  lazyGroupsFor,
  Renderer,
  resolveBundledFontPaths,
  sliceOf,
} from '../../functions/src/render/index.js';
import { certificateData, speaker, templateBytes } from '../helpers/fixtures.js';
import { pdfFonts, pdfToText } from '../helpers/pdf-tools.js';

const CHINESE = speaker('spk-013'); // 欧阳静怡
const JAPANESE = speaker('spk-015'); // 山本 さくら: kanji and kana
const KOREAN = speaker('spk-016'); // 김민준: Hangul

const INDEX = JSON.parse(readFileSync(new URL('../../functions/fonts/cjk/index.json', import.meta.url), 'utf8')) as {
  slices: Array<{ name: string; family: string; files: string[]; ranges: Array<[number, number]> }>;
};
const SLICES = INDEX.slices.map((slice) => slice.name);

async function render(
  renderer: Renderer,
  person: { name: string },
  svg = templateBytes('classic'),
): Promise<Uint8Array> {
  const template = renderer.compileTemplate(svg);
  const out = await renderer.renderCertificate(template, certificateData(person), { png: false });
  return out.pdf;
}

/** The slices that hold the characters of `text`, in first-seen order. */
function slicesOf(text: string): string[] {
  return [...new Set([...text].map((c) => sliceOf(c.codePointAt(0)!)).filter((s): s is string => s !== undefined))];
}

describe('the CJK fonts, for fallback in slices loaded per character', () => {
  it('the slices cover disjoint characters, in the fonts’ fallback order', () => {
    const rows = INDEX.slices.flatMap((slice) => slice.ranges.map(([from, to]) => ({ from, to, slice })));
    rows.sort((a, b) => a.from - b.from);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.from).toBeGreaterThan(rows[i - 1]!.to);
    // A character S Chinese and Japanese both have is S Chinese's; Hangul is Korean's.
    expect(sliceOf('山'.codePointAt(0)!)).toMatch(/^cjk-sc-/);
    expect(sliceOf('김'.codePointAt(0)!)).toMatch(/^cjk-kr-/);
    // Characters the fonts loaded at start-up draw belong to no slice.
    expect(sliceOf('A'.codePointAt(0)!)).toBeUndefined();
    expect(sliceOf('ж'.codePointAt(0)!)).toBeUndefined();
    // The everyday characters are in the first slice of their font.
    expect(slicesOf('王李张刘陈杨黄赵吴周さくらカタカナ')).toEqual(['cjk-sc-0']);
    expect(slicesOf('김이박최정')).toEqual(['cjk-kr-0']);
  });

  it('a Chinese name loads the slices of its characters only', async () => {
    const renderer = await Renderer.create();
    await render(renderer, CHINESE);
    expect([...renderer.lazyGroups].sort()).toEqual(slicesOf(CHINESE.name + (CHINESE.talk?.title ?? '')).sort());
    expect(renderer.lazyGroups.every((group) => group.startsWith('cjk-sc-'))).toBe(true);
  });

  it('a Japanese name of kanji and kana is drawn from S Chinese slices, which have both', async () => {
    const renderer = await Renderer.create();
    await render(renderer, JAPANESE);
    // The name's and its talk title's characters (the classic template shows both).
    const text = JAPANESE.name + (JAPANESE.talk?.title ?? '');
    expect([...renderer.lazyGroups].sort()).toEqual(slicesOf(text).sort());
    expect(renderer.lazyGroups.every((group) => group.startsWith('cjk-sc-'))).toBe(true);
    expect(slicesOf(JAPANESE.name)).toEqual(['cjk-sc-0']);
  });

  it('a Korean name loads a Korean slice, not the Chinese and Japanese fonts before it', async () => {
    const renderer = await Renderer.create();
    await render(renderer, KOREAN);
    expect(renderer.lazyGroups).toEqual(['cjk-kr-0']);
  });

  it('a certificate is the same whether its renderer drew other names first or loaded every font', async () => {
    const alone = await Renderer.create();
    const japaneseAlone = await render(alone, JAPANESE);

    const afterOthers = await Renderer.create();
    await render(afterOthers, KOREAN);
    await render(afterOthers, CHINESE);
    const japaneseAfterOthers = await render(afterOthers, JAPANESE);

    // Every slice, every script group and the whole CJK fonts (by name only) loaded first.
    const everything = await Renderer.create();
    everything.loadLazyFonts([...lazyFamilies().keys(), ...SLICES]);
    const japaneseWithEverything = await render(everything, JAPANESE);

    expect(Buffer.from(japaneseAfterOthers).equals(Buffer.from(japaneseAlone))).toBe(true);
    expect(Buffer.from(japaneseWithEverything).equals(Buffer.from(japaneseAlone))).toBe(true);
    // And it is the name, drawn with the S Chinese font (the first of the three that has it).
    expect(pdfToText(japaneseAlone).replace(/\s+/g, '')).toContain(JAPANESE.name.replace(/\s+/g, ''));
    const fonts = pdfFonts(japaneseAlone).map((font) => font.name);
    expect(fonts.join(' ')).toMatch(/NotoSansHans/);
    expect(fonts.join(' ')).not.toMatch(/NotoSansJP|NotoSansKR/);
  });

  it('a template that names a CJK family gets that whole font for its text, and fallback elsewhere stays the slices', async () => {
    const renderer = await Renderer.create();
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400">' +
        '<text x="20" y="100" font-family="Noto Sans Japanese" font-size="40">{{name}}</text>' +
        '<text x="20" y="200" font-family="Noto Sans" font-size="40">{{name}}</text></svg>',
    );
    renderer.compileTemplate(svg);
    expect(renderer.lazyGroups).toEqual(['cjk-jp']);
    const pdf = await render(renderer, JAPANESE, svg);
    // The named text in the Japanese font; the same characters in the Noto Sans text fall back
    // to S Chinese, as they would in a renderer that never loaded the Japanese font.
    const fonts = pdfFonts(pdf).map((font) => font.name);
    expect(fonts.some((name) => /NotoSansJP/.test(name))).toBe(true);
    expect(fonts.some((name) => /NotoSansHans/.test(name))).toBe(true);
    expect(renderer.lazyGroups).toEqual(['cjk-jp', 'cjk-sc-0']);
  });

  it('lazyGroupsFor asks for the slice of each CJK character and the script groups of the others', () => {
    expect(lazyGroupsFor('김')).toEqual(['cjk-kr-0']);
    expect(lazyGroupsFor('김', new Set(['cjk-kr-0']))).toEqual([]);
    expect(lazyGroupsFor('தமிழ் 李')).toEqual([sliceOf('李'.codePointAt(0)!), 'tamil']);
    // A character no bundled font has (an emoji) tries every script group, never a CJK font.
    const groups = lazyGroupsFor('😀');
    expect(groups).toEqual(fallbackGroups());
    expect(groups.some((group) => group.startsWith('cjk'))).toBe(false);
  });

  it('the slices are cut from the bundled CJK fonts', () => {
    const sources = resolveBundledFontPaths().filter((path) => /NotoSans(Hans|JP|KR)-(Regular|Bold)/.test(path));
    expect(sources).toHaveLength(6);
    expect(new Set(INDEX.slices.map((slice) => slice.family))).toEqual(
      new Set(['Noto Sans S Chinese', 'Noto Sans Japanese', 'Noto Sans Korean']),
    );
    for (const slice of INDEX.slices) expect(slice.files).toHaveLength(2);
  });
});
