/**
 * PDF inspection for the tests: pdf-lib (from functions/node_modules, where the pipeline gets it)
 * and the command-line tools poppler-utils (pdftotext, pdffonts) and qpdf, run on temp files.
 * `node test/setup/ensure-tools.mjs` installs the tools.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll } from 'vitest';
import type * as PdfLib from '../../functions/node_modules/pdf-lib/cjs/index.js';

const requireFromFunctions = createRequire(new URL('../../functions/package.json', import.meta.url));
/** The pdf-lib the pipeline uses (functions/node_modules/pdf-lib). */
export const pdfLib = requireFromFunctions('pdf-lib') as typeof PdfLib;

let tempDir: string | undefined;
let counter = 0;

// Vitest ends its fork workers without a normal process exit, so the temp dir is removed when
// the test file that imported this helper is done (this hook is registered at import time).
afterAll(() => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

/** A fresh directory under the OS temp dir, removed when the importing test file is done. */
export function testTempDir(): string {
  tempDir ??= mkdtempSync(join(tmpdir(), 'certforge-test-'));
  return tempDir;
}

/** Writes `pdf` to a new temp file and returns its path. */
export function writeTempPdf(pdf: Uint8Array, stem = 'certificate'): string {
  const path = join(testTempDir(), `${stem}-${process.pid}-${++counter}.pdf`);
  writeFileSync(path, pdf);
  return path;
}

/** Runs a tool and returns its stdout; a missing tool fails with what to install. */
export function runTool(bin: string, args: string[]): string {
  try {
    return execFileSync(bin, args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & {
      stderr?: string;
      status?: number;
    };
    if (e.code === 'ENOENT') {
      throw new Error(`${bin} is not installed: run \`node test/setup/ensure-tools.mjs\` (poppler-utils, qpdf)`, {
        cause: error,
      });
    }
    throw new Error(`${bin} ${args.join(' ')} failed (exit ${String(e.status)}): ${e.stderr ?? e.message}`, {
      cause: error,
    });
  }
}

/** `pdftotext -enc UTF-8 <file> -` (reading order, no -layout). */
export function pdfToText(pdf: Uint8Array): string {
  return runTool('pdftotext', ['-enc', 'UTF-8', writeTempPdf(pdf), '-']);
}

export interface PdfWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PdfPageWords {
  width: number;
  height: number;
  words: PdfWord[];
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

/** Word boxes (PDF points, origin top-left) of the first page from `pdftotext -bbox`. */
export function pdfWords(pdf: Uint8Array): PdfPageWords {
  const html = runTool('pdftotext', ['-enc', 'UTF-8', '-bbox', '-f', '1', '-l', '1', writeTempPdf(pdf), '-']);
  const page = /<page width="([\d.]+)" height="([\d.]+)">/.exec(html);
  if (!page) throw new Error(`pdftotext -bbox printed no page:\n${html.slice(0, 500)}`);
  const words: PdfWord[] = [];
  for (const m of html.matchAll(
    /<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g,
  )) {
    words.push({
      xMin: Number(m[1]),
      yMin: Number(m[2]),
      xMax: Number(m[3]),
      yMax: Number(m[4]),
      text: unescapeHtml(m[5]!),
    });
  }
  return { width: Number(page[1]), height: Number(page[2]), words };
}

export interface PdfFont {
  name: string;
  type: string;
  emb: string;
  sub: string;
  uni: string;
}

/** The rows of `pdffonts`. */
export function pdfFonts(pdf: Uint8Array): PdfFont[] {
  const out = runTool('pdffonts', [writeTempPdf(pdf)]);
  const lines = out.split('\n');
  const rule = lines.findIndex((line) => line.startsWith('-----'));
  if (rule < 0) throw new Error(`unexpected pdffonts output:\n${out}`);
  return lines
    .slice(rule + 1)
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      // name (no spaces) | type (may contain spaces) | encoding | emb | sub | uni | object ID (num gen)
      const cells = line.trim().split(/\s+/);
      const [uni, sub, emb] = cells.slice(-5, -2).reverse();
      return {
        name: cells[0]!,
        type: cells.slice(1, -6).join(' '),
        emb: emb!,
        sub: sub!,
        uni: uni!,
      };
    });
}

/**
 * The page's text lines as pdf.js (what Firefox and many web viewers use) extracts them:
 * text items in content order, joined while they continue one another on the same baseline
 * (an item that starts more than two font sizes from where the line ends opens a new one).
 */
export async function pdfJsLines(pdf: Uint8Array, pageNumber = 1): Promise<string[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    verbosity: 0,
    useSystemFonts: false,
  }).promise;
  try {
    const content = await (await doc.getPage(pageNumber)).getTextContent();
    const lines: { y: number; end: number; text: string }[] = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const [size, , , , x, y] = item.transform as number[];
      const last = lines.at(-1);
      if (last && Math.abs(last.y - y) < 2 && Math.abs(x - last.end) < 2 * Math.abs(size)) {
        last.text += item.str;
        last.end = x + item.width;
      } else lines.push({ y, end: x + item.width, text: item.str });
    }
    return lines.map((l) => l.text.trim());
  } finally {
    await doc.destroy();
  }
}

/**
 * The PDF's bytes followed by the inflated data of each of its Flate streams, so that a test can
 * look for what sits in compressed object streams (font names, dictionaries) and in the XMP
 * packet, as a reader sees them. Streams whose length is not a direct number are skipped.
 */
export function inflatedPdf(pdf: Uint8Array): Buffer {
  const bytes = Buffer.from(pdf);
  const parts: Buffer[] = [bytes];
  const marker = Buffer.from('>>\nstream\n');
  let at = 0;
  for (;;) {
    const found = bytes.indexOf(marker, at);
    if (found < 0) break;
    const dataStart = found + marker.length;
    const dictStart = bytes.lastIndexOf('obj', found);
    const dict = bytes.subarray(Math.max(0, dictStart), found).toString('latin1');
    const length = /\/Length (\d+)(?![\d ]*R)/.exec(dict);
    at = dataStart;
    if (!length || !dict.includes('/FlateDecode')) continue;
    const end = dataStart + Number(length[1]);
    try {
      parts.push(Buffer.from('\n'), inflateSync(bytes.subarray(dataStart, end)));
    } catch {
      // not zlib data after all: left as it is
    }
    at = end;
  }
  return Buffer.concat(parts);
}
