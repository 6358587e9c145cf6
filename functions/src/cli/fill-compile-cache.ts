/**
 * Fills the compile cache (compile-cache.ts) with every function's definition module and every
 * handler with what it imports, then with what loads on first use: the credential libraries and
 * contexts (a throwaway key signs one credential, which loads every module a signature needs) and
 * resvg-wasm's module. The modules are those package.json's `main` loads (dist/, the bundle of
 * build-dist.mjs, which keeps lib/'s layout for these entry points). Run at deploy by Cloud
 * Functions' build (`npm run gcp-build` in functions/package.json), on the Node the functions
 * will run on.
 *
 * V8 keeps a cache only for the flags it was written with (Node names the cache's directory by
 * them), and the functions run with functions/.env's NODE_OPTIONS, which the build does not
 * have: the script runs itself again with them, so the cache it fills is the one the instances
 * read.
 *
 *   node lib/cli/fill-compile-cache.js
 */
import { spawnSync } from 'node:child_process';
import module, { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { COMPILE_CACHE_DIR, enableCompileCache } from '../compile-cache.js';

const DEPLOYED_ENV = new URL('../../.env', import.meta.url);
const runtimeOptions = existsSync(DEPLOYED_ENV)
  ? (parseEnv(readFileSync(DEPLOYED_ENV, 'utf8')).NODE_OPTIONS ?? '')
  : '';
if ((process.env.NODE_OPTIONS ?? '') !== runtimeOptions) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: runtimeOptions },
  });
  process.exit(child.status ?? 1);
}

enableCompileCache();
const PACKAGE = new URL('../../package.json', import.meta.url);
const { main } = JSON.parse(readFileSync(PACKAGE, 'utf8')) as { main: string };
/** The deployed tree: the directory of `main`. */
const TREE = new URL('./', new URL(main, PACKAGE));
let loaded = 0;
for (const dir of ['functions', 'handlers']) {
  const url = new URL(`${dir}/`, TREE);
  for (const file of readdirSync(url)
    .filter((name) => name.endsWith('.js'))
    .sort()) {
    await import(new URL(file, url).href);
    loaded++;
  }
}
const { generateIssuerKey } = (await import(
  new URL('credential/issuer-key.js', TREE).href
)) as typeof import('../credential/issuer-key.js');
const { openBadgeCredential, signCredential } = (await import(
  new URL('credential/open-badge.js', TREE).href
)) as typeof import('../credential/open-badge.js');
const issuer = { id: 'https://certforge.invalid/c/issuer', name: 'certforge', url: 'https://certforge.invalid' };
const issuedAt = new Date();
await signCredential(
  openBadgeCredential(
    {
      verifyUrl: 'https://certforge.invalid/c/compile-cache',
      recipientName: 'Compile Cache',
      role: 'Speaker',
      eventName: 'Deploy',
      organizer: 'certforge',
      eventKey: 'compile-cache',
      issuedAt,
      status: { listUrl: 'https://certforge.invalid/c/status/compile-cache-1', index: 0 },
    },
    issuer,
  ),
  await generateIssuerKey('compile-cache'),
  issuer,
  issuedAt,
);
createRequire(import.meta.url)('@resvg/resvg-wasm'); // as render/preview.ts loads it
(module as { flushCompileCache?: () => void }).flushCompileCache?.();
console.log(
  `certforge: compile cache of ${loaded} modules of ${main} and their imports in ${COMPILE_CACHE_DIR}` +
    (runtimeOptions ? ` (NODE_OPTIONS=${runtimeOptions}, as functions/.env sets for the functions)` : ''),
);
