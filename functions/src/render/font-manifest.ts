/**
 * The OFL fonts certforge bundles (npm packages listed in functions/package.json).
 *
 * `family` is the family name the font file itself declares, as a font matcher
 * (fontdb/usvg) sees it: the typographic family (name ID 16) when the file has
 * one, else the family (name ID 1). Templates must use exactly these names in
 * `font-family`. Checked with fontTools against the installed files:
 *
 * - The CJK files are Noto Sans CJK v1.000 (2014) builds. They call themselves
 *   "Noto Sans S Chinese", "Noto Sans Japanese" and "Noto Sans Korean"
 *   (name ID 1 is "<family> Regular" / "<family> Bold"), NOT "Noto Sans SC/JP/KR".
 * - NotoSansHebrew-Bold.ttf has OS/2 usWeightClass 600 (not 700); it is still
 *   the nearest match for font-weight="bold".
 *
 * Coverage (cmap):
 * - Noto Sans: Basic Latin, Latin-1, Latin Extended-A/B and Vietnamese
 *   (all precomposed letters), so Polish, Turkish, Czech/Slovak, Romanian and
 *   Icelandic; Greek (monotonic + polytonic); Cyrillic incl. Ukrainian,
 *   Serbian and Macedonian letters; general punctuation (en/em dash, quotes, №).
 * - Noto Naskh Arabic: Arabic incl. Persian/Urdu letters, Arabic-Indic digits.
 * - Noto Sans Hebrew: Hebrew letters and points.
 * - Noto Sans S Chinese: all 20,902 CJK Unified Ideographs (U+4E00-U+9FA5),
 *   kana, Latin-1, Vietnamese, Russian Cyrillic.
 * - Noto Sans Japanese: kana + 12,733 ideographs (JIS); Noto Sans Korean: all
 *   11,172 Hangul syllables + 7,981 ideographs (KS X 1001).
 * - Playfair Display / Montserrat / Great Vibes: Latin (incl. Vietnamese, Polish,
 *   Turkish, Czech, Icelandic) and Cyrillic (Russian, Ukrainian, Serbian); no
 *   Greek (only a few symbols such as Ω, π), so Greek and every non-Latin,
 *   non-Cyrillic script falls back to the Noto families.
 *
 * Order: the Noto families come first and the display fonts last, so that a
 * loader that falls back in load order picks a Noto font for characters the
 * requested family lacks.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * `metric`: Arimo, Tinos and Cousine (the ChromeOS core fonts, OFL), the free faces with
 * the metrics of Arial/Helvetica, Times New Roman and Courier New, loaded when a template names
 * a family no loaded font has (wasm/core/src/font_match.rs chooses them).
 */
export type BundledFontRole =
  'latin' | 'arabic' | 'hebrew' | 'sc' | 'jp' | 'kr' | 'display' | 'script' | 'metric' | BundledScript;

/** The scripts with a bundled Noto Sans family of their own, each loaded on first need. */
export type BundledScript =
  | 'devanagari'
  | 'bengali'
  | 'gurmukhi'
  | 'gujarati'
  | 'oriya'
  | 'tamil'
  | 'telugu'
  | 'kannada'
  | 'malayalam'
  | 'sinhala'
  | 'thai'
  | 'lao'
  | 'khmer'
  | 'myanmar'
  | 'georgian'
  | 'armenian'
  | 'ethiopic';

export interface BundledFont {
  /** npm package name */
  package: string;
  /** path of the font file inside the package */
  file: string;
  /** family name from the font's name table (what templates write in font-family) */
  family: string;
  role: BundledFontRole;
  /** OS/2 usWeightClass of the file */
  weight: number;
  style: 'normal' | 'italic';
}

/**
 * In fallback order. The CJK fonts (35 MB) come last: fallback uses their slices, loaded per
 * character (font-slices.ts), and the whole fonts load only for a template that names their
 * family, so loading them late never changes which font another character falls back to.
 */
