import { constants, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CairnFailure } from '../../../shared/api/result';
import { deriveKey, type KeyHeader } from '../../common/key-header-format';
import { headerPathFor, pendingHeaderPathFor, promotePendingKeyHeader, writePendingKeyHeader } from '../db/key-header';
import { openRawWithKey, resolveKey } from '../db/open';
import { deviceIdOf, integrityProblems, unknownMigrations } from './facts';
import { copyHashed, ensureDir, fsyncDir } from './files';
import { BackupRefusal, checkPayload, readBackupManifest, type BackupManifest } from './format';

export interface RestoreOptions {
  backup: string;
  dbFile: string;
  /** The passphrase the backup opens with (the clinic's passphrase when it was made). */
  passphrase: string;
  resourcesDir: string;
  /** Replace a database that is another one (different device id), or whose identity cannot be read. */
  forceForeign?: boolean;
}

export interface RestoreResult {
  dbFile: string;
  backup: string;
  createdAt: string;
  deviceId: string;
  /** Whether a database was there before (and has been replaced). */
  replaced: boolean;
}

const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Decrypts the extracted copy with the backup's key and checks it is whole, a Cairn database, and not from a newer Cairn. */
function checkCopy(tmp: string, key: Buffer, o: RestoreOptions, manifest: BackupManifest): void {
  let copy;
  try {
    copy = openRawWithKey(tmp, key);
  } catch (e) {
    const why = e instanceof CairnFailure && e.code === 'wrong_passphrase' ? '' : ` (${message(e)})`;
    throw new BackupRefusal('damaged', `backup ${o.backup} is damaged: its database does not decrypt with its own key header${why}`);
  }
  try {
    let problems: string[];
    try {
      problems = integrityProblems(copy);
    } catch (e) {
      problems = [message(e)];
    }
    if (problems.length > 0) throw new BackupRefusal('damaged', `backup ${o.backup} is damaged: the integrity check failed (${problems[0]})`);
    const id = deviceIdOf(copy);
    if (id === null) throw new BackupRefusal('damaged', `backup ${o.backup} does not hold a Cairn database (no device id)`);
    if (id !== manifest.deviceId)
      throw new BackupRefusal('damaged', `backup ${o.backup} is damaged: its manifest names device ${manifest.deviceId} but its database is ${id}`);
    let unknown: number;
    try {
      unknown = unknownMigrations(copy, o.resourcesDir);
    } catch (e) {
      throw new BackupRefusal('damaged', `backup ${o.backup} does not hold a Cairn database (${message(e)})`);
    }
    if (unknown > 0)
      throw new BackupRefusal('newer_schema', `backup ${o.backup} was made by a newer version of Cairn (${unknown} unknown migration(s)): update Cairn first`);
  } finally {
    copy.close();
  }
}

/**
 * Reads the device id of the database being replaced from a private copy of its files, so a
 * refusal leaves every byte of them (even the -shm) as it was. Returns the key that opens it.
 */
