// @ts-check
// Lint for the whole repo. The import rules between runtimes (see README "Architecture") are
// enforced here as no-restricted-imports zones, a third guard beside per-runtime tsconfigs and
// the tests (services tests run under plain Node, so a stray `import 'electron'` fails there).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (patterns, paths = []) => ['error', { paths, patterns }];
const electronOnly = { name: 'electron', message: "'electron' belongs in electron/main and electron/preload only." };
const UI = [{ group: ['react', 'react-dom', 'react/*', 'react-dom/*', '@mantine/*', 'zustand'], message: 'UI libraries belong in renderer/ only.' }];
const NODE_ONLY = [
  {
    group: ['node:*', 'better-sqlite3', '@electric-sql/pglite', 'drizzle-orm/*', 'fs', 'path', 'crypto'],
    message: 'Node-only modules belong under electron/.',
  },
];
const up = (...dirs) => dirs.map((d) => ({ group: [`**/${d}/**`, `**/${d}`], message: `This layer may not import from ${d}/ (see README, Architecture).` }));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['electron.vite.config.ts', '.config/*.js', 'electron/tools/*.mjs', 'test/helpers/*.mjs'] },
        tsconfigRootDir: import.meta.dirname + '/..',
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': restrict([...UI], [electronOnly]),
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([...UI, ...NODE_ONLY, ...up('electron', 'renderer')], [electronOnly]) },
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([...UI, ...up('main', 'preload', 'server', 'cli', 'web', 'renderer')], [electronOnly]) },
  },
  {
    files: ['electron/cli/**/*.ts', 'electron/web/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([...UI, ...up('main', 'preload', 'renderer')], [electronOnly]) },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([...UI, ...up('renderer')]) },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([...NODE_ONLY, ...up('electron')], [electronOnly]),
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  { files: ['.config/*.js', 'electron/tools/*.mjs', 'test/helpers/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
