/**
 * The one reader of people: a table (a CSV header and its records, or JSON objects) → participant
 * rows, for the Storage import (import/speakers-csv.ts) and the batch CLI (cli/render.ts). Pure:
 * no Firebase, no I/O. docs/csv-import.md ("Columns") is the user's view of these rules.
 *
 * A key (a CSV header cell, a top-level key of a JSON row) is read in this order:
 *
 *  1. Known fields, compared after lower-casing and removing spaces, `_`, `-` and `.`:
 *     `name`, `full name` → name; `email`, `e-mail`, `email address` → email; `talk`,
 *     `talk title`, `title` → talk.title; `id`, `speaker id` → id. So `Name`, `NAME`,
 *     `Full Name` and `{"NAME": "Ada"}` all give `name` (and `E-Mail` is the email, which the
 *     template never gets).
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
 * Bounds, so that any input is read in time and memory proportional to its size:
 *  - a path has at most TABLE_BOUNDS.maxDepth parts and a numeric part (a list index) is at most
 *    TABLE_BOUNDS.maxIndex: a header `signatories.2000000.name` is LIMIT_EXCEEDED at once, not a
 *    list of two million entries;
 *  - a JSON row nested deeper than TABLE_BOUNDS.maxDepth is that row's LIMIT_EXCEEDED (measured
 *    without recursion), and the other rows go on;
 *  - at most TablePolicy.maxColumns header cells (TOO_MANY_COLUMNS).
 *
 * Errors: a header problem rejects the table (ImportError: TOO_MANY_COLUMNS, DUPLICATE_COLUMN,
 * MISSING_NAME_COLUMN, or CertforgeError LIMIT_EXCEEDED naming the column); a row problem rejects
 * that row (RowError TOO_MANY_CELLS; CertforgeError INVALID_DATA or LIMIT_EXCEEDED for JSON rows).
 */
import { CertforgeError } from '../render/errors.js';
import type { CodedError } from '../shared/errors.js';
import { RESERVED_KEYS, type ReservedKey } from '../shared/template-data.js';
import { excerpt, isRecord, nestingDepth } from '../shared/values.js';
import { readCsvRecords, type CsvRecord } from './csv.js';
import { ImportError, RowError } from './errors.js';

/** Field paths of the known columns (`id` is the document id in the import). */
export type KnownField = 'id' | 'name' | 'email' | 'talk.title';

/**
 * Header aliases, compared after lower-casing and removing spaces, '_', '-' and '.':
 * "Full Name", "E-mail", "talk_title", "Talk.Title", "Speaker ID" all match.
 */
const ALIASES = new Map<string, KnownField>([
  ['name', 'name'],
  ['fullname', 'name'],
  ['email', 'email'],
  ['emailaddress', 'email'],
  ['talk', 'talk.title'],
  ['talktitle', 'talk.title'],
  ['title', 'talk.title'],
  ['id', 'id'],
  ['speakerid', 'id'],
]);

export function aliasKey(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_.-]+/g, '');
}

/** The known field a header cell or key names, if any. */
export function knownField(key: string): KnownField | undefined {
  return ALIASES.get(aliasKey(key));
}

export const TABLE_BOUNDS = Object.freeze({
  /** Parts of a dotted path, and levels of a JSON row. */
  maxDepth: 32,
  /** The largest list index in a dotted path (`signatories.99.name`). */
  maxIndex: 99,
  /** Characters of a dotted path (the core's longest placeholder). */
  maxPathLength: 200,
});

/** How a table is read: the import's rules or the CLI's (see the module comment, rules 2 and 4). */
export interface TablePolicy {
  kind: 'import' | 'render';
  /** Most header cells. */
  maxColumns: number;
}

/** The CLI's rules. At most 1,000 columns (the import: IMPORT_LIMITS.maxColumns). */
export const RENDER_TABLE: Readonly<TablePolicy> = Object.freeze({ kind: 'render', maxColumns: 1000 });

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

