/**
 * Reading CSV files, for the one reader of people (import/table-formats.ts, import/participants.ts),
 * which the batch CLI (cli/render.ts) and the Storage import (import/speakers-csv.ts) go through;
 * the CLI also decodes with decodeCsvBytes. Pure: bytes or text in, records out; no Firebase.
 *
 * - decodeCsvBytes: UTF-8 with or without BOM, UTF-16LE/BE with BOM; anything else is
 *   refused with a reason an organizer can act on ("looks like Windows-1252").
 * - detectDelimiter: ',', ';' or tab, from the header line.
 * - readCsvRecords: csv-parse, with the physical line on which each record starts
 *   (right with quoted multi-line fields, CRLF and skipped blank lines). Every spelling of a
 *   line break (CRLF, LF, a lone CR) ends a record outside quotes, also mixed in one file.
 */
import { parse } from 'csv-parse/sync';
import { ImportError } from './errors.js';

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';
export type CsvDelimiter = ',' | ';' | '\t';

export const DELIMITER_NAMES: Record<CsvDelimiter, 'comma' | 'semicolon' | 'tab'> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
};

const SAVE_AS_UTF8 =
  'Save it as "CSV UTF-8" (Excel: File > Save As > CSV UTF-8; LibreOffice: character set Unicode (UTF-8)) and try again.';

/** The decoded text (without byte order mark) and the encoding it was read with. */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const b = bytes;
  if (b.length === 0) throw new ImportError('EMPTY_FILE', 'The file is empty.');
  if (
    (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) ||
    (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)
  ) {
    throw new ImportError('NOT_UTF8', `The file is UTF-32, which is not supported. ${SAVE_AS_UTF8}`, {
      guess: 'UTF-32',
    });
  }
  if (b[0] === 0xff && b[1] === 0xfe) return { text: decodeUtf16(b.subarray(2), 'le'), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: decodeUtf16(b.subarray(2), 'be'), encoding: 'utf-16be' };
  const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  const body = bom ? b.subarray(3) : b;
  if (looksLikeUtf16WithoutBom(body)) {
    throw new ImportError(
      'NOT_UTF8',
      `The file is not UTF-8 (looks like UTF-16 without a byte order mark). ${SAVE_AS_UTF8}`,
      {
        guess: 'utf-16',
      },
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const offset = firstInvalidUtf8(body);
    const line = lineAt(body, offset);
    const guess = guessLegacyEncoding(body);
    throw new ImportError(
      'NOT_UTF8',
      `The file is not UTF-8 (looks like ${guess}): byte 0x${body[offset]!.toString(16).toUpperCase().padStart(2, '0')} on line ${line} is not valid UTF-8. ${SAVE_AS_UTF8}`,
      { guess, line, byteOffset: offset + (bom ? 3 : 0) },
    );
  }
  return { text, encoding: bom ? 'utf-8-bom' : 'utf-8' };
}

function decodeUtf16(body: Uint8Array, order: 'le' | 'be'): string {
  const what = order === 'le' ? 'UTF-16LE' : 'UTF-16BE';
  if (body.length % 2 !== 0) {
    throw new ImportError(
      'NOT_UTF8',
      `The file starts with a ${what} byte order mark but has an odd number of bytes. ${SAVE_AS_UTF8}`,
    );
  }
  let le = body;
  if (order === 'be') {
    le = new Uint8Array(body.length);
    for (let i = 0; i < body.length; i += 2) {
      le[i] = body[i + 1]!;
      le[i + 1] = body[i]!;
    }
  }
  try {
    return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(le);
  } catch {
    throw new ImportError(
      'NOT_UTF8',
      `The file starts with a ${what} byte order mark but is not valid ${what}. ${SAVE_AS_UTF8}`,
    );
  }
}

/** Many NUL bytes at even or odd positions: UTF-16 text without its byte order mark. */
function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  return Math.max(even, odd) > n / 2 / 3;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** 1-based line of a byte offset (CRLF, LF and CR each end a line). */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) line++;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) line++;
  }
  return line;
}

