import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';

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

/**
 * The key header: a small JSON file beside the database holding the KDF salt and parameters,
 * and a check value (HMAC of a constant under the key) so a wrong passphrase is refused before
 * the database file is even opened. The key itself is never written anywhere.
 */
const header = z.object({
  format: z.literal('cairn-key-header'),
  version: z.literal(1),
  kdf: z.literal('scrypt'),
  // Bounded so a tampered header cannot make unlock allocate gigabytes.
  N: z
    .number()
    .int()
    .min(2 ** 10)
    .max(2 ** 20),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.string().min(16),
  check: z.string().min(16),
  cipher: z.literal('sqlcipher'),
  legacy: z.literal(4),
  /**
   * The audit chain's head, anchored outside the database file (see writeAuditAnchor). Important:
   * checked only where it is used (readAuditAnchor), so a damaged anchor never stops an unlock.
   */
  audit: z.unknown().optional(),
});
export type KeyHeader = z.infer<typeof header>;

/** scrypt N=2^17, r=8, p=1 (OWASP's recommendation): about 0.6 s and 128 MiB here, on purpose. */
export const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;
const CHECK_LABEL = 'cairn key check v1';

export function headerPathFor(dbFile: string): string {
  return `${dbFile}.key.json`;
}

function deriveRaw(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes plus slack.
    scrypt(passphrase.normalize('NFC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r }, (e, key) =>
      e ? reject(e) : resolve(key),
    );
  });
}

function checkValue(key: Buffer): Buffer {
  return createHmac('sha256', key).update(CHECK_LABEL).digest();
}

/** Makes a new header for a new database and returns it with the derived key. */
export async function createKeyHeader(
  passphrase: string,
  params: { N: number; r: number; p: number } = DEFAULT_KDF,
): Promise<{ header: KeyHeader; key: Buffer }> {
  const salt = randomBytes(32);
  const key = await deriveRaw(passphrase, salt, params);
  return {
    key,
    header: {
      format: 'cairn-key-header',
      version: 1,
      kdf: 'scrypt',
      ...params,
      salt: salt.toString('base64'),
      check: checkValue(key).toString('base64'),
      cipher: 'sqlcipher',
      legacy: 4,
    },
  };
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

/** A header's fields checked, or null when `json` is not a header of a known version. */
export function parseKeyHeader(json: unknown): KeyHeader | null {
  const parsed = header.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Makes directory entries (a rename, a new file) durable; a no-op where directories cannot be opened (Windows). */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    closeSync(fd);
  }
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

/** Whether `key` is the key this header describes (its check value), without the passphrase. */
export function headerFitsKey(h: KeyHeader, key: Buffer): boolean {
  const expected = Buffer.from(h.check, 'base64');
  const actual = checkValue(key);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
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

/** Derives the key and proves it against the header's check value; a wrong passphrase throws `wrong_passphrase`. */
export async function deriveKey(passphrase: string, h: KeyHeader): Promise<Buffer> {
  const key = await deriveRaw(passphrase, Buffer.from(h.salt, 'base64'), h);
  const expected = Buffer.from(h.check, 'base64');
  const actual = checkValue(key);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    key.fill(0);
    throw new CairnFailure('wrong_passphrase', 'wrong passphrase: the database was not opened and nothing was changed');
  }
  return key;
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