export interface ColumnMap {
  /** Field → the header cell it was read from, e.g. { name: 'Full Name', 'talk.title': 'Title', affiliation: 'affiliation' }. */
  fields: Record<string, string>;
  /** Header cells that were not read, with why (1-based column numbers). */
  ignored: { column: number; header: string; reason: string }[];
  /** Column index → field (a dotted path), for the kept columns. */
  byIndex: Map<number, string>;
  /** Kept columns worth a word (a name that differs from a reserved key only by case). */
  notes: string[];
}

/**
 * Maps a header row to fields (the module comment's rules). A header without a name column, or
 * naming one field twice (ignoring case), or with one field inside another (`talk` as text and
 * `talk.track` are fine; `foo` and `foo.bar` are not), rejects the table.
 */
export function mapHeader(header: string[], policy: TablePolicy): ColumnMap {
  if (header.length > policy.maxColumns) {
    throw new ImportError(
      'TOO_MANY_COLUMNS',
      `The header has ${header.length} columns; at most ${policy.maxColumns} are allowed.`,
      { columns: header.length, limit: policy.maxColumns },
    );
  }
  const fields: Record<string, string> = {};
  const seen = new Map<string, string>(); // lower-cased field → header
  const ignored: ColumnMap['ignored'] = [];
  const byIndex = new Map<number, string>();
  const notes: string[] = [];
  for (const [index, raw] of header.entries()) {
    const cell = raw.normalize('NFC').trim();
    let field: string | undefined = knownField(cell);
    if (!field) {
      const verdict: Verdict =
        cell === ''
          ? { reason: 'no header' }
          : policy.kind === 'import'
            ? importColumn(cell)
            : renderColumn(cell, index + 1);
      if ('reason' in verdict) {
        ignored.push({ column: index + 1, header: cell, reason: verdict.reason });
        continue;
      }
      field = verdict.field;
      if (verdict.note) notes.push(verdict.note);
    }
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
  if (!fields.name) {
    const found =
      header
        .slice(0, 50)
        .map((cell) => `"${excerpt(cell.trim(), 40)}"`)
        .join(', ') + (header.length > 50 ? ', …' : '');
    throw new ImportError(
      'MISSING_NAME_COLUMN',
      `The header has no name column ("name" or "full name"); it reads ${found}. The first line of the file must be the header.`,
      { headers: header.slice(0, 50).map((cell) => excerpt(cell.trim(), 60)) },
    );
  }
  return { fields, ignored, byIndex, notes };
}

/** A record whose cells are all empty: skipped, like a blank line. */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.cells.every((cell) => cell.trim() === '');
}

/** More non-empty cells than the header has rejects the row (TOO_MANY_CELLS); fewer are fine (the missing ones are empty). */
export function checkCellCount(record: CsvRecord, headerLength: number): void {
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
 * mapHeader); a row's are that row's `error`.
 */
export function readCsvTable(text: string, policy: TablePolicy = RENDER_TABLE): ParticipantTable {
  const { records } = readCsvRecords(text);
  const [header, ...data] = records;
  if (!header) throw new ImportError('EMPTY_FILE', 'The file is empty.');
  const columns = mapHeader(header.cells, policy);
  const warnings = [
    ...columns.ignored.map((c) => `column ${c.column} "${excerpt(c.header, 60)}" is not read: ${c.reason}`),
    ...columns.notes,
  ];
  const rows: ParticipantRow[] = [];
  for (const record of data) {
    if (isBlankRecord(record)) continue;
    const row: ParticipantRow = { row: rows.length + 1, line: record.line };
    try {
      checkCellCount(record, header.cells.length);
      const flat: Record<string, string> = {};
      for (const [index, field] of columns.byIndex) {
        const cell = record.cells[index] ?? '';
        if (cell !== '') flat[field] = cell;
      }
      row.fields = nestFields(flat);
    } catch (error) {
      row.error = error as CodedError;
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new ImportError('NO_DATA_ROWS', 'The file has a header but no data rows.');
  return { rows, warnings };
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
