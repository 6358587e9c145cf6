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
 * fonts loaded at start-up, `'lazy'` all the others, a group name (LAZY_GROUPS) one group.
 */
export function bundledFontFiles(which: 'all' | 'eager' | 'lazy' | string = 'all'): CoreFont[] {
  const paths = resolveBundledFontPaths();
  return BUNDLED_FONTS.flatMap((font, i) => {
    const group = lazyGroupOf(font.role);
    const wanted =
      which === 'all' ||
      (which === 'eager' && group === undefined) ||
      (which === 'lazy' && group !== undefined) ||
      which === group;
    return wanted ? [{ path: paths[i]!, name: basename(paths[i]!) }] : [];
  });
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

/**
 * The lazy groups to load for `chars` that no loaded font draws, in LAZY_GROUPS order: those
 * whose ranges hold one of them, not loaded yet, and of a chain (LazyGroup.after) only the
 * first one not loaded; every group when no range holds one of them (a character no bundled
 * script range names: let every font have a try). Empty when every group they call for is
 * loaded.
 */
export function lazyGroupsFor(chars: string, loaded: ReadonlySet<string> = new Set()): string[] {
  const points = [...chars].map((c) => c.codePointAt(0)!);
  const named = Object.keys(LAZY_GROUPS).filter((group) =>
    LAZY_GROUPS[group]!.ranges.some(([from, to]) => points.some((p) => p >= from && p <= to)),
  );
  if (named.length === 0) return Object.keys(LAZY_GROUPS);
  return named.filter((group) => {
    const after = LAZY_GROUPS[group]!.after;
    return !loaded.has(group) && (after === undefined || loaded.has(after));
  });
}

/** `group` after the groups of its chain that come before it (LazyGroup.after), first first. */
export function lazyChain(group: string): string[] {
  const chain: string[] = [];
  for (let g: string | undefined = group; g !== undefined && !chain.includes(g); g = LAZY_GROUPS[g]?.after) {
    chain.unshift(g);
  }
  return chain;
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
