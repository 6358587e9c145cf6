/**
 * The one reader of people: a file (CSV, XLSX, JSON, a Realtime Database export) or a table → people,
 * for the Storage import (import/speakers-csv.ts), the batch CLI (cli/render.ts), the organizer
 * console and the connectors. Pure: no Firebase, no I/O. docs/csv-import.md ("Columns", "Exports
 * of other systems") is the user's view of these rules.
 *
 *   readPeople(bytes, options)       any supported file (async: XLSX is read by a library that is)
 *   readPeopleSync(bytes, options)   CSV and JSON
 *   readPeopleFromTable(table, …)    rows a program already has (import/table-formats.ts SourceTable)
 *   readCsvTable, readJsonTable      the CLI's readers (decoded text, parsed JSON), the same rules
 *
 * The file becomes a table of text cells (import/table-formats.ts: the format is detected from the
 * bytes), whose header is read by mapHeader. A key (a header cell, a key of a JSON record) is read
 * in this order:
 *
 *  1. Known fields, compared without regard to case, spacing, punctuation and accents, in the
 *     languages of the verification page (import/table-headers.ts HEADER_ALIASES): `name`, `Full
 *     Name`, `Nombre`, `氏名` → name; `email`, `E-Mail`, `Correo electrónico`, `メールアドレス` →
 *     email; `talk`, `Talk Title`, `title`, `Título` → talk.title; `id`, `speaker id` → id; `role`,
 *     `Rol`, `Rolle`, `役割` → role. A given-name and a family-name column (`First Name` + `Last
 *     Name`, `Nombre` + `Apellidos`, `姓` + `名`) are joined into the name in the order of the
 *     event's locale (joinNameParts) when the table has no full-name column; such a column is also
 *     kept under its own name when rule 4 keeps that name. So `Name`, `NAME`, `Full Name` and
 *     `{"NAME": "Ada"}` all give `name` (and `E-Mail` is the email, which the template never gets).
 *  2. certforge's reserved keys, spelled exactly as certforge spells them: `event`,
 *     `signatories`, `locale`, `certificate`, `issuedAt` (RESERVED_KEYS, shared/template-data.ts).
 *     They keep certforge's meaning. The import ignores such a column (listed in the report's
 *     `ignoredColumns`): the functions write `certificate` and take the others from the event.
 *     The CLI reads them as the row's own values for its certificate when they have certforge's
 *     shape (`event` an object merged over the event, `signatories` a list, `certificate` an
 *     object whose `id` and `url` are used, `locale` and `issuedAt` text); any other value (a CSV
 *     column `event` holding text) is not used, with a warning that says how to name it.
 *  3. A key that differs from a reserved key only by case (`EVENT`, `Event`, `Locale`) is the
 *     row's own field, kept as written, with a warning. Why: certforge's keys are five names in
 *     one spelling, so an exact match is a deliberate use of them (and the CLI documents those
 *     uses), while anything else is the organizer's data, which must never be dropped or replaced
 *     by certforge's objects by accident. Placeholders match exact names first, so `{{EVENT}}`
 *     reads the column and `{{event.name}}` the event (`{{Event}}`, matching neither exactly and
 *     both ignoring case, is ambiguous: MISSING_FIELD).
 *  4. Any other key is a field of that name. Import: a simple name (an ASCII letter, then
 *     letters, digits or `_`; at most 64), one level, a string. CLI: a dotted path nests
 *     (`talk.track`, `event.place`, `signatories.0.name`), its parts letters, digits, `_` or `-`.
 *     JSON rows are taken as they are nested. Names of JavaScript built-ins (`__proto__`,
 *     `constructor`, `toString`, …) are never fields, at any level.
 *
 * A preset (import/presets.ts: Zoom's participant report, Eventbrite's attendee report, Indico's
 * registrants) is detected from the header, or forced, and reads the columns those exports have
 * for attendance: sessions, statuses, check-ins. readPeople then makes one person of the rows of
 * one person (PeopleOptions.duplicates): the same id, else the same email (ignoring case), else
 * the same name (ignoring case and spacing) for rows without an email; their attendance is added
 * up (mergeAttendance). The CLI merges only the rows of a recognized export.
 *
 * Bounds, so that any input is read in time and memory proportional to its size:
 *  - a path has at most TABLE_BOUNDS.maxDepth parts and a numeric part (a list index) is at most
 *    TABLE_BOUNDS.maxIndex: a header `signatories.2000000.name` is LIMIT_EXCEEDED at once, not a
 *    list of two million entries;
 *  - a JSON row nested deeper than TABLE_BOUNDS.maxDepth is that row's LIMIT_EXCEEDED (measured
 *    without recursion), and the other rows go on;
 *  - at most TablePolicy.maxColumns header cells (TOO_MANY_COLUMNS), TablePolicy.maxRows rows;
 *  - the formats' own bounds (import/table-formats.ts, import/table-xlsx.ts); people are merged
 *    through hash maps, warnings are capped (MAX_WARNINGS).
 *
 * Errors: a file or header problem rejects the table (ImportError: TOO_MANY_COLUMNS,
 * DUPLICATE_COLUMN, MISSING_NAME_COLUMN, …, or CertforgeError LIMIT_EXCEEDED naming the column);
 * a row problem rejects that row, with its line (JSON: its index or key) and field, and the
 * others go on (RowError TOO_MANY_CELLS, the import's checks; CertforgeError INVALID_DATA or
 * LIMIT_EXCEEDED).
 */
import { CertforgeError } from '../render/errors.js';
import type { CodedError } from '../shared/errors.js';
import { isEmailAddress } from '../shared/mail.js';
import { isValidDocId } from '../shared/paths.js';
import { MAX_NAME_LENGTH, RESERVED_KEYS, type ReservedKey } from '../shared/template-data.js';
import { excerpt, isRecord, nestingDepth } from '../shared/values.js';
import { readCsvRecords, type CsvRecord } from './csv.js';
import { ImportError, RowError } from './errors.js';
import {
  detectPreset,
  findTableStart,
  isYes,
  PRESETS,
  splitZoomName,
  statusMeaning,
  type PresetName,
  type PresetColumn,
  type PresetOption,
  type Preset,
} from './presets.js';
import {
  readSourceTable,
  readTextTable,
  type PeopleFormat,
  type SourceRecord,
  type SourceTable,
} from './table-formats.js';
import { headerMeaning, joinNameParts, resolveNameColumns, roleSlug, type HeaderMeaning } from './table-headers.js';
import {
  instantOf,
  isoDay,
  isoInstant,
  isTimeZone,
  parseWallClock,
  slashOrderOf,
  type SlashOrder,
} from './table-times.js';

/** Field paths of the known columns (`id` is the document id in the import). */
export type KnownField = 'id' | 'name' | 'email' | 'talk.title' | 'role';

/** The original import's header key: trimmed, lower-cased, spaces, `_`, `-` and `.` removed. */
export function aliasKey(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_.-]+/g, '');
}

/** The known field a header cell or key names, if any (a name part is none: see mapHeader). */
export function knownField(key: string): KnownField | undefined {
  const meaning = headerMeaning(key);
  return meaning === 'given' || meaning === 'family' ? undefined : meaning;
}

export const TABLE_BOUNDS = Object.freeze({
  /** Parts of a dotted path, and levels of a JSON row. */
  maxDepth: 32,
  /** The largest list index in a dotted path (`signatories.99.name`). */
  maxIndex: 99,
  /** Characters of a dotted path (the core's longest placeholder). */
  maxPathLength: 200,
});

/**
 * How a table is read: the import's rules or the CLI's (see the module comment, rules 2 and 4).
 * `import` also cleans every cell (cleanCell) and checks a person's fields (checkPersonFields).
 */
export interface TablePolicy {
  kind: 'import' | 'render';
  /** Most header cells. */
  maxColumns: number;
  /** Most data rows, blank ones included (TOO_MANY_ROWS); unbounded when absent (CSV, JSON) or 100,000 (XLSX). */
  maxRows?: number;
  /**
   * The organizer's reading of columns, by header cell as written (the console's mapping step):
   * it wins over a preset and over the generic rules. `ignore` leaves a column out.
   */
  columnChoices?: Readonly<Record<string, ColumnChoice>>;
}

