// electron-builder's afterPack hook (electron-builder.yml): runs once per platform after the app is
// packed and before it is signed, which is when Electron's fuses must be flipped (flipping after
// signing would break the signature). Plain JS because electron-builder loads hooks with import().
// test/unit/shell/after-pack.test.ts runs it against a stand-in Electron binary.
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { Arch } from 'electron-builder';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Electron's fuses (https://www.electronjs.org/docs/latest/tutorial/fuses), every one set so a new
 * Electron that adds a fuse fails the build until it is decided (strictlyRequireAllFuses).
 */
export const FUSES = Object.freeze({
  // The packaged binary must not be usable as a plain Node (ELECTRON_RUN_AS_NODE) to run code with the app's identity.
  runAsNode: false,
  enableCookieEncryption: true,
  // NODE_OPTIONS and --inspect would let anyone who can start the app inject code into the main process.
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  // app.asar is checked against the hash electron-builder embeds, and nothing but app.asar is loaded.
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  // The window loads the renderer from the app's own cairn:// protocol, never from file://.
  grantFileProtocolExtraPrivileges: false,
});

const WIRE = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

/**
 * The database module's Electron build ships as resources/native/better_sqlite3.node (npm run dist
 * builds it for this machine first). A native module cannot be cross-compiled, so refuse a package
 * for another platform or architecture rather than ship one that cannot open the database.
 */
function checkNativeBinding(context, platform, arch) {
  const binding = join(context.packager.getResourcesDir(context.appOutDir), 'native', 'better_sqlite3.node');
  if (!existsSync(binding)) throw new Error(`${binding} is missing: run npm run dist, which builds the database module for Electron first`);
  const stampFile = join(context.packager.projectDir, '.cairn-electron', 'electron-version');
  const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : {};
  if (stamp.platform !== platform || stamp.arch !== arch) {
    throw new Error(
      `the database module was built for ${stamp.platform ?? '?'}-${stamp.arch ?? '?'}, not ${platform}-${arch}: build each platform's installer on that platform`,
    );
  }
}

/** @param {import('electron-builder').AfterPackContext} context */
// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- a plain JS hook; its parameter is electron-builder's AfterPackContext
export default async function afterPack(context) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  // Arch names as electron-builder spells them, process.arch's names as the stamp has them.
  const arch = Arch[context.arch] === 'armv7l' ? 'arm' : Arch[context.arch];
  checkNativeBinding(context, platform, arch);
  const config = {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping a fuse invalidates the ad-hoc signature an arm64 Mac needs to start the app unsigned.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
  };
  for (const [name, value] of Object.entries(FUSES)) config[WIRE[name]] = value;
  // electron-builder's own entry point for hooks: it knows where each platform's binary is.
  await context.packager.addElectronFuses(context, config);
}