async function identityOf(dbFile: string, passphrase: string): Promise<{ deviceId: string; key: Buffer }> {
  const dir = `${dbFile}.identity.tmp`;
  const copy = join(dir, basename(dbFile));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o700 });
  try {
    for (const [from, to] of [
      [dbFile, copy],
      [`${dbFile}-wal`, `${copy}-wal`],
      [headerPathFor(dbFile), headerPathFor(copy)],
      [pendingHeaderPathFor(dbFile), pendingHeaderPathFor(copy)],
    ] as const) {
      if (existsSync(from)) copyFileSync(from, to, constants.COPYFILE_FICLONE);
    }
    const { key } = await resolveKey(copy, passphrase);
    const sqlite = openRawWithKey(copy, key);
    try {
      const deviceId = deviceIdOf(sqlite);
      if (deviceId === null) throw new Error('no device id');
      return { deviceId, key };
    } finally {
      sqlite.close();
    }
  } catch (e) {
    // Messages name the private copy: name the real file instead.
    if (e instanceof CairnFailure) throw new CairnFailure(e.code, e.message.split(copy).join(dbFile));
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Refuses (changing nothing) unless the existing database is the one the backup was taken of;
 * with `forceForeign` it only reports. Returns the key that opens the existing database, if any.
 */
async function checkSameDatabase(o: RestoreOptions, manifest: BackupManifest): Promise<Buffer | null> {
  let target;
  try {
    target = await identityOf(o.dbFile, o.passphrase);
  } catch (e) {
    if (o.forceForeign) return null;
    const why = e instanceof CairnFailure && e.code === 'wrong_passphrase' ? 'it does not open with this passphrase' : `it cannot be read: ${message(e)}`;
    throw new BackupRefusal('unconfirmed', `cannot confirm that backup ${o.backup} is of the existing database ${o.dbFile} (${why}); nothing was restored`);
  }
  if (target.deviceId !== manifest.deviceId && !o.forceForeign) {
    target.key.fill(0);
    throw new BackupRefusal(
      'foreign',
      `backup ${o.backup} is of another database (device ${manifest.deviceId}), not of ${o.dbFile} (device ${target.deviceId}); nothing was restored`,
    );
  }
  return target.key;
}

/**
 * Proves nothing else has the database open: leaving WAL needs every other connection gone. It
 * also checkpoints the WAL, so the -wal removed at the swap holds nothing.
 */
function checkNotInUse(dbFile: string, key: Buffer): void {
  const sqlite = openRawWithKey(dbFile, key);
  try {
    sqlite.pragma('busy_timeout = 200');
    sqlite.pragma('journal_mode = DELETE');
  } catch (e) {
    if (/locked|busy/i.test(message(e)))
      throw new BackupRefusal('in_use', `${dbFile} is open in Cairn or another program: close it, then restore; nothing was restored`);
    throw e;
  } finally {
    sqlite.close();
  }
}

/**
 * Notes in the copy of an enrolled device, before it is swapped in, the highest change number its
 * outbox holds (a device that never synced has nothing to renumber, and is restored as it was). The
 * clinic server may hold later changes of this device (made after the backup, then synced): the
 * device's next sync learns the server's number and moves changes written after the restore past
 * it (sync.client.ts), instead of reusing numbers the server would answer as already received.
 */
function markRestored(tmp: string, key: Buffer): void {
  const copy = openRawWithKey(tmp, key);
  try {
    copy
      .prepare(
        `INSERT INTO meta (key, value)
         SELECT 'sync.restored_max_seq', (SELECT coalesce(max(seq), 0) FROM sync_outbox WHERE device_id = (SELECT value FROM meta WHERE key = 'device_id'))
         WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'sync.device_token')
         ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      )
      .run();
    // Nothing may stay in a -wal beside the copy: only the file itself is swapped in.
    copy.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    copy.close();
  }
}

/**
 * Swaps the verified copy in. The backup's key header goes beside the database as the pending
 * header first, then the file is renamed over the database, then the header is promoted: a
 * process killed at any point leaves the old database with its header, or the restored one that
 * unlock opens through the pending header (and promotes).
 */
function swapIn(dbFile: string, tmp: string, header: KeyHeader): void {
  writePendingKeyHeader(dbFile, header);
  // Important: a -wal or -journal left beside the old file would be replayed into the new one.
  for (const s of SIDE_FILES) rmSync(`${dbFile}${s}`, { force: true });
  renameSync(tmp, dbFile);
  fsyncDir(dirname(dbFile));
  promotePendingKeyHeader(dbFile);
}

/**
 * Restores a backup over `dbFile` (or to a new `dbFile`). Everything is verified before anything
 * is replaced: the manifest and the SHA-256, the passphrase against the backup's own key header,
 * every page (integrity_check), the migrations, and that the existing database is the same one
 * (same device id) unless `forceForeign`. A refusal leaves the existing files byte-identical.
 */
export async function restoreBackup(o: RestoreOptions): Promise<RestoreResult> {
  const { manifest, payloadOffset } = readBackupManifest(o.backup);
  let key: Buffer;
  try {
    key = await deriveKey(o.passphrase, manifest.keyHeader);
  } catch (e) {
    if (e instanceof CairnFailure && e.code === 'wrong_passphrase') {
      throw new BackupRefusal(
        'wrong_passphrase',
        `wrong passphrase for backup ${o.backup} (it opens with the clinic passphrase of ${manifest.createdAt.slice(0, 10)}); nothing was restored`,
      );
    }
    throw e;
  }
  ensureDir(dirname(o.dbFile), `the database ${o.dbFile}`);
  const tmp = `${o.dbFile}.restore.tmp`;
  const clean = (): void => {
    for (const f of [tmp, ...SIDE_FILES.map((s) => `${tmp}${s}`)]) rmSync(f, { force: true });
  };
  clean();
  try {
    checkPayload(o.backup, manifest, await copyHashed({ from: o.backup, offset: payloadOffset, to: tmp }));
    checkCopy(tmp, key, o, manifest);
    markRestored(tmp, key);
    const replaced = existsSync(o.dbFile);
    if (replaced) {
      const targetKey = await checkSameDatabase(o, manifest);
      // Without a key (a forced restore over a database this passphrase does not open) nobody can tell.
      if (targetKey) {
        try {
          checkNotInUse(o.dbFile, targetKey);
        } finally {
          targetKey.fill(0);
        }
      }
    }
    swapIn(o.dbFile, tmp, manifest.keyHeader);
    return { dbFile: o.dbFile, backup: o.backup, createdAt: manifest.createdAt, deviceId: manifest.deviceId, replaced };
  } finally {
    key.fill(0);
    clean();
  }
}
