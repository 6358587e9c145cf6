/**
 * Print bundle benchmark: time, peak RSS and size of buildPrintBundle's work for N distinct
 * certificates (default N = 1,000 and 5,000), without the emulators.
 *
 *   npx tsx test/bench/print-bundle.ts            # alone (prints a Markdown section)
 *   BENCH_BUNDLE_N=200,1000 npx tsx test/bench/print-bundle.ts
 *
 * test/bench/bench.ts imports measurePrintBundle() and printBundleSection().
 *
 * 1. Renders max(N) distinct certificates once with the pipeline (the classic template, or
 *    BENCH_BUNDLE_TEMPLATE=test/bench/templates/rich.svg; the names of examples/speakers.json
 *    with a counter: "Jürgen Groß 417"), PDF only, into a cache directory under the OS temp
 *    dir (reused while the template, the wasm and max(N) are the same).
 * 2. For each N, a CHILD process (so that its RSS is its own) runs buildBundle, the callable's
 *    code path (functions/lib/bundle, compiled: `npm run build:ts` first), over a local-
 *    directory ObjectStore: certificates read from the cache, the bundle streamed to a file.
 *    The child samples process.memoryUsage() every 25 ms and reports its own peak RSS
 *    (peak-rss.mjs: VmHWM, not ru_maxrss, which starts at the bench process's); /usr/bin/time -v,
 *    when present, reports its maximum resident set size too.
 * 3. A baseline child loads the same modules and does nothing: its RSS is the floor.
 * 4. The output is checked: qpdf --check, page count (pdfinfo), the first and last pages'
 *    names (pdftotext), bookmarks (qpdf --json).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as BuildBundleModule from '../../functions/src/bundle/build-bundle.js';
import type * as EntriesModule from '../../functions/src/bundle/entries.js';
import type { ObjectStore } from '../../functions/src/shared/object-store.js';
import { peakRssMB } from './peak-rss.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const FUNCTIONS = join(ROOT, 'functions');
const LIB_BUNDLE = join(FUNCTIONS, 'lib', 'bundle');
const SELF = fileURLToPath(import.meta.url);
/** BENCH_BUNDLE_TEMPLATE=<path to an SVG>: another template (default: the bundled classic). */
const TEMPLATE = process.env.BENCH_BUNDLE_TEMPLATE
  ? join(ROOT, process.env.BENCH_BUNDLE_TEMPLATE)
  : join(FUNCTIONS, 'templates', 'classic.svg');
const TEMPLATE_NAME = basename(TEMPLATE, '.svg');
const SAMPLE_MS = 25;

export interface BundleRun {
  n: number;
  ms: number;
  /** CPU time of the child during the bundle (user + system, all threads). */
  cpuMs: number;
  /** ru_maxrss of the child, MB (2^20 bytes). */
  peakRssMB: number;
  /** Highest sampled process.memoryUsage().rss, MB. */
  sampledPeakRssMB: number;
  /** Highest sampled heapUsed and arrayBuffers, MB. */
  peakHeapMB: number;
  peakArrayBuffersMB: number;
  /** /usr/bin/time -v "Maximum resident set size", MB, when available. */
  timePeakRssMB?: number;
  bytes: number;
  pages: number;
  objects: number;
  sharedReuses: number;
  inputBytes: number;
  checks: string;
}

export interface PrintBundleBench {
  runs: BundleRun[];
  baselineRssMB: number;
  renderMs: number;
  renderedFresh: boolean;
  certificateKB: number;
  cacheDir: string;
}

function log(message: string): void {
  process.stderr.write(`[bench:bundle] ${message}\n`);
}

// ---------------------------------------------------------------- the child

