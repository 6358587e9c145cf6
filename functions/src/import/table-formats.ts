/**
 * Bytes → a table of text cells, whatever the organizer has: CSV (comma, semicolon or tab; UTF-8
 * with or without BOM, UTF-16 LE/BE with BOM: import/csv.ts), XLSX (the first sheet:
 * import/table-xlsx.ts), a JSON array of objects, or a Firebase Realtime Database export (an
 * object of records keyed by id, possibly wrapped one level: `{"speakers": {"-Nabc": {…}}}`).
 * Pure. The format is detected from the bytes; the file name only settles what the bytes leave
 * open (a `.csv` file whose first character is `[` is CSV).
 *
 * JSON records become rows under a header of their keys (in the order they first appear): a
 * nested object gives dotted keys one level down (`{"talk": {"title": …}}` → `talk.title`),
 * numbers and booleans their text, null nothing; a deeper object or a list is not read (a
 * warning names the key once). A Realtime Database record's key is its `id` (a record's own id
 * key is then not read, with a warning when it differs). A JSON item that is not an object is
 * that row's error (MISSING_NAME: it names nobody).
 *
 * Bounds: JSON.parse is iterative in V8 (a 10⁶-deep array costs no stack) and records are only
 * walked one level; at most `maxColumns` distinct keys (TOO_MANY_COLUMNS) and `maxRows` records
 * (TOO_MANY_ROWS). Refusals are ImportErrors: MALFORMED_FILE (JSON syntax with its line and
 * column, a JSON value that is no table), UNSUPPORTED_FORMAT (Excel 97-2003 .xls, OpenDocument,
 * PDF, other ZIP archives), and those of csv.ts and table-xlsx.ts.
 */
import {
  DELIMITER_NAMES,
  decodeCsvBytes,
  detectDelimiter,
  readCsvRecords,
  type CsvDelimiter,
  type CsvEncoding,
} from './csv.js';
import { ImportError, RowError } from './errors.js';
import { headerMeaning } from './table-headers.js';
import { isZip, readXlsxRows, XLSX_BOUNDS } from './table-xlsx.js';
import { excerpt, isRecord } from '../shared/values.js';

export type PeopleFormat = 'csv' | 'xlsx' | 'json' | 'rtdb';

/** One row of a table: its cells and where it is (a line of a file, a JSON item or record). */
export interface SourceRecord {
  cells: string[];
  /** CSV: the physical line the row starts on; XLSX: the sheet's row number. */
  line?: number;
  endLine?: number;
  /** JSON array: the item's 0-based index. */
  index?: number;
  /** Realtime Database export: the record's key. */
  key?: string;
  /** The row cannot be read at all (a JSON item that is not an object). */
  error?: RowError;
}

export interface SourceTable {
  format: PeopleFormat;
  /** Header first (JSON: the keys), then the data rows; blank rows included. */
  records: SourceRecord[];
  encoding?: CsvEncoding;
  delimiter?: CsvDelimiter;
  /** XLSX: the sheet read. */
  sheet?: string;
  /** Realtime Database: the key of the wrapper the records were under. */
  collection?: string;
  /** Keys not read, and the like: each message once. */
  warnings: string[];
}

export interface SourceOptions {
  /** A hint: `.csv`, `.tsv`, `.txt`, `.json`, `.xlsx`. */
  fileName?: string;
  /** Data rows (blank ones included) before TOO_MANY_ROWS; the header is not counted. */
  maxRows?: number;
  /** Distinct keys of JSON records (CSV and XLSX: header cells, checked by the header's reader). */
  maxColumns?: number;
}

function unsupported(what: string, format: string): ImportError {
  return new ImportError('UNSUPPORTED_FORMAT', `The file is ${what}, which is not read. ${SAVE_AS}`, { format });
}

const SAVE_AS = 'Save the sheet as .xlsx or as CSV UTF-8, or export a JSON list of people.';

/** What the bytes are: refuses at once the formats that are no table certforge reads. */
export function sniffFormat(bytes: Uint8Array, fileName?: string): 'csv' | 'xlsx' | 'json' {
  const b = bytes;
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
    throw unsupported('an Excel 97-2003 workbook (.xls) or a password-protected workbook', 'xls');
  }
  if (isZip(b)) return 'xlsx';
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) throw unsupported('a PDF document', 'pdf');
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName ?? '')?.[1]?.toLowerCase();
  if (extension === 'csv' || extension === 'tsv' || extension === 'txt') return 'csv';
  // The first character that is not white space (after a UTF-8 or UTF-16 byte order mark).
  const step = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) ? 2 : 1;
  let i = step === 2 ? 2 : b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  const at = (k: number) => (step === 1 ? b[k]! : b[0] === 0xff ? b[k]! | (b[k + 1]! << 8) : (b[k]! << 8) | b[k + 1]!);
  while (i + step <= b.length && (at(i) === 0x20 || at(i) === 0x09 || at(i) === 0x0a || at(i) === 0x0d)) i += step;
  const first = i + step <= b.length ? at(i) : 0;
  if (first === 0x5b || first === 0x7b || extension === 'json') return 'json';
  return 'csv';
}

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * The offset of the first syntax error of a JSON text (JSON.parse does not always say where).
 * One pass, a stack of brackets, no recursion.
 */
