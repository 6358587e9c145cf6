/**
 * certforge benchmark: `npm run bench` (or, after `npm --prefix functions run build`,
 * `npx tsx test/bench/bench.ts`).
 *
 * For each template in test/bench/templates/:
 * - cold: a fresh node process (test/bench/child.mjs on the compiled functions/lib)
 *   measures import + init (fonts, wasm, resvg-wasm) + compile + first PDF render; 3 runs
 *   (templates interleaved), median;
 * - warm: in this process, after compiling all templates and a round-robin warm-up, BENCH_WARM
 *   (default 48, at least 30) PDF-only renders with the names of examples/speakers.json (cycled),
 *   templates interleaved: median and p90; then 30 renders with the PNG preview (pipeline
 *   timings.pngMs) and 12 each without the data attachment (the bare PDF/A) and as issued (data and
 *   signed credential attached);
 * - PDF/A and credentials: the bytes of what PDF/A adds (XMP, output intent ICC profile), the
 *   credential's bytes, Open Badges signing and verification time (the real libraries);
 * - PDF signatures: each template's issued PDF signed at PAdES B-B, B-T and B-LT with the test PKI
 *   (test/bench/pdf-signing.ts), and a signed print bundle;
 * - sizes: PDF and PNG bytes (median);
 * - baselines with the same names: (a) resvg-wasm raster + pdf-lib (pure npm) at 3508 px
 *   (300 dpi on A4) and 1200 px; (b) `rsvg-convert -f pdf`, one process per render.
 * Peak RSS comes from a child that does init + 30 renders of every template.
 * A batch of 120 through the CLI against librsvg in process (test/bench/batch.ts). Firebase: a
 * function instance's cost (test/bench/instance-cost.ts: each function's module load against
 * empty-function floors, the issuing function's first certificate, memory over 10,000 renders),
 * bulk issuance on the tasks emulator and the capacity model from it (test/bench/capacity.ts), the
 * emulator end-to-end latency, speaker created → ready, for 20 speakers (test/bench/e2e.ts
 * run inside the emulators by emulators/run.mjs; BENCH_SKIP_EMULATOR=1 skips it); the organizer
 * console in Chromium (test/bench/console.ts): the events page interactive, a people page of 10,000.
 *
 * Writes the report to stdout and to test/bench/last-run.md.
 *
 * Environment: BENCH_WARM=n (warm renders, >= 30), BENCH_BASELINE=n (baseline renders, default 10),
 * BENCH_QUICK=1 (skip the 3508 px baseline); BENCH_SKIP_BUNDLE=1 skips the print bundle (test/bench/print-bundle.ts,
 * BENCH_BUNDLE_N=1000,5000).
 */
import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  mkdirSync,
  existsSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as PdfLib from '../../functions/node_modules/pdf-lib/cjs/index.js';
import type * as ResvgWasm from '../../functions/node_modules/@resvg/resvg-wasm/index.js';
import {
  initPreview,
  initRenderer,
  loadBundledFonts,
  resolveBundledFontPaths,
  type CertificateData,
  type PageSize,
  type Template,
} from '../../functions/src/render/index.js';
import { generateIssuerKey } from '../../functions/src/credential/issuer-key.js';
import { BATCH_N, compareBytes, measureBatch, reportBatch } from './batch.js';
import { capacityModel, type BulkRun } from './capacity.js';
import { mean, median, ms, PRICES } from './figures.js';
import { measureInstanceCost, reportInstanceCost } from './instance-cost.js';
import { measurePdfSigning, reportPdfSigning, SIGN_N } from './pdf-signing.js';
import {
  credentialAttachment,
  issuerResolver,
  openBadgeCredential,
  signCredential,
  statusListCredential,
  verifyCredential,
  type Issuer,
} from '../../functions/src/credential/open-badge.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const FUNCTIONS = join(ROOT, 'functions');
const TEMPLATE_DIR = join(HERE, 'templates');
const CHILD = join(HERE, 'child.mjs');
const TEMPLATES = ['simple', 'rich', 'international'] as const;
type TemplateName = (typeof TEMPLATES)[number];

const WARM = Math.max(30, Number(process.env.BENCH_WARM ?? 48));
const PNG_N = 30;
const ATTACH_N = 12;
/** Warm-up renders per template, round-robin over all templates before anything is timed. */
const WARMUP = 8;
const BASELINE_N = Math.max(3, Number(process.env.BENCH_BASELINE ?? 10));
/** The 3508 px raster baseline takes seconds per render on `rich`: fewer runs. */
const BASELINE_PRINT_N = Math.max(3, Math.round(BASELINE_N / 2));
const QUICK = process.env.BENCH_QUICK === '1';
const COLD_RUNS = 3;
const RASTER_PRINT_WIDTH = 3508; // A4 landscape at 300 dpi
const RASTER_PREVIEW_WIDTH = 1200; // the pipeline's default PNG width

const TARGETS = {
  warmPdfMs: { simple: 3, rich: 10, international: 10 } as Record<TemplateName, number>,
  coldMs: 200,
  peakRssMB: 150,
  simplePdfKB: 15,
  pngMs: 25,
  e2eMedianMs: 1500,
  bulk1000Ms: 60_000,
  instanceModuleMs: 200,
  instanceFirstCertificateMs: 400,
  /** 2nd–6th certificates of a fresh process, each, ÷ steady state. */
  firstRendersRatio: 2,
  cpuPerCertificateMs: 60,
  /** The console's events page: navigation start → the list usable (issue 25). */
  consoleInteractiveMs: 1000,
  consoleJsGzipKB: 150,
};

/** List prices, Cloud Run functions (2nd gen) request-based billing, Tier 1 regions, USD, before the free tier. */

// pdf-lib and resvg-wasm are dependencies of functions/, not of the root package.
const functionsRequire = createRequire(join(FUNCTIONS, 'package.json'));
const { PDFDocument, PDFName, PDFArray, PDFDict, PDFRawStream } = functionsRequire('pdf-lib') as typeof PdfLib;
// The ESM entry, i.e. the same module instance that functions/src/render/preview.ts initializes.
const resvgUrl = pathToFileURL(join(FUNCTIONS, 'node_modules', '@resvg', 'resvg-wasm', 'index.mjs')).href;
const { Resvg, initWasm } = (await import(resvgUrl)) as typeof ResvgWasm;

// ---------------------------------------------------------------- helpers

/** Nearest-rank percentile. */
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const kb = (bytes: number): string =>
  Number.isNaN(bytes) ? '-' : bytes / 1000 >= 100 ? (bytes / 1000).toFixed(0) : (bytes / 1000).toFixed(1);
const mark = (ok: boolean): string => (ok ? 'met' : '**missed**');

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function loadSpeakers(): CertificateData[] {
  const json = JSON.parse(readFileSync(join(ROOT, 'examples', 'speakers.json'), 'utf8')) as {
    event: Record<string, unknown>;
    signatories: unknown[];
    speakers: Array<Record<string, unknown>>;
  };
  // Same shape as the CLI's rows: event and signatories merged in, certificate id/url set.
  return json.speakers.map((speaker, i) => ({
    ...speaker,
    event: json.event,
    signatories: json.signatories,
    certificate: { id: `BENCH${String(i).padStart(4, '0')}`, url: `https://verify.certforge.dev/c/BENCH${i}` },
  }));
}

function runChild(args: string[]): { json: Record<string, unknown>; wallMs: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [CHILD, ...args], { cwd: ROOT, encoding: 'utf8' });
  const wallMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { json: JSON.parse(line) as Record<string, unknown>, wallMs };
}

/** Plain string replacement of {{path}} / {{path | default}}, XML-escaped (for the baselines). */
function fillTemplate(svg: string, data: CertificateData): string {
  return svg.replace(/\{\{\s*([\w.-]+)\s*(?:\|([^}]*))?\}\}/g, (_m, path: string, fallback: string | undefined) => {
    let value: unknown = data;
    for (const key of path.split('.')) {
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    const text =
      value === undefined || value === null || String(value).trim() === '' ? (fallback ?? '').trim() : String(value);
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  });
}

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const name of readdirSync(dir))
    if (name.endsWith(ext)) newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
  return newest;
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '?';
}

