/**
 * The print bundle without Firebase: the streaming writer (functions/src/bundle/pdf-bundle.ts)
 * on 30 real certificates rendered by the pipeline (Latin, Greek, Cyrillic, Arabic, Hebrew,
 * CJK, mixed-direction names), written to a local file and checked with qpdf, poppler and
 * pdf-lib; buildBundle over an in-memory ObjectStore (metadata, sha256, abandoned uploads);
 * which certificates are bundled and in which order.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync as writeFile } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, newBundleId } from '../../functions/src/bundle/build-bundle.js';
import { bundleEntry, sortEntries, type BundleEntry } from '../../functions/src/bundle/entries.js';
import {
  BundleInputError,
  writePdfBundle,
  type BundleItem,
  type BundleStats,
} from '../../functions/src/bundle/pdf-bundle.js';
import { pdfFileName } from '../../functions/src/bundle/pdf-zip.js';
import { parseBundleRequest } from '../../functions/src/handlers/build-print-bundle.js';
import { initRenderer } from '../../functions/src/render/index.js';
import type * as PdfLib from '../../functions/node_modules/pdf-lib/cjs/index.js';
import { SPEAKERS, certificateData, joinedLines, templateBytes, textLines } from '../helpers/fixtures.js';
import { pdfFonts, pdfLib, runTool, testTempDir } from '../helpers/pdf-tools.js';
import { bundlePath } from '../../functions/src/shared/paths.js';
import type { ObjectStore, StreamUploadOptions } from '../../functions/src/shared/object-store.js';

const { PDFDocument, PDFDict, PDFName, PDFArray, PDFHexString, PDFNumber } = pdfLib;

/** 24 example speakers + 6 more: a same-name pair (tie broken by id), numbers, a Korean duplicate. */
const EXTRA = [
  { id: 'x-01', name: 'Emily Johnson' },
  { id: 'x-02', name: 'Room 10 Speaker' },
  { id: 'x-03', name: 'Room 9 Speaker' },
  { id: 'x-04', name: 'Ångström Åsa' },
  { id: 'x-05', name: 'שרה כהן' },
  { id: 'x-06', name: '김민준' },
];
const PEOPLE = [...SPEAKERS.map((s) => ({ id: s.id, name: s.name, talk: s.talk })), ...EXTRA];

let entries: BundleEntry[];
const pdfs = new Map<string, Uint8Array>();
let bundleFile: string;
let bundle: Uint8Array;
let stats: BundleStats;
let parsed: PdfLib.PDFDocument;

function items(list: BundleEntry[]): BundleItem[] {
  return list.map((entry) => ({ title: entry.name, load: async () => pdfs.get(entry.pdfPath)! }));
}

/** A sink that collects the bytes in memory. */
function memorySink(): { write(bytes: Uint8Array): Promise<void>; bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    async write(bytes) {
      chunks.push(bytes);
    },
    bytes: () => Buffer.concat(chunks),
  };
}

async function toFile(path: string, list: BundleItem[]): Promise<BundleStats> {
  const out = createWriteStream(path);
  const result = await writePdfBundle(
    list,
    {
      async write(bytes) {
        if (!out.write(bytes)) await once(out, 'drain');
      },
    },
    {
      title: 'Open Source Infrastructure Summit 2026 — certificates',
      language: 'en',
      creationDate: new Date('2026-03-12T00:00:00Z'),
      prefetch: 4,
      pagesPerNode: 8,
    },
  );
  out.end();
  await once(out, 'finish');
  return result;
}

/** Text of page k (1-based): its lines joined (joinedLines), NFC. */
function pageText(k: number): string {
  return joinedLines(runTool('pdftotext', ['-enc', 'UTF-8', '-f', String(k), '-l', String(k), bundleFile, '-']));
}