/** What an organizer may say a column is (TablePolicy.columnChoices). */
export const COLUMN_CHOICES = ['name', 'given', 'family', 'email', 'talk.title', 'id', 'role', 'ignore'] as const;
export type ColumnChoice = (typeof COLUMN_CHOICES)[number];

/** A column choice as a preset's column (mapHeader reads both the same way). */
function choiceColumn(choice: ColumnChoice): PresetColumn {
  if (choice === 'ignore') return { ignore: 'not read (the mapping chosen for this import)' };
  if (choice === 'name' || choice === 'given' || choice === 'family' || choice === 'email') return choice;
  return { field: choice };
}

/** The CLI's rules. At most 1,000 columns (the import: IMPORT_LIMITS.maxColumns). */
export const RENDER_TABLE: Readonly<TablePolicy> = Object.freeze({ kind: 'render', maxColumns: 1000 });

/** readPeople's default: the import's rules for up to 200 columns (exports carry many) and 50,000 rows. */
export const PEOPLE_TABLE: Readonly<TablePolicy> = Object.freeze({ kind: 'import', maxColumns: 200, maxRows: 50_000 });

const RESERVED = new Set<string>(RESERVED_KEYS);
const RESERVED_BY_LOWER = new Map<string, ReservedKey>(RESERVED_KEYS.map((key) => [key.toLowerCase(), key]));

/** A name no field may have: Object.prototype's members (`__proto__`, `constructor`, `toString`, …) and `prototype`. */
export function isBuiltInName(key: string): boolean {
  return key in Object.prototype || key === 'prototype';
}

/** The reserved key `key` differs from only by case (`EVENT` → `event`), if any. */
function reservedTwin(key: string): ReservedKey | undefined {
  const twin = RESERVED_BY_LOWER.get(key.toLowerCase());
  return twin !== undefined && twin !== key ? twin : undefined;
}

function twinNote(where: string, field: string, twin: ReservedKey): string {
  return (
    `${where} is the row's own field "${field}", not certforge's "${twin}" (which keeps its meaning in that ` +
    `exact spelling): a template reads it as {{${field}}}, spelled exactly so`
  );
}

/** Import columns other than the known ones: a simple name. */
const SIMPLE_FIELD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** A part of a CLI path: what a placeholder allows (letters and digits of any script, `_`, `-`). */
const PATH_PART = /^[\p{Alphabetic}\p{N}_-]+$/u;
const INDEX = /^\d+$/;

/**
 * A dotted field path → its parts, numeric parts after the first as list indexes ("07" → "7").
 * Bounded: more than TABLE_BOUNDS.maxDepth parts, or an index over TABLE_BOUNDS.maxIndex, is
 * LIMIT_EXCEEDED before anything is built.
 */
export function fieldPathParts(path: string): string[] {
  const { maxDepth, maxIndex } = TABLE_BOUNDS;
  const parts = path.split('.', maxDepth + 1);
  if (parts.length > maxDepth) {
    throw new CertforgeError('LIMIT_EXCEEDED', `the field path nests more than ${maxDepth} levels`, {
      limit: maxDepth,
    });
  }
  return parts.map((part, i) => {
    if (i === 0 || !INDEX.test(part)) return part;
    const digits = part.replace(/^0+(?=\d)/, '');
    if (digits.length > String(maxIndex).length || Number(digits) > maxIndex) {
      throw new CertforgeError('LIMIT_EXCEEDED', `the list index ${excerpt(part, 24)} is over ${maxIndex}`, {
        limit: maxIndex,
      });
    }
    return digits;
  });
}

type Verdict = { field: string; note?: string } | { reason: string };

function importColumn(cell: string): Verdict {
  if (!SIMPLE_FIELD.test(cell))
    return { reason: 'not a simple field name (a letter, then letters, digits or _; at most 64)' };
  if (RESERVED.has(cell)) return { reason: 'reserved by certforge' };
  if (isBuiltInName(cell)) return { reason: 'a JavaScript built-in name' };
  const twin = reservedTwin(cell);
  return { field: cell, ...(twin ? { note: twinNote(`"${cell}"`, cell, twin) } : {}) };
}

/** Why a path starting with a reserved key cannot hold a CSV cell (text), if it cannot. */
function reservedPathProblem(parts: string[]): string | undefined {
  const [root, next] = parts as [ReservedKey, string | undefined];
  switch (root) {
    case 'event':
      return next === undefined
        ? 'reserved by certforge: the event is an object; name one of its fields (event.name, event.place, …) or rename the column'
        : undefined;
    case 'certificate':
      return next === undefined
        ? 'reserved by certforge: the certificate is an object; name one of its fields (certificate.id, certificate.url) or rename the column'
        : undefined;
    case 'signatories':
      return next === undefined || !INDEX.test(next)
        ? 'reserved by certforge: the signatories are a list; name one field of one of them (signatories.0.name) or rename the column'
        : undefined;
    default:
      return next === undefined ? undefined : `reserved by certforge: ${root} is text, it has no fields`;
  }
}

function renderColumn(cell: string, column: number): Verdict {
  const notAName = {
    reason: `not a field name (letters, digits, _ or -, parts separated by dots; at most ${TABLE_BOUNDS.maxPathLength} characters)`,
  };
  if (cell.length > TABLE_BOUNDS.maxPathLength) return notAName;
  const raw = cell.split('.').map((part) => part.trim());
  if (!raw.every((part) => PATH_PART.test(part))) return notAName;
  let parts: string[];
  try {
    parts = fieldPathParts(raw.join('.'));
  } catch (error) {
    const e = error as CertforgeError;
    throw new CertforgeError(e.code, `Column ${column} "${excerpt(cell, 60)}": ${e.message}.`, {
      ...e.details,
      column,
      header: excerpt(cell, 60),
    });
  }
  if (parts.some(isBuiltInName)) return { reason: 'a JavaScript built-in name' };
  const field = parts.join('.');
  if (RESERVED.has(parts[0]!)) {
    const problem = reservedPathProblem(parts);
    return problem ? { reason: problem } : { field };
  }
  const twin = reservedTwin(parts[0]!);
  return { field, ...(twin ? { note: twinNote(`column ${column} "${excerpt(cell, 60)}"`, field, twin) } : {}) };
}

/** What a preset reads from a column beyond the fields (import/presets.ts PresetColumn). */
export type SpecialColumn =
  'join' | 'leave' | 'minutes' | 'waitingRoom' | 'status' | 'checkedIn' | 'checkinTime' | 'sourceRef';

export interface ColumnMap {
  /**
   * Field → the header cell it was read from, e.g. { name: 'Full Name', 'talk.title': 'Title',
   * affiliation: 'affiliation' }; a name joined from its parts: { name: 'First Name + Last Name' }.
   */
  fields: Record<string, string>;
  /** Header cells that were not read, with why (1-based column numbers). */
  ignored: { column: number; header: string; reason: string }[];
  /** Column index → field (a dotted path), for the kept columns. */
  byIndex: Map<number, string>;
  /** Kept columns worth a word (a name that differs from a reserved key only by case). */
  notes: string[];
  /** The columns the name is joined from, when it is (see the module comment, rule 1). */
  nameParts?: { given?: number; family?: number };
  /** A full-name column read only when a row's name parts are empty (Indico's "first last" Name). */
  nameFallback?: number;
  /** Columns a preset reads beyond the fields: index → what it says. */
  special?: Map<number, SpecialColumn>;
  /** The preset the header was read with. */
  preset?: PresetName;
}

const SPECIAL = new Set<string>([
  'join',
  'leave',
  'minutes',
  'waitingRoom',
  'status',
  'checkedIn',
  'checkinTime',
  'sourceRef',
]);

/**
 * Maps a header row to fields (the module comment's rules), with a preset's columns when given.
 * A header without a name (a full-name column, or a given- or family-name column), or naming one
 * field twice (ignoring case), or with one field inside another (`talk` as text and `talk.track`
 * are fine; `foo` and `foo.bar` are not), rejects the table.
 */