function machineInfo(): Record<string, string> {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? '?';
  const rsvg = spawnSync('rsvg-convert', ['--version'], { encoding: 'utf8' });
  const wasmPath = join(FUNCTIONS, 'wasm', 'certforge_core.wasm');
  const dirty = git(['status', '--porcelain', '--', 'functions', 'wasm']) ? ' (+ uncommitted changes)' : '';
  return {
    CPU: `${model}, ${os.cpus().length} logical cores`,
    RAM: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()} ${os.arch()}`,
    Node: process.version,
    'load average at start': os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' '),
    'certforge_core.wasm': existsSync(wasmPath)
      ? `${(statSync(wasmPath).size / 1024).toFixed(0)} KiB, built ${statSync(wasmPath).mtime.toISOString()}`
      : 'missing',
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${dirty}`,
    'rsvg-convert': rsvg.status === 0 ? rsvg.stdout.trim() : 'not on PATH',
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------- measurements

interface ColdResult {
  coldMs: number;
  bootMs: number;
  importMs: number;
  initMs: number;
  compileMs: number;
  firstPdfMs: number;
  firstCoreMs: number;
  firstFinishMs: number;
  firstPngMs: number;
  wallMs: number;
}

/** One fresh process: import + init + compile + first render of `file`. */
function coldRun(file: string): ColdResult {
  const { json, wallMs } = runChild(['cold', file]);
  const n = (k: string): number => json[k] as number;
  const first = json.firstPdfTimings as { coreMs: number; finishMs: number };
  const firstPng = json.firstPngTimings as { pngMs: number };
  return {
    coldMs: n('coldMs'),
    bootMs: n('bootMs'),
    importMs: n('importMs'),
    initMs: n('initRendererMs') + n('initPreviewMs'),
    compileMs: n('compileMs'),
    firstPdfMs: n('firstPdfMs'),
    firstCoreMs: first.coreMs,
    firstFinishMs: first.finishMs,
    firstPngMs: firstPng.pngMs,
    wallMs,
  };
}

/** Field-wise median of several runs. */
function medianRun(runs: ColdResult[]): ColdResult {
  const keys = Object.keys(runs[0]!) as Array<keyof ColdResult>;
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])) as unknown as ColdResult;
}

interface WarmResult {
  pdfMs: number[];
  /** process.cpuUsage() (user + system, all threads) over the same renders: less sensitive to a busy machine. */
  pdfCpuMs: number[];
  coreMs: number[];
  /** PDF-only renders without any attachment (`attachData: false`): the bare PDF/A. */
  bareMs: number[];
  bareBytes: number[];
  /** PDF-only renders as issued: certificate.json and the signed credential attached. */
  issuedMs: number[];
  issuedBytes: number[];
  /** The last PDF rendered as issued (what the signing bench signs). */
  issuedPdf?: Uint8Array;
  finishMs: number[];
  pdfBytes: number[];
  pngMs: number[];
  pngBytes: number[];
  /** For comparison: the whole page in one pass (new Resvg, render, asPng on `result.svg`), split. */
  pngParseMs: number[];
  pngRasterMs: number[];
  pngEncodeMs: number[];
  svgBytes: number[];
  warnings: Set<string>;
  pageSize: PageSize;
  compileMs: number;
}

interface CredentialCost {
  signMs: number[];
  verifyMs: number[];
  statusListSignMs: number[];
  credentialBytes: number;
  /** The JSON of one signed credential, attached to the "as issued" renders. */
  json: string;
}

const CREDENTIAL_N = 40;

/**
 * Open Badges signing and verifying with the real libraries, in process (no Firestore): an
 * OpenBadgeCredential per example speaker, signed (JSON-LD canonicalization + Ed25519), then
 * verified with the issuer profile, key and status list served from memory; a status list
 * credential signed on its own.
 */
async function measureCredentials(speakers: CertificateData[]): Promise<CredentialCost> {
  const issuer: Issuer = {
    id: 'https://verify.example.org/c/issuer',
    name: 'Example Foundation',
    url: 'https://example.org',
  };
  const listUrl = 'https://verify.example.org/c/status/AbCdEfGhIjKlMnOp-1';
  const key = await generateIssuerKey('bench');
  const list = await statusListCredential(listUrl, [3, 17], key, issuer, new Date('2026-03-15T00:00:00Z'));
  const resolve = issuerResolver(issuer, [key], (url) => (url === listUrl ? list : undefined));
  const out: CredentialCost = { signMs: [], verifyMs: [], statusListSignMs: [], credentialBytes: 0, json: '' };
  for (let i = 0; i < CREDENTIAL_N + 5; i++) {
    const speaker = speakers[i % speakers.length]!;
    const unsigned = openBadgeCredential(
      {
        verifyUrl: `https://verify.example.org/c/D2tzCTib8rJPLRu43j1p${String(i).padStart(2, '0')}`,
        recipientName: String(speaker.name),
        email: 'speaker@example.org',
        role: 'Speaker',
        talkTitle: String((speaker.talk as { title?: string } | undefined)?.title ?? 'A talk'),
        eventName: 'Open Source Infrastructure Summit 2026',
        eventIsoDate: '2026-03-12',
        eventDate: 'March 12, 2026',
        eventPlace: 'Kraków, Poland',
        organizer: 'Open Source Infrastructure Foundation',
        eventKey: 'bench',
        issuedAt: new Date('2026-03-14T09:30:00Z'),
        status: { listUrl, index: 1000 + i },
      },
      issuer,
    );
    let start = performance.now();
    const signed = await signCredential(unsigned, key, issuer, new Date('2026-03-14T09:30:00Z'));
    const signMs = performance.now() - start;
    start = performance.now();
    const check = await verifyCredential(signed, resolve);
    const verifyMs = performance.now() - start;
    if (!check.verified) throw new Error(`bench credential did not verify: ${check.errors.join('; ')}`);
    start = performance.now();
    await statusListCredential(listUrl, [3, 17, i], key, issuer, new Date('2026-03-15T00:00:00Z'));
    const listMs = performance.now() - start;
    if (i < 5) continue; // warm-up: the first signatures load and JIT the libraries
    out.signMs.push(signMs);
    out.verifyMs.push(verifyMs);
    out.statusListSignMs.push(listMs);
    out.json = JSON.stringify(signed, null, 2);
    out.credentialBytes = Buffer.byteLength(out.json);
  }
  return out;
}

/** What PDF/A adds to a file: its XMP metadata stream and its output intent's ICC profile, in bytes as stored. */
async function pdfaParts(pdf: Uint8Array): Promise<{ xmp: number; icc: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const stream = (value: unknown) => {
    if (!(value instanceof PDFRawStream)) throw new Error('expected a stream');
    return value.contents.length;
  };
  const xmp = stream(doc.catalog.lookup(PDFName.of('Metadata')));
  const intent = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray).lookup(0, PDFDict);
  const icc = stream(intent.lookup(PDFName.of('DestOutputProfile')));
  return { xmp, icc };
}

/**
 * Warm measurements for all templates, interleaved (template after template for every name) so that
 * a burst of load from elsewhere on the machine hits all templates alike instead of one.
 */
