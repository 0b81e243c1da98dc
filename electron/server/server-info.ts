import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Written beside an embedded (PGlite) server's data while it runs, so `cairn server enroll|devices|
 * revoke --data-dir DIR` can reach it through the loopback admin endpoint (PGlite is single-process).
 */
export interface RunningInfo {
  pid: number;
  url: string;
  adminToken: string;
}

const infoFile = (dir: string): string => join(dir, 'cairn-server.json');

export function newAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

export function writeRunningInfo(dir: string, info: RunningInfo): void {
  writeFileSync(infoFile(dir), JSON.stringify(info), { mode: 0o600 });
  chmodSync(infoFile(dir), 0o600);
}

export function clearRunningInfo(dir: string): void {
  rmSync(infoFile(dir), { force: true });
}

/** The server running on DIR, if its process is alive. */
export function runningInfo(dir: string): RunningInfo | null {
  if (!existsSync(infoFile(dir))) return null;
  const info = JSON.parse(readFileSync(infoFile(dir), 'utf8')) as RunningInfo;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch {
    return null;
  }
}
