/**
 * certforge batch renderer.
 *
 *   npm run render -- --template <svg> --data <speakers.json|.csv> --out <dir>
 *                     [--fonts <dir>] [--png] [--png-width N] [--event <event.json>]
 *
 * Data: JSON (an array of speakers, or `{event, signatories, speakers: [...]}`) or CSV
 * (UTF-8, or UTF-16 with a BOM; header row; delimiter ',', ';' or tab detected from the
 * header, as the Storage import reads it: functions/src/import/csv.ts; dotted headers such as
 * `talk.title` become nested objects; empty cells are left out so template defaults apply).
 * Event and signatories come from --event, else from the JSON data file, else DEFAULT_EVENT.
 *
 * Rows without `certificate.id` get a deterministic id derived from sha256(event name,
 * speaker id or name), and `certificate.url` = https://verify.certforge.dev/c/<id> (give
 * rows a `certificate.url` to print the address of your own `verify` function). The data a
 * template gets is built as the functions build it (shared/template-data.ts): the email is
 * left out, an ISO event date is formatted in the event's locale.
 *
 * Output: <out>/<NN>-<slug>.pdf (+ .png), slug from the speaker id, else the certificate
 * id, else the row number. A failing row is reported and the batch goes on.
 * Exit codes: 0 all rendered, 1 some row failed (or the template is unusable), 2 usage error.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { decodeCsvBytes, readCsvRecords } from '../import/csv.js';
import {
  CertforgeError,
  initRenderer,
  isCertforgeError,
  loadFontDir,
  PNG_WIDTH_MAX,
  PNG_WIDTH_MIN,
  type CertificateData,
  type Renderer,
  type Template,
} from '../render/index.js';
import type { EventDoc, SpeakerDoc } from '../shared/model.js';
import { templateData } from '../shared/template-data.js';
import { isRecord, text } from '../shared/values.js';

/**
 * Text for the terminal: control characters (ESC, BEL, C1, ...) from names, CSV cells or
 * messages are shown escaped (`\x1b`), never sent raw: a name cannot retitle or recolour the
 * terminal. Every line the CLI prints goes through out() or err().
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function out(text: string): void {
  console.log(terminalSafe(text));
}

function err(text: string): void {
  console.error(terminalSafe(text));
}

const USAGE =
  'usage: npm run render -- --template <svg> --data <speakers.json|.csv> --out <dir> [--fonts <dir>] [--png] [--png-width N] [--event <event.json>]';
const VERIFY_BASE_URL = 'https://verify.certforge.dev/c/';

type Json = Record<string, unknown>;

export interface EventInfo {
  event: Json;
  signatories: unknown[];
}

/** Used when neither --event nor the data file provides an event (same shape as examples/event.json). */
export const DEFAULT_EVENT: EventInfo = {
  event: {
    name: 'certforge Community Day',
    date: '2025-01-01',
    place: 'Online',
    organizer: 'certforge',
  },
  signatories: [{ name: 'The Organizing Team', role: 'certforge Community Day' }],
};

class UsageError extends Error {}

interface CliArgs {
  template: string;
  data: string;
  out: string;
  fonts?: string;
  event?: string;
  png: boolean;
  pngWidth: number;
}

interface RowOutcome {
  row: number;
  name: string;
  ok: boolean;
  code?: string;
  message?: string;
  pdfBytes?: number;
  ms: number;
  files: string[];
  warnings: string[];
}

function parseCliArgs(argv: string[]): CliArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        template: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        fonts: { type: 'string' },
        event: { type: 'string' },
        png: { type: 'boolean', default: false },
        'png-width': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  for (const name of ['template', 'data', 'out'] as const) {
    if (!values[name]) throw new UsageError(`missing --${name}`);
  }
  let pngWidth = 1200;
  if (values['png-width'] !== undefined) {
    pngWidth = Number(values['png-width']);
    if (!Number.isInteger(pngWidth) || pngWidth < PNG_WIDTH_MIN || pngWidth > PNG_WIDTH_MAX) {
      throw new UsageError(`--png-width must be an integer from ${PNG_WIDTH_MIN} to ${PNG_WIDTH_MAX}`);
    }
  }
  return {
    template: values.template!,
    data: values.data!,
    out: values.out!,
    fonts: values.fonts,
    event: values.event,
    png: values.png ?? false,
    pngWidth,
  };
}

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

