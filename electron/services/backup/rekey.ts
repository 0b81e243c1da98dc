import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { CairnFailure } from '../../../shared/api/result';
import { passphrase as passphraseSchema } from '../../../shared/domain/user';
import { createKeyHeader, DEFAULT_KDF, type KeyHeader } from '../../common/key-header-format';
import { discardPendingKeyHeader, promotePendingKeyHeader, writePendingKeyHeader } from '../db/key-header';
import { openRawWithKey, resolveKey } from '../db/open';
import { integrityProblems } from './facts';
import { fsyncDir, fsyncFile } from './files';
import { BackupRefusal } from './format';

/** The moments a rekey passes, in order (a test kills the process at each). */
export const REKEY_STEPS = ['locked', 'copied', 'rekeyed', 'pending-header', 'swapped', 'promoted'] as const;
export type RekeyStep = (typeof REKEY_STEPS)[number];

export interface RekeyOptions {
  dbFile: string;
  passphrase: string;
  newPassphrase: string;
  /** scrypt parameters of the new header; default: the old ones, raised to DEFAULT_KDF where weaker. */
  kdf?: Pick<KeyHeader, 'N' | 'r' | 'p'>;
  onStep?: (step: RekeyStep) => void;
}

const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

function hex(key: Buffer): string {
  return `"x'${key.toString('hex')}'"`;
}

/**
 * Takes the database for this process alone: leaving WAL fails while any other connection is open
 * (so a running Cairn is detected, not raced), and the exclusive lock held from then on keeps
 * anyone from opening it until the swap.
 */
function takeExclusively(sqlite: Database.Database, dbFile: string): void {
  try {
    sqlite.pragma('busy_timeout = 200');
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/locked|busy/i.test(msg)) throw new BackupRefusal('in_use', `${dbFile} is open in Cairn or another program: close it, then change the passphrase`);
    throw e;
  }
}

/** Makes the re-encrypted copy: VACUUM INTO under the old key, then PRAGMA rekey on the copy, then reads it back whole under the new key. */
function reencryptedCopy(source: Database.Database, tmp: string, oldKey: Buffer, newKey: Buffer, step: (s: RekeyStep) => void): void {
  source.prepare('VACUUM INTO ?').run(tmp);
  step('copied');
  // Important: never rekey the live file in place. SQLCipher rewrites it page by page, and a kill
  // part-way would leave pages under both keys; the copy is disposable until it is renamed.
  const copy = openRawWithKey(tmp, oldKey);
  try {
    // The copy is thrown away if anything stops part-way, and fsynced below before it counts:
    // no rollback journal on disk, no fsync per page (twice as fast on a big file).
    copy.pragma('journal_mode = MEMORY');
    copy.pragma('synchronous = OFF');
    copy.pragma('cache_size = -65536');
    copy.pragma(`rekey=${hex(newKey)}`);
  } finally {
    copy.close();
  }
  const check = openRawWithKey(tmp, newKey);
  try {
    const problems = integrityProblems(check, true);
    if (problems.length > 0)
      throw new CairnFailure('database_error', `the re-encrypted copy does not read back whole (${problems[0]}): the passphrase was not changed`);
  } finally {
    check.close();
  }
  fsyncFile(tmp);
  step('rekeyed');
}

/**
 * Changes the passphrase and the key (new salt, new derived key), safe against a kill at any moment:
 *   1. unlock with the old passphrase; take the database exclusively (refused while Cairn has it open);
 *   2. VACUUM INTO `FILE.rekey.tmp` and rekey that copy to the new key; read it back; fsync;
 *   3. write the new header as `FILE.key.json.next` (durably);
 *   4. rename the copy over FILE: from here the new passphrase opens it, through the pending header;
 *   5. promote the pending header over `FILE.key.json`.
 * Before 4 the file is the old one and its header is still the main header; after 4, unlock tries
 * the pending header when the main one does not open the file (resolveKey) and promotes it.
 */
export async function rekeyDatabase(o: RekeyOptions): Promise<{ header: KeyHeader }> {
  const valid = passphraseSchema.safeParse(o.newPassphrase);
  if (!valid.success) throw new CairnFailure('invalid_input', `new ${valid.error.issues[0]?.message ?? 'passphrase is not valid'}`);
  if (!existsSync(o.dbFile)) throw new CairnFailure('not_found', `no such database file: ${o.dbFile}`);
  const step = o.onStep ?? ((): void => undefined);
  const { key: oldKey, header: oldHeader, pending } = await resolveKey(o.dbFile, o.passphrase);
  // A previous switch that was killed: finish it if its file is in place, else forget its header.
  if (pending) promotePendingKeyHeader(o.dbFile);
  else discardPendingKeyHeader(o.dbFile);
  const kdf = o.kdf ?? { N: Math.max(oldHeader.N, DEFAULT_KDF.N), r: Math.max(oldHeader.r, DEFAULT_KDF.r), p: Math.max(oldHeader.p, DEFAULT_KDF.p) };
  const made = await createKeyHeader(o.newPassphrase, kdf);
  const newKey = made.key;
  // The audit anchor stays valid (the copy holds the same chain): the new header carries it.
  const header: KeyHeader = oldHeader.audit === undefined ? made.header : { ...made.header, audit: oldHeader.audit };
  const tmp = `${o.dbFile}.rekey.tmp`;
  const clean = (): void => {
    for (const f of [tmp, ...SIDE_FILES.map((s) => `${tmp}${s}`)]) rmSync(f, { force: true });
  };
  clean();
  let swapped = false;
  const source = openRawWithKey(o.dbFile, oldKey);
  try {
    takeExclusively(source, o.dbFile);
    step('locked');
    reencryptedCopy(source, tmp, oldKey, newKey, step);
    writePendingKeyHeader(o.dbFile, header);
    step('pending-header');
    source.close();
    // Important: a -wal or -journal left beside the old file would be replayed into the new one.
    for (const s of SIDE_FILES) rmSync(`${o.dbFile}${s}`, { force: true });
    renameSync(tmp, o.dbFile);
    swapped = true;
    fsyncDir(dirname(o.dbFile));
    step('swapped');
    promotePendingKeyHeader(o.dbFile);
    step('promoted');
  } catch (e) {
    // Not swapped: the old file and header are in place; the new header must not linger.
    if (!swapped) discardPendingKeyHeader(o.dbFile);
    throw e;
  } finally {
    if (source.open) source.close();
    clean();
    oldKey.fill(0);
  }
  // Back to WAL as the app runs it (the app would do it on its next open anyway).
  try {
    const after = openRawWithKey(o.dbFile, newKey);
    after.pragma('journal_mode = WAL');
    after.close();
  } finally {
    newKey.fill(0);
  }
  return { header };
}
