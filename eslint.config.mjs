// ESLint flat config: typescript-eslint with type information for every TypeScript folder (the two
// tsconfigs decide which compiler options a file is checked under), React hooks and accessibility
// rules for the renderer. Formatting is Prettier's job (`npm run lint` runs both); eslint-config-prettier
// turns off every stylistic rule that would argue with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'test-results/',
      'playwright-report/',
      'contracts/build/',
      'contracts/generated/', // written by scripts/build-contracts.mjs
      '.cache/',
      '.vitest/',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // shared/ is in both; the first tsconfig that includes a file is the one used.
        project: ['./tsconfig.node.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Off: an `async` function without `await` is deliberate here. It implements a Promise-returning
      // interface (handlers, fakes, the confirmers) and turns a synchronous throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks a name that is there on purpose and unused (an interface's parameter,
      // a field left out of a rest copy).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: globals.node },
    rules: {
      // Off: plain JavaScript without type annotations, so every parsed JSON and every untyped
      // package is `any`; these would flag almost every line without finding anything.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.test.ts', '**/*.spec.ts', 'contracts/test/**/*.ts', 'contracts/test-support/**/*.ts'],
    rules: {
      // Off in tests only: they read JSON.parse output and ethers' untyped Contract results field by
      // field, and vitest's asymmetric matchers (`expect.any`, `expect.objectContaining`) are typed
      // `any`. A test that reads a wrong field fails; production code keeps these rules.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  { files: ['renderer/**/*.tsx'], ...jsxA11y.flatConfigs.recommended },
  prettier,
);
