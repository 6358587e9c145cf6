/**
 * Codes of the CSV import (docs/csv-import.md). They are stable: they are stored in the import
 * report (`events/{eventId}/imports/{importId}`), which clients read.
 *
 * File codes reject the whole file (report `status: 'rejected'`, `error.code`); row codes
 * reject one row (`rejectedRows[].code`) while the other rows are imported. REPORT_WRITE_FAILED
 * is the one code of a `failed` report: the import ran, its full report could not be stored.
 */
import { CodedError } from '../shared/errors.js';

export const FILE_ERROR_CODES = [
  /** The object is larger than IMPORT_LIMITS.maxBytes. */
  'FILE_TOO_LARGE',
  /** 0 bytes, or nothing but a byte order mark and white space. */
  'EMPTY_FILE',
  /** Not UTF-8 (nor UTF-16 with a byte order mark): e.g. Windows-1252 from "Save as CSV". */
  'NOT_UTF8',
  /** The CSV structure cannot be read past a point (a quote never closed, text after a closing quote). */
  'MALFORMED_CSV',
  /**
   * A file in a format certforge reads that cannot be read as such: an XLSX workbook whose ZIP
   * structure or XML is damaged, JSON with a syntax error (`details.line`, `details.column`), JSON
   * that is neither a list of objects nor records keyed by id.
   */
  'MALFORMED_FILE',
  /** A format certforge does not read: Excel 97-2003 (.xls), a password-protected workbook, OpenDocument, PDF, another ZIP archive. */
  'UNSUPPORTED_FORMAT',
  /** The header has no name column (name, full name). */
  'MISSING_NAME_COLUMN',
  /** Two header cells name the same field (e.g. "name" and "full name"). */
  'DUPLICATE_COLUMN',
  /** More header cells than IMPORT_LIMITS.maxColumns. */
  'TOO_MANY_COLUMNS',
  /** A header and no data row. */
  'NO_DATA_ROWS',
  /** More data rows than IMPORT_LIMITS.maxRows. */
  'TOO_MANY_ROWS',
  /** events/{eventId} does not exist. A new upload is processed again once it does. */
  'EVENT_NOT_FOUND',
  /** Storage or Firestore failed for longer than the retry window. A new upload is processed again. */
  'RETRY_EXHAUSTED',
  /** A bug: the import stopped on an unexpected error (logged). */
  'INTERNAL',
  /**
   * The report could not be stored (Firestore refused it): a small report with status `failed`,
   * the counts and this code is stored instead, without the lists of rows and columns.
   */
  'REPORT_WRITE_FAILED',
] as const;

export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

export const ROW_ERROR_CODES = [
  /** More cells than the header has (an unquoted delimiter inside a value, usually). */
  'TOO_MANY_CELLS',
  /** A control character (U+0000-U+001F except tab and line breaks, U+007F-U+009F). */
  'CONTROL_CHARACTER',
  /** U+FFFD: a character already lost by an earlier conversion of the file. */
  'REPLACEMENT_CHARACTER',
  /** The id cell is not a usable document id (1-128 characters, no "/" or white space). */
  'INVALID_ID',
  /** The name cell is empty. */
  'MISSING_NAME',
  'NAME_TOO_LONG',
  'INVALID_EMAIL',
  'EMAIL_TOO_LONG',
  'TALK_TITLE_TOO_LONG',
  /** Another column's value is longer than IMPORT_LIMITS.fieldLength. */
  'FIELD_TOO_LONG',
  /** An earlier row of the same file has the same speaker id. */
  'DUPLICATE_SPEAKER',
  /** The speaker document could not be written (it changed during the import, or Firestore refused it). */
  'WRITE_FAILED',
] as const;

export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

/** A file-level rejection. `details` is stored in the report with the code and message. */
export class ImportError extends CodedError<FileErrorCode> {
  override name = 'ImportError' as const;
}

export function isImportError(value: unknown): value is ImportError {
  return value instanceof ImportError;
}

/** A rejected row: the field at fault (null for the whole row), its code and the reason shown to the organizer. */
export class RowError extends CodedError<RowErrorCode> {
  override name = 'RowError' as const;
  constructor(
    readonly field: string | null,
    code: RowErrorCode,
    readonly reason: string,
  ) {
    super(code, reason, field === null ? {} : { field });
  }
}
