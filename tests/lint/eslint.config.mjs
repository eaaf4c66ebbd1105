// ESLint for the extension (scripts/lint-js.sh): the recommended rules, in the settings the
// code runs in. Content scripts and pages are browser modules; the service worker is a
// worker; both see the WebExtension `chrome` and Firefox's `browser`.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    files: ['extension/**/*.js', 'extension/**/*.mjs'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: {
        ...globals.browser,
        ...globals.serviceworker,
        ...globals.webextensions,
      },
    },
    rules: {
      // Unused arguments document handler signatures; unused variables are mistakes.
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
      // The service worker is a module worker, and a worker refuses any module in its graph
      // that awaits at the top level: it fails to register, and nothing answers.
      'no-restricted-syntax': ['error', {
        selector: 'AwaitExpression:not(:function AwaitExpression)',
        message: 'No top-level await: the service worker cannot load modules that use it.',
      }],
    },
  },
];
