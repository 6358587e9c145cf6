/**
 * The CSV import's pure part (functions/src/import/): decoding, delimiters, line numbers,
 * header aliases, row checks, deterministic ids, duplicates, the path filter and the write
 * plan. Every case goes through real CSV bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { importBucket } from '../../functions/src/config.js';
import { nestFields, planRow } from '../../functions/src/import/apply-speakers.js';
import { decodeCsvBytes, detectDelimiter, readCsvRecords } from '../../functions/src/import/csv.js';
import { ImportError, ROW_ERROR_CODES, type FileErrorCode } from '../../functions/src/import/errors.js';
import { importTarget, roleOfFolder } from '../../functions/src/import/filters.js';
import type { ImportReport } from '../../functions/src/import/import-report.js';
import { runImport, type ImportDeps } from '../../functions/src/import/run-import.js';
import {
  IMPORT_LIMITS,
  parseSpeakerCsv,
  speakerIdFor,
  type ParsedSpeakerCsv,
  type SpeakerRow,
} from '../../functions/src/import/speakers-csv.js';
import { rootPath, SPEAKERS } from '../helpers/fixtures.js';

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const BOM = '\uFEFF';
const HASH_ID = /^[A-Za-z0-9_-]{20}$/;
const fixture = (name: string) => new Uint8Array(readFileSync(rootPath(`test/fixtures/import/${name}`)));

function parse(text: string | Uint8Array, limits = IMPORT_LIMITS): ParsedSpeakerCsv {
  return parseSpeakerCsv(typeof text === 'string' ? utf8(text) : text, limits);
}

/** The ImportError a file is rejected with. */
function rejection(text: string | Uint8Array, limits = IMPORT_LIMITS): ImportError {
  try {
    parse(text, limits);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

function expectRejected(
  text: string | Uint8Array,
  code: FileErrorCode,
  message?: RegExp,
  limits = IMPORT_LIMITS,
): ImportError {
  const error = rejection(text, limits);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

/** Line → code of the rejected rows. */
const rejectedLines = (parsed: ParsedSpeakerCsv) => Object.fromEntries(parsed.rejected.map((r) => [r.line, r.code]));

describe('encoding', () => {
  it('reads UTF-8 without and with a BOM (the BOM is not part of the first header)', () => {
    const plain = parse('name,email\nZoë,zoe@example.org\n');
    const bom = parse(`${BOM}name,email\nZoë,zoe@example.org\n`);
    expect(plain.encoding).toBe('utf-8');
    expect(bom.encoding).toBe('utf-8-bom');
    expect(bom.columns).toEqual({ name: 'name', email: 'email' });
    expect(bom.rows).toEqual(plain.rows);
  });

  it('decodes UTF-16LE with a BOM (Excel "Unicode Text": tab-delimited, CRLF)', () => {
    const parsed = parse(fixture('excel-unicode-text.csv'));
    expect(parsed).toMatchObject({ encoding: 'utf-16le', delimiter: 'tab', rowsTotal: 4, rejected: [] });
    expect(parsed.columns).toEqual({
      name: 'Full Name',
      email: 'E-mail',
      'talk.title': 'Talk Title',
      affiliation: 'affiliation',
    });
    expect(parsed.rows.map((row) => [row.line, row.fields.name])).toEqual([
      [2, 'محمد بن عبد الله'],
      [3, 'דוד לוי'],
      [4, '欧阳静怡'],
      [5, 'Nguyễn Thị Minh Khai'],
    ]);
    expect(parsed.rows[0]!.fields.affiliation).toBe('جامعة الملك سعود');
    // A cell with a line break (quoted, over lines 5-6) becomes one line.
    expect(parsed.rows[3]!.fields['talk.title']).toBe('Xây dựng hệ thống phân tán với Rust');
  });

  it('decodes UTF-16BE with a BOM', () => {
    const le = Buffer.from('name;talk\nΕλένη Παπαδοπούλου;Τυπικές μέθοδοι\n', 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
    const parsed = parse(new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), be])));
    expect(parsed.encoding).toBe('utf-16be');
    expect(parsed.rows[0]!.fields).toEqual({ name: 'Ελένη Παπαδοπούλου', 'talk.title': 'Τυπικές μέθοδοι' });
  });

  it('rejects Windows-1252 bytes (Excel "CSV (Comma delimited)") with the line and what to do', () => {
    const error = expectRejected(
      fixture('excel-windows-1252.csv'),
      'NOT_UTF8',
      /^The file is not UTF-8 \(looks like Windows-1252\): byte 0xEB on line 2 /,
    );
    expect(error.message).toContain('Save it as "CSV UTF-8"');
    expect(error.details).toMatchObject({ guess: 'Windows-1252', line: 2 });
  });

  it('guesses a double-byte code page for GBK text, and names UTF-16 without a BOM and UTF-32', () => {
    const gbk = Buffer.concat([
      Buffer.from('name\n'),
      Buffer.from([0xc5, 0xb7, 0xd1, 0xf4, 0xbe, 0xb2, 0xe2, 0xf9]),
      Buffer.from('\n'),
    ]);
    expectRejected(
      new Uint8Array(gbk),
      'NOT_UTF8',
      /looks like a double-byte code page such as Shift_JIS, GBK or Big5/,
    );
    expectRejected(
      new Uint8Array(Buffer.from('name,email\nAda,ada@example.org\n', 'utf16le')),
      'NOT_UTF8',
      /UTF-16 without a byte order mark/,
    );
    expectRejected(new Uint8Array([0xff, 0xfe, 0, 0, 0x6e, 0, 0, 0]), 'NOT_UTF8', /UTF-32/);
  });

  it('rejects invalid UTF-16 and invalid UTF-8 sequences (overlong, surrogates, truncated)', () => {
    expectRejected(new Uint8Array([0xff, 0xfe, 0x6e, 0x00, 0x00, 0xd8, 0x0a, 0x00]), 'NOT_UTF8', /not valid UTF-16LE/);
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xe2, 0x82],
    ]) {
      const bytes = Buffer.concat([Buffer.from('name\nAda'), Buffer.from(bad), Buffer.from('\n')]);
      expectRejected(new Uint8Array(bytes), 'NOT_UTF8', /on line 2 is not valid UTF-8/);
    }
  });

  it('decodeCsvBytes is what the CLI reads CSV with', () => {
    expect(decodeCsvBytes(utf8(`${BOM}a;b`))).toEqual({ text: 'a;b', encoding: 'utf-8-bom' });
  });
});

