/**
 * The plan behind `npm start`'s private Electron build of the database module (run by
 * prepare-electron-native.ts). Kept apart from the script so a test can check, under plain Node and
 * without downloading Electron, that the rebuild is pointed at the private copy only.
 *
 * Why a private copy: npm install builds better-sqlite3 for this machine's Node, which the tests
 * need; Electron has another ABI. @electron/rebuild finds its project root by walking up to a lock
 * file and rebuilds the native modules under it, so pointed at the repository it rebuilt the shared
 * node_modules/better-sqlite3 for Electron and broke every test afterwards (NODE_MODULE_VERSION
 * mismatch). Here buildPath and projectRootPath are both the private folder, and onlyModules names
 * the one module.
 */
import type { RebuildOptions } from '@electron/rebuild';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

export const MODULE = 'better-sqlite3';
/** Outside node_modules (and git-ignored), so nothing npm does reaches it and it reaches nothing else. */
export const PRIVATE_DIR = '.cairn-electron';

export interface ElectronNativePlan {
  electronVersion: string;
  moduleVersion: string;
  /** node_modules/better-sqlite3, built for Node: only ever read. */
  sharedModule: string;
  privateRoot: string;
  privateModule: string;
  /** The Electron build of the module, which the app loads (CAIRN_SQLITE_BINDING). */
  binding: string;
  stampFile: string;
  /** What the build was made for: Electron's and the module's versions, the platform and the architecture. */
  stamp: string;
  rebuildOptions: RebuildOptions & { buildPath: string; projectRootPath: string; onlyModules: string[] };
}

const readVersion = (file: string): string => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;

const inside = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** What the private build is, where it goes, and the options @electron/rebuild gets. */
export function planElectronNative(root: string, opts: { electronVersion?: string; platform?: NodeJS.Platform; arch?: string } = {}): ElectronNativePlan {
  const repo = resolve(root);
  const electronVersion = opts.electronVersion ?? readVersion(join(repo, 'node_modules', 'electron', 'package.json'));
  const sharedModule = join(repo, 'node_modules', MODULE);
  const moduleVersion = readVersion(join(sharedModule, 'package.json'));
  const privateRoot = join(repo, PRIVATE_DIR);
  const privateModule = join(privateRoot, 'node_modules', MODULE);
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  return {
    electronVersion,
    moduleVersion,
    sharedModule,
    privateRoot,
    privateModule,
    binding: join(privateModule, 'build', 'Release', 'better_sqlite3.node'),
    stampFile: join(privateRoot, 'electron-version'),
    // Rebuilt when Electron, the module (npm update) or the machine changes.
    stamp: JSON.stringify({ electron: electronVersion, [MODULE]: moduleVersion, platform, arch }),
    rebuildOptions: {
      buildPath: privateRoot,
      projectRootPath: privateRoot,
      electronVersion,
      platform,
      arch,
      onlyModules: [MODULE],
      types: ['prod'],
      force: true,
      mode: 'sequential',
    },
  };
}

/** Throws unless every path the rebuild may touch is the private folder (a guard against a later edit). */
export function assertPrivate(plan: ElectronNativePlan): void {
  const { buildPath, projectRootPath, onlyModules } = plan.rebuildOptions;
  for (const [name, path] of Object.entries({ buildPath, projectRootPath })) {
    if (inside(dirname(plan.sharedModule), path)) throw new Error(`the Electron rebuild's ${name} ${path} is inside the shared node_modules`);
    if (path !== plan.privateRoot) throw new Error(`the Electron rebuild's ${name} must be ${plan.privateRoot}, not ${path}`);
  }
  if (onlyModules.length !== 1 || onlyModules[0] !== MODULE) throw new Error(`the Electron rebuild must build only ${MODULE}`);
}

/** Whether the private build exists and was made for this Electron, this module version and this machine. */
export function isPrepared(plan: ElectronNativePlan): boolean {
  return existsSync(plan.binding) && existsSync(plan.stampFile) && readFileSync(plan.stampFile, 'utf8') === plan.stamp;
}

/**
 * Copies the shared module's sources (not its Node build) into the private folder, with a
 * package.json that makes it the private project's one dependency. Reads the shared copy only.
 */
export function copyModule(plan: ElectronNativePlan): void {
  mkdirSync(dirname(plan.privateModule), { recursive: true });
  const buildDir = join(plan.sharedModule, 'build');
  cpSync(plan.sharedModule, plan.privateModule, { recursive: true, force: true, filter: (src) => !inside(buildDir, src) });
  writeFileSync(
    join(plan.privateRoot, 'package.json'),
    JSON.stringify({ name: 'cairn-electron-native', private: true, dependencies: { [MODULE]: plan.moduleVersion } }, null, 2) + '\n',
  );
}

/** Records what the build was made for; call once the binding exists. */
export function stampPrepared(plan: ElectronNativePlan): void {
  writeFileSync(plan.stampFile, plan.stamp);
}