/** Outline items of a pdf-lib document, in order: title, destination page ref, the item dict. */
function outlineItems(doc: PdfLib.PDFDocument): { title: string; page: PdfLib.PDFRef; dict: PdfLib.PDFDict }[] {
  const outlines = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict);
  const result = [];
  let ref = outlines.get(PDFName.of('First'));
  while (ref) {
    const dict = doc.context.lookup(ref, PDFDict);
    const title = dict.lookup(PDFName.of('Title'), PDFHexString);
    const dest = dict.lookup(PDFName.of('Dest'), PDFArray);
    result.push({ title: title.decodeText(), page: dest.get(0) as PdfLib.PDFRef, dict });
    ref = dict.get(PDFName.of('Next'));
  }
  return result;
}

beforeAll(async () => {
  const renderer = await initRenderer();
  const template = renderer.compileTemplate(templateBytes('classic'));
  const candidates: BundleEntry[] = [];
  for (const person of PEOPLE) {
    const rendered = await renderer.renderCertificate(template, certificateData(person), { png: false });
    const pdfPath = `certificates/evt/${person.id}/${person.id}.pdf`;
    pdfs.set(pdfPath, rendered.pdf);
    const entry = bundleEntry(person.id, { name: person.name, certificate: { status: 'ready', pdfPath } as never });
    candidates.push(entry!);
  }
  entries = sortEntries(candidates, 'en');
  bundleFile = join(testTempDir(), 'bundle.pdf');
  stats = await toFile(bundleFile, items(entries));
  bundle = new Uint8Array(readFileSync(bundleFile));
  parsed = await PDFDocument.load(bundle, { updateMetadata: false });
}, 180_000);