function parseJsonFile(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export { detectDelimiter } from '../import/csv.js';

const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** `{ "talk.title": "x" }` → `{ talk: { title: "x" } }`; numbered keys become arrays; empty values are left out. */
export function nestDottedKeys(flat: Record<string, string>): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(flat)) {
    if (value === '' || key === '') continue;
    const path = key.split('.').map((part) => part.trim());
    if (path.some((part) => UNSAFE_KEYS.has(part))) continue;
    let target = result;
    for (const part of path.slice(0, -1)) {
      if (!isRecord(target[part])) target[part] = {};
      target = target[part] as Json;
    }
    target[path[path.length - 1]!] = value;
  }
  return indexedObjectsToArrays(result) as Json;
}

/** `{ '0': a, '1': b }` (from headers like `signatories.0.name`) → `[a, b]`, recursively. */
function indexedObjectsToArrays(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((key) => [key, indexedObjectsToArrays(value[key])] as const);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    const array: unknown[] = [];
    for (const [key, item] of entries) array[Number(key)] = item;
    return Array.from(array, (item) => item ?? {});
  }
  return Object.fromEntries(entries);
}

/**
 * Speakers from CSV text (import/csv.ts reads it, as the Storage import does): header row,
 * one object per data row. A row whose cell count differs from the header's is an error.
 */
export function parseCsvSpeakers(text: string): Json[] {
  const [header, ...rows] = readCsvRecords(text).records;
  if (!header) return [];
  return rows.map((row) => {
    if (row.cells.length !== header.cells.length) {
      throw new Error(`line ${row.line}: ${row.cells.length} cells, but the header has ${header.cells.length}`);
    }
    return nestDottedKeys(Object.fromEntries(header.cells.map((key, i) => [key, row.cells[i]!])));
  });
}

interface DataFile {
  speakers: unknown[];
  event?: EventInfo;
}

async function loadDataFile(path: string): Promise<DataFile> {
  const bytes = await readInput(path, 'data file');
  if (extname(path).toLowerCase() === '.csv') {
    try {
      return { speakers: parseCsvSpeakers(decodeCsvBytes(bytes).text) };
    } catch (error) {
      throw new UsageError(`${path} is not valid CSV: ${(error as Error).message}`);
    }
  }
  const json = parseJsonFile(bytes, path);
  if (Array.isArray(json)) return { speakers: json };
  if (isRecord(json) && Array.isArray(json.speakers)) {
    const hasEvent = isRecord(json.event) || Array.isArray(json.signatories);
    return {
      speakers: json.speakers,
      event: hasEvent
        ? {
            event: isRecord(json.event) ? json.event : DEFAULT_EVENT.event,
            signatories: Array.isArray(json.signatories) ? json.signatories : DEFAULT_EVENT.signatories,
          }
        : undefined,
    };
  }
  throw new UsageError(`${path} must be a JSON array of speakers or an object with a "speakers" array`);
}

/** `{event, signatories}` or a bare event object (which may carry `signatories`). */
async function loadEventFile(path: string): Promise<EventInfo> {
  const json = parseJsonFile(await readInput(path, 'event file'), path);
  if (!isRecord(json)) throw new UsageError(`${path} must be a JSON object`);
  const { signatories, ...rest } = json;
  const event = isRecord(json.event) ? json.event : rest;
  return { event, signatories: Array.isArray(signatories) ? signatories : [] };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 10 Crockford base32 characters (50 bits) of sha256(event name, NUL, speaker id or name). */
export function certificateId(eventName: string, speakerKey: string): string {
  const digest = createHash('sha256').update(`${eventName}\u0000${speakerKey}`, 'utf8').digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 7)) bits = (bits << 8n) | BigInt(byte);
  bits >>= 6n; // 56 → 50 bits
  let id = '';
  for (let i = 0; i < 10; i++) {
    id = CROCKFORD[Number(bits & 31n)] + id;
    bits >>= 5n;
  }
  return id;
}

