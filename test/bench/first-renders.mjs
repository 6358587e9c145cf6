// The first certificates of a fresh process against its steady state (issue: V8 runs the
// wasm on its baseline tier until it tiers up). Renders the bundled classic template with
// PDF + PNG (or PDF only with `pdf`): certificate 1, 2–6, then 80 more; prints JSON with each time in ms.
// Run by bench.ts on Node 22; V8 flags under test are passed on the node command line.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const LIB = new URL('../../functions/lib/render/index.js', import.meta.url);
const examples = JSON.parse(readFileSync(new URL('../../examples/speakers.json', import.meta.url), 'utf8'));
const tInit = performance.now();
const api = await import(LIB.href);
const renderer = await api.initRenderer();
await api.initPreview();
const template = renderer.compileTemplate(
  readFileSync(new URL('../../functions/templates/classic.svg', import.meta.url)),
);
const initMs = performance.now() - tInit;
const times = [];
for (let i = 0; i < 86; i++) {
  const speaker = examples.speakers[i % examples.speakers.length];
  const data = {
    ...speaker,
    event: examples.event,
    signatories: examples.signatories,
    certificate: { id: `FIRST${i}`, url: `https://verify.certforge.dev/c/FIRST${i}` },
  };
  const t0 = performance.now();
  await renderer.renderCertificate(template, data, { png: !process.argv.includes('pdf') });
  times.push(performance.now() - t0);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(
  JSON.stringify({ initMs, first: times[0], second_to_sixth: times.slice(1, 6), steadyMedian: median(times.slice(6)) }),
);
