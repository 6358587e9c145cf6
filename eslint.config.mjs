// Lint for the TypeScript of the functions, the tests and the examples (`npm run lint`, run by
// `npm test`): typescript-eslint's recommended rules, zero warnings allowed. Formatting is
// prettier's (`prettier --check`), not eslint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'functions/lib/**',
      'functions/wasm/**',
      'wasm/**',
      'out/**',
      'emulators/**',
      'test/setup/verapdf/**',
      'console/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.tsx'],
    rules: {
      // TypeScript checks names itself (typescript-eslint's advice).
      'no-undef': 'off',
      // `_name` marks a deliberately unused one.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // certforge matches control characters on purpose: it removes or escapes them from names
      // before they reach a terminal, a mail header or a PDF.
      'no-control-regex': 'off',
    },
  },
  {
    // The console's catalogs write each language's own spaces (French puts a no-break space before : ; ? !).
    files: ['console/src/messages/*.ts', 'functions/src/shared/mail-messages.ts'],
    rules: { 'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }] },
  },
  {
    // Tests take credentials and PDFs apart as loose JSON.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
);
