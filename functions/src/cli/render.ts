/**
 * certforge batch renderer.
 *
 *   npm run render -- --template <svg> --data <speakers.json|.csv> --out <dir>
 *                     [--fonts <dir>] [--png] [--png-width N] [--event <event.json>]
 *                     [--verify-base-url <url>]
 *
 * Data: JSON (an array of speakers, or `{event, signatories, speakers: [...]}`) or CSV
 * (UTF-8, or UTF-16 with a BOM; header row; delimiter ',', ';' or tab detected from the
 * header). Rows are read by the one reader of people, import/participants.ts, as the Storage
 * import reads them: the same header aliases (`Name`, `Full Name`, `E-mail`, `Talk Title`, …) for
 * CSV headers and JSON keys, the same reserved keys; dotted headers such as `talk.title` become
 * nested objects; empty cells are left out so template defaults apply. A row's exact `event`
 * (object), `signatories` (list), `certificate` (object), `locale` and `issuedAt` (text) are that
 * row's own values for certforge's keys; a column that differs from them only by case (`EVENT`)
 * is the row's own field (see participants.ts for why). Event and signatories come from --event,
 * else from the JSON data file, else DEFAULT_EVENT.
 *
 * Rows without `certificate.id` get an id of the functions' shape (22 base64url characters,
 * 128 bits), derived from sha256(event name, speaker id or name) so that a re-run gives the
 * same ids. `certificate.url` is the row's own, else <--verify-base-url>/<id>, else none: the CLI
 * prints no address it was not given (the bundled templates then leave out the link and QR
 * code; a template that needs {{certificate.url}} is warned about once). The data a template
 * gets is built as the functions build it (shared/template-data.ts): the email is left out, an
 * ISO event date is formatted in the event's locale.
 *
 * Output: <out>/<NN>-<slug>.pdf (+ .png), slug from the speaker id, else the certificate
 * id, else the row number. A failing row is reported and the batch goes on.
 * Exit codes: 0 all rendered, 1 some row failed (or the template is unusable), 2 usage error
 * (including a data file whose header cannot be read).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { verifyBaseUrl } from '../config.js';
import { decodeCsvBytes } from '../import/csv.js';
import {
  readCsvTable,
  readJsonTable,
  TABLE_BOUNDS,
  type ParticipantRow,
  type ParticipantTable,
} from '../import/participants.js';
import {
  initRenderer,
  loadFontDir,
  PNG_WIDTH_MAX,
  PNG_WIDTH_MIN,
  type CertificateData,
  type Renderer,
  type Template,
} from '../render/index.js';
import { isCodedError } from '../shared/errors.js';
import type { EventDoc, SpeakerDoc } from '../shared/model.js';
import { isCertificateId, publicUrls } from '../shared/paths.js';
import { templateData } from '../shared/template-data.js';
import { isRecord, nestingDepth, text } from '../shared/values.js';

/**
 * Text for the terminal: control characters (ESC, BEL, C1, ...) from names, CSV cells or
 * messages are shown escaped (`\x1b`), never sent raw: a name cannot retitle or recolour the
 * terminal. Every line the CLI prints goes through out() or err().
 */
export function terminalSafe(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function out(text: string): void {
  console.log(terminalSafe(text));
}

function err(text: string): void {
  console.error(terminalSafe(text));
}

const USAGE =
  'usage: npm run render -- --template <svg> --data <speakers.json|.csv> --out <dir> [--fonts <dir>] [--png] [--png-width N] [--event <event.json>] [--verify-base-url <url>]';

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
  /** Base of the verification addresses (<base>/<certificate id>), without a trailing slash. */
  verifyBaseUrl?: string;
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
        'verify-base-url': { type: 'string' },
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
    ...(values['verify-base-url'] !== undefined
      ? { verifyBaseUrl: checkVerifyBaseUrl(values['verify-base-url']) }
      : {}),
  };
}

