// Cuts the bundled CJK fonts (35 MB) into slices by character, for fallback: a Chinese,
// Japanese or Korean name then loads the slices of its characters (1-3 MB) instead of whole
// fonts. Run by `npm run build` after the TypeScript build (it reads the font manifest); writes
// functions/fonts/cjk/ (slice files and index.json), deployed with the functions. Does nothing
// when index.json was made from the same font files by the same version of this script.
//
// The slices of all three fonts cover disjoint characters, in the fonts' fallback order: a
// character belongs to the S Chinese slices when S Chinese has it, else to the Japanese ones,
// else to the Korean ones; characters a font loaded at start-up (Noto Sans, Arabic, Hebrew, the
// display faces) has belong to none. So a character falls back to the first CJK font that has
// it, whichever slices were loaded before (functions/src/render/font-slices.ts). Within a font,
// the common characters come first, in one slice: the 3,755 hanzi of GB 2312 level 1 with kana,
// punctuation and full-width forms; then GB 2312 level 2; then the traditional and Japanese
// everyday characters (Big5 and JIS X 0208 level 1) not in those; then the other ideographs by
// code point. For Korean the 2,350 Hangul syllables of KS X 1001, then the other syllables.
//
// The subsets are made by HarfBuzz's hb-subset (subset-font, harfbuzzjs), every layout feature
// kept, so a slice shapes its characters as the whole font does.
//
//   node functions/fonts/slice-cjk.mjs [--force]
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Blob as HbBlob, Face as HbFace } from 'harfbuzzjs';
import subsetFont from 'subset-font';

const VERSION = 1;
const OUT = fileURLToPath(new URL('cjk', import.meta.url));
const INDEX = join(OUT, 'index.json');
/** Code points per slice past the common ones. */
const CHUNK = 2000;

const { BUNDLED_FONTS, lazyGroupOf, resolveBundledFontPaths } = await import(
  new URL('../lib/render/font-manifest.js', import.meta.url).href
);
const paths = resolveBundledFontPaths();
const fonts = BUNDLED_FONTS.map((font, i) => ({ ...font, path: paths[i], group: lazyGroupOf(font.role) }));
/** The sliced fonts, in fallback order. */
const CHAIN = ['sc', 'jp', 'kr'];
const byRole = (role) => fonts.filter((font) => font.role === role).sort((a, b) => a.weight - b.weight);

/** What the slices are made from: the script's version and each source file's identity. */
const sources = fonts.filter((f) => f.group === undefined || CHAIN.includes(f.role));
const inputs = createHash('sha256')
  .update(String(VERSION))
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .update(JSON.stringify(sources.map((f) => [basename(f.path), statSync(f.path).size])))
  .digest('hex');

if (!process.argv.includes('--force') && upToDate()) process.exit(0);

const started = performance.now();
const unicodes = (path) => {
  const face = new HbFace(new HbBlob(readFileSync(path)), 0);
  try {
    return new Set(face.collectUnicodes());
  } finally {
    face.destroy?.();
  }
};

// Characters drawn without CJK fonts: the fonts loaded at start-up.
const taken = new Set();
for (const font of fonts.filter((f) => f.group === undefined)) for (const cp of unicodes(font.path)) taken.add(cp);

