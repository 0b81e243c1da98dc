import { existsSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import { fsyncDir } from '../../common/fsync-dir';
import { parseKeyHeader, type KeyHeader } from '../../common/key-header-format';

// The header's format, key derivation and check value live in electron/common/key-header-format.ts
// (the clinic server's backups use them too); this file is where a database's header lives on disk.

/**
 * The audit chain's head as last seen committed: its sequence number and hash, and the sequence
 * from which entries are keyed (HMAC). Kept outside the database so a cut tail is noticed.
 */
const auditAnchor = z.object({
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  keyedFrom: z.number().int().min(1).nullable(),
  at: z.string(),
});
export type AuditAnchor = z.infer<typeof auditAnchor>;

export function headerPathFor(dbFile: string): string {
  return `${dbFile}.key.json`;
}

/** Writes the header durably (temp file, fsync, rename) and refuses to replace an existing one. */
export function writeKeyHeader(dbFile: string, h: KeyHeader): void {
  const path = headerPathFor(dbFile);
  if (existsSync(path)) throw new CairnFailure('already_initialized', `a key header already exists at ${path}`);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(h, null, 2) + '\n', { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * The pending header: written before a rekey or restore swaps the database file, promoted over the
 * main header after it. While both exist, unlock tries each (see resolveKey in open.ts), so a
 * process killed at any moment leaves a database that opens with the old or the new passphrase.
 */
export function pendingHeaderPathFor(dbFile: string): string {
  return `${headerPathFor(dbFile)}.next`;
}

/** Writes the pending header durably, replacing a stale one left by an interrupted rekey or restore. */
export function writePendingKeyHeader(dbFile: string, h: KeyHeader): void {
  const path = pendingHeaderPathFor(dbFile);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(h, null, 2) + '\n', { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/** The pending header, or null when there is none (or it is unreadable, which an atomic write never leaves). */
export function readPendingKeyHeader(dbFile: string): KeyHeader | null {
  const path = pendingHeaderPathFor(dbFile);
  if (!existsSync(path)) return null;
  try {
    return parseKeyHeader(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

/** Makes the pending header the header (atomic rename). Another process may have promoted it first. */
export function promotePendingKeyHeader(dbFile: string): void {
  try {
    renameSync(pendingHeaderPathFor(dbFile), headerPathFor(dbFile));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fsyncDir(dirname(dbFile));
}

/** Removes a pending header that the database has been proven not to need. */
export function discardPendingKeyHeader(dbFile: string): void {
  rmSync(pendingHeaderPathFor(dbFile), { force: true });
}

export function readKeyHeader(dbFile: string): KeyHeader {
  const path = headerPathFor(dbFile);
  if (!existsSync(path)) {
    throw new CairnFailure('not_initialized', `no key header at ${path}: the database cannot be unlocked without the file made by "cairn init"`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new CairnFailure('database_error', `the key header ${path} is not valid JSON`);
  }
  const parsed = parseKeyHeader(json);
  if (!parsed) throw new CairnFailure('database_error', `the key header ${path} is damaged or of an unknown version`);
  return parsed;
}

/** The audit anchor recorded in FILE's key header: null when there is none, 'damaged' when it does not parse. */
export function readAuditAnchor(dbFile: string): AuditAnchor | 'damaged' | null {
  const path = headerPathFor(dbFile);
  if (!existsSync(path)) return null;
  let h: KeyHeader | null;
  try {
    h = parseKeyHeader(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
  if (h?.audit === undefined) return null;
  const parsed = auditAnchor.safeParse(h.audit);
  return parsed.success ? parsed.data : 'damaged';
}

/**
 * Records the audit chain's head in FILE's key header. Important: the header is what unlocks the
 * database, so it is only ever replaced whole (temp file, fsync, rename, fsync of the folder),
 * every other field kept as it was; a header that does not parse is left alone.
 */
export function writeAuditAnchor(dbFile: string, anchor: AuditAnchor): void {
  const path = headerPathFor(dbFile);
  let current: unknown;
  try {
    current = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return;
  }
  if (!parseKeyHeader(current)) return;
  const tmp = `${path}.audit.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...(current as object), audit: anchor }, null, 2) + '\n', { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}