export function mapHeader(header: string[], policy: TablePolicy, preset?: Preset): ColumnMap {
  if (header.length > policy.maxColumns) {
    throw new ImportError(
      'TOO_MANY_COLUMNS',
      `The header has ${header.length} columns; at most ${policy.maxColumns} are allowed.`,
      { columns: header.length, limit: policy.maxColumns },
    );
  }
  const cells = header.map((raw) => raw.normalize('NFC').trim());
  const chosen = policy.columnChoices;
  const presetColumns = cells.map((cell, i): PresetColumn | undefined => {
    const choice = chosen && Object.hasOwn(chosen, header[i]!) ? chosen[header[i]!] : undefined;
    if (choice) return choiceColumn(choice);
    return cell === '' || !preset ? undefined : preset.column(cell);
  });
  if (preset?.lastDuplicateWins) {
    const last = new Map<string, number>();
    presetColumns.forEach((column, i) => {
      if (typeof column === 'string') last.set(column, i);
    });
    presetColumns.forEach((column, i) => {
      if (typeof column === 'string' && last.get(column) !== i) {
        presetColumns[i] = { ignore: `a later "${excerpt(cells[last.get(column)!]!, 60)}" column is read` };
      }
    });
  }
  const meanings = cells.map((cell, i): HeaderMeaning | undefined => {
    const column = presetColumns[i];
    if (column === 'name' || column === 'given' || column === 'family' || column === 'email') return column;
    return column === undefined ? headerMeaning(cell) : undefined;
  });
  const nameRoles = resolveNameColumns(cells, meanings);
  const hasFull = nameRoles.includes('full');
  const partsWin = (preset?.namePartsWin ?? false) && (nameRoles.includes('given') || nameRoles.includes('family'));

  const fields: Record<string, string> = {};
  const seen = new Map<string, string>(); // lower-cased field → header
  const ignored: ColumnMap['ignored'] = [];
  const byIndex = new Map<number, string>();
  const notes: string[] = [];
  const special = new Map<number, SpecialColumn>();
  const nameParts: { given?: number; family?: number } = {};
  let nameFallback: number | undefined;

  const verdictOf = (cell: string, index: number): Verdict =>
    policy.kind === 'import' ? importColumn(cell) : renderColumn(cell, index + 1);
  const keep = (field: string, cell: string, index: number) => {
    const key = field.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new ImportError(
        'DUPLICATE_COLUMN',
        `The columns "${excerpt(earlier, 60)}" and "${excerpt(cell, 60)}" both give the ${field} field; keep one of them.`,
        { field, headers: [excerpt(earlier, 60), excerpt(cell, 60)] },
      );
    }
    seen.set(key, cell);
    fields[field] = cell;
    byIndex.set(index, field);
  };

  for (const [index, cell] of cells.entries()) {
    if (cell === '') {
      ignored.push({ column: index + 1, header: cell, reason: 'no header' });
      continue;
    }
    const column = presetColumns[index];
    if (typeof column === 'object' && 'ignore' in column) {
      ignored.push({ column: index + 1, header: cell, reason: column.ignore });
      continue;
    }
    if (typeof column === 'string' && SPECIAL.has(column)) {
      special.set(index, column as SpecialColumn);
      continue;
    }
    if (typeof column === 'object' && 'field' in column) {
      keep(column.field, cell, index);
      continue;
    }
    const role = nameRoles[index];
    if (role === 'given' || role === 'family') {
      const earlier = nameParts[role];
      if (earlier !== undefined) {
        throw new ImportError(
          'DUPLICATE_COLUMN',
          `The columns "${excerpt(cells[earlier]!, 60)}" and "${excerpt(cell, 60)}" both give the ${role} name; keep one of them.`,
          {
            field: role === 'given' ? 'givenName' : 'familyName',
            headers: [excerpt(cells[earlier]!, 60), excerpt(cell, 60)],
          },
        );
      }
      nameParts[role] = index;
      // The name's parts, not fields of their own; beside a full-name column (which they stand in
      // for where it is empty) they are also ordinary columns, as they were before parts were read.
      if (!hasFull || partsWin) continue;
    }
    if (role === 'full' && partsWin) {
      nameFallback = index;
      continue;
    }
    let field: string | undefined =
      role === 'full'
        ? 'name'
        : meanings[index] === 'given' || meanings[index] === 'family'
          ? undefined
          : meanings[index];
    if (!field) {
      const verdict = verdictOf(cell, index);
      if ('reason' in verdict) {
        ignored.push({ column: index + 1, header: cell, reason: verdict.reason });
        continue;
      }
      field = verdict.field;
      if (verdict.note) notes.push(verdict.note);
    }
    keep(field, cell, index);
  }
  for (const field of Object.keys(fields)) {
    const parts = field.split('.');
    for (let n = 1; n < parts.length; n++) {
      const outer = parts.slice(0, n).join('.');
      if (Object.hasOwn(fields, outer)) {
        throw new ImportError(
          'DUPLICATE_COLUMN',
          `The columns "${excerpt(fields[outer]!, 60)}" and "${excerpt(fields[field]!, 60)}" both give the ${outer} field; keep one of them.`,
          { field: outer, headers: [excerpt(fields[outer]!, 60), excerpt(fields[field]!, 60)] },
        );
      }
    }
  }
  const hasParts = nameParts.given !== undefined || nameParts.family !== undefined;
  if (!fields.name && hasParts) {
    fields.name = [nameParts.given, nameParts.family]
      .filter((i): i is number => i !== undefined)
      .map((i) => cells[i]!)
      .join(' + ');
  }
  if (!fields.name) {
    const found =
      header
        .slice(0, 50)
        .map((cell) => `"${excerpt(cell.trim(), 40)}"`)
        .join(', ') + (header.length > 50 ? ', …' : '');
    throw new ImportError(
      'MISSING_NAME_COLUMN',
      `The header has no name column ("name" or "full name", or first and last name columns, in English or another language certforge reads); it reads ${found}. The first line of the file must be the header.`,
      { headers: header.slice(0, 50).map((cell) => excerpt(cell.trim(), 60)) },
    );
  }
  return {
    fields,
    ignored,
    byIndex,
    notes,
    ...(hasParts ? { nameParts } : {}),
    ...(nameFallback !== undefined ? { nameFallback } : {}),
    ...(special.size > 0 ? { special } : {}),
    ...(preset ? { preset: preset.name } : {}),
  };
}

/** A record whose cells are all empty: skipped, like a blank line. */
export function isBlankRecord(record: Pick<CsvRecord, 'cells'>): boolean {
  return record.cells.every((cell) => cell.trim() === '');
}

/** More non-empty cells than the header has rejects the row (TOO_MANY_CELLS); fewer are fine (the missing ones are empty). */
export function checkCellCount(record: Pick<CsvRecord, 'cells'>, headerLength: number): void {
  if (record.cells.slice(headerLength).some((cell) => cell.trim() !== '')) {
    throw new RowError(
      null,
      'TOO_MANY_CELLS',
      `the row has ${record.cells.length} cells but the header ${headerLength} (a value containing the delimiter must be quoted)`,
    );
  }
}

/**
 * `{ 'talk.title': t, 'signatories.0.name': a }` → `{ talk: { title: t }, signatories: [{ name: a }] }`.
 * A level whose keys are all list indexes becomes a list, holes filled with `{}` (at most
 * TABLE_BOUNDS.maxIndex + 1 entries: paths are bounded by fieldPathParts). A built-in name in a
 * path, or one path inside another (`a` and `a.b`), is INVALID_DATA.
 */