describe('delimiter and lines', () => {
  it.each([
    ['name,email,talk\nAda,ada@example.org,"Engines; and more"\n', 'comma'],
    ['name;email;talk\nAda;ada@example.org;"Engines, and more"\n', 'semicolon'],
    ['name\temail\ttalk\nAda\tada@example.org\tEngines, and more; too\n', 'tab'],
  ])('detects the delimiter of %j', (csv, name) => {
    const parsed = parse(csv);
    expect(parsed.delimiter).toBe(name);
    expect(parsed.rows[0]!.fields).toEqual({
      name: 'Ada',
      email: 'ada@example.org',
      'talk.title': expect.stringMatching(/^Engines/),
    });
  });

  it('detectDelimiter ignores delimiters in quotes and handles CR-only files', () => {
    expect(detectDelimiter('"a,b,c";name;email\r1;2;3')).toBe(';');
    expect(detectDelimiter('name\rAda,Lovelace,x')).toBe(',');
  });

  it('gives each row the physical line it starts on: CRLF, quoted multi-line cells (CRLF and LF inside), blank lines', () => {
    const csv = [
      '\r\n', // line 1: blank before the header
      'name,talk title,bio\r\n', // 2
      'Ada,"Notes on the\r\nAnalytical Engine",x\r\n', // 3-4 (CRLF inside quotes: csv-parse counts it twice)
      '\r\n', // 5
      '   \r\n', // 6: white space only
      'Grace,"A\nB\nC","multi\r\nline\r\nbio"\r\n', // 7-11
      ',no name,\r\n', // 12: rejected
      'Linus,Kernels,y', // 13, no final line break
    ].join('');
    const parsed = parse(csv);
    expect(parsed.rows.map((row) => [row.fields.name, row.line])).toEqual([
      ['Ada', 3],
      ['Grace', 7],
      ['Linus', 13],
    ]);
    expect(rejectedLines(parsed)).toEqual({ 12: 'MISSING_NAME' });
    expect(parsed.rows[0]!.fields['talk.title']).toBe('Notes on the Analytical Engine');
    expect(parsed.rows[1]!.fields.bio).toBe('multi line bio');
  });

  it('ends a record at every spelling of a line break, mixed in one file (CRLF, LF, lone CR)', () => {
    // csv-parse took the first line ending for the whole file: "Ada Bob Cy" on line 2.
    const parsed = parse('name\r\nAda\nBob\rCy\n');
    expect(parsed.rows.map((row) => [row.fields.name, row.line])).toEqual([
      ['Ada', 2],
      ['Bob', 3],
      ['Cy', 4],
    ]);
    expect(parse('name\rAda\r\nBob\nCy').rows.map((row) => [row.fields.name, row.line])).toEqual([
      ['Ada', 2],
      ['Bob', 3],
      ['Cy', 4],
    ]);
  });

  it('keeps every kind of line break inside quotes, and counts lines right after them and after blank lines of any kind', () => {
    const csv = [
      'name,talk\n', // 1
      'Ada,"one\r\ntwo\nthree\rfour"\r', // 2-5
      '\r\n', // 6: blank
      '\r', // 7: blank
      'Bob,x\r\n', // 8
      ',no name\n', // 9
      'Cy,"a\rb"', // 10-11
    ].join('');
    const parsed = parse(csv);
    expect(parsed.rows.map((row) => [row.fields.name, row.line, row.fields['talk.title']])).toEqual([
      ['Ada', 2, 'one two three four'],
      ['Bob', 8, 'x'],
      ['Cy', 10, 'a b'],
    ]);
    expect(rejectedLines(parsed)).toEqual({ 9: 'MISSING_NAME' });
    expect(readCsvRecords(csv).records.map((r) => [r.line, r.endLine])).toEqual([
      [1, 1],
      [2, 5],
      [8, 8],
      [9, 9],
      [10, 11],
    ]);
    expect(readCsvRecords(csv).records[1]!.cells[1]).toBe('one\r\ntwo\nthree\rfour');
  });

  it('readCsvRecords reports start and end lines', () => {
    const { records } = readCsvRecords('a,b\r\n1,"x\r\ny\r\nz"\r\n2,w\r\n');
    expect(records.map((r) => [r.line, r.endLine])).toEqual([
      [1, 1],
      [2, 4],
      [5, 5],
    ]);
  });

  it('keeps a quote inside an unquoted value, and rejects a file whose quotes break its structure with the line', () => {
    expect(parse('name,talk\nO"Brien,27" screens\n').rows[0]!.fields).toEqual({
      name: 'O"Brien',
      'talk.title': '27" screens',
    });
    expectRejected(
      'name,talk\r\nAda,x\r\n"Bob" Jr,y\r\n',
      'MALFORMED_CSV',
      /^The row starting on line 3 cannot be read: text follows the closing quote/,
    );
    const error = expectRejected(
      'name,talk\nAda,"x\ny"\n\nBob,"never closed\n',
      'MALFORMED_CSV',
      /line 5 .*never closed/,
    );
    expect(error.details).toMatchObject({ line: 5, encoding: 'utf-8', delimiter: 'comma' });
  });
});

