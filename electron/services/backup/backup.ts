import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { CairnFailure } from '../../../shared/api/result';
import { headerFitsKey, type KeyHeader } from '../../common/key-header-format';
import { headerPathFor, readKeyHeader, readPendingKeyHeader } from '../db/key-header';
import { openRawWithKey } from '../db/open';
import { appliedMigrations, deviceIdOf, integrityProblems } from './facts';
import { copyHashed, ensureDir, fsyncDir } from './files';
import { BackupRefusal, manifestLine, type BackupManifest } from './format';

export interface BackupOptions {
  /** The database to back up; the app may keep using it meanwhile. */
  dbFile: string;
  /** Its derived key (from resolveKey or the unlocked session). */
  key: Buffer;
  /** The backup file to write; refused if it exists. */
  out: string;
  now?: () => Date;
}

/** The header whose check value fits the key: the main one, or a pending one a rekey left. */
function headerFor(dbFile: string, key: Buffer): KeyHeader {
  for (const h of [readKeyHeader(dbFile), readPendingKeyHeader(dbFile)]) if (h && headerFitsKey(h, key)) return h;
  throw new CairnFailure('wrong_passphrase', `the key does not fit ${headerPathFor(dbFile)}: no backup was written`);
}

/** True when FILE starts with the plain SQLite header, i.e. is readable without a key. */
export function startsLikePlainSqlite(file: string): boolean {
  const buf = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return buf.toString('latin1') === 'SQLite format 3\u0000';
}

/**
 * Takes an online backup: `VACUUM INTO` on a connection of its own copies a consistent snapshot
 * (one read transaction; in WAL mode other connections keep writing meanwhile) into a new file
 * that SQLite3 Multiple Ciphers encrypts with the same key. The copy is read back whole (every
 * page's HMAC), hashed, and written after its manifest line to a temp file beside `out`, which is
 * fsynced and renamed into place: `out` is either absent or a complete backup.
 */
export async function createBackup(opts: BackupOptions): Promise<{ file: string; manifest: BackupManifest }> {
  const { dbFile, key, out } = opts;
  if (!existsSync(dbFile)) throw new CairnFailure('not_found', `no such database file: ${dbFile}`);
  if (existsSync(out)) throw new BackupRefusal('exists', `refusing to overwrite ${out}`);
  const keyHeader = headerFor(dbFile, key);
  ensureDir(dirname(out), `the backup ${out}`);
  const payload = `${out}.payload.tmp`;
  const tmp = `${out}.tmp`;
  for (const f of [payload, `${payload}-journal`, tmp]) rmSync(f, { force: true });
  try {
    const source = openRawWithKey(dbFile, key);
    let deviceId: string | null;
    let migrations: number;
    try {
      deviceId = deviceIdOf(source);
      migrations = appliedMigrations(source).length;
      source.prepare('VACUUM INTO ?').run(payload);
    } finally {
      source.close();
    }
    if (!deviceId) throw new CairnFailure('database_error', `${dbFile} has no device id: it is not a Cairn database`);
    // Important: a backup is never plaintext. Guard against a build whose VACUUM INTO drops the key.
    if (startsLikePlainSqlite(payload)) throw new CairnFailure('internal', 'VACUUM INTO wrote an unencrypted copy: no backup was written');
    const copy = openRawWithKey(payload, key);
    try {
      const problems = integrityProblems(copy, true);
      if (problems.length > 0) throw new CairnFailure('database_error', `the backup copy does not read back whole (${problems[0]}): no backup was written`);
    } finally {
      copy.close();
    }
    const { bytes, sha256 } = await copyHashed({ from: payload });
    const manifest: BackupManifest = {
      format: 'cairn-backup',
      version: 1,
      createdAt: (opts.now?.() ?? new Date()).toISOString(),
      deviceId,
      schemaMigrations: migrations,
      payloadBytes: bytes,
      payloadSha256: sha256,
      keyHeader,
    };
    const written = await copyHashed({ from: payload, to: tmp, prefix: manifestLine(manifest) });
    // The payload could only change under us if something else wrote the temp file.
    if (written.sha256 !== sha256) throw new CairnFailure('internal', `${payload} changed while it was being copied: no backup was written`);
    renameSync(tmp, out);
    fsyncDir(dirname(out));
    return { file: out, manifest };
  } finally {
    for (const f of [payload, `${payload}-journal`, tmp]) rmSync(f, { force: true });
  }
}