/** Only what buildBundle uses: download from a directory, stream the upload into another. */
function localDirStore(sourceDir: string, outDir: string): ObjectStore {
  const unsupported = () => {
    throw new Error('not used by the bundle bench');
  };
  return {
    bucketName: 'local',
    upload: unsupported,
    async download(path) {
      return new Uint8Array(await readFile(join(sourceDir, path)));
    },
    uploadStream(path, options) {
      const file = join(outDir, path);
      mkdirSync(dirname(file), { recursive: true });
      const out = createWriteStream(file);
      return new Writable({
        write(chunk: Buffer, _encoding, callback) {
          if (out.write(chunk)) callback();
          else out.once('drain', () => callback());
        },
        final(callback) {
          out.end(() => {
            writeFileSync(
              `${file}.metadata.json`,
              JSON.stringify({ ...options.metadata, ...options.finalMetadata?.() }),
            );
            callback();
          });
        },
        destroy(error, callback) {
          out.destroy();
          callback(error);
        },
      });
    },
    generation: unsupported,
    customMetadata: unsupported,
    rotateDownloadToken: unsupported,
    list: unsupported,
    remove: unsupported,
    downloadUrl: unsupported,
  };
}

async function child(mode: 'run' | 'baseline', cacheDir: string, n: number, outDir: string): Promise<void> {
  const peak = { rss: 0, heap: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const { buildBundle } = (await import(
    pathToFileURL(join(LIB_BUNDLE, 'build-bundle.js')).href
  )) as typeof BuildBundleModule;
  const { sortEntries } = (await import(pathToFileURL(join(LIB_BUNDLE, 'entries.js')).href)) as typeof EntriesModule;
  let result: Record<string, unknown> = {};
  if (mode === 'run') {
    const manifest = JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8')) as { names: string[] };
    const entries = sortEntries(
      manifest.names
        .slice(0, n)
        .map((name, i) => ({ speakerId: `s${String(i).padStart(5, '0')}`, name, pdfPath: `${i}.pdf` })),
      'en',
    );
    const start = performance.now();
    const cpu = process.cpuUsage();
    const built = await buildBundle(localDirStore(cacheDir, outDir), {
      eventId: 'bench',
      entries,
      title: 'Bench bundle',
      language: 'en',
    });
    const used = process.cpuUsage(cpu);
    result = {
      ms: performance.now() - start,
      cpuMs: (used.user + used.system) / 1000,
      path: join(outDir, built.path),
      bytes: built.bytes,
      pages: built.pages,
      objects: built.objects,
      sharedReuses: built.sharedReuses,
      inputBytes: built.inputBytes,
      first: entries[0]!.name,
      last: entries[entries.length - 1]!.name,
    };
  } else {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  sample();
  clearInterval(timer);
  const mb = (bytes: number) => bytes / 2 ** 20;
  process.stdout.write(
    `${JSON.stringify({ ...result, peakRssMB: peakRssMB(), sampledPeakRssMB: mb(peak.rss), peakHeapMB: mb(peak.heap), peakArrayBuffersMB: mb(peak.arrayBuffers) })}\n`,
  );
}

// ---------------------------------------------------------------- the parent

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Renders `count` distinct certificates into the cache directory (or reuses it). */
async function prepare(
  count: number,
): Promise<{ cacheDir: string; renderMs: number; fresh: boolean; certificateKB: number }> {
  const wasm = join(FUNCTIONS, 'wasm', 'certforge_core.wasm');
  const key = createHash('sha256')
    .update(sha256File(TEMPLATE))
    .update(existsSync(wasm) ? sha256File(wasm) : 'no-wasm')
    .update(String(count))
    .digest('hex')
    .slice(0, 12);
  const cacheDir = join(os.tmpdir(), `certforge-bundle-bench-${key}`);
  const manifestPath = join(cacheDir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      renderMs: number;
      bytes: number;
      names: string[];
    };
    log(`reusing ${count} rendered certificates in ${cacheDir}`);
    return { cacheDir, renderMs: manifest.renderMs, fresh: false, certificateKB: manifest.bytes / count / 1000 };
  }
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  const { initRenderer } = await import('../../functions/src/render/index.js');
  const examples = JSON.parse(readFileSync(join(ROOT, 'examples', 'speakers.json'), 'utf8')) as {
    event: Record<string, unknown>;
    signatories: unknown[];
    speakers: Array<{ name: string; talk?: { title?: string } }>;
  };
  const renderer = await initRenderer();
  const template = renderer.compileTemplate(readFileSync(TEMPLATE));
  const names: string[] = [];
  let bytes = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const base = examples.speakers[i % examples.speakers.length]!;
    const name = `${base.name} ${i + 1}`;
    const id = `BUNDLE${String(i).padStart(6, '0')}`;
    const out = await renderer.renderCertificate(
      template,
      {
        name,
        talk: base.talk ?? { title: 'Serverless PDF Rendering at Scale' },
        event: examples.event,
        signatories: examples.signatories,
        certificate: { id, url: `https://verify.certforge.dev/c/${id}` },
      },
      { png: false },
    );
    writeFileSync(join(cacheDir, `${i}.pdf`), out.pdf);
    names.push(name);
    bytes += out.pdf.byteLength;
    if ((i + 1) % 500 === 0) log(`rendered ${i + 1}/${count}`);
  }
  const renderMs = performance.now() - start;
  writeFileSync(manifestPath, JSON.stringify({ renderMs, bytes, names }));
  return { cacheDir, renderMs, fresh: true, certificateKB: bytes / count / 1000 };
}

