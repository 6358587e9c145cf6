/**
 * The one reader of people (functions/src/import/participants.ts readPeople) on everything
 * organizers have: CSV in any delimiter and encoding, XLSX, JSON lists, Realtime Database
 * exports; header aliases in the languages of the verification page; names joined in the
 * event's locale order; the Zoom, Eventbrite and Indico presets with their attendance; one
 * person from several rows; and hostile files, each refused with its code, in bounded time.
 * Fixtures: test/fixtures/exports/ (its README says where each shape comes from).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type * as Fflate from '../../functions/node_modules/fflate/lib/index.js';
import { ImportError, type FileErrorCode } from '../../functions/src/import/errors.js';
import {
  readCsvTable,
  readPeople,
  readPeopleSync,
  RENDER_TABLE,
  type PeopleOptions,
  type PeopleTable,
} from '../../functions/src/import/participants.js';
import { detectPreset, splitZoomName } from '../../functions/src/import/presets.js';
import { parseSpeakerCsv, parseSpeakerFile } from '../../functions/src/import/speakers-csv.js';
import { headerMeaning, joinNameParts, roleSlug } from '../../functions/src/import/table-headers.js';
import { instantOf, isoInstant, parseWallClock } from '../../functions/src/import/table-times.js';
import { rootPath } from '../helpers/fixtures.js';

const { zipSync, strToU8 } = createRequire(new URL('../../functions/package.json', import.meta.url))(
  'fflate',
) as typeof Fflate;

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const fixture = (name: string) => new Uint8Array(readFileSync(rootPath(`test/fixtures/exports/${name}`)));

/** The ImportError a file is refused with (sync or async). */
async function refusal(read: () => unknown): Promise<ImportError> {
  try {
    await read();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

async function expectRefused(read: () => unknown, code: FileErrorCode, message?: RegExp): Promise<ImportError> {
  const error = await refusal(read);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

const byName = (table: PeopleTable) => Object.fromEntries(table.rows.map((row) => [row.fields.name, row]));

// ---------------------------------------------------------------------------------------------
// XLSX workbooks, built as Excel lays them out (see test/fixtures/exports/README.md).

type Cell = string | number | boolean | { date: number } | null;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function columnName(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out;
  return out;
}

/** The sheet XML of rows of cells: strings shared, numbers as numbers, dates with a date style, booleans. */
function sheetXml(rows: Cell[][], shared: string[], firstRow = 1): string {
  const cells = rows.map((row, r) => {
    const n = r + firstRow;
    const body = row
      .map((value, c) => {
        const ref = `${columnName(c + 1)}${n}`;
        if (value === null) return '';
        if (typeof value === 'string') {
          // Every third string inline, as some writers do; the others shared, as Excel does.
          if (c % 3 === 2) return `<c r="${ref}" t="inlineStr"><is><t>${esc(value)}</t></is></c>`;
          shared.push(value);
          return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`;
        }
        if (typeof value === 'boolean') return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
        if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
        return `<c r="${ref}" s="1"><v>${value.date}</v></c>`;
      })
      .join('');
    return `<row r="${n}">${body}</row>`;
  });
  return cells.join('');
}

/** An XLSX workbook: one sheet ("People") whose sheetData is `sheetData` (or built from `rows`). */
function xlsx(rows: Cell[][], options: { sheetData?: string; extra?: Record<string, Uint8Array> } = {}): Uint8Array {
  const shared: string[] = [];
  const data = options.sheetData ?? sheetXml(rows, shared);
  const ns = 'http://schemas.openxmlformats.org';
  const files: Record<string, string> = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/><sheet name="Notes" sheetId="2" r:id="rId4"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId4" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId2" Type="${ns}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${ns}/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="${ns}/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${ns}/spreadsheetml/2006/main"><sheetData>${data}</sheetData></worksheet>`,
    'xl/worksheets/sheet2.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${ns}/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not people</t></is></c></row></sheetData></worksheet>`,
  };
  files['xl/sharedStrings.xml'] =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="${ns}/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">` +
    shared.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('') +
    '</sst>';
  const entries: Record<string, Uint8Array> = Object.fromEntries(
    Object.entries(files).map(([name, text]) => [name, strToU8(text)]),
  );
  return zipSync({ ...entries, ...(options.extra ?? {}) }, { level: 9 });
}

/** Sets the uncompressed size a ZIP's directory (and local header) declares for `name`. */
function patchDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  let end = out.length - 22;
  while (view.getUint32(end, true) !== 0x06054b50) end--;
  let at = view.getUint32(end + 16, true);
  for (let n = view.getUint16(end + 10, true); n > 0; n--) {
    const nameLength = view.getUint16(at + 28, true);
    const entry = new TextDecoder().decode(out.subarray(at + 46, at + 46 + nameLength));
    if (entry === name) {
      view.setUint32(at + 24, size, true);
      view.setUint32(view.getUint32(at + 42, true) + 22, size, true);
      return out;
    }
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  throw new Error(`no entry ${name}`);
}

/** Excel's serial date of a UTC wall-clock time. */
const serial = (iso: string) => Date.parse(`${iso}Z`) / 86_400_000 + 25_569;

// ---------------------------------------------------------------------------------------------

describe('formats detected from the bytes', () => {
  it('reads CSV with comma, semicolon and tab, UTF-8 with and without BOM, to the same people', () => {
    const tables = [
      readPeopleSync(utf8('name,email\nAda,ada@example.org\n')),
      readPeopleSync(utf8('\uFEFFname;email\r\nAda;ada@example.org\r\n')),
      readPeopleSync(utf8('name\temail\nAda\tada@example.org\n')),
    ];
    expect(tables.map((t) => [t.format, t.encoding, t.delimiter])).toEqual([
      ['csv', 'utf-8', 'comma'],
      ['csv', 'utf-8-bom', 'semicolon'],
      ['csv', 'utf-8', 'tab'],
    ]);
    for (const table of tables)
      expect(table.rows.map((r) => r.fields)).toEqual([{ name: 'Ada', email: 'ada@example.org' }]);
  });

  it('reads Excel "Unicode text": UTF-16 LE and BE with a BOM, tab-separated', () => {
    const text = 'Nom\tPrénom\tCourriel\r\nCurie\tMarie\tmarie@example.fr\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const swapped = Buffer.from(text, 'utf16le');
    for (let i = 0; i < swapped.length; i += 2) [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), swapped]);
    for (const [bytes, encoding] of [
      [le, 'utf-16le'],
      [be, 'utf-16be'],
    ] as const) {
      const table = readPeopleSync(new Uint8Array(bytes));
      expect(table).toMatchObject({ format: 'csv', encoding, delimiter: 'tab' });
      // French "Nom" beside "Prénom" is the family name.
      expect(table.rows[0]!.fields).toEqual({ name: 'Marie Curie', email: 'marie@example.fr' });
    }
  });

  it('refuses invalid UTF-16 with NOT_UTF8', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x6e, 0x00, 0x0a, 0x00, 0x00, 0xd8, 0x41, 0x00]);
    await expectRefused(() => readPeopleSync(bytes), 'NOT_UTF8', /not valid UTF-16LE/);
  });

  it('reads a JSON list of objects: nested talk, numbers as text, null items as blank, other items rejected', () => {
    const table = readPeopleSync(
      utf8(
        JSON.stringify([
          { name: 'Ada', email: 'ada@example.org', talk: { title: 'Engines' }, year: 1843, keynote: true },
          null,
          'Grace',
          { first_name: 'José', last_name: 'Núñez' },
        ]),
      ),
    );
    expect(table.format).toBe('json');
    expect(table.rows.map((r) => [r.index, r.fields])).toEqual([
      [0, { name: 'Ada', email: 'ada@example.org', talk: { title: 'Engines' }, year: '1843', keynote: 'true' }],
      // No name, but name parts: they stand in for it (and stay fields of their own beside a name column).
      [3, { name: 'José Núñez', first_name: 'José', last_name: 'Núñez' }],
    ]);
    expect(table.blankRows).toBe(1);
    expect(table.rejected).toEqual([
      expect.objectContaining({
        index: 2,
        field: null,
        code: 'MISSING_NAME',
        reason: expect.stringMatching(/item 2 is a string/),
      }),
    ]);
  });

  it('reads a Realtime Database export, wrapped one level: the key is the id', () => {
    const json = {
      speakers: {
        '-NaBc1': { name: 'Ada Lovelace', email: 'ada@example.org', talk: { title: 'Engines', track: 'Main' } },
        '-NaBc2': { first_name: 'Grace', last_name: 'Hopper', id: 'something-else' },
        '-NaBc3': null,
      },
    };
    const table = readPeopleSync(utf8(JSON.stringify(json)), { fileName: 'export.json' });
    expect(table.format).toBe('rtdb');
    expect(table.rows.map((r) => [r.key, r.id, r.fields])).toEqual([
      ['-NaBc1', '-NaBc1', { name: 'Ada Lovelace', email: 'ada@example.org', talk: { title: 'Engines' } }],
      ['-NaBc2', '-NaBc2', { name: 'Grace Hopper', first_name: 'Grace', last_name: 'Hopper' }],
    ]);
    expect(table.ignoredColumns.map((c) => c.header)).toEqual(['talk.track']);
    expect(table.warnings).toContain(`key "id" is not read: a record's key is its id`);
  });

  it('an unwrapped Realtime Database export and the CLI data-file shape are read too', () => {
    const bare = readPeopleSync(utf8('{"u1": {"name": "Ada"}, "u2": {"name": "Bob"}}'));
    expect(bare.rows.map((r) => r.id)).toEqual(['u1', 'u2']);
    const cli = readPeopleSync(utf8(JSON.stringify({ event: { name: 'X' }, speakers: [{ name: 'Ada' }] })));
    expect(cli.rows.map((r) => r.fields.name)).toEqual(['Ada']);
  });

  it('a .csv name keeps a file that starts with "[" a CSV; JSON is detected without a name', () => {
    expect(readPeopleSync(utf8('[{"name":"Ada"}]')).format).toBe('json');
    expect(() => readPeopleSync(utf8('[x],name\n1,Ada\n'), { fileName: 'people.csv' })).not.toThrow();
    expect(readPeopleSync(utf8('[x],name\n1,Ada\n'), { fileName: 'people.csv' }).format).toBe('csv');
  });

  it('reads the first sheet of an XLSX workbook: shared and inline strings, numbers as written, dates as ISO', async () => {
    const bytes = xlsx([
      ['Nombre', 'Apellidos', 'Correo electrónico', 'Teléfono', 'Inscripción', 'Activo'],
      ['José', 'Núñez', 'jose@example.es', 34600111222, { date: serial('2026-03-20T09:30:00') }, true],
      [null, null, null, null, null, null],
      ['María', 'de la Peña', 'maria@example.es', 0.30000000000000004, { date: serial('2026-03-21T00:00:00') }, false],
    ]);
    const table = await readPeople(bytes, { fileName: 'people.xlsx' });
    expect(table).toMatchObject({ format: 'xlsx', sheet: 'People', blankRows: 1, rejected: [] });
    expect(table.rows.map((r) => [r.line, r.fields])).toEqual([
      [2, { name: 'José Núñez', email: 'jose@example.es', Activo: 'TRUE' }],
      [4, { name: 'María de la Peña', email: 'maria@example.es', Activo: 'FALSE' }],
    ]);
    // Columns with non-ASCII names are not simple field names: listed, not read.
    expect(table.ignoredColumns.map((c) => c.header)).toEqual(['Teléfono', 'Inscripción']);
    const cells = await readPeople(
      xlsx([
        ['name', 'phone', 'registered', 'active'],
        ['José', 34600111222, { date: serial('2026-03-20T09:30:00') }, true],
        ['María', 0.30000000000000004, { date: serial('2026-03-21T00:00:00') }, false],
      ]),
    );
    expect(cells.rows.map((r) => r.fields)).toEqual([
      { name: 'José', phone: '34600111222', registered: '2026-03-20T09:30:00', active: 'TRUE' },
      { name: 'María', phone: '0.30000000000000004', registered: '2026-03-21', active: 'FALSE' },
    ]);
  });

  it('the speaker import reads XLSX through parseSpeakerFile, and CSV as before through both', async () => {
    const parsed = await parseSpeakerFile(
      xlsx([
        ['Full Name', 'E-mail', 'Talk Title'],
        ['Ada Lovelace', 'ada@example.org', 'Notes'],
      ]),
    );
    expect(parsed).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null, rowsTotal: 1 });
    expect(parsed.rows[0]).toMatchObject({ line: 2, fields: { name: 'Ada Lovelace', 'talk.title': 'Notes' } });
    const csv = utf8('name,email\nAda,ada@example.org\n');
    expect((await parseSpeakerFile(csv)).rows).toEqual(parseSpeakerCsv(csv).rows);
    await expectRefused(() => parseSpeakerCsv(xlsx([['name'], ['Ada']])), 'UNSUPPORTED_FORMAT', /asynchronous/);
  });
});

describe('headers in eight languages', () => {
  it.each([
    ['Name', 'name'],
    ['NOMBRE COMPLETO', 'name'],
    ['nome completo', 'name'],
    ['氏名', 'name'],
    ['الاسم الكامل', 'name'],
    ['Prénom', 'given'],
    ['Vorname', 'given'],
    ['名', 'given'],
    ['primeiro nome', 'given'],
    ['Apellidos', 'family'],
    ['Nachname', 'family'],
    ['姓', 'family'],
    ['اسم العائلة', 'family'],
    ['Correo Electrónico', 'email'],
    ['E-Mail', 'email'],
    ['Courriel', 'email'],
    ['メールアドレス', 'email'],
    ['电子邮件', 'email'],
    ['البريد الإلكتروني', 'email'],
    ['Título de la charla', 'talk.title'],
    ['Vortragstitel', 'talk.title'],
    ['タイトル', 'talk.title'],
    ['标题', 'talk.title'],
    ['Rôle', 'role'],
    ['Função', 'role'],
    ['役割', 'role'],
    ['  E_MAIL: ', 'email'],
    ['Ｅｍａｉｌ', 'email'],
  ])('%j means %s', (header, meaning) => {
    expect(headerMeaning(header)).toBe(meaning);
  });

  it('reads a Spanish Excel CSV (BOM, semicolons, CRLF): Nombre + Apellidos, Correo electrónico, Rol', () => {
    const table = readPeopleSync(fixture('ponentes-excel-es.csv'), { locale: 'es-ES' });
    expect(table.delimiter).toBe('semicolon');
    expect(table.columns).toEqual({
      name: 'Nombre + Apellidos',
      email: 'Correo electrónico',
      'talk.title': 'Título de la charla',
      role: 'Rol',
    });
    expect(table.rows.map((r) => r.fields)).toEqual([
      {
        name: 'José Núñez García',
        email: 'jose@example.es',
        talk: { title: 'Año nuevo, código nuevo' },
        role: 'speaker',
      },
      { name: 'María', email: 'maria@example.es', talk: { title: 'Datos; y más' }, role: 'volunteer' },
      { name: 'Álvaro de la Peña', email: 'ALVARO@example.es', role: 'attendee' },
    ]);
  });

  it('joins 姓 + 名 family name first without a space, Latin names with one, in the event locale order', () => {
    const csv = utf8('姓,名,メールアドレス\n山田,太郎,taro@example.jp\nTanaka,Taro,tanaka@example.jp\n');
    expect(readPeopleSync(csv, { locale: 'ja-JP' }).rows.map((r) => r.fields.name)).toEqual([
      '山田太郎',
      'Tanaka Taro',
    ]);
    // In an English event a Han-script name is still family first; a Latin one given first.
    expect(readPeopleSync(csv, { locale: 'en' }).rows.map((r) => r.fields.name)).toEqual(['山田太郎', 'Taro Tanaka']);
    expect(joinNameParts('민준', '김', 'ko')).toBe('김민준');
    expect(joinNameParts('János', 'Kovács', 'hu')).toBe('Kovács János');
    expect(joinNameParts('Ada', 'Lovelace', 'fr')).toBe('Ada Lovelace');
    expect(joinNameParts('', 'Lovelace', 'fr')).toBe('Lovelace');
  });

  it('German "Name" beside "Vorname" is the family name; alone, or beside both parts, the full name', () => {
    expect(readPeopleSync(utf8('Name;Vorname\nMeitner;Lise\n')).rows[0]!.fields.name).toBe('Lise Meitner');
    expect(readPeopleSync(utf8('Name\nLise Meitner\n')).rows[0]!.fields.name).toBe('Lise Meitner');
    const both = readPeopleSync(utf8('Name,First Name,Last Name\nDr. Lise Meitner,Lise,Meitner\n,Ada,Lovelace\n'));
    // The full name wins where given; the parts stand in where it is empty.
    expect(both.rows.map((r) => r.fields.name)).toEqual(['Dr. Lise Meitner', 'Ada Lovelace']);
  });

  it('two columns for one meaning in two languages are DUPLICATE_COLUMN; no name at all MISSING_NAME_COLUMN', async () => {
    await expectRefused(() => readPeopleSync(utf8('email,Correo\na@x.org,b@x.org\n')), 'DUPLICATE_COLUMN');
    await expectRefused(() => readPeopleSync(utf8('Prénom,First Name\nA,B\n')), 'DUPLICATE_COLUMN');
    await expectRefused(() => readPeopleSync(utf8('Correo;Ciudad\nx@y.es;Sevilla\n')), 'MISSING_NAME_COLUMN');
  });

  it('roles: a built-in role in any language is its id, others a slug, and a cell that makes no id rejects its row', () => {
    expect(
      ['Volunteer', 'Bénévole', '志愿者', 'Teilnehmer', 'Program Committee', 'Comité científico'].map(roleSlug),
    ).toEqual(['volunteer', 'volunteer', 'volunteer', 'attendee', 'program-committee', 'comite-cientifico']);
    const table = readPeopleSync(utf8('name,role\nAda,Chair\nBob,程序委员会\n'));
    expect(table.rows.map((r) => r.fields.role)).toEqual(['chair']);
    expect(table.rejected).toEqual([expect.objectContaining({ line: 3, field: 'role', code: 'INVALID_DATA' })]);
  });
});

describe('Zoom participant report', () => {
  const zoom = (options: PeopleOptions = {}) =>
    readPeopleSync(fixture('zoom-participants.csv'), { timeZone: 'Europe/Madrid', ...options });

  it('is recognized past its meeting summary, and its columns are read', () => {
    const table = zoom();
    expect(table.preset).toBe('zoom');
    expect(table.columns).toEqual({ name: 'Name (Original Name)', email: 'User Email' });
    expect(table.warnings[0]).toBe("line 1 to line 2: Zoom's meeting summary, not people: not read");
    expect(table.ignoredColumns.map((c) => c.header)).toEqual(['Guest']);
  });

  it('one person per email or name: rejoins merged, overlaps counted once, the waiting room not counted', () => {
    const table = zoom();
    expect(table.rowsTotal).toBe(7);
    expect(table.rows.map((r) => r.fields.name)).toEqual(['Host Team', 'Ada Lovelace', 'Grace Hopper', '山田太郎']);
    const people = byName(table);
    const ada = people['Ada Lovelace']!;
    // 08:58:03-09:40:10 and 09:35-10:10 overlap (two devices): 71.95 minutes, then 10:30-11:04:40: 34.67.
    expect(ada.fields.attendance).toEqual({
      minutes: 107,
      checkins: ['2026-05-12T06:58:03Z', '2026-05-12T07:35:00Z', '2026-05-12T08:30:00Z'],
    });
    expect(ada.merged).toEqual([{ line: 6 }, { line: 7 }, { line: 8 }]);
    expect(ada.line).toBe(6);
    expect(ada.fields.email).toBe('ada@example.org');
    // Grace has no email: her two rows are one person by name; the waiting-room row gives nothing.
    expect(people['Grace Hopper']!.fields.attendance).toEqual({ minutes: 90, checkins: ['2026-05-12T07:01:00Z'] });
    expect(people['Host Team']!.fields.originalName).toBe('certforge');
  });

  it('sums "Duration (Minutes)" when join or leave times are missing; keep gives one row per join', () => {
    const csv = utf8(
      'Name (Original Name),User Email,Total Duration (Minutes),Guest\nAda,ada@example.org,30,No\nAda,ada@example.org,45,No\n',
    );
    const table = readPeopleSync(csv);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]!.fields.attendance).toEqual({ minutes: 75 });
    expect(readPeopleSync(csv, { duplicates: 'keep' }).rows.map((r) => r.fields.attendance)).toEqual([
      { minutes: 30 },
      { minutes: 45 },
    ]);
  });

  it('the layout with meeting columns on every row reads the participant columns (the last User Email)', () => {
    const table = readPeopleSync(fixture('zoom-participants-meeting-columns.csv'));
    expect(table.preset).toBe('zoom');
    expect(table.rows.map((r) => [r.fields.name, r.fields.email, r.fields.attendance])).toEqual([
      ['Ada Lovelace', 'ada@example.org', { minutes: 76, checkins: ['2026-05-12T08:58:00Z', '2026-05-12T10:30:00Z'] }],
      ['Linus Torvalds', 'linus@example.org', { minutes: 5, checkins: ['2026-05-12T09:10:00Z'] }],
    ]);
    expect(table.ignoredColumns.map((c) => c.header)).toContain('User Name');
  });

  it('a row whose time cannot be read is rejected with its line and column; the others go on', () => {
    const table = readPeopleSync(
      utf8(
        'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n' +
          'Ada,ada@example.org,2026-05-12 09:00,2026-05-12 09:30,30\n' +
          'Bob,bob@example.org,yesterday,2026-05-12 09:30,30\n' +
          'Cy,cy@example.org,2026-05-12 10:00,2026-05-12 09:30,30\n' +
          'Di,di@example.org,2026-05-12 10:00,2026-05-12 10:30,half\n',
      ),
    );
    expect(table.rows.map((r) => r.fields.name)).toEqual(['Ada']);
    expect(table.rejected.map((r) => [r.line, r.field, r.code])).toEqual([
      [3, 'Join Time', 'INVALID_DATA'],
      [4, 'Leave Time', 'INVALID_DATA'],
      [5, 'Duration (Minutes)', 'INVALID_DATA'],
    ]);
  });

  it('dates: day first when a date says so, or by option; times in the event time zone (DST included)', () => {
    const csv = (join: string) =>
      utf8(
        `Name (Original Name),User Email,Join Time,Leave Time\nAda,a@x.org,${join},${join}\nBo,b@x.org,25/03/2026 10:00,25/03/2026 10:00\n`,
      );
    expect(readPeopleSync(csv('03/04/2026 10:00')).rows[0]!.fields.attendance).toMatchObject({
      checkins: ['2026-04-03T10:00:00Z'],
    });
    const table = readPeopleSync(
      utf8('Name (Original Name),User Email,Join Time,Leave Time\nAda,a@x.org,03/04/2026 10:00,03/04/2026 10:05\n'),
      { dateOrder: 'dmy', timeZone: 'America/New_York' },
    );
    expect(table.rows[0]!.fields.attendance).toEqual({ minutes: 5, checkins: ['2026-04-03T14:00:00Z'] });
    expect(isoInstant(instantOf(parseWallClock('2026-03-29 03:30')!, 'Europe/Madrid'))).toBe('2026-03-29T01:30:00Z');
    expect(isoInstant(instantOf(parseWallClock('2026-03-28 03:30')!, 'Europe/Madrid'))).toBe('2026-03-28T02:30:00Z');
    expect(parseWallClock('Sep 11, 2026 6:14 PM')).toMatchObject({ month: 9, day: 11, hour: 18, minute: 14 });
    expect(parseWallClock('31/04/2026')).toBeUndefined();
  });

  it('splits Zoom renames: "Display (Original)"', () => {
    expect(splitZoomName('Ada Lovelace (Ada L)')).toEqual({ name: 'Ada Lovelace', originalName: 'Ada L' });
    expect(splitZoomName('José (Pepe) García')).toEqual({ name: 'José (Pepe) García' });
  });
});