export const BUNDLED_FONTS: readonly BundledFont[] = [
  {
    package: '@embedpdf/fonts-latin',
    file: 'fonts/NotoSans-Regular.ttf',
    family: 'Noto Sans',
    role: 'latin',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-latin',
    file: 'fonts/NotoSans-Bold.ttf',
    family: 'Noto Sans',
    role: 'latin',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-arabic',
    file: 'fonts/NotoNaskhArabic-Regular.ttf',
    family: 'Noto Naskh Arabic',
    role: 'arabic',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-arabic',
    file: 'fonts/NotoNaskhArabic-Bold.ttf',
    family: 'Noto Naskh Arabic',
    role: 'arabic',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-hebrew',
    file: 'fonts/NotoSansHebrew-Regular.ttf',
    family: 'Noto Sans Hebrew',
    role: 'hebrew',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-hebrew',
    file: 'fonts/NotoSansHebrew-Bold.ttf',
    family: 'Noto Sans Hebrew',
    role: 'hebrew',
    weight: 600,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/playfair-display',
    file: '400Regular/PlayfairDisplay_400Regular.ttf',
    family: 'Playfair Display',
    role: 'display',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/playfair-display',
    file: '700Bold/PlayfairDisplay_700Bold.ttf',
    family: 'Playfair Display',
    role: 'display',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/playfair-display',
    file: '400Regular_Italic/PlayfairDisplay_400Regular_Italic.ttf',
    family: 'Playfair Display',
    role: 'display',
    weight: 400,
    style: 'italic',
  },
  {
    package: '@expo-google-fonts/montserrat',
    file: '400Regular/Montserrat_400Regular.ttf',
    family: 'Montserrat',
    role: 'display',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/montserrat',
    file: '700Bold/Montserrat_700Bold.ttf',
    family: 'Montserrat',
    role: 'display',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/great-vibes',
    file: '400Regular/GreatVibes_400Regular.ttf',
    family: 'Great Vibes',
    role: 'script',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-devanagari',
    file: '400Regular/NotoSansDevanagari_400Regular.ttf',
    family: 'Noto Sans Devanagari',
    role: 'devanagari',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-devanagari',
    file: '700Bold/NotoSansDevanagari_700Bold.ttf',
    family: 'Noto Sans Devanagari',
    role: 'devanagari',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-bengali',
    file: '400Regular/NotoSansBengali_400Regular.ttf',
    family: 'Noto Sans Bengali',
    role: 'bengali',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-bengali',
    file: '700Bold/NotoSansBengali_700Bold.ttf',
    family: 'Noto Sans Bengali',
    role: 'bengali',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-gurmukhi',
    file: '400Regular/NotoSansGurmukhi_400Regular.ttf',
    family: 'Noto Sans Gurmukhi',
    role: 'gurmukhi',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-gurmukhi',
    file: '700Bold/NotoSansGurmukhi_700Bold.ttf',
    family: 'Noto Sans Gurmukhi',
    role: 'gurmukhi',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-gujarati',
    file: '400Regular/NotoSansGujarati_400Regular.ttf',
    family: 'Noto Sans Gujarati',
    role: 'gujarati',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-gujarati',
    file: '700Bold/NotoSansGujarati_700Bold.ttf',
    family: 'Noto Sans Gujarati',
    role: 'gujarati',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-oriya',
    file: '400Regular/NotoSansOriya_400Regular.ttf',
    family: 'Noto Sans Oriya',
    role: 'oriya',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-oriya',
    file: '700Bold/NotoSansOriya_700Bold.ttf',
    family: 'Noto Sans Oriya',
    role: 'oriya',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-tamil',
    file: '400Regular/NotoSansTamil_400Regular.ttf',
    family: 'Noto Sans Tamil',
    role: 'tamil',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-tamil',
    file: '700Bold/NotoSansTamil_700Bold.ttf',
    family: 'Noto Sans Tamil',
    role: 'tamil',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-telugu',
    file: '400Regular/NotoSansTelugu_400Regular.ttf',
    family: 'Noto Sans Telugu',
    role: 'telugu',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-telugu',
    file: '700Bold/NotoSansTelugu_700Bold.ttf',
    family: 'Noto Sans Telugu',
    role: 'telugu',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-kannada',
    file: '400Regular/NotoSansKannada_400Regular.ttf',
    family: 'Noto Sans Kannada',
    role: 'kannada',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-kannada',
    file: '700Bold/NotoSansKannada_700Bold.ttf',
    family: 'Noto Sans Kannada',
    role: 'kannada',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-malayalam',
    file: '400Regular/NotoSansMalayalam_400Regular.ttf',
    family: 'Noto Sans Malayalam',
    role: 'malayalam',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-malayalam',
    file: '700Bold/NotoSansMalayalam_700Bold.ttf',
    family: 'Noto Sans Malayalam',
    role: 'malayalam',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-sinhala',
    file: '400Regular/NotoSansSinhala_400Regular.ttf',
    family: 'Noto Sans Sinhala',
    role: 'sinhala',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-sinhala',
    file: '700Bold/NotoSansSinhala_700Bold.ttf',
    family: 'Noto Sans Sinhala',
    role: 'sinhala',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-thai',
    file: '400Regular/NotoSansThai_400Regular.ttf',
    family: 'Noto Sans Thai',
    role: 'thai',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-thai',
    file: '700Bold/NotoSansThai_700Bold.ttf',
    family: 'Noto Sans Thai',
    role: 'thai',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-lao',
    file: '400Regular/NotoSansLao_400Regular.ttf',
    family: 'Noto Sans Lao',
    role: 'lao',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-lao',
    file: '700Bold/NotoSansLao_700Bold.ttf',
    family: 'Noto Sans Lao',
    role: 'lao',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-khmer',
    file: '400Regular/NotoSansKhmer_400Regular.ttf',
    family: 'Noto Sans Khmer',
    role: 'khmer',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-khmer',
    file: '700Bold/NotoSansKhmer_700Bold.ttf',
    family: 'Noto Sans Khmer',
    role: 'khmer',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-myanmar',
    file: '400Regular/NotoSansMyanmar_400Regular.ttf',
    family: 'Noto Sans Myanmar',
    role: 'myanmar',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-myanmar',
    file: '700Bold/NotoSansMyanmar_700Bold.ttf',
    family: 'Noto Sans Myanmar',
    role: 'myanmar',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-georgian',
    file: '400Regular/NotoSansGeorgian_400Regular.ttf',
    family: 'Noto Sans Georgian',
    role: 'georgian',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-georgian',
    file: '700Bold/NotoSansGeorgian_700Bold.ttf',
    family: 'Noto Sans Georgian',
    role: 'georgian',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-armenian',
    file: '400Regular/NotoSansArmenian_400Regular.ttf',
    family: 'Noto Sans Armenian',
    role: 'armenian',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-armenian',
    file: '700Bold/NotoSansArmenian_700Bold.ttf',
    family: 'Noto Sans Armenian',
    role: 'armenian',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-ethiopic',
    file: '400Regular/NotoSansEthiopic_400Regular.ttf',
    family: 'Noto Sans Ethiopic',
    role: 'ethiopic',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/noto-sans-ethiopic',
    file: '700Bold/NotoSansEthiopic_700Bold.ttf',
    family: 'Noto Sans Ethiopic',
    role: 'ethiopic',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-sc',
    file: 'fonts/NotoSansHans-Regular.otf',
    family: 'Noto Sans S Chinese',
    role: 'sc',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-sc',
    file: 'fonts/NotoSansHans-Bold.otf',
    family: 'Noto Sans S Chinese',
    role: 'sc',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-jp',
    file: 'fonts/NotoSansJP-Regular.otf',
    family: 'Noto Sans Japanese',
    role: 'jp',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-jp',
    file: 'fonts/NotoSansJP-Bold.otf',
    family: 'Noto Sans Japanese',
    role: 'jp',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-kr',
    file: 'fonts/NotoSansKR-Regular.otf',
    family: 'Noto Sans Korean',
    role: 'kr',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@embedpdf/fonts-kr',
    file: 'fonts/NotoSansKR-Bold.otf',
    family: 'Noto Sans Korean',
    role: 'kr',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/arimo',
    file: '400Regular/Arimo_400Regular.ttf',
    family: 'Arimo',
    role: 'metric',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/arimo',
    file: '400Regular_Italic/Arimo_400Regular_Italic.ttf',
    family: 'Arimo',
    role: 'metric',
    weight: 400,
    style: 'italic',
  },
  {
    package: '@expo-google-fonts/arimo',
    file: '700Bold/Arimo_700Bold.ttf',
    family: 'Arimo',
    role: 'metric',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/arimo',
    file: '700Bold_Italic/Arimo_700Bold_Italic.ttf',
    family: 'Arimo',
    role: 'metric',
    weight: 700,
    style: 'italic',
  },
  {
    package: '@expo-google-fonts/tinos',
    file: '400Regular/Tinos_400Regular.ttf',
    family: 'Tinos',
    role: 'metric',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/tinos',
    file: '400Regular_Italic/Tinos_400Regular_Italic.ttf',
    family: 'Tinos',
    role: 'metric',
    weight: 400,
    style: 'italic',
  },
  {
    package: '@expo-google-fonts/tinos',
    file: '700Bold/Tinos_700Bold.ttf',
    family: 'Tinos',
    role: 'metric',
    weight: 700,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/tinos',
    file: '700Bold_Italic/Tinos_700Bold_Italic.ttf',
    family: 'Tinos',
    role: 'metric',
    weight: 700,
    style: 'italic',
  },
  {
    package: '@expo-google-fonts/cousine',
    file: '400Regular/Cousine_400Regular.ttf',
    family: 'Cousine',
    role: 'metric',
    weight: 400,
    style: 'normal',
  },
  {
    package: '@expo-google-fonts/cousine',
    file: '700Bold/Cousine_700Bold.ttf',
    family: 'Cousine',
    role: 'metric',
    weight: 700,
    style: 'normal',
  },
];