describe('header', () => {
  it.each([
    ['name', 'name'],
    ['Full Name', 'name'],
    ['FULL_NAME', 'name'],
    ['e-mail', 'email'],
    ['E-Mail', 'email'],
    ['Email Address', 'email'],
    ['talk', 'talk.title'],
    ['Talk Title', 'talk.title'],
    ['title', 'talk.title'],
    ['talk_title', 'talk.title'],
    ['talk.title', 'talk.title'],
    ['id', 'id'],
    ['Speaker ID', 'id'],
    ['speakerId', 'id'],
  ])('%j is an alias of %s', (header, field) => {
    const other = field === 'name' ? 'email' : 'name';
    const parsed = parse(`${header},${other}\nx-1,Ada\n`);
    expect(parsed.columns[field]).toBe(header);
  });

  it('keeps other simple columns as string fields and lists the ignored ones', () => {
    const parsed = parse(
      'name,affiliation,Country_2,talk.track,Job title,,certificate,event\nAda,Analytical Society,UK,Main,Countess,zz,x,y\n',
    );
    expect(parsed.columns).toEqual({ name: 'name', affiliation: 'affiliation', Country_2: 'Country_2' });
    expect(parsed.rows[0]!.fields).toEqual({ name: 'Ada', affiliation: 'Analytical Society', Country_2: 'UK' });
    expect(parsed.ignoredColumns.map((c) => [c.column, c.header, c.reason.split(' ')[0]])).toEqual([
      [4, 'talk.track', 'not'],
      [5, 'Job title', 'not'],
      [6, '', 'no'],
      [7, 'certificate', 'reserved'],
      [8, 'event', 'reserved'],
    ]);
  });

  it('ignores names of Object.prototype members (never an alias, never a field)', () => {
    const parsed = parse('constructor,toString,name,hasOwnProperty,valueOf\na,b,Ada,c,d\n');
    expect(parsed.rows[0]!.fields).toEqual({ name: 'Ada' });
    expect(parsed.ignoredColumns.map((c) => [c.header, c.reason])).toEqual(
      ['constructor', 'toString', 'hasOwnProperty', 'valueOf'].map((header) => [header, 'a JavaScript built-in name']),
    );
  });

  it('rejects a header without a name column, naming what it found', () => {
    const error = expectRejected(
      'id,mail,talk\n1,a@example.org,x\n',
      'MISSING_NAME_COLUMN',
      /no name column .*"id", "mail", "talk"/,
    );
    expect(error.details).toMatchObject({ headers: ['id', 'mail', 'talk'], delimiter: 'comma' });
    // The classic cause: a title row above the header.
    expectRejected('Speakers 2026\nname,email\nAda,ada@example.org\n', 'MISSING_NAME_COLUMN');
  });

  it('rejects two columns for the same field, and too many columns', () => {
    expectRejected('name,Full Name\nAda,Ada L\n', 'DUPLICATE_COLUMN', /"name" and "Full Name"/);
    expectRejected('name,title,talk\nAda,a,b\n', 'DUPLICATE_COLUMN');
    expectRejected('name,Affiliation,affiliation\nAda,a,b\n', 'DUPLICATE_COLUMN');
    const header = ['name', ...Array.from({ length: 50 }, (_, i) => `c${i}`)].join(',');
    expectRejected(`${header}\nAda\n`, 'TOO_MANY_COLUMNS', /51 columns; at most 50/);
  });
});