describe('Eventbrite attendee report', () => {
  it('is recognized; names joined; Attendee # is the source; statuses give check-ins and tickets', () => {
    const table = readPeopleSync(fixture('eventbrite-attendees.csv'));
    expect(table.preset).toBe('eventbrite');
    const people = byName(table);
    expect(Object.keys(people)).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'Alan Turing',
      'Linus Torvalds',
      'Margaret Hamilton',
    ]);
    expect(people['Ada Lovelace']!.fields).toMatchObject({
      email: 'ada@example.org',
      ticketType: 'General Admission',
      orderNumber: '1203456789',
      attendance: { checkedIn: true },
      source: { system: 'eventbrite', ref: '2345678901' },
    });
    expect(people['Grace Hopper']!.fields.attendance).toBeUndefined();
    expect(people['Grace Hopper']!.fields.ticket).toBeUndefined();
    expect(people['Alan Turing']!.fields.ticket).toEqual({ status: 'canceled' });
    expect(people['Linus Torvalds']!.fields.ticket).toEqual({ status: 'refunded' });
    // Two tickets of one email: one not attending, one checked in: a valid ticket, checked in.
    const margaret = people['Margaret Hamilton']!;
    expect(margaret.merged).toEqual([{ line: 6 }, { line: 7 }]);
    expect(margaret.fields.ticket).toBeUndefined();
    expect(margaret.fields.attendance).toEqual({ checkedIn: true });
    expect(margaret.fields.source).toEqual({ system: 'eventbrite', ref: '2345678905' });
  });

  it('a preset can be forced or turned off', () => {
    const csv = utf8('First Name,Last Name,Email,Attendee Status\nAda,Lovelace,ada@example.org,Checked In\n');
    expect(readPeopleSync(csv).preset).toBeUndefined();
    expect(readPeopleSync(csv).rows[0]!.fields.attendance).toBeUndefined();
    const forced = readPeopleSync(csv, { preset: 'eventbrite' });
    expect(forced.preset).toBe('eventbrite');
    expect(forced.rows[0]!.fields.attendance).toEqual({ checkedIn: true });
    expect(readPeopleSync(fixture('eventbrite-attendees.csv'), { preset: 'none' }).preset).toBeUndefined();
  });
});