/** Lowercase ASCII, [a-z0-9-], diacritics stripped, at most 48 characters; '' if nothing is left. */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

/**
 * The certificate data of one row, by the functions' own mapping (shared/template-data.ts): the
 * row is the speaker (its email is left out, as in the functions), the event is --event or the
 * data file's, merged with the row's own `event` and `signatories`; the certificate id is the
 * row's or derived from the event name and the row's id (or name).
 */
export function buildRowData(speaker: Json, info: EventInfo): CertificateData {
  const { event: ownEvent, signatories, certificate: ownCertificate, ...fields } = speaker;
  const event: EventDoc = {
    ...info.event,
    ...(isRecord(ownEvent) ? ownEvent : {}),
    signatories: Array.isArray(signatories) ? signatories : info.signatories,
  };
  const given = isRecord(ownCertificate) ? ownCertificate : {};
  const key = text(speaker.id) ?? text(speaker.name) ?? JSON.stringify(speaker);
  const id = text(given.id) ?? certificateId(text(event.name) ?? '', key);
  return templateData(event, fields as SpeakerDoc, { certificateId: id, verifyUrl: text(given.url) ?? `${VERIFY_BASE_URL}${id}` });
}

function fileStem(index: number, count: number, speaker: Json, data: CertificateData | undefined): string {
  const nn = String(index + 1).padStart(Math.max(2, String(count).length), '0');
  const slug = slugify(text(speaker.id) ?? '') || slugify(text(data?.certificate?.id) ?? '') || String(index + 1);
  return `${nn}-${slug}`;
}

function describe(error: unknown): { code: string; message: string } {
  if (isCertforgeError(error)) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

async function renderRow(
  renderer: Renderer,
  template: Template,
  speaker: unknown,
  index: number,
  count: number,
  info: EventInfo,
  args: CliArgs,
): Promise<RowOutcome> {
  const start = performance.now();
  const name = isRecord(speaker) ? (text(speaker.name) ?? '') : '';
  const outcome: RowOutcome = { row: index + 1, name, ok: false, ms: 0, files: [], warnings: [] };
  try {
    if (!isRecord(speaker)) throw new CertforgeError('INVALID_DATA', `Row ${index + 1} is not an object`);
    const data = buildRowData(speaker, info);
    const result = await renderer.renderCertificate(template, data, { png: args.png, pngWidth: args.pngWidth });
    const stem = join(args.out, fileStem(index, count, speaker, data));
    await writeFile(`${stem}.pdf`, result.pdf);
    outcome.files.push(`${stem}.pdf`);
    if (result.png) {
      await writeFile(`${stem}.png`, result.png);
      outcome.files.push(`${stem}.png`);
    }
    outcome.ok = true;
    outcome.pdfBytes = result.pdf.length;
    outcome.warnings = result.warnings.map((w) => `${w.code}: ${w.message}`);
  } catch (error) {
    Object.assign(outcome, describe(error));
  }
  outcome.ms = Math.round(performance.now() - start);
  return outcome;
}

const ZERO_WIDTH = /[\p{M}\u200B-\u200F\u2060]/u;
const DOUBLE_WIDTH =
  /[\p{Extended_Pictographic}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF01-\uFF60]/u;

/** Terminal columns of a string (approximate East Asian width; combining marks take none). */
function displayWidth(value: string): number {
  let width = 0;
  for (const ch of value) width += ZERO_WIDTH.test(ch) ? 0 : DOUBLE_WIDTH.test(ch) ? 2 : 1;
  return width;
}

function truncate(value: string, width: number): string {
  if (displayWidth(value) <= width) return value;
  let out = '';
  for (const ch of value) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function pad(value: string, width: number, alignRight: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(value)));
  return alignRight ? fill + value : value + fill;
}