describe('rows', () => {
  const long = (n: number, ch = 'a') => ch.repeat(n);

  it('rejects each bad row with its line, field, code and reason; the good rows go on', () => {
    const lines = [
      'id,name,email,talk title,affiliation', // 1
      'ok-1,Ada Lovelace,ada@example.org,Notes,Analytical Society', // 2
      'ok-2,Grace,grace@example.org,,,', // 3: an empty extra cell is fine
      'x,Too,many@example.org,cells,a,b', // 4
      ',Bell\u0007,,,', // 5
      ',Mojibake \uFFFD,,,', // 6
      'a/b,Slash,,,', // 7
      ',,orphan@example.org,,', // 8
      `,${long(301)},,,`, // 9
      ',Bad Email,not-an-email,,', // 10
      `,Long Email,${long(250)}@example.org,,`, // 11
      `,Long Title,,${long(501)},`, // 12
      `,Long Field,,,${long(1001)}`, // 13
      'ok-1,Ada Again,,,', // 14
      `,${long(300, '字')},,,`, // 15: 300 characters is fine, whatever the bytes
    ];
    const parsed = parse(`${lines.join('\n')}\n`);
    expect(parsed.rowsTotal).toBe(14);
    expect(parsed.rows.map((row) => row.line)).toEqual([2, 3, 15]);
    expect(parsed.rejected).toEqual([
      { line: 4, field: null, code: 'TOO_MANY_CELLS', reason: expect.stringMatching(/6 cells but the header 5/) },
      {
        line: 5,
        field: 'name',
        code: 'CONTROL_CHARACTER',
        reason: 'name contains the control character U+0007 at position 5',
      },
      {
        line: 6,
        field: 'name',
        code: 'REPLACEMENT_CHARACTER',
        reason: expect.stringMatching(/U\+FFFD .* at position 10/),
      },
      { line: 7, field: 'id', code: 'INVALID_ID', reason: expect.stringMatching(/^"a\/b" is not a usable id/) },
      { line: 8, field: 'name', code: 'MISSING_NAME', reason: 'the name is empty' },
      { line: 9, field: 'name', code: 'NAME_TOO_LONG', reason: 'the name has 301 characters; at most 300 are allowed' },
      { line: 10, field: 'email', code: 'INVALID_EMAIL', reason: '"not-an-email" is not an email address' },
      {
        line: 11,
        field: 'email',
        code: 'EMAIL_TOO_LONG',
        reason: 'the email has 262 characters; at most 254 are allowed',
      },
      {
        line: 12,
        field: 'talk.title',
        code: 'TALK_TITLE_TOO_LONG',
        reason: 'the talk title has 501 characters; at most 500 are allowed',
      },
      {
        line: 13,
        field: 'affiliation',
        code: 'FIELD_TOO_LONG',
        reason: 'affiliation has 1001 characters; at most 1000 are allowed',
      },
      { line: 14, field: 'id', code: 'DUPLICATE_SPEAKER', reason: 'same speaker as line 2 (id "ok-1")' },
    ]);
    // Every row code but WRITE_FAILED (a Firestore outcome) is produced by the parser.
    expect(new Set(parsed.rejected.map((r) => r.code))).toEqual(
      new Set(ROW_ERROR_CODES.filter((code) => code !== 'WRITE_FAILED')),
    );
  });

  it('trims, NFC-normalizes, drops empty cells, and skips blank rows', () => {
    const parsed = parse('name;email;talk;affiliation\n  Nguye\u0302\u0303n  ; Ada@Example.org ;;\n;;;\n');
    expect(parsed.rows).toEqual([
      {
        id: expect.stringMatching(HASH_ID),
        idSource: 'email',
        line: 2,
        fields: { name: 'Nguyễn', email: 'Ada@Example.org' },
      },
    ]);
    expect(parsed.blankRows).toBe(1);
    expect(parsed.rowsTotal).toBe(1);
  });

  it('accepts a row with fewer cells than the header (the missing ones are empty)', () => {
    expect(parse('name,email,talk\nAda\n').rows[0]!.fields).toEqual({ name: 'Ada' });
  });

  it('reads examples/speakers.csv: 24 speakers from 15 scripts, ids from the id column', () => {
    const parsed = parse(new Uint8Array(readFileSync(rootPath('examples/speakers.csv'))));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.rows.map((row) => row.id)).toEqual(SPEAKERS.map((s) => s.id));
    expect(parsed.rows.map((row) => row.fields.name)).toEqual(SPEAKERS.map((s) => s.name));
    expect(parsed.rows.map((row) => row.fields['talk.title'])).toEqual(SPEAKERS.map((s) => s.talk?.title));
  });
});