describe('writePdfBundle on 30 real certificates', () => {
  it('is a valid PDF (qpdf --check) with one page per certificate', () => {
    expect(runTool('qpdf', ['--check', bundleFile])).toMatch(/No syntax or stream encoding errors/);
    expect(runTool('pdfinfo', [bundleFile])).toMatch(/^Pages:\s+30$/m);
    expect(stats).toMatchObject({ certificates: 30, pages: 30, bytes: bundle.byteLength });
    expect(stats.sha256).toBe(createHash('sha256').update(bundle).digest('hex'));
    expect(parsed.getPageCount()).toBe(30);
  });

  it('has the certificates in name order, each page showing its name (pdftotext -f k -l k)', () => {
    // Spot checks of the order: the same-name pair by speaker id, numbers compared as numbers.
    const order = entries.map((e) => e.speakerId);
    expect(order.indexOf('spk-024')).toBe(order.indexOf('x-01') - 1);
    expect(order.indexOf('x-03')).toBeLessThan(order.indexOf('x-02'));
    for (const [k, entry] of entries.entries()) {
      const text = pageText(k + 1);
      // Word by word: on mixed-direction lines poppler may put the runs in another order.
      for (const word of entry.name.normalize('NFC').split(' '))
        expect(text, `page ${k + 1}: ${entry.name}`).toContain(word);
    }
  });

  it('has one bookmark per certificate, titled with the name (UTF-16BE), pointing at its page', () => {
    const outline = outlineItems(parsed);
    expect(outline.map((item) => item.title)).toEqual(entries.map((e) => e.name.normalize('NFC')));
    const pages = parsed.getPages();
    outline.forEach((item, k) => {
      expect(item.page).toBe(pages[k]!.ref);
      const raw = item.dict.get(PDFName.of('Title')) as PdfLib.PDFHexString;
      expect(raw.asString().toUpperCase().startsWith('FEFF')).toBe(true);
    });
    const root = parsed.catalog.lookup(PDFName.of('Outlines'), PDFDict);
    expect(root.lookup(PDFName.of('Count'), PDFNumber).asNumber()).toBe(30);
    expect(parsed.catalog.get(PDFName.of('PageMode'))).toBe(PDFName.of('UseOutlines'));
    // An independent reader: qpdf's JSON outline.
    const json = JSON.parse(runTool('qpdf', ['--json', '--json-key=outlines', bundleFile])) as {
      outlines: { title: string; destpageposfrom1: number }[];
    };
    expect(json.outlines.map((o) => [o.title, o.destpageposfrom1])).toEqual(
      entries.map((e, k) => [e.name.normalize('NFC'), k + 1]),
    );
    for (const name of ['محمد بن عبد الله', 'דוד לוי', '欧阳静怡', '山本 さくら', '김민준']) {
      expect(json.outlines.some((o) => o.title === name)).toBe(true);
    }
  });

  it('labels pages 1..n and carries the document information', () => {
    const labels = JSON.parse(runTool('qpdf', ['--json', '--json-key=pagelabels', bundleFile])) as {
      pagelabels: { index: number; label: { '/S': string } }[];
    };
    expect(labels.pagelabels).toEqual([
      expect.objectContaining({ index: 0, label: expect.objectContaining({ '/S': '/D' }) }),
    ]);
    expect(parsed.getTitle()).toBe('Open Source Infrastructure Summit 2026 — certificates');
    expect(parsed.getProducer()).toBe('certforge');
    expect(parsed.getCreationDate()?.toISOString()).toBe('2026-03-12T00:00:00.000Z');
  });

  it('keeps every font embedded (pdffonts), and writes the shared artwork once', () => {
    const fonts = pdfFonts(bundle);
    expect(fonts.length).toBeGreaterThan(30);
    for (const font of fonts) expect([font.name, font.emb, font.uni]).toEqual([font.name, 'yes', 'yes']);
    expect(stats.sharedReuses).toBeGreaterThan(29 * 100);
    expect(stats.bytes).toBeLessThan(stats.inputBytes / 2);
  });

  it('renders each page exactly as the certificate on its own (pdftoppm, pixel for pixel)', () => {
    for (const k of [1, 12, 30]) {
      const alone = join(testTempDir(), `alone-${k}.pdf`);
      const entry = entries[k - 1]!;
      writeFile(alone, pdfs.get(entry.pdfPath)!);
      const a = execFileSync('pdftoppm', ['-r', '40', '-gray', '-f', String(k), '-l', String(k), bundleFile]);
      const b = execFileSync('pdftoppm', ['-r', '40', '-gray', alone]);
      expect(a.byteLength).toBeGreaterThan(100_000);
      expect(Buffer.compare(a, b), `page ${k}: ${entry.name}`).toBe(0);
    }
  });

  it('without sharing (sharedObjectsMax 0) is still valid, just bigger', async () => {
    const sink = memorySink();
    const plain = await writePdfBundle(items(entries.slice(0, 5)), sink, { sharedObjectsMax: 0 });
    expect(plain.sharedReuses).toBe(0);
    const file = join(testTempDir(), 'plain.pdf');
    writeFile(file, sink.bytes());
    expect(runTool('qpdf', ['--check', file])).toMatch(/No syntax or stream encoding errors/);
    expect(plain.bytes).toBeGreaterThan(plain.inputBytes * 0.9);
  });
});

