/**
 * The instance's renderer (the wasm core with the bundled fonts, render/), created on first use
 * and shared by every request of the instance. Kept apart from firebase-app.ts so that a
 * function can start it while its handler (firebase-admin and the rest) is still loading
 * (functions/lazy.ts, `warmRenderer`).
 */
import { performance } from 'node:perf_hooks';
import { logInstanceReady } from './logs.js';
import { initRenderer, type Renderer } from './render/index.js';
import { once } from './shared/once.js';

/** The instance's renderer; the first call pays for wasm compile + fonts (logged). */
export const renderer: () => Promise<Renderer> = once(async () => {
  const start = performance.now();
  const instance = await initRenderer();
  logInstanceReady({ initMs: Math.round(performance.now() - start) });
  return instance;
});