/**
 * The directory of an installed package. `pkg/package.json` is tried first;
 * packages whose `exports` map hides it (the @embedpdf/fonts-* packages do:
 * ERR_PACKAGE_PATH_NOT_EXPORTED) are found by resolving their main entry and
 * walking up to the directory whose package.json has that name.
 */
function packageDir(require: NodeJS.Require, pkg: string): string {
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw err;
  }
  let dir = path.dirname(require.resolve(pkg));
  for (;;) {
    try {
      const manifest = require(path.join(dir, 'package.json')) as { name?: unknown };
      if (manifest.name === pkg) return dir;
    } catch {
      // no package.json here; keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot locate the directory of package ${pkg}`);
    dir = parent;
  }
}

/** Absolute paths of the BUNDLED_FONTS files, in manifest order. */
export function resolveBundledFontPaths(): string[] {
  const require = createRequire(import.meta.url);
  const dirs = new Map<string, string>();
  return BUNDLED_FONTS.map((font) => {
    let dir = dirs.get(font.package);
    if (dir === undefined) {
      dir = packageDir(require, font.package);
      dirs.set(font.package, dir);
    }
    return path.join(dir, font.file);
  });
}

/** A lazy group: its fonts and the characters that call for it. */
export interface LazyGroup {
  roles: readonly BundledFontRole[];
  ranges: readonly (readonly [number, number])[];
  /**
   * `'named'`: loaded only when a template names one of its families, and then used by name
   * only, never for fallback: the CJK fonts, whose fallback is served by their slices
   * (font-slices.ts), which load per character.
   */
  use?: 'named';
}