/**
 * A hint for the error message, not a detection: bytes 0x80-0xFF that mostly come in pairs
 * suggest a double-byte code page (Shift_JIS, GBK, Big5); otherwise Windows-1252, the code
 * page Excel uses for "CSV (Comma delimited)" on Western systems.
 */
export function guessLegacyEncoding(bytes: Uint8Array): string {
  let high = 0;
  let paired = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    if (i + 1 < bytes.length && bytes[i + 1]! >= 0x80) {
      paired += 2;
      high += 2;
      i++;
    } else high++;
  }
  return high >= 8 && paired >= high * 0.8 ? 'a double-byte code page such as Shift_JIS, GBK or Big5' : 'Windows-1252';
}

/** ',', ';' or tab: whichever occurs most often (outside quotes) in the header line; ',' on a tie. */
export function detectDelimiter(csv: string): CsvDelimiter {
  const header = csv.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  const counts = new Map<CsvDelimiter, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as CsvDelimiter))
      counts.set(ch as CsvDelimiter, counts.get(ch as CsvDelimiter)! + 1);
  }
  let best: CsvDelimiter = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/** One CSV record: its cells (as written, quotes removed, trimmed of spaces outside quotes) and its first line. */
export interface CsvRecord {
  cells: string[];
  /** The physical line (1-based) on which the record starts. */
  line: number;
  /** The physical line on which it ends (> line when a quoted cell holds line breaks). */
  endLine: number;
}

export interface ReadCsvOptions {
  delimiter?: CsvDelimiter;
  /** Stop after this many records (header included); `truncated` tells whether more followed. */
  maxRecords?: number;
}

const LINE_BREAKS = /\r\n|\r|\n/g;

/**
 * What ends a record outside quotes: all three spellings, CRLF first. Without it csv-parse takes
 * the first line ending of the file for the whole file, and a file whose lines end in CRLF, LF
 * and CR (pasted together from several sources) became one record: "Ada Bob Cy".
 */
const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

function countLineBreaks(cell: string): number {
  return cell.match(LINE_BREAKS)?.length ?? 0;
}

/**
 * Every record of `text` (header included), blank lines skipped. A structural error (a quote
 * never closed, text after a closing quote) is an ImportError MALFORMED_CSV naming the line
 * of the record it happened in. A quote inside an unquoted value is kept as a character
 * (`O"Brien`, `5" screen`).
 *
 * Line numbers: csv-parse's `info.lines` counts a CRLF inside a quoted cell twice, so the
 * lines are counted here instead: a record starts on the line after the previous record
 * ends plus the blank lines skipped in between (csv-parse's `empty_lines`), and ends as many
 * lines later as its cells hold line breaks.
 */
export function readCsvRecords(
  text: string,
  options: ReadCsvOptions = {},
): { records: CsvRecord[]; delimiter: CsvDelimiter; truncated: boolean } {
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const records: CsvRecord[] = [];
  let previousEnd = 0;
  let previousEmpty = 0;
  let truncated = false;
  const limit = options.maxRecords;
  try {
    parse(text, {
      bom: true,
      delimiter,
      record_delimiter: RECORD_DELIMITERS,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      ...(limit !== undefined ? { to: limit + 1 } : {}),
      on_record: (record: string[], info: { empty_lines: number }) => {
        if (limit !== undefined && records.length >= limit) {
          truncated = true;
          return null;
        }
        const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
        const endLine = line + record.reduce((sum, cell) => sum + countLineBreaks(cell), 0);
        records.push({ cells: record, line, endLine });
        previousEnd = endLine;
        previousEmpty = info.empty_lines;
        return null;
      },
    });
  } catch (error) {
    const e = error as { code?: string; empty_lines?: number; message?: string };
    const line = previousEnd + 1 + Math.max(0, (e.empty_lines ?? previousEmpty) - previousEmpty);
    const what =
      e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted value is never closed (a missing ")'
        : e.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE' || e.code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'text follows the closing quote of a value (write a quote inside a quoted value as "")'
          : (e.message ?? 'the file cannot be read as CSV');
    throw new ImportError('MALFORMED_CSV', `The row starting on line ${line} cannot be read: ${what}.`, {
      line,
      ...(e.code ? { csvCode: e.code } : {}),
    });
  }
  return { records, delimiter, truncated };
}
