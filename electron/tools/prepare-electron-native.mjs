// `npm start` runs this before Electron. npm install builds better-sqlite3 for this machine's
// Node (so the tests run under plain Node); Electron has its own ABI. Rather than rebuild the
// shared copy (which would break `npm test`), we build a second copy for Electron under
// .cairn-electron/ and point the main process at it (CAIRN_SQLITE_BINDING).
// Packaged apps do not need this: electron-builder rebuilds native modules for Electron itself.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
// Outside node_modules, so the rebuild cannot reach the copy the tests use.
const target = join(root, '.cairn-electron');
const moduleDir = join(target, 'node_modules', 'better-sqlite3');
const binding = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
const stamp = join(target, 'electron-version');

if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) {
  process.exit(0);
}
console.error(`cairn: building the database module for Electron ${electronVersion} (first start only)…`);
mkdirSync(dirname(moduleDir), { recursive: true });
cpSync(join(root, 'node_modules', 'better-sqlite3'), moduleDir, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
writeFileSync(join(target, 'package.json'), JSON.stringify({ name: 'cairn-electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
execFileSync(
  join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-rebuild.cmd' : 'electron-rebuild'),
  ['--version', electronVersion, '--module-dir', target, '--which-module', 'better-sqlite3', '--force'],
  {
    stdio: 'inherit',
    cwd: target,
  },
);
if (!existsSync(binding)) {
  console.error(`cairn: the Electron build of better-sqlite3 was not produced at ${binding}`);
  process.exit(1);
}
writeFileSync(stamp, electronVersion);
