import type Database from 'better-sqlite3';
import { basename, dirname, join } from 'node:path';
import { backupSettings, DEFAULT_BACKUP_SETTINGS, type BackupSettings } from '../../../shared/domain/doctor';
import { DEVICE_KEYS } from '../provision/device-settings';

/**
 * The device's backup settings, kept as JSON in `meta` under `backup_settings` (beside the clinic's
 * name and contact: device settings are not synced). A damaged value reads as the defaults, so a
 * bad edit never stops backups. Until an administrator saves them, the folder is the one the
 * provisioning file named (`device.backup_dir`), if any.
 */
const KEY = 'backup_settings';
/** The newest backup this device wrote and then verified (JSON `{ file, createdAt, verifiedAt }`). */
const LAST_KEY = 'backup_last_verified';
const PUT = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value';

function metaValue(sqlite: Database.Database, key: string): string | undefined {
  return (sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function readBackupSettings(sqlite: Database.Database): BackupSettings {
  const raw = metaValue(sqlite, KEY);
  if (!raw) {
    const provisioned = backupSettings.safeParse({ ...DEFAULT_BACKUP_SETTINGS, folder: metaValue(sqlite, DEVICE_KEYS.backupDir) ?? null });
    return provisioned.success ? provisioned.data : DEFAULT_BACKUP_SETTINGS;
  }
  try {
    const parsed = backupSettings.safeParse({ ...DEFAULT_BACKUP_SETTINGS, ...(JSON.parse(raw) as object) });
    return parsed.success ? parsed.data : DEFAULT_BACKUP_SETTINGS;
  } catch {
    return DEFAULT_BACKUP_SETTINGS;
  }
}

/** Records the settings (the caller audits the change in the same transaction when it has an actor). */
export function writeBackupSettings(sqlite: Database.Database, s: BackupSettings): BackupSettings {
  const valid = backupSettings.parse(s);
  sqlite.prepare(PUT).run(KEY, JSON.stringify(valid));
  return valid;
}

export interface LastVerified {
  file: string;
  createdAt: string;
  verifiedAt: string;
}

export function recordLastVerified(sqlite: Database.Database, last: LastVerified): void {
  sqlite.prepare(PUT).run(LAST_KEY, JSON.stringify(last));
}

export function readLastVerified(sqlite: Database.Database): LastVerified | null {
  const raw = metaValue(sqlite, LAST_KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<LastVerified>;
    return typeof v.file === 'string' && typeof v.createdAt === 'string' && typeof v.verifiedAt === 'string'
      ? { file: v.file, createdAt: v.createdAt, verifiedAt: v.verifiedAt }
      : null;
  } catch {
    return null;
  }
}

/** Where a database's backups go, and what must already exist for them to go there. */
export interface BackupPlace {
  /** The folder the backup files are written to. */
  dir: string;
  /**
   * The configured external or network folder, which must exist already: Cairn never creates it,
   * because an unmounted share's empty mount point would quietly fill the local disk instead.
   * Null for the default `backups/` beside the database (created when missing).
   */
  root: string | null;
  /** Backup files of this database are named `<prefix><UTC time>.cairnbak`. */
  prefix: string;
}

/**
 * The default is `backups/` beside the database. A configured folder gets one sub-folder per
 * device, named by its device id: ten laptops whose databases are all `clinic.cairn` may share one
 * network folder without one's retention deleting another's backups.
 */
export function backupPlace(dbFile: string, deviceId: string, folder: string | null): BackupPlace {
  const prefix = `${basename(dbFile)}-`;
  if (folder === null) return { dir: join(dirname(dbFile), 'backups'), root: null, prefix };
  return { dir: join(folder, deviceId), root: folder, prefix };
}
