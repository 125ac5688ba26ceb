// ESLint for every workspace: the recommended rules of ESLint, typescript-eslint, eslint-plugin-astro and React's
// hooks rules for the admin. Formatting is Prettier's job (eslint-config-prettier turns the style rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import astro from 'eslint-plugin-astro';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.astro/**',
      '**/.strapi/**',
      '**/.cache/**',
      'cms/public/**',
      'cms/.tmp/**',
      '**/test-results/**',
      '**/playwright-report/**',
      'cms/types/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['cms/src/plugins/eas/admin/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Request/response contracts are type-only namespaces (ListForms.Response, ...), as Strapi's own contracts are.
    files: ['cms/src/plugins/eas/shared/contracts/**'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    // Tests and benchmarks read JSON answers of a real server; typing every body would repeat the contracts they
    // check. Production code keeps the rule.
    files: ['cms/tests/**', 'bench/**', 'e2e/**', '**/__tests__/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Playwright fixtures that use no other fixture take an empty pattern: that is its API.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  prettier
);
