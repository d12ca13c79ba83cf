// ESLint configuration: typescript-eslint's strict type-aware rules over the whole project.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'dist.*/', 'artifacts/', 'cache/', 'typechain-types/', 'coverage/', 'bench/tmp/', 'test-artifacts/', '.hardhat-home/', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'off',
    },
  },
  {
    // The verifier page's script runs in the browser, unbundled: plain JS, no type information.
    files: ['src/server/page/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { project: false, projectService: false, program: null },
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', URL: 'readonly', TextDecoder: 'readonly', Intl: 'readonly' },
    },
  },
  {
    // The untyped @digitalbazaar / jsonld libraries are imported, and cast to types, only in their wrapper.
    files: ['src/**/*.ts', 'cli/**/*.ts'],
    ignores: ['src/libraries/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(@digitalbazaar|@digitalcredentials)/', message: 'Import it from src/libraries (the typed wrapper), and add what you need there.' },
            { regex: '^jsonld(-signatures)?$', message: 'Import it from src/libraries (the typed wrapper), and add what you need there.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