export function nestFields(fields: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const lists = new Set<Record<string, unknown>>();
  for (const [path, value] of Object.entries(fields)) {
    const parts = fieldPathParts(path);
    if (parts.some(isBuiltInName))
      throw new CertforgeError('INVALID_DATA', `"${excerpt(path, 60)}" is not a usable field name`);
    let target = root;
    for (const [i, part] of parts.slice(0, -1).entries()) {
      let next = target[part];
      if (next === undefined) {
        next = {};
        target[part] = next;
        if (INDEX.test(parts[i + 1]!)) lists.add(next as Record<string, unknown>);
      } else if (!isRecord(next)) {
        throw new CertforgeError('INVALID_DATA', `the fields ${parts.slice(0, i + 1).join('.')} and ${path} overlap`);
      }
      if (!INDEX.test(parts[i + 1]!)) lists.delete(next as Record<string, unknown>);
      target = next as Record<string, unknown>;
    }
    const leaf = parts[parts.length - 1]!;
    if (Object.hasOwn(target, leaf))
      throw new CertforgeError('INVALID_DATA', `the fields overlap at ${parts.join('.')}`);
    target[leaf] = value;
  }
  return lists.size === 0 ? root : (listsToArrays(root, lists) as Record<string, unknown>);
}

/** Replaces the objects in `lists` (all of whose keys are indexes) by arrays; depth ≤ maxDepth. */
function listsToArrays(value: unknown, lists: Set<Record<string, unknown>>): unknown {
  if (!isRecord(value)) return value;
  const entries = Object.entries(value).map(([key, item]) => [key, listsToArrays(item, lists)] as const);
  if (!lists.has(value)) return Object.fromEntries(entries);
  const array: unknown[] = [];
  for (const [key, item] of entries) array[Number(key)] = item;
  return Array.from(array, (item) => item ?? {});
}

/** One row of a table: its fields, or why it cannot be used. */
export interface ParticipantRow {
  /** 1-based position among the table's rows (blank CSV rows are not rows). */
  row: number;
  /** CSV: the physical line the row starts on. */
  line?: number;
  /** The row's fields, nested (`talk: { title }`); absent when `error` is set. */
  fields?: Record<string, unknown>;
  error?: CodedError;
}

export interface ParticipantTable {
  rows: ParticipantRow[];
  /** Columns or keys not read, and kept ones worth a word: each message once. */
  warnings: string[];
}

/**
 * A CSV text (already decoded) for the CLI: header, then one row per record that is not blank;
 * empty cells are left out (so template defaults apply). The header's problems throw (see
 * mapHeader); a row's are that row's `error`. A recognized export (a preset) is read as
 * readPeople reads it, its rows of one person merged; a role cell is kept as written.
 */
export function readCsvTable(text: string, policy: TablePolicy = RENDER_TABLE): ParticipantTable {
  const { records } = readCsvRecords(text);
  if (records.length === 0) throw new ImportError('EMPTY_FILE', 'The file is empty.');
  const read = readOutcomes({ format: 'csv', records, warnings: [] }, resolveOptions({ policy }, false));
  return {
    rows: read.outcomes.map((outcome, i): ParticipantRow => ({
      row: i + 1,
      ...(outcome.at.line !== undefined ? { line: outcome.at.line } : {}),
      ...(outcome.error ? { error: outcome.error } : { fields: outcome.fields }),
    })),
    warnings: read.warnings,
  };
}

/** What certforge's reserved keys hold, when a JSON row gives them (rule 2). */
const RESERVED_SHAPES: Record<ReservedKey, { ok: (value: unknown) => boolean; what: string }> = {
  event: { ok: isRecord, what: "an object (the row's own event fields, merged over the event)" },
  signatories: { ok: Array.isArray, what: "a list (the row's own signatories)" },
  certificate: { ok: isRecord, what: "an object (the row's own certificate id and url)" },
  locale: { ok: (value) => typeof value === 'string', what: "text (the certificate's language)" },
  issuedAt: { ok: (value) => typeof value === 'string', what: 'text (the issue date)' },
};

/** JSON rows for the CLI (the module comment's rules); `warnings` collects each message once. */
export function readJsonTable(items: readonly unknown[]): ParticipantTable {
  const warnings = new Set<string>();
  const rows = items.map((item, i): ParticipantRow => {
    try {
      return { row: i + 1, fields: rowFromObject(item, i + 1, warnings) };
    } catch (error) {
      return { row: i + 1, error: error as CodedError };
    }
  });
  return { rows, warnings: [...warnings] };
}

function rowFromObject(value: unknown, row: number, warnings: Set<string>): Record<string, unknown> {
  if (!isRecord(value)) throw new CertforgeError('INVALID_DATA', `Row ${row} is not an object`);
  const { maxDepth } = TABLE_BOUNDS;
  if (nestingDepth(value, maxDepth) > maxDepth) {
    throw new CertforgeError(
      'LIMIT_EXCEEDED',
      `The row's data nests more than ${maxDepth} levels of lists and objects`,
      {
        limit: maxDepth,
      },
    );
  }
  const out: Record<string, unknown> = {};
  const from = new Map<string, string>(); // top-level key of `out` → the row's key it came from
  for (const [key, item] of Object.entries(value)) {
    if (isBuiltInName(key)) {
      warnings.add(`key "${excerpt(key, 60)}" is not read: a JavaScript built-in name`);
      continue;
    }
    const known = knownField(key);
    let path: string[];
    if (known === 'talk.title' && aliasKey(key) === 'talk' && isRecord(item)) path = ['talk'];
    else if (known) path = known.split('.');
    else if (RESERVED.has(key)) {
      const shape = RESERVED_SHAPES[key as ReservedKey];
      if (!shape.ok(item)) {
        warnings.add(
          `key "${key}" is not read: it is certforge's ${key}, which a row may give only as ${shape.what}; rename it to use it in a template`,
        );
        continue;
      }
      path = [key];
    } else {
      const twin = reservedTwin(key);
      if (twin) warnings.add(twinNote(`key "${key}"`, key, twin));
      path = [key];
    }
    const earlier = from.get(path[0]!);
    try {
      put(out, path, copyJson(item, warnings));
    } catch {
      throw new CertforgeError(
        'INVALID_DATA',
        `The keys "${excerpt(earlier ?? key, 60)}" and "${excerpt(key, 60)}" both give the ${path.join('.')} field; keep one of them`,
        {
          field: path.join('.'),
        },
      );
    }
    from.set(path[0]!, key);
  }
  if (out.name === undefined) {
    // A record with name parts and no name (`{"first_name": "Ada", "last_name": "Lovelace"}`).
    const part = (meaning: 'given' | 'family') =>
      Object.entries(value).find(([key, item]) => headerMeaning(key) === meaning && typeof item === 'string')?.[1] as
        string | undefined;
    const name = joinNameParts(part('given'), part('family'));
    if (name) out.name = name;
  }
  return out;
}

/** Sets `value` at `path` in `target`, merging objects; throws when a value is already there. */
function put(target: Record<string, unknown>, path: string[], value: unknown): void {
  let at = target;
  for (const part of path.slice(0, -1)) {
    if (at[part] === undefined) at[part] = {};
    if (!isRecord(at[part])) throw new Error('overlap');
    at = at[part] as Record<string, unknown>;
  }
  const leaf = path[path.length - 1]!;
  const existing = at[leaf];
  if (existing === undefined) at[leaf] = value;
  else if (isRecord(existing) && isRecord(value))
    for (const [key, item] of Object.entries(value)) put(existing, [key], item);
  else throw new Error('overlap');
}

/** A copy of a JSON value without built-in keys (already depth-checked, so the recursion is bounded). */
function copyJson(value: unknown, warnings: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => copyJson(item, warnings));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isBuiltInName(key)) warnings.add(`key "${excerpt(key, 60)}" is not read: a JavaScript built-in name`);
    else out[key] = copyJson(item, warnings);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// People: cells checked, presets read, rows of one person merged.

/** Lengths of the import's checks, in characters (code points), after cleaning. */
export interface FieldLimits {
  nameLength: number;
  emailLength: number;
  talkTitleLength: number;
  /** Any other kept column. */
  fieldLength: number;
}

/** readPeople's checks: the Storage import's (import/speakers-csv.ts IMPORT_LIMITS). */
export const PEOPLE_LIMITS: Readonly<FieldLimits> = Object.freeze({
  nameLength: MAX_NAME_LENGTH,
  emailLength: 254,
  talkTitleLength: 500,
  fieldLength: 1000,
});