describe('writePdfBundle, edge cases', () => {
  it('copies a page that inherits its box and resources and whose annotation points back at it', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const page = doc.addPage([300, 200]);
    page.drawText('Inherited Box', { x: 20, y: 100, size: 18 });
    // Move MediaBox and Resources up to the page tree (inherited), add a link annotation with /P.
    const pagesRoot = doc.catalog.lookup(PDFName.of('Pages'), PDFDict);
    pagesRoot.set(PDFName.of('MediaBox'), page.node.get(PDFName.of('MediaBox'))!);
    page.node.delete(PDFName.of('MediaBox'));
    const annot = doc.context.register(
      doc.context.obj({
        Type: 'Annot',
        Subtype: 'Link',
        Rect: [0, 0, 50, 50],
        P: page.ref,
        Border: [0, 0, 0],
        A: { S: 'URI', URI: pdfLib.PDFString.of('https://example.org') },
      }),
    );
    page.node.set(PDFName.of('Annots'), doc.context.obj([annot]));
    const bytes = await doc.save({ useObjectStreams: true });
    const sink = memorySink();
    await writePdfBundle(
      [
        { title: 'Ünïcödé “quoted” (parens)\nnew line', load: async () => bytes },
        { title: 'second', load: async () => bytes },
      ],
      sink,
    );
    const file = join(testTempDir(), 'edge.pdf');
    writeFile(file, sink.bytes());
    expect(runTool('qpdf', ['--check', file])).toMatch(/No syntax or stream encoding errors/);
    const back = await PDFDocument.load(sink.bytes());
    expect(back.getPages().map((p) => [p.getWidth(), p.getHeight()])).toEqual([
      [300, 200],
      [300, 200],
    ]);
    for (const p of back.getPages()) {
      const annots = p.node.lookup(PDFName.of('Annots'), PDFArray);
      const link = annots.lookup(0, PDFDict);
      expect(link.get(PDFName.of('P'))).toBe(p.ref);
    }
    expect(textLines(runTool('pdftotext', ['-f', '2', '-l', '2', file, '-']))).toContain('Inherited Box');
    expect(outlineItems(back).map((o) => o.title)).toEqual(['Ünïcödé “quoted” (parens) new line', 'second']);
  });

  it('copies every page of a multi-page certificate; a link to its second page lands on it', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const first = doc.addPage([200, 200]);
    const second = doc.addPage([200, 200]);
    first.drawText('Front', { x: 20, y: 100, size: 18 });
    second.drawText('Back', { x: 20, y: 100, size: 18 });
    const link = doc.context.register(
      doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 50, 50], Dest: [second.ref, 'Fit'] }),
    );
    first.node.set(PDFName.of('Annots'), doc.context.obj([link]));
    const bytes = await doc.save();
    const sink = memorySink();
    const result = await writePdfBundle(
      ['A', 'B', 'C'].map((title) => ({ title, load: async () => bytes })),
      sink,
      { pagesPerNode: 2 },
    );
    expect(result).toMatchObject({ certificates: 3, pages: 6 });
    const file = join(testTempDir(), 'multi.pdf');
    writeFile(file, sink.bytes());
    expect(runTool('qpdf', ['--check', file])).toMatch(/No syntax or stream encoding errors/);
    const back = await PDFDocument.load(sink.bytes());
    const pages = back.getPages();
    expect(outlineItems(back).map((o) => o.page)).toEqual([pages[0]!.ref, pages[2]!.ref, pages[4]!.ref]);
    for (const k of [0, 2, 4]) {
      const annot = pages[k]!.node.lookup(PDFName.of('Annots'), PDFArray).lookup(0, PDFDict);
      expect(annot.lookup(PDFName.of('Dest'), PDFArray).get(0)).toBe(pages[k + 1]!.ref);
    }
    expect(textLines(runTool('pdftotext', [file, '-']))).toEqual(['Front', 'Back', 'Front', 'Back', 'Front', 'Back']);
  });

  it('reports the certificate that fails to load or parse (BundleInputError with its index)', async () => {
    const good = pdfs.values().next().value!;
    const failing = writePdfBundle(
      [
        { title: 'ok', load: async () => good },
        { title: 'Broken Download', load: async () => Promise.reject(new Error('boom')) },
      ],
      memorySink(),
    );
    await expect(failing).rejects.toMatchObject({ name: 'BundleInputError', index: 1, title: 'Broken Download' });
    const garbage = writePdfBundle(
      [{ title: 'Not A PDF', load: async () => new TextEncoder().encode('hello') }],
      memorySink(),
    );
    await expect(garbage).rejects.toBeInstanceOf(BundleInputError);
    await expect(writePdfBundle([], memorySink())).rejects.toThrow(/at least one/);
  });
});

