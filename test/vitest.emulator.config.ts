import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Emulator integration tests, the browser tests (Chromium against the emulators) and the
 * security-rules tests. Run inside `firebase emulators:exec` by
 * `npm run test:emulator` (emulators/run.mjs), never directly.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/rules/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    isolate: true,
    // The test PKI's services (TSA, OCSP, CRLs) that the functions' PDF signatures use.
    globalSetup: ['test/setup/emulator-global-setup.ts'],
  },
});
