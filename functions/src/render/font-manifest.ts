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

export type BundledFontRole =
  | 'latin'
  | 'arabic'
  | 'hebrew'
  | 'sc'
  | 'jp'
  | 'kr'
  | 'display'
  | 'script';

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
 * In fallback order. The CJK fonts (35 MB) come last: the renderer loads them on first
 * need (a character nothing else draws, or a template that names their family), so
 * loading them late never changes which font another character falls back to.
 */
export const BUNDLED_FONTS: readonly BundledFont[] = [
  { package: '@embedpdf/fonts-latin', file: 'fonts/NotoSans-Regular.ttf', family: 'Noto Sans', role: 'latin', weight: 400, style: 'normal' },
  { package: '@embedpdf/fonts-latin', file: 'fonts/NotoSans-Bold.ttf', family: 'Noto Sans', role: 'latin', weight: 700, style: 'normal' },
  { package: '@embedpdf/fonts-arabic', file: 'fonts/NotoNaskhArabic-Regular.ttf', family: 'Noto Naskh Arabic', role: 'arabic', weight: 400, style: 'normal' },
  { package: '@embedpdf/fonts-arabic', file: 'fonts/NotoNaskhArabic-Bold.ttf', family: 'Noto Naskh Arabic', role: 'arabic', weight: 700, style: 'normal' },
  { package: '@embedpdf/fonts-hebrew', file: 'fonts/NotoSansHebrew-Regular.ttf', family: 'Noto Sans Hebrew', role: 'hebrew', weight: 400, style: 'normal' },
  { package: '@embedpdf/fonts-hebrew', file: 'fonts/NotoSansHebrew-Bold.ttf', family: 'Noto Sans Hebrew', role: 'hebrew', weight: 600, style: 'normal' },
  { package: '@expo-google-fonts/playfair-display', file: '400Regular/PlayfairDisplay_400Regular.ttf', family: 'Playfair Display', role: 'display', weight: 400, style: 'normal' },
  { package: '@expo-google-fonts/playfair-display', file: '700Bold/PlayfairDisplay_700Bold.ttf', family: 'Playfair Display', role: 'display', weight: 700, style: 'normal' },
  { package: '@expo-google-fonts/playfair-display', file: '400Regular_Italic/PlayfairDisplay_400Regular_Italic.ttf', family: 'Playfair Display', role: 'display', weight: 400, style: 'italic' },
  { package: '@expo-google-fonts/montserrat', file: '400Regular/Montserrat_400Regular.ttf', family: 'Montserrat', role: 'display', weight: 400, style: 'normal' },
  { package: '@expo-google-fonts/montserrat', file: '700Bold/Montserrat_700Bold.ttf', family: 'Montserrat', role: 'display', weight: 700, style: 'normal' },
  { package: '@expo-google-fonts/great-vibes', file: '400Regular/GreatVibes_400Regular.ttf', family: 'Great Vibes', role: 'script', weight: 400, style: 'normal' },
  { package: '@embedpdf/fonts-sc', file: 'fonts/NotoSansHans-Regular.otf', family: 'Noto Sans S Chinese', role: 'sc', weight: 400, style: 'normal' },
  { package: '@embedpdf/fonts-sc', file: 'fonts/NotoSansHans-Bold.otf', family: 'Noto Sans S Chinese', role: 'sc', weight: 700, style: 'normal' },
  { package: '@embedpdf/fonts-jp', file: 'fonts/NotoSansJP-Regular.otf', family: 'Noto Sans Japanese', role: 'jp', weight: 400, style: 'normal' },
  { package: '@embedpdf/fonts-jp', file: 'fonts/NotoSansJP-Bold.otf', family: 'Noto Sans Japanese', role: 'jp', weight: 700, style: 'normal' },
  { package: '@embedpdf/fonts-kr', file: 'fonts/NotoSansKR-Regular.otf', family: 'Noto Sans Korean', role: 'kr', weight: 400, style: 'normal' },
  { package: '@embedpdf/fonts-kr', file: 'fonts/NotoSansKR-Bold.otf', family: 'Noto Sans Korean', role: 'kr', weight: 700, style: 'normal' },
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

/** Roles loaded on first need rather than at start-up. */
export const LAZY_ROLES: ReadonlySet<BundledFontRole> = new Set(['sc', 'jp', 'kr']);
