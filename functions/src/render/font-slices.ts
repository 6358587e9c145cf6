/**
 * The CJK fonts cut into slices by character (functions/fonts/slice-cjk.mjs, run by the build):
 * a text that needs a Chinese, Japanese or Korean character loads the slice of that character
 * (0.1-1.4 MB per weight) for fallback, not the whole font (4.6-8.6 MB per weight).
 *
 * The slices of the three fonts cover disjoint characters (each character in the slices of the
 * first font of S Chinese, Japanese, Korean that has it), and the core uses them for fallback
 * only (CoreFont.use 'fallback': they answer to no family name), so a character falls back to
 * the same glyph whichever slices were loaded before. A template that names a CJK family gets
 * the whole font, by name only (font-manifest.ts, LAZY_GROUPS).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CoreFont } from './core.js';
import { CertforgeError } from './errors.js';

const DIR = new URL('../../fonts/cjk/', import.meta.url);

interface SliceIndex {
  version: number;
  slices: Array<{ name: string; family: string; files: string[]; ranges: Array<[number, number]> }>;
}

interface Slices {
  /** Slice name → its font files (one per weight). */
  files: Map<string, CoreFont[]>;
  /** Every slice's ranges, sorted by start: [start, end, slice name]. */
  starts: Uint32Array;
  ends: Uint32Array;
  names: string[];
}

let loaded: Slices | undefined;

/** The index, read once (a failed read is tried again on the next call). */
function slices(): Slices {
  return (loaded ??= readIndex());
}

function readIndex(): Slices {
  let index: SliceIndex;
  try {
    index = JSON.parse(readFileSync(new URL('index.json', DIR), 'utf8')) as SliceIndex;
  } catch (error) {
    throw new CertforgeError(
      'NOT_INITIALIZED',
      `The CJK font slices are missing (${(error as Error).message}); npm run build makes them`,
      {},
      { cause: error },
    );
  }
  const rows = index.slices.flatMap((slice) => slice.ranges.map(([from, to]) => [from, to, slice.name] as const));
  rows.sort((a, b) => a[0] - b[0]);
  return {
    files: new Map(
      index.slices.map((slice) => [
        slice.name,
        slice.files.map((file) => ({ path: fileURLToPath(new URL(file, DIR)), name: file, use: 'fallback' as const })),
      ]),
    ),
    starts: Uint32Array.from(rows, (row) => row[0]),
    ends: Uint32Array.from(rows, (row) => row[1]),
    names: rows.map((row) => row[2]),
  };
}

/** The slice holding code point `cp`, if a CJK font has it. */
export function sliceOf(cp: number): string | undefined {
  const { starts, ends, names } = slices();
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! > cp) hi = mid - 1;
    else if (ends[mid]! < cp) lo = mid + 1;
    else return names[mid];
  }
  return undefined;
}

/** A slice's font files (one per weight), or undefined when `name` is not a slice. */
export function sliceFiles(name: string): CoreFont[] | undefined {
  return slices().files.get(name);
}

/** Every slice's name. */
export function sliceNames(): string[] {
  return [...slices().files.keys()];
}