const isIdeograph = (cp) =>
  (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || cp >= 0x20000;
const isSyllable = (cp) => cp >= 0xac00 && cp <= 0xd7a3;
/** The characters of a double-byte legacy character set's rows, decoded with `encoding`. */
function legacyRows(encoding, firstRow, lastRow) {
  const decoder = new TextDecoder(encoding);
  const out = new Set();
  // Big5's second bytes are 0x40-0x7e and 0xa1-0xfe; the EUC sets' 0xa1-0xfe.
  const firstCol = encoding === 'big5' ? 0x40 : 0xa1;
  for (let row = firstRow; row <= lastRow; row++)
    for (let col = firstCol; col <= 0xfe; col++) {
      if (col > 0x7e && col < 0xa1) continue;
      const text = decoder.decode(Uint8Array.of(row, col));
      const cp = text.codePointAt(0);
      if ([...text].length === 1 && cp !== 0xfffd) out.add(cp);
    }
  return out;
}
const GB2312_LEVEL1 = legacyRows('gb18030', 0xb0, 0xd7);
const GB2312_LEVEL2 = legacyRows('gb18030', 0xd8, 0xf7);
const KSX1001_HANGUL = legacyRows('euc-kr', 0xb0, 0xc8);
/** Traditional Chinese (Big5 level 1) and Japanese (JIS X 0208 level 1) everyday characters. */
const BIG5_JIS_LEVEL1 = new Set([...legacyRows('big5', 0xa4, 0xc6), ...legacyRows('euc-jp', 0xb0, 0xcf)]);

/** A font's characters cut into slices: the common ones first, the others in chunks. */
function tiers(role, cps) {
  const sorted = [...cps].sort((a, b) => a - b);
  const chunks = (list) => {
    const out = [];
    for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
    return out;
  };
  if (role === 'sc') {
    const common = sorted.filter((cp) => !isIdeograph(cp) || GB2312_LEVEL1.has(cp));
    const level2 = sorted.filter((cp) => isIdeograph(cp) && GB2312_LEVEL2.has(cp));
    const tiered = new Set([...common, ...level2]);
    const traditional = sorted.filter((cp) => !tiered.has(cp) && BIG5_JIS_LEVEL1.has(cp));
    for (const cp of traditional) tiered.add(cp);
    return [common, level2, traditional, ...chunks(sorted.filter((cp) => !tiered.has(cp)))];
  }
  if (role === 'kr') {
    const common = sorted.filter((cp) => !isSyllable(cp) || KSX1001_HANGUL.has(cp));
    const rest = sorted.filter((cp) => isSyllable(cp) && !KSX1001_HANGUL.has(cp));
    return [common, ...chunks(rest)];
  }
  return chunks(sorted);
}

rmSync(`${OUT}.tmp`, { recursive: true, force: true });
mkdirSync(`${OUT}.tmp`, { recursive: true });
const slices = [];
for (const role of CHAIN) {
  const files = byRole(role);
  const own = [...unicodes(files[0].path)].filter((cp) => !taken.has(cp));
  for (const cp of own) taken.add(cp);
  for (const [n, cps] of tiers(role, own).entries()) {
    if (cps.length === 0) continue;
    const name = `cjk-${role}-${n}`;
    const text = String.fromCodePoint(...cps);
    const out = [];
    for (const font of files) {
      const file = `${name}-${font.weight}.otf`;
      const bytes = await subsetFont(readFileSync(font.path), text, { targetFormat: 'sfnt' });
      writeFileSync(join(`${OUT}.tmp`, file), bytes);
      out.push(file);
    }
    slices.push({ name, family: files[0].family, files: out, ranges: toRanges(cps) });
  }
}
writeFileSync(join(`${OUT}.tmp`, 'index.json'), JSON.stringify({ version: VERSION, inputs, slices }));
rmSync(OUT, { recursive: true, force: true });
renameSync(`${OUT}.tmp`, OUT);
const bytes = readdirSync(OUT).reduce((n, file) => n + statSync(join(OUT, file)).size, 0);
console.log(
  `slice-cjk: ${slices.length} slices of ${CHAIN.length} CJK families, ${(bytes / 1e6).toFixed(1)} MB, ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

function upToDate() {
  try {
    return JSON.parse(readFileSync(INDEX, 'utf8')).inputs === inputs;
  } catch {
    return false;
  }
}

/** Sorted code points as inclusive [from, to] ranges. */
function toRanges(cps) {
  const ranges = [];
  for (const cp of cps) {
    const last = ranges.at(-1);
    if (last && last[1] === cp - 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}
