// A function instance's start, as Cloud Functions pays it once per instance. Run by bench.ts on
// Node 22 (the functions' runtime), one fresh process per measurement; prints JSON lines.
//
//   node function-cold.mjs load <FUNCTION_TARGET> [--no-cache]
//       load functions/package.json's main (dist/index.js) as the runtime does for that function
//       (FUNCTION_TARGET set);
//       --no-cache: without Node's compile cache (NODE_DISABLE_COMPILE_CACHE), as before a deploy
//       filled it.
//   node function-cold.mjs floor <firestore|https|tasks|storage|scheduler> [--cache]
//       the floor: an empty function of that trigger kind (firebase-functions' provider, nothing
//       else); --cache: with a compile cache of its own, filled by a first run.
//   node function-cold.mjs io-floor
//       the floor of any function that writes to Firestore and Storage (compile cache on).
//   node function-cold.mjs first
//       the issuing function's first certificate (FUNCTION_TARGET=issueCertificateTask): its
//       definition, then what its first call does before any I/O: the handler's modules while the
//       renderer starts, the issuer key read and checked, the bundled template compiled, the
//       credential signed, the PDF rendered with it (the preview comes on request). Then the
//       steady state of the instance: every example name on both bundled templates, PDF only
//       (issuing), then PDF + PNG (a preview request): CPU and wall per render, peak RSS after each.
//
// CERTFORGE_BENCH_TREE=lib: every mode loads functions/lib/ (unbundled) instead of the main's tree.
//
// Times from the script's first line; `sinceProcessStartMs` adds Node's own boot (performance's
// time origin is the process start).
import { performance } from 'node:perf_hooks';
import module, { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const LIB = process.env.EXP_TREE ? new URL(process.env.EXP_TREE) :
  process.env.CERTFORGE_BENCH_TREE === 'lib'
    ? new URL('../../functions/lib/', import.meta.url)
    : new URL('./', new URL(main, PACKAGE));
const out = (value) => process.stdout.write(JSON.stringify({ node: process.version, ...value }) + '\n');

if (mode === 'load') {
  process.env.FUNCTION_TARGET = arg;
  if (flag === '--no-cache') process.env.NODE_DISABLE_COMPILE_CACHE = '1';
  const index = await import(new URL('index.js', LIB).href);
  const moduleMs = performance.now() - start;
  if (typeof index[arg] !== 'function') throw new Error(`FUNCTION_TARGET ${arg} is not defined by index.js`);
  const loadedFunctions = Object.values(index).filter((value) => value !== undefined).length;
  out({ target: arg, cache: flag !== '--no-cache', moduleMs, loadedFunctions });
} else if (mode === 'floor') {
  const providers = {
    firestore: ['firebase-functions/v2/firestore', (m) => m.onDocumentCreated('a/{id}', () => undefined)],
    https: ['firebase-functions/v2/https', (m) => m.onCall(() => undefined)],
    tasks: ['firebase-functions/v2/tasks', (m) => m.onTaskDispatched(() => undefined)],
    storage: ['firebase-functions/v2/storage', (m) => m.onObjectFinalized(() => undefined)],
    scheduler: ['firebase-functions/v2/scheduler', (m) => m.onSchedule('every 1 hours', () => undefined)],
  };
  const [specifier, define] = providers[arg] ?? [];
  if (!specifier) throw new Error(`unknown trigger kind ${arg}`);
  if (flag === '--cache') {
    const dir = join(tmpdir(), 'certforge-bench-floor-cache');
    mkdirSync(dir, { recursive: true });
    module.enableCompileCache?.(dir);
  }
  const require = createRequire(new URL('../package.json', LIB));
  const provider = await import(require.resolve(specifier));
  const fn = define(provider);
  const moduleMs = performance.now() - start;
  if (typeof fn !== 'function') throw new Error(`the empty ${arg} function is not a function`);
  module.flushCompileCache?.();
  out({ kind: arg, cache: flag === '--cache', moduleMs });
} else if (mode === 'io-floor') {
  // The floor of a function that writes to Firestore and Storage: an empty task function that
  // loads firebase-admin's app, Firestore and Storage and makes a reference of each (no I/O).
  const dir = join(tmpdir(), 'certforge-bench-io-floor-cache');
  mkdirSync(dir, { recursive: true });
  module.enableCompileCache?.(dir);
  const require = createRequire(new URL('../package.json', LIB));
  const load = (specifier) => import(require.resolve(specifier));
  (await load('firebase-functions/v2/tasks')).onTaskDispatched(() => undefined);
  const app = (await load('firebase-admin/app')).initializeApp();
  (await load('firebase-admin/firestore')).getFirestore(app).collection('a').doc('b');
  (await load('firebase-admin/storage')).getStorage(app).bucket().file('a');
  const moduleMs = performance.now() - start;
  module.flushCompileCache?.();
  out({ moduleMs, rssMB: process.memoryUsage().rss / 2 ** 20 });
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
  const r = await (await import(new URL('render-instance.js', LIB).href)).renderer();
  const rendererMs = performance.now() - t1;
  const t2 = performance.now();
  const template = await templateStore().use('classic', (resolved) => resolved.template); // bundled: never dropped
  const compileMs = performance.now() - t2;
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

  process.exit(0);
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
