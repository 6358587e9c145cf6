/**
 * A speakers CSV, from bytes to validated rows: decoding, delimiter, header (the one reader of
 * people, import/participants.ts, with the import's rules), one check per field, deterministic
 * document ids, duplicates. Pure (no Firebase); the writes are import/apply-speakers.ts.
 * docs/csv-import.md is the user's view of these rules.
 */
import { createHash } from 'node:crypto';
import {
  DELIMITER_NAMES,
  decodeCsvBytes,
  detectDelimiter,
  readCsvRecords,
  type CsvDelimiter,
  type CsvEncoding,
  type CsvRecord,
} from './csv.js';
import { ImportError, RowError, type RowErrorCode } from './errors.js';
import { checkCellCount, isBlankRecord, mapHeader, type ColumnMap } from './participants.js';
import { MAX_NAME_LENGTH } from '../shared/template-data.js';
import { isEmailAddress } from '../shared/mail.js';
import { isValidDocId } from '../shared/paths.js';
import { excerpt } from '../shared/values.js';

export { aliasKey, type ColumnMap, type KnownField } from './participants.js';

export interface ImportLimits {
  /** Largest file, in bytes (storage.rules lets organizers upload less than 10 MiB). */
  maxBytes: number;
  /** Data rows (blank rows included), header excluded. */
  maxRows: number;
  /** Header cells. */
  maxColumns: number;
  /** Lengths in characters (Unicode code points), after trimming. */
  nameLength: number;
  emailLength: number;
  talkTitleLength: number;
  /** Any other kept column. */
  fieldLength: number;
  /** Rejected rows listed in the report (all of them are counted). */
  maxRejectedListed: number;
}

export const IMPORT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  maxRows: 50_000,
  maxColumns: 50,
  nameLength: MAX_NAME_LENGTH,
  emailLength: 254,
  talkTitleLength: 500,
  fieldLength: 1000,
  maxRejectedListed: 1000,
});

/** Maps the header row with the import's rules (import/participants.ts); see mapHeader for what rejects the file. */
export function mapColumns(header: string[], limits: ImportLimits = IMPORT_LIMITS): ColumnMap {
  return mapHeader(header, { kind: 'import', maxColumns: limits.maxColumns });
}

/** Where an id came from: the id column, the normalized email, or name + talk title. */
export type IdSource = 'id' | 'email' | 'name+title';

/** 20 base64url characters (120 bits) of sha256 over a domain-separated key. */
function hashId(...parts: string[]): string {
  const id = createHash('sha256')
    .update(['certforge-speaker', ...parts].join('\u0000'), 'utf8')
    .digest('base64url')
    .slice(0, 20);
  // base64url has no '/' and 20 characters are never '.' or '..', but could in theory be
  // '__x__', which Firestore reserves.
  return /^__.*__$/.test(id) ? `x${id.slice(1)}` : id;
}

/** Lower-cased, white space collapsed: "Ada  LOVELACE" and "ada lovelace" give the same id. */
function identityKey(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * The speaker document id of a row: the id cell when given, else derived from the email
 * (trimmed, lower-cased), else from name + talk title. Deterministic, so importing the same
 * speaker again finds the same document.
 */
export function speakerIdFor(row: { id?: string; email?: string; name: string; talkTitle?: string }): {
  id: string;
  source: IdSource;
} {
  if (row.id) return { id: row.id, source: 'id' };
  if (row.email) return { id: hashId('email', row.email.trim().toLowerCase()), source: 'email' };
  return { id: hashId('name+title', identityKey(row.name), identityKey(row.talkTitle ?? '')), source: 'name+title' };
}

/** A valid row, ready to write. */
export interface SpeakerRow {
  id: string;
  idSource: IdSource;
  /** Physical line of the file the row starts on. */
  line: number;
  /** Imported values by Firestore field path (name, email, talk.title, other columns); empty cells are absent. */
  fields: Record<string, string>;
}

export interface RejectedRow {
  line: number;
  /** The field at fault (`talk.title`, an extra column's name), or null for the whole row. */
  field: string | null;
  code: RowErrorCode;
  reason: string;
}

export interface ParsedSpeakerCsv {
  encoding: CsvEncoding;
  delimiter: 'comma' | 'semicolon' | 'tab';
  columns: Record<string, string>;
  ignoredColumns: ColumnMap['ignored'];
  /** Data rows that are not blank: accepted + rejected. */
  rowsTotal: number;
  /** Rows whose cells are all empty (skipped, not counted in rowsTotal). */
  blankRows: number;
  rows: SpeakerRow[];
  rejected: RejectedRow[];
}

// C0 controls except tab, LF, CR; DEL; C1 controls (a sign of Windows-1252 read as Latin-1).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE_BREAKS_AND_TABS = /[ \t]*[\t\r\n]+[ \t]*/g;

function length(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** NFC, control characters refused, line breaks and tabs (a multi-line cell) become one space, trimmed. */
function cleanCell(raw: string, field: string): string {
  const value = raw.normalize('NFC');
  const control = CONTROL.exec(value);
  if (control) {
    throw new RowError(
      field,
      'CONTROL_CHARACTER',
      `${field} contains the control character ${codePoint(control[0])} at position ${length(value.slice(0, control.index)) + 1}`,
    );
  }
  const replacement = value.indexOf('\uFFFD');
  if (replacement >= 0) {
    throw new RowError(
      field,
      'REPLACEMENT_CHARACTER',
      `${field} contains U+FFFD "\uFFFD" at position ${length(value.slice(0, replacement)) + 1}: a character was lost when the file was converted earlier`,
    );
  }
  return value.replace(LINE_BREAKS_AND_TABS, ' ').trim();
}

function validateRow(
  record: CsvRecord,
  header: string[],
  columns: ColumnMap,
  limits: ImportLimits,
): Record<string, string> {
  checkCellCount(record, header.length);
  const fields: Record<string, string> = {};
  for (const [index, field] of columns.byIndex) {
    const value = cleanCell(record.cells[index] ?? '', field);
    if (value !== '') fields[field] = value;
  }
  const { id, name, email } = fields;
  if (id !== undefined && !isValidDocId(id)) {
    throw new RowError(
      'id',
      'INVALID_ID',
      `"${excerpt(id, 60)}" is not a usable id (1-128 characters without "/" or spaces; not "." or ".."; not __x__)`,
    );
  }
  if (name === undefined) throw new RowError('name', 'MISSING_NAME', 'the name is empty');
  if (length(name) > limits.nameLength) {
    throw new RowError(
      'name',
      'NAME_TOO_LONG',
      `the name has ${length(name)} characters; at most ${limits.nameLength} are allowed`,
    );
  }
  if (email !== undefined) {
    if (length(email) > limits.emailLength) {
      throw new RowError(
        'email',
        'EMAIL_TOO_LONG',
        `the email has ${length(email)} characters; at most ${limits.emailLength} are allowed`,
      );
    }
    if (!isEmailAddress(email))
      throw new RowError('email', 'INVALID_EMAIL', `"${excerpt(email, 60)}" is not an email address`);
  }
  const title = fields['talk.title'];
  if (title !== undefined && length(title) > limits.talkTitleLength) {
    throw new RowError(
      'talk.title',
      'TALK_TITLE_TOO_LONG',
      `the talk title has ${length(title)} characters; at most ${limits.talkTitleLength} are allowed`,
    );
  }
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'id' || field === 'name' || field === 'email' || field === 'talk.title') continue;
    if (length(value) > limits.fieldLength) {
      throw new RowError(
        field,
        'FIELD_TOO_LONG',
        `${field} has ${length(value)} characters; at most ${limits.fieldLength} are allowed`,
      );
    }
  }
  return fields;
}