export function jsonErrorOffset(text: string): number {
  const blank = /[ \t\n\r]*/y;
  const string = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const literal = /true|false|null/y;
  const stack: string[] = [];
  let state: 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'after' = 'value';
  let i = 0;
  const match = (pattern: RegExp) => {
    pattern.lastIndex = i;
    if (!pattern.test(text)) return false;
    i = pattern.lastIndex;
    return true;
  };
  for (;;) {
    match(blank);
    if (i >= text.length) return state === 'after' && stack.length === 0 ? -1 : i;
    const ch = text[i]!;
    const top = stack[stack.length - 1];
    if (state === 'after') {
      if (ch === ',' && top) {
        i++;
        state = top === '[' ? 'value' : 'key';
      } else if ((ch === ']' && top === '[') || (ch === '}' && top === '{')) {
        stack.pop();
        i++;
      } else return i;
    } else if (state === 'colon') {
      if (ch !== ':') return i;
      i++;
      state = 'value';
    } else if (state === 'key' || state === 'keyOrClose') {
      if (state === 'keyOrClose' && ch === '}') {
        stack.pop();
        i++;
        state = 'after';
      } else if (match(string)) state = 'colon';
      else return i;
    } else if (state === 'valueOrClose' && ch === ']') {
      stack.pop();
      i++;
      state = 'after';
    } else if (ch === '[' || ch === '{') {
      stack.push(ch);
      i++;
      state = ch === '[' ? 'valueOrClose' : 'keyOrClose';
    } else if (match(string) || match(number) || match(literal)) state = 'after';
    else return i;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const where = offset >= 0 ? position(text, offset) : undefined;
    throw new ImportError(
      'MALFORMED_FILE',
      `The file is not valid JSON${where ? ` (line ${where.line}, column ${where.column})` : ''}: ${excerpt((error as Error).message, 200)}.`,
      { format: 'json', ...(where ?? {}) },
    );
  }
}

/** Keys a wrapper of records is commonly named; the first found is read when an object has several. */
const COLLECTION_KEYS = ['participants', 'attendees', 'people', 'speakers', 'registrants', 'users', 'members'];

/** An object whose values are all objects: records keyed by id. */
function isRecordsById(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const values = Object.values(value);
  return values.length > 0 && values.every((item) => isRecord(item) || item === null);
}

/** A record: an object with at least one value that is not an object (a name, an email). */
function isFlatRecord(value: unknown): boolean {
  return isRecord(value) && Object.values(value).some((item) => item !== null && !isRecord(item));
}

interface JsonItems {
  format: 'json' | 'rtdb';
  items: { index?: number; key?: string; value: unknown }[];
  collection?: string;
}

/** The records of a JSON document (see the module comment). */
function jsonItems(value: unknown): JsonItems {
  const table = (inner: unknown, collection?: string): JsonItems | undefined => {
    if (Array.isArray(inner)) {
      return { format: 'json', items: inner.map((item, index) => ({ index, value: item })), collection };
    }
    if (isRecordsById(inner) && Object.values(inner).some(isFlatRecord)) {
      return { format: 'rtdb', items: Object.entries(inner).map(([key, item]) => ({ key, value: item })), collection };
    }
    return undefined;
  };
  const direct = table(value);
  if (direct) return direct;
  if (isRecord(value)) {
    const keys = Object.keys(value);
    const named = COLLECTION_KEYS.find((key) => keys.includes(key) && table(value[key]));
    if (named) return table(value[named], named)!;
    if (keys.length === 1) {
      const wrapped = table(value[keys[0]!], keys[0]);
      if (wrapped) return wrapped;
    }
  }
  const what = Array.isArray(value)
    ? 'a list'
    : isRecord(value)
      ? 'an object'
      : `a ${value === null ? 'null' : typeof value}`;
  throw new ImportError(
    'MALFORMED_FILE',
    `The JSON file is ${what} that is not a table of people: give a list of objects ([{"name": …}, …]) or records keyed by id ({"-Nabc": {"name": …}, …}), possibly under one key ({"speakers": …}).`,
    { format: 'json' },
  );
}

function describe(value: unknown): string {
  return Array.isArray(value)
    ? 'a list'
    : value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;
}

