/**
 * The finished PDF as a document: byte-for-byte determinism, document information and
 * language read back with pdf-lib, the optional JSON attachment (read with pdf-lib and with
 * qpdf), and structural validity (qpdf --check).
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  FALLBACK_CREATION_DATE,
  Renderer,
  initRenderer,
  type CertificateData,
  type Template,
} from '../../functions/src/render/index.js';
import { certificateData, EVENT, speaker, templateBytes } from '../helpers/fixtures.js';
import type * as PdfLib from '../../functions/node_modules/pdf-lib/cjs/index.js';
import { pdfLib, runTool, writeTempPdf } from '../helpers/pdf-tools.js';
import { embeddedFiles } from '../../functions/src/render/pdf-attachments.js';

const { PDFDict, PDFName, PDFArray, PDFString, PDFHexString } = pdfLib;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let renderer: Renderer;
let classic: Template;
const data = certificateData(speaker('spk-008'));

beforeAll(async () => {
  renderer = await initRenderer();
  classic = renderer.compileTemplate(templateBytes('classic'));
});

describe('determinism', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the same input twice gives identical PDF (and PNG) bytes and sha256', async () => {
    const a = await renderer.renderCertificate(classic, data);
    const b = await renderer.renderCertificate(classic, structuredClone(data));
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.sha256).toBe(sha256(a.pdf));
    expect(b.sha256).toBe(a.sha256);
    expect(Buffer.compare(Buffer.from(a.pdf), Buffer.from(b.pdf))).toBe(0);
    expect(Buffer.compare(Buffer.from(a.png!), Buffer.from(b.png!))).toBe(0);
    expect(b.svg).toBe(a.svg);
  });

  it('does not depend on the clock', async () => {
    const a = await renderer.renderCertificate(classic, data, { png: false });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-07-04T15:16:17Z'));
    const b = await renderer.renderCertificate(classic, data, { png: false });
    vi.useRealTimers();
    expect(b.sha256).toBe(a.sha256);
  });

  it('a second, independent renderer (fresh core, fonts loaded again) gives the same bytes', async () => {
    const a = await renderer.renderCertificate(classic, data, { png: false });
    const other = await Renderer.create();
    const b = await other.renderCertificate(templateBytes('classic'), data, { png: false });
    expect(b.sha256).toBe(a.sha256);
  });

  it('different names give different PDFs', async () => {
    const names = ['Ada Lovelace', 'Ada Lovelacf', 'محمد Smith', '陳美玲'];
    const hashes = await Promise.all(
      names.map(async (name) => (await renderer.renderCertificate(classic, { ...data, name }, { png: false })).sha256),
    );
    expect(new Set(hashes).size).toBe(names.length);
  });
});

/** An XMP property's text (a simple property, or the first `rdf:li` of an array), unescaped. */
function xmpProperty(xmp: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>(?:\\s*<rdf:(?:Alt|Seq|Bag)>\\s*<rdf:li[^>]*>)?([^<]*)<`).exec(xmp);
  return match?.[1]!
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * The document's metadata as readers see it: the title and dates from the /Info dictionary
 * (which viewers show), the rest from the XMP packet, its one home since the /Info dictionary
 * stopped repeating it (issue 24).
 */
async function loadInfo(pdf: Uint8Array) {
  const doc = await pdfLib.PDFDocument.load(pdf, { updateMetadata: false });
  const lang = doc.catalog.lookupMaybe(PDFName.of('Lang'), PDFString, PDFHexString);
  const metadata = doc.catalog.lookup(PDFName.of('Metadata'), pdfLib.PDFStream);
  if (!(metadata instanceof pdfLib.PDFRawStream)) throw new Error('the XMP metadata is not a raw stream');
  const xmp = Buffer.from(pdfLib.decodePDFRawStream(metadata).decode()).toString('utf8');
  return {
    doc,
    xmp,
    title: doc.getTitle(),
    xmpTitle: xmpProperty(xmp, 'dc:title'),
    author: xmpProperty(xmp, 'dc:creator'),
    subject: xmpProperty(xmp, 'dc:description'),
    keywords: xmpProperty(xmp, 'pdf:Keywords'),
    creator: xmpProperty(xmp, 'xmp:CreatorTool'),
    producer: xmpProperty(xmp, 'pdf:Producer'),
    creationDate: doc.getCreationDate(),
    modificationDate: doc.getModificationDate(),
    language: lang?.decodeText(),
    /** What the /Info dictionary holds besides the title and dates: nothing. */
    infoKeys: (() => {
      const ref = doc.context.trailerInfo.Info;
      const dict = ref ? doc.context.lookup(ref, PDFDict) : undefined;
      return dict ? dict.keys().map((key) => key.decodeText()) : [];
    })(),
  };
}

describe('document information', () => {
  it('title, author, subject, keywords, creator, producer, language and dates', async () => {
    const result = await renderer.renderCertificate(classic, data, { png: false });
    const info = await loadInfo(result.pdf);
    expect(info.title).toBe(`Certificate of Participation: ${data.name}`);
    expect(info.xmpTitle).toBe(info.title);
    expect(info.infoKeys.sort()).toEqual(['CreationDate', 'ModDate', 'Title']);
    // No organizer in examples/event.json: the author is the event.
    expect(info.author).toBe(EVENT.event.name);
    expect(info.subject).toBe(`${EVENT.event.name}, ${EVENT.event.date}`);
    expect(info.keywords).toBeDefined();
    expect(info.keywords!.startsWith('certificate')).toBe(true);
    expect(info.keywords).toContain(EVENT.event.name);
    expect(info.keywords).toContain(data.talk!.title);
    expect(info.creator).toBe('certforge');
    expect(info.producer).toMatch(/^certforge\b/);
    expect(info.producer).toContain('krilla');
    expect(info.language).toBe('en');
    // "12 March 2026" → the event day at 00:00 UTC, whatever the machine's time zone.
    expect(info.creationDate?.toISOString()).toBe('2026-03-12T00:00:00.000Z');
    expect(info.modificationDate?.toISOString()).toBe('2026-03-12T00:00:00.000Z');
    expect(info.doc.getPageCount()).toBe(1);
  });

  it('organizer, locale, language option, issuedAt and certificate.title are honoured', async () => {
    const custom: CertificateData = {
      ...data,
      event: { ...data.event, organizer: 'OSIS e.V.' },
      locale: 'uk',
      issuedAt: '2026-03-14T09:30:00+01:00',
      certificate: { ...data.certificate, title: 'Сертифікат учасника' },
    };
    let info = await loadInfo((await renderer.renderCertificate(classic, custom, { png: false })).pdf);
    expect(info.author).toBe('OSIS e.V.');
    expect(info.title).toBe('Сертифікат учасника');
    expect(info.language).toBe('uk');
    expect(info.creationDate?.toISOString()).toBe('2026-03-14T08:30:00.000Z');
    info = await loadInfo((await renderer.renderCertificate(classic, custom, { png: false, language: 'uk-UA' })).pdf);
    expect(info.language).toBe('uk-UA');
  });

  it('an unparseable date falls back to the fixed date, never the clock', async () => {
    const undated = { ...data, event: { ...data.event, date: 'sometime in spring' } };
    const info = await loadInfo((await renderer.renderCertificate(classic, undated, { png: false })).pdf);
    expect(info.creationDate?.getTime()).toBe(FALLBACK_CREATION_DATE.getTime());
    expect(info.subject).toBe(`${EVENT.event.name}, sometime in spring`);
  });
});

describe('attachment', () => {
  it('every certificate carries certificate.json: what it shows and what verification needs, nothing else (pdf-lib and qpdf)', async () => {
    // A row from a CRM: fields no certificate shows must not travel inside the PDF.
    const row = {
      ...data,
      phone: '+48 600 000 000',
      notes: 'allergic to peanuts',
      crm: { id: 'CRM-123456', owner: 'sales' },
      talk: { ...(data.talk as object), room: 'B-12' },
      signatories: [...(data.signatories as object[]), { name: 'Third Signatory', role: 'Not on the template' }],
    };
    const result = await renderer.renderCertificate(classic, row, { png: false });
    const files = await embeddedFiles(result.pdf);
    expect([...files.keys()]).toEqual(['certificate.json']);
    const file = files.get('certificate.json')!;
    expect(file.mime).toBe('application/json');
    const embedded = JSON.parse(new TextDecoder().decode(file.bytes));
    const signatories = data.signatories as { name: string; role?: string }[];
    expect(embedded).toEqual({
      name: data.name,
      event: data.event,
      certificate: data.certificate,
      ...(data.locale ? { locale: data.locale } : {}),
      ...(data.issuedAt ? { issuedAt: data.issuedAt } : {}),
      talk: { title: (data.talk as { title: string }).title },
      signatories: signatories.slice(0, 2).map((s) => ({ name: s.name, ...(s.role ? { role: s.role } : {}) })),
    });
    const text = new TextDecoder().decode(file.bytes);
    for (const secret of ['600 000', 'peanuts', 'CRM-123456', 'B-12', 'Third Signatory'])
      expect(text).not.toContain(secret);

    const path = writeTempPdf(result.pdf, 'attached');
    expect(runTool('qpdf', ['--list-attachments', path])).toContain('certificate.json');
    expect(JSON.parse(runTool('qpdf', ['--show-attachment=certificate.json', path]))).toEqual(embedded);
  });

  it('is a PDF/A-3 associated file: AFRelationship /Data, listed in the catalog /AF, dated, described', async () => {
    const result = await renderer.renderCertificate(classic, data, {
      png: false,
      attachments: [
        {
          name: 'credential.json',
          json: { a: 1 },
          description: 'Signed credential',
          relationship: 'alternative',
          mimeType: 'application/vc',
        },
      ],
    });
    const { doc } = await loadInfo(result.pdf);
    const af = doc.catalog.lookup(PDFName.of('AF'), PDFArray);
    const specs = af.asArray().map((ref) => doc.context.lookup(ref, PDFDict));
    const text = (dict: PdfLib.PDFDict, key: string) =>
      (dict.lookup(PDFName.of(key)) as PdfLib.PDFHexString | PdfLib.PDFString).decodeText();
    const byName = new Map(specs.map((spec) => [text(spec, 'UF'), spec]));
    expect([...byName.keys()].sort()).toEqual(['certificate.json', 'credential.json']);
    expect(byName.get('certificate.json')!.get(PDFName.of('AFRelationship'))?.toString()).toBe('/Data');
    expect(byName.get('credential.json')!.get(PDFName.of('AFRelationship'))?.toString()).toBe('/Alternative');
    expect(text(byName.get('credential.json')!, 'Desc')).toBe('Signed credential');
    const files = await embeddedFiles(result.pdf);
    expect(files.get('credential.json')!.mime).toBe('application/vc');
    expect(JSON.parse(new TextDecoder().decode(files.get('credential.json')!.bytes))).toEqual({ a: 1 });
  });

  it('attachData: false leaves the data out', async () => {
    const result = await renderer.renderCertificate(classic, data, { png: false, attachData: false });
    expect((await embeddedFiles(result.pdf)).size).toBe(0);
    expect(runTool('qpdf', ['--list-attachments', writeTempPdf(result.pdf)])).toMatch(/no embedded files/);
  });

  it('bad attachments are typed errors: too many, too big, bad names, duplicate names, no description, bad MIME type', async () => {
    const one = { name: 'a.json', json: 1, description: 'x' };
    const cases: Array<[object[], string]> = [
      [Array.from({ length: 9 }, (_, i) => ({ ...one, name: `f${i}.json` })), 'LIMIT_EXCEEDED'],
      [[{ ...one, json: 'x'.repeat(1 << 20) }], 'LIMIT_EXCEEDED'],
      [[{ ...one, name: '' }], 'INVALID_DATA'],
      [[{ ...one, name: '../etc/passwd' }], 'INVALID_DATA'],
      [[{ ...one, name: 'a\\b.json' }], 'INVALID_DATA'],
      [[{ ...one, name: 'tab\t.json' }], 'INVALID_DATA'],
      [[{ ...one, name: 'x'.repeat(128) }], 'INVALID_DATA'],
      [[one, { ...one }], 'INVALID_DATA'],
      [[{ ...one, description: '  ' }], 'INVALID_DATA'],
      [[{ ...one, mimeType: 'json' }], 'INVALID_DATA'],
    ];
    for (const [list, code] of cases) {
      const error = await renderer
        .renderCertificate(classic, data, { png: false, attachData: false, attachments: list as never })
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(list).slice(0, 80)).toMatchObject({ code });
    }
  });
});

describe('structure', () => {
  it.each([
    ['classic', false],
    ['modern', true],
  ] as const)('qpdf --check finds no errors (%s, attachData %s)', async (template, attachData) => {
    const result = await renderer.renderCertificate(templateBytes(template), data, { png: false, attachData });
    const out = runTool('qpdf', ['--check', writeTempPdf(result.pdf)]);
    expect(out).toContain('No syntax or stream encoding errors found');
    expect(Buffer.from(result.pdf.subarray(0, 8)).toString('latin1')).toMatch(/^%PDF-1\.\d/);
  });
});