// C0 controls except tab, LF, CR; DEL; C1 controls (a sign of Windows-1252 read as Latin-1).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE_BREAKS_AND_TABS = /[ \t]*[\t\r\n]+[ \t]*/g;

/** Characters (Unicode code points) of a text: `王芳` is 2. */
export function textLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** NFC, control characters refused, line breaks and tabs (a multi-line cell) become one space, trimmed. */
export function cleanCell(raw: string, field: string): string {
  const value = raw.normalize('NFC');
  const control = CONTROL.exec(value);
  if (control) {
    throw new RowError(
      field,
      'CONTROL_CHARACTER',
      `${field} contains the control character ${codePoint(control[0])} at position ${textLength(value.slice(0, control.index)) + 1}`,
    );
  }
  const replacement = value.indexOf('\uFFFD');
  if (replacement >= 0) {
    throw new RowError(
      field,
      'REPLACEMENT_CHARACTER',
      `${field} contains U+FFFD "\uFFFD" at position ${textLength(value.slice(0, replacement)) + 1}: a character was lost when the file was converted earlier`,
    );
  }
  return value.replace(LINE_BREAKS_AND_TABS, ' ').trim();
}

/**
 * The import's checks of a person's cleaned fields, in this order: the id is a usable document
 * id, the name is there and not too long, the email is an address and not too long, the talk
 * title and every other field are not too long. The first failure is the row's RowError.
 */
export function checkPersonFields(fields: Record<string, string>, limits: FieldLimits): void {
  const { id, name, email } = fields;
  if (id !== undefined && !isValidDocId(id)) {
    throw new RowError(
      'id',
      'INVALID_ID',
      `"${excerpt(id, 60)}" is not a usable id (1-128 characters without "/" or spaces; not "." or ".."; not __x__)`,
    );
  }
  if (name === undefined) throw new RowError('name', 'MISSING_NAME', 'the name is empty');
  if (textLength(name) > limits.nameLength) {
    throw new RowError(
      'name',
      'NAME_TOO_LONG',
      `the name has ${textLength(name)} characters; at most ${limits.nameLength} are allowed`,
    );
  }
  if (email !== undefined) {
    if (textLength(email) > limits.emailLength) {
      throw new RowError(
        'email',
        'EMAIL_TOO_LONG',
        `the email has ${textLength(email)} characters; at most ${limits.emailLength} are allowed`,
      );
    }
    if (!isEmailAddress(email))
      throw new RowError('email', 'INVALID_EMAIL', `"${excerpt(email, 60)}" is not an email address`);
  }
  const title = fields['talk.title'];
  if (title !== undefined && textLength(title) > limits.talkTitleLength) {
    throw new RowError(
      'talk.title',
      'TALK_TITLE_TOO_LONG',
      `the talk title has ${textLength(title)} characters; at most ${limits.talkTitleLength} are allowed`,
    );
  }
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'id' || field === 'name' || field === 'email' || field === 'talk.title') continue;
    if (textLength(value) > limits.fieldLength) {
      throw new RowError(
        field,
        'FIELD_TOO_LONG',
        `${field} has ${textLength(value)} characters; at most ${limits.fieldLength} are allowed`,
      );
    }
  }
}

/** Where a row comes from: a line of a CSV file or a sheet's row, a JSON item, a Realtime Database record. */
export interface SourceRef {
  /** CSV: the physical line the row starts on (1-based); XLSX: the sheet's row number. */
  line?: number;
  /** JSON array: the item's 0-based index. */
  index?: number;
  /** Realtime Database export: the record's key. */
  key?: string;
}

/**
 * The evidence of attendance a person carries (the same shape as shared/model.ts Attendance):
 * Zoom: `minutes` and the join instants in `checkins` (earliest first); Eventbrite and Indico:
 * a check-in with its time in `checkins`, with a date only in `days`, without either
 * `checkedIn: true`.
 */
export interface PersonAttendance {
  /** Minutes attended online (Zoom), overlapping sessions counted once; whole minutes. */
  minutes?: number;
  /** ISO 8601 instants (`2026-03-20T08:00:00Z`), sorted, each once; at most MAX_CHECKINS. */
  checkins?: string[];
  /** `YYYY-MM-DD` days attended, when a source gives a date without a time; sorted. */
  days?: string[];
  /** Checked in, and the source says no when. */
  checkedIn?: true;
}

/** A ticket or registration that no longer stands (Eventbrite "Not Attending", refunded; Indico withdrawn, rejected). */
export interface PersonTicket {
  status: 'canceled' | 'refunded';
}

/**
 * A person. `fields` is what a participant document holds: `name`, `email`, `talk: { title }`,
 * the other kept columns (nested by their dotted paths), and, when the file says so, `role` (a
 * role id: a lower-case slug), `attendance` (PersonAttendance), `ticket` (PersonTicket), `source`
 * (`{ system, ref }`: the exporting system's own id of the registration), `originalName` (Zoom:
 * the name before the participant renamed themselves).
 */
export interface PersonRow extends SourceRef {
  /** 1-based position among the rows. */
  row: number;
  /** The id cell (a Realtime Database record: its key); the document id when given. */
  id?: string;
  fields: Record<string, unknown>;
  /** Every source row of this person, when there were several (Zoom's rejoins), in file order. */
  merged?: SourceRef[];
}

/** A row that was not read: where, the field at fault (null: the whole row), its code and why. */
export interface RejectedPerson extends SourceRef {
  field: string | null;
  code: string;
  reason: string;
  error: CodedError;
}

export interface PeopleTable {
  format: PeopleFormat;
  /** The export recognized (or forced). */
  preset?: PresetName;
  encoding?: SourceTable['encoding'];
  delimiter?: 'comma' | 'semicolon' | 'tab';
  /** XLSX: the sheet read (the first). */
  sheet?: string;
  /** Field → the header or key it was read from (ColumnMap.fields). */
  columns: Record<string, string>;
  ignoredColumns: ColumnMap['ignored'];
  /** Data rows read (not blank): the source rows of `rows` + `rejected`. */
  rowsTotal: number;
  /** Rows whose cells are all empty (skipped). */
  blankRows: number;
  rows: PersonRow[];
  rejected: RejectedPerson[];
  /** Columns not read, merged values that differed, … : each message once, at most MAX_WARNINGS. */
  warnings: string[];
}

export interface PeopleOptions {
  /** A hint for the format (`.csv`, `.json`, `.xlsx`); the bytes decide. */
  fileName?: string;
  /** The event's locale (BCP 47): the order a given and a family name are joined in (joinNameParts). */
  locale?: string;
  /** The event's IANA time zone, for times written without an offset (Zoom's); default UTC. */
  timeZone?: string;
  /** A preset by name, `auto` (detected from the header; the default) or `none`. */
  preset?: PresetOption;
  /** The import's rules (PEOPLE_TABLE, the default) or the CLI's (RENDER_TABLE), and the bounds. */
  policy?: TablePolicy;
  /** Rows of one person: `merge` (the default) or `keep` (one row each). */
  duplicates?: 'merge' | 'keep';
  /** How slash dates are read when no date in the file settles it (`03/04/2026`): month first (default) or day first. */
  dateOrder?: SlashOrder;
  /** The import's lengths (PEOPLE_LIMITS). */
  limits?: FieldLimits;
}

/** At most this many warnings are listed (then one that says how many more there were). */
export const MAX_WARNINGS = 100;
/** At most this many check-ins are kept per person (shared/roles.ts ROLE_LIMITS.maxCheckins). */
export const MAX_CHECKINS = 1000;

interface ReadContext {
  policy: TablePolicy;
  preset: PresetOption;
  locale?: string;
  timeZone: string;
  dateOrder?: SlashOrder;
  /** merge: always; keep: never; auto: when a preset is read (the CLI). */
  duplicates: 'merge' | 'keep' | 'auto';
  limits: FieldLimits;
  /** readPeople: a role cell becomes a role id; the CLI keeps it as written. */
  roleIds: boolean;
  warnings: Warnings;
  /** The preset the header was read with (set once it is). */
  presetName?: PresetName;
}