describe('Indico registrants', () => {
  it('first and last names win over Indico\'s own "Name"; check-in times, days; withdrawn and rejected canceled', () => {
    const table = readPeopleSync(fixture('indico-registrants.csv'), { locale: 'ja' });
    expect(table.preset).toBe('indico');
    expect(table.columns.name).toBe('First Name + Last Name');
    const rows = table.rows;
    expect(rows.map((r) => r.fields.name)).toEqual([
      'Yamada Taro',
      'Curie Marie',
      'Tesla Nikola',
      'Meitner Lise',
      'Wu Chien-Shiung',
    ]);
    expect(rows[0]!.fields).toMatchObject({
      honorific: 'Dr',
      email: 'taro.yamada@example.jp',
      Affiliation: 'University of Tokyo',
      registrationDate: '2026-03-01 10:02:11+01:00',
      attendance: { checkins: ['2026-05-12T07:15:03Z'] },
      source: { system: 'indico', ref: '1' },
    });
    expect(rows[1]!.fields.attendance).toBeUndefined();
    expect(rows[2]!.fields.ticket).toEqual({ status: 'canceled' });
    expect(rows[3]!.fields.ticket).toEqual({ status: 'canceled' });
    expect(rows[4]!.fields.attendance).toEqual({ days: ['2026-05-12'] });
    expect(readPeopleSync(fixture('indico-registrants.csv')).rows[0]!.fields.name).toBe('Taro Yamada');
  });

  it('detects each preset from its header only', () => {
    expect(detectPreset(['Name (original name)', 'Email', 'Join time', 'Leave time', 'Duration (minutes)'])).toBe(
      'zoom',
    );
    expect(detectPreset(['Order #', 'First Name', 'Last Name', 'Email', 'Ticket Type'])).toBe('eventbrite');
    expect(detectPreset(['ID', 'Name', 'Email Address', 'Registration state'])).toBe('indico');
    expect(detectPreset(['id', 'name', 'email'])).toBeUndefined();
  });
});

