/**
 * The data handling of the CLI (functions/src/cli/render.ts): rows read by the one reader of
 * people (functions/src/import/participants.ts, shared with the Storage import), certforge's
 * reserved keys, ids, verification addresses, bounds, slugs, the progress bar's text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildRowData,
  certificateId,
  DEFAULT_EVENT,
  progressPayload,
  slugify,
  terminalSafe,
  verifyUrlWarning,
  type EventInfo,
} from '../../functions/src/cli/render.js';
import { detectDelimiter } from '../../functions/src/import/csv.js';
import { ImportError } from '../../functions/src/import/errors.js';
import {
  nestFields,
  readCsvTable,
  readJsonTable,
  TABLE_BOUNDS,
  type ParticipantTable,
} from '../../functions/src/import/participants.js';
import { parseSpeakerCsv } from '../../functions/src/import/speakers-csv.js';
import { CertforgeError } from '../../functions/src/render/errors.js';
import { CERTIFICATE_ID_PATTERN, isCertificateId } from '../../functions/src/shared/paths.js';
import { templateData } from '../../functions/src/shared/template-data.js';
import { nestingDepth } from '../../functions/src/shared/values.js';
import { EVENT, rootPath, SPEAKERS } from '../helpers/fixtures.js';

/** The fields of each row of a table (throws on a row error). */
function fieldsOf(table: ParticipantTable): Record<string, unknown>[] {
  return table.rows.map((row) => {
    if (row.error) throw row.error;
    return row.fields!;
  });
}

const csvRows = (text: string) => fieldsOf(readCsvTable(text));
const jsonRows = (items: unknown[]) => fieldsOf(readJsonTable(items));