async function measureWarm(
  svgs: Record<TemplateName, Uint8Array>,
  speakers: CertificateData[],
  compileMs: Record<TemplateName, number>,
  credentialJson: string,
): Promise<Record<TemplateName, WarmResult>> {
  const renderer = await initRenderer();
  const results = {} as Record<TemplateName, WarmResult>;
  const templates = {} as Record<TemplateName, Template>;
  for (const name of TEMPLATES) {
    templates[name] = renderer.compileTemplate(svgs[name]); // cached: compiled (and timed) in main()
    results[name] = {
      pdfMs: [],
      pdfCpuMs: [],
      coreMs: [],
      bareMs: [],
      bareBytes: [],
      issuedMs: [],
      issuedBytes: [],
      finishMs: [],
      pdfBytes: [],
      pngMs: [],
      pngBytes: [],
      pngParseMs: [],
      pngRasterMs: [],
      pngEncodeMs: [],
      svgBytes: [],
      warnings: new Set(),
      pageSize: templates[name].pageSize,
      compileMs: compileMs[name],
    };
  }
  for (let i = 0; i < WARM; i++) {
    const data = speakers[i % speakers.length]!;
    for (const name of TEMPLATES) {
      const r = results[name];
      const cpu = process.cpuUsage();
      const start = performance.now();
      const out = await renderer.renderCertificate(templates[name], data, { png: false });
      r.pdfMs.push(performance.now() - start);
      const used = process.cpuUsage(cpu);
      r.pdfCpuMs.push((used.user + used.system) / 1000);
      r.coreMs.push(out.timings.coreMs);
      r.finishMs.push(out.timings.finishMs);
      r.pdfBytes.push(out.pdf.length);
      for (const w of out.warnings) r.warnings.add(w.code);
    }
  }
  for (let i = 0; i < ATTACH_N; i++) {
    for (const name of TEMPLATES) {
      const data = speakers[i % speakers.length]!;
      let start = performance.now();
      const bare = await renderer.renderCertificate(templates[name], data, { png: false, attachData: false });
      results[name].bareMs.push(performance.now() - start);
      results[name].bareBytes.push(bare.pdf.length);
      start = performance.now();
      const issued = await renderer.renderCertificate(templates[name], data, {
        png: false,
        attachments: [credentialAttachment(credentialJson)],
      });
      results[name].issuedMs.push(performance.now() - start);
      results[name].issuedBytes.push(issued.pdf.length);
      results[name].issuedPdf = issued.pdf;
    }
  }
  for (let i = 0; i < PNG_N; i++) {
    const data = speakers[i % speakers.length]!;
    for (const name of TEMPLATES) {
      const r = results[name];
      const out = await renderer.renderCertificate(templates[name], data, { png: true });
      r.pngMs.push(out.timings.pngMs);
      r.pngBytes.push(out.png!.length);
      if (out.svg !== undefined) r.svgBytes.push(Buffer.byteLength(out.svg));
      if (i < 10 && out.svg !== undefined) {
        // Reference: the full page rasterised in one pass (new Resvg, render, asPng).
        let t = performance.now();
        const resvg = new Resvg(out.svg, {
          fitTo: { mode: 'width', value: 1200 },
          font: { loadSystemFonts: false },
          background: 'white',
        });
        r.pngParseMs.push(performance.now() - t);
        t = performance.now();
        const image = resvg.render();
        r.pngRasterMs.push(performance.now() - t);
        t = performance.now();
        image.asPng();
        r.pngEncodeMs.push(performance.now() - t);
        image.free();
        resvg.free();
      }
    }
  }
  for (const name of TEMPLATES) {
    log(
      `${name}: warm PDF median ${ms(median(results[name].pdfMs))} ms, PNG median ${ms(median(results[name].pngMs))} ms`,
    );
  }
  return results;
}

interface RasterResult {
  totalMs: number[];
  /** fill + new Resvg (parse, font database from fontBuffers) */
  parseMs: number[];
  rasterMs: number[];
  encodeMs: number[];
  pdfMs: number[];
  pdfBytes: number[];
}

async function measureRasterBaseline(
  templateSvg: string,
  pageSize: PageSize,
  speakers: CertificateData[],
  fontBuffers: Uint8Array[],
  width: number,
  runs: number,
): Promise<RasterResult> {
  const r: RasterResult = { totalMs: [], parseMs: [], rasterMs: [], encodeMs: [], pdfMs: [], pdfBytes: [] };
  for (let i = -1; i < runs; i++) {
    const data = speakers[Math.max(0, i) % speakers.length]!;
    const start = performance.now();
    const svg = fillTemplate(templateSvg, data);
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: width },
      font: { fontBuffers, defaultFontFamily: 'Noto Sans', sansSerifFamily: 'Noto Sans' },
      background: 'white',
    });
    const t0 = performance.now();
    const image = resvg.render();
    const t1 = performance.now();
    const png = image.asPng();
    image.free();
    resvg.free();
    const t2 = performance.now();
    const doc = await PDFDocument.create({ updateMetadata: false });
    const page = doc.addPage([pageSize.width, pageSize.height]);
    const embedded = await doc.embedPng(png);
    page.drawImage(embedded, { x: 0, y: 0, width: pageSize.width, height: pageSize.height });
    const pdf = await doc.save();
    const end = performance.now();
    if (i < 0) continue; // warm-up
    r.totalMs.push(end - start);
    r.parseMs.push(t0 - start);
    r.rasterMs.push(t1 - t0);
    r.encodeMs.push(t2 - t1);
    r.pdfMs.push(end - t2);
    r.pdfBytes.push(pdf.length);
  }
  return r;
}

