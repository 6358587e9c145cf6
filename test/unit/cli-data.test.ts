/** The data handling of the CLI (functions/src/cli/render.ts): CSV, dotted keys, ids, slugs. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildRowData,
  certificateId,
  DEFAULT_EVENT,
  detectDelimiter,
  nestDottedKeys,
  parseCsvSpeakers,
  slugify,
  type EventInfo,
} from '../../functions/src/cli/render.js';
import { templateData } from '../../functions/src/shared/template-data.js';
import { EVENT, rootPath, SPEAKERS } from '../helpers/fixtures.js';

const CROCKFORD_ID = /^[0-9A-HJKMNP-TV-Z]{10}$/;

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

describe('nestDottedKeys', () => {
  it('nests dotted headers (parts trimmed), turns numbered levels into arrays, drops empty cells', () => {
    expect(
      nestDottedKeys({
        name: 'Ada',
        'talk.title': 'Engines',
        'talk.track': '',
        'signatories.0.name': 'A',
        'signatories.0.role': 'Chair',
        'signatories.1.name': 'B',
        ' event . place ': 'London',
      }),
    ).toEqual({
      name: 'Ada',
      talk: { title: 'Engines' },
      signatories: [{ name: 'A', role: 'Chair' }, { name: 'B' }],
      event: { place: 'London' },
    });
  });

  it('fills holes in numbered lists with empty objects', () => {
    expect(nestDottedKeys({ 'signatories.1.name': 'B' })).toEqual({ signatories: [{}, { name: 'B' }] });
  });

  it('cannot pollute prototypes', () => {
    const result = nestDottedKeys({
      '__proto__.polluted': 'yes',
      'constructor.prototype.polluted': 'yes',
      'a.__proto__.x': '1',
      ok: '1',
    });
    expect(result).toEqual({ ok: '1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });
});

describe('parseCsvSpeakers', () => {
  it('reads examples/speakers.csv like examples/speakers.json', () => {
    const rows = parseCsvSpeakers(readFileSync(rootPath('examples/speakers.csv'), 'utf8'));
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
    expect(parseCsvSpeakers(csv)).toEqual([
      { id: '1', name: 'Dvořák; Antonín', talk: { title: 'Line one\nline two' } },
      { id: '2', name: 'Say "hi"', talk: { track: 'Main' } },
    ]);
  });

  it('rejects rows with the wrong number of cells', () => {
    expect(() => parseCsvSpeakers('id,name\n1,a,extra\n')).toThrow();
  });
});

describe('certificateId', () => {
  it('is 10 Crockford base32 characters, deterministic, and depends on event and speaker', () => {
    const id = certificateId('Summit 2026', 'spk-001');
    expect(id).toMatch(CROCKFORD_ID);
    expect(certificateId('Summit 2026', 'spk-001')).toBe(id);
    expect(certificateId('Summit 2027', 'spk-001')).not.toBe(id);
    expect(certificateId('Summit 2026', 'spk-002')).not.toBe(id);
    // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(certificateId('ab', 'c')).not.toBe(certificateId('a', 'bc'));
  });

  it('gives every example speaker a distinct id', () => {
    const ids = SPEAKERS.map((s) => certificateId(EVENT.event.name, s.id));
    for (const id of ids) expect(id).toMatch(CROCKFORD_ID);
    expect(new Set(ids).size).toBe(ids.length);
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

  it('merges the event and signatories and fills the certificate id and url', () => {
    const data = buildRowData({ id: 'spk-001', name: 'Ada', talk: { title: 'T' } }, info);
    expect(data.event).toEqual(EVENT.event);
    expect(data.signatories).toEqual(EVENT.signatories);
    expect(data.certificate?.id).toBe(certificateId(EVENT.event.name, 'spk-001'));
    expect(data.certificate?.url).toBe(`https://verify.certforge.dev/c/${data.certificate?.id}`);
    expect(data.name).toBe('Ada');
  });

  it("keeps the row's own event fields, signatories and certificate", () => {
    const data = buildRowData(
      {
        name: 'Ada',
        event: { place: 'Online' },
        signatories: [{ name: 'X', role: 'Y' }],
        certificate: { id: 'ABC', url: 'https://x/abc' },
      },
      info,
    );
    expect(data.event).toEqual({ ...EVENT.event, place: 'Online' });
    expect(data.signatories).toEqual([{ name: 'X', role: 'Y' }]);
    expect(data.certificate).toEqual({ id: 'ABC', url: 'https://x/abc' });
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
    const data = buildRowData(speaker, { event, signatories: [] });
    const id = certificateId('Summit', 's1');
    expect(data).toEqual(
      templateData({ ...event, signatories: [] }, speaker, { certificateId: id, verifyUrl: `https://verify.certforge.dev/c/${id}` }),
    );
    expect(data).not.toHaveProperty('email');
    expect(data.name).toBe('Ada');
    expect(data.event).toEqual({ name: 'Summit', date: '12 marca 2026', place: 'Kraków', isoDate: '2026-03-12' });
  });

  it('has a usable default event', () => {
    const data = buildRowData({ name: 'Ada' }, DEFAULT_EVENT);
    expect(data.event?.name).toBeTruthy();
    expect(data.event?.date).toBeTruthy();
    expect(data.certificate?.id).toMatch(CROCKFORD_ID);
  });
});
