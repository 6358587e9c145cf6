// Memory of the render path under template safety (issue 9), in a fresh Node process:
// the bundled templates with PNG (Latin and CJK names), then the worst accepted input tried
// (two full-page PNGs, 16 MP and 7.8 MP, one under 50 % opacity), then a normal render again.
// Prints one JSON line: core (wasm) memory peaks, process peak RSS, times, core restarts.
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { PNG_RGBA, Renderer, pngFile } from '../../functions/lib/render/index.js';
import { peakRssMB } from './peak-rss.mjs';

const root = new URL('../../', import.meta.url);
const renderer = await Renderer.create();
// The core's private instance, read for the measurement only.
const coreMiB = () => (renderer.core.instance?.memoryBytes ?? 0) / 1048576;
const rssMB = peakRssMB;
const data = {
  name: 'Małgorzata Wiśniewska-Żółkiewska',
  event: { name: 'Conf', date: '2026-05-01', place: 'Kraków' },
  talk: { title: 'A talk' },
  certificate: { id: 'x', url: 'https://verify.example/x' },
  signatories: [
    { name: 'A', role: 'B' },
    { name: 'C', role: 'D' },
  ],
};
let bundledCore = 0;
for (const t of ['classic', 'modern']) {
  const svg = readFileSync(new URL(`functions/templates/${t}.svg`, root));
  for (let i = 0; i < 6; i++) {
    await renderer.renderCertificate(svg, { ...data, name: i % 2 ? '王小明' : data.name }, { png: true });
    bundledCore = Math.max(bundledCore, coreMiB());
  }
}
const bundledRss = rssMB();

function png(size) {
  const stride = 1 + size * 4;
  const raw = Buffer.alloc(stride * size);
  for (let i = 0; i < raw.length; i += 97) if (i % stride) raw[i] = i & 255;
  return pngFile(size, size, PNG_RGBA, deflateSync(raw, { level: 1 }));
}
const big = png(4000).toString('base64');
const second = png(2800).toString('base64');
const worst = `<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 1122 793"><image href="data:image/png;base64,${big}" width="1122" height="793"/><image href="data:image/png;base64,${second}" width="1122" height="793" opacity="0.5"/><text x="10" y="50">{{name}}</text></svg>`;
let started = performance.now();
await renderer.renderCertificate(worst, data, { png: true });
const worstMs = performance.now() - started;
const worstCore = coreMiB();
started = performance.now();
await renderer.renderCertificate(readFileSync(new URL('functions/templates/classic.svg', root)), data, { png: true });
const afterMs = performance.now() - started;
console.log(
  JSON.stringify({
    bundledCoreMiB: bundledCore,
    bundledPeakRssMB: bundledRss,
    worstTemplateKB: worst.length / 1024,
    worstMs,
    worstCoreMiB: worstCore,
    worstPeakRssMB: rssMB(),
    nextRenderMs: afterMs,
    coreMiBAfterNext: coreMiB(),
    restarts: renderer.coreRestarts,
  }),
);