class Warnings {
  private readonly seen = new Set<string>();
  private more = 0;
  add(message: string): void {
    if (this.seen.has(message)) return;
    if (this.seen.size < MAX_WARNINGS) this.seen.add(message);
    else this.more++;
  }
  list(): string[] {
    return [...this.seen, ...(this.more > 0 ? [`… and ${this.more} more warnings`] : [])];
  }
}

function resolveOptions(options: PeopleOptions, people: boolean): ReadContext {
  const warnings = new Warnings();
  let timeZone = options.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) {
    warnings.add(`the time zone "${excerpt(timeZone, 60)}" is unknown: times without an offset are read as UTC`);
    timeZone = 'UTC';
  }
  return {
    policy: options.policy ?? (people ? PEOPLE_TABLE : RENDER_TABLE),
    preset: options.preset ?? 'auto',
    ...(options.locale ? { locale: options.locale } : {}),
    timeZone,
    ...(options.dateOrder ? { dateOrder: options.dateOrder } : {}),
    duplicates: options.duplicates ?? (people ? 'merge' : 'auto'),
    limits: options.limits ?? PEOPLE_LIMITS,
    roleIds: people,
    warnings,
  };
}

/** How a row is named in messages: `line 4`, `item 3`, `record "-Nabc"`. */
export function describeRef(at: SourceRef): string {
  if (at.key !== undefined) return `record "${excerpt(at.key, 60)}"`;
  if (at.index !== undefined) return `item ${at.index}`;
  return `line ${at.line}`;
}

function refOf(record: SourceRecord): SourceRef {
  return {
    ...(record.line !== undefined ? { line: record.line } : {}),
    ...(record.index !== undefined ? { index: record.index } : {}),
    ...(record.key !== undefined ? { key: record.key } : {}),
  };
}

function invalid(field: string, message: string): CertforgeError {
  return new CertforgeError('INVALID_DATA', message, { field });
}

/** What a source row says about attendance and its ticket. */
interface Evidence {
  /** Zoom sessions (waiting-room rows excluded): ms since the epoch, minutes as written. */
  sessions: { join?: number; leave?: number; minutes?: number }[];
  checkins: number[];
  days: string[];
  checkedIn: boolean;
  ticket?: 'canceled' | 'refunded';
}

/** A source row read: flat fields (cleaned under the import's rules) and its evidence, or its error. */
interface Outcome {
  at: SourceRef;
  /** Flat fields by path, the id included. */
  flat?: Record<string, string>;
  evidence?: Evidence;
  sourceRef?: string;
  error?: CodedError;
  /** After merging: the nested fields, the id and the merged source rows. */
  fields?: Record<string, unknown>;
  id?: string;
  merged?: SourceRef[];
}

interface GridRead {
  columns: ColumnMap;
  outcomes: Outcome[];
  rowsTotal: number;
  blankRows: number;
  warnings: string[];
}

/** The header's preset: forced, detected, or none. */
function presetFor(option: PresetOption, header: string[]): Preset | undefined {
  if (option === 'none') return undefined;
  const name = option === 'auto' ? detectPreset(header) : option;
  return name ? PRESETS[name] : undefined;
}

const usedByColumns = new WeakMap<ColumnMap, [number, string][]>();

/** The columns a record's cells are read from, in column order, with the field each is read as (for messages). */
function usedColumns(columns: ColumnMap, header: string[]): [number, string][] {
  let used = usedByColumns.get(columns);
  if (!used) {
    const byIndex = new Map<number, string>(columns.byIndex);
    const parts = columns.nameParts ?? {};
    for (const index of [parts.given, parts.family, columns.nameFallback]) {
      if (index !== undefined && !byIndex.has(index)) byIndex.set(index, 'name');
    }
    for (const index of columns.special?.keys() ?? []) byIndex.set(index, header[index]!.trim());
    used = [...byIndex].sort((a, b) => a[0] - b[0]);
    usedByColumns.set(columns, used);
  }
  return used;
}

/** The cells of a record by column, cleaned under the import's rules, and its flat fields (name joined). */
function readCells(
  record: SourceRecord,
  headerLength: number,
  columns: ColumnMap,
  header: string[],
  ctx: ReadContext,
): { flat: Record<string, string>; special: Map<SpecialColumn, { value: string; header: string }> } {
  if (record.error) throw record.error;
  checkCellCount(record, headerLength);
  const clean = ctx.policy.kind === 'import';
  const parts = columns.nameParts ?? {};
  const values = new Map<number, string>();
  for (const [index, label] of usedColumns(columns, header)) {
    const raw = record.cells[index] ?? '';
    values.set(index, clean ? cleanCell(raw, label) : raw);
  }
  const flat: Record<string, string> = {};
  for (const [index, field] of columns.byIndex) {
    const value = values.get(index)!;
    if (value !== '') flat[field] = value;
  }
  const cell = (index: number | undefined) => (index === undefined ? '' : values.get(index)!.trim());
  const joined = joinNameParts(cell(parts.given), cell(parts.family), ctx.locale);
  const name = columns.nameFallback !== undefined ? joined || cell(columns.nameFallback) : flat.name || joined;
  if (name) flat.name = name;
  else delete flat.name;
  if (columns.preset === 'zoom' && flat.name) {
    const { name: display, originalName } = splitZoomName(flat.name);
    flat.name = display;
    if (originalName && !flat.originalName) flat.originalName = originalName;
  }
  const special = new Map<SpecialColumn, { value: string; header: string }>();
  for (const [index, what] of columns.special ?? []) {
    const value = values.get(index)!.trim();
    if (value !== '') special.set(what, { value, header: header[index]!.trim() });
  }
  return { flat, special };
}

/** The evidence of a row's preset columns (throws INVALID_DATA naming the column of a time it cannot read). */
function evidenceOf(
  special: Map<SpecialColumn, { value: string; header: string }>,
  order: SlashOrder,
  ctx: ReadContext,
): Evidence {
  const evidence: Evidence = { sessions: [], checkins: [], days: [], checkedIn: false };
  const time = (what: SpecialColumn) => {
    const cell = special.get(what);
    if (!cell) return undefined;
    const wall = parseWallClock(cell.value, order);
    if (!wall) throw invalid(cell.header, `${cell.header} "${excerpt(cell.value, 40)}" is not a date and time`);
    return { wall, ms: instantOf(wall, ctx.timeZone), header: cell.header };
  };
  const join = time('join');
  const leave = time('leave');
  const minutesCell = special.get('minutes');
  let minutes: number | undefined;
  if (minutesCell) {
    if (!/^\d{1,7}(?:[.,]\d+)?$/.test(minutesCell.value)) {
      throw invalid(
        minutesCell.header,
        `${minutesCell.header} "${excerpt(minutesCell.value, 40)}" is not a number of minutes`,
      );
    }
    minutes = Number(minutesCell.value.replace(',', '.'));
  }
  if (join && leave && leave.ms < join.ms) {
    throw invalid(leave.header, `${leave.header} is before ${join.header}`);
  }
  const waiting = special.has('waitingRoom') && isYes(special.get('waitingRoom')!.value);
  if (!waiting && (join || leave || minutes !== undefined)) {
    evidence.sessions.push({
      ...(join ? { join: join.ms } : {}),
      ...(leave ? { leave: leave.ms } : {}),
      ...(minutes !== undefined ? { minutes } : {}),
    });
  }
  const status = special.get('status');
  if (status) {
    const meaning = statusMeaning(status.value);
    if (meaning === 'checkedIn') evidence.checkedIn = true;
    else if (meaning === 'canceled' || meaning === 'refunded') evidence.ticket = meaning;
  }
  const checkedIn = special.get('checkedIn');
  if (checkedIn && isYes(checkedIn.value)) evidence.checkedIn = true;
  const checkin = time('checkinTime');
  if (checkin) {
    if (checkin.wall.hasTime) evidence.checkins.push(checkin.ms);
    else evidence.days.push(isoDay(checkin.wall));
  }
  return evidence;
}

