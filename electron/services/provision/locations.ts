import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { PROVISIONING_FILE_NAME } from '../../../shared/domain/provisioning';

/** What the running app knows about where it is; all plain values, so the search order is testable. */
export interface ProvisioningPlaces {
  /** `process.platform`. */
  platform: NodeJS.Platform;
  /** The folder of the running executable (`dirname(process.execPath)` in the packaged app). */
  exeDir: string;
  /** Linux AppImage: the AppImage file itself (`process.env.APPIMAGE`); the executable runs from a temporary mount. */
  appImage?: string | undefined;
  /** Windows: `%ProgramData%` (`C:\ProgramData` when unset). */
  programData?: string | undefined;
}

/** The system-wide folder an installer (or a management tool) puts Cairn's configuration in. */
export function systemConfigDir(p: Pick<ProvisioningPlaces, 'platform' | 'programData'>): string {
  if (p.platform === 'win32') return win32.join(p.programData || 'C:\\ProgramData', 'Cairn');
  if (p.platform === 'darwin') return '/Library/Application Support/Cairn';
  return '/etc/cairn';
}

/**
 * Where Cairn looks for `cairn-provisioning.json`, first match wins: beside the program (for an
 * installer run from a USB stick: beside the AppImage on Linux, beside Cairn.app on macOS, in the
 * install folder on Windows, where the installer copies it), then the system-wide config folder
 * (Linux /etc/cairn, Windows %ProgramData%\Cairn, macOS /Library/Application Support/Cairn).
 */
export function provisioningCandidates(p: ProvisioningPlaces): string[] {
  const path = p.platform === 'win32' ? win32 : posix;
  const dirs = [p.exeDir];
  if (p.platform === 'linux' && p.appImage) dirs.unshift(path.dirname(p.appImage));
  // Cairn.app/Contents/MacOS/Cairn: the folder that holds Cairn.app is where a person puts the file.
  if (p.platform === 'darwin') {
    const app = /^(.*)[/][^/]+\.app[/]Contents[/]MacOS[/]?$/.exec(p.exeDir);
    if (app) dirs.push(app[1] || '/');
  }
  dirs.push(systemConfigDir(p));
  return [...new Set(dirs.map((d) => path.join(d, PROVISIONING_FILE_NAME)))];
}

/** The first candidate that exists, or null. */
export function findProvisioningFile(candidates: readonly string[], exists: (f: string) => boolean = existsSync): string | null {
  return candidates.find((f) => exists(f)) ?? null;
}
