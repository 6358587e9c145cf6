/**
 * A batch of 120 certificates through the CLI against librsvg in process, in the same run (issue
 * 24, goal 5): the simple template, the example names cycled, the same fonts (fontconfig sees the
 * bundled font files only).
 *
 * - certforge: `node functions/lib/cli/render.js --template simple.svg --data rows.json --out dir`,
 *   a fresh process each time; its per-row times (render + write, 0.1 ms) and the whole process;
 * - librsvg: test/bench/librsvg-batch.py on Debian's Python (librsvg's GObject binding + cairo's
 *   PDF surface), the same certificates filled beforehand by string replacement (the fill is free
 *   for librsvg); its per-file times (read, parse, render, write) and the whole process.
 *
 * Three runs of each, alternated; medians.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { CertificateData } from '../../functions/src/render/index.js';
import { mean, median, ms } from './figures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
export const BATCH_N = 120;
const RUNS = 3;
const SYSTEM_PYTHON = '/usr/bin/python3';

export interface BatchSide {
  /** Sum of the per-certificate times ÷ N (render + write, no process start or init). */
  perCertificateMs: number;
  /** Median of the per-certificate times. */
  medianMs: number;
  /** Mean of the first 20 and of the last 20. */
  first20Ms: number;
  last20Ms: number;
  /** The whole process (start, init, N certificates, exit) ÷ N. */
  processPerCertificateMs: number;
  processMs: number;
  pdfBytesMedian: number;
  /** Each certificate's PDF bytes, in row order. */
  pdfBytes: number[];
}

export interface Batch {
  certforge: BatchSide;
  librsvg: BatchSide & { version: string };
}

function side(perCert: number[], processMs: number, bytes: number[]): BatchSide {
  return {
    perCertificateMs: mean(perCert),
    medianMs: median(perCert),
    first20Ms: mean(perCert.slice(0, 20)),
    last20Ms: mean(perCert.slice(-20)),
    processPerCertificateMs: processMs / perCert.length,
    processMs,
    pdfBytesMedian: median(bytes),
    pdfBytes: bytes,
  };
}

/** The median run of each side (by its per-certificate time). */
function medianRun<T extends BatchSide>(runs: T[]): T {
  return [...runs].sort((a, b) => a.perCertificateMs - b.perCertificateMs)[Math.floor(runs.length / 2)]!;
}

export function measureBatch(
  speakers: CertificateData[],
  fill: (svg: string, data: CertificateData) => string,
  fontEnv: NodeJS.ProcessEnv,
): Batch {
  const dir = mkdtempSync(join(os.tmpdir(), 'certforge-batch-'));
  try {
    const template = join(HERE, 'templates', 'simple.svg');
    const svg = readFileSync(template, 'utf8');
    const rows = Array.from({ length: BATCH_N }, (_, i) => speakers[i % speakers.length]!);
    // certforge: the rows as the CLI reads them (each with its own certificate id and URL).
    const first = rows[0]!;
    writeFileSync(
      join(dir, 'rows.json'),
      JSON.stringify({
        event: first.event,
        signatories: first.signatories,
        speakers: rows.map((row, i) => ({ ...row, id: `b${i}`, event: undefined, signatories: undefined })),
      }),
    );
    // librsvg: the same certificates filled beforehand.
    mkdirSync(join(dir, 'svg'));
    rows.forEach((row, i) => writeFileSync(join(dir, 'svg', `${String(i).padStart(3, '0')}.svg`), fill(svg, row)));
    const ours: BatchSide[] = [];
    const theirs: Array<BatchSide & { version: string }> = [];
    for (let run = 0; run < RUNS; run++) {
      const out = join(dir, `out-certforge-${run}`);
      let start = performance.now();
      const cli = spawnSync(
        process.execPath,
        [
          join(ROOT, 'functions', 'lib', 'cli', 'render.js'),
          '--template',
          template,
          '--data',
          join(dir, 'rows.json'),
          '--out',
          out,
        ],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
      );
      const cliMs = performance.now() - start;
      if (cli.status !== 0) throw new Error(`the CLI failed: ${cli.stderr.slice(-1000)}`);
      // The summary table: row, name, status, pdf bytes, ms (right-aligned numbers).
      const table = cli.stdout
        .split('\n')
        .map((line) => /^\s*(\d+)\s.*\s(\d+)\s+([\d.]+)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null);
      if (table.length !== BATCH_N) throw new Error(`the CLI's summary has ${table.length} rows, not ${BATCH_N}`);
      ours.push(
        side(
          table.map((m) => Number(m[3])),
          cliMs,
          table.map((m) => Number(m[2])),
        ),
      );

      const pdfs = join(dir, `out-librsvg-${run}`);
      mkdirSync(pdfs);
      start = performance.now();
      const py = spawnSync(SYSTEM_PYTHON, [join(HERE, 'librsvg-batch.py'), join(dir, 'svg'), pdfs], {
        encoding: 'utf8',
        env: fontEnv,
      });
      const pyMs = performance.now() - start;
      if (py.status !== 0) throw new Error(`librsvg-batch.py failed: ${py.stderr.slice(-1000)}`);
      const result = JSON.parse(py.stdout.trim().split('\n').pop()!) as {
        librsvg: string;
        perFileMs: number[];
        bytes: number[];
      };
      theirs.push({ ...side(result.perFileMs, pyMs, result.bytes), version: result.librsvg });
    }
    return { certforge: medianRun(ours), librsvg: medianRun(theirs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same certificate's PDF from each side, row by row (both sides write the rows in order):
 * how many of certforge's are no larger than librsvg's, and the sums.
 */
export function compareBytes(batch: Batch): { notLarger: number; count: number; oursKB: number; theirsKB: number } {
  const ours = batch.certforge.pdfBytes;
  const theirs = batch.librsvg.pdfBytes;
  const count = Math.min(ours.length, theirs.length);
  let notLarger = 0;
  for (let i = 0; i < count; i++) if (ours[i]! <= theirs[i]!) notLarger++;
  const sum = (values: number[]) => values.slice(0, count).reduce((a, b) => a + b, 0) / 1000;
  return { notLarger, count, oursKB: sum(ours), theirsKB: sum(theirs) };
}

/** The report's table of the batch (markdown lines). */
export function reportBatch(batch: Batch): string[] {
  const row = (label: string, s: BatchSide) =>
    `| ${label} | ${ms(s.perCertificateMs)} | ${ms(s.medianMs)} | ${ms(s.first20Ms)} / ${ms(s.last20Ms)} | ${ms(s.processPerCertificateMs)} (${ms(s.processMs)} in all) | ${(s.pdfBytesMedian / 1000).toFixed(1)} |`;
  return [
    `A batch of ${BATCH_N} (simple template, example names cycled; medians of 3 runs, ms): per certificate = render and write, in the loop;`,
    'process = start, init, the batch and exit, ÷ N. certforge through its CLI (Node 22); librsvg through its GObject binding and',
    "cairo's PDF surface in one Python process (test/bench/librsvg-batch.py), the SVGs filled beforehand, fontconfig seeing the bundled fonts only.",
    '',
    '| | per certificate (mean) | median | first 20 / last 20 (mean) | process ÷ N | PDF KB (median) |',
    '|---|---:|---:|---:|---:|---:|',
    row('certforge CLI', batch.certforge),
    row(`librsvg ${batch.librsvg.version} in process`, batch.librsvg),
  ];
}
