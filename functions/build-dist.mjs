// Bundles the deployed functions into functions/dist/ with esbuild: what package.json's `main`
// (dist/index.js) loads, in Cloud Functions and in the emulator. Run by `npm run build` after the
// TypeScript build (it bundles functions/lib/), in about a second.
//
// Why: an instance's first certificate is mostly module loading. firebase-functions,
// firebase-admin's Firestore and Storage, the credential libraries and certforge's own modules
// are several hundred files, each resolved, read, wrapped and compiled on its own; a few files
// load faster (test/bench/last-run.md, "Firebase", module load and the first certificate, both
// measured on dist/).
//
// What stays as it was:
// - one function per instance: dist/index.js requires dist/functions/<name>.js for the function
//   FUNCTION_TARGET names (each definition module is an entry point), and a handler still loads
//   on the first call (dynamic imports become chunks of their own, shared by the entry points);
// - paths: every `import.meta.url` in functions/lib is replaced by the URL of the module it was
//   written in, so the wasm, fonts, templates, snapshot and compile cache are found where lib/
//   finds them, and `createRequire` resolves packages (fonts, resvg-wasm) from node_modules;
// - compiled code in Node's compile cache: esbuild wraps each bundled CommonJS module's body in a
//   method (`__commonJS({"path"(exports, module) {...}})`), which V8 compiles lazily, on the
//   module's first require, and so after Node has taken the chunk's code cache at compile time:
//   every instance compiled the bodies of firebase-admin, google-gax and grpc-js anew. Each
//   wrapper is rewritten as a parenthesised function expression (`"path": (function(...) {...})`),
//   which V8 compiles with the chunk, so the bodies are in the cache that `gcp-build` fills;
// - what two packages require when they load but use only later is required on first use
//   (`lazyRequires`): firebase-functions' Firestore provider requires firebase-admin's Firestore
//   (google-gax, grpc-js) and its compiled event protos when a definition loads, to decode an
//   event when one arrives, so a Firestore-triggered function's definition now loads like any
//   other and its handler loads them with the first event; jsonld's HTTP client (undici), which
//   certforge's document loader never calls, is not loaded with jsonld;
// - firebase-functions' parameters and manifest are kept on globalThis by firebase-functions
//   itself, so firebase-tools' discovery (its own copy of the package) sees the bundled ones;
// - @resvg/resvg-wasm is loaded from node_modules (render/preview.ts loads a fresh copy of its
//   binding after a panic), and packages that read their own files at run time are not bundled.
//
//   node functions/build-dist.mjs
//
// `bundle()` is exported for the bench, which bundles its floor functions the same way.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import { build } from 'esbuild';

const FUNCTIONS = fileURLToPath(new URL('.', import.meta.url));
const LIB = join(FUNCTIONS, 'lib');
const OUT = join(FUNCTIONS, 'dist');

/** Entry points: the index, every definition, and what the bench and compile cache load on their own. */
const entryPoints = [
  join(LIB, 'index.js'),
  ...readdirSync(join(LIB, 'functions'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(LIB, 'functions', name)),
  ...readdirSync(join(LIB, 'handlers'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(LIB, 'handlers', name)),
  ...['firebase-app.js', 'render-instance.js', 'credential/issuer-key.js', 'credential/open-badge.js'].map((file) =>
    join(LIB, file),
  ),
];

/** `import.meta.url` of a module of lib/, as an expression valid wherever its code lands in dist/. */
function moduleUrl(file) {
  return `new globalThis.URL(${JSON.stringify(relative(LIB, file).split('\\').join('/'))}, __certforgeLib).href`;
}

const libPaths = {
  name: 'lib-paths',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(LIB + '/')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      // index.js keeps its own URL: it requires the bundled definitions beside it (dist/functions/).
      const keep = args.path === join(LIB, 'index.js');
      return { contents: keep ? source : source.replaceAll('import.meta.url', moduleUrl(args.path)), loader: 'js' };
    });
  },
};

/** esbuild's lazy module wrappers: `__commonJS` (a CommonJS module) and `__esm` (an ES module a require reaches). */
const WRAPPERS = new Set(['__commonJS', '__esm']);

/**
 * The chunk with every module wrapper's method `"path"(a, b) {...}` rewritten as
 * `"path": (function (a, b) {...})`, which V8 compiles eagerly (a parenthesised function), with
 * the chunk and into its code cache. Same behaviour: the wrappers call it as `cb[path](...)`.
 */
function eagerModuleBodies(code, file) {
  if (![...WRAPPERS].some((name) => code.includes(`${name}({`))) return { code, wrapped: 0 };
  const edits = [];
  const visit = (node) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node.type !== 'string') return;
    if (
      node.type === 'CallExpression' &&
      node.callee.type === 'Identifier' &&
      WRAPPERS.has(node.callee.name) &&
      node.arguments.length === 1 &&
      node.arguments[0].type === 'ObjectExpression'
    ) {
      for (const property of node.arguments[0].properties) {
        if (property.type !== 'Property' || !property.method || property.value.async || property.value.generator) {
          throw new Error(`build-dist: ${file}: an unexpected ${node.callee.name} wrapper at ${property.start}`);
        }
        edits.push({ at: property.key.end, to: property.value.start, text: ':(function' });
        edits.push({ at: property.value.end, to: property.value.end, text: ')' });
      }
    }
    for (const key of Object.keys(node)) if (key !== 'type') visit(node[key]);
  };
  visit(parse(code, { ecmaVersion: 'latest', sourceType: 'module' }));
  if (edits.length === 0) throw new Error(`build-dist: ${file} names a module wrapper but none was found`);
  let out = '';
  let from = 0;
  for (const edit of edits.sort((a, b) => a.at - b.at)) {
    out += code.slice(from, edit.at) + edit.text;
    from = edit.to;
  }
  return { code: out + code.slice(from), wrapped: edits.length / 2 };
}

