import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { provisioningCandidates, systemConfigDir } from '../../../electron/services/provision';
import { describe, expect, it } from 'vitest';

/*
 * electron-builder.yml, checked without building (Electron cannot be downloaded here): electron-builder's
 * own schema validation, the targets and app id, what goes into and beside app.asar, that nothing
 * rebuilds the shared native module, that the fuses hook is wired, and that no secret is written in it.
 */

type Config = Record<string, unknown> & {
  appId: string;
  productName: string;
  asarUnpack: string[];
  files: string[];
  extraResources: { from: string; to: string }[];
  afterPack: string;
  npmRebuild: boolean;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
};
const file = resolve('electron-builder.yml');
const text = readFileSync(file, 'utf8');
const config = (): Config => load(text) as Config;

const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: (c: unknown, log: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

/** Every key anywhere in the config, with its path. */
function keys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keys(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [`${path}.${k}`, ...keys(v, `${path}.${k}`)]);
  return [];
}

describe('electron-builder.yml', () => {
  it('is valid for the installed electron-builder (its own schema), which refuses an unknown option', async () => {
    await expect(validateConfiguration(config(), new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config(), nsisSilent: true }, new DebugLogger(false))).rejects.toThrow(/unknown property 'nsisSilent'/);
  });

  it('builds the deb, AppImage, NSIS, dmg and pkg targets of org.cairn-emr.desktop, with update metadata', () => {
    const c = config();
    expect(c.appId).toBe('org.cairn-emr.desktop');
    expect(c.productName).toBe('Cairn');
    expect(c.linux.target).toEqual(expect.arrayContaining(['deb', 'AppImage']));
    expect(c.win.target).toEqual(['nsis']);
    expect(c.mac.target).toEqual(expect.arrayContaining(['dmg', 'pkg', 'zip']));
    // latest*.yml are written for the clinic's update feed; nothing is uploaded anywhere.
    expect(c['publish']).toEqual([{ provider: 'generic', url: 'https://clinic-server.invalid/updates/stable' }]);
  });

  it("unpacks only native modules, ships the database module's Electron build, and never rebuilds the shared one", () => {
    const c = config();
    expect(c.asarUnpack).toEqual(['**/*.node']);
    expect(c.npmRebuild).toBe(false);
    // The shared copy's Node-ABI build stays out of app.asar; the Electron build goes beside it.
    expect(c.files).toContain('!**/node_modules/better-sqlite3/build/**');
    expect(c.extraResources).toContainEqual({
      from: '.cairn-electron/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      to: 'native/better_sqlite3.node',
    });
  });

  it('flips the fuses in its afterPack hook', async () => {
    const hook = resolve(config().afterPack);
    expect(config().afterPack).toBe('electron/tools/after-pack.mjs');
    const m = (await import(pathToFileURL(hook).href)) as { default: unknown; FUSES: Record<string, boolean> };
    expect(typeof m.default).toBe('function');
    expect(m.FUSES).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('holds no signing secret: no certificate, password or Apple account in any option', () => {
    const secretish = /csc|password|secret|token|certificate(File|Password|Subject)?$|appleId|apiKey|keychain|sign(ing)?Hash/i;
    expect(keys(config()).filter((k) => secretish.test(k.split('.').pop() ?? ''))).toEqual([]);
    // Outside comments: no assignment of the standard variables, no key material, no certificate file.
    const code = text
      .split('\n')
      .map((l) => l.replace(/#.*$/, ''))
      .join('\n');
    expect(code).not.toMatch(/CSC_|APPLE_|WIN_CSC|-----BEGIN|\.p12\b|\.pfx\b|\.p8\b|[A-Za-z0-9+/]{80,}/);
    // The comments name the variables signing reads, so the builder knows where they go.
    expect(text).toMatch(/CSC_LINK/);
    expect(text).toMatch(/APPLE_API_KEY/);
  });

  it('installs a provisioning file found beside the Windows installer or the macOS pkg where Cairn looks for it', () => {
    // NSIS: into the install folder, which is where the running Cairn.exe looks first.
    const nsh = readFileSync(resolve('resources/build/installer.nsh'), 'utf8');
    expect(nsh).toMatch(/!macro customInstall[\s\S]*CopyFiles \/SILENT "\$EXEDIR\\cairn-provisioning\.json" "\$INSTDIR"[\s\S]*!macroend/);
    expect(provisioningCandidates({ platform: 'win32', exeDir: 'C:\\Program Files\\Cairn' })[0]).toBe('C:\\Program Files\\Cairn\\cairn-provisioning.json');
    // pkg: into the system-wide folder Cairn reads on macOS; the script must be executable to run.
    const script = resolve('resources/build/pkg-scripts/postinstall');
    const text = readFileSync(script, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toContain(`dest="${systemConfigDir({ platform: 'darwin' })}"`);
    expect(text).toContain('${PACKAGE_PATH:-$1}');
    expect(statSync(script).mode & 0o111).toBe(0o111);
  });

  it('has its icon: a 1024×1024 PNG in the build resources', () => {
    const png = readFileSync(resolve('resources/build/icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(1024);
    expect(png.readUInt32BE(20)).toBe(png.readUInt32BE(16));
  });
});

describe('package.json for the desktop build', () => {
  const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    engines: { node: string };
  };
  /** The packages each source tree imports (from '…' or import('…'), type-only imports included). */
  function importedBy(dir: string): Set<string> {
    const found = new Set<string>();
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx|mts|mjs)$/.test(name)) {
          for (const m of readFileSync(p, 'utf8').matchAll(/(?:from |import\()'((?:@[\w.-]+\/)?[\w.-]+)/g)) found.add(m[1]!);
        }
      }
    };
    walk(resolve(dir));
    return found;
  }

  it('keeps renderer-only packages out of dependencies, so they are not copied into app.asar (Vite bundles them)', () => {
    const backend = new Set([...importedBy('electron'), ...importedBy('shared')]);
    const renderer = importedBy('renderer');
    const rendererOnly = [...renderer].filter((p) => !backend.has(p) && !p.startsWith('node') && existsSync(resolve('node_modules', p)));
    expect(rendererOnly).toEqual(expect.arrayContaining(['react', '@mantine/core']));
    expect(rendererOnly.filter((p) => p in pkg.dependencies)).toEqual([]);
    // npm ci still installs them: they are devDependencies.
    for (const p of rendererOnly) expect(pkg.devDependencies[p], p).toBeDefined();
  });

  it('runs the tests on Node 20.19 (the desktop build needs 22.12, as README says)', () => {
    expect(pkg.engines.node).toBe('>=20.19');
    expect(pkg.devDependencies['@electron/rebuild']).toBeDefined();
  });
});
