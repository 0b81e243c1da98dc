import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceIdOf, integrityProblems } from './facts';
import { copyHashed } from './files';
import { BackupRefusal, checkPayload, readBackupManifest, type BackupManifest } from './format';

/** Opens a database file with the key of the database being backed up (from the unlocked session or the passphrase). */
export type OpenWithKey = (file: string) => Database.Database;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Checks that a backup file would restore, without restoring it: its manifest, the size and SHA-256
 * of its database, that the database decrypts with the key and passes `PRAGMA quick_check` (which
 * reads every page, and so checks every page's HMAC), and that it holds the database the manifest
 * names. The database is copied out to a private temporary folder for that (it stays encrypted
 * there) and removed afterwards. Throws a BackupRefusal (`not_a_backup` or `damaged`) whose message
 * names the file and what is wrong.
 */
export async function verifyBackupFile(file: string, open: OpenWithKey): Promise<BackupManifest> {
  const { manifest, payloadOffset } = readBackupManifest(file);
  const dir = mkdtempSync(join(tmpdir(), 'cairn-verify-'));
  const copy = join(dir, 'payload.cairn');
  try {
    checkPayload(file, manifest, await copyHashed({ from: file, offset: payloadOffset, to: copy }));
    let sqlite: Database.Database;
    try {
      sqlite = open(copy);
    } catch (e) {
      throw new BackupRefusal('damaged', `backup ${file} does not decrypt with this database's key (${message(e)})`);
    }
    try {
      let problems: string[];
      try {
        problems = integrityProblems(sqlite, true);
      } catch (e) {
        problems = [message(e)];
      }
      if (problems.length > 0) throw new BackupRefusal('damaged', `backup ${file} is damaged: the integrity check failed (${problems[0]})`);
      const id = deviceIdOf(sqlite);
      if (id !== manifest.deviceId)
        throw new BackupRefusal(
          'damaged',
          `backup ${file} is damaged: its manifest names device ${manifest.deviceId} but it holds ${id ?? 'no Cairn database'}`,
        );
    } finally {
      sqlite.close();
    }
    return manifest;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