function printSummary(outcomes: RowOutcome[], totalMs: number): void {
  const header = ['row', 'name', 'status', 'pdf bytes', 'ms'];
  const rows = outcomes.map((o) => [
    String(o.row),
    truncate(o.name || '-', 28),
    o.ok
      ? o.warnings.length > 0
        ? `ok (${o.warnings.length} warning${o.warnings.length > 1 ? 's' : ''})`
        : 'ok'
      : o.code!,
    o.pdfBytes === undefined ? '-' : String(o.pdfBytes),
    String(o.ms),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => displayWidth(r[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!, i === 0 || i >= 3))
      .join('  ')
      .trimEnd();
  out(line(header));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out(line(row));

  const failed = outcomes.filter((o) => !o.ok);
  for (const o of failed) out(`row ${o.row}: ${o.code}: ${o.message}`);
  for (const o of outcomes) for (const w of o.warnings) out(`row ${o.row}: warning ${w}`);

  const ok = outcomes.length - failed.length;
  const bytes = outcomes.reduce((sum, o) => sum + (o.pdfBytes ?? 0), 0);
  const perCert = outcomes.length > 0 ? Math.round(totalMs / outcomes.length) : 0;
  out(
    `\n${ok} rendered, ${failed.length} failed, ${outcomes.length} total; ${bytes} PDF bytes; ${Math.round(totalMs)} ms (${perCert} ms/certificate)`,
  );
}

async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (args === 'help') {
    out(USAGE);
    return 0;
  }
  const templateBytes = await readInput(args.template, 'template');
  const dataFile = await loadDataFile(args.data);
  const info = args.event ? await loadEventFile(args.event) : (dataFile.event ?? DEFAULT_EVENT);
  let extraFonts: Uint8Array[] = [];
  if (args.fonts) {
    try {
      extraFonts = await loadFontDir(args.fonts);
    } catch (error) {
      throw new UsageError(describe(error).message);
    }
  }
  try {
    await mkdir(args.out, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create output directory ${args.out}: ${(error as Error).message}`);
  }

  const started = performance.now();
  let renderer: Renderer;
  let template: Template;
  try {
    renderer = await initRenderer();
    // The template's own fonts, as a Storage template's: visible to it only, same limits.
    template = renderer.compileTemplate(new Uint8Array(templateBytes), { fonts: extraFonts });
  } catch (error) {
    const { code, message } = describe(error);
    err(`certforge: ${args.template}: ${code}: ${message}`);
    return 1;
  }
  for (const warning of template.warnings) err(`template warning ${warning.code}: ${warning.message}`);

  const speakers = dataFile.speakers;
  const interactive = Boolean(process.stderr.isTTY) && !['1', 'true'].includes((process.env.CI ?? '').toLowerCase());
  const bar = interactive
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'rendering [{bar}] {value}/{total} {name}',
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(speakers.length, 0, { name: '' });

  const outcomes: RowOutcome[] = [];
  for (const [index, speaker] of speakers.entries()) {
    const outcome = await renderRow(renderer, template, speaker, index, speakers.length, info, args);
    outcomes.push(outcome);
    if (bar) bar.increment(1, { name: truncate(outcome.name, 30) });
    else {
      const status = outcome.ok ? `ok ${outcome.files.join(' ')}` : `${outcome.code}: ${outcome.message}`;
      err(`[${outcome.row}/${speakers.length}] ${outcome.name || '-'}: ${status} (${outcome.ms} ms)`);
    }
  }
  bar?.stop();

  printSummary(outcomes, performance.now() - started);
  out(`output: ${resolve(args.out)}`);
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        err(`certforge: ${error.message} (--help for usage)`);
        process.exitCode = 2;
      } else {
        err(`certforge: ${describe(error).code}: ${describe(error).message}`);
        process.exitCode = 1;
      }
    },
  );
}
