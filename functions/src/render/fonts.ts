/**
 * Font bytes for the render core: the bundled OFL fonts (see font-manifest.ts) and the
 * fonts of a directory (a template's own fonts, `--fonts <dir>` in the CLI).
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { CoreFont } from './core.js';
import { CertforgeError } from './errors.js';
import { BUNDLED_FONTS, LAZY_ROLES, resolveBundledFontPaths } from './font-manifest.js';

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
 * The bundled fonts as files, in manifest order: the core reads each one when it adds it,
 * so the ~60 MB never sit in JavaScript memory all at once nor stay there.
 */
export function bundledFontFiles(which: 'all' | 'eager' | 'lazy' = 'all'): CoreFont[] {
  const paths = resolveBundledFontPaths();
  return BUNDLED_FONTS.flatMap((font, i) => {
    const lazy = LAZY_ROLES.has(font.role);
    if ((which === 'eager' && lazy) || (which === 'lazy' && !lazy)) return [];
    return [{ path: paths[i], name: basename(paths[i]) }];
  });
}

/** Family names of the fonts loaded on first need. */
export function lazyFamilies(): string[] {
  return [...new Set(BUNDLED_FONTS.filter((font) => LAZY_ROLES.has(font.role)).map((font) => font.family))];
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
