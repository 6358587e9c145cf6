/**
 * The first sheet of an XLSX workbook as rows of text, read by read-excel-file (the same library
 * runs in a browser, for the organizer console) after checks of our own that bound what it is
 * given. Pure: bytes in, rows out.
 *
 * An XLSX file is a ZIP archive of XML parts; a small one can claim or hold gigabytes (a zip
 * bomb), and a tiny sheet can name cell XFD1048576, which a reader turns into a grid of 17
 * billion cells. So before the library sees the bytes:
 *  1. the ZIP directory is read: at most XLSX_BOUNDS.maxEntries entries, stored or deflated,
 *     not encrypted, not ZIP64; the XML parts' declared sizes add up to at most maxXmlBytes;
 *  2. every XML part is inflated in chunks, counting its bytes, and stopped as soon as it is
 *     larger than it declared: its real size must be its declared size (the library sizes its
 *     buffers from the declarations);
 *  3. the first sheet's XML is scanned (one pass, no DOM) for the rows and columns its cells
 *     reach: at most `maxRows` rows and `maxColumns` columns holding values, and the cells the
 *     library would lay out (row by row, up to the last cell of each) at most maxCells.
 * Every refusal is an ImportError: FILE_TOO_LARGE (sizes, cells), TOO_MANY_ROWS, TOO_MANY_COLUMNS,
 * MALFORMED_FILE (not a readable workbook), UNSUPPORTED_FORMAT (encrypted, ZIP64, another method).
 *
 * Values are text: numbers as written in the file (`34600111222`, not 3.46e10), dates as ISO
 * 8601 (`2026-03-20`, or `2026-03-20T09:00:00` with a time: the workbook's wall clock),
 * booleans as TRUE/FALSE, error values (#N/A) as empty cells.
 */
import type { Inflate as InflateClass } from 'fflate';
import { ImportError } from './errors.js';

export const XLSX_BOUNDS = Object.freeze({
  /** Entries of the ZIP archive. */
  maxEntries: 2000,
  /** Uncompressed bytes of all the XML parts together. */
  maxXmlBytes: 64 * 1024 * 1024,
  /** Cells the library lays out (each row up to its last cell, values or not). */
  maxCells: 5_000_000,
  /** Rows of the sheet when the caller gives no limit. */
  maxRows: 100_000,
});

export interface XlsxLimits {
  /** Rows of the sheet (a header and data rows, blank ones included). */
  maxRows: number;
  /** Columns holding values. */
  maxColumns: number;
}

export interface XlsxRecord {
  cells: string[];
  /** The sheet's row number (1-based), as Excel shows it. */
  line: number;
  endLine: number;
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  dataOffset: number;
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

function malformed(what: string, details: Record<string, unknown> = {}): ImportError {
  return new ImportError(
    'MALFORMED_FILE',
    `The file cannot be read as an XLSX workbook: ${what}. Open it in Excel or LibreOffice and save it again as .xlsx (or as CSV UTF-8).`,
    { format: 'xlsx', ...details },
  );
}

/** The entries of the ZIP central directory (every check of step 1). */
function zipEntries(bytes: Uint8Array): ZipEntry[] {
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw malformed('it has no ZIP directory (the file is cut or not a ZIP archive)');
  const count = u16(bytes, end + 10);
  const directoryOffset = u32(bytes, end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) {
    throw new ImportError(
      'UNSUPPORTED_FORMAT',
      'The workbook is a ZIP64 archive, which is not read. Save it again as .xlsx.',
      {
        format: 'xlsx',
      },
    );
  }
  if (count > XLSX_BOUNDS.maxEntries) {
    throw new ImportError(
      'FILE_TOO_LARGE',
      `The workbook holds ${count} parts; at most ${XLSX_BOUNDS.maxEntries} are read.`,
      { format: 'xlsx', entries: count, limit: XLSX_BOUNDS.maxEntries },
    );
  }
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) throw malformed('its ZIP directory is damaged');
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const compressedSize = u32(bytes, at + 20);
    const size = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    const local = u32(bytes, at + 42);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) {
      throw new ImportError(
        'UNSUPPORTED_FORMAT',
        'The workbook is password-protected. Remove the password (or save it as CSV UTF-8) and try again.',
        { format: 'xlsx' },
      );
    }
    if (compressedSize === 0xffffffff || size === 0xffffffff || local === 0xffffffff) {
      throw new ImportError(
        'UNSUPPORTED_FORMAT',
        'The workbook is a ZIP64 archive, which is not read. Save it again as .xlsx.',
        {
          format: 'xlsx',
        },
      );
    }
    if (local + 30 > bytes.length || u32(bytes, local) !== 0x04034b50) throw malformed(`the part ${name} is missing`);
    const dataOffset = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    if (dataOffset + compressedSize > bytes.length) throw malformed(`the part ${name} is cut`);
    if (method !== 0 && method !== 8) {
      throw new ImportError(
        'UNSUPPORTED_FORMAT',
        `The workbook's part ${name} is compressed with method ${method}, which is not read. Save it again as .xlsx.`,
        { format: 'xlsx', method },
      );
    }
    entries.push({ name, method, compressedSize, size, dataOffset });
  }
  return entries;
}

