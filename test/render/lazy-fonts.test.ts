/**
 * Fonts loaded on first need (functions/src/render/font-manifest.ts, LAZY_GROUPS): each
 * renderer here is new (Renderer.create), so it starts with the fonts of start-up only. The
 * CJK fonts are a chain in their fallback order (S Chinese, Japanese, Korean): a text loads the
 * first ones it needs, and what a certificate looks like never depends on what its renderer
 * drew before.
 */
import { describe, expect, it } from 'vitest';
import { lazyChain, lazyGroupsFor, Renderer } from '../../functions/src/render/index.js';
import { certificateData, speaker, templateBytes } from '../helpers/fixtures.js';
import { pdfFonts, pdfToText } from '../helpers/pdf-tools.js';

const CHINESE = speaker('spk-013'); // 欧阳静怡
const JAPANESE = speaker('spk-015'); // 山本 さくら: kanji and kana
const KOREAN = speaker('spk-016'); // 김민준: Hangul

async function render(renderer: Renderer, person: { name: string }): Promise<Uint8Array> {
  const template = renderer.compileTemplate(templateBytes('classic'));
  const out = await renderer.renderCertificate(template, certificateData(person), { png: false });
  return out.pdf;
}

describe('the CJK fonts, loaded on first need as a chain', () => {
  it('a Chinese name loads the S Chinese fonts only (17 of the 35 MB)', async () => {
    const renderer = await Renderer.create();
    await render(renderer, CHINESE);
    expect(renderer.lazyGroups).toEqual(['cjk-sc']);
  });

  it('a Japanese name of kanji and kana needs nothing beyond S Chinese, which draws both', async () => {
    const renderer = await Renderer.create();
    await render(renderer, JAPANESE);
    expect(renderer.lazyGroups).toEqual(['cjk-sc']);
  });

  it('a Korean name loads the chain up to Korean, in order', async () => {
    const renderer = await Renderer.create();
    await render(renderer, KOREAN);
    expect(renderer.lazyGroups).toEqual(['cjk-sc', 'cjk-jp', 'cjk-kr']);
  });

  it('a certificate is the same whether its renderer drew other names first or loaded every font', async () => {
    const alone = await Renderer.create();
    const japaneseAlone = await render(alone, JAPANESE);

    const afterKorean = await Renderer.create();
    await render(afterKorean, KOREAN);
    const japaneseAfterKorean = await render(afterKorean, JAPANESE);

    const everything = await Renderer.create();
    everything.loadLazyFonts();
    const japaneseWithEverything = await render(everything, JAPANESE);

    expect(Buffer.from(japaneseAfterKorean).equals(Buffer.from(japaneseAlone))).toBe(true);
    expect(Buffer.from(japaneseWithEverything).equals(Buffer.from(japaneseAlone))).toBe(true);
    // And it is the name, drawn with the S Chinese font (the first of the chain that has it).
    expect(pdfToText(japaneseAlone).replace(/\s+/g, '')).toContain(JAPANESE.name.replace(/\s+/g, ''));
    expect(
      pdfFonts(japaneseAlone)
        .map((font) => font.name)
        .join(' '),
    ).toMatch(/NotoSans.*(SChinese|Hans|CJK)/i);
  });

  it('a template that names a CJK family loads the chain up to that family', async () => {
    const renderer = await Renderer.create();
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400">' +
        '<text x="20" y="100" font-family="Noto Sans Japanese" font-size="40">{{name}}</text></svg>',
    );
    renderer.compileTemplate(svg);
    expect(renderer.lazyGroups).toEqual(['cjk-sc', 'cjk-jp']);
  });

  it('lazyGroupsFor asks for the next group of a chain only once the ones before it are loaded', () => {
    expect(lazyGroupsFor('김')).toEqual(['cjk-sc']);
    expect(lazyGroupsFor('김', new Set(['cjk-sc']))).toEqual(['cjk-jp']);
    expect(lazyGroupsFor('김', new Set(['cjk-sc', 'cjk-jp']))).toEqual(['cjk-kr']);
    expect(lazyGroupsFor('김', new Set(['cjk-sc', 'cjk-jp', 'cjk-kr']))).toEqual([]);
    // Groups without a chain, alongside: a Tamil and Chinese name asks for both at once.
    expect(lazyGroupsFor('தமிழ் 李')).toEqual(['cjk-sc', 'tamil']);
    expect(lazyChain('cjk-kr')).toEqual(['cjk-sc', 'cjk-jp', 'cjk-kr']);
    expect(lazyChain('tamil')).toEqual(['tamil']);
  });
});
