/**
 * Font bytes for the render core: the bundled OFL fonts (see font-manifest.ts) and the
 * fonts of a directory (a template's own fonts, `--fonts <dir>` in the CLI).
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { CoreFont } from './core.js';
import { CertforgeError } from './errors.js';
import { BUNDLED_FONTS, LAZY_GROUPS, lazyGroupOf, resolveBundledFontPaths } from './font-manifest.js';
import { sliceFiles, sliceNames, sliceOf } from './font-slices.js';

const FONT_EXTENSIONS = new Set(['.ttf', '.otf', '.ttc']);

/** A font file's bytes; FONT_INVALID when it cannot be read. */
export function readFontFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new CertforgeError(
      'FONT_INVALID',
      `Cannot read font file ${path}: ${(error as Error).message}`,
      { path },
      { cause: error },
    );
  }
}

/** Bytes of every bundled font, in manifest order (the fallback order of the core). */
export async function loadBundledFonts(): Promise<Uint8Array[]> {
  return resolveBundledFontPaths().map(readFontFile);
}

/**
 * Bundled fonts as files, in manifest order: the core reads each one when it adds it, so
 * the ~65 MB never sit in JavaScript memory all at once nor stay there. `'eager'` are the
 * fonts loaded at start-up, `'lazy'` all the others (the CJK slices included), a group name
 * (LAZY_GROUPS, or a CJK slice: font-slices.ts) one group.
 */
export function bundledFontFiles(which: 'all' | 'eager' | 'lazy' | string = 'all'): CoreFont[] {
  // The slice index is read only when a slice is asked for (not at start-up).
  const manifest = which === 'all' || which === 'eager' || which === 'lazy' || which in LAZY_GROUPS;
  const slice = manifest ? undefined : sliceFiles(which);
  if (slice) return slice;
  const paths = resolveBundledFontPaths();
  const files = BUNDLED_FONTS.flatMap((font, i): CoreFont[] => {
    const group = lazyGroupOf(font.role);
    const wanted =
      which === 'all' ||
      (which === 'eager' && group === undefined) ||
      (which === 'lazy' && group !== undefined) ||
      which === group;
    const use = group === undefined ? undefined : LAZY_GROUPS[group]!.use;
    return wanted ? [{ path: paths[i]!, name: basename(paths[i]!), ...(use ? { use } : {}) }] : [];
  });
  return which === 'lazy' ? [...files, ...sliceNames().flatMap((name) => sliceFiles(name)!)] : files;
}

/** Family names of the fonts loaded on first need, by lazy group. */
export function lazyFamilies(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const font of BUNDLED_FONTS) {
    const group = lazyGroupOf(font.role);
    if (group === undefined) continue;
    const families = out.get(group) ?? [];
    if (!families.includes(font.family)) families.push(font.family);
    out.set(group, families);
  }
  return out;
}

/** The lazy groups that serve fallback (all but the CJK fonts named by templates). */
export function fallbackGroups(): string[] {
  return Object.keys(LAZY_GROUPS).filter((group) => LAZY_GROUPS[group]!.use !== 'named');
}

/**
 * The lazy groups to load for `chars` that no loaded font draws, not loaded yet: the CJK
 * slices of the characters a CJK font has (font-slices.ts), and the script groups whose ranges
 * hold the others; every script group when one of them is in no slice and no range (a
 * character no bundled script range names: let every font have a try).
 */
export function lazyGroupsFor(chars: string, loaded: ReadonlySet<string> = new Set()): string[] {
  const groups = new Set<string>();
  const others: number[] = [];
  for (const char of chars) {
    // Spaces, controls and format characters need no glyph (the core never reports them).
    if (/[\s\p{Cc}\p{Cf}]/u.test(char)) continue;
    const cp = char.codePointAt(0)!;
    const slice = sliceOf(cp);
    if (slice) groups.add(slice);
    else others.push(cp);
  }
  const fallback = fallbackGroups();
  const inRange = (group: string, cp: number) =>
    LAZY_GROUPS[group]!.ranges.some(([from, to]) => cp >= from && cp <= to);
  for (const cp of others) {
    const named = fallback.filter((group) => inRange(group, cp));
    for (const group of named.length > 0 ? named : fallback) groups.add(group);
  }
  return [...groups].filter((group) => !loaded.has(group));
}

/** The .ttf/.otf/.ttc files directly inside `dir`, sorted by name. FONT_INVALID if none or unreadable. */
export async function loadFontDir(dir: string): Promise<Uint8Array[]> {
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries
      .filter((entry) => entry.isFile() && FONT_EXTENSIONS.has(extname(entry.name).toLowerCase()))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new CertforgeError(
      'FONT_INVALID',
      `Cannot read font directory ${dir}: ${(error as Error).message}`,
      { dir },
      { cause: error },
    );
  }
  if (names.length === 0) {
    throw new CertforgeError('FONT_INVALID', `No .ttf, .otf or .ttc files in ${dir}`, { dir });
  }
  return names.map((name) => readFontFile(join(dir, name)));
}