const CHUNK = 64 * 1024;

/** The inflated bytes of an entry, or a refusal as soon as it grows past its declared size (step 2). */
/**
 * The two libraries, loaded on the first workbook: every function instance loads this module
 * (the import trigger's code is in index.js), and only a workbook needs them (~45 ms to import).
 */
let libraries:
  | Promise<{ Inflate: typeof InflateClass; readSheet: typeof import('read-excel-file/universal').readSheet }>
  | undefined;
function xlsxLibraries() {
  libraries ??= Promise.all([import('fflate'), import('read-excel-file/universal')]).then(([fflate, excel]) => ({
    Inflate: fflate.Inflate,
    readSheet: excel.readSheet,
  }));
  return libraries;
}

function inflateEntry(
  Inflate: typeof InflateClass,
  bytes: Uint8Array,
  entry: ZipEntry,
  keep: boolean,
): Uint8Array | undefined {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const mismatch = () => malformed(`the part ${entry.name} is not the size its directory says`, { part: entry.name });
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw mismatch();
    return keep ? data : undefined;
  }
  const out = keep ? new Uint8Array(entry.size) : undefined;
  let produced = 0;
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    if (produced + chunk.length > entry.size) throw mismatch();
    out?.set(chunk, produced);
    produced += chunk.length;
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < data.length; i += CHUNK) {
      const end = Math.min(i + CHUNK, data.length);
      inflate.push(data.subarray(i, end), end === data.length);
    }
    if (data.length === 0) inflate.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw malformed(`the part ${entry.name} cannot be inflated`, { part: entry.name });
  }
  if (!ended || produced !== entry.size) throw mismatch();
  return out;
}

const ATTRIBUTES = /([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')/g;

function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [, name, value] of text.matchAll(ATTRIBUTES)) map.set(name!, value!.slice(1, -1));
  return map;
}

/** The path of the first sheet, from xl/workbook.xml and its relationships. */
function firstSheetPath(workbook: string, relationships: string): { path: string; name: string } {
  const sheet = /<(?:\w+:)?sheet\b([^>]*)>/.exec(workbook);
  if (!sheet) throw malformed('it has no sheet');
  const attrs = attributes(sheet[1]!);
  const id = [...attrs].find(([key]) => /^[\w.-]+:id$/.test(key))?.[1];
  const name = attrs.get('name') ?? 'Sheet1';
  for (const [, relationship] of relationships.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const rel = attributes(relationship!);
    if (rel.get('Id') !== id) continue;
    const target = rel.get('Target') ?? '';
    const parts: string[] = [];
    for (const part of (target.startsWith('/') ? target.slice(1) : `xl/${target}`).split('/')) {
      if (part === '..') parts.pop();
      else if (part !== '.' && part !== '') parts.push(part);
    }
    return { path: parts.join('/'), name };
  }
  throw malformed('its first sheet is not where the workbook says');
}

/** "XFD" → 16384. */
function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function columnLetters(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out;
  return out;
}

