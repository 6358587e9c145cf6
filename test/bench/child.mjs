// Fresh-process measurements for test/bench/bench.ts. Plain ESM on the COMPILED pipeline
// (functions/lib, what Cloud Functions runs; `npm --prefix functions run build` first),
// so neither tsx nor TypeScript transpilation is part of the numbers.
//
//   node test/bench/child.mjs cold <template.svg>        import + init + compile + first render
//   node test/bench/child.mjs init-parts                 init split into fonts / wasm / addFonts / resvg
//   node test/bench/child.mjs rss <png|pdf> <a.svg>...   init + 30 renders per template, peak RSS
//   node [V8 flags] test/bench/child.mjs first-renders <png|pdf> <a.svg>
//                                                        init + 86 renders: 1st, 2nd–6th, steady (7th–86th)
//
// Prints one JSON line on stdout. Times are ms from performance.now() (origin = process start).
const bootMs = performance.now();

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssMB } from './peak-rss.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LIB = join(root, 'functions', 'lib', 'render', 'index.js');

function speakers() {
  const json = JSON.parse(readFileSync(join(root, 'examples', 'speakers.json'), 'utf8'));
  return json.speakers.map((speaker, i) => ({
    ...speaker,
    event: json.event,
    signatories: json.signatories,
    certificate: { id: `BENCH${String(i).padStart(4, '0')}`, url: `https://verify.certforge.dev/c/BENCH${i}` },
  }));
}

const round = (n) => Math.round(n * 100) / 100;
const [mode, ...args] = process.argv.slice(2);

if (mode === 'cold') {
  const svg = readFileSync(args[0]);
  const data = speakers()[0];
  const t0 = performance.now();
  const api = await import(LIB);
  const t1 = performance.now();
  const renderer = await api.initRenderer();
  const t2 = performance.now();
  await api.initPreview();
  const t3 = performance.now();
  const template = renderer.compileTemplate(svg);
  const t4 = performance.now();
  const pdfOnly = await renderer.renderCertificate(template, data, { png: false });
  const t5 = performance.now();
  const withPng = await renderer.renderCertificate(template, speakers()[1], { png: true });
  const t6 = performance.now();
  console.log(
    JSON.stringify({
      bootMs: round(bootMs),
      importMs: round(t1 - t0),
      initRendererMs: round(t2 - t1),
      initPreviewMs: round(t3 - t2),
      compileMs: round(t4 - t3),
      firstPdfMs: round(t5 - t4),
      firstPdfTimings: pdfOnly.timings,
      firstPngRenderMs: round(t6 - t5),
      firstPngTimings: withPng.timings,
      // import + init (fonts, wasm, resvg) + compile + first render (PDF only)
      coldMs: round(t5 - t0),
      maxRssMB: round(peakRssMB()),
    }),
  );
} else if (mode === 'init-parts') {
  // Mirrors Renderer.create(): wasm module, then the bundled fonts the renderer adds at init
  // (by path: reading the files is part of "add fonts"; 'eager' only when the pipeline loads
  // some fonts on first need), then resvg-wasm. The lazily loaded fonts are timed separately.
  const t0 = performance.now();
  const api = await import(LIB);
  const t1 = performance.now();
  const core = await api.Core.create([]);
  const t2 = performance.now();
  const lazy = typeof api.lazyFamilies === 'function';
  const eager = lazy ? api.bundledFontFiles('eager') : api.bundledFontFiles();
  core.addFonts(eager);
  const t3 = performance.now();
  await api.initPreview();
  const t4 = performance.now();
  const lazyFonts = lazy ? api.bundledFontFiles('lazy') : [];
  core.addFonts(lazyFonts);
  const t5 = performance.now();
  const size = (fonts) =>
    fonts.reduce((n, f) => n + (f.path ? readFileSync(f.path).length : (f.bytes?.length ?? f.length ?? 0)), 0);
  console.log(
    JSON.stringify({
      bootMs: round(bootMs),
      importMs: round(t1 - t0),
      wasmCompileInstantiateMs: round(t2 - t1),
      addFontsMs: round(t3 - t2),
      fontCount: eager.length,
      fontMB: round(size(eager) / 1048576),
      initPreviewMs: round(t4 - t3),
      lazyFontsMs: round(t5 - t4),
      lazyFontCount: lazyFonts.length,
      lazyFontMB: round(size(lazyFonts) / 1048576),
    }),
  );
} else if (mode === 'rss') {
  const png = args[0] === 'png';
  const files = args.slice(1);
  const data = speakers();
  const api = await import(LIB);
  const renderer = await api.initRenderer();
  if (png) await api.initPreview();
  const afterInitMB = process.memoryUsage().rss / 1048576;
  let renders = 0;
  for (const file of files) {
    const template = renderer.compileTemplate(readFileSync(file));
    for (let i = 0; i < 30; i++) {
      await renderer.renderCertificate(template, data[i % data.length], { png });
      renders++;
    }
  }
  const mem = process.memoryUsage();
  console.log(
    JSON.stringify({
      png,
      renders,
      rssAfterInitMB: round(afterInitMB),
      rssEndMB: round(mem.rss / 1048576),
      heapUsedMB: round(mem.heapUsed / 1048576),
      externalMB: round(mem.external / 1048576),
      arrayBuffersMB: round(mem.arrayBuffers / 1048576),
      maxRssMB: round(peakRssMB()),
    }),
  );
} else if (mode === 'first-renders') {
  // The first certificates of a fresh process against its steady state: V8 runs the wasm
  // on its baseline tier until it tiers up. V8 flags under test come on the node command line.
  const png = args[0] === 'png';
  const data = speakers();
  const t0 = performance.now();
  const api = await import(LIB);
  const renderer = await api.initRenderer();
  await api.initPreview();
  const template = renderer.compileTemplate(readFileSync(args[1]));
  const initMs = performance.now() - t0;
  const times = [];
  for (let i = 0; i < 86; i++) {
    const start = performance.now();
    await renderer.renderCertificate(template, data[i % data.length], { png });
    times.push(performance.now() - start);
  }
  const steady = times.slice(6).sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      initMs: round(initMs),
      first: round(times[0]),
      secondToSixth: times.slice(1, 6).map(round),
      steadyMedian: round(steady[steady.length >> 1]),
    }),
  );
} else {
  console.error(
    'usage: node test/bench/child.mjs cold <svg> | init-parts | rss <png|pdf> <svg>... | first-renders <png|pdf> <svg>',
  );
  process.exit(2);
}
