/**
 * The pure-TypeScript parts of the pipeline: deterministic dates, the PDF document information
 * derived from the data, and the attachment records handed to the core, without the WASM core.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  FALLBACK_CREATION_DATE,
  PNG_WIDTH_MAX,
  PNG_WIDTH_MIN,
  DEFAULT_PNG_WIDTH,
  coreAttachment,
  dataAttachment,
  parseDeterministicDate,
  pdfMetaFor,
  type CertificateData,
  type PdfMeta,
} from '../../functions/src/render/index.js';

const ORIGINAL_TZ = process.env.TZ;
/** Node re-reads TZ when it is assigned, so each zone is tried in this process. */
const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];

function inZones<T>(zones: string[], fn: () => T): Map<string, T> {
  const out = new Map<string, T>();
  try {
    for (const zone of zones) {
      process.env.TZ = zone;
      out.set(zone, fn());
    }
  } finally {
    if (ORIGINAL_TZ === undefined) delete process.env.TZ;
    else process.env.TZ = ORIGINAL_TZ;
  }
  return out;
}

const iso = (value: string) => parseDeterministicDate(value)?.toISOString();

describe('parseDeterministicDate', () => {
  afterEach(() => {
    if (ORIGINAL_TZ === undefined) delete process.env.TZ;
    else process.env.TZ = ORIGINAL_TZ;
  });

  it('the time zone switch of these tests works', () => {
    const offsets = inZones(['UTC', 'Asia/Kolkata'], () => new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset());
    expect([...offsets.values()]).toEqual([0, -330]);
  });

  it.each([
    ['2026-03-12', '2026-03-12T00:00:00.000Z'],
    ['  2026-03-12\n', '2026-03-12T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['12 March 2026', '2026-03-12T00:00:00.000Z'],
    ['March 12, 2026', '2026-03-12T00:00:00.000Z'],
    ['2026-03-14T09:30:00', '2026-03-14T09:30:00.000Z'],
    ['2026-03-14T09:30:00Z', '2026-03-14T09:30:00.000Z'],
    ['2026-03-14T09:30:00+01:00', '2026-03-14T08:30:00.000Z'],
    ['2026-03-14T09:30:00-0500', '2026-03-14T14:30:00.000Z'],
    ['Sat, 14 Mar 2026 09:30:00 GMT', '2026-03-14T09:30:00.000Z'],
  ])('%j → %s in every time zone', (input, expected) => {
    const results = inZones(ZONES, () => iso(input));
    for (const [zone, result] of results) expect(result, `TZ=${zone}`).toBe(expected);
  });

  it.each(['', '   ', 'sometime in spring', '2025-02-30', '2026-13-01', '2026-00-10', 'TBA'])(
    '%j → undefined',
    (input) => {
      expect(parseDeterministicDate(input)).toBeUndefined();
    },
  );

  // A wall-clock time that does not exist in the machine's zone (a DST gap; in America/Santiago
  // the day DST starts has no 00:00) must not shift the PDF date, or the PDF bytes and sha256
  // would depend on the machine's time zone.
  it('a date whose midnight falls into a DST gap does not depend on the machine zone', () => {
    const results = inZones(['UTC', 'America/Santiago', 'Asia/Beirut', 'America/Havana', 'Europe/Berlin'], () => [
      iso('6 September 2026'), // America/Santiago: DST starts at 00:00
      iso('29 March 2026'), // Asia/Beirut: DST starts at 00:00
      iso('8 March 2026'), // America/Havana: DST starts at 00:00
      iso('2026-03-29T02:30:00'), // Europe/Berlin: 02:00-03:00 does not exist
    ]);
    for (const [zone, result] of results) {
      expect(result, `TZ=${zone}`).toEqual([
        '2026-09-06T00:00:00.000Z',
        '2026-03-29T00:00:00.000Z',
        '2026-03-08T00:00:00.000Z',
        '2026-03-29T02:30:00.000Z',
      ]);
    }
  });
});

describe('pdfMetaFor', () => {
  const data = {
    name: '  Ελένη Παπαδοπούλου ',
    talk: { title: 'Τυπικές μέθοδοι' },
    event: { name: 'Open Source Infrastructure Summit 2026', date: '12 March 2026', place: 'Kraków' },
  };

  it('derives title, author, subject, keywords, creator, producer, language and date from the data', () => {
    const meta = pdfMetaFor(data);
    expect(meta).toEqual({
      title: 'Certificate of Participation: Ελένη Παπαδοπούλου',
      author: 'Open Source Infrastructure Summit 2026',
      subject: 'Open Source Infrastructure Summit 2026, 12 March 2026',
      keywords: ['certificate', 'Open Source Infrastructure Summit 2026', 'Τυπικές μέθοδοι'],
      creator: 'certforge',
      producer: expect.stringMatching(/^certforge/),
      language: 'en',
      creationDate: new Date('2026-03-12T00:00:00Z'),
    } satisfies Record<keyof Omit<PdfMeta, 'attachment'>, unknown>);
  });

  it('prefers event.organizer as author, certificate.title as title', () => {
    const meta = pdfMetaFor({
      ...data,
      event: { ...data.event, organizer: 'OSIS e.V.' },
      certificate: { title: 'Custom title' },
    });
    expect(meta.author).toBe('OSIS e.V.');
    expect(meta.title).toBe('Custom title');
  });

  it('language: options.language, else data.locale, else en', () => {
    expect(pdfMetaFor({ ...data, locale: 'el' }).language).toBe('el');
    expect(pdfMetaFor({ ...data, locale: 'el' }, { language: 'el-GR' }).language).toBe('el-GR');
    expect(pdfMetaFor({ ...data, locale: '   ' }).language).toBe('en');
  });

  it('creation date: issuedAt, else event.date, else the fixed fallback (never the clock)', () => {
    expect(pdfMetaFor({ ...data, issuedAt: '2026-04-01' }).creationDate.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(pdfMetaFor({ ...data, issuedAt: 'not a date' }).creationDate.toISOString()).toBe('2026-03-12T00:00:00.000Z');
    expect(pdfMetaFor({ ...data, event: { date: 'TBA' } }).creationDate).toEqual(FALLBACK_CREATION_DATE);
    expect(pdfMetaFor({}).creationDate).toEqual(FALLBACK_CREATION_DATE);
    expect(FALLBACK_CREATION_DATE.toISOString()).toBe('2000-01-01T00:00:00.000Z');
  });

  it('works with almost no data', () => {
    const meta = pdfMetaFor({});
    expect(meta.title).toBe('Certificate of Participation');
    expect(meta.author).toBe('certforge');
    expect(meta.subject).toBe('');
    expect(meta.keywords).toEqual(['certificate']);
  });

  it('ignores values of the wrong type instead of printing [object Object]', () => {
    const meta = pdfMetaFor({ name: { first: 'A' }, event: 'x', talk: [] } as unknown as CertificateData);
    expect(meta.title).toBe('Certificate of Participation');
    expect(meta.keywords).toEqual(['certificate']);
  });
});

describe('PNG width limits', () => {
  it('are 100..6000 with a default of 1200', () => {
    expect([PNG_WIDTH_MIN, DEFAULT_PNG_WIDTH, PNG_WIDTH_MAX]).toEqual([100, 1200, 6000]);
  });
});

describe('attachments', () => {
  it('the data becomes certificate.json (application/json, AFRelationship data), pretty-printed', () => {
    const record = coreAttachment(dataAttachment({ name: '陳美玲' }));
    expect(record).toEqual({
      name: 'certificate.json',
      mimeType: 'application/json',
      description: 'Certificate data',
      relationship: 'data',
      content: '{\n  "name": "陳美玲"\n}',
    });
  });

  it('a value that cannot be serialized is INVALID_DATA naming the file', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const json of [undefined, cyclic, { big: 1n }]) {
      expect(() => coreAttachment({ name: 'credential.json', json, description: 'x' })).toThrow(
        expect.objectContaining({ code: 'INVALID_DATA', message: expect.stringContaining('credential.json') }),
      );
    }
  });
});