/**
 * Reads and checks a whole file. File-level problems (encoding, header, limits, structure)
 * throw an ImportError; row-level problems reject that row and the others go on.
 */
export function parseSpeakerCsv(bytes: Uint8Array, limits: ImportLimits = IMPORT_LIMITS): ParsedSpeakerCsv {
  if (bytes.length > limits.maxBytes) {
    throw new ImportError(
      'FILE_TOO_LARGE',
      `The file has ${bytes.length} bytes; at most ${limits.maxBytes} are allowed. Split it into several files.`,
      {
        bytes: bytes.length,
        limit: limits.maxBytes,
      },
    );
  }
  const { text, encoding } = decodeCsvBytes(bytes);
  let delimiter: CsvDelimiter | undefined;
  try {
    if (text.trim() === '') throw new ImportError('EMPTY_FILE', 'The file is empty.');
    delimiter = detectDelimiter(text);
    const read = readCsvRecords(text, { delimiter, maxRecords: limits.maxRows + 1 });
    if (read.truncated) {
      throw new ImportError(
        'TOO_MANY_ROWS',
        `The file has more than ${limits.maxRows} rows. Split it into several files.`,
        {
          limit: limits.maxRows,
        },
      );
    }
    return checkRows(read.records, limits, encoding, delimiter);
  } catch (error) {
    // What was learnt before the failure helps to understand it (a missing name column is
    // often a wrong delimiter).
    if (error instanceof ImportError) {
      Object.assign(error.details, { encoding, ...(delimiter ? { delimiter: DELIMITER_NAMES[delimiter] } : {}) });
    }
    throw error;
  }
}

function checkRows(
  records: CsvRecord[],
  limits: ImportLimits,
  encoding: CsvEncoding,
  delimiter: CsvDelimiter,
): ParsedSpeakerCsv {
  const [headerRecord, ...data] = records;
  if (!headerRecord) throw new ImportError('EMPTY_FILE', 'The file is empty.');
  const header = headerRecord.cells;
  const columns = mapColumns(header, limits);

  const rows: SpeakerRow[] = [];
  const rejected: RejectedRow[] = [];
  const firstLineOf = new Map<string, number>();
  let blankRows = 0;
  for (const record of data) {
    if (isBlankRecord(record)) {
      blankRows++;
      continue;
    }
    try {
      const fields = validateRow(record, header, columns, limits);
      const { id, source } = speakerIdFor({
        id: fields.id,
        email: fields.email,
        name: fields.name!,
        talkTitle: fields['talk.title'],
      });
      const earlier = firstLineOf.get(id);
      if (earlier !== undefined) {
        const field = source === 'id' ? 'id' : source === 'email' ? 'email' : 'name';
        const by =
          source === 'id' ? `id "${excerpt(id, 60)}"` : source === 'email' ? 'same email' : 'same name and talk title';
        throw new RowError(field, 'DUPLICATE_SPEAKER', `same speaker as line ${earlier} (${by})`);
      }
      firstLineOf.set(id, record.line);
      delete fields.id;
      rows.push({ id, idSource: source, line: record.line, fields });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      rejected.push({ line: record.line, field: error.field, code: error.code, reason: error.reason });
    }
  }
  if (rows.length + rejected.length === 0) {
    throw new ImportError('NO_DATA_ROWS', 'The file has a header but no data rows.');
  }
  return {
    encoding,
    delimiter: DELIMITER_NAMES[delimiter],
    columns: columns.fields,
    ignoredColumns: columns.ignored,
    rowsTotal: rows.length + rejected.length,
    blankRows,
    rows,
    rejected,
  };
}
