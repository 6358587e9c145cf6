/**
 * Run by `npm run build` after the TypeScript build: writes functions/wasm/renderer.snapshot, the
 * renderer with its fonts added and the bundled templates compiled (render/snapshot.ts), which a
 * new function instance restores instead of doing that work on its first certificate.
 *
 *   node lib/cli/write-snapshot.js
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_URL, writeSnapshot } from '../render/snapshot.js';

const start = performance.now();
const bytes = await writeSnapshot();
console.log(
  `write-snapshot: ${fileURLToPath(SNAPSHOT_URL)} ${(bytes / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - start)} ms`,
);