/**
 * Fonts loaded on first need rather than at start-up, in groups: a group is loaded when a
 * text needs a character in its ranges that no loaded font has, or when a template names
 * one of its families. Every script is its own group (50–370 KB per file), so a Tamil name
 * costs the Tamil fonts only.
 *
 * The CJK fonts (35 MB) serve fallback through slices cut at build time (font-slices.ts): a
 * Chinese, Japanese or Korean name loads the slices of its characters, 1–3 MB for an everyday
 * name. A character is drawn with the first of S Chinese, Japanese and Korean that has it,
 * whichever slices were loaded before. The whole fonts load only for a template that names
 * "Noto Sans S Chinese", "Noto Sans Japanese" or "Noto Sans Korean", for its text in that
 * family.
 */
export const LAZY_GROUPS: Readonly<Record<string, LazyGroup>> = {
  'cjk-sc': { roles: ['sc'], ranges: [], use: 'named' },
  'cjk-jp': { roles: ['jp'], ranges: [], use: 'named' },
  'cjk-kr': { roles: ['kr'], ranges: [], use: 'named' },
  devanagari: {
    roles: ['devanagari'],
    ranges: [
      [0x0900, 0x097f],
      [0x1cd0, 0x1cff],
      [0xa8e0, 0xa8ff],
    ],
  },
  bengali: { roles: ['bengali'], ranges: [[0x0980, 0x09ff]] },
  gurmukhi: { roles: ['gurmukhi'], ranges: [[0x0a00, 0x0a7f]] },
  gujarati: { roles: ['gujarati'], ranges: [[0x0a80, 0x0aff]] },
  oriya: { roles: ['oriya'], ranges: [[0x0b00, 0x0b7f]] },
  tamil: {
    roles: ['tamil'],
    ranges: [
      [0x0b80, 0x0bff],
      [0x11fc0, 0x11fff],
    ],
  },
  telugu: { roles: ['telugu'], ranges: [[0x0c00, 0x0c7f]] },
  kannada: { roles: ['kannada'], ranges: [[0x0c80, 0x0cff]] },
  malayalam: { roles: ['malayalam'], ranges: [[0x0d00, 0x0d7f]] },
  sinhala: {
    roles: ['sinhala'],
    ranges: [
      [0x0d80, 0x0dff],
      [0x111e0, 0x111ff],
    ],
  },
  thai: { roles: ['thai'], ranges: [[0x0e00, 0x0e7f]] },
  lao: { roles: ['lao'], ranges: [[0x0e80, 0x0eff]] },
  khmer: {
    roles: ['khmer'],
    ranges: [
      [0x1780, 0x17ff],
      [0x19e0, 0x19ff],
    ],
  },
  myanmar: {
    roles: ['myanmar'],
    ranges: [
      [0x1000, 0x109f],
      [0xa9e0, 0xa9ff],
      [0xaa60, 0xaa7f],
    ],
  },
  georgian: {
    roles: ['georgian'],
    ranges: [
      [0x10a0, 0x10ff],
      [0x1c90, 0x1cbf],
      [0x2d00, 0x2d2f],
    ],
  },
  armenian: {
    roles: ['armenian'],
    ranges: [
      [0x0530, 0x058f],
      [0xfb13, 0xfb17],
    ],
  },
  // No ranges: loaded when the core substitutes a family (FONT_SUBSTITUTED), or names it.
  metric: { roles: ['metric'], ranges: [] },
  ethiopic: {
    roles: ['ethiopic'],
    ranges: [
      [0x1200, 0x139f],
      [0x2d80, 0x2ddf],
      [0xab00, 0xab2f],
      [0x1e7e0, 0x1e7ff],
    ],
  },
};

/** The lazy group a font role belongs to, or undefined for the fonts loaded at start-up. */
export function lazyGroupOf(role: BundledFontRole): string | undefined {
  return Object.keys(LAZY_GROUPS).find((group) => LAZY_GROUPS[group]!.roles.includes(role));
}
