import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { deviceIdOf } from '../backup/facts';
import { readBackupManifest, verifyBackupChecksum } from '../backup/format';
import type { BackupEntry } from '../backup/retention';
import { listBackups } from '../backup/scheduler';
import { backupPlace, readBackupSettings, readLastVerified } from '../backup/settings';
import { verifyBackupFile } from '../backup/verify';
import { readKeyHeader } from '../db/key-header';
import { ago, fail, pass, warn, type DoctorCheck, type DoctorContext, type Outcome } from './context';

const TAKE_ONE = 'take one now (cairn backup scheduled --db FILE, or leave Cairn open: it backs up daily) and check the folder';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Every folder this database's backups may be in, and this database's backups in them, newest first. */
function backupsOf(ctx: DoctorContext, place: { dir: string; prefix: string }, extra: (string | undefined)[]): { dirs: string[]; all: BackupEntry[] } {
  const dirs = [...new Set([place.dir, ...extra, ...ctx.backupDirs].filter((d): d is string => d !== undefined))];
  const seen = new Set<string>();
  const all = dirs
    .flatMap((d) => listBackups(d, place.prefix))
    .filter((e) => !seen.has(e.file) && seen.add(e.file))
    .sort((a, b) => b.at - a.at);
  return { dirs, all };
}

/** Whether a backup was made under another key header than the database's today (the passphrase changed since). */
function underEarlierPassphrase(file: string, dbFile: string): boolean {
  return readBackupManifest(file).manifest.keyHeader.salt !== readKeyHeader(dbFile).salt;
}

/**
 * The newest backup of this database: that there is one, that it would restore (verifyBackupFile:
 * checksum, decryption with this database's key, quick_check, same database), and that it is not
 * older than the clinic's setting (`warnAfterHours`).
 */
async function latestBackup(ctx: DoctorContext): Promise<Outcome | null> {
  const device = ctx.device;
  if (!device) return null;
  const settings = readBackupSettings(device.sqlite);
  const deviceId = deviceIdOf(device.sqlite) ?? 'unknown';
  const place = backupPlace(device.dbFile, deviceId, settings.folder);
  if (place.root !== null && !existsSync(place.root))
    return fail(`the backup folder ${place.root} cannot be reached (it does not exist): mount the network share or plug in the drive, then ${TAKE_ONE}`);
  const last = readLastVerified(device.sqlite);
  const local = join(dirname(device.dbFile), 'backups');
  const { dirs, all } = backupsOf(ctx, place, [local, last ? dirname(last.file) : undefined]);
  const newest = all[0];
  if (!newest) return fail(`no backup of ${basename(device.dbFile)} in ${dirs.join(', ')}: ${TAKE_ONE}`);
  let createdAt: string;
  try {
    if (underEarlierPassphrase(newest.file, device.dbFile)) {
      const m = await verifyBackupChecksum(newest.file);
      return warn(
        `the newest backup ${newest.file} (${m.createdAt}) has a sound checksum but was made under an earlier passphrase, so it restores only with that one: take a new backup now`,
      );
    }
    const manifest = await verifyBackupFile(newest.file, device.readBackupCopy);
    if (manifest.deviceId !== deviceId) return fail(`the newest backup ${newest.file} is of another database (device ${manifest.deviceId}): ${TAKE_ONE}`);
    createdAt = manifest.createdAt;
  } catch (e) {
    return fail(`the newest backup ${newest.file} does not verify (${message(e)}): ${TAKE_ONE}'s disk`);
  }
  const age = ctx.now().getTime() - Date.parse(createdAt);
  const limitMs = settings.warnAfterHours * 3_600_000;
  if (age > limitMs)
    return warn(
      `the newest backup that verifies, ${newest.file}, is ${ago(age)} old, older than the clinic's limit of ${settings.warnAfterHours} h: check that scheduled backups run and the folder is reachable`,
    );
  return pass(`${newest.file}, taken ${ago(age)} ago, verifies (checksum, decrypts with this database's key, quick_check); ${all.length} backup(s) kept`);
}

export const BACKUP_CHECKS: readonly DoctorCheck[] = [{ id: 'device.backup.latest', title: 'Latest backup exists, verifies and is recent', run: latestBackup }];
