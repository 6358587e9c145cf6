/**
 * The docs against the code, so that what the docs repeat cannot drift:
 * - docs/architecture.md's WASM boundary table names exactly the exports of wasm/wasm/src/lib.rs,
 *   each with its number of parameters;
 * - docs/architecture.md's "Error codes" (the one place the docs list them) names every code of
 *   the Rust core and of the TypeScript code lists (the five layers' lists, and any other
 *   `export const …CODES = [...]` or `…_CODE = '…'` of functions/src), and no code the code does
 *   not know;
 * - every path of the README's file map exists, and the map names every top-level folder and
 *   every folder of functions/src.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ERROR_CODES } from '../../functions/src/bundle/pdf-bundle.js';
import { CREDENTIAL_CODES } from '../../functions/src/credential/errors.js';
import { FILE_ERROR_CODES, ROW_ERROR_CODES } from '../../functions/src/import/errors.js';
import { ISSUE_ONLY_CODES } from '../../functions/src/issue/errors.js';
import { ERROR_CODES } from '../../functions/src/render/errors.js';
import { rootPath } from '../helpers/fixtures.js';

const read = (relative: string): string => readFileSync(rootPath(relative), 'utf8');

/** The lines of a markdown section: from its heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${heading}`));
  if (start < 0) throw new Error(`no section "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => {
    const m = /^(#+) /.exec(line);
    return m !== null && m[1]!.length <= level;
  });
  return end < 0 ? rest : rest.slice(0, end);
}

/** The cells of a markdown table row (`| a | b |`), or null for other lines and the separator row. */
function cells(line: string): string[] | null {
  if (!line.startsWith('|') || /^\|[-:| ]+\|$/.test(line)) return null;
  return line
    .slice(1, line.endsWith('|') ? -1 : undefined)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

// ---------------------------------------------------------------------------------------------
// (a) the WASM boundary

/** `#[no_mangle] pub [unsafe] extern "C" fn cf_x(a: T, b: U) -> R` → { cf_x: 2 }. */
export function rustExports(source: string): Map<string, number> {
  const exports = new Map<string, number>();
  const re = /#\[no_mangle\]\s*pub\s+(?:unsafe\s+)?extern\s+"C"\s+fn\s+(\w+)\s*\(([^)]*)\)/g;
  for (const m of source.matchAll(re)) {
    const params = m[2]!.split(',').filter((p) => p.trim() !== '');
    exports.set(m[1]!, params.length);
  }
  return exports;
}

/** The rows of the ABI table: `| \`cf_x\` | \`(a, b) -> r\` | meaning |` → { cf_x: 2 }. */
export function documentedExports(architecture: string): Map<string, number> {
  const documented = new Map<string, number>();
  for (const line of section(architecture, '## The WASM boundary')) {
    const row = cells(line);
    if (!row || row[0] === 'export') continue;
    const names = [...row[0]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
    const params = /^`\(([^)]*)\)/.exec(row[1] ?? '');
    if (names.length !== 1 || !params) throw new Error(`ABI table row not understood (one export per row): ${line}`);
    if (documented.has(names[0]!)) throw new Error(`${names[0]} is in the ABI table twice`);
    documented.set(names[0]!, params[1]!.split(',').filter((p) => p.trim() !== '').length);
  }
  return documented;
}

describe('docs/architecture.md: the WASM boundary', () => {
  it('lists exactly the exports of wasm/wasm/src/lib.rs, with their parameter counts', () => {
    const code = rustExports(read('wasm/wasm/src/lib.rs'));
    const docs = documentedExports(read('docs/architecture.md'));
    expect(code.size).toBeGreaterThan(5); // the parser found the exports
    expect(Object.fromEntries([...docs].sort())).toEqual(Object.fromEntries([...code].sort()));
  });
});

// ---------------------------------------------------------------------------------------------
// (b) the error codes

/** The codes of `Error::code` in wasm/core/src/error.rs: `Error::X { .. } => "CODE",`. */
export function rustErrorCodes(source: string): string[] {
  const body = source.slice(source.indexOf('pub fn code('));
  const fnBody = body.slice(0, body.indexOf('\n    }\n'));
  return [...fnBody.matchAll(/Error::\w+[^\n]*=>\s*"([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]!);
}

/** The .ts files under a folder. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(p);
    return entry.name.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Code lists and code constants declared anywhere in functions/src, so that a list added later
 * (`export const X_CODES = ['A', 'B'] as const`) or a single code (`export const X_CODE = 'A'`)
 * must be documented too, wherever it is declared.
 */
function declaredCodes(dir: string): Map<string, string[]> {
  const declared = new Map<string, string[]>();
  for (const file of tsFiles(dir)) {
    const source = readFileSync(file, 'utf8');
    const where = file.slice(rootPath('').length);
    for (const m of source.matchAll(/export const (\w*CODES)\s*=\s*\[([\s\S]*?)\]\s*as const/g)) {
      declared.set(
        `${where} ${m[1]}`,
        [...m[2]!.matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((c) => c[1]!),
      );
    }
    for (const m of source.matchAll(/export const (\w*_CODE)\s*=\s*'([A-Z][A-Z0-9_]+)'/g)) {
      declared.set(`${where} ${m[1]}`, [m[2]!]);
    }
  }
  return declared;
}

/** Every upper-case string literal of functions/src: what the code can answer or store. */
function codeLiterals(dir: string): Set<string> {
  const found = new Set<string>();
  for (const file of tsFiles(dir)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})'/g))
      found.add(m[1]!);
  }
  return found;
}

/** The codes the "Error codes" section lists: backticked codes in the first cell of its tables. */
export function documentedErrorCodes(architecture: string): Set<string> {
  const listed = new Set<string>();
  for (const line of section(architecture, '## Error codes')) {
    const row = cells(line);
    if (!row || row[0] === 'code') continue;
    for (const m of row[0]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) listed.add(m[1]!);
  }
  return listed;
}

describe('docs/architecture.md: the error codes', () => {
  const rust = rustErrorCodes(read('wasm/core/src/error.rs'));
  const lists: Record<string, readonly string[]> = {
    'wasm/core/src/error.rs': rust,
    'functions/src/render/errors.ts ERROR_CODES': ERROR_CODES,
    'functions/src/issue/errors.ts ISSUE_ONLY_CODES': ISSUE_ONLY_CODES,
    'functions/src/credential/errors.ts CREDENTIAL_CODES': CREDENTIAL_CODES,
    'functions/src/import/errors.ts FILE_ERROR_CODES': FILE_ERROR_CODES,
    'functions/src/import/errors.ts ROW_ERROR_CODES': ROW_ERROR_CODES,
    'functions/src/bundle/pdf-bundle.ts BUNDLE_ERROR_CODES': BUNDLE_ERROR_CODES,
    ...Object.fromEntries(declaredCodes(rootPath('functions/src'))),
  };
  const documented = documentedErrorCodes(read('docs/architecture.md'));

  it('the Rust core and the TypeScript pipeline have the same codes (TypeScript adds NOT_INITIALIZED)', () => {
    expect(rust.length).toBeGreaterThan(5); // the parser found the codes
    expect([...ERROR_CODES].filter((c) => c !== 'NOT_INITIALIZED').sort()).toEqual([...rust].sort());
  });

  it('every code of the code lists is in the one docs list', () => {
    const missing = Object.entries(lists).flatMap(([where, codes]) =>
      codes.filter((c) => !documented.has(c)).map((c) => `${c} (${where})`),
    );
    expect(missing).toEqual([]);
  });

  it('the docs list no code the code does not know', () => {
    const known = new Set([...Object.values(lists).flat(), ...codeLiterals(rootPath('functions/src'))]);
    expect([...documented].filter((c) => !known.has(c))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// (c) the README's file map

/**
 * The paths of the file map: the first column of each entry (up to two spaces), split at ", ".
 * An entry indented by 2 spaces is relative to the last unindented folder (a path ending in "/");
 * lines indented further are the previous entry's description.
 */
export function fileMapPaths(readme: string): string[] {
  const lines = section(readme, '## File map');
  const open = lines.findIndex((l) => l.startsWith('```'));
  const close = lines.findIndex((l, i) => i > open && l.startsWith('```'));
  if (open < 0 || close < 0) throw new Error('no code block under "## File map"');
  const paths: string[] = [];
  let folder = '';
  for (const line of lines.slice(open + 1, close)) {
    const indent = /^ */.exec(line)![0].length;
    if (line.trim() === '' || indent > 2) continue;
    const first = line.trim().split(/\s{2,}/)[0]!;
    for (const name of first.split(/,\s*/)) {
      if (indent === 0) {
        paths.push(name);
        if (name.endsWith('/')) folder = name;
      } else {
        if (!folder) throw new Error(`indented file map entry without a folder: ${line}`);
        paths.push(folder + name);
      }
    }
  }
  return paths;
}

describe('README.md: the file map', () => {
  const paths = fileMapPaths(read('README.md'));

  it('names only paths that exist', () => {
    expect(paths.length).toBeGreaterThan(50); // the parser found the entries
    expect(paths.filter((p) => !existsSync(rootPath(p)))).toEqual([]);
  });

  it('names every top-level folder and every folder of functions/src', () => {
    const ignored = new Set(
      read('.gitignore')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^[^/*#!][^/*]*\/$/.test(l))
        .map((l) => l.slice(0, -1)),
    );
    ignored.add('.git');
    const dirs = (relative: string): string[] =>
      readdirSync(rootPath(relative)).filter((name) => statSync(rootPath(join(relative, name))).isDirectory());
    const expected = [
      ...dirs('.').filter((d) => !ignored.has(d)),
      ...dirs('functions/src').map((d) => `functions/src/${d}`),
    ];
    const named = (dir: string): boolean => paths.some((p) => p === dir || p.startsWith(`${dir}/`));
    expect(expected.filter((d) => !named(d))).toEqual([]);
  });
});
