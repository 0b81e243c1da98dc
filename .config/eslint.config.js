// @ts-check
// Lint for the whole repo. The import rules between runtimes (see README "Architecture") are
// enforced here, a third guard beside per-runtime tsconfigs and the tests (services tests run under
// plain Node, so a stray `import 'electron'` fails there): which folder may import which is a list
// of import-x `no-restricted-paths` zones (resolved paths, so `../../x` and `./x` cannot slip by),
// which packages a runtime may use is `no-restricted-imports`, and `import-x/no-cycle` refuses any
// import cycle (a module that runs before the one it needs has finished loading).
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { resolve } from 'node:path';
import tseslint from 'typescript-eslint';

const root = resolve(import.meta.dirname, '..');

const restrict = (patterns, paths = []) => ['error', { paths, patterns }];
const electronOnly = { name: 'electron', message: "'electron' belongs in electron/main and electron/preload only." };
const UI = [{ group: ['react', 'react-dom', 'react/*', 'react-dom/*', '@mantine/*', 'zustand'], message: 'UI libraries belong in renderer/ only.' }];
const NODE_ONLY = [
  {
    group: ['node:*', 'better-sqlite3', '@electric-sql/pglite', 'drizzle-orm/*', 'fs', 'path', 'crypto'],
    message: 'Node-only modules belong under electron/.',
  },
];

/**
 * Who may import whom (README, Architecture): each folder and the folders it may import besides
 * itself. `test/` may import everything; nothing imports `test/`. The clinic server shares Node code
 * with the client only through electron/common; electron/launch assembles the server with its lab
 * interface (a device, built from services) for the CLI and the desktop app.
 */
const MAY_IMPORT = {
  shared: [],
  'electron/common': ['shared'],
  'electron/services': ['shared', 'electron/common'],
  'electron/server': ['shared', 'electron/common'],
  'electron/launch': ['shared', 'electron/common', 'electron/services', 'electron/server'],
  'electron/cli': ['shared', 'electron/common', 'electron/services', 'electron/server', 'electron/launch'],
  'electron/web': ['shared', 'electron/common', 'electron/services'],
  'electron/main': ['shared', 'electron/common', 'electron/services', 'electron/launch', 'electron/shell'],
  'electron/shell': ['shared', 'electron/common', 'electron/services', 'electron/launch', 'electron/server'],
  'electron/preload': ['shared'],
  renderer: ['shared'],
};
const FOLDERS = [...Object.keys(MAY_IMPORT), 'test'];
const zones = Object.entries(MAY_IMPORT).map(([target, allowed]) => ({
  target: `./${target}`,
  from: FOLDERS.filter((f) => f !== target && !allowed.includes(f)).map((f) => `./${f}`),
  message: `${target}/ may import only ${[...allowed, 'itself'].join(', ')} (see README, Architecture).`,
}));
// The patient portal (renderer/src/portal, built as renderer/portal.html) is an app of its own inside
// renderer/: it imports shared/ and itself, never the staff screens, and they never import it.
const STAFF_UI = ['features', 'stores', 'lib', 'components', 'App.tsx', 'main.tsx', 'theme.ts'].map((f) => `./renderer/src/${f}`);
zones.push(
  { target: './renderer/src/portal', from: STAFF_UI, message: 'the patient portal may import only shared/ and renderer/src/portal.' },
  { target: STAFF_UI, from: ['./renderer/src/portal'], message: 'the staff app may not import the patient portal.' },
);

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['electron.vite.config.ts', '.config/*.js', 'electron/tools/*.mjs', 'test/helpers/*.mjs'] },
        tsconfigRootDir: root,
      },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x reads no .ts file's imports and no-cycle silently finds nothing.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/tsconfig.json` })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': restrict([...UI], [electronOnly]),
      'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([...UI, ...NODE_ONLY], [electronOnly]) },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([...UI]) },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([...NODE_ONLY], [electronOnly]),
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  { files: ['.config/*.js', 'electron/tools/*.mjs', 'test/helpers/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
