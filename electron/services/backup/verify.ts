import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyHashed } from './files';
import { BackupRefusal, checkPayload, readBackupManifest, type BackupManifest } from './format';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What a backup's database holds, read with the key of the database it was taken of. */
export interface CopyFacts {
  /** `PRAGMA quick_check`'s complaints; [] when whole. */
  problems: string[];
  deviceId: string | null;
}

/** Reads a backup's database (copied out to a file); throws when it does not decrypt with the key. */
export type ReadCopy = (file: string) => CopyFacts;

function facts(sqlite: Database.Database, schema: string): CopyFacts {
  let problems: string[];
  try {
    const rows = sqlite.pragma(`${schema}.quick_check`) as Record<string, string>[];
    const msgs = rows.map((r) => Object.values(r)[0] ?? '');
    problems = msgs.length === 1 && msgs[0] === 'ok' ? [] : msgs;
  } catch (e) {
    problems = [message(e)];
  }
  let deviceId: string | null = null;
  try {
    deviceId = (sqlite.prepare(`SELECT value FROM ${schema}.meta WHERE key = 'device_id'`).get() as { value: string } | undefined)?.value ?? null;
  } catch {
    // No meta table: not a Cairn database (reported as such).
  }
  return { problems, deviceId };
}

/** Opens the copy on a connection of its own (`open` applies the key), as the command line and the backup worker do. */
export function readWithKey(open: (file: string) => Database.Database): ReadCopy {
  return (file) => {
    const sqlite = open(file);
    try {
      return facts(sqlite, 'main');
    } finally {
      sqlite.close();
    }
  };
}

/**
 * Attaches the copy to an open database's connection: SQLite3 Multiple Ciphers opens an attached
 * file with the main database's key, so the app's Health screen checks a backup without the key
 * ever leaving the connection that holds it.
 */
export function readAttached(sqlite: Database.Database): ReadCopy {
  return (file) => {
    sqlite.prepare('ATTACH DATABASE ? AS cairn_backup_check').run(file);
    try {
      return facts(sqlite, 'cairn_backup_check');
    } finally {
      sqlite.prepare('DETACH DATABASE cairn_backup_check').run();
    }
  };
}

/**
 * Checks that a backup file would restore, without restoring it: its manifest, the size and SHA-256
 * of its database, that the database decrypts with the key and passes `PRAGMA quick_check` (which
 * reads every page, and so checks every page's HMAC), and that it holds the database the manifest
 * names. The database is copied out to a private temporary folder for that (it stays encrypted
 * there) and removed afterwards. Throws a BackupRefusal (`not_a_backup` or `damaged`) whose message
 * names the file and what is wrong.
 */
export async function verifyBackupFile(file: string, read: ReadCopy): Promise<BackupManifest> {
  const { manifest, payloadOffset } = readBackupManifest(file);
  const dir = mkdtempSync(join(tmpdir(), 'cairn-verify-'));
  const copy = join(dir, 'payload.cairn');
  try {
    checkPayload(file, manifest, await copyHashed({ from: file, offset: payloadOffset, to: copy }));
    let copyFacts: CopyFacts;
    try {
      copyFacts = read(copy);
    } catch (e) {
      throw new BackupRefusal('damaged', `backup ${file} does not decrypt with this database's key (${message(e)})`);
    }
    const { problems, deviceId } = copyFacts;
    if (problems.length > 0) throw new BackupRefusal('damaged', `backup ${file} is damaged: the integrity check failed (${problems[0]})`);
    if (deviceId !== manifest.deviceId)
      throw new BackupRefusal(
        'damaged',
        `backup ${file} is damaged: its manifest names device ${manifest.deviceId} but it holds ${deviceId ?? 'no Cairn database'}`,
      );
    return manifest;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
