// A function instance's start, as Cloud Functions pays it once per instance. Run by bench.ts on
// Node 22 (the functions' runtime), one fresh process per measurement; prints JSON lines.
//
//   node function-cold.mjs load <FUNCTION_TARGET> [--no-cache]
//       load functions/package.json's main (dist/index.js) as the runtime does for that function
//       (FUNCTION_TARGET set);
//       --no-cache: without Node's compile cache (NODE_DISABLE_COMPILE_CACHE), as before a deploy
//       filled it.
//   node function-cold.mjs bundle-floors
//       bundles the floors below as the functions are bundled (functions/build-dist.mjs), into
//       functions/node_modules/.cache/certforge-bench-floors/.
//   node function-cold.mjs floor <firestore|https|tasks|storage|scheduler> [--cache]
//       the floor: an empty function of that trigger kind (firebase-functions' provider, nothing
//       else), bundled; --cache: with a compile cache of its own, filled by a first run.
//   node function-cold.mjs io-floor
//       the floor of any function that writes to Firestore and Storage: an empty task function
//       that loads firebase-admin's app, Firestore and Storage and makes a reference of each (no
//       I/O), bundled, compile cache on.
//   node function-cold.mjs first
//       the issuing function's first certificate (FUNCTION_TARGET=issueCertificateTask): its
//       definition, then what its first call does before any I/O, in the handler's order: the
//       handler's modules while the renderer starts, the issuer key read and checked and the
//       credential signed, the renderer awaited, the bundled template compiled, the PDF rendered
//       with the credential (the preview comes on request). Then the steady state of the instance: every example name on both bundled templates, PDF only
//       (issuing), then PDF + PNG (a preview request): CPU and wall per render, peak RSS after each.
//
// CERTFORGE_BENCH_TREE=lib: `load` and `first` load functions/lib/ (unbundled) instead of the
// main's tree; the floors are always bundled.
//
// Times from the script's first line; `sinceProcessStartMs` adds Node's own boot (performance's
// time origin is the process start).
import { performance } from 'node:perf_hooks';
import module from 'node:module';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { peakRssMB } from './peak-rss.mjs';

const start = performance.now();
// What the Cloud Functions runtime provides; the bundled template needs no Storage call.
process.env.GCLOUD_PROJECT ??= 'demo-certforge';
process.env.FIREBASE_CONFIG ??= JSON.stringify({
  projectId: 'demo-certforge',
  storageBucket: 'demo-certforge.appspot.com',
});
const [mode = 'first', arg, flag] = process.argv.slice(2);
// The deployed tree: the directory of functions/package.json's `main` (dist/, the esbuild bundle),
// or functions/lib/ (the modules tsc writes, unbundled) when CERTFORGE_BENCH_TREE=lib.
const PACKAGE = new URL('../../functions/package.json', import.meta.url);
const { main } = JSON.parse(readFileSync(PACKAGE, 'utf8'));
const LIB =
  process.env.CERTFORGE_BENCH_TREE === 'lib'
    ? new URL('../../functions/lib/', import.meta.url)
    : new URL('./', new URL(main, PACKAGE));
// The floors' sources (bundle-floors): each default-exports its function.
const FLOOR_DIR = fileURLToPath(
  new URL('../../functions/node_modules/.cache/certforge-bench-floors/', import.meta.url),
);
const FLOOR_SOURCES = {
  firestore: `import { onDocumentCreated } from 'firebase-functions/v2/firestore';
export default onDocumentCreated('a/{id}', () => undefined);`,
  https: `import { onCall } from 'firebase-functions/v2/https';
export default onCall(() => undefined);`,
  tasks: `import { onTaskDispatched } from 'firebase-functions/v2/tasks';
export default onTaskDispatched(() => undefined);`,
  storage: `import { onObjectFinalized } from 'firebase-functions/v2/storage';
export default onObjectFinalized(() => undefined);`,
  scheduler: `import { onSchedule } from 'firebase-functions/v2/scheduler';
export default onSchedule('every 1 hours', () => undefined);`,
  io: `import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';
const app = initializeApp();
getFirestore(app).collection('a').doc('b');
getStorage(app).bucket().file('a');
export default onTaskDispatched(() => undefined);`,
};
const out = (value) => process.stdout.write(JSON.stringify({ node: process.version, ...value }) + '\n');