describe('other formats and languages (the one reader of people)', () => {
  const exportsFixture = (name: string) => new Uint8Array(readFileSync(rootPath(`test/fixtures/exports/${name}`)));

  it('reads a Spanish Excel CSV: the name joined from Nombre + Apellidos, the role kept as written', () => {
    const parsed = parse(exportsFixture('ponentes-excel-es.csv'));
    expect(parsed).toMatchObject({ format: 'csv', encoding: 'utf-8-bom', delimiter: 'semicolon', rejected: [] });
    expect(parsed.columns).toEqual({
      name: 'Nombre + Apellidos',
      email: 'Correo electrónico',
      'talk.title': 'Título de la charla',
      role: 'Rol',
    });
    expect(parsed.rows.map((row) => [row.line, row.fields])).toEqual([
      [
        2,
        {
          name: 'José Núñez García',
          email: 'jose@example.es',
          'talk.title': 'Año nuevo, código nuevo',
          role: 'Ponente',
        },
      ],
      [3, { name: 'María', email: 'maria@example.es', 'talk.title': 'Datos; y más', role: 'Voluntaria' }],
      [4, { name: 'Álvaro de la Peña', email: 'ALVARO@example.es', role: 'Asistente' }],
    ]);
    // The same speaker gets the same id whatever the language of the header.
    expect(parsed.rows[0]!.id).toBe(parse('email,name\njose@example.es,x\n').rows[0]!.id);
  });

  it('reads a Realtime Database export: the record key is the speaker id; a bad record is rejected with its key', () => {
    const json = {
      speakers: { 'spk-1': { name: 'Ada', email: 'ada@example.org' }, 'spk-2': { email: 'x@example.org' } },
    };
    const parsed = parse(JSON.stringify(json));
    expect(parsed.format).toBe('rtdb');
    expect(parsed.rows.map((row) => [row.id, row.idSource, row.line, row.fields])).toEqual([
      ['spk-1', 'id', 1, { name: 'Ada', email: 'ada@example.org' }],
    ]);
    expect(parsed.rejected).toEqual([
      { line: 2, key: 'spk-2', field: 'name', code: 'MISSING_NAME', reason: 'the name is empty' },
    ]);
  });

  it('rejects broken JSON and formats it does not read, with their codes', () => {
    expectRejected('[{"name": "Ada"},]', 'MALFORMED_FILE', /line 1, column 18/);
    expectRejected(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), 'UNSUPPORTED_FORMAT', /\.xls/);
  });
});

describe('file limits', () => {
  const small = { ...IMPORT_LIMITS, maxRows: 3, maxBytes: 100 };

  it('rejects empty files, a header without data, too many rows and too many bytes', () => {
    expectRejected(new Uint8Array(0), 'EMPTY_FILE');
    expectRejected(utf8(BOM), 'EMPTY_FILE');
    expectRejected(' \r\n\r\n', 'EMPTY_FILE');
    expectRejected('name,email\r\n', 'NO_DATA_ROWS');
    expectRejected('name,email\r\n,\r\n , \r\n', 'NO_DATA_ROWS');
    expect(parse('name\na\nb\nc\n', small).rowsTotal).toBe(3);
    expectRejected('name\na\nb\nc\nd\n', 'TOO_MANY_ROWS', /more than 3 rows/, small);
    expectRejected(`name\n${'a'.repeat(100)}\n`, 'FILE_TOO_LARGE', /at most 100/, small);
  });
});

describe('speaker ids', () => {
  const ids = (csv: string) => parse(csv).rows.map((row) => [row.id, row.idSource]);

  it('uses the id column when given; else the normalized email; else name + talk title', () => {
    const [[byId], [byEmail], [byName]] = ids(
      'id,name,email,talk\nspk-7,Ada,ada@example.org,Engines\n,Ada,ada@example.org,Engines\n,Ada,,Engines\n',
    );
    expect(byId).toBe('spk-7');
    expect(byEmail).toMatch(HASH_ID);
    expect(byName).toMatch(HASH_ID);
    expect(byEmail).not.toBe(byName);
  });

  it('is deterministic: the same speaker gets the same id in any file, whatever the case and spacing', () => {
    const a = ids('name,email\nAda,ada@example.org\n');
    const b = ids('e-mail;Full Name;affiliation\n  ADA@Example.ORG ;Ada Lovelace;x\n');
    expect(b).toEqual(a);
    expect(speakerIdFor({ name: 'Ada  Lovelace', talkTitle: 'Notes' })).toEqual(
      speakerIdFor({ name: 'ada lovelace', talkTitle: ' NOTES ' }),
    );
    expect(speakerIdFor({ name: 'Ada Lovelace', talkTitle: 'Notes' }).id).not.toBe(
      speakerIdFor({ name: 'Ada Lovelace', talkTitle: 'Notes II' }).id,
    );
    expect(speakerIdFor({ name: 'Ada Lovelace' })).toEqual(speakerIdFor({ name: 'Ada Lovelace', talkTitle: '' }));
    // Pinned: ids must never change between versions, or a re-import would duplicate speakers.
    // base64url(sha256("certforge-speaker\0email\0ada@example.org"))[0:20]
    expect(a[0]![0]).toBe('oXkhrdkFB0OqshcTXHFS');
    expect(speakerIdFor({ name: 'x', email: 'ada@example.org' }).id).toBe('oXkhrdkFB0OqshcTXHFS');
  });

  it('rejects later rows with the same id, email or name + title as "same speaker as line N"', () => {
    const parsed = parse(
      'id,name,email,talk\n' +
        ',Ada,ada@example.org,One\n' + // 2
        ',Ada L.,ADA@example.org,Two\n' + // 3: same email
        ',Grace,,Compilers\n' + // 4
        ',grace,,compilers\n' + // 5: same name + title
        ',Grace,,COBOL\n' + // 6: another talk, another speaker
        'spk-1,Linus,,\n' + // 7
        'spk-1,Linus T.,,\n', // 8: same id
    );
    expect(parsed.rows.map((row) => row.line)).toEqual([2, 4, 6, 7]);
    expect(parsed.rejected.map((r) => [r.line, r.field, r.reason])).toEqual([
      [3, 'email', 'same speaker as line 2 (same email)'],
      [5, 'name', 'same speaker as line 4 (same name and talk title)'],
      [8, 'id', 'same speaker as line 7 (id "spk-1")'],
    ]);
  });

  it('a rejected row does not reserve its id', () => {
    const parsed = parse('id,name\nspk-1,\nspk-1,Ada\n');
    expect(parsed.rows.map((row) => [row.id, row.line])).toEqual([['spk-1', 3]]);
    expect(rejectedLines(parsed)).toEqual({ 2: 'MISSING_NAME' });
  });
});

