// Cold start of a function instance, as Cloud Functions pays it once per instance (Node boot
// excluded): load the functions module (functions/lib/index.js, what the runtime imports),
// then the first certificate's work that is not I/O: renderer init + compile of the default
// template + first render (PDF + PNG). Prints JSON. Run by bench.ts on Node 22.
import { performance } from 'node:perf_hooks';

// What the Cloud Functions runtime provides; the bundled template needs no Storage call.
process.env.GCLOUD_PROJECT ??= 'demo-certforge';
process.env.FIREBASE_CONFIG ??= JSON.stringify({
  projectId: 'demo-certforge',
  storageBucket: 'demo-certforge.appspot.com',
});

const t0 = performance.now();
await import('../../functions/lib/index.js');
const moduleMs = performance.now() - t0;
const { renderer, templateStore } = await import('../../functions/lib/firebase-app.js');
const t1 = performance.now();
const r = await renderer();
const initMs = performance.now() - t1;
const t2 = performance.now();
const template = await templateStore().use('classic', (resolved) => resolved.template); // bundled: never dropped
const compileMs = performance.now() - t2;
const t3 = performance.now();
await r.renderCertificate(
  template,
  {
    name: 'Cold Start',
    talk: { title: 'T' },
    event: { name: 'E', date: '2026-03-12', place: 'P' },
    signatories: [{ name: 'S', role: 'R' }],
    certificate: { id: 'x', url: 'https://example.org/x' },
  },
  { png: true },
);
const firstRenderMs = performance.now() - t3;
process.stdout.write(
  JSON.stringify({
    node: process.version,
    moduleMs,
    initMs,
    compileMs,
    firstRenderMs,
    rssMB: process.memoryUsage().rss / 2 ** 20,
  }),
);

// Then the steady state of an instance: every example speaker (Latin, Greek, Cyrillic, Arabic,
// Hebrew, CJK, long names) on both bundled templates, PDF + PNG (what a preview request renders,
// and what issuing rendered before previews came on request), then PDF only (what the issuing
// path renders now). Peak RSS (ru_maxrss) is what the function's memory setting must hold.
const { readFileSync } = await import('node:fs');
const examples = JSON.parse(readFileSync(new URL('../../examples/speakers.json', import.meta.url), 'utf8'));
// CPU (user + system, all threads) and wall time per render, for the bill in last-run.md.
async function steady(options) {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let renders = 0;
  for (const templateId of ['classic', 'modern']) {
    const t = await templateStore().use(templateId, (resolved) => resolved.template);
    for (const speaker of examples.speakers) {
      await r.renderCertificate(
        t,
        {
          name: speaker.name,
          talk: speaker.talk ?? { title: '' },
          event: { ...examples.event, date: '12 March 2026' },
          signatories: examples.signatories,
          certificate: { id: 'AbCdEfGhIjKlMnOpQrStUv', url: 'https://verify.example.org/c/AbCdEfGhIjKlMnOpQrStUv' },
        },
        options,
      );
      renders++;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000 / renders, wallMs: (performance.now() - wall0) / renders };
}
const withPng = await steady({ png: true });
const pdfOnly = await steady({ png: false });
const [steadyCpuMs, steadyWallMs, issueCpuMs, issueWallMs] = [
  withPng.cpuMs,
  withPng.wallMs,
  pdfOnly.cpuMs,
  pdfOnly.wallMs,
];
process.stdout.write(
  '\n' +
    JSON.stringify({
      steadyCpuMs,
      steadyWallMs,
      issueCpuMs,
      issueWallMs,
      steadyPeakRssMB: process.resourceUsage().maxRSS / 1024,
      rssNowMB: process.memoryUsage().rss / 2 ** 20,
    }),
);
