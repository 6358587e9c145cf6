/**
 * Node's compile cache for the functions' modules (`module.enableCompileCache`, Node 22): V8's
 * compiled code of each loaded module, kept in functions/.compile-cache so that an instance's
 * module load skips most of the parsing and compiling. At deploy, Cloud Functions' build runs
 * `npm run gcp-build` (cli/fill-compile-cache.ts) with the runtime's Node, which fills the cache
 * beside lib/; locally, the emulator's workers fill it as they start. A cache written by
 * another Node or V8 version, or a directory that cannot be written, is ignored by Node: the
 * modules then compile as usual. Measured in test/bench/last-run.md ("Firebase").
 */
import module from 'node:module';
import { fileURLToPath } from 'node:url';

export const COMPILE_CACHE_DIR = fileURLToPath(new URL('../.compile-cache', import.meta.url));

/** Turns the cache on for every module loaded from now on (a no-op before Node 22.1). */
export function enableCompileCache(): void {
  (module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache?.(COMPILE_CACHE_DIR);
}
