import type Database from 'better-sqlite3';
import type { Store } from '../db/open';
import { openRawWithKey } from '../db/open';
import { createBackup } from './backup';
import { BackupScheduler, type SchedulerClock, type SchedulerEvent, type SchedulePlan } from './scheduler';
import { backupPlace, readBackupSettings, recordLastVerified } from './settings';
import { readWithKey, verifyBackupFile } from './verify';

export interface ScheduledBackupsOptions {
  /** The database's own connection (settings are read from it and the last verified backup recorded in it). */
  sqlite: Database.Database;
  dbFile: string;
  deviceId: string;
  /** The database's key; it stays with the caller (the worker zeroes it when it stops). */
  key: Buffer;
  /** A folder and retention given on the command line, instead of the device's settings. */
  override?: Partial<Pick<SchedulePlan, 'keep' | 'keepWeekly'>> & { folder?: string | null };
  clock?: SchedulerClock;
  onEvent?: (e: SchedulerEvent) => void;
}

/**
 * The backups the app's worker and `cairn backup scheduled` take: into the folder the device's
 * settings name (`backup_settings` in meta; one sub-folder per device in a shared folder) or
 * `backups/` beside the database, encrypted as every backup is, read back and verified after
 * writing, kept by the settings' retention, and each verified one recorded in meta for
 * `cairn doctor`. Settings are read again before each backup, so a change made on the Health
 * screen applies to the next one without a restart.
 */
export function scheduledBackups(o: ScheduledBackupsOptions): BackupScheduler {
  const plan = (): SchedulePlan => {
    const s = readBackupSettings(o.sqlite);
    const folder = o.override?.folder !== undefined ? o.override.folder : s.folder;
    const place = backupPlace(o.dbFile, o.deviceId, folder);
    return { dir: place.dir, root: place.root, keep: o.override?.keep ?? s.keep, keepWeekly: o.override?.keepWeekly ?? s.keepWeekly };
  };
  return new BackupScheduler({
    dbFile: o.dbFile,
    plan,
    ...(o.clock && { clock: o.clock }),
    takeBackup: (out) => createBackup({ dbFile: o.dbFile, key: o.key, out }),
    verify: async (file) => {
      const manifest = await verifyBackupFile(
        file,
        readWithKey((f) => openRawWithKey(f, o.key)),
      );
      try {
        recordLastVerified(o.sqlite, { file, createdAt: manifest.createdAt, verifiedAt: new Date(o.clock?.now() ?? Date.now()).toISOString() });
      } catch {
        // The backup is good; only the note is missing, and `cairn doctor` reads the folder itself.
      }
    },
    ...(o.onEvent && { onEvent: o.onEvent }),
  });
}

/** The app's automatic backups for an open store (the sync worker starts it; see sync.worker.ts). */
export function scheduledBackupsFor(store: Store, key: Buffer, onEvent?: (e: SchedulerEvent) => void): BackupScheduler {
  return scheduledBackups({ sqlite: store.sqlite, dbFile: store.file, deviceId: store.deviceId, key, ...(onEvent && { onEvent }) });
}