describe('one person on several rows', () => {
  it('by email ignoring case, else by name; fields completed, a differing value a warning', () => {
    const table = readPeopleSync(
      utf8(
        'name,email,affiliation,city\n' +
          'Ada Lovelace,ada@example.org,Analytical Society,\n' +
          'Grace,,,Arlington\n' +
          'A. Lovelace,ADA@EXAMPLE.ORG,Royal Society,London\n' +
          'grace ,,Navy,\n' +
          'Grace,grace@example.org,,\n',
      ),
    );
    expect(table.rows.map((r) => [r.fields.name, r.merged?.map((m) => m.line)])).toEqual([
      ['Ada Lovelace', [2, 4]],
      ['Grace', [3, 5, 6]],
    ]);
    expect(table.rows[0]!.fields).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      affiliation: 'Analytical Society',
      city: 'London',
    });
    expect(table.warnings).toContain(
      'line 4 is the same person as line 2: its affiliation "Royal Society" is not used ("Analytical Society" is)',
    );
  });

  it('rows without email whose name belongs to two people stay apart; ids decide first', () => {
    const table = readPeopleSync(
      utf8(
        'id,name,email\n,Sam,sam1@example.org\n,Sam,sam2@example.org\n,Sam,\np-1,Kim,k@example.org\np-2,Kim,k@example.org\n',
      ),
    );
    expect(table.rows.map((r) => [r.id, r.fields.name, r.fields.email])).toEqual([
      [undefined, 'Sam', 'sam1@example.org'],
      [undefined, 'Sam', 'sam2@example.org'],
      [undefined, 'Sam', undefined],
      ['p-1', 'Kim', 'k@example.org'],
      ['p-2', 'Kim', 'k@example.org'],
    ]);
  });

  it('the CLI merges only a recognized export, and keeps a role as written', () => {
    const plain = readCsvTable('name,email,role\nAda,ada@example.org,Chair\nAda,ada@example.org,Chair\n');
    expect(plain.rows.map((r) => r.fields)).toEqual([
      { name: 'Ada', email: 'ada@example.org', role: 'Chair' },
      { name: 'Ada', email: 'ada@example.org', role: 'Chair' },
    ]);
    const zoom = readCsvTable(
      'Name (Original Name),User Email,Join Time,Leave Time\nAda,a@x.org,2026-05-12 09:00,2026-05-12 09:10\nAda,a@x.org,2026-05-12 09:20,2026-05-12 09:30\n',
      RENDER_TABLE,
    );
    expect(zoom.rows).toEqual([
      {
        row: 1,
        line: 2,
        fields: {
          name: 'Ada',
          email: 'a@x.org',
          attendance: { minutes: 20, checkins: ['2026-05-12T09:00:00Z', '2026-05-12T09:20:00Z'] },
        },
      },
    ]);
  });
});

