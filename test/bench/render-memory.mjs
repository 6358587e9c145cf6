// Peak RSS of the render path over many renders (issue 24, goal 2), in a fresh Node process as a
// function instance holds it: the renderer of functions/lib/render-instance.js, both bundled
// templates, the 24 example names (Latin, Greek, Cyrillic, Arabic, Hebrew, CJK, long names)
// cycled, every tenth render with its PNG preview (a preview request). Prints one JSON line.
//
//   node render-memory.mjs [renders=10000]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { peakRssMB } from './peak-rss.mjs';

const count = Number(process.argv[2] ?? 10_000);
const root = new URL('../../', import.meta.url);
const { renderer } = await import(new URL('functions/lib/render-instance.js', root).href);
const r = await renderer();
const examples = JSON.parse(readFileSync(new URL('examples/speakers.json', root), 'utf8'));
const templates = ['classic', 'modern'].map((t) =>
  r.compileTemplate(readFileSync(new URL(`functions/templates/${t}.svg`, root))),
);
const start = performance.now();
let pngs = 0;
let coreMemoryMB = 0;
for (let i = 0; i < count; i++) {
  const speaker = examples.speakers[i % examples.speakers.length];
  const png = i % 10 === 0;
  const result = await r.renderCertificate(
    templates[Math.floor(i / examples.speakers.length) % templates.length],
    {
      name: speaker.name,
      talk: speaker.talk ?? { title: '' },
      event: { ...examples.event, date: '12 March 2026' },
      signatories: examples.signatories,
      certificate: { id: 'AbCdEfGhIjKlMnOpQrStUv', url: 'https://verify.example.org/c/AbCdEfGhIjKlMnOpQrStUv' },
    },
    { png },
  );
  if (png && !result.png) throw new Error('no PNG');
  if (png) pngs++;
  // The core's private instance, read for the measurement only.
  coreMemoryMB = Math.max(coreMemoryMB, (r.core.instance?.memoryBytes ?? 0) / 2 ** 20);
}
process.stdout.write(
  JSON.stringify({
    node: process.version,
    renders: count,
    pngs,
    peakRssMB: peakRssMB(),
    coreMemoryMB,
    seconds: (performance.now() - start) / 1000,
  }) + '\n',
);
