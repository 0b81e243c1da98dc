import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BackupSettings } from '../../shared/domain/doctor';
import { deviceIdOf } from '../services/backup/facts';
import { checkWritableFolder } from '../services/backup/destination';
import { scheduledBackups } from '../services/backup/scheduled';
import { openRawWithKey, resolveKey } from '../services/db/open';
import { CliError } from './cli-error';
import { parse, withSession } from './cli-session';
import { secretFrom } from './prompt';

export const BACKUP_SCHEDULE_HELP = `  cairn backup scheduled --db FILE [--to DIR] [--keep N] [--keep-weekly M]
      One scheduled backup, for cron, a systemd timer or Task Scheduler: into DIR/<device id>/ (an
      existing, writable external or network folder; default: the device's backup settings, else
      backups/ beside FILE), read back and verified, then the retention applied: the N most recent
      and the newest of each of the last M weeks are kept (default: the settings, 14 and 0).
  cairn backup settings --db FILE [--to DIR | --local] [--keep N] [--keep-weekly M] [--warn-after-hours H]
      Shows or changes this device's backup settings (what the app's daily backups and cairn doctor
      follow): the folder, the retention, and after how many hours cairn doctor warns that the newest
      verified backup is too old (default 36).`;

function whole(v: string | boolean | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new CliError(`${flag} must be a whole number (see cairn --help)`, 2);
  return n;
}

function folderFlag(to: string | boolean | undefined): string | undefined {
  if (to === undefined) return undefined;
  if (typeof to !== 'string' || to === '') throw new CliError('missing the folder after --to (see cairn --help)', 2);
  const dir = resolve(to);
  try {
    checkWritableFolder(dir);
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), 1);
  }
  return dir;
}

function existingDb(flag: string | boolean | undefined): string {
  if (typeof flag !== 'string' || flag === '') throw new CliError('missing --db (see cairn --help)', 2);
  const db = resolve(flag);
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`, 1);
  return db;
}

/** `cairn backup scheduled`: one backup as the app's scheduler takes it (verified, then retention), as JSON. */
async function scheduled(args: string[]): Promise<unknown> {
  const v = parse(args, { db: { type: 'string' }, to: { type: 'string' }, keep: { type: 'string' }, 'keep-weekly': { type: 'string' } }).values;
  const db = existingDb(v.db);
  const keep = whole(v.keep, '--keep');
  const keepWeekly = whole(v['keep-weekly'], '--keep-weekly');
  if (keep !== undefined && keep < 1) throw new CliError('--keep must be at least 1: the newest backup is always kept', 2);
  // The folder first: an unmounted share is reported before anyone is asked for a passphrase.
  const folder = folderFlag(v.to);
  const { key } = await resolveKey(db, await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase'));
  const sqlite = openRawWithKey(db, key);
  try {
    const pruned: string[] = [];
    const backups = scheduledBackups({
      sqlite,
      dbFile: db,
      deviceId: deviceIdOf(sqlite) ?? 'unknown-device',
      key,
      override: { ...(folder !== undefined && { folder }), ...(keep !== undefined && { keep }), ...(keepWeekly !== undefined && { keepWeekly }) },
      onEvent: (e) => e.kind === 'pruned' && pruned.push(...e.files),
    });
    const file = await backups.runNow();
    const plan = backups.plan();
    return {
      backup: file,
      verified: true,
      bytes: statSync(file).size,
      folder: plan.dir,
      keep: plan.keep,
      keepWeekly: plan.keepWeekly,
      kept: backups.list().length,
      pruned,
    };
  } finally {
    sqlite.close();
    key.fill(0);
  }
}

/** `cairn backup settings`: prints the settings, or changes the ones given (audited as the command line's operator). */
async function settings(args: string[]): Promise<unknown> {
  const v = parse(args, {
    db: { type: 'string' },
    to: { type: 'string' },
    local: { type: 'boolean' },
    keep: { type: 'string' },
    'keep-weekly': { type: 'string' },
    'warn-after-hours': { type: 'string' },
  }).values;
  if (v.to !== undefined && v.local) throw new CliError('give --to DIR or --local, not both (see cairn --help)', 2);
  const change = {
    keep: whole(v.keep, '--keep'),
    keepWeekly: whole(v['keep-weekly'], '--keep-weekly'),
    warnAfterHours: whole(v['warn-after-hours'], '--warn-after-hours'),
  };
  const folder = v.local ? null : folderFlag(v.to);
  existingDb(v.db);
  return withSession(v.db, async ({ call }) => {
    const now = (await call('settings.backups', {})) as BackupSettings & { dir: string };
    if (folder === undefined && Object.values(change).every((x) => x === undefined)) return now;
    return call('settings.setBackups', {
      folder: folder === undefined ? now.folder : folder,
      keep: change.keep ?? now.keep,
      keepWeekly: change.keepWeekly ?? now.keepWeekly,
      warnAfterHours: change.warnAfterHours ?? now.warnAfterHours,
    });
  });
}

/** Whether `cairn backup …` is one of these subcommands. */
export function isBackupScheduleCommand(sub: string | undefined): sub is 'scheduled' | 'settings' {
  return sub === 'scheduled' || sub === 'settings';
}

export function backupScheduleCommand(sub: 'scheduled' | 'settings', args: string[]): Promise<unknown> {
  return sub === 'scheduled' ? scheduled(args) : settings(args);
}