/** The error a call throws. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('nothing was thrown');
}

describe('detectDelimiter', () => {
  it.each([
    ['id,name,talk.title\n1,a,b', ','],
    ['id;name;talk.title\n1;a;b', ';'],
    ['id\tname\ttalk.title\n1\ta\tb', '\t'],
    ['\uFEFFid;name;email\n', ';'],
    // Delimiters inside quotes do not count.
    ['"a,b,c,d";name;email\n', ';'],
    ['name\nAda', ','],
    ['', ','],
  ])('%j → %j', (csv, delimiter) => {
    expect(detectDelimiter(csv)).toBe(delimiter);
  });
});

describe('CSV rows', () => {
  it('nests dotted headers (parts trimmed), turns numbered levels into lists, drops empty cells', () => {
    expect(
      csvRows(
        'name,talk.title,talk.track,signatories.0.name,signatories.0.role,signatories.1.name, event . place \nAda,Engines,,A,Chair,B,London\n',
      ),
    ).toEqual([
      {
        name: 'Ada',
        talk: { title: 'Engines' },
        signatories: [{ name: 'A', role: 'Chair' }, { name: 'B' }],
        event: { place: 'London' },
      },
    ]);
  });

  it('fills holes in numbered lists with empty objects', () => {
    expect(csvRows('name,signatories.1.name\nAda,B\n')).toEqual([{ name: 'Ada', signatories: [{}, { name: 'B' }] }]);
  });

  it('cannot pollute prototypes: built-in names are not read, with a warning', () => {
    const table = readCsvTable(
      '__proto__.polluted,constructor.prototype.polluted,a.__proto__.x,toString,name\nyes,yes,1,x,Ada\n',
    );
    expect(fieldsOf(table)).toEqual([{ name: 'Ada' }]);
    expect(table.warnings).toHaveLength(4);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(fieldsOf(table)[0])).toBe(Object.prototype);
  });

  it('reads examples/speakers.csv like examples/speakers.json', () => {
    const rows = csvRows(readFileSync(rootPath('examples/speakers.csv'), 'utf8'));
    expect(rows).toHaveLength(SPEAKERS.length);
    for (const [i, row] of rows.entries()) {
      expect(row.id).toBe(SPEAKERS[i]!.id);
      expect(row.name).toBe(SPEAKERS[i]!.name);
      expect(row.talk).toEqual(SPEAKERS[i]!.talk);
    }
  });

  it('handles a BOM, semicolons, quotes, embedded newlines, surrounding spaces and blank lines', () => {
    const csv =
      '\uFEFFid;name;talk.title;talk.track\r\n1; "Dvořák; Antonín" ;"Line one\nline two";\r\n\r\n2;"Say ""hi""";;Main\r\n';
    expect(csvRows(csv)).toEqual([
      { id: '1', name: 'Dvořák; Antonín', talk: { title: 'Line one\nline two' } },
      { id: '2', name: 'Say "hi"', talk: { track: 'Main' } },
    ]);
  });

  it('a row with more cells than the header is that row TOO_MANY_CELLS (as in the import); the others go on', () => {
    const table = readCsvTable('id,name\n1,a,extra\n2,b\n3\n');
    expect(table.rows.map((row) => [row.row, row.line, row.error?.code ?? null])).toEqual([
      [1, 2, 'TOO_MANY_CELLS'],
      [2, 3, null],
      [3, 4, null],
    ]);
    expect(table.rows[2]!.fields).toEqual({ id: '3' });
  });

  it('ends rows at every spelling of a line break, as the import does', () => {
    const table = readCsvTable('name\r\nAda\nBob\rCy\n');
    expect(table.rows.map((row) => [row.fields?.name, row.line])).toEqual([
      ['Ada', 2],
      ['Bob', 3],
      ['Cy', 4],
    ]);
  });
});

describe('one reader of people: the header spellings the import reads', () => {
  it.each([
    ['name', 'name'],
    ['Name', 'name'],
    ['NAME', 'name'],
    ['Full Name', 'name'],
    ['FULL_NAME', 'name'],
    ['E-Mail', 'email'],
    ['Email Address', 'email'],
    ['Talk Title', 'talk.title'],
    ['talk_title', 'talk.title'],
    ['TALK', 'talk.title'],
    ['title', 'talk.title'],
    ['Speaker ID', 'id'],
  ])('header %j gives %s, in the CLI and in the import', (header, field) => {
    const csv = `${header}${field === 'name' ? '' : ',name'}\nx-1@example.org${field === 'name' ? '' : ',Ada'}\n`;
    const [row] = csvRows(csv);
    const path = field.split('.');
    expect(path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], row)).toBe('x-1@example.org');
    expect(parseSpeakerCsv(new Uint8Array(Buffer.from(csv))).columns[field]).toBe(header);
  });

  it('a header `Name` renders: the row has a name (it failed MISSING_FIELD: The speaker has no name)', () => {
    const [row] = csvRows('Name,Email\nAda Lovelace,ada@example.org\n');
    const data = buildRowData(row!, DEFAULT_EVENT);
    expect(data.name).toBe('Ada Lovelace');
    // The email, under any of its spellings, is the email: never given to the template.
    expect(JSON.stringify(data)).not.toContain('ada@example.org');
  });

  it('reads a Spanish-locale Excel "CSV UTF-8" export (BOM, semicolons, CRLF) as the import does', () => {
    const csv =
      '\uFEFFFull Name;E-mail;Talk Title;Ciudad\r\nJosé Núñez;jose@example.es;Año nuevo, código nuevo;Sevilla\r\n';
    expect(csvRows(csv)).toEqual([
      { name: 'José Núñez', email: 'jose@example.es', talk: { title: 'Año nuevo, código nuevo' }, Ciudad: 'Sevilla' },
    ]);
    const imported = parseSpeakerCsv(new Uint8Array(Buffer.from(csv)));
    expect(imported.rows[0]!.fields).toEqual({
      name: 'José Núñez',
      email: 'jose@example.es',
      'talk.title': 'Año nuevo, código nuevo',
      Ciudad: 'Sevilla',
    });
  });

  it('Spanish headers (`Nombre`, `Correo`) are the name and email for both readers', () => {
    const csv = 'Nombre;Correo\nJosé;jose@example.es\n';
    expect(csvRows(csv)).toEqual([{ name: 'José', email: 'jose@example.es' }]);
    expect(parseSpeakerCsv(new Uint8Array(Buffer.from(csv))).rows[0]!.fields).toEqual({
      name: 'José',
      email: 'jose@example.es',
    });
  });

  it('a header with no name column in any language is refused the same way by both: MISSING_NAME_COLUMN', () => {
    const csv = 'Ciudad;Correo\nSevilla;jose@example.es\n';
    const cli = thrown(() => readCsvTable(csv));
    const imported = thrown(() => parseSpeakerCsv(new Uint8Array(Buffer.from(csv))));
    expect(cli).toBeInstanceOf(ImportError);
    expect([(cli as ImportError).code, (imported as ImportError).code]).toEqual([
      'MISSING_NAME_COLUMN',
      'MISSING_NAME_COLUMN',
    ]);
  });

  it('two columns for one field are refused as by the import: DUPLICATE_COLUMN', () => {
    expect((thrown(() => readCsvTable('name,Full Name\nA,B\n')) as ImportError).code).toBe('DUPLICATE_COLUMN');
    expect((thrown(() => readCsvTable('name,foo,foo.bar\nA,B,C\n')) as ImportError).code).toBe('DUPLICATE_COLUMN');
  });
});

describe('one reader of people: JSON keys', () => {
  it.each([[{ name: 'Ada' }], [{ NAME: 'Ada' }], [{ Name: 'Ada' }], [{ 'Full Name': 'Ada' }], [{ full_name: 'Ada' }]])(
    '%j has the name Ada and renders',
    (row) => {
      const [fields] = jsonRows([row]);
      expect(fields).toEqual({ name: 'Ada' });
      expect(buildRowData(fields!, DEFAULT_EVENT).name).toBe('Ada');
    },
  );

  it('reads the other known fields in any spelling; `talk` as an object stays an object', () => {
    expect(jsonRows([{ NAME: 'Ada', 'E-Mail': 'a@example.org', 'Talk Title': 'T', 'Speaker ID': 's1' }])).toEqual([
      { name: 'Ada', email: 'a@example.org', talk: { title: 'T' }, id: 's1' },
    ]);
    expect(jsonRows([{ name: 'Ada', TALK: 'T' }])).toEqual([{ name: 'Ada', talk: { title: 'T' } }]);
    expect(jsonRows([{ name: 'Ada', talk: { title: 'T', track: 'Main' } }])).toEqual([
      { name: 'Ada', talk: { title: 'T', track: 'Main' } },
    ]);
    expect(jsonRows([{ name: 'Ada', talk: { track: 'Main' }, 'Talk Title': 'T' }])).toEqual([
      { name: 'Ada', talk: { track: 'Main', title: 'T' } },
    ]);
  });

  it('two keys for one field are that row INVALID_DATA', () => {
    const table = readJsonTable([{ name: 'Ada', NAME: 'Bob' }, { name: 'Cy' }]);
    expect(table.rows[0]!.error).toMatchObject({
      code: 'INVALID_DATA',
      message: expect.stringMatching(/"name" and "NAME"/),
    });
    expect(table.rows[1]!.fields).toEqual({ name: 'Cy' });
  });

  it('a row that is not an object is INVALID_DATA; the others go on', () => {
    const table = readJsonTable(['Ada', { name: 'Bob' }]);
    expect(table.rows.map((row) => row.error?.code ?? 'ok')).toEqual(['INVALID_DATA', 'ok']);
  });

  it('drops built-in keys at every level, with a warning', () => {
    const rows = JSON.parse(
      '[{"name":"Ada","__proto__":{"polluted":1},"x":{"__proto__":{"polluted":2},"y":1}}]',
    ) as unknown[];
    const table = readJsonTable(rows);
    expect(fieldsOf(table)).toEqual([{ name: 'Ada', x: { y: 1 } }]);
    expect(Object.getPrototypeOf((fieldsOf(table)[0] as { x: object }).x)).toBe(Object.prototype);
    expect(table.warnings).toEqual(['key "__proto__" is not read: a JavaScript built-in name']);
  });
});

describe("a row's own fields never lose to certforge's objects by accident", () => {
  const info: EventInfo = { event: EVENT.event, signatories: EVENT.signatories };

  it("a column EVENT is the row's own field ({{EVENT}} reads it), next to the event object, with a warning", () => {
    const table = readCsvTable('name,EVENT\nAda,Keynote\n');
    const data = buildRowData(fieldsOf(table)[0]!, info);
    expect(data.EVENT).toBe('Keynote');
    expect(data.event).toEqual(EVENT.event);
    expect(table.warnings).toEqual([
      expect.stringMatching(/column 2 "EVENT" is the row's own field "EVENT", not certforge's "event".*\{\{EVENT\}\}/),
    ]);
    // The import keeps it too (it was ignored as reserved).
    expect(parseSpeakerCsv(new Uint8Array(Buffer.from('name,EVENT\nAda,Keynote\n'))).rows[0]!.fields).toEqual({
      name: 'Ada',
      EVENT: 'Keynote',
    });
  });

  it("JSON keys Event and Locale are the row's own fields, with a warning each", () => {
    const table = readJsonTable([{ name: 'Ada', Event: 'Keynote', Locale: 'fr' }]);
    const data = buildRowData(fieldsOf(table)[0]!, info);
    expect(data).toMatchObject({ Event: 'Keynote', Locale: 'fr', event: EVENT.event });
    expect(data.locale).toBeUndefined();
    expect(table.warnings).toHaveLength(2);
  });

  it('a column named exactly `event` (text) is not read, with a warning that says how to name it; event.place is', () => {
    const table = readCsvTable('name,event,event.place\nAda,Keynote,Online\n');
    expect(fieldsOf(table)).toEqual([{ name: 'Ada', event: { place: 'Online' } }]);
    expect(table.warnings).toEqual([
      expect.stringMatching(
        /^column 2 "event" is not read: reserved by certforge: the event is an object.*rename the column/,
      ),
    ]);
    expect(buildRowData(fieldsOf(table)[0]!, info).event).toEqual({ ...EVENT.event, place: 'Online' });
  });

  it('a JSON `event` that is not an object is not read, with a warning; the event object stays', () => {
    const table = readJsonTable([{ name: 'Ada', event: 'Keynote', signatories: 'none' }]);
    expect(fieldsOf(table)).toEqual([{ name: 'Ada' }]);
    expect(table.warnings).toHaveLength(2);
    expect(table.warnings[0]).toMatch(
      /key "event" is not read: it is certforge's event, which a row may give only as an object/,
    );
  });

  it("the row's own certforge keys in their shape: event merged, signatories replaced, certificate kept, locale for this row", () => {
    const [row] = jsonRows([
      {
        name: 'Ada',
        event: { place: 'Online' },
        signatories: [{ name: 'X', role: 'Y' }],
        certificate: { id: 'ABC', url: 'https://x/abc', title: 'Keynote certificate' },
        locale: 'pl',
      },
    ]);
    const data = buildRowData(row!, info);
    expect(data.event).toMatchObject({ ...EVENT.event, place: 'Online' });
    expect(data.signatories).toEqual([{ name: 'X', role: 'Y' }]);
    expect(data.certificate).toEqual({ id: 'ABC', url: 'https://x/abc', title: 'Keynote certificate' });
    expect(data.locale).toBe('pl');
  });
});

describe("certificate ids: the functions' shape", () => {
  it('22 base64url characters (128 bits), deterministic, depending on event and speaker', () => {
    const id = certificateId('Summit 2026', 'spk-001');
    expect(id).toMatch(CERTIFICATE_ID_PATTERN);
    expect(id).toHaveLength(22);
    expect(isCertificateId(id)).toBe(true);
    expect(certificateId('Summit 2026', 'spk-001')).toBe(id);
    expect(certificateId('Summit 2027', 'spk-001')).not.toBe(id);
    expect(certificateId('Summit 2026', 'spk-002')).not.toBe(id);
    // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(certificateId('ab', 'c')).not.toBe(certificateId('a', 'bc'));
  });

  it('gives every example speaker a distinct id of that shape', () => {
    const ids = SPEAKERS.map((s) => certificateId(EVENT.event.name, s.id));
    for (const id of ids) expect(isCertificateId(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('verification addresses: none the CLI was not given', () => {
  const info: EventInfo = { event: EVENT.event, signatories: EVENT.signatories };

  it("without --verify-base-url and without the row's own url, the certificate has an id and no url", () => {
    const data = buildRowData({ id: 'spk-001', name: 'Ada' }, info);
    expect(data.certificate).toEqual({ id: certificateId(EVENT.event.name, 'spk-001') });
    expect(JSON.stringify(data)).not.toMatch(/https?:/);
  });

  it('with --verify-base-url, the url is <base>/<id> (as the functions print it)', () => {
    const id = certificateId(EVENT.event.name, 'spk-001');
    for (const base of ['https://certificates.example.org/verify', 'https://certificates.example.org/verify/']) {
      expect(buildRowData({ id: 'spk-001', name: 'Ada' }, info, { verifyBaseUrl: base }).certificate).toEqual({
        id,
        url: `https://certificates.example.org/verify/${id}`,
      });
    }
  });

  it("warns once when the template uses {{certificate.url}} and rows have no address; not with a base or the rows' own", () => {
    const rows = readJsonTable([{ name: 'A' }, { name: 'B', certificate: { url: 'https://x/b' } }]).rows;
    expect(verifyUrlWarning(['name', 'certificate.url'], undefined, rows)).toMatch(/1 of 2 rows .*--verify-base-url/);
    expect(verifyUrlWarning(['name', 'certificate.url'], 'https://v.example.org', rows)).toBeUndefined();
    expect(verifyUrlWarning(['name', 'certificate.id'], undefined, rows)).toBeUndefined();
    expect(verifyUrlWarning(['certificate.url'], undefined, rows.slice(1))).toBeUndefined();
  });

  it('the CLI source names no verification domain', () => {
    expect(readFileSync(rootPath('functions/src/cli/render.ts'), 'utf8')).not.toMatch(/certforge\.dev/);
  });
});

describe('bounds', () => {
  it.each(['signatories.2000000.name', 'signatories.9999999.name', 'signatories.100.name', `a.${'9'.repeat(150)}`])(
    'a header %s is LIMIT_EXCEEDED at once, naming the column (no sparse list)',
    (header) => {
      const started = performance.now();
      const error = thrown(() => readCsvTable(`name,${header}\nAda,x\n`));
      expect(performance.now() - started).toBeLessThan(200);
      expect(error).toBeInstanceOf(CertforgeError);
      expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { column: 2, limit: TABLE_BOUNDS.maxIndex } });
      expect(error.message).toMatch(/^Column 2 ".*": the list index .* is over 99\.$/);
    },
  );

  it('a header cell too long to be a field name (5,000 digits, a 1 MB sentence) is not read, with a warning', () => {
    const started = performance.now();
    const table = readCsvTable(`name,a.${'9'.repeat(5000)},${'Please tell us. '.repeat(65_000)}\nAda,x,y\n`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(fieldsOf(table)).toEqual([{ name: 'Ada' }]);
    expect(table.warnings.map((w) => w.length < 400)).toEqual([true, true]);
  });

  it('list indexes up to 99 are read (a list of at most 100 entries)', () => {
    const [row] = csvRows('name,signatories.99.name,signatories.007.role\nAda,B,C\n');
    const list = row!.signatories as unknown[];
    expect(list).toHaveLength(100);
    expect(list[7]).toEqual({ role: 'C' });
    expect(list[99]).toEqual({ name: 'B' });
  });

  it("nestFields (the import's too) is bounded the same way", () => {
    expect(nestFields({ name: 'A', 'talk.title': 'T' })).toEqual({ name: 'A', talk: { title: 'T' } });
    expect(thrown(() => nestFields({ 'signatories.2000000.name': 'x' }))).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(thrown(() => nestFields({ [Array.from({ length: 40 }, () => 'a').join('.')]: 'x' }))).toMatchObject({
      code: 'LIMIT_EXCEEDED',
    });
    expect(thrown(() => nestFields({ 'a.__proto__.x': 'x' }))).toMatchObject({ code: 'INVALID_DATA' });
  });

  it('a JSON row 5,000 levels deep is that row LIMIT_EXCEEDED, and the batch goes on', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    const table = readJsonTable([{ name: 'Ada', deep }, { name: 'Bob' }]);
    expect(table.rows[0]!.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 32 } });
    expect(table.rows[0]!.error!.message).toMatch(/more than 32 levels/);
    expect(table.rows[1]!.fields).toEqual({ name: 'Bob' });
  });

  it('32 levels are fine, 33 are not', () => {
    // A row of `levels` levels: the row itself is the first.
    const nested = (levels: number) => {
      let value: unknown = 'x';
      for (let i = 1; i < levels; i++) value = { a: value };
      return { name: 'Ada', deep: value };
    };
    expect(nestingDepth(nested(32), 32)).toBe(32);
    expect(readJsonTable([nested(32)]).rows[0]!.error).toBeUndefined();
    expect(readJsonTable([nested(33)]).rows[0]!.error).toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });

  it('nestingDepth walks 100,000 levels without recursion and stops past the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestingDepth(deep, 32)).toBe(33);
    expect(nestingDepth(deep, 200_000)).toBe(100_000);
  });
});

describe('the progress bar', () => {
  it('shows names through terminalSafe: no control character reaches the terminal', () => {
    const hostile = 'Eve\u001b]0;pwned\u0007 \u001b[31mRed\u009b2J';
    const { name } = progressPayload(hostile);
    expect(name).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(name.startsWith('Eve\\x1b]0;pwned\\x07')).toBe(true);
    expect(terminalSafe('a\u2028b')).toBe('a\\x2028b');
  });

  it('cuts long names to 30 columns after escaping them', () => {
    expect(progressPayload('x'.repeat(40)).name).toBe(`${'x'.repeat(29)}…`);
    expect(progressPayload('\u001b'.repeat(10)).name).toBe(`${'\\x1b'.repeat(7)}\\…`);
  });
});

describe('slugify', () => {
  it.each([
    ['spk-001', 'spk-001'],
    ['Nguyễn Thị Minh Khai', 'nguyen-thi-minh-khai'],
    ['  Şükrü   Öztürk!! ', 'sukru-ozturk'],
    ['محمد', ''],
    ['李小龍', ''],
    ['../../etc/passwd', 'etc-passwd'],
    ['a'.repeat(47) + ' b', 'a'.repeat(47)],
  ])('%j → %j', (input, slug) => {
    expect(slugify(input)).toBe(slug);
  });

  it('is at most 48 characters, of [a-z0-9-], without leading or trailing dashes', () => {
    for (const s of SPEAKERS) {
      const slug = slugify(s.name);
      expect(slug.length).toBeLessThanOrEqual(48);
      expect(slug).toMatch(/^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$/);
    }
  });
});

describe('buildRowData', () => {
  const info: EventInfo = { event: EVENT.event, signatories: EVENT.signatories };

  it('merges the event and signatories and fills the certificate id', () => {
    const data = buildRowData({ id: 'spk-001', name: 'Ada', talk: { title: 'T' } }, info);
    expect(data.event).toEqual(EVENT.event);
    expect(data.signatories).toEqual(EVENT.signatories);
    expect(data.certificate?.id).toBe(certificateId(EVENT.event.name, 'spk-001'));
    expect(data.name).toBe('Ada');
  });

  it('derives the id from the name when the row has no id, and does not modify its inputs', () => {
    const row = { name: 'Ada' };
    const before = structuredClone(info);
    const data = buildRowData(row, info);
    expect(data.certificate?.id).toBe(certificateId(EVENT.event.name, 'Ada'));
    expect(row).toEqual({ name: 'Ada' });
    expect(info).toEqual(before);
  });

  it('builds the data as the functions do (shared/template-data.ts): email left out, ISO date in the locale', () => {
    const speaker = { id: 's1', name: ' Ada ', email: 'ada@example.org', talk: { title: 'T' } };
    const event = { name: 'Summit', date: '2026-03-12', place: 'Kraków', locale: 'pl' };
    const base = 'https://certificates.example.org/verify';
    const data = buildRowData(speaker, { event, signatories: [] }, { verifyBaseUrl: base });
    const id = certificateId('Summit', 's1');
    expect(data).toEqual(
      templateData({ ...event, signatories: [] }, speaker, { certificateId: id, verifyUrl: `${base}/${id}` }),
    );
    expect(data).not.toHaveProperty('email');
    expect(data.name).toBe('Ada');
    expect(data.event).toEqual({ name: 'Summit', date: '12 marca 2026', place: 'Kraków', isoDate: '2026-03-12' });
  });

  it('has a usable default event', () => {
    const data = buildRowData({ name: 'Ada' }, DEFAULT_EVENT);
    expect(data.event?.name).toBeTruthy();
    expect(data.event?.date).toBeTruthy();
    expect(isCertificateId(data.certificate?.id)).toBe(true);
  });
});