/** The slash-date order of a table's time columns (see table-times.ts SlashOrder). */
function slashOrderFor(data: SourceRecord[], columns: ColumnMap, ctx: ReadContext): SlashOrder {
  if (ctx.dateOrder) return ctx.dateOrder;
  const timeColumns = [...(columns.special ?? [])]
    .filter(([, what]) => what === 'join' || what === 'leave' || what === 'checkinTime')
    .map(([index]) => index);
  if (timeColumns.length === 0) return 'mdy';
  const values = function* () {
    for (const record of data) for (const index of timeColumns) yield record.cells[index] ?? '';
  };
  const decided = slashOrderOf(values());
  if (decided) return decided;
  for (const value of values()) {
    if (/^\d{1,2}\/\d{1,2}\/\d{4}/.test(value.trim())) {
      ctx.warnings.add(
        'dates such as 03/04/2026 are read month first (as Zoom and Eventbrite write them in English); pass dateOrder "dmy" for day first',
      );
      break;
    }
  }
  return 'mdy';
}

/** Reads every data row of a table: header (past Zoom's meeting summary), preset, cells, checks, evidence; merges. */
function readOutcomes(table: SourceTable, ctx: ReadContext): GridRead {
  const nonBlank = table.records.filter((record) => record.error !== undefined || !isBlankRecord(record));
  const start = findTableStart(nonBlank) ?? 0;
  const headerRecord = nonBlank[start];
  if (!headerRecord) throw new ImportError('EMPTY_FILE', 'The file is empty.');
  if (start > 0) {
    ctx.warnings.add(
      `${describeRef(refOf(nonBlank[0]!))}${start > 1 ? ` to ${describeRef(refOf(nonBlank[start - 1]!))}` : ''}: Zoom's meeting summary, not people: not read`,
    );
  }
  for (const warning of table.warnings) ctx.warnings.add(warning);
  const header = headerRecord.cells;
  const columns = mapHeader(header, ctx.policy, presetFor(ctx.preset, header));
  if (columns.preset) ctx.presetName = columns.preset;
  for (const c of columns.ignored)
    ctx.warnings.add(`column ${c.column} "${excerpt(c.header, 60)}" is not read: ${c.reason}`);
  for (const note of columns.notes) ctx.warnings.add(note);
  const data = table.records.slice(table.records.indexOf(headerRecord) + 1);
  const order = slashOrderFor(data, columns, ctx);

  const outcomes: Outcome[] = [];
  let blankRows = 0;
  for (const record of data) {
    if (record.error === undefined && isBlankRecord(record)) {
      blankRows++;
      continue;
    }
    const outcome: Outcome = { at: refOf(record) };
    outcomes.push(outcome);
    try {
      const { flat, special } = readCells(record, header.length, columns, header, ctx);
      if (ctx.policy.kind === 'import') checkPersonFields(flat, ctx.limits);
      if (ctx.roleIds && flat.role !== undefined) {
        const role = roleSlug(flat.role);
        if (!role) {
          throw invalid(
            'role',
            `the role "${excerpt(flat.role, 60)}" is no role id (a letter, then letters, digits or -; at most 32)`,
          );
        }
        flat.role = role;
      }
      outcome.evidence = evidenceOf(special, order, ctx);
      outcome.flat = flat;
      const sourceRef = special.get('sourceRef')?.value;
      if (sourceRef) outcome.sourceRef = sourceRef;
    } catch (error) {
      outcome.error = error as CodedError;
    }
  }
  const rowsTotal = outcomes.length;
  if (rowsTotal === 0) throw new ImportError('NO_DATA_ROWS', 'The file has a header but no data rows.');
  const merge = ctx.duplicates === 'merge' || (ctx.duplicates === 'auto' && columns.preset !== undefined);
  const people = merge ? mergePeople(outcomes, ctx) : outcomes;
  for (const outcome of people) if (!outcome.error) finishPerson(outcome, [outcome], ctx);
  return { columns, outcomes: people, rowsTotal, blankRows, warnings: ctx.warnings.list() };
}

/** A name compared for merging: NFC, lower case, white space collapsed. */
function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * The rows of one person as one outcome (errors stay rows of their own): the same id, else the
 * same email ignoring case; a row without id or email joins the one person of its name, if there
 * is exactly one, else the other rows of that name without an email. In the order of each
 * person's first row. Fields: the first row's, completed by the later ones (a value that differs
 * is a warning). Linear, through maps.
 */
function mergePeople(outcomes: Outcome[], ctx: ReadContext): Outcome[] {
  const groups: Outcome[][] = [];
  const byId = new Map<string, number>();
  const byEmail = new Map<string, number>();
  const byName = new Map<string, number>(); // -1: several people of that name
  const nameless: Outcome[] = [];
  const add = (outcome: Outcome, index: Map<string, number>, key: string) => {
    let group = index.get(key);
    if (group === undefined) {
      group = groups.push([]) - 1;
      index.set(key, group);
    }
    groups[group]!.push(outcome);
    return group;
  };
  for (const outcome of outcomes) {
    const flat = outcome.flat;
    if (!flat || outcome.error) continue;
    const group = flat.id
      ? add(outcome, byId, flat.id)
      : flat.email
        ? add(outcome, byEmail, flat.email.trim().toLowerCase())
        : undefined;
    if (group === undefined) {
      nameless.push(outcome);
      continue;
    }
    const key = nameKey(flat.name ?? '');
    const known = byName.get(key);
    if (known === undefined) byName.set(key, group);
    else if (known !== group) byName.set(key, -1);
  }
  const namelessGroups = new Map<string, number>();
  for (const outcome of nameless) {
    const key = nameKey(outcome.flat!.name ?? '');
    const known = byName.get(key);
    if (known !== undefined && known >= 0) groups[known]!.push(outcome);
    else add(outcome, namelessGroups, key);
  }
  const first = new Map<Outcome, number>(outcomes.map((outcome, i) => [outcome, i]));
  const positioned: [number, Outcome][] = groups.map((group) => {
    group.sort((a, b) => first.get(a)! - first.get(b)!);
    return [first.get(group[0]!)!, mergeGroup(group, ctx)];
  });
  for (const [i, outcome] of outcomes.entries()) if (outcome.error) positioned.push([i, outcome]);
  return positioned.sort((a, b) => a[0] - b[0]).map(([, outcome]) => outcome);
}

/** Values that do not conflict when merging: equal; emails equal ignoring case; names and original names (Zoom renames). */
function sameValue(field: string, kept: string, other: string): boolean {
  if (field === 'name' || field === 'originalName' || kept === other) return true;
  return field === 'email' && kept.toLowerCase() === other.toLowerCase();
}

/** One outcome of a person's rows (see mergePeople). */
function mergeGroup(group: Outcome[], ctx: ReadContext): Outcome {
  const [head, ...rest] = group as [Outcome, ...Outcome[]];
  if (rest.length === 0) return head;
  const flat = { ...head.flat! };
  for (const other of rest) {
    for (const [field, value] of Object.entries(other.flat!)) {
      if (flat[field] === undefined) flat[field] = value;
      else if (!sameValue(field, flat[field]!, value)) {
        ctx.warnings.add(
          `${describeRef(other.at)} is the same person as ${describeRef(head.at)}: its ${field} "${excerpt(value, 40)}" is not used ("${excerpt(flat[field]!, 40)}" is)`,
        );
      }
    }
  }
  const outcome: Outcome = {
    at: head.at,
    flat,
    evidence: head.evidence!,
    ...(head.sourceRef ? { sourceRef: head.sourceRef } : {}),
  };
  finishPerson(outcome, group, ctx);
  outcome.merged = group.map((member) => member.at);
  return outcome;
}

/** The union of time intervals, in ms (overlaps counted once). */
function unionLength(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = [-Infinity, -Infinity];
  for (const [from, to] of sorted) {
    if (from > end) {
      if (end > start) total += end - start;
      [start, end] = [from, to];
    } else if (to > end) end = to;
  }
  if (end > start && Number.isFinite(start)) total += end - start;
  return total;
}

