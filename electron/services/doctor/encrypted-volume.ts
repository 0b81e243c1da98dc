import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, win32 } from 'node:path';

/** Whether a path sits on an encrypted volume; `unknown` whenever Cairn cannot tell (never a guess). */
export interface VolumeEncryption {
  state: 'encrypted' | 'not_encrypted' | 'unknown';
  /** One line for a person: what was found and how. */
  detail: string;
}

/** Runs a command for its output; injectable so the platform parsers are tested with real outputs. */
export type RunCommand = (cmd: string, args: string[]) => { code: number | null; stdout: string };

const run: RunCommand = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  return { code: r.error ? null : r.status, stdout: r.stdout ?? '' };
};

export interface VolumeProbeOptions {
  platform?: NodeJS.Platform;
  /** Where /proc and /sys are (a test gives a made-up tree). */
  procRoot?: string;
  sysRoot?: string;
  run?: RunCommand;
}

/** The nearest existing path at or above `p` (a data directory not made yet is judged by where it would go). */
function existing(p: string): string {
  let cur = p;
  while (!existsSync(cur) && dirname(cur) !== cur) cur = dirname(cur);
  return realpathSync(cur);
}

interface Mount {
  devId: string;
  mountPoint: string;
  fsType: string;
  source: string;
}

const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The mount holding `path`, from /proc/self/mountinfo (the longest mount point above it; the last one mounted wins). */
function mountOf(path: string, procRoot: string): Mount | null {
  let best: Mount | null = null;
  for (const line of readFileSync(join(procRoot, 'self', 'mountinfo'), 'utf8').split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (f.length < 10 || dash < 6) continue;
    const m: Mount = { devId: f[2]!, mountPoint: unescape(f[4]!), fsType: f[dash + 1]!, source: unescape(f[dash + 2]!) };
    const inside = m.mountPoint === '/' || path === m.mountPoint || path.startsWith(`${m.mountPoint}/`);
    if (inside && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m;
  }
  return best;
}

/** The dm-crypt layer under a block device, walking its slaves (LVM on LUKS, RAID on LUKS); the crypt UUID or null. */
function cryptLayer(devDir: string, seen = new Set<string>()): string | null {
  if (seen.has(devDir) || seen.size > 64) return null;
  seen.add(devDir);
  const uuidFile = join(devDir, 'dm', 'uuid');
  if (existsSync(uuidFile)) {
    const uuid = readFileSync(uuidFile, 'utf8').trim();
    if (uuid.startsWith('CRYPT-')) return uuid;
  }
  const slaves = join(devDir, 'slaves');
  if (existsSync(slaves)) {
    for (const s of readdirSync(slaves)) {
      const found = cryptLayer(join(slaves, s), seen);
      if (found) return found;
    }
  }
  // A partition's own folder has no slaves: its disk's folder (the parent) may be the dm device.
  const parent = dirname(devDir);
  if (existsSync(join(parent, 'dm')) && !seen.has(parent)) return cryptLayer(parent, seen);
  return null;
}

function linux(path: string, o: Required<Pick<VolumeProbeOptions, 'procRoot' | 'sysRoot'>>): VolumeEncryption {
  const m = mountOf(path, o.procRoot);
  if (!m) return { state: 'unknown', detail: 'no mount found for it in /proc/self/mountinfo' };
  const where = `${m.mountPoint} (${m.fsType} on ${m.source})`;
  if (m.fsType === 'ecryptfs') return { state: 'encrypted', detail: `${where}: eCryptfs` };
  if (m.devId.startsWith('0:'))
    return { state: 'unknown', detail: `${where} is not a block device Cairn can follow (${m.fsType}); check its encryption yourself` };
  const link = join(o.sysRoot, 'dev', 'block', m.devId);
  if (!existsSync(link)) return { state: 'unknown', detail: `${where}: no ${link}` };
  // The device's own folder under /sys/devices (a partition's parent is its disk).
  const devDir = realpathSync(link);
  const crypt = cryptLayer(devDir);
  if (crypt) return { state: 'encrypted', detail: `${where}: dm-crypt/LUKS (${crypt.split('-').slice(0, 2).join('-')})` };
  if (existsSync(join(devDir, 'loop')))
    return { state: 'unknown', detail: `${where} is a loop device: the encryption of the file behind it is not visible here` };
  return { state: 'not_encrypted', detail: `${where}: no dm-crypt/LUKS layer under it (a self-encrypting drive cannot be seen from here)` };
}

function mac(path: string, exec: RunCommand): VolumeEncryption {
  const df = exec('df', ['-P', path]);
  const device = df.code === 0 ? df.stdout.trim().split('\n')[1]?.split(/\s+/)[0] : undefined;
  if (device) {
    const info = exec('diskutil', ['info', device]);
    if (info.code === 0) {
      if (/FileVault:\s+Yes/i.test(info.stdout) || /Encrypted:\s+Yes/i.test(info.stdout))
        return { state: 'encrypted', detail: `${device}: FileVault / APFS encryption on` };
      if (/FileVault:\s+No/i.test(info.stdout)) return { state: 'not_encrypted', detail: `${device}: FileVault is off for this volume (diskutil info)` };
    }
  }
  const fv = exec('fdesetup', ['status']);
  if (fv.code === 0 && /FileVault is On/i.test(fv.stdout) && (!device || /^\/dev\/disk\d+s\d+/.test(device)))
    return { state: 'encrypted', detail: 'FileVault is On (fdesetup status)' };
  return { state: 'unknown', detail: 'diskutil and fdesetup did not say (run "fdesetup status" and "diskutil apfs list" yourself)' };
}

function windows(path: string, exec: RunCommand): VolumeEncryption {
  const drive = win32.parse(path).root.replace(/\\$/, '');
  const r = exec('manage-bde', ['-status', drive]);
  if (r.code !== 0) return { state: 'unknown', detail: `manage-bde -status ${drive} did not answer (it needs an administrator's prompt)` };
  if (/Protection Status:\s+Protection On/i.test(r.stdout)) return { state: 'encrypted', detail: `${drive}: BitLocker protection on` };
  if (/Protection Status:\s+Protection Off/i.test(r.stdout))
    return {
      state: 'not_encrypted',
      detail: `${drive}: BitLocker protection off (${/Conversion Status:\s+(.+)/i.exec(r.stdout)?.[1]?.trim() ?? 'see manage-bde -status'})`,
    };
  return { state: 'unknown', detail: `manage-bde -status ${drive} gave an answer Cairn does not recognise` };
}

/** Whether `path` sits on an encrypted volume: LUKS/dm-crypt (Linux), FileVault (macOS), BitLocker (Windows). */
export function volumeEncryption(path: string, o: VolumeProbeOptions = {}): VolumeEncryption {
  const platform = o.platform ?? process.platform;
  try {
    // A made-up /proc, or another platform's path (tests): taken as given.
    const p = o.procRoot || platform !== process.platform ? path : existing(path);
    if (platform === 'linux') return linux(p, { procRoot: o.procRoot ?? '/proc', sysRoot: o.sysRoot ?? '/sys' });
    if (platform === 'darwin') return mac(p, o.run ?? run);
    if (platform === 'win32') return windows(p, o.run ?? run);
    return { state: 'unknown', detail: `no check for ${platform}` };
  } catch (e) {
    return { state: 'unknown', detail: `could not tell (${e instanceof Error ? e.message : String(e)})` };
  }
}