describe('roleOfFolder', () => {
  it('reads a folder as a role the event knows, plural or not, without mangling configured ids', () => {
    const event = { roles: { press: {}, business: {} } };
    expect(roleOfFolder('attendees', event)).toBe('attendee');
    expect(roleOfFolder('speakers', event)).toBe('speaker');
    expect(roleOfFolder('volunteer', event)).toBe('volunteer');
    expect(roleOfFolder('press', event)).toBe('press');
    expect(roleOfFolder('business', event)).toBe('business');
    expect(roleOfFolder('jurors', event)).toBe('jurors');
  });
});

describe('importTarget', () => {
  it.each([
    ['imports/evt-1/speakers.csv', { eventId: 'evt-1', fileName: 'speakers.csv', role: 'speaker' }],
    ['imports/evt-1/Speakers 2026.CSV', { eventId: 'evt-1', fileName: 'Speakers 2026.CSV', role: 'speaker' }],
    ['imports/evt-1/people.xlsx', { eventId: 'evt-1', fileName: 'people.xlsx', role: 'speaker' }],
    ['imports/evt-1/attendees/zoom.csv', { eventId: 'evt-1', fileName: 'zoom.csv', role: 'attendees' }],
    ['imports/evt-1/speakers/list.json', { eventId: 'evt-1', fileName: 'list.json', role: 'speakers' }],
    ['imports/evt-1/Volunteers/desk.tsv', { eventId: 'evt-1', fileName: 'desk.tsv', role: 'volunteers' }],
    ['imports/evt-1/program-committee/pc.csv', { eventId: 'evt-1', fileName: 'pc.csv', role: 'program-committee' }],
    ['imports/evt-1/Bad Folder/pc.csv', null],
    ['imports/evt-1/a/b/pc.csv', null],
    ['imports/evt-1/notes.pdf', null],
    ['imports/evt-1/.csv', null],
    ['imports/evt-1/sub/speakers.csv', { eventId: 'evt-1', fileName: 'speakers.csv', role: 'sub' }],
    ['imports/speakers.csv', null],
    ['other/evt-1/speakers.csv', null],
    ['certificates/evt-1/spk/abc.pdf', null],
    ['imports/__x__/speakers.csv', null],
    [undefined, null],
  ])('%j → %j', (path, expected) => {
    expect(importTarget(path)).toEqual(expected);
  });
});

describe('write plan', () => {
  const row: SpeakerRow = {
    id: 'spk-1',
    idSource: 'id',
    line: 2,
    fields: { name: 'Ada', 'talk.title': 'Notes', affiliation: 'AS' },
  };
  const snapshot = (data: Record<string, unknown> | undefined) => ({
    exists: data !== undefined,
    get: (path: string) =>
      path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], data),
  });

  it('creates a missing document with nested fields', () => {
    expect(planRow(row, snapshot(undefined))).toEqual({
      kind: 'create',
      data: { name: 'Ada', talk: { title: 'Notes' }, affiliation: 'AS' },
    });
    expect(nestFields({ 'talk.title': 'T', 'talk.track': 'M' })).toEqual({ talk: { title: 'T', track: 'M' } });
  });

  it('updates only the imported fields that differ, and nothing when they are equal', () => {
    const existing = {
      name: 'Ada',
      talk: { title: 'Old', track: 'Main' },
      affiliation: 'AS',
      certificate: { status: 'ready' },
    };
    expect(planRow(row, snapshot(existing))).toEqual({ kind: 'update', changes: { 'talk.title': 'Notes' } });
    expect(planRow(row, snapshot({ ...existing, talk: { title: 'Notes' } }))).toEqual({ kind: 'unchanged' });
  });
});

