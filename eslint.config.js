// ESLint (flat config): typescript-eslint's type-checked rules over src/, test/, bench/ and scripts/, with
// eslint-config-prettier last so that formatting is Prettier's alone (.prettierrc.json: 140 columns, the width the
// code was written to: about half as many lines change as at 120). `npm run lint` runs both; `npm run format`
// rewrites what they can fix.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import { layerRules } from './eslint/layers.js';

/** Node's globals, for the plain-JavaScript scripts (they have no type information to take them from). */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'URLSearchParams', 'fetch', 'setTimeout', 'clearTimeout', 'Buffer'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'test-artifacts/', 'data/', 'src/simulator/web/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The convention already in use: a leading underscore marks a parameter or element kept for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Test doubles implement async contracts (an outbox's post, a verifier, a Bolt listener) that the real
    // implementations await inside; `async` with no await is the honest way to keep the contract's signature there.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      // vitest's asymmetric matchers (expect.any(String), expect.objectContaining(…)) are typed `any` by design, and
      // each use inside an expected object is reported as an unsafe assignment: the check says nothing about tests.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Plain JavaScript (the build and check scripts, this file): no type information to check against.
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: nodeGlobals },
  },
  // The layers of src/ (eslint/layers.js): no import cycles, a Slack-free core, features apart.
  ...layerRules(import.meta.dirname),
  prettier,
);