function spawnChild(args: string[]): { json: Record<string, number | string>; timePeakRssMB?: number } {
  const command = [process.execPath, '--import', 'tsx', SELF, ...args];
  const useTime = existsSync('/usr/bin/time');
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-v', ...command], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(command[0]!, command.slice(1), { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`bundle bench child ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
  return {
    json: JSON.parse(line) as Record<string, number | string>,
    ...(kb ? { timePeakRssMB: Number(kb) / 1024 } : {}),
  };
}

function tool(bin: string, args: string[]): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.error) return `(${bin} not available)`;
  if (r.status !== 0 && !(bin === 'qpdf' && r.status === 3))
    throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** The structural checks of a bundle file; throws when one fails. */
function checkBundle(path: string, pages: number, first: string, last: string): string {
  const squash = (s: string) => s.replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069\s]/gu, '').normalize('NFC');
  const checks: string[] = [];
  if (!/No syntax or stream encoding errors/.test(tool('qpdf', ['--check', path])))
    throw new Error(`qpdf --check failed on ${path}`);
  checks.push('qpdf --check');
  const info = tool('pdfinfo', [path]);
  if (!new RegExp(`^Pages:\\s+${pages}$`, 'm').test(info)) throw new Error(`pdfinfo: not ${pages} pages`);
  checks.push(`pdfinfo ${pages} pages`);
  for (const [page, name] of [
    [1, first],
    [pages, last],
  ] as const) {
    const text = squash(tool('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), path, '-']));
    for (const word of name.normalize('NFC').split(/\s+/u))
      if (!text.includes(word)) throw new Error(`page ${page} lacks "${word}" of ${name}`);
  }
  checks.push('first/last names (pdftotext)');
  const outline = JSON.parse(tool('qpdf', ['--json', '--json-key=outlines', path])) as {
    outlines: { title: string }[];
  };
  if (outline.outlines.length !== pages || outline.outlines[0]?.title !== first)
    throw new Error('bookmarks missing or out of order');
  checks.push(`${pages} bookmarks`);
  return checks.join(', ');
}

export async function measurePrintBundle(
  counts = (process.env.BENCH_BUNDLE_N ?? '1000,5000').split(',').map(Number),
): Promise<PrintBundleBench> {
  const libFile = join(LIB_BUNDLE, 'build-bundle.js');
  if (!existsSync(libFile)) throw new Error('functions/lib/bundle is missing: run `npm run build:ts` first');
  if (statSync(libFile).mtimeMs < statSync(join(FUNCTIONS, 'src', 'bundle', 'pdf-bundle.ts')).mtimeMs) {
    log('warning: functions/lib/bundle is older than functions/src/bundle; run `npm run build:ts`');
  }
  const max = Math.max(...counts);
  log(`preparing ${max} distinct certificates (${TEMPLATE_NAME} template, PDF only)`);
  const prepared = await prepare(max);
  const outRoot = mkdtempSync(join(os.tmpdir(), 'certforge-bundle-out-'));
  try {
    log('baseline child (same modules loaded, no work)');
    const baseline = spawnChild(['--child', 'baseline', prepared.cacheDir, '0', outRoot]);
    const runs: BundleRun[] = [];
    for (const n of counts) {
      log(`bundle of ${n} in a child process`);
      const { json, timePeakRssMB } = spawnChild(['--child', 'run', prepared.cacheDir, String(n), outRoot]);
      const path = String(json.path);
      log(`checking the ${n}-certificate bundle (${(Number(json.bytes) / 1e6).toFixed(1)} MB)`);
      const checks = checkBundle(path, Number(json.pages), String(json.first), String(json.last));
      rmSync(path, { force: true });
      runs.push({
        n,
        ms: Number(json.ms),
        cpuMs: Number(json.cpuMs),
        peakRssMB: Number(json.peakRssMB),
        sampledPeakRssMB: Number(json.sampledPeakRssMB),
        peakHeapMB: Number(json.peakHeapMB),
        peakArrayBuffersMB: Number(json.peakArrayBuffersMB),
        ...(timePeakRssMB ? { timePeakRssMB } : {}),
        bytes: Number(json.bytes),
        pages: Number(json.pages),
        objects: Number(json.objects),
        sharedReuses: Number(json.sharedReuses),
        inputBytes: Number(json.inputBytes),
        checks,
      });
      log(
        `${n}: ${(Number(json.ms) / 1000).toFixed(1)} s (CPU ${(Number(json.cpuMs) / 1000).toFixed(1)} s), peak RSS ${Number(json.peakRssMB).toFixed(0)} MB, ${(Number(json.bytes) / 1e6).toFixed(1)} MB`,
      );
    }
    return {
      runs,
      baselineRssMB: Number(baseline.json.peakRssMB),
      renderMs: prepared.renderMs,
      renderedFresh: prepared.fresh,
      certificateKB: prepared.certificateKB,
      cacheDir: prepared.cacheDir,
    };
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}

/** The Markdown section for the bench report. */
export function printBundleSection(result: PrintBundleBench): string[] {
  const lines: string[] = [];
  const p = (s = '') => lines.push(s);
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  p('## Print bundle (buildPrintBundle)');
  p();
  p(
    `N distinct certificates (${TEMPLATE_NAME} template, ${result.certificateKB.toFixed(1)} KB each on average, rendered once beforehand in ` +
      `${(result.renderMs / 1000).toFixed(0)} s${result.renderedFresh ? '' : ', cached from an earlier run'}), bundled by \`buildBundle\` ` +
      "(functions/lib, the callable's code path) in a child process over a local-directory ObjectStore; sorted by name, one bookmark each.",
  );
  p();
  p(
    '| N | time | CPU time | per certificate (CPU) | peak RSS (ru_maxrss) | /usr/bin/time max RSS | peak heap used | peak ArrayBuffers | bundle MB | input MB | pages | objects | shared reuses |',
  );
  p('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of result.runs) {
    p(
      `| ${r.n} | ${(r.ms / 1000).toFixed(1)} s | ${(r.cpuMs / 1000).toFixed(1)} s | ${(r.cpuMs / r.n).toFixed(1)} ms | ${r.peakRssMB.toFixed(0)} MB | ${r.timePeakRssMB ? `${r.timePeakRssMB.toFixed(0)} MB` : 'n/a'} | ` +
        `${r.peakHeapMB.toFixed(0)} MB | ${r.peakArrayBuffersMB.toFixed(0)} MB | ${mb(r.bytes)} | ${mb(r.inputBytes)} | ${r.pages} | ${r.objects} | ${r.sharedReuses} |`,
    );
  }
  p();
  p(
    `Baseline: the same child loading the same modules and doing nothing peaks at ${result.baselineRssMB.toFixed(0)} MB (tsx loader included, as in the runs). ` +
      'Checked on every output: ' +
      (result.runs[0]?.checks ?? '-') +
      '.',
  );
  return lines;
}

// ---------------------------------------------------------------- entry points

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  await child(argv[1] as 'run' | 'baseline', argv[2]!, Number(argv[3]), argv[4]!);
} else if (process.argv[1] && fileURLToPath(pathToFileURL(process.argv[1])) === SELF) {
  const result = await measurePrintBundle();
  process.stdout.write(`${printBundleSection(result).join('\n')}\n`);
}
