// ESLint flat config: typescript-eslint (type-aware), Lit and web-component rules,
// and the import boundaries between server/, client/, client/data, sw/ and shared/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';

const boundary = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
      'bench/tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['client/**/*.ts'],
    plugins: { lit, wc },
    rules: {
      ...lit.configs.recommended.rules,
      ...wc.configs.recommended.rules,
      ...boundary([
        { group: ['**/server/**', '../server/*'], message: 'client/ never imports server/' },
      ]),
    },
  },
  {
    files: ['client/data/**/*.ts'],
    rules: boundary([
      { group: ['lit', 'lit/*', '@lit/*'], message: 'client/data does not know Lit' },
      { group: ['**/server/**'], message: 'client/ never imports server/' },
    ]),
  },
  {
    files: ['server/**/*.ts'],
    rules: boundary([
      { group: ['**/client/**', 'lit', 'lit/*'], message: 'server/ never imports client/' },
    ]),
  },
  {
    files: ['shared/**/*.ts'],
    rules: boundary([
      {
        group: ['**/server/**', '**/client/**', '**/sw/**'],
        message: 'shared/ imports neither side',
      },
      { group: ['node:*'], message: 'shared/ runs in the browser too' },
    ]),
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