/** The JSON records as a header of their keys and rows of cells (see the module comment). */
function jsonTable(json: JsonItems, options: SourceOptions): SourceTable {
  const maxRows = options.maxRows ?? Infinity;
  const maxColumns = options.maxColumns ?? Infinity;
  if (json.items.length > maxRows) {
    throw new ImportError('TOO_MANY_ROWS', `The file has more than ${maxRows} records. Split it into several files.`, {
      format: json.format,
      limit: maxRows,
    });
  }
  const warnings = new Set<string>();
  const columns = new Map<string, number>();
  const rtdb = json.format === 'rtdb';
  if (rtdb) columns.set('id', 0);
  const column = (key: string): number => {
    let at = columns.get(key);
    if (at === undefined) {
      if (columns.size >= maxColumns) {
        throw new ImportError(
          'TOO_MANY_COLUMNS',
          `The records have more than ${maxColumns} different keys; at most ${maxColumns} are allowed.`,
          { format: json.format, limit: maxColumns },
        );
      }
      at = columns.size;
      columns.set(key, at);
    }
    return at;
  };
  const where = (item: { index?: number; key?: string }) =>
    item.key !== undefined ? `record "${excerpt(item.key, 60)}"` : `item ${item.index}`;
  const records: SourceRecord[] = [];
  for (const item of json.items) {
    const record: SourceRecord = {
      cells: [],
      ...(item.index !== undefined ? { index: item.index } : {}),
      ...(item.key !== undefined ? { key: item.key } : {}),
    };
    records.push(record);
    if (item.value === null) continue; // a deleted record, a hole of an exported list: a blank row
    if (!isRecord(item.value)) {
      record.error = new RowError(
        null,
        'MISSING_NAME',
        `${where(item)} is ${describe(item.value)}, not an object: it names nobody`,
      );
      continue;
    }
    if (rtdb) record.cells[0] = item.key!;
    const put = (key: string, value: unknown) => {
      if (value === null || value === undefined) return;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        record.cells[column(key)] = String(value);
        return;
      }
      warnings.add(
        `key "${excerpt(key, 60)}" is not read: it holds ${describe(value)} (only text, numbers and true/false are)`,
      );
    };
    for (const [key, value] of Object.entries(item.value)) {
      if (rtdb && headerMeaning(key) === 'id') {
        if (value !== null && String(value) !== item.key) {
          warnings.add(`key "${excerpt(key, 60)}" is not read: a record's key is its id`);
        }
        continue;
      }
      if (isRecord(value)) for (const [inner, innerValue] of Object.entries(value)) put(`${key}.${inner}`, innerValue);
      else put(key, value);
    }
  }
  const header = [...columns.keys()];
  for (const record of records) for (let i = 0; i < header.length; i++) record.cells[i] ??= '';
  return {
    format: json.format,
    records: [{ cells: header }, ...records],
    warnings: [...warnings],
    ...(json.collection ? { collection: json.collection } : {}),
  };
}

/** A CSV or JSON file (XLSX: readSourceTable). Throws the ImportErrors of the module comment. */
export function readTextTable(bytes: Uint8Array, options: SourceOptions = {}): SourceTable {
  const format = sniffFormat(bytes, options.fileName);
  if (format === 'xlsx') {
    throw new ImportError('UNSUPPORTED_FORMAT', 'An XLSX workbook is read by the asynchronous reader (readPeople).', {
      format: 'xlsx',
    });
  }
  const { text, encoding } = decodeCsvBytes(bytes);
  if (text.trim() === '') throw new ImportError('EMPTY_FILE', 'The file is empty.', { encoding });
  if (format === 'json') return { ...jsonTable(jsonItems(parseJson(text)), options), encoding };
  let delimiter: CsvDelimiter | undefined;
  try {
    delimiter = detectDelimiter(text);
    const maxRecords = options.maxRows === undefined ? undefined : options.maxRows + 1;
    const read = readCsvRecords(text, { delimiter, ...(maxRecords !== undefined ? { maxRecords } : {}) });
    if (read.truncated) {
      throw new ImportError(
        'TOO_MANY_ROWS',
        `The file has more than ${options.maxRows} rows. Split it into several files.`,
        {
          limit: options.maxRows,
        },
      );
    }
    return { format: 'csv', records: read.records, encoding, delimiter, warnings: [] };
  } catch (error) {
    if (error instanceof ImportError) {
      Object.assign(error.details, { encoding, ...(delimiter ? { delimiter: DELIMITER_NAMES[delimiter] } : {}) });
    }
    throw error;
  }
}

/** Any supported file (see the module comment). */
export async function readSourceTable(bytes: Uint8Array, options: SourceOptions = {}): Promise<SourceTable> {
  if (bytes.length === 0) throw new ImportError('EMPTY_FILE', 'The file is empty.');
  if (sniffFormat(bytes, options.fileName) !== 'xlsx') return readTextTable(bytes, options);
  const maxRows = (options.maxRows ?? XLSX_BOUNDS.maxRows - 1) + 1;
  const { sheet, records } = await readXlsxRows(bytes, { maxRows, maxColumns: options.maxColumns ?? 1000 });
  return { format: 'xlsx', records, sheet, warnings: [] };
}
