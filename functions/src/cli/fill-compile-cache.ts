/**
 * Fills the compile cache (compile-cache.ts) with every function's definition module and every
 * handler with what it imports: run at deploy by Cloud Functions' build (`npm run gcp-build` in
 * functions/package.json), on the Node the functions will run on.
 *
 *   node lib/cli/fill-compile-cache.js
 */
import module from 'node:module';
import { readdirSync } from 'node:fs';
import { COMPILE_CACHE_DIR, enableCompileCache } from '../compile-cache.js';

enableCompileCache();
let loaded = 0;
for (const dir of ['functions', 'handlers']) {
  const url = new URL(`../${dir}/`, import.meta.url);
  for (const file of readdirSync(url)
    .filter((name) => name.endsWith('.js'))
    .sort()) {
    await import(new URL(file, url).href);
    loaded++;
  }
}
(module as { flushCompileCache?: () => void }).flushCompileCache?.();
console.log(`certforge: compile cache of ${loaded} modules and their imports in ${COMPILE_CACHE_DIR}`);
