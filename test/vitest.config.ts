import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The repository root (this file lives in test/ to keep the top level to what the project needs).
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    // Emulator tests (test/integration, test/rules) have their own config: vitest.emulator.config.ts.
    include: ['test/unit/**/*.test.ts', 'test/render/**/*.test.ts'],
    environment: 'node',
    // Rendering tests shell out to poppler/qpdf and initialize the wasm core with ~50 MB of fonts.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Child processes, at most two at a time (2 cores): every render test file loads the core and
    // all bundled fonts into its own worker, so more workers only add memory, not speed.
    // isolate (default): each file gets a fresh process, whose memory is freed when the file ends.
    pool: 'forks',
    maxWorkers: 2,
    isolate: true,
  },
});