describe('every bad row and bad file has its code, place and field', () => {
  it('rows: the import checks, with line and field; the good rows go on', () => {
    const table = readPeopleSync(
      utf8('name,email,id\nAda,ada@example.org,\n,nobody@example.org,\nBob,not-an-email,\nCy\u0007,,\nDi,,a/b\n'),
    );
    expect(table.rows.map((r) => r.fields.name)).toEqual(['Ada']);
    expect(table.rejected.map(({ line, field, code }) => [line, field, code])).toEqual([
      [3, 'name', 'MISSING_NAME'],
      [4, 'email', 'INVALID_EMAIL'],
      [5, 'name', 'CONTROL_CHARACTER'],
      [6, 'id', 'INVALID_ID'],
    ]);
    expect(table.rowsTotal).toBe(5);
  });

  it('files: empty, header only, malformed JSON with its line and column, JSON that is no table', async () => {
    await expectRefused(() => readPeopleSync(new Uint8Array(0)), 'EMPTY_FILE');
    await expectRefused(() => readPeopleSync(utf8('name,email\n')), 'NO_DATA_ROWS');
    const syntax = await expectRefused(
      () => readPeopleSync(utf8('[\n  {"name": "Ada"},\n  {"name": }\n]')),
      'MALFORMED_FILE',
    );
    expect(syntax.details).toMatchObject({ format: 'json', line: 3 });
    for (const json of ['42', '"people"', '{"name": "Ada"}', '{"a": [1], "b": [2]}', '[]']) {
      const read = () => readPeopleSync(utf8(json), { fileName: 'x.json' });
      if (json === '[]') await expectRefused(read, 'EMPTY_FILE');
      else await expectRefused(read, 'MALFORMED_FILE', /not a table of people/);
    }
  });

  it('formats certforge does not read: .xls, OpenDocument, PDF, another ZIP', async () => {
    await expectRefused(
      () => readPeople(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])),
      'UNSUPPORTED_FORMAT',
      /Excel 97-2003/,
    );
    const ods = zipSync({
      mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'),
      'content.xml': strToU8('<x/>'),
    });
    await expectRefused(() => readPeople(ods), 'UNSUPPORTED_FORMAT', /OpenDocument/);
    await expectRefused(() => readPeople(zipSync({ 'a.txt': strToU8('x') })), 'UNSUPPORTED_FORMAT', /ZIP archive/);
    await expectRefused(() => readPeople(utf8('%PDF-1.7\n...')), 'UNSUPPORTED_FORMAT', /PDF/);
  });
});

