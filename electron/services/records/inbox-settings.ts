import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { CairnFailure } from '../../../shared/api/result';
import type { AuditRepo } from '../repos/audit.repo';

/**
 * The scan/fax folder this device watches, kept in the device's `meta` table like its other device
 * settings (provision/device-settings.ts): a folder is a place on this machine, so it never syncs.
 */
export const SCAN_INBOX_KEY = 'device.scan_inbox_dir';

/** The watched folder, or null when none is set. */
export function readInboxDir(sqlite: Database.Database): string | null {
  const row = sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(SCAN_INBOX_KEY) as { value: string } | undefined;
  return row?.value ? row.value : null;
}

/** Why `dir` cannot be watched (null: it can): it must be an existing folder this program may write (files are moved out of it). */
export function inboxDirRefusal(dir: string): string | null {
  if (!isAbsolute(dir)) return `give the whole path of the folder (for example /srv/scans or C:\\Scans), not "${dir}"`;
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return `the folder ${dir} does not exist: create it, or choose the folder the scanner or fax software saves into`;
  }
  if (!isDir) return `${dir} is a file, not a folder: choose the folder the scanner or fax software saves into`;
  try {
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch {
    return `Cairn may not read and write the folder ${dir} (it moves each file out once kept): give it permission or choose another`;
  }
  return null;
}

/** Sets (or clears, null) the watched folder; audited as a device setting. */
export function writeInboxDir(sqlite: Database.Database, audit: AuditRepo, dir: string | null, actorId: string, at: string): string | null {
  if (dir !== null) {
    const refusal = inboxDirRefusal(dir);
    if (refusal) throw new CairnFailure('invalid_input', refusal, [{ path: 'dir', message: refusal }]);
  }
  const value = dir === null ? null : resolve(dir);
  sqlite.transaction(() => {
    if (value === null) sqlite.prepare('DELETE FROM meta WHERE key = ?').run(SCAN_INBOX_KEY);
    else sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(SCAN_INBOX_KEY, value);
    audit.append({ action: 'settings.scan_inbox', userId: actorId, detail: value ?? '(none)' }, at);
  })();
  return value;
}