/**
 * The attendance of a person's rows. Zoom: minutes are the union of the [join, leave]
 * intervals (a person on two devices at once counts once) when every session has both times,
 * else the sum of the sessions' minutes (`Duration (Minutes)`, or leave − join); the join
 * instants are the check-ins. Check-ins and days: every row's, sorted, each once.
 */
export function mergeAttendance(evidence: readonly Evidence[]): PersonAttendance | undefined {
  const sessions = evidence.flatMap((e) => e.sessions);
  const instants = new Set<number>();
  for (const e of evidence) for (const ms of e.checkins) instants.add(ms);
  for (const session of sessions) if (session.join !== undefined) instants.add(session.join);
  const checkins = [...instants]
    .sort((a, b) => a - b)
    .slice(0, MAX_CHECKINS)
    .map(isoInstant);
  const days = [...new Set(evidence.flatMap((e) => e.days))].sort();
  let minutes: number | undefined;
  if (sessions.length > 0) {
    const timed = sessions.every((s) => s.join !== undefined && s.leave !== undefined);
    const ms = timed
      ? unionLength(sessions.map((s) => [s.join!, s.leave!]))
      : sessions.reduce(
          (sum, s) =>
            sum +
            (s.minutes !== undefined
              ? s.minutes * 60_000
              : s.join !== undefined && s.leave !== undefined
                ? s.leave - s.join
                : 0),
          0,
        );
    minutes = Math.round(ms / 60_000);
  }
  const checkedIn = evidence.some((e) => e.checkedIn) && checkins.length === 0 && days.length === 0;
  const attendance: PersonAttendance = {
    ...(minutes !== undefined ? { minutes } : {}),
    ...(checkins.length > 0 ? { checkins } : {}),
    ...(days.length > 0 ? { days } : {}),
    ...(checkedIn ? { checkedIn: true as const } : {}),
  };
  return Object.keys(attendance).length > 0 ? attendance : undefined;
}

/** The fields of a person (nested, with role, attendance, ticket, source) from its rows. */
function finishPerson(outcome: Outcome, group: Outcome[], ctx: ReadContext): void {
  if (outcome.fields) return;
  // readPeople: the id is the row's, beside its fields; the CLI keeps it among the fields (template data).
  const { id, ...rest } = outcome.flat!;
  const flat = ctx.roleIds ? rest : outcome.flat!;
  try {
    const fields = nestFields(flat);
    const evidence = group.map((member) => member.evidence!);
    const attendance = mergeAttendance(evidence);
    if (attendance) fields.attendance = attendance;
    const tickets = evidence.map((e) => e.ticket);
    if (tickets.every((ticket) => ticket !== undefined)) {
      fields.ticket = { status: tickets.includes('refunded') ? 'refunded' : 'canceled' } satisfies PersonTicket;
    }
    if (ctx.presetName && outcome.sourceRef) fields.source = { system: ctx.presetName, ref: outcome.sourceRef };
    outcome.fields = fields;
    if (id !== undefined) outcome.id = id;
  } catch (error) {
    outcome.error = error as CodedError;
  }
}

/** The table read as people (readOutcomes' outcomes split into rows and rejections). */
function peopleTable(table: SourceTable, ctx: ReadContext): PeopleTable {
  let read: GridRead;
  try {
    read = readOutcomes(table, ctx);
  } catch (error) {
    if (error instanceof ImportError) Object.assign(error.details, sourceDetails(table));
    throw error;
  }
  const rows: PersonRow[] = [];
  const rejected: RejectedPerson[] = [];
  for (const outcome of read.outcomes) {
    if (outcome.error) {
      const error = outcome.error;
      const field =
        error instanceof RowError ? error.field : typeof error.details.field === 'string' ? error.details.field : null;
      const reason = error instanceof RowError ? error.reason : error.message;
      rejected.push({ ...outcome.at, field, code: error.code, reason, error });
      continue;
    }
    rows.push({
      ...outcome.at,
      row: rows.length + 1,
      ...(outcome.id !== undefined ? { id: outcome.id } : {}),
      fields: outcome.fields!,
      ...(outcome.merged ? { merged: outcome.merged } : {}),
    });
  }
  return {
    ...sourceDetails(table),
    ...(read.columns.preset ? { preset: read.columns.preset } : {}),
    columns: read.columns.fields,
    ignoredColumns: read.columns.ignored,
    rowsTotal: read.rowsTotal,
    blankRows: read.blankRows,
    rows,
    rejected,
    warnings: read.warnings,
  };
}

function sourceDetails(table: SourceTable) {
  const delimiters = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;
  return {
    format: table.format,
    ...(table.encoding ? { encoding: table.encoding } : {}),
    ...(table.delimiter ? { delimiter: delimiters[table.delimiter] } : {}),
    ...(table.sheet !== undefined ? { sheet: table.sheet } : {}),
  };
}

function sourceOptions(options: PeopleOptions, ctx: ReadContext) {
  return {
    ...(options.fileName !== undefined ? { fileName: options.fileName } : {}),
    ...(ctx.policy.maxRows !== undefined ? { maxRows: ctx.policy.maxRows } : {}),
    maxColumns: ctx.policy.maxColumns,
  };
}

/**
 * The people of a file: CSV, XLSX, JSON or a Realtime Database export, detected from the bytes
 * (`fileName` a hint). A file that cannot be read throws an ImportError (its code says why: see
 * import/errors.ts); every row that cannot be read is in `rejected` with where it is and why,
 * and the others go on. See the module comment for the rules and PeopleOptions for the options.
 */
export async function readPeople(bytes: Uint8Array, options: PeopleOptions = {}): Promise<PeopleTable> {
  const ctx = resolveOptions(options, true);
  return peopleTable(await readSourceTable(bytes, sourceOptions(options, ctx)), ctx);
}

/** readPeople for CSV and JSON, synchronously (an XLSX workbook is UNSUPPORTED_FORMAT here: use readPeople). */
export function readPeopleSync(bytes: Uint8Array, options: PeopleOptions = {}): PeopleTable {
  const ctx = resolveOptions(options, true);
  return peopleTable(readTextTable(bytes, sourceOptions(options, ctx)), ctx);
}

/** readPeople for a table a program already has (a connector's records: import/table-formats.ts tableOfRecords). */
export function readPeopleFromTable(table: SourceTable, options: PeopleOptions = {}): PeopleTable {
  return peopleTable(table, resolveOptions(options, true));
}

/**
 * The rows of a table for the Storage import of speakers (import/speakers-csv.ts): the header
 * read with the import's rules and no preset, each data row's cells cleaned (flat fields, the
 * name joined from its parts) or its error; the import checks, ids and duplicates are its own.
 */
export function readImportRows(
  table: SourceTable,
  policy: TablePolicy,
  locale?: string,
): {
  columns: ColumnMap;
  rows: { at: SourceRef; fields?: Record<string, string>; error?: CodedError }[];
  blankRows: number;
} {
  const ctx = resolveOptions({ policy, preset: 'none', duplicates: 'keep', ...(locale ? { locale } : {}) }, false);
  const nonBlank = table.records.filter((record) => record.error !== undefined || !isBlankRecord(record));
  const headerRecord = nonBlank[0];
  if (!headerRecord) throw new ImportError('EMPTY_FILE', 'The file is empty.');
  const header = headerRecord.cells;
  const columns = mapHeader(header, policy);
  const rows: { at: SourceRef; fields?: Record<string, string>; error?: CodedError }[] = [];
  let blankRows = 0;
  for (const record of table.records.slice(table.records.indexOf(headerRecord) + 1)) {
    if (record.error === undefined && isBlankRecord(record)) {
      blankRows++;
      continue;
    }
    try {
      rows.push({ at: refOf(record), fields: readCells(record, header.length, columns, header, ctx).flat });
    } catch (error) {
      rows.push({ at: refOf(record), error: error as CodedError });
    }
  }
  return { columns, rows, blankRows };
}
