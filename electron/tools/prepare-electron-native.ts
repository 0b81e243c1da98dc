/**
 * `npm start`, `npm run dev` and `npm run dist` run this (under tsx) before Electron. npm install
 * builds better-sqlite3 for this machine's Node (so the tests run under plain Node); Electron has its
 * own ABI. Rather than rebuild the shared copy (which would break `npm test`), we build a second copy
 * for Electron under .cairn-electron/: the app from source points at it (CAIRN_SQLITE_BINDING), and
 * `npm run dist` ships its binding as resources/native/better_sqlite3.node, since electron-builder
 * must not rebuild anything (npmRebuild: false: it would rebuild the shared copy in place).
 *
 * @electron/rebuild is called through its API, not its .cmd shim: Node >= 20.12.2 refuses to
 * execFile a .cmd without a shell on Windows (EINVAL), and only the API takes both buildPath and
 * projectRootPath. The plan and its guard are in electron-native.ts, tested under Node.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertPrivate, copyModule, isPrepared, planElectronNative, stampPrepared } from './electron-native';

const plan = planElectronNative(join(import.meta.dirname, '..', '..'));
assertPrivate(plan);

if (!isPrepared(plan)) {
  console.error(`cairn: building better-sqlite3 ${plan.moduleVersion} for Electron ${plan.electronVersion} (first start only)…`);
  copyModule(plan);
  const { rebuild } = await import('@electron/rebuild');
  try {
    await rebuild(plan.rebuildOptions);
  } catch (e) {
    console.error(`cairn: the Electron build of the database module failed: ${e instanceof Error ? e.message : String(e)}`);
    console.error('cairn: it needs Node >= 22.12 and a C++ toolchain (build-essential, Xcode command line tools, or Visual Studio Build Tools).');
    process.exit(1);
  }
  if (!existsSync(plan.binding)) {
    console.error(`cairn: the Electron build of the database module was not produced at ${plan.binding}`);
    process.exit(1);
  }
  stampPrepared(plan);
}
