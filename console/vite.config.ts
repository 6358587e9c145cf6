/**
 * The organizer console's build: `vite build` writes console/dist, which Firebase Hosting serves
 * (firebase.json "hosting"). Preact through its JSX runtime (tsconfig jsxImportSource); the
 * shared language list comes from functions/src/shared/languages.ts.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // A budget, not a hope: the initial JavaScript must stay under 150 KB gzipped (test/browser).
    chunkSizeWarningLimit: 450,
  },
  server: { fs: { allow: ['..'] } },
});