/** Rows and columns the cells of a sheet's XML reach (step 3), in one pass. */
function scanSheet(xml: string, limits: XlsxLimits): void {
  let row = 0;
  let column = 0;
  let rowReach = 0; // the last column of any cell of the current row
  let laidOut = 0; // cells the library lays out: each row up to its last cell
  const flushRow = () => {
    laidOut += rowReach;
    rowReach = 0;
  };
  const tooFar = (where: string, rowNumber: number) =>
    new ImportError(
      'TOO_MANY_ROWS',
      `The first sheet reaches row ${rowNumber} (${where}); at most ${limits.maxRows} rows are read. Delete the rows below your data, or split the file.`,
      { format: 'xlsx', row: rowNumber, limit: limits.maxRows },
    );
  for (const match of xml.matchAll(/<(?:\w+:)?(row|c)\b([^>]*?)(\/?)>/g)) {
    const [, tag, attrText, selfClosing] = match as unknown as [string, string, string, string];
    const ref = /\br\s*=\s*["']([^"']*)["']/.exec(attrText)?.[1];
    if (tag === 'row') {
      flushRow();
      row = ref && /^\d+$/.test(ref) ? Number(ref) : row + 1;
      column = 0;
      if (row > limits.maxRows) throw tooFar('a formatted row counts even when empty', row);
      continue;
    }
    const cell = ref ? /^([A-Za-z]{1,3})(\d+)$/.exec(ref) : null;
    if (ref && !cell) throw malformed(`a cell has the reference "${ref.slice(0, 20)}"`);
    column = cell ? columnNumber(cell[1]!) : column + 1;
    const cellRow = cell ? Number(cell[2]) : row;
    if (column > 16384 || cellRow < 1) throw malformed(`a cell has the reference "${ref}"`);
    if (cellRow > limits.maxRows) throw tooFar(`cell ${columnLetters(column)}${cellRow}`, cellRow);
    rowReach = Math.max(rowReach, column);
    const holdsValue = selfClosing !== '/';
    if (holdsValue && column > limits.maxColumns) {
      throw new ImportError(
        'TOO_MANY_COLUMNS',
        `The first sheet has a value in column ${columnLetters(column)} (cell ${columnLetters(column)}${cellRow}); at most ${limits.maxColumns} columns are read.`,
        { format: 'xlsx', columns: column, limit: limits.maxColumns },
      );
    }
    if (laidOut + rowReach > XLSX_BOUNDS.maxCells) {
      throw new ImportError(
        'FILE_TOO_LARGE',
        `The first sheet lays out more than ${XLSX_BOUNDS.maxCells} cells (formatted cells far to the right count too). Copy the data to a new sheet, or save it as CSV UTF-8.`,
        { format: 'xlsx', limit: XLSX_BOUNDS.maxCells },
      );
    }
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A cell's value as text (see the module comment). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    // A serial day number in binary floating point: 09:30:00 is read as 09:29:59.9999.
    const at = new Date(Math.round(value.getTime() / 1000) * 1000);
    const day = `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
    const seconds = at.getUTCHours() * 3600 + at.getUTCMinutes() * 60 + at.getUTCSeconds();
    if (seconds === 0) return day;
    return `${day}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  }
  return String(value);
}

/** True when the bytes start like a ZIP archive. */
export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)
  );
}

/**
 * The first sheet of an XLSX workbook: its name and rows (every row of the sheet from the first,
 * blank ones as empty cells; each with its row number). See the module comment for the checks.
 */
export async function readXlsxRows(
  bytes: Uint8Array,
  limits: XlsxLimits,
): Promise<{ sheet: string; records: XlsxRecord[] }> {
  const entries = zipEntries(bytes);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  if (!byName.has('xl/workbook.xml')) {
    const what = byName.has('mimetype')
      ? 'an OpenDocument file (LibreOffice, Numbers export)'
      : byName.has('word/document.xml')
        ? 'a Word document'
        : 'a ZIP archive, not an Excel workbook';
    throw new ImportError('UNSUPPORTED_FORMAT', `The file is ${what}. Save the sheet as .xlsx or CSV UTF-8.`, {
      format: 'zip',
    });
  }
  const xmlParts = entries.filter((entry) => entry.name.endsWith('.xml') || entry.name.endsWith('.rels'));
  const xmlBytes = xmlParts.reduce((sum, entry) => sum + entry.size, 0);
  if (xmlBytes > XLSX_BOUNDS.maxXmlBytes) {
    throw new ImportError(
      'FILE_TOO_LARGE',
      `The workbook unpacks to ${xmlBytes} bytes of XML; at most ${XLSX_BOUNDS.maxXmlBytes} are read. Save the sheet as CSV UTF-8, or split it.`,
      { format: 'xlsx', uncompressedBytes: xmlBytes, limit: XLSX_BOUNDS.maxXmlBytes },
    );
  }
  const { Inflate, readSheet } = await xlsxLibraries();
  const text = (name: string) => {
    const entry = byName.get(name);
    return entry ? new TextDecoder().decode(inflateEntry(Inflate, bytes, entry, true)) : '';
  };
  const { path, name } = firstSheetPath(text('xl/workbook.xml'), text('xl/_rels/workbook.xml.rels'));
  const sheetEntry = byName.get(path);
  if (!sheetEntry) throw malformed(`its first sheet (${path}) is missing`);
  let sheetXml = '';
  for (const entry of xmlParts) {
    const kept = inflateEntry(Inflate, bytes, entry, entry === sheetEntry);
    if (kept) sheetXml = new TextDecoder().decode(kept);
  }
  scanSheet(sheetXml, limits);

  let rows: unknown[][];
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    rows = (await readSheet(buffer, 1, { parseNumber: (value: string) => value })) as unknown[][];
  } catch (error) {
    throw malformed(`the library reading it says: ${(error as Error).message ?? String(error)}`.slice(0, 300));
  }
  return {
    sheet: name,
    records: rows.map((row, i) => ({ cells: row.map(cellText), line: i + 1, endLine: i + 1 })),
  };
}
