import { CliError, exitCodeOf } from './cli-error';
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createBackup } from '../services/backup/backup';
import { BackupRefusal } from '../services/backup/format';
import { rekeyDatabase } from '../services/backup/rekey';
import { restoreBackup } from '../services/backup/restore';
import { resolveKey } from '../services/db/open';
import { headerPathFor } from '../services/db/key-header';
import { defaultResourcesDir } from '../services/paths';
import { secretFrom } from './prompt';
import { BACKUP_SCHEDULE_HELP, backupScheduleCommand, isBackupScheduleCommand } from './backup-schedule.commands';

/** `cairn backup`, `cairn restore` and `cairn rekey`. */
export const BACKUP_COMMANDS = ['backup', 'restore', 'rekey'] as const;
type BackupCommand = (typeof BACKUP_COMMANDS)[number];

export const BACKUP_HELP = `  cairn backup --db FILE --out FILE|FOLDER
      Writes an encrypted, checksummed backup while Cairn may be in use (a FOLDER gets a dated name).
  cairn restore --backup FILE --db FILE [--force-foreign]
      Verifies the backup (checksum, passphrase, every page, schema), then replaces FILE atomically.
      Refuses a backup of another database (device id) unless --force-foreign. Close Cairn first.
  cairn rekey --db FILE
      Changes the clinic passphrase and the key; new passphrase from CAIRN_NEW_PASSPHRASE (else asked
      twice on a TTY). Safe if interrupted: the file opens with the old or the new passphrase. Close Cairn first.
${BACKUP_SCHEDULE_HELP}`;

export function isBackupCommand(cmd: string | undefined): cmd is BackupCommand {
  return (BACKUP_COMMANDS as readonly (string | undefined)[]).includes(cmd);
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    throw new CliError(unknown ? `unknown option ${unknown[1]} (see cairn --help)` : `${msg.split('\n')[0]} (see cairn --help)`, 2);
  }
}

function need(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new CliError(`missing ${flag} (see cairn --help)`, 2);
  return value;
}

function existingDb(flag: string | boolean | undefined): string {
  const db = resolve(need(flag, '--db'));
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`, 1);
  return db;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

async function backup(args: string[]): Promise<unknown> {
  if (isBackupScheduleCommand(args[0])) return backupScheduleCommand(args[0], args.slice(1));
  const v = parse(args, { db: { type: 'string' }, out: { type: 'string' } });
  const db = existingDb(v.db);
  let out = resolve(need(v.out, '--out'));
  if (existsSync(out) && statSync(out).isDirectory()) out = join(out, `${basename(db)}-${stamp(new Date())}.cairnbak`);
  const { key } = await resolveKey(db, await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase'));
  try {
    const { file, manifest } = await createBackup({ dbFile: db, key, out });
    return {
      backup: file,
      database: db,
      createdAt: manifest.createdAt,
      deviceId: manifest.deviceId,
      bytes: statSync(file).size,
      sha256: manifest.payloadSha256,
    };
  } finally {
    key.fill(0);
  }
}

async function restore(args: string[]): Promise<unknown> {
  const v = parse(args, { backup: { type: 'string' }, db: { type: 'string' }, 'force-foreign': { type: 'boolean' } });
  const backupFile = resolve(need(v.backup, '--backup'));
  const db = resolve(need(v.db, '--db'));
  if (!existsSync(backupFile)) throw new CliError(`no such backup file: ${backupFile}`, 1);
  const passphrase = await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase (of the backup)');
  try {
    const r = await restoreBackup({
      backup: backupFile,
      dbFile: db,
      passphrase,
      resourcesDir: defaultResourcesDir(),
      forceForeign: v['force-foreign'] === true,
    });
    return { restored: r.dbFile, from: r.backup, backupCreatedAt: r.createdAt, deviceId: r.deviceId, replaced: r.replaced, keyHeader: headerPathFor(r.dbFile) };
  } catch (e) {
    if (e instanceof BackupRefusal && (e.reason === 'foreign' || e.reason === 'unconfirmed'))
      throw new CliError(`${e.message}. To replace it anyway: --force-foreign`, 1);
    throw e;
  }
}

async function rekey(args: string[]): Promise<unknown> {
  const v = parse(args, { db: { type: 'string' } });
  const db = existingDb(v.db);
  const passphrase = await secretFrom('CAIRN_PASSPHRASE', 'current clinic passphrase');
  const newPassphrase = await secretFrom('CAIRN_NEW_PASSPHRASE', 'new clinic passphrase', true);
  const { header } = await rekeyDatabase({ dbFile: db, passphrase, newPassphrase });
  return { database: db, keyHeader: headerPathFor(db), kdf: { name: header.kdf, N: header.N, r: header.r, p: header.p }, passphrase: 'changed' };
}

/**
 * Runs `cairn backup|restore|rekey`: JSON on stdout when done, one line on stderr and a non-zero
 * exit code otherwise. Returns the exit code.
 */
export async function backupCommand(cmd: BackupCommand, args: string[]): Promise<number> {
  try {
    const run = cmd === 'backup' ? backup : cmd === 'restore' ? restore : rekey;
    process.stdout.write(JSON.stringify(await run(args), null, 2) + '\n');
    return 0;
  } catch (e) {
    process.stderr.write(`cairn: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`);
    return exitCodeOf(e);
  }
}
