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
// - firebase-functions' parameters and manifest are kept on globalThis by firebase-functions
//   itself, so firebase-tools' discovery (its own copy of the package) sees the bundled ones;
// - @resvg/resvg-wasm is loaded from node_modules (render/preview.ts loads a fresh copy of its
//   binding after a panic), and packages that read their own files at run time are not bundled.
//
//   node functions/build-dist.mjs
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
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

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir: OUT,
  outbase: LIB,
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
  metafile: true,
  external: ['@resvg/resvg-wasm'],
  plugins: [libPaths],
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
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(
  `build-dist: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1e6).toFixed(1)} MB in ${relative(process.cwd(), OUT) || '.'}`,
);