describe('importBucket (the bucket onImportUploaded watches)', () => {
  const saved = process.env.CERTFORGE_IMPORT_BUCKET;
  afterEach(() => {
    if (saved === undefined) delete process.env.CERTFORGE_IMPORT_BUCKET;
    else process.env.CERTFORGE_IMPORT_BUCKET = saved;
  });

  it('is CERTFORGE_IMPORT_BUCKET when set, else the default bucket of FIREBASE_CONFIG', () => {
    const bucket = importBucket(JSON.stringify({ projectId: 'p', storageBucket: 'p.appspot.com' }));
    expect(typeof bucket).not.toBe('string');
    const expression = bucket as Exclude<typeof bucket, string>;
    // What the CLI and the emulator resolve at deploy / start.
    expect(expression.toCEL()).toBe(
      '{{ params.CERTFORGE_IMPORT_BUCKET == "" ? "p.appspot.com" : params.CERTFORGE_IMPORT_BUCKET }}',
    );
    process.env.CERTFORGE_IMPORT_BUCKET = '';
    expect(expression.value()).toBe('p.appspot.com');
    process.env.CERTFORGE_IMPORT_BUCKET = 'p-imports';
    expect(expression.value()).toBe('p-imports');
  });

  it('is the param alone when the default bucket is unknown (the param must then be set)', () => {
    for (const config of [undefined, '{}', 'not json', JSON.stringify({ storageBucket: '' })]) {
      const bucket = importBucket(config);
      expect(typeof bucket === 'string' ? bucket : bucket.toCEL(), String(config)).toBe(
        '{{ params.CERTFORGE_IMPORT_BUCKET }}',
      );
    }
  });
});

/**
 * A Firestore of one process, enough for runImport: documents by path, transactions (applied
 * at commit), getAll and a BulkWriter. Like Firestore it refuses a document over 1 MiB
 * (INVALID_ARGUMENT); `refuse` makes it refuse the next writes to paths that match.
 */
interface FakeRef {
  path: string;
  id: string;
  collection(name: string): FakeCollection;
  get(): Promise<unknown>;
  withConverter(): FakeRef;
}

interface FakeCollection {
  path: string;
  doc(id: string): FakeRef;
  withConverter(): FakeCollection;
}

class FakeFirestore {
  readonly docs = new Map<string, Record<string, unknown>>();
  refuse: { path: RegExp; times: number; error: Error & { code?: number } } | undefined;

  collection(name: string) {
    return this.collectionAt(name);
  }

  private collectionAt(path: string): FakeCollection {
    const collection: FakeCollection = {
      path,
      doc: (id: string) => this.ref(`${path}/${id}`),
      withConverter: () => collection,
    };
    return collection;
  }

  // withConverter: certforge's converters only type what they read (shared/paths.ts), so the
  // same reference serves.
  private ref(path: string): FakeRef {
    const ref: FakeRef = {
      path,
      id: path.split('/').pop()!,
      collection: (name: string) => this.collectionAt(`${path}/${name}`),
      get: async () => this.snapshot(path),
      withConverter: () => ref,
    };
    return ref;
  }

  private snapshot(path: string) {
    const data = this.docs.get(path);
    return {
      exists: data !== undefined,
      data: () => (data === undefined ? undefined : structuredClone(data)),
      get: (field: string) =>
        field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data),
    };
  }

  /** The document size as Firestore counts it, roughly: its JSON. */
  static size(data: Record<string, unknown>): number {
    return Buffer.byteLength(JSON.stringify(data), 'utf8');
  }

  private write(path: string, data: Record<string, unknown>): void {
    if (this.refuse && this.refuse.times > 0 && this.refuse.path.test(path)) {
      this.refuse.times--;
      throw this.refuse.error;
    }
    const size = FakeFirestore.size(data);
    if (size > 1024 * 1024) {
      throw Object.assign(
        new Error(
          `3 INVALID_ARGUMENT: Document "${path}" cannot be written because its size (${size} bytes) exceeds the maximum allowed size of 1,048,576 bytes.`,
        ),
        { code: 3 },
      );
    }
    this.docs.set(path, structuredClone(data));
  }

  private merge(path: string, changes: Record<string, unknown>): Record<string, unknown> {
    const data = structuredClone(this.docs.get(path) ?? {});
    for (const [field, value] of Object.entries(changes)) {
      const parts = field.split('.');
      let target = data;
      for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
      target[parts[parts.length - 1]!] = value;
    }
    return data;
  }

  async runTransaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T> {
    const writes: Array<() => void> = [];
    const tx = {
      get: async (ref: { path: string }) => this.snapshot(ref.path),
      set: (ref: { path: string }, data: Record<string, unknown>) => writes.push(() => this.write(ref.path, data)),
      update: (ref: { path: string }, changes: Record<string, unknown>) =>
        writes.push(() => this.write(ref.path, this.merge(ref.path, changes))),
    };
    const result = await fn(tx);
    for (const write of writes) write();
    return result;
  }

  async getAll(...refs: Array<{ path: string }>) {
    return refs.map((ref) => this.snapshot(ref.path));
  }

  bulkWriter() {
    return {
      create: async (ref: { path: string }, data: Record<string, unknown>) => this.write(ref.path, data),
      update: async (ref: { path: string }, changes: Record<string, unknown>) =>
        this.write(ref.path, this.merge(ref.path, changes)),
      close: async () => undefined,
    };
  }
}