/** A fontconfig setup that sees exactly the bundled font files (symlinked) and nothing else. */
function rsvgFontconfig(dir: string): NodeJS.ProcessEnv {
  const fontDir = join(dir, 'fonts');
  mkdirSync(fontDir);
  for (const [i, file] of resolveBundledFontPaths().entries())
    symlinkSync(file, join(fontDir, `${String(i).padStart(2, '0')}-${basename(file)}`));
  const conf = join(dir, 'fonts.conf');
  writeFileSync(
    conf,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${fontDir}</dir>\n  <cachedir>${join(dir, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  return { ...process.env, FONTCONFIG_FILE: conf };
}

function measureRsvgConvert(
  templateSvg: string,
  speakers: CertificateData[],
  dir: string,
  env: NodeJS.ProcessEnv,
): { ms: number[]; bytes: number[] } {
  const out: { ms: number[]; bytes: number[] } = { ms: [], bytes: [] };
  for (let i = -1; i < BASELINE_N; i++) {
    const data = speakers[Math.max(0, i) % speakers.length]!;
    const input = join(dir, `in-${i}.svg`);
    const output = join(dir, `out-${i}.pdf`);
    const start = performance.now();
    writeFileSync(input, fillTemplate(templateSvg, data));
    const r = spawnSync('rsvg-convert', ['-f', 'pdf', '-o', output, input], { env });
    const elapsed = performance.now() - start;
    if (r.status !== 0) throw new Error(`rsvg-convert failed: ${r.stderr.toString()}`);
    if (i < 0) continue; // warm-up (fontconfig cache)
    out.ms.push(elapsed);
    out.bytes.push(statSync(output).size);
  }
  return out;
}

// ---------------------------------------------------------------- main

interface FirstRenders {
  flags: string;
  initMs: number;
  first: number;
  /** Median over runs of the 2nd–6th certificates' mean. */
  secondToSixth: number;
  secondToSixthMax: number;
  steadyMedian: number;
}

/** First certificates of fresh processes against their steady state (child.mjs first-renders), 3 runs per V8 setting. */
function measureFirstRenders(flags: string[], png: boolean): FirstRenders {
  const classic = join(FUNCTIONS, 'templates', 'classic.svg');
  const runs = [0, 1, 2].map(() => {
    const child = spawnSync(process.execPath, [...flags, CHILD, 'first-renders', png ? 'png' : 'pdf', classic], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    if (child.status !== 0) throw new Error(`child.mjs first-renders ${flags.join(' ')} failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      initMs: number;
      first: number;
      secondToSixth: number[];
      steadyMedian: number;
    };
  });
  return {
    flags: (flags.join(' ') || '(defaults)') + (png ? ', PDF + PNG' : ', PDF only'),
    initMs: median(runs.map((r) => r.initMs)),
    first: median(runs.map((r) => r.first)),
    secondToSixth: median(runs.map((r) => mean(r.secondToSixth))),
    secondToSixthMax: Math.max(...runs.map((r) => Math.max(...r.secondToSixth))),
    steadyMedian: median(runs.map((r) => r.steadyMedian)),
  };
}

interface TemplateMemory {
  bundledCoreMiB: number;
  bundledPeakRssMB: number;
  worstTemplateKB: number;
  worstMs: number;
  worstCoreMiB: number;
  worstPeakRssMB: number;
  nextRenderMs: number;
  coreMiBAfterNext: number;
  restarts: number;
}

/** Memory under the template-safety limits (test/bench/template-memory.mjs, one fresh process). */
function templateMemory(): TemplateMemory {
  const child = spawnSync(process.execPath, [join(HERE, 'template-memory.mjs')], { encoding: 'utf8', cwd: ROOT });
  if (child.status !== 0) throw new Error(`template-memory.mjs failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as TemplateMemory;
}

interface EmulatorE2E {
  firstDeliveryMs: number;
  batchMs: number[];
  sequentialMs: number[];
  wallMs: number;
}

/** Speaker created → ready on the emulators (test/bench/e2e.ts under emulators/run.mjs). */
function measureEmulatorE2E(): EmulatorE2E | { error: string } {
  const dir = mkdtempSync(join(os.tmpdir(), 'certforge-e2e-'));
  const out = join(dir, 'e2e.json');
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    [join(ROOT, 'emulators', 'run.mjs'), 'exec', `tsx test/bench/e2e.ts ${out}`],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const wallMs = performance.now() - start;
  try {
    if (child.status !== 0 || !existsSync(out)) {
      return {
        error: `emulator run failed (exit ${child.status}): ${(child.stderr || child.stdout).split('\n').slice(-8).join(' ')}`,
      };
    }
    return { ...(JSON.parse(readFileSync(out, 'utf8')) as Omit<EmulatorE2E, 'wallMs'>), wallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ConsoleBench {
  seedMs: number;
  events: { interactiveMs: number; domContentLoadedMs: number; longTasksMs: number[] }[];
  people: {
    people: number;
    firstPageMs: number;
    moreMs: number[];
    shownRows: number;
    countText: string;
    longTasksMs: number[];
  };
  wallMs: number;
  initialJsGzipKB: number;
}

/** The initial JavaScript of the console (the scripts index.html loads), gzipped. */
function consoleInitialJsKB(): number {
  const dist = join(ROOT, 'console', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  let bytes = 0;
  for (const m of html.matchAll(/<script[^>]+src="\/([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g))
    bytes += gzipSync(readFileSync(join(dist, m[1] ?? m[2]!))).byteLength;
  return bytes / 1024;
}

/** The console in Chromium on the emulators (test/bench/console.ts under emulators/run.mjs). */
function measureConsole(): ConsoleBench | { error: string } {
  const dir = mkdtempSync(join(os.tmpdir(), 'certforge-console-'));
  const out = join(dir, 'console.json');
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    [join(ROOT, 'emulators', 'run.mjs'), 'exec', `tsx test/bench/console.ts ${out}`],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const wallMs = performance.now() - start;
  try {
    if (child.status !== 0 || !existsSync(out)) {
      return {
        error: `emulator run failed (exit ${child.status}): ${(child.stderr || child.stdout).split('\n').slice(-8).join(' ')}`,
      };
    }
    return {
      ...(JSON.parse(readFileSync(out, 'utf8')) as Omit<ConsoleBench, 'wallMs' | 'initialJsGzipKB'>),
      wallMs,
      initialJsGzipKB: consoleInitialJsKB(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The task queue's maxConcurrentDispatches on the emulator (functions/.env.demo-certforge). */
function emulatorTaskConcurrency(): number {
  const env = readFileSync(join(FUNCTIONS, '.env.demo-certforge'), 'utf8');
  return Number(/^CERTFORGE_TASK_MAX_CONCURRENT=(\d+)/m.exec(env)?.[1] ?? 48);
}

/** 1,000 speakers issued through issueEventCertificates on the emulators (test/bench/bulk-issuance.ts). */
function measureBulkRun(count: number): BulkRun | { error: string } {
  const dir = mkdtempSync(join(os.tmpdir(), 'certforge-bulk-'));
  const out = join(dir, 'bulk.json');
  const child = spawnSync(
    process.execPath,
    [join(ROOT, 'emulators', 'run.mjs'), 'exec', `tsx test/bench/bulk-issuance.ts ${out} ${count}`],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      env: { ...process.env, CERTFORGE_TASK_MAX_CONCURRENT_REPORTED: String(emulatorTaskConcurrency()) },
    },
  );
  try {
    if (child.status !== 0 || !existsSync(out)) {
      return {
        error: `emulator run failed (exit ${child.status}): ${(child.stderr || child.stdout).split('\n').slice(-8).join(' ')}`,
      };
    }
    return JSON.parse(readFileSync(out, 'utf8')) as BulkRun;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const info = machineInfo();
  const speakers = loadSpeakers();
  const files = Object.fromEntries(TEMPLATES.map((t) => [t, join(TEMPLATE_DIR, `${t}.svg`)])) as Record<
    TemplateName,
    string
  >;
  const notes: string[] = [];

  const libDir = join(FUNCTIONS, 'lib', 'render');
  if (!existsSync(join(libDir, 'index.js')))
    throw new Error('functions/lib is missing: run `npm --prefix functions run build` first');
  if (newestMtime(join(FUNCTIONS, 'src', 'render'), '.ts') > newestMtime(libDir, '.js')) {
    notes.push(
      'functions/lib/render is older than functions/src/render: the cold-start and RSS children ran the stale build.',
    );
    log('warning: functions/lib is older than functions/src; run `npm --prefix functions run build`');
  }

  // Children first, while this process holds no big state.
  const coldRuns = Object.fromEntries(TEMPLATES.map((t) => [t, [] as ColdResult[]])) as Record<
    TemplateName,
    ColdResult[]
  >;
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const t of TEMPLATES) {
      log(`cold start ${t} (fresh process ${i + 1}/${COLD_RUNS})`);
      coldRuns[t].push(coldRun(files[t]));
    }
  }
  const cold = Object.fromEntries(TEMPLATES.map((t) => [t, medianRun(coldRuns[t])])) as Record<
    TemplateName,
    ColdResult
  >;
  log('init breakdown (3 fresh processes)');
  const initParts = [0, 1, 2].map(() => runChild(['init-parts']).json as Record<string, number>);
  const initPart = (k: string): number => median(initParts.map((p) => p[k]!));
  log('peak RSS (init + 30 renders of every template, PNG on / PDF only)');
  const rssPng = runChild(['rss', 'png', ...TEMPLATES.map((t) => files[t])]).json as Record<string, number>;
  const rssPdf = runChild(['rss', 'pdf', ...TEMPLATES.map((t) => files[t])]).json as Record<string, number>;

  // Warm, in process. Compile everything, then warm up round-robin so that V8's wasm tier-up
  // and the JIT of pdf-lib do not favour whichever template is measured last.
  const renderer = await initRenderer();
  await initPreview();
  // The bench's own resvg-wasm (the reference full-page rasters, baseline a): the pipeline's
  // preview now keeps a copy of the binding of its own, which it can replace after a panic.
  await initWasm(readFileSync(join(FUNCTIONS, 'node_modules', '@resvg', 'resvg-wasm', 'index_bg.wasm')));
  const compileMs = {} as Record<TemplateName, number>;
  for (const t of TEMPLATES) {
    const start = performance.now();
    renderer.compileTemplate(readFileSync(files[t]));
    compileMs[t] = performance.now() - start;
  }
  log(`warm-up: ${WARMUP} renders per template, round-robin`);
  for (let i = 0; i < WARMUP; i++) {
    for (const t of TEMPLATES) {
      await renderer.renderCertificate(
        renderer.compileTemplate(readFileSync(files[t])),
        speakers[i % speakers.length]!,
        { png: i % 2 === 0 },
      );
    }
  }
  const svgs = Object.fromEntries(TEMPLATES.map((t) => [t, readFileSync(files[t])])) as unknown as Record<
    TemplateName,
    Uint8Array
  >;
  log(`Open Badges credentials: ${CREDENTIAL_N} signed and verified`);
  const credentials = await measureCredentials(speakers);
  const warm = await measureWarm(svgs, speakers, compileMs, credentials.json);
  log(`PDF signatures: ${SIGN_N} per template and level (test PKI on loopback)`);
  const signing = await measurePdfSigning(Object.fromEntries(TEMPLATES.map((t) => [t, warm[t].issuedPdf!])));
  const pdfa = await pdfaParts(
    (await renderer.renderCertificate(renderer.compileTemplate(svgs.simple), speakers[0]!, { png: false })).pdf,
  );

  // Baseline (a): resvg-wasm raster + pdf-lib (its binding was initialized after initPreview()).
  const fontBuffers = await loadBundledFonts();
  const rasterPrint = {} as Record<TemplateName, RasterResult | undefined>;
  const rasterPreview = {} as Record<TemplateName, RasterResult>;
  for (const t of TEMPLATES) {
    const svg = readFileSync(files[t], 'utf8');
    log(`baseline resvg-wasm + pdf-lib ${t} at ${RASTER_PREVIEW_WIDTH} px`);
    rasterPreview[t] = await measureRasterBaseline(
      svg,
      warm[t].pageSize,
      speakers,
      fontBuffers,
      RASTER_PREVIEW_WIDTH,
      BASELINE_N,
    );
    if (!QUICK) {
      log(`baseline resvg-wasm + pdf-lib ${t} at ${RASTER_PRINT_WIDTH} px`);
      rasterPrint[t] = await measureRasterBaseline(
        svg,
        warm[t].pageSize,
        speakers,
        fontBuffers,
        RASTER_PRINT_WIDTH,
        BASELINE_PRINT_N,
      );
    }
  }

  // Baseline (b): rsvg-convert.
  const hasRsvg = spawnSync('rsvg-convert', ['--version']).status === 0;
  const rsvg = {} as Record<TemplateName, { ms: number[]; bytes: number[] } | undefined>;
  if (hasRsvg) {
    const dir = mkdtempSync(join(os.tmpdir(), 'certforge-bench-'));
    try {
      const env = rsvgFontconfig(dir);
      for (const t of TEMPLATES) {
        log(`baseline rsvg-convert ${t}`);
        rsvg[t] = measureRsvgConvert(readFileSync(files[t], 'utf8'), speakers, dir, env);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // certforge's PDF for the names rsvg-convert rendered (the first BASELINE_N), for the size comparison.
  const sameNamesBytes = {} as Record<TemplateName, number[]>;
  for (const t of TEMPLATES) {
    const template = renderer.compileTemplate(readFileSync(files[t]));
    sameNamesBytes[t] = [];
    for (let i = 0; i < BASELINE_N; i++) {
      const out = await renderer.renderCertificate(template, speakers[i % speakers.length]!, { png: false });
      sameNamesBytes[t].push(out.pdf.length);
    }
  }

  log(`a batch of ${BATCH_N} through the CLI and through librsvg in process (simple template, 3 runs each)`);
  const batchDir = mkdtempSync(join(os.tmpdir(), 'certforge-bench-batch-'));
  const batch = (() => {
    try {
      return measureBatch(speakers, fillTemplate, rsvgFontconfig(batchDir));
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    } finally {
      rmSync(batchDir, { recursive: true, force: true });
    }
  })();
  const instance = await measureInstanceCost(log);
  const functionCold = instance.first;
  log('first renders of fresh processes (defaults, and eager optimised compilation), 3 processes each');
  const firstRenders = [
    measureFirstRenders([], true),
    measureFirstRenders([], false),
    measureFirstRenders(['--no-liftoff', '--no-wasm-lazy-compilation'], true),
  ];
  log('emulator end to end: 1 speaker, then 20 in one batch (starts the emulators, ~30 s)');
  const e2e =
    process.env.BENCH_SKIP_EMULATOR === '1' ? { error: 'skipped (BENCH_SKIP_EMULATOR=1)' } : measureEmulatorE2E();
  log(
    'organizer console in Chromium: the events page (7 loads), a people page of 10,000 (starts the emulators, ~1 min)',
  );
  const consoleBench =
    process.env.BENCH_SKIP_EMULATOR === '1' ? { error: 'skipped (BENCH_SKIP_EMULATOR=1)' } : measureConsole();
  const BULK_N = Number(process.env.BENCH_BULK_COUNT ?? 1000);
  log(
    `bulk issuance: ${BULK_N} speakers through issueEventCertificates on the tasks emulator (starts the emulators, a few minutes)`,
  );
  const bulk =
    process.env.BENCH_SKIP_EMULATOR === '1' ? { error: 'skipped (BENCH_SKIP_EMULATOR=1)' } : measureBulkRun(BULK_N);
  // Print bundle (test/bench/print-bundle.ts): 1,000 and 5,000 certificates, each run in a child process.
  log(
    'print bundle: 1,000 and 5,000 distinct certificates bundled in child processes (renders them first, a few minutes)',
  );
  const printBundle = await import('./print-bundle.js');
  const bundle =
    process.env.BENCH_SKIP_BUNDLE === '1'
      ? { error: 'skipped (BENCH_SKIP_BUNDLE=1)' }
      : await printBundle
          .measurePrintBundle()
          .catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));

  // ------------------------------------------------------------ report
  const lines: string[] = [];
  const p = (s = ''): void => {
    lines.push(s);
  };
  p('# certforge benchmark');
  p();
  p(
    `Run by \`npm run bench\` (test/bench/bench.ts). Warm: ${WARM} PDF-only and ${PNG_N} PDF+PNG renders per template (templates interleaved) after ${WARMUP}`,
  );
  p(
    'warm-up renders per template (round-robin), names of examples/speakers.json cycled (Latin, Greek, Cyrillic, Arabic, Hebrew,',
  );
  p(
    `CJK, mixed-direction, 64- and 120-character names). Cold: median of ${COLD_RUNS} fresh node processes. Baselines: ${BASELINE_N} renders`,
  );
  p(`(${BASELINE_PRINT_N} at ${RASTER_PRINT_WIDTH} px) after one warm-up, same names.`);
  p();
  p(
    '| template | PDF warm median | p90 | PNG median | cold | PDF KB | PNG KB | baseline raster PDF median | rsvg-convert median |',
  );
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const t of TEMPLATES) {
    const w = warm[t];
    const rp = rasterPrint[t];
    const rasterCell = rp
      ? `${ms(median(rp.totalMs))} ms (${RASTER_PRINT_WIDTH} px); ${ms(median(rasterPreview[t].totalMs))} ms (${RASTER_PREVIEW_WIDTH} px)`
      : `${ms(median(rasterPreview[t].totalMs))} ms (${RASTER_PREVIEW_WIDTH} px)`;
    const rs = rsvg[t];
    p(
      `| ${t} | ${ms(median(w.pdfMs))} ms | ${ms(percentile(w.pdfMs, 90))} ms | ${ms(median(w.pngMs))} ms | ${ms(cold[t].coldMs)} ms | ${kb(median(w.pdfBytes))} | ${kb(median(w.pngBytes))} | ${rasterCell} | ${rs ? `${ms(median(rs.ms))} ms` : 'n/a'} |`,
    );
  }
  p();
  p(
    'PDF warm = `renderCertificate(template, data, { png: false })` end to end (core + finishing, if any + sha256). PNG = the',
  );
  p(
    "pipeline's `timings.pngMs` at the default 1200 px, warm (the static artwork is rasterised once per template and width and",
  );
  p(
    'cached; each certificate rasterises its variable elements and composites them). Cold = fresh `node` process: import of functions/lib/render/index.js +',
  );
  p(
    "initRenderer() (fonts + wasm) + initPreview() (resvg-wasm) + compileTemplate() + first PDF render; node's own boot is not included",
  );
  p(
    '(see below). KB = 1000 bytes. Raster baseline = template filled by string replacement, resvg-wasm with all bundled fonts as',
  );
  p(
    '`font.fontBuffers`, PNG embedded in a pdf-lib page of the same size. rsvg-convert = one `rsvg-convert -f pdf` process per',
  );
  p(
    'certificate, **process spawn included**, filled SVG written to a temp file, fontconfig restricted to the bundled font files.',
  );
  p('Neither baseline fits, wraps or checks glyph coverage.');
  p();

  p('## Targets');
  p();
  p('| target | measured | |');
  p('|---|---:|---|');
  for (const t of TEMPLATES) {
    const m = median(warm[t].pdfMs);
    p(`| PDF warm median, ${t} ≤ ${TARGETS.warmPdfMs[t]} ms | ${ms(m)} ms | ${mark(m <= TARGETS.warmPdfMs[t])} |`);
  }
  for (const t of TEMPLATES)
    p(
      `| cold start, ${t} ≤ ${TARGETS.coldMs} ms | ${ms(cold[t].coldMs)} ms | ${mark(cold[t].coldMs <= TARGETS.coldMs)} |`,
    );
  p(
    `| peak RSS (init + 30 renders × 3 templates, with PNG) ≤ ${TARGETS.peakRssMB} MB | ${rssPng.maxRssMB!.toFixed(0)} MB | ${mark(rssPng.maxRssMB! <= TARGETS.peakRssMB)} |`,
  );
  const simpleKB = median(warm.simple.pdfBytes) / 1000;
  p(
    `| simple PDF ≤ ${TARGETS.simplePdfKB} KB | ${simpleKB.toFixed(1)} KB | ${mark(simpleKB <= TARGETS.simplePdfKB)} |`,
  );
  for (const t of TEMPLATES) {
    const rs = rsvg[t];
    if (!rs) continue;
    const ours = median(sameNamesBytes[t]) / 1000;
    const theirs = median(rs.bytes) / 1000;
    p(
      `| ${t} PDF ≤ rsvg-convert's (median, same ${BASELINE_N} names) | ${ours.toFixed(1)} KB vs ${theirs.toFixed(1)} KB | ${mark(ours <= theirs)} |`,
    );
  }
  for (const t of TEMPLATES) {
    const m = median(warm[t].pngMs);
    p(`| PNG preview median, ${t} ≤ ${TARGETS.pngMs} ms | ${ms(m)} ms | ${mark(m <= TARGETS.pngMs)} |`);
  }
  if (!('error' in consoleBench)) {
    const interactive = median(consoleBench.events.map((e) => e.interactiveMs));
    p(
      `| console: events page interactive ≤ ${TARGETS.consoleInteractiveMs} ms (median) | ${ms(interactive)} ms | ${mark(interactive <= TARGETS.consoleInteractiveMs)} |`,
    );
    p(
      `| console: initial JavaScript ≤ ${TARGETS.consoleJsGzipKB} KB gzipped | ${consoleBench.initialJsGzipKB.toFixed(1)} KB | ${mark(consoleBench.initialJsGzipKB <= TARGETS.consoleJsGzipKB)} |`,
    );
  }
  p();

  p('## Where the time goes');
  p();
  p('Warm, medians per render (ms):');
  p();
  p(
    '| template | PDF CPU time | core (wasm) | attachments to JSON | other (JSON, sha256) | full-page PNG: parse | rasterize | encode | preview SVG KB | compile (first, in-process) | warnings |',
  );
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const t of TEMPLATES) {
    const w = warm[t];
    const other = median(w.pdfMs.map((x, i) => x - w.coreMs[i]! - w.finishMs[i]!));
    p(
      `| ${t} | ${ms(median(w.pdfCpuMs))} | ${ms(median(w.coreMs))} | ${ms(median(w.finishMs))} | ${ms(other)} | ${ms(median(w.pngParseMs))} | ${ms(median(w.pngRasterMs))} | ${ms(median(w.pngEncodeMs))} | ${kb(median(w.svgBytes))} | ${ms(w.compileMs)} | ${[...w.warnings].join(', ') || '-'} |`,
    );
  }
  p();
  p(
    'PDF CPU time: `process.cpuUsage()` (user + system of all threads) over a PDF-only render; on a busy machine it is closer to',
  );
  p(
    'the undisturbed cost than wall time. core / attachments to JSON = `timings.coreMs` / `timings.finishMs` of the PDF-only',
  );
  p('renders (the core writes the whole PDF/A file; finish is serializing the attachments it embeds).');
  p(
    'Full-page PNG parse / rasterize / encode: for comparison with the layered preview, `new Resvg()`, `render()`, `asPng()` on',
  );
  p('the whole certificate (`result.svg`) at 1200 px, in one pass. "preview SVG KB" = `result.svg`.');
  p();
  p('Cold start, medians of the fresh-process runs (ms):');
  p();
  p(
    "| template | node boot | import | init (fonts + wasm + resvg) | compile | first PDF (core / finish) | cold total | next render's pngMs (incl. background raster) | process wall incl. exit |",
  );
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const t of TEMPLATES) {
    const c = cold[t];
    p(
      `| ${t} | ${ms(c.bootMs)} | ${ms(c.importMs)} | ${ms(c.initMs)} | ${ms(c.compileMs)} | ${ms(c.firstPdfMs)} (${ms(c.firstCoreMs)} / ${ms(c.firstFinishMs)}) | ${ms(c.coldMs)} | ${ms(c.firstPngMs)} | ${ms(c.wallMs)} |`,
    );
  }
  p();
  p(
    `Init split (median of 3 fresh processes): import ${ms(initPart('importMs'))}, wasm compile + instantiate ${ms(initPart('wasmCompileInstantiateMs'))}, ` +
      `add the ${initPart('fontCount')} fonts loaded at init (${initPart('fontMB').toFixed(1)} MB, read from disk + parsed by the core) ${ms(initPart('addFontsMs'))}, ` +
      `resvg-wasm init ${ms(initPart('initPreviewMs'))}` +
      (initPart('lazyFontCount') > 0
        ? `; the ${initPart('lazyFontCount')} font files loaded on first need (${initPart('lazyFontMB').toFixed(1)} MB: the script fonts, the CJK slices and the whole CJK fonts templates may name) take ${ms(initPart('lazyFontsMs'))} all at once (a name loads its own only).`
        : '.'),
  );
  p();
  p(
    `Memory: with PNG: RSS after init ${rssPng.rssAfterInitMB!.toFixed(0)} MB, peak ${rssPng.maxRssMB!.toFixed(0)} MB (external ${rssPng.externalMB!.toFixed(0)} MB, of which ArrayBuffers ${rssPng.arrayBuffersMB!.toFixed(0)} MB); ` +
      `PDF only: after init ${rssPdf.rssAfterInitMB!.toFixed(0)} MB, peak ${rssPdf.maxRssMB!.toFixed(0)} MB.`,
  );
  p();

  p('## Firebase: emulator end to end and function instance');
  p();
  if ('error' in e2e) {
    p(`Emulator end to end: not measured: ${e2e.error}`);
  } else {
    p(
      `Speaker created → certificate \`ready\` (PDF + PNG in Storage, written back), on the emulators started by emulators/run.mjs ` +
        `(${process.env.CERTFORGE_EMULATORS ?? 'auto'} mode; this machine: offline stand-in for Firestore), timed from the write's commit to a snapshot listener seeing \`ready\`:`,
    );
    p();
    p('| | median | p90 | max |');
    p('|---|---:|---:|---:|');
    p(
      `| 20 speakers, one at a time (each written when the previous is ready) | ${ms(median(e2e.sequentialMs))} ms | ${ms(percentile(e2e.sequentialMs, 90))} ms | ${ms(Math.max(...e2e.sequentialMs))} ms |`,
    );
    p(
      `| 20 speakers written in one batch (queued: one invocation at a time) | ${ms(median(e2e.batchMs))} ms | ${ms(percentile(e2e.batchMs, 90))} ms | ${ms(Math.max(...e2e.batchMs))} ms |`,
    );
    p(`| first speaker on fresh emulators (worker start + instance cold start) | ${ms(e2e.firstDeliveryMs)} ms | | |`);
    p();
    p(`Whole run including emulator start-up and shutdown: ${(e2e.wallMs / 1000).toFixed(1)} s.`);
  }

  p();
  p('### The organizer console (Chromium, emulators)');
  p();
  if ('error' in consoleBench) {
    p(`Console: not measured: ${consoleBench.error}`);
  } else {
    const c = consoleBench;
    const interactive = c.events.map((e) => e.interactiveMs);
    const dcl = c.events.map((e) => e.domContentLoadedMs);
    const longest = (tasks: number[]) => (tasks.length ? `${ms(Math.max(...tasks))} ms` : 'none');
    p(
      `Served by the Hosting emulator from console/dist (initial JavaScript ${c.initialJsGzipKB.toFixed(1)} KB gzipped), a signed-in tab, the browser's own clock (navigation start = 0):`,
    );
    p();
    p('| | median | max | long tasks (> 50 ms) |');
    p('|---|---:|---:|---|');
    p(`| events page (40 events): DOMContentLoaded | ${ms(median(dcl))} ms | ${ms(Math.max(...dcl))} ms | |`);
    p(
      `| events page: the list shown and usable (${c.events.length} loads) | ${ms(median(interactive))} ms | ${ms(Math.max(...interactive))} ms | longest ${longest(c.events.flatMap((e) => e.longTasksMs))} |`,
    );
    p(
      `| people page of ${c.people.people} participants: first 50 shown | ${ms(c.people.firstPageMs)} ms | | longest ${longest(c.people.longTasksMs)} |`,
    );
    p(
      `| "Show more" (50 more each, to ${c.people.shownRows} rows) | ${ms(median(c.people.moreMs))} ms | ${ms(Math.max(...c.people.moreMs))} ms | |`,
    );
    p();
    p(
      `The count line read "${c.people.countText.trim()}". Seeding (40 events, ${c.people.people} participants, background triggers off) took ${(c.seedMs / 1000).toFixed(1)} s; the whole run ${(c.wallMs / 1000).toFixed(1)} s.`,
    );
  }

  p();
  p('### Bulk issuance on Cloud Tasks (emulator)');
  p();
  if ('error' in bulk) {
    p(`Bulk issuance: not measured: ${bulk.error}`);
  } else {
    p(
      `${bulk.count} speakers (names of examples/speakers.json with a counter), issueEventCertificates({ force: true }) as an organizer;`,
    );
    p(
      'time from the call to `issuance.finishedAt` (every certificate rendered, stored, committed and counted). Speakers were seeded',
    );
    p(
      'with background triggers disabled so that every certificate goes through the task queue; the update trigger still fires on',
    );
    p(
      `every claim and commit. Task queue: maxConcurrentDispatches ${bulk.maxConcurrentDispatches} (functions/.env.demo-certforge).`,
    );
    p();
    p('| | Value |');
    p('|---|---|');
    p(`| call → all ready and counted | ${(bulk.totalMs / 1000).toFixed(1)} s |`);
    p(`| callable (list, enroll, enqueue ${bulk.count} tasks) | ${(bulk.enqueueMs / 1000).toFixed(1)} s |`);
    p(`| certificates per second | ${bulk.perSecond} |`);
    p(
      `| per second per instance (÷ concurrent dispatches; the emulator runs one invocation per worker) | ${bulk.perSecondPerInstance} |`,
    );
    p(
      `| counts on the event | total ${bulk.issuance.total}, ready ${bulk.issuance.ready}, failed ${bulk.issuance.failed}, skipped ${bulk.issuance.skipped} |`,
    );
    p(`| speakers ready in Firestore | ${bulk.readyInFirestore} |`);
    p(
      `| emulator workers (one per instance): most at once; peak RSS of one (the emulator's worker, no memory limit: V8 collects lazily) | ${bulk.workers}; ${bulk.workerPeakRssMB} MB |`,
    );
    const quarter = (f: number) => bulk.progress.find((x) => x.done >= bulk.count * f)?.ms;
    p(
      `| progress 25 / 50 / 75 / 100 % | ${[0.25, 0.5, 0.75, 1].map((f) => `${((quarter(f) ?? NaN) / 1000).toFixed(1)} s`).join(' / ')} |`,
    );
  }
  p();
  p();
  for (const line of reportInstanceCost(instance)) p(line);
  p();
  if ('error' in batch) p(`Batch of ${BATCH_N}: ${batch.error}`);
  else for (const line of reportBatch(batch)) p(line);
  p();
  p('| target | measured | |');
  p('|---|---:|---|');
  if (!('error' in e2e)) {
    const one = median(e2e.sequentialMs);
    const burst = median(e2e.batchMs);
    p(
      `| emulator end to end, 20 speakers one at a time, median ≤ ${TARGETS.e2eMedianMs} ms | ${ms(one)} ms (p90 ${ms(percentile(e2e.sequentialMs, 90))} ms) | ${mark(one <= TARGETS.e2eMedianMs)} |`,
    );
    p(
      `| emulator end to end, 20 speakers in one batch, median ≤ ${TARGETS.e2eMedianMs} ms | ${ms(burst)} ms (p90 ${ms(percentile(e2e.batchMs, 90))} ms) | ${mark(burst <= TARGETS.e2eMedianMs)} |`,
    );
  }
  if (!('error' in bulk)) {
    p(
      `| bulk issuance of ${bulk.count} on the tasks emulator ≤ ${TARGETS.bulk1000Ms / 1000} s | ${(bulk.totalMs / 1000).toFixed(1)} s (${bulk.perSecond}/s) | ${mark(bulk.totalMs <= TARGETS.bulk1000Ms && bulk.issuance.ready === bulk.count)} |`,
    );
  }
  const slowestCached = instance.loads.reduce((a, b) => (b.cachedMs > a.cachedMs ? b : a));
  p(
    `| every function's module load with its FUNCTION_TARGET ≤ ${TARGETS.instanceModuleMs} ms (compile cache as deployed) | slowest ${slowestCached.target} ${ms(slowestCached.cachedMs)} ms (floor of its trigger ${ms(instance.floors[slowestCached.kind].cachedMs)}) | ${mark(slowestCached.cachedMs <= TARGETS.instanceModuleMs)} |`,
  );
  p(
    `| issuing function: process start → first certificate (signed PDF) ≤ ${TARGETS.instanceFirstCertificateMs} ms | ${ms(functionCold.sinceProcessStartMs)} ms (floor with Firestore and Storage ${ms(instance.ioFloorMs)} ms + Node's boot) | ${mark(functionCold.sinceProcessStartMs <= TARGETS.instanceFirstCertificateMs)} |`,
  );
  p(
    `| render path peak RSS ≤ ${TARGETS.peakRssMB} MB over ${instance.memory.renders.toLocaleString('en')} renders, PNG requests included (256 MiB functions) | ${instance.memory.peakRssMB.toFixed(0)} MB (issuing instance, PDF only: ${functionCold.issuePeakRssMB.toFixed(0)} MB; floor with Firestore and Storage ${instance.ioFloorRssMB.toFixed(0)} MB) | ${mark(instance.memory.peakRssMB <= TARGETS.peakRssMB)} |`,
  );
  if (!('error' in batch)) {
    p(
      `| per certificate ≤ librsvg in a batch of ${BATCH_N} (CLI, simple template, same run) | ${ms(batch.certforge.perCertificateMs)} vs ${ms(batch.librsvg.perCertificateMs)} ms (process ÷ N: ${ms(batch.certforge.processPerCertificateMs)} vs ${ms(batch.librsvg.processPerCertificateMs)}) | ${mark(batch.certforge.perCertificateMs <= batch.librsvg.perCertificateMs)} |`,
    );
    // Goal 4 asks for each certificate, not a median: the batch has the same certificates from both sides.
    const bytes = compareBytes(batch);
    p(
      `| PDF bytes ≤ librsvg's for the same certificate (the batch's ${bytes.count}, simple template) | ${bytes.notLarger} of ${bytes.count} (all together ${bytes.oursKB.toFixed(0)} vs ${bytes.theirsKB.toFixed(0)} KB) | ${mark(bytes.notLarger === bytes.count)} |`,
    );
  }
  const defaults = firstRenders[0]!;
  const ratio = defaults.secondToSixth / defaults.steadyMedian;
  p(
    `| 2nd–6th certificates ≤ ${TARGETS.firstRendersRatio}× steady (classic, PDF + PNG, defaults) | ${ratio.toFixed(2)}× (${ms(defaults.secondToSixth)} / ${ms(defaults.steadyMedian)} ms) | ${mark(ratio <= TARGETS.firstRendersRatio)} |`,
  );
  const pdfOnly = firstRenders[1]!;
  const pdfRatio = pdfOnly.secondToSixth / pdfOnly.steadyMedian;
  p(
    `| 2nd–6th certificates ≤ ${TARGETS.firstRendersRatio}× steady (classic, PDF only, defaults) | ${pdfRatio.toFixed(2)}× (${ms(pdfOnly.secondToSixth)} / ${ms(pdfOnly.steadyMedian)} ms) | ${mark(pdfRatio <= TARGETS.firstRendersRatio)} |`,
  );
  p(
    `| issuing render CPU per certificate (PDF only, as issued: the preview comes on request; steady, both bundled templates) ≤ ${TARGETS.cpuPerCertificateMs} ms | ${ms(functionCold.issueCpuMs)} ms | ${mark(functionCold.issueCpuMs <= TARGETS.cpuPerCertificateMs)} |`,
  );
  p(
    `| a preview request's render CPU (PDF + PNG, steady; what issuing cost before) | ${ms(functionCold.steadyCpuMs)} ms | |`,
  );
  p();
  p(
    'First certificates of a fresh process (test/bench/child.mjs first-renders: classic template, 86 renders; medians of 3 processes, ms):',
  );
  p();
  p(
    '| V8 flags | init (import, wasm compile, fonts, resvg) | 1st | 2nd–6th (mean; max) | steady median (7th–86th) | 2nd–6th ÷ steady | init + 1st |',
  );
  p('|---|---:|---:|---:|---:|---:|---:|');
  for (const f of firstRenders) {
    p(
      `| ${f.flags} | ${ms(f.initMs)} | ${ms(f.first)} | ${ms(f.secondToSixth)}; ${ms(f.secondToSixthMax)} | ${ms(f.steadyMedian)} | ${(f.secondToSixth / f.steadyMedian).toFixed(2)}× | ${ms(f.initMs + f.first)} |`,
    );
  }
  p();
  p(
    'Eager optimised compilation (TurboFan for every function before the first call) removes the baseline-tier renders but',
  );
  p("compiles the whole module at init: the defaults stay, the instance's first certificate matters more.");
  p();
  p('## Capacity: 100,000 certificates in an hour (from the bulk run above; docs/capacity.md)');
  p();
  if ('error' in bulk) p(`Not measured: ${bulk.error}`);
  else for (const line of capacityModel(bulk)) p(line);
  p();
  p('## The bill');
  p();
  // Per certificate: the measured steady render CPU and wall (function-cold.mjs) at 1 vCPU, the instance memory setting;
  // 3 invocations (the task, and the speaker update trigger on claim and on commit); 1 Storage write (the PDF; the
  // PNG is written only when a preview is first asked for).
  const bill = (n: number, seconds: number, gib: number, invocations: number, writes: number) => {
    const vcpuS = n * seconds;
    const gibS = vcpuS * gib;
    const usd =
      vcpuS * PRICES.vcpuSecond +
      gibS * PRICES.gibSecond +
      ((n * invocations) / 1e6) * PRICES.perMillionInvocations +
      ((n * writes) / 1e4) * PRICES.storageClassAPer10k;
    return { vcpuS, gibS, inv: n * invocations, writes: n * writes, usd };
  };
  // CPU can exceed wall time (GC and V8's compiler threads): bill the larger, at 1 vCPU.
  const perCertificateMs = Math.max(functionCold.issueCpuMs, functionCold.issueWallMs);
  const renderS = perCertificateMs / 1000;
  const rows: Array<[string, number, number, number, number]> = [
    [
      `certforge, 256 MiB (the issuing functions' setting), ${ms(perCertificateMs)} ms per certificate`,
      renderS,
      0.25,
      3,
      1,
    ],
    [`certforge, 512 MiB (the setting before), ${ms(perCertificateMs)} ms`, renderS, 0.5, 3, 1],
    ['Chromium (Puppeteer) function, 1 GiB, 1 s per PDF', 1, 1, 1, 1],
    ['Chromium (Puppeteer) function, 2 GiB, 1 s per PDF', 1, 2, 1, 1],
  ];
  p('| function | certificates | vCPU-s | GiB-s | invocations | Storage writes | USD |');
  p('|---|---:|---:|---:|---:|---:|---:|');
  for (const [label, seconds, gib, invocations, writes] of rows) {
    for (const n of [1000, 100_000]) {
      const b = bill(n, seconds, gib, invocations, writes);
      p(
        `| ${label} | ${n.toLocaleString('en')} | ${b.vcpuS.toFixed(0)} | ${b.gibS.toFixed(0)} | ${b.inv.toLocaleString('en')} | ${b.writes.toLocaleString('en')} | ${b.usd.toFixed(2)} |`,
      );
    }
  }
  p();
  p(
    `Prices: Cloud Run functions request-based billing, Tier 1, $${PRICES.vcpuSecond}/vCPU-s, $${PRICES.gibSecond}/GiB-s, $${PRICES.perMillionInvocations}/million invocations,`,
  );
  p(
    `Cloud Storage Class A $${PRICES.storageClassAPer10k}/10,000 writes; before the monthly free tier (180,000 vCPU-s, 360,000 GiB-s, 2 million invocations).`,
  );
  p(
    `certforge's time is the larger of the steady issuing render CPU (${ms(functionCold.issueCpuMs)} ms) and wall time (${ms(functionCold.issueWallMs)} ms) per certificate, PDF only (previews on request), both`,
  );
  p(
    'bundled templates, 24 example names), one request at a time; Firestore claim/commit and Storage upload latency come on top',
  );
  p(
    "(billed as instance time while the request waits) and are not in this figure. The Chromium rows are the issue's reference (1–2 GiB, ~1 s per PDF).",
  );
  p();

  p('## PDF/A-3b and Open Badges credentials (what they add to a certificate)');
  p();
  p(
    `Every PDF is PDF/A-3b. What that adds to every file: the XMP metadata stream ${pdfa.xmp} B and the sRGB output intent profile`,
  );
  p(
    `${pdfa.icc} B (compressed). Open Badges: ${CREDENTIAL_N} credentials signed and verified in process with the real libraries`,
  );
  p(
    '(`@digitalbazaar/vc`, `data-integrity`, `eddsa-rdfc-2022-cryptosuite`; the issuer profile, key and status list from memory);',
  );
  p('medians:');
  p();
  p('| | ms |');
  p('|---|---:|');
  p(`| sign one credential (RDFC-1.0 canonicalization + Ed25519) | ${ms(median(credentials.signMs))} |`);
  p(
    `| verify one credential (signature, key in the issuer profile, status list) | ${ms(median(credentials.verifyMs))} |`,
  );
  p(`| sign a status list credential (131,072 bits, gzip) | ${ms(median(credentials.statusListSignMs))} |`);
  p();
  p(
    `The signed credential is ${kb(credentials.credentialBytes)} KB of JSON. PDF-only renders, ${ATTACH_N} per template, medians:`,
  );
  p();
  p(
    '| template | bare PDF/A (no attachment) | + certificate.json (the default) | as issued: + credential.json | bytes bare → default → issued (KB) |',
  );
  p('|---|---:|---:|---:|---:|');
  for (const t of TEMPLATES) {
    const w = warm[t];
    p(
      `| ${t} | ${ms(median(w.bareMs))} ms | ${ms(median(w.pdfMs))} ms | ${ms(median(w.issuedMs))} ms | ${kb(median(w.bareBytes))} → ${kb(median(w.pdfBytes))} → ${kb(median(w.issuedBytes))} |`,
    );
  }
  p();
  p(
    '"+ certificate.json" is the warm PDF of the tables above. The issuing path adds, per certificate, one signature (above) and one',
  );
  p('Firestore create (the status list position), both measured end to end in "Firebase" below.');
  p();
  reportPdfSigning(signing, p);
  p('## Baselines');
  p();
  p(
    '| template | raster PDF 1200 px: total (parse / rasterize / PNG encode / pdf-lib) | PDF KB | raster PDF 3508 px: total (parse / rasterize / encode / pdf-lib) | PDF KB | rsvg-convert median (spawn incl.) | PDF KB |',
  );
  p('|---|---:|---:|---:|---:|---:|---:|');
  for (const t of TEMPLATES) {
    const a = rasterPreview[t];
    const b = rasterPrint[t];
    const c = rsvg[t];
    const split = (r: RasterResult): string =>
      `${ms(median(r.totalMs))} (${ms(median(r.parseMs))} / ${ms(median(r.rasterMs))} / ${ms(median(r.encodeMs))} / ${ms(median(r.pdfMs))})`;
    p(
      `| ${t} | ${split(a)} | ${kb(median(a.pdfBytes))} | ${b ? split(b) : 'skipped'} | ${b ? kb(median(b.pdfBytes)) : '-'} | ${c ? ms(median(c.ms)) : 'n/a'} | ${c ? kb(median(c.bytes)) : '-'} |`,
    );
  }
  p();
  p(
    '"parse" = string fill + `new Resvg()` with all bundled fonts: resvg-wasm 2.6.2 has no persistent font database, it copies',
  );
  p(
    '`fontBuffers` into a new one on every `new Resvg`. pdf-lib = `embedPng` (decodes the PNG, re-deflates it) + `save()`.',
  );
  p();

  const safety = templateMemory();
  p('## Template safety: memory (test/bench/template-memory.mjs)');
  p();
  p('One fresh process, the limits of docs/security.md in force (core memory maximum 384 MiB).');
  p();
  p('| case | core (wasm) memory | process peak RSS | time |');
  p('|---|---:|---:|---:|');
  p(
    `| bundled templates with PNG, Latin and CJK names (12 renders) | ${safety.bundledCoreMiB.toFixed(0)} MiB | ${safety.bundledPeakRssMB.toFixed(0)} MB | |`,
  );
  p(
    `| worst accepted input tried: 16 MP + 7.8 MP full-page PNGs, one at 50 % opacity (${safety.worstTemplateKB.toFixed(0)} KB template), with PNG | ${safety.worstCoreMiB.toFixed(0)} MiB | ${safety.worstPeakRssMB.toFixed(0)} MB | ${safety.worstMs.toFixed(0)} ms |`,
  );
  p(
    `| the next render (classic); the core is replaced only above 192 MiB (restarts: ${safety.restarts}) | ${safety.coreMiBAfterNext.toFixed(0)} MiB | | ${safety.nextRenderMs.toFixed(0)} ms |`,
  );
  p();

  if ('error' in bundle) {
    p('## Print bundle (buildPrintBundle)');
    p();
    p(`Not measured: ${bundle.error}`);
  } else {
    for (const line of printBundle.printBundleSection(bundle)) p(line);
  }
  p();

  p('## Machine');
  p();
  for (const [k, v] of Object.entries(info)) p(`- ${k}: ${v}`);
  p(
    `- load average at end: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  if (notes.length) {
    p();
    p('## Notes');
    p();
    for (const n of notes) p(`- ${n}`);
  }

  const report = `${lines.join('\n')}\n`;
  process.stdout.write(report);
  writeFileSync(join(HERE, 'last-run.md'), report);
  log('wrote test/bench/last-run.md');
}

await main();
