import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPrivate, copyModule, isPrepared, planElectronNative, stampPrepared, type ElectronNativePlan } from '../../../electron/tools/electron-native';
import { tempDir } from '../../helpers/temp-db';

/*
 * `npm start` builds a private copy of better-sqlite3 for Electron. Issue #24: @electron/rebuild, as it
 * was called, found the repository's lock file and rebuilt the shared node_modules/better-sqlite3 for
 * Electron's ABI, breaking every test afterwards. These check the plan, and ask @electron/rebuild's own
 * module walker (no download, no compiler) which folders it would rebuild with the plan's options.
 */

const repo = resolve('.');

interface Walker {
  modulesToRebuild(): Promise<string[]>;
}
async function foldersRebuildWouldTouch(o: ElectronNativePlan['rebuildOptions']): Promise<string[]> {
  const url = pathToFileURL(join(repo, 'node_modules', '@electron', 'rebuild', 'lib', 'rebuild.js')).href;
  const { Rebuilder } = (await import(url)) as { Rebuilder: new (o: ElectronNativePlan['rebuildOptions'] & { lifecycle: EventEmitter }) => Walker };
  return new Rebuilder({ ...o, lifecycle: new EventEmitter() }).modulesToRebuild();
}

/** Every file under a folder with its SHA-256, to show a folder was not touched. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p.slice(dir.length)] = createHash('sha256').update(readFileSync(p)).digest('hex') + ' ' + statSync(p).mtimeMs;
    }
  };
  walk(dir);
  return out;
}

function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

/** A repository like ours: a lock file, electron, the shared module built for Node, and another native module. */
function fakeRepo(root: string, moduleVersion = '12.11.1'): void {
  write(join(root, 'package.json'), JSON.stringify({ name: 'cairn', dependencies: { 'better-sqlite3': '*', 'other-native': '*' } }));
  write(join(root, 'package-lock.json'), '{}');
  write(join(root, 'node_modules', 'electron', 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
  const mod = join(root, 'node_modules', 'better-sqlite3');
  write(join(mod, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: moduleVersion, dependencies: { bindings: '*' } }));
  write(join(mod, 'binding.gyp'), '{}');
  write(join(mod, 'lib', 'index.js'), 'module.exports = {};');
  write(join(mod, 'build', 'Release', 'better_sqlite3.node'), 'built for Node');
  write(join(root, 'node_modules', 'bindings', 'package.json'), JSON.stringify({ name: 'bindings', version: '1.5.0' }));
  write(join(root, 'node_modules', 'other-native', 'package.json'), JSON.stringify({ name: 'other-native', version: '1.0.0' }));
  write(join(root, 'node_modules', 'other-native', 'binding.gyp'), '{}');
}

describe('the private Electron build of the database module', () => {
  const t = tempDir('cairn-electron-native-');
  afterAll(() => t.cleanup());

  it('points buildPath and projectRootPath at .cairn-electron of this repository, for better-sqlite3 only', () => {
    const plan = planElectronNative(repo);
    const privateRoot = join(repo, '.cairn-electron');
    expect(plan.rebuildOptions.buildPath).toBe(privateRoot);
    expect(plan.rebuildOptions.projectRootPath).toBe(privateRoot);
    expect(plan.rebuildOptions.onlyModules).toEqual(['better-sqlite3']);
    expect(plan.binding.startsWith(join(privateRoot, 'node_modules', 'better-sqlite3'))).toBe(true);
    expect(plan.sharedModule).toBe(join(repo, 'node_modules', 'better-sqlite3'));
    // The stamp names Electron's version and the module's, so `npm update` of either rebuilds.
    const versionOf = (p: string): string => (JSON.parse(readFileSync(join(repo, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
    expect(JSON.parse(plan.stamp)).toMatchObject({ electron: versionOf('electron'), 'better-sqlite3': versionOf('better-sqlite3') });
    expect(() => assertPrivate(plan)).not.toThrow();
  });

  it('refuses a plan that would rebuild in the repository or its node_modules', () => {
    const plan = planElectronNative(repo);
    expect(() => assertPrivate({ ...plan, rebuildOptions: { ...plan.rebuildOptions, projectRootPath: repo } })).toThrow(/projectRootPath/);
    const shared = join(repo, 'node_modules');
    expect(() =>
      assertPrivate({ ...plan, privateRoot: shared, rebuildOptions: { ...plan.rebuildOptions, buildPath: shared, projectRootPath: shared } }),
    ).toThrow(/inside the shared node_modules/);
    expect(() => assertPrivate({ ...plan, rebuildOptions: { ...plan.rebuildOptions, onlyModules: [] } })).toThrow(/only better-sqlite3/);
  });

  it('copies the sources without touching the shared copy, and @electron/rebuild then finds only the private module', async () => {
    const root = join(t.dir, 'repo');
    fakeRepo(root);
    const shared = join(root, 'node_modules');
    const before = fingerprint(shared);
    const plan = planElectronNative(root);
    copyModule(plan);
    expect(fingerprint(shared)).toEqual(before);
    // The Node build is not carried over (it is the wrong ABI); the sources are.
    expect(existsSync(join(plan.privateModule, 'build'))).toBe(false);
    expect(existsSync(join(plan.privateModule, 'binding.gyp'))).toBe(true);
    expect(JSON.parse(readFileSync(join(plan.privateRoot, 'package.json'), 'utf8'))).toMatchObject({ dependencies: { 'better-sqlite3': '12.11.1' } });

    const touched = await foldersRebuildWouldTouch(plan.rebuildOptions);
    expect(touched).toEqual([plan.privateModule]);
    expect(fingerprint(shared)).toEqual(before);
    // The control: with the repository as its root (what the old call amounted to) it takes the shared copy.
    const wrong = await foldersRebuildWouldTouch({ ...plan.rebuildOptions, buildPath: root, projectRootPath: root });
    expect(wrong).toContain(join(shared, 'better-sqlite3'));
  });

  it('is prepared only for the Electron and module versions it was built for', () => {
    const root = join(t.dir, 'versions');
    fakeRepo(root);
    const plan = planElectronNative(root);
    expect(isPrepared(plan)).toBe(false);
    copyModule(plan);
    write(plan.binding, 'built for Electron');
    stampPrepared(plan);
    expect(isPrepared(plan)).toBe(true);
    expect(isPrepared(planElectronNative(root, { electronVersion: '46.0.0' }))).toBe(false);
    fakeRepo(root, '12.12.0');
    expect(isPrepared(planElectronNative(root))).toBe(false);
  });
});