/** An ObjectStore in memory: uploadStream collects, calls finalMetadata at the end, stores on finish only. */
function memoryStore(files: Map<string, Uint8Array>) {
  const stored = new Map<
    string,
    { bytes: Uint8Array; options: StreamUploadOptions; metadata: Record<string, string> }
  >();
  let destroyed = 0;
  const store: ObjectStore = {
    bucketName: 'test-bucket',
    async upload() {
      throw new Error('not used');
    },
    uploadStream(path, options) {
      const chunks: Buffer[] = [];
      return new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
        final(callback) {
          stored.set(path, {
            bytes: Buffer.concat(chunks),
            options,
            metadata: { ...options.metadata, ...options.finalMetadata?.() },
          });
          callback();
        },
        destroy(error, callback) {
          destroyed++;
          callback(error);
        },
      });
    },
    async download(path) {
      const bytes = files.get(path);
      if (!bytes) throw Object.assign(new Error(`No such object: ${path}`), { code: 404 });
      return bytes;
    },
    async customMetadata(path) {
      return stored.get(path)?.metadata;
    },
    async rotateDownloadToken() {
      throw new Error('not used');
    },
    async generation() {
      return undefined;
    },
    async list() {
      return [];
    },
    async remove() {},
    async downloadUrl(path) {
      return `memory://${path}`;
    },
  };
  return { store, stored, destroyed: () => destroyed };
}

describe('buildBundle over an ObjectStore', () => {
  it('streams the bundle to bundles/{eventId}/{bundleId}.pdf with its metadata and sha256', async () => {
    const memory = memoryStore(pdfs);
    const result = await buildBundle(memory.store, {
      eventId: 'evt-1',
      entries: entries.slice(0, 6),
      title: 'Summit',
      language: 'pl',
    });
    expect(result.path).toBe(bundlePath('evt-1', result.bundleId));
    expect(result.bundleId).toMatch(/^\d{8}T\d{6}Z-[A-Za-z0-9_-]{8}$/);
    const object = memory.stored.get(result.path)!;
    expect(createHash('sha256').update(object.bytes).digest('hex')).toBe(result.sha256);
    expect(object.options).toMatchObject({
      contentType: 'application/pdf',
      cacheControl: 'private, max-age=3600',
      contentDisposition: 'inline; filename="certificates-evt-1.pdf"',
    });
    expect(object.metadata).toEqual({
      eventId: 'evt-1',
      bundleId: result.bundleId,
      count: '6',
      firebaseStorageDownloadTokens: result.token,
      sha256: result.sha256,
      pages: '6',
      bytes: String(object.bytes.byteLength),
    });
    expect(result).toMatchObject({ certificates: 6, pages: 6, bytes: object.bytes.byteLength });
  });

  it('abandons the upload when a certificate is missing: nothing is stored', async () => {
    const memory = memoryStore(pdfs);
    const missing = [
      ...entries.slice(0, 3),
      { speakerId: 'gone', name: 'Gone', pdfPath: 'certificates/evt/gone/x.pdf' },
    ];
    await expect(buildBundle(memory.store, { eventId: 'evt-2', entries: missing })).rejects.toMatchObject({
      name: 'BundleInputError',
      index: 3,
    });
    expect(memory.stored.size).toBe(0);
    expect(memory.destroyed()).toBe(1);
  });

  it('new bundle ids sort by time', () => {
    const a = newBundleId(new Date('2026-03-12T10:00:00.123Z'));
    const b = newBundleId(new Date('2026-03-12T10:00:01Z'));
    expect(a.startsWith('20260312T100000Z-')).toBe(true);
    expect(a < b).toBe(true);
  });
});