if (mode === 'load') {
  process.env.FUNCTION_TARGET = arg;
  if (flag === '--no-cache') process.env.NODE_DISABLE_COMPILE_CACHE = '1';
  const index = await import(new URL('index.js', LIB).href);
  const moduleMs = performance.now() - start;
  if (typeof index[arg] !== 'function') throw new Error(`FUNCTION_TARGET ${arg} is not defined by index.js`);
  const loadedFunctions = Object.values(index).filter((value) => value !== undefined).length;
  out({ target: arg, cache: flag !== '--no-cache', moduleMs, loadedFunctions });
} else if (mode === 'bundle-floors') {
  // The floors, bundled as the functions are (functions/build-dist.mjs `bundle`): one entry point
  // per trigger kind, and the Firestore-and-Storage floor.
  const { bundle } = await import(new URL('../../functions/build-dist.mjs', import.meta.url).href);
  rmSync(FLOOR_DIR, { recursive: true, force: true });
  mkdirSync(join(FLOOR_DIR, 'src'), { recursive: true });
  const entryPoints = Object.entries(FLOOR_SOURCES).map(([name, source]) => {
    const file = join(FLOOR_DIR, 'src', `${name}.js`);
    writeFileSync(file, source);
    return file;
  });
  const built = await bundle({ entryPoints, outdir: join(FLOOR_DIR, 'dist'), outbase: join(FLOOR_DIR, 'src') });
  out({ floors: Object.keys(FLOOR_SOURCES), files: built.files });
} else if (mode === 'floor' || mode === 'io-floor') {
  const name = mode === 'io-floor' ? 'io' : arg;
  if (!(name in FLOOR_SOURCES)) throw new Error(`unknown trigger kind ${arg}`);
  const cache = mode === 'io-floor' || flag === '--cache';
  if (cache) {
    const dir = join(tmpdir(), `certforge-bench-floor-cache-${name}`);
    mkdirSync(dir, { recursive: true });
    module.enableCompileCache?.(dir);
  }
  const fn = (await import(pathToFileURL(join(FLOOR_DIR, 'dist', `${name}.js`)).href)).default;
  const moduleMs = performance.now() - start;
  if (typeof fn !== 'function') throw new Error(`the empty ${name} function is not a function`);
  module.flushCompileCache?.();
  out({ kind: name, cache, moduleMs, rssMB: process.memoryUsage().rss / 2 ** 20 });
} else if (mode === 'first') {
  process.env.FUNCTION_TARGET = 'issueCertificateTask';
  const index = await import(new URL('index.js', LIB).href);
  const moduleMs = performance.now() - start;
  if (typeof index.issueCertificateTask !== 'function') throw new Error('issueCertificateTask is not defined');
  // The first call's start, by lazyIssuing itself (functions/lazy.ts): the renderer starts and
  // the credential libraries load while the handler's modules load.
  const { lazyIssuing } = await import(new URL('functions/lazy.js', LIB).href);
  const t1 = performance.now();
  await lazyIssuing(() =>
    import(new URL('handlers/issue-event-certificates.js', LIB).href).then(() => () => undefined),
  )();
  const handlerMs = performance.now() - t1;
  const { templateStore } = await import(new URL('firebase-app.js', LIB).href);
  const { parseIssuerKey, checkIssuerKeyPair } = await import(new URL('credential/issuer-key.js', LIB).href);
  const { openBadgeCredential, signCredential, credentialAttachment } = await import(
    new URL('credential/open-badge.js', LIB).href
  );
  // As the handler does (issue/issue-certificate.ts): the credential is signed first, then the
  // renderer is awaited (lazyIssuing started it with the first call, beside the handler's
  // modules).
  const t3 = performance.now();
  const key = parseIssuerKey(process.env.CERTFORGE_ISSUER_KEY);
  await checkIssuerKeyPair(key);
  const issuer = { id: 'https://verify.example.org/c/issuer', name: 'Example Foundation', url: 'https://example.org' };
  const issuedAt = new Date('2026-03-14T09:30:00Z');
  const credential = await signCredential(
    openBadgeCredential(
      {
        verifyUrl: 'https://verify.example.org/c/AbCdEfGhIjKlMnOpQrStUv',
        recipientName: 'Cold Start',
        email: 'cold@example.org',
        role: 'Speaker',
        talkTitle: 'T',
        eventName: 'E',
        eventIsoDate: '2026-03-12',
        eventDate: 'March 12, 2026',
        eventPlace: 'P',
        organizer: 'O',
        eventKey: 'bench',
        issuedAt,
        status: { listUrl: 'https://verify.example.org/c/status/AbCdEfGhIjKlMnOp-1', index: 7 },
      },
      issuer,
    ),
    key,
    issuer,
    issuedAt,
  );
  const signMs = performance.now() - t3;
  const r = await (await import(new URL('render-instance.js', LIB).href)).renderer();
  const rendererMs = performance.now() - t1;
  const t2 = performance.now();
  const template = await templateStore().use('classic', (resolved) => resolved.template); // bundled: never dropped
  const compileMs = performance.now() - t2;
  const t4 = performance.now();
  const result = await r.renderCertificate(
    template,
    {
      name: 'Cold Start',
      talk: { title: 'T' },
      event: { name: 'E', date: '2026-03-12', place: 'P' },
      signatories: [{ name: 'S', role: 'R' }],
      certificate: { id: 'AbCdEfGhIjKlMnOpQrStUv', url: 'https://verify.example.org/c/AbCdEfGhIjKlMnOpQrStUv' },
    },
    { png: false, attachments: [credentialAttachment(JSON.stringify(credential, null, 2))] },
  );
  const firstRenderMs = performance.now() - t4;
  const firstCertificateMs = performance.now() - start;
  if (result.pdf.length < 1000) throw new Error('the first certificate is not a PDF');
  out({
    moduleMs,
    handlerMs,
    rendererMs,
    compileMs,
    signMs,
    firstRenderMs,
    firstCertificateMs,
    sinceProcessStartMs: performance.now(),
    rssMB: process.memoryUsage().rss / 2 ** 20,
  });

  // Then the steady state of an instance: every example speaker (Latin, Greek, Cyrillic, Arabic,
  // Hebrew, CJK, long names) on both bundled templates, PDF only (what the issuing path renders),
  // then PDF + PNG (what a preview request renders). Peak RSS (ru_maxrss) after each is what the
  // function's memory setting must hold.
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
  // PDF only first: the peak of an instance that only issues (the preview comes on request).
  const pdfOnly = await steady({ png: false });
  const issuePeakRssMB = peakRssMB();
  const withPng = await steady({ png: true });
  out({
    steadyCpuMs: withPng.cpuMs,
    steadyWallMs: withPng.wallMs,
    issueCpuMs: pdfOnly.cpuMs,
    issueWallMs: pdfOnly.wallMs,
    issuePeakRssMB,
    steadyPeakRssMB: peakRssMB(),
    rssNowMB: process.memoryUsage().rss / 2 ** 20,
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