describe('the import report (runImport on an in-memory Firestore that refuses documents over 1 MiB)', () => {
  const eventId = 'evt-1';

  async function importFile(bytes: Uint8Array, db = new FakeFirestore()) {
    db.docs.set(`events/${eventId}`, { name: 'Summit' });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const deps = {
      db: db as unknown as ImportDeps['db'],
      source: {
        read: async () => ({ bytes: Buffer.from(bytes), size: bytes.length, sha256 }),
        mark: async () => undefined,
      },
      leaseMs: 60_000,
      maxRetryAgeMs: 60_000,
    } satisfies ImportDeps;
    const object = { bucket: 'b', path: `imports/${eventId}/f.csv`, fileName: 'f.csv', eventId, generation: '1' };
    const result = await runImport(deps, { object, deliveryId: 'd-1', time: new Date().toISOString() });
    const report = db.docs.get(`events/${eventId}/imports/${sha256}`) as unknown as ImportReport;
    return { result, report, bytes: FakeFirestore.size(report as unknown as Record<string, unknown>), db };
  }

  // 40 header cells of 200,000 characters: an 8 MB file, under the 10 MiB upload limit.
  const huge = (i: number) => `${'Q'.repeat(200_000)}${i}`;
  const hugeHeaders = Array.from({ length: 40 }, (_, i) => huge(i));

  it('a file with huge header cells gets a finished report well under 1 MiB, the header cells cut', async () => {
    const { result, report, bytes } = await importFile(utf8(`name,${hugeHeaders.join(',')}\nAda,x\n`));
    expect(result.kind).toBe('done');
    expect(report.status).toBe('done');
    expect(report.created).toBe(1);
    expect(bytes).toBeLessThan(64 * 1024);
    expect(report.ignoredColumns).toHaveLength(40);
    for (const column of report.ignoredColumns) {
      expect([...column.header].length).toBeLessThanOrEqual(200);
      expect(column.header.endsWith('…')).toBe(true);
    }
  });

  it('a huge header without a name column is rejected with a small report (the cells it quotes are cut)', async () => {
    const { report, bytes } = await importFile(utf8(`${hugeHeaders.join(',')}\nAda\n`));
    expect(report).toMatchObject({ status: 'rejected', error: { code: 'MISSING_NAME_COLUMN' } });
    expect(bytes).toBeLessThan(64 * 1024);
  });

  it('a name column found through a huge alias ("full … name") is stored cut', async () => {
    const { report, bytes } = await importFile(utf8(`full${' '.repeat(2_000_000)}name,email\nAda,ada@example.org\n`));
    expect(report).toMatchObject({ status: 'done', created: 1 });
    expect([...report.columns.name!].length).toBeLessThanOrEqual(200);
    expect(bytes).toBeLessThan(64 * 1024);
  });

  it('lists as many rejected rows as fit in 256 KiB and counts the others', async () => {
    // 1,000 rows whose reasons quote 60 four-byte characters.
    const bad = `${'😀'.repeat(80)}`;
    const lines = ['name,email', ...Array.from({ length: 1000 }, (_, i) => `P${i},${bad}`)];
    const { report, bytes } = await importFile(utf8(`${lines.join('\n')}\n`));
    expect(report).toMatchObject({ status: 'done', rejected: 1000 });
    expect(report.rejectedRows.length).toBeGreaterThan(500);
    expect(report.rejectedRows.length + report.rejectedRowsOmitted).toBe(1000);
    expect(bytes).toBeLessThanOrEqual(256 * 1024 + 4096);
  });

  it('when Firestore refuses the report anyway, a small failed report with REPORT_WRITE_FAILED takes its place', async () => {
    const db = new FakeFirestore();
    const refused = Object.assign(new Error('3 INVALID_ARGUMENT: a value Firestore does not take'), { code: 3 });
    const bytes = utf8('name,email\nAda,ada@example.org\nGrace,grace@example.org\n,x\n');
    // The claim (set) goes through; the first finishing write is refused.
    db.refuse = { path: /\/imports\//, times: 0, error: refused };
    const claimThenRefuse = db.runTransaction.bind(db);
    let transactions = 0;
    db.runTransaction = async (fn) => {
      if (++transactions === 2) db.refuse!.times = 1;
      return claimThenRefuse(fn);
    };
    const { result, report } = await importFile(bytes, db);
    expect(result.kind).toBe('failed');
    expect(report).toMatchObject({
      status: 'failed',
      rowsTotal: 3,
      created: 2,
      rejected: 1,
      rejectedRows: [],
      rejectedRowsOmitted: 1,
      error: { code: 'REPORT_WRITE_FAILED', details: { outcome: 'done' } },
    });
    expect(report.error!.message).toContain('a value Firestore does not take');
    expect(report.leaseUntil).toBe(0);
  });
});