describe('hostile inputs are refused in bounded time and memory', () => {
  it('a ZIP bomb whose directory declares 100 MB of XML: FILE_TOO_LARGE before inflating anything', async () => {
    const bomb = patchDeclaredSize(xlsx([['name'], ['Ada']]), 'xl/worksheets/sheet1.xml', 100 * 1024 * 1024);
    const error = await expectRefused(() => readPeople(bomb), 'FILE_TOO_LARGE', /unpacks to \d+ bytes of XML/);
    expect(error.details).toMatchObject({ format: 'xlsx', limit: 64 * 1024 * 1024 });
  });

  it('a ZIP bomb that lies: 30 MB of XML declared as 2 KB stops at 2 KB (MALFORMED_FILE), fast', async () => {
    const padding = `<row r="2"><c r="A2" t="inlineStr"><is><t>${' '.repeat(30 * 1024 * 1024)}</t></is></c></row>`;
    const honest = xlsx([], {
      sheetData: `<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>${padding}`,
    });
    expect(honest.length).toBeLessThan(200_000);
    const lying = patchDeclaredSize(honest, 'xl/worksheets/sheet1.xml', 2048);
    const started = performance.now();
    await expectRefused(() => readPeople(lying), 'MALFORMED_FILE', /not the size its directory says/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a tiny sheet naming cell XFD1048576 or A1048576: refused before any grid is laid out', async () => {
    const far = (ref: string) =>
      xlsx([], {
        sheetData: `<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row><row r="1048576"><c r="${ref}" t="inlineStr"><is><t>x</t></is></c></row>`,
      });
    await expectRefused(() => readPeople(far('A1048576')), 'TOO_MANY_ROWS', /row 1048576/);
    const wide = xlsx([], {
      sheetData: `<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="XFD1"><v>1</v></c></row>`,
    });
    await expectRefused(() => readPeople(wide), 'TOO_MANY_COLUMNS', /column XFD/);
    await expectRefused(
      () => readPeople(xlsx([], { sheetData: '<row r="1"><c r="ZZZZ1"><v>1</v></c></row>' })),
      'MALFORMED_FILE',
    );
  });

  it('formatted empty cells far to the right on many rows: FILE_TOO_LARGE (cells laid out)', async () => {
    const rows = Array.from(
      { length: 400 },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>${i ? 'x' : 'name'}</t></is></c><c r="XFD${i + 1}" s="1"/></row>`,
    ).join('');
    await expectRefused(() => readPeople(xlsx([], { sheetData: rows })), 'FILE_TOO_LARGE', /lays out more than/);
  });

  it('a CSV header of 100,000 columns: TOO_MANY_COLUMNS', async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    const started = performance.now();
    const error = await expectRefused(() => readPeopleSync(utf8(`name,${header}\nAda\n`)), 'TOO_MANY_COLUMNS');
    expect(error.details).toMatchObject({ columns: 100_001, limit: 200 });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('JSON records with 100,000 different keys: TOO_MANY_COLUMNS', async () => {
    const record = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    await expectRefused(() => readPeopleSync(utf8(JSON.stringify([{ name: 'Ada', ...record }]))), 'TOO_MANY_COLUMNS');
  });

  it("deep JSON: a 200,000-level item is that row's error, a deep value a warning; the other rows go on", () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const deepValue = '{"x":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const table = readPeopleSync(utf8(`[${deep}, {"name": "Ada", "notes": ${deepValue}}, {"name": "Bob"}]`));
    expect(table.rows.map((r) => r.fields)).toEqual([{ name: 'Ada' }, { name: 'Bob' }]);
    expect(table.rejected).toEqual([expect.objectContaining({ index: 0, code: 'MISSING_NAME' })]);
    expect(table.warnings).toContain(
      'key "notes.x" is not read: it holds an object (only text, numbers and true/false are)',
    );
  });

  it('too many rows: TOO_MANY_ROWS (CSV and JSON)', async () => {
    const policy = { kind: 'import' as const, maxColumns: 10, maxRows: 3 };
    await expectRefused(() => readPeopleSync(utf8('name\na\nb\nc\nd\n'), { policy }), 'TOO_MANY_ROWS');
    expect(readPeopleSync(utf8('name\na\nb\nc\n'), { policy }).rows).toHaveLength(3);
    await expectRefused(
      () => readPeopleSync(utf8(JSON.stringify(Array.from({ length: 4 }, () => ({ name: 'x' })))), { policy }),
      'TOO_MANY_ROWS',
    );
  });

  it('many warnings are capped', () => {
    const keys = Array.from({ length: 150 }, (_, i) => [`k${i}`, { nested: { deeper: 1 } }]);
    const table = readPeopleSync(utf8(JSON.stringify([{ name: 'Ada', ...Object.fromEntries(keys) }])));
    expect(table.warnings).toHaveLength(101);
    expect(table.warnings.at(-1)).toBe('… and 50 more warnings');
  });
});
