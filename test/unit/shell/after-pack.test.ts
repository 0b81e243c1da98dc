import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-db';

/*
 * The afterPack hook (electron/tools/after-pack.mjs) flips Electron's fuses. Electron cannot be
 * downloaded here, so the hook runs against a stand-in binary: bytes around Electron's fuse sentinel
 * with the fuse wire Electron 45 ships (version 1, eight fuses), flipped by the real @electron/fuses.
 */

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 49;
const OFF = 48;
// Electron's defaults: run-as-node, NODE_OPTIONS, --inspect and file:// privileges on; the rest off.
const ELECTRON_DEFAULTS = [ON, OFF, ON, ON, OFF, OFF, OFF, ON];
// electron-builder's Arch enum: ia32 0, x64 1, armv7l 2, arm64 3, universal 4.
const X64 = 1;
const ARM64 = 3;

interface Context {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { projectDir: string; getResourcesDir(appOutDir: string): string; addElectronFuses(c: Context, f: FuseConfig): Promise<unknown> };
}
type Hook = { default: (c: Context) => Promise<void>; FUSES: Record<string, boolean> };
const loadHook = async (): Promise<Hook> => (await import(pathToFileURL(resolve('electron/tools/after-pack.mjs')).href)) as Hook;

describe('the afterPack hook: Electron fuses', () => {
  const t = tempDir('cairn-after-pack-');
  afterAll(() => t.cleanup());

  /** A packed Linux app as electron-builder leaves it: the binary, resources/native/, the project's stamp. */
  function packedApp(name: string, stamp: { platform: string; arch: string } | null): { ctx: Context; binary: string; flipped: FuseConfig[] } {
    const project = join(t.dir, name, 'project');
    const appOutDir = join(t.dir, name, 'linux-unpacked');
    mkdirSync(join(appOutDir, 'resources', 'native'), { recursive: true });
    mkdirSync(join(project, '.cairn-electron'), { recursive: true });
    writeFileSync(join(appOutDir, 'resources', 'native', 'better_sqlite3.node'), 'an Electron build');
    if (stamp)
      writeFileSync(join(project, '.cairn-electron', 'electron-version'), JSON.stringify({ electron: '45.5.0', 'better-sqlite3': '12.11.1', ...stamp }));
    const binary = join(appOutDir, 'cairn');
    writeFileSync(
      binary,
      Buffer.concat([Buffer.from('\x7fELF…code…'), Buffer.from(SENTINEL), Buffer.from([1, 8, ...ELECTRON_DEFAULTS]), Buffer.from('…more code')]),
    );
    const flipped: FuseConfig[] = [];
    const ctx: Context = {
      appOutDir,
      electronPlatformName: 'linux',
      arch: X64,
      packager: {
        projectDir: project,
        getResourcesDir: (dir) => join(dir, 'resources'),
        // What electron-builder's PlatformPackager.addElectronFuses does on Linux: the executable in appOutDir.
        addElectronFuses: (c, f) => {
          flipped.push(f);
          return flipFuses(join(c.appOutDir, 'cairn'), f);
        },
      },
    };
    return { ctx, binary, flipped };
  }

  it('turns off run-as-node, NODE_OPTIONS, --inspect and file:// privileges, and turns on asar integrity and asar-only', async () => {
    const hook = await loadHook();
    expect(hook.FUSES).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    const { ctx, binary, flipped } = packedApp('linux', { platform: 'linux', arch: 'x64' });
    const before = readFileSync(binary);
    await hook.default(ctx);
    const wire = await getCurrentFuseWire(binary);
    expect(wire.version).toBe(FuseVersion.V1);
    expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(OFF);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON);
    // Only the wire changed, and a later Electron fuse would have to be decided (strict).
    const after = readFileSync(binary);
    expect(after.length).toBe(before.length);
    expect([...after].filter((b, i) => b !== before[i]).length).toBeGreaterThan(0);
    expect(flipped[0]).toMatchObject({ strictlyRequireAllFuses: true, resetAdHocDarwinSignature: false });
  });

  it('re-signs ad hoc on an arm64 Mac, where a flipped fuse would otherwise stop an unsigned app from starting', async () => {
    const hook = await loadHook();
    const { ctx, flipped } = packedApp('mac', { platform: 'darwin', arch: 'arm64' });
    await hook.default({
      ...ctx,
      electronPlatformName: 'darwin',
      arch: ARM64,
      packager: { ...ctx.packager, addElectronFuses: (_c, f) => Promise.resolve(flipped.push(f)) },
    });
    expect(flipped[0]).toMatchObject({ resetAdHocDarwinSignature: true, [FuseV1Options.RunAsNode]: false });
  });

  it('refuses a package whose database module was built for another platform, or not at all', async () => {
    const hook = await loadHook();
    const wrong = packedApp('wrong', { platform: 'linux', arch: 'x64' });
    await expect(hook.default({ ...wrong.ctx, electronPlatformName: 'win32' })).rejects.toThrow(/built for linux-x64, not win32-x64/);
    const none = packedApp('none', null);
    await expect(hook.default(none.ctx)).rejects.toThrow(/not linux-x64/);
    expect(wrong.flipped).toEqual([]);
  });
});