describe('which certificates, in which order', () => {
  const ready = (pdfPath: string, extra: Record<string, unknown> = {}) =>
    ({ status: 'ready', pdfPath, ...extra }) as never;

  it('takes ready certificates with a PDF; leaves out failed, rendering, revoked and missing ones', () => {
    expect(bundleEntry('a', { name: ' Ada ', certificate: ready('p/a.pdf') })).toEqual({
      speakerId: 'a',
      name: 'Ada',
      pdfPath: 'p/a.pdf',
    });
    expect(bundleEntry('b', { name: 'B', certificate: { status: 'failed' } as never })).toBeUndefined();
    expect(
      bundleEntry('c', { name: 'C', certificate: { status: 'rendering', pdfPath: 'x' } as never }),
    ).toBeUndefined();
    expect(
      bundleEntry('d', {
        name: 'D',
        certificate: ready('p/d.pdf', { revoked: { at: new Date(), reason: 'duplicate' } }),
      }),
    ).toBeUndefined();
    expect(bundleEntry('e', { name: 'E' })).toBeUndefined();
    expect(bundleEntry('f', { name: 'F', certificate: ready('') })).toBeUndefined();
  });

  it('names the certificate as rendered (subject.name) when recorded, else the speaker, else the id', () => {
    expect(
      bundleEntry('a', {
        name: 'New Name',
        certificate: ready('p', { subject: { name: 'Old Name', talkTitle: null } }),
      })?.name,
    ).toBe('Old Name');
    expect(bundleEntry('a', { name: 'New Name', certificate: ready('p', { subject: null }) })?.name).toBe('New Name');
    expect(bundleEntry('a', { certificate: ready('p') })?.name).toBe('a');
  });

  it('sorts with the event locale, numbers as numbers, equal names by speaker id', () => {
    const list = (names: [string, string][]) =>
      names.map(([speakerId, name]) => ({ speakerId, name, pdfPath: `${speakerId}.pdf` }));
    const sorted = (names: [string, string][], locale?: string) =>
      sortEntries(list(names), locale).map((e) => e.speakerId);
    // Swedish puts Å, Ä, Ö after Z; English sorts them with A and O.
    const nordic: [string, string][] = [
      ['1', 'Åsa'],
      ['2', 'Zelda'],
      ['3', 'Anna'],
    ];
    expect(sorted(nordic, 'sv')).toEqual(['3', '2', '1']);
    expect(sorted(nordic, 'en')).toEqual(['3', '1', '2']);
    // Polish: Ł after L.
    expect(
      sorted(
        [
          ['1', 'Łukasz'],
          ['2', 'Mateusz'],
          ['3', 'Lena'],
        ],
        'pl',
      ),
    ).toEqual(['3', '1', '2']);
    expect(
      sorted([
        ['b', 'Same Name'],
        ['a', 'Same Name'],
        ['c', 'Room 10'],
        ['d', 'Room 9'],
      ]),
    ).toEqual(['d', 'c', 'a', 'b']);
    // An invalid locale falls back to the default collation instead of throwing.
    expect(sorted(nordic, 'not a locale!')).toHaveLength(3);
  });

  it('the callable accepts { eventId, role?, format? } (one PDF unless a ZIP is asked for)', () => {
    expect(parseBundleRequest({ eventId: 'evt-1' })).toEqual({ eventId: 'evt-1', format: 'pdf' });
    for (const bad of [
      null,
      'evt',
      [],
      {},
      { eventId: 'a/b' },
      { eventId: 'e', extra: 1 },
      { eventId: 'e', format: 'tar' },
    ]) {
      expect(() => parseBundleRequest(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'invalid-argument' }),
      );
    }
  });
});

describe('the ZIP of every PDF: file names', () => {
  it('keep the recipient’s name in any script, replace what no file system accepts, and never repeat', () => {
    const taken = new Set<string>();
    expect(pdfFileName('Ada Lovelace', taken)).toBe('Ada Lovelace.pdf');
    expect(pdfFileName('ada lovelace', taken)).toBe('ada lovelace (2).pdf');
    expect(pdfFileName('مريم عبد الرحمن', taken)).toBe('مريم عبد الرحمن.pdf');
    expect(pdfFileName('王小明', taken)).toBe('王小明.pdf');
    expect(pdfFileName('a/b\\c:d*e?f"g<h>i|j\u0007k', taken)).toBe('a_b_c_d_e_f_g_h_i_j_k.pdf');
    expect(pdfFileName('..hidden', taken)).toBe('_hidden.pdf');
    expect(pdfFileName('   ', taken)).toBe('certificate.pdf');
    expect([...pdfFileName('x'.repeat(500), taken)].length).toBe(124);
  });
});