/**
 * Requires a bundled package makes when it loads and uses only later, moved to their first use:
 * for each file (by its path under node_modules), the exact text replaced. The package versions
 * are pinned (functions/package-lock.json); a version whose text differs fails the build here,
 * to be looked at, instead of bundling the eager require unnoticed.
 */
const lazyRequires = {
  // jsonld's Node document loader fetches remote contexts with @digitalbazaar/http-client (undici);
  // certforge signs and verifies with its own loader of bundled contexts, which never fetches.
  'jsonld/lib/documentLoaders/node.js': [
    [
      "const {httpClient} = require('@digitalbazaar/http-client');\n",
      "const httpClient = { get: (...args) => require('@digitalbazaar/http-client').httpClient.get(...args) };\n",
    ],
  ],
  'firebase-functions/lib/esm/common/providers/firestore.mjs': [
    [
      'import * as firestore from "firebase-admin/firestore";\n',
      'let firestoreLoaded;\nconst firestore = { getFirestore: (...args) => (firestoreLoaded ??= require("firebase-admin/firestore")).getFirestore(...args) };\n',
    ],
    ['import { google } from "../../../../protos/compiledFirestore.mjs";\n', ''],
    [
      'const DocumentEventData = google.events.cloud.firestore.v1.DocumentEventData;\n',
      'let DocumentEventDataLoaded;\nconst DocumentEventData = { decode: (...args) => (DocumentEventDataLoaded ??= require("../../../../protos/compiledFirestore.js").google.events.cloud.firestore.v1.DocumentEventData).decode(...args) };\n',
    ],
  ],
};

const lazyPackageRequires = {
  name: 'lazy-package-requires',
  setup(b) {
    b.onLoad({ filter: /node_modules[\\/].*\.m?js$/ }, (args) => {
      const file = Object.keys(lazyRequires).find((suffix) =>
        args.path.split('\\').join('/').endsWith(`/node_modules/${suffix}`),
      );
      if (!file) return undefined;
      let source = readFileSync(args.path, 'utf8');
      for (const [eager, lazy] of lazyRequires[file]) {
        if (!source.includes(eager)) throw new Error(`build-dist: ${file} no longer contains ${JSON.stringify(eager)}`);
        source = source.replace(eager, lazy);
      }
      return { contents: source, loader: 'js' };
    });
  },
};

/**
 * Bundles `entryPoints` into `outdir` (emptied first) as the deployed functions are bundled;
 * the bench bundles its floor functions with it too (test/bench/function-cold.mjs).
 * Returns the number of files, their bytes and the module bodies made eager.
 */
export async function bundle({ entryPoints, outdir, outbase }) {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints,
    outdir,
    outbase,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    chunkNames: 'chunks/[name]-[hash]',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
    external: ['@resvg/resvg-wasm'],
    plugins: [libPaths, lazyPackageRequires],
    // Bundled CommonJS packages use require, __filename and __dirname; __certforgeLib is lib/. The
    // banner names the global URL through globalThis: esbuild does not see the banner's references,
    // so a bundled package's own top-level `URL` (read-excel-file has a `function URL`) would
    // otherwise shadow it in that chunk.
    banner: {
      js: [
        "import { createRequire as __certforgeRequire } from 'node:module';",
        "import { fileURLToPath as __certforgeFilePath } from 'node:url';",
        'const require = __certforgeRequire(import.meta.url);',
        'const __filename = __certforgeFilePath(import.meta.url);',
        "const __dirname = __certforgeFilePath(new globalThis.URL('.', import.meta.url));",
        "const __certforgeLib = new globalThis.URL(import.meta.url.slice(0, import.meta.url.lastIndexOf('/dist/')) + '/lib/');",
      ].join(' '),
    },
  });
  let bytes = 0;
  let wrapped = 0;
  for (const output of result.outputFiles) {
    const eager = eagerModuleBodies(output.text, relative(outdir, output.path));
    mkdirSync(dirname(output.path), { recursive: true });
    writeFileSync(output.path, eager.code);
    bytes += Buffer.byteLength(eager.code);
    wrapped += eager.wrapped;
  }
  return { files: result.outputFiles.length, bytes, wrapped };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files, bytes, wrapped } = await bundle({ entryPoints, outdir: OUT, outbase: LIB });
  console.log(
    `build-dist: ${files} files, ${(bytes / 1e6).toFixed(1)} MB in ${relative(process.cwd(), OUT) || '.'}; ${wrapped} module bodies compiled with their chunk`,
  );
}
