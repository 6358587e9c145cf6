/**
 * A speakers file, from bytes to validated rows: the one reader of people (import/participants.ts,
 * with the import's rules and no preset: a CSV, JSON or Realtime Database export; parseSpeakerFile
 * also XLSX), one check per field, deterministic document ids, duplicates. Pure (no Firebase); the
 * writes are import/apply-speakers.ts. docs/csv-import.md is the user's view of these rules.
 */
import { createHash } from 'node:crypto';
import type { CsvEncoding } from './csv.js';
import { ImportError, RowError, type RowErrorCode } from './errors.js';
import {
  checkPersonFields,
  mapHeader,
  readImportRows,
  type ColumnMap,
  type SourceRef,
  type TablePolicy,
} from './participants.js';
import { readSourceTable, readTextTable, type PeopleFormat, type SourceTable } from './table-formats.js';
import { MAX_NAME_LENGTH } from '../shared/template-data.js';
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
  return mapHeader(header, importPolicy(limits));
}

function importPolicy(limits: ImportLimits, columnChoices?: TablePolicy['columnChoices']): TablePolicy {
  return {
    kind: 'import',
    maxColumns: limits.maxColumns,
    maxRows: limits.maxRows,
    ...(columnChoices ? { columnChoices } : {}),
  };
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
  /** Physical line of the file the row starts on (XLSX: the sheet's row; JSON: the record's position, from 1). */
  line: number;
  /** Imported values by Firestore field path (name, email, talk.title, other columns); empty cells are absent. */
  fields: Record<string, string>;
}

export interface RejectedRow {
  /** As SpeakerRow.line. */
  line: number;
  /** JSON: the item's 0-based index, or the Realtime Database record's key. */
  index?: number;
  key?: string;
  /** The field at fault (`talk.title`, an extra column's name), or null for the whole row. */
  field: string | null;
  code: RowErrorCode;
  reason: string;
}

export interface ParsedSpeakerCsv {
  /** csv, xlsx, json or rtdb. */
  format: PeopleFormat;
  /** Null for XLSX. */
  encoding: CsvEncoding | null;
  /** Null for JSON and XLSX. */
  delimiter: 'comma' | 'semicolon' | 'tab' | null;
  columns: Record<string, string>;
  ignoredColumns: ColumnMap['ignored'];
  /** Data rows that are not blank: accepted + rejected. */
  rowsTotal: number;
  /** Rows whose cells are all empty (skipped, not counted in rowsTotal). */
  blankRows: number;
  rows: SpeakerRow[];
  rejected: RejectedRow[];
}

/**
 * Reads and checks a whole CSV or JSON file (an XLSX workbook: parseSpeakerFile). File-level
 * problems (encoding, header, limits, structure) throw an ImportError; row-level problems reject
 * that row and the others go on.
 */
export function parseSpeakerCsv(bytes: Uint8Array, limits: ImportLimits = IMPORT_LIMITS): ParsedSpeakerCsv {
  checkSize(bytes, limits);
  return checkRows(readTextTable(bytes, { maxRows: limits.maxRows, maxColumns: limits.maxColumns }), limits);
}

/** parseSpeakerCsv for any file readPeople reads, XLSX included (`fileName`: a hint for the format). */
export async function parseSpeakerFile(
  bytes: Uint8Array,
  limits: ImportLimits = IMPORT_LIMITS,
  fileName?: string,
  columnChoices?: TablePolicy['columnChoices'],
): Promise<ParsedSpeakerCsv> {
  checkSize(bytes, limits);
  const table = await readSourceTable(bytes, {
    maxRows: limits.maxRows,
    maxColumns: limits.maxColumns,
    ...(fileName !== undefined ? { fileName } : {}),
  });
  return checkRows(table, limits, columnChoices);
}

function checkSize(bytes: Uint8Array, limits: ImportLimits): void {
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
}

const DELIMITERS = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;

/** A row's line for the report: its line, else its position among the records (JSON). */
function lineOf(at: SourceRef, position: number): number {
  return at.line ?? position;
}

function checkRows(
  table: SourceTable,
  limits: ImportLimits,
  columnChoices?: TablePolicy['columnChoices'],
): ParsedSpeakerCsv {
  const source = {
    format: table.format,
    encoding: table.encoding ?? null,
    delimiter: table.delimiter ? DELIMITERS[table.delimiter] : null,
  };
  let read: ReturnType<typeof readImportRows>;
  try {
    read = readImportRows(table, importPolicy(limits, columnChoices));
  } catch (error) {
    // What was learnt before the failure helps to understand it (a missing name column is
    // often a wrong delimiter).
    if (error instanceof ImportError) {
      Object.assign(error.details, {
        ...(source.encoding ? { encoding: source.encoding } : {}),
        ...(source.delimiter ? { delimiter: source.delimiter } : {}),
      });
    }
    throw error;
  }
  const rows: SpeakerRow[] = [];
  const rejected: RejectedRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const [position, row] of read.rows.entries()) {
    const line = lineOf(row.at, position + 1);
    try {
      if (row.error) throw row.error;
      const fields = row.fields!;
      checkPersonFields(fields, limits);
      const { id, source: idSource } = speakerIdFor({
        id: fields.id,
        email: fields.email,
        name: fields.name!,
        talkTitle: fields['talk.title'],
      });
      const earlier = firstLineOf.get(id);
      if (earlier !== undefined) {
        const field = idSource === 'id' ? 'id' : idSource === 'email' ? 'email' : 'name';
        const by =
          idSource === 'id'
            ? `id "${excerpt(id, 60)}"`
            : idSource === 'email'
              ? 'same email'
              : 'same name and talk title';
        throw new RowError(field, 'DUPLICATE_SPEAKER', `same speaker as line ${earlier} (${by})`);
      }
      firstLineOf.set(id, line);
      delete fields.id;
      rows.push({ id, idSource, line, fields });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      rejected.push({
        line,
        ...(row.at.index !== undefined ? { index: row.at.index } : {}),
        ...(row.at.key !== undefined ? { key: row.at.key } : {}),
        field: error.field,
        code: error.code,
        reason: error.reason,
      });
    }
  }
  if (rows.length + rejected.length === 0) {
    throw new ImportError('NO_DATA_ROWS', 'The file has a header but no data rows.', {
      ...(source.encoding ? { encoding: source.encoding } : {}),
      ...(source.delimiter ? { delimiter: source.delimiter } : {}),
    });
  }
  return {
    ...source,
    columns: read.columns.fields,
    ignoredColumns: read.columns.ignored,
    rowsTotal: rows.length + rejected.length,
    blankRows: read.blankRows,
    rows,
    rejected,
  };
}