/** The functions' rule for CERTFORGE_VERIFY_BASE_URL (config.ts verifyBaseUrl): an absolute http(s) URL without query, fragment or credentials. */
function checkVerifyBaseUrl(value: string): string {
  try {
    if (value.trim() === '') throw new Error('empty');
    return verifyBaseUrl(value, '', {});
  } catch {
    throw new UsageError(
      '--verify-base-url must be an absolute http(s) URL without query, fragment or credentials, e.g. https://certificates.example.org/verify',
    );
  }
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

interface DataFile {
  table: ParticipantTable;
  event?: EventInfo;
}

/** A problem of the data file as a whole: a usage error naming the file and the code. */
function dataFileError(path: string, error: unknown): UsageError {
  if (isCodedError(error)) return new UsageError(`${path}: ${error.code}: ${error.message}`);
  return new UsageError(`${path} cannot be read: ${(error as Error).message ?? String(error)}`);
}

/** Event and signatories of a data or event file, checked as a row is (no deeper than TABLE_BOUNDS.maxDepth). */
function eventInfo(event: Json, signatories: unknown[], path: string): EventInfo {
  const { maxDepth } = TABLE_BOUNDS;
  if (Math.max(nestingDepth(event, maxDepth), nestingDepth(signatories, maxDepth)) > maxDepth) {
    throw new UsageError(`${path}: LIMIT_EXCEEDED: the event nests more than ${maxDepth} levels of lists and objects`);
  }
  return { event, signatories };
}

async function loadDataFile(path: string): Promise<DataFile> {
  const bytes = await readInput(path, 'data file');
  if (extname(path).toLowerCase() === '.csv') {
    try {
      return { table: readCsvTable(decodeCsvBytes(bytes).text) };
    } catch (error) {
      throw dataFileError(path, error);
    }
  }
  const json = parseJsonFile(bytes, path);
  if (Array.isArray(json)) return { table: readJsonTable(json) };
  if (isRecord(json) && Array.isArray(json.speakers)) {
    const hasEvent = isRecord(json.event) || Array.isArray(json.signatories);
    return {
      table: readJsonTable(json.speakers),
      event: hasEvent
        ? eventInfo(
            isRecord(json.event) ? json.event : DEFAULT_EVENT.event,
            Array.isArray(json.signatories) ? json.signatories : DEFAULT_EVENT.signatories,
            path,
          )
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
  return eventInfo(event, Array.isArray(signatories) ? signatories : [], path);
}

/**
 * A certificate id of the functions' shape (shared/paths.ts: 128 bits in base64url, 22
 * characters), made deterministic: the first 128 bits of sha256("certforge-certificate", NUL,
 * event name, NUL, speaker id or name). The functions' ids are random; the CLI's are the same
 * on every run over the same data, so re-rendered files keep their ids.
 */
export function certificateId(eventName: string, speakerKey: string): string {
  const id = createHash('sha256')
    .update(['certforge-certificate', eventName, speakerKey].join('\u0000'), 'utf8')
    .digest()
    .subarray(0, 16)
    .toString('base64url');
  // Firestore reserves ids of the form __x__ (isCertificateId refuses them): about one in 2^24.
  const usable: boolean = isCertificateId(id);
  return usable ? id : `x${id.slice(1)}`;
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

export interface RowDataOptions {
  /** <base>/<id> is the certificate's url when the row gives none (--verify-base-url). */
  verifyBaseUrl?: string;
}

/**
 * The certificate data of one row (as read by import/participants.ts), by the functions' own
 * mapping (shared/template-data.ts): the row is the speaker (its email is left out, as in the
 * functions). certforge's keys in the row, exactly so spelled, are the row's own values for
 * them: `event` is merged over --event's (or the data file's), `signatories` replace its list,
 * `locale` its locale, `issuedAt` is the issue date when the event's date is not ISO, and
 * `certificate` gives the id and url (its other fields are kept). The certificate id is the
 * row's or certificateId(event name, the row's id or name); the url the row's, else
 * <verifyBaseUrl>/<id>, else none.
 */
export function buildRowData(speaker: Json, info: EventInfo, options: RowDataOptions = {}): CertificateData {
  const { event: ownEvent, signatories, certificate: ownCertificate, locale, issuedAt, ...fields } = speaker;
  const event: EventDoc = {
    ...info.event,
    ...(isRecord(ownEvent) ? ownEvent : {}),
    ...(text(locale) ? { locale: text(locale) } : {}),
    signatories: Array.isArray(signatories) ? signatories : info.signatories,
  };
  const given = isRecord(ownCertificate) ? ownCertificate : {};
  const key = text(speaker.id) ?? text(speaker.name) ?? JSON.stringify(speaker);
  const id = text(given.id) ?? certificateId(text(event.name) ?? '', key);
  const url =
    text(given.url) ?? (options.verifyBaseUrl ? publicUrls(options.verifyBaseUrl).certificate(id) : undefined);
  const data = templateData(event, fields as SpeakerDoc, {
    certificateId: id,
    ...(url ? { verifyUrl: url } : {}),
    ...(text(issuedAt) ? { issuedAt: text(issuedAt) } : {}),
  });
  return isRecord(ownCertificate) ? { ...data, certificate: { ...ownCertificate, ...data.certificate } } : data;
}

/**
 * The one warning about verification addresses: the template uses {{certificate.url}}, no
 * --verify-base-url was given, and some rows give no `certificate.url` of their own. Those rows
 * get no address (the CLI invents none): elements under data-if="certificate.url" are left
 * out (the bundled templates), an unconditional {{certificate.url}} fails the row with MISSING_FIELD.
 */
export function verifyUrlWarning(
  templateFields: readonly string[],
  verifyBaseUrl: string | undefined,
  rows: readonly ParticipantRow[],
): string | undefined {
  if (verifyBaseUrl || !templateFields.some((field) => field.toLowerCase() === 'certificate.url')) return undefined;
  const without = rows.filter(
    (row) => row.fields && !text(isRecord(row.fields.certificate) ? row.fields.certificate.url : undefined),
  );
  if (without.length === 0) return undefined;
  return (
    `the template uses {{certificate.url}}, but no --verify-base-url was given and ${without.length} of ${rows.length} rows ` +
    'have no certificate.url of their own: they get no verification address (elements with data-if="certificate.url" are ' +
    'left out; an unconditional {{certificate.url}} fails the row with MISSING_FIELD). Pass --verify-base-url with the ' +
    "address of your deployment's verify function (CERTFORGE_VERIFY_BASE_URL) to print it."
  );
}

function fileStem(index: number, count: number, speaker: Json, data: CertificateData | undefined): string {
  const nn = String(index + 1).padStart(Math.max(2, String(count).length), '0');
  const slug = slugify(text(speaker.id) ?? '') || slugify(text(data?.certificate?.id) ?? '') || String(index + 1);
  return `${nn}-${slug}`;
}

function describe(error: unknown): { code: string; message: string } {
  if (isCodedError(error)) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

async function renderRow(
  renderer: Renderer,
  template: Template,
  row: ParticipantRow,
  count: number,
  info: EventInfo,
  args: CliArgs,
): Promise<RowOutcome> {
  const start = performance.now();
  const index = row.row - 1;
  const name = text(row.fields?.name) ?? '';
  const outcome: RowOutcome = { row: row.row, name, ok: false, ms: 0, files: [], warnings: [] };
  try {
    if (row.error || !row.fields) throw row.error;
    const speaker = row.fields;
    const data = buildRowData(speaker, info, { verifyBaseUrl: args.verifyBaseUrl });
    const result = await renderer.renderCertificate(template, data, { png: args.png, pngWidth: args.pngWidth });
    const stem = join(args.out, fileStem(index, count, speaker, data));
    // Synchronous: a 10-40 KB file takes ~0.05 ms, its promise round trip ~0.2 ms (issue 24).
    writeFileSync(`${stem}.pdf`, result.pdf);
    outcome.files.push(`${stem}.pdf`);
    if (result.png) {
      writeFileSync(`${stem}.png`, result.png);
      outcome.files.push(`${stem}.png`);
    }
    outcome.ok = true;
    outcome.pdfBytes = result.pdf.length;
    outcome.warnings = result.warnings.map((w) => `${w.code}: ${w.message}`);
  } catch (error) {
    Object.assign(outcome, describe(error));
  }
  outcome.ms = Math.round((performance.now() - start) * 10) / 10;
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

/**
 * The progress bar's payload for a row: its name as the terminal must see it, escaped by
 * terminalSafe() (cli-progress writes payloads raw), then cut to 30 columns.
 */
export function progressPayload(name: string): { name: string } {
  return { name: truncate(terminalSafe(name), 30) };
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
    truncate(terminalSafe(o.name) || '-', 28),
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
  for (const warning of dataFile.table.warnings) err(`${args.data}: warning: ${warning}`);
  const urlWarning = verifyUrlWarning(template.fields, args.verifyBaseUrl, dataFile.table.rows);
  if (urlWarning) err(`warning: ${urlWarning}`);

  const rows = dataFile.table.rows;
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
  bar?.start(rows.length, 0, progressPayload(''));

  const outcomes: RowOutcome[] = [];
  for (const row of rows) {
    const outcome = await renderRow(renderer, template, row, rows.length, info, args);
    outcomes.push(outcome);
    if (bar) bar.increment(1, progressPayload(outcome.name));
    else {
      const status = outcome.ok ? `ok ${outcome.files.join(' ')}` : `${outcome.code}: ${outcome.message}`;
      err(`[${outcome.row}/${rows.length}] ${outcome.name || '-'}: ${status} (${outcome.ms} ms)`);
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
