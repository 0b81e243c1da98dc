import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { newId } from '../../common/ids';
import { CairnFailure } from '../../../shared/api/result';
import * as schema from './schema';
import { AuditAnchorWriter, ensureAuditKey } from './audit-chain';
import { createKeyHeader, deriveKey, type KeyHeader } from '../../common/key-header-format';
import { headerPathFor, promotePendingKeyHeader, readKeyHeader, readPendingKeyHeader, writeKeyHeader } from './key-header';
import { migrateOrExplain } from '../updates/safe-migrate';

export type Orm = BetterSQLite3Database<typeof schema>;

/** An open, unlocked, migrated device database. */
export interface Store {
  readonly file: string;
  /** The folder holding the database (caches and clinic templates live beside it). */
  readonly dir: string;
  /** The shipped resources folder this store was migrated from. */
  readonly resourcesDir: string;
  readonly sqlite: Database.Database;
  readonly orm: Orm;
  readonly deviceId: string;
  close(): void;
}

export interface OpenOptions {
  /** Folder holding `migrations/client`. */
  resourcesDir: string;
}

/** Electron from source uses its own build of the module (see electron/tools/prepare-electron-native.ts). */
function nativeBinding(): { nativeBinding?: string } {
  const path = process.env['CAIRN_SQLITE_BINDING'];
  return path ? { nativeBinding: path } : {};
}

/** What every connection runs right after its key (and what the benchmark's plain store runs alone). */
const UNKEYED_CONNECTION_PRAGMAS = [
  // Important: SQLite3 Multiple Ciphers encrypts the database, its WAL and its journal, not
  // temporary files (statement and savepoint journals, sorts, VACUUM's copy), and this build keeps
  // those on disk by default (SQLITE_TEMP_STORE=1): patient data in plaintext in the temp folder.
  // In memory they are never on disk; savepoints (one per received HL7 message) also stop costing writes.
  'temp_store = MEMORY',
] as const;

/**
 * What every connection to an encrypted store runs first. The SQLCipher v4 key comes before anything
 * else touches the file; the raw 256-bit key is passed as x'…' so SQLCipher skips its own PBKDF2
 * (our scrypt already did the slow part).
 */
function connectionPragmas(key: Buffer): string[] {
  return [`cipher='sqlcipher'`, 'legacy=4', `key="x'${key.toString('hex')}'"`, ...UNKEYED_CONNECTION_PRAGMAS];
}

/**
 * What the app's own connection sets once the file is readable. One list for open() and
 * openPlainForBenchmark, so the encrypted/plain comparison differs only in the cipher.
 */
const SESSION_PRAGMAS = [
  'journal_mode = WAL',
  // Important: FULL makes every commit durable across power loss, not just process death.
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  // 64 MiB of decrypted pages: search touches many pages, and each miss costs a decrypt + HMAC check.
  'cache_size = -65536',
] as const;

function applyKey(sqlite: Database.Database, key: Buffer): void {
  for (const p of connectionPragmas(key)) sqlite.pragma(p);
}

/** The key of each open store, for a helper thread's own connection (see connectionFor); never on the object. */
const KEYS = new WeakMap<Store, Buffer>();

/**
 * How another thread opens its own connection to this store's file: the native module, the file,
 * and the pragmas that unlock it. Important: the pragmas hold the key; they go to a worker thread of
 * this process and nowhere else (never a log, a message to the renderer or a file).
 */
export function connectionFor(store: Store): { file: string; pragmas: string[]; nativeBinding: string | null } {
  const key = KEYS.get(store);
  if (!key) throw new Error('connectionFor: not an encrypted store opened by this process');
  return { file: store.file, pragmas: connectionPragmas(key), nativeBinding: nativeBinding().nativeBinding ?? null };
}

/** What AuditRepo needs of an encrypted store: the chain's HMAC key, where keying began, and its anchor. */
export interface StoreAuditChain {
  key: Buffer;
  keyedFrom: number;
  anchor: AuditAnchorWriter;
  dbFile: string;
}

const CHAINS = new WeakMap<Store, StoreAuditChain>();

/** The audit chain of a store opened by this process with its key (or a plain store given one); null otherwise. */
export function auditChainOf(store: Store): StoreAuditChain | null {
  return CHAINS.get(store) ?? null;
}

const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/**
 * Owner-only modes for the database and its -wal/-shm/-journal (0600), whatever the umask: the file
 * is encrypted, but its size, times and the key header beside it are nobody else's business, and a
 * world-writable file can be replaced. SQLite gives -wal and -shm the main file's mode when it makes
 * them; this also mends files an older version left 0644. A no-op where modes do not exist (Windows).
 */
export function restrictDatabaseModes(file: string): void {
  if (process.platform === 'win32') return;
  for (const f of [file, ...SIDE_FILES.map((s) => `${file}${s}`)]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/** Makes the (empty) database file with mode 0600 before SQLite opens it, so it is never readable by others. */
function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'wx', 0o600));
  restrictDatabaseModes(file);
}

function failFastOnWrongKey(sqlite: Database.Database, file: string): void {
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    sqlite.close();
    const msg = e instanceof Error ? e.message : String(e);
    if (/not a database|encrypted/i.test(msg)) {
      throw new CairnFailure('wrong_passphrase', `${file} could not be decrypted with this key (wrong passphrase or not a Cairn database)`);
    }
    throw new CairnFailure('database_error', `${file} could not be read: ${msg}`);
  }
}

/** Opens an existing database with an already derived key, then applies pending migrations. */
export function openWithKey(file: string, key: Buffer, opts: OpenOptions): Store {
  if (!existsSync(file)) throw new CairnFailure('not_found', `no such database file: ${file}`);
  return open(file, key, opts, false);
}

function open(file: string, key: Buffer, opts: OpenOptions, creating: boolean): Store {
  if (creating && !existsSync(file)) createPrivateFile(file);
  const sqlite = new Database(file, { fileMustExist: true, ...nativeBinding() });
  applyKey(sqlite, key);
  failFastOnWrongKey(sqlite, file);
  for (const p of SESSION_PRAGMAS) sqlite.pragma(p);
  // A migration that fails is rolled back whole: the database stays at its previous version (the
  // old Cairn keeps working) and the message names the migration.
  try {
    migrateOrExplain(sqlite, join(opts.resourcesDir, 'migrations', 'client'), file);
  } catch (e) {
    sqlite.close();
    throw e;
  }
  const deviceId = ensureDeviceId(sqlite);
  const chain = ensureAuditKey(sqlite, key);
  const anchor = new AuditAnchorWriter(sqlite, file, chain.keyedFrom);
  // The -wal and -shm exist from here on (WAL mode, and the writes just made).
  restrictDatabaseModes(file);
  const keyCopy = Buffer.from(key);
  const store = storeOf(file, opts, sqlite, deviceId, anchor, () => keyCopy.fill(0));
  // Its own copy: a caller that zeroes its key after opening (Session.attach does) must not zero the
  // key connectionFor() hands to a backup or the checkpointer.
  KEYS.set(store, keyCopy);
  CHAINS.set(store, { ...chain, anchor, dbFile: file });
  return store;
}

/** The store over an open connection; closing it writes the audit head (if anchored), then closes, then `afterClose`. */
function storeOf(
  file: string,
  opts: OpenOptions,
  sqlite: Database.Database,
  deviceId: string,
  anchor: AuditAnchorWriter | null,
  afterClose?: () => void,
): Store {
  return {
    file,
    dir: dirname(file),
    resourcesDir: opts.resourcesDir,
    sqlite,
    orm: drizzle(sqlite, { schema }),
    deviceId,
    close: () => {
      if (!sqlite.open) return;
      anchor?.close();
      sqlite.close();
      afterClose?.();
    },
  };
}

function ensureDeviceId(sqlite: Database.Database): string {
  const row = sqlite.prepare(`SELECT value FROM meta WHERE key = 'device_id'`).get() as { value: string } | undefined;
  if (row) return row.value;
  const id = newId();
  sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('device_id', ?)`).run(id);
  return id;
}

/**
 * Opens FILE with a derived key and nothing else: no pragmas, no migrations (for backup, restore and
 * rekey, which must not change a file they only read or are about to replace). Fails fast on a wrong key.
 */
export function openRawWithKey(file: string, key: Buffer): Database.Database {
  const sqlite = new Database(file, { fileMustExist: true, ...nativeBinding() });
  applyKey(sqlite, key);
  sqlite.pragma('busy_timeout = 5000');
  failFastOnWrongKey(sqlite, file);
  restrictDatabaseModes(file);
  return sqlite;
}

function opensWith(file: string, key: Buffer): boolean {
  try {
    openRawWithKey(file, key).close();
    return true;
  } catch (e) {
    if (e instanceof CairnFailure && e.code === 'wrong_passphrase') return false;
    throw e;
  }
}

/**
 * Derives FILE's key from the passphrase. Normally that is its key header; while a rekey or restore
 * is switching files (or was killed doing it) a pending header also exists, and the key is
 * whichever of the two actually opens the database: the old passphrase until the new file is in
 * place, the new one after. `pending` says the pending header is the one that fits.
 */
export async function resolveKey(file: string, passphrase: string): Promise<{ key: Buffer; header: KeyHeader; pending: boolean }> {
  const next = readPendingKeyHeader(file);
  if (!next) {
    const main = readKeyHeader(file);
    return { key: await deriveKey(passphrase, main), header: main, pending: false };
  }
  // A restore to a new place killed before its promotion leaves only the pending header.
  const candidates = existsSync(headerPathFor(file))
    ? ([
        [readKeyHeader(file), false],
        [next, true],
      ] as const)
    : ([[next, true]] as const);
  for (const [header, pending] of candidates) {
    let key: Buffer;
    try {
      key = await deriveKey(passphrase, header);
    } catch (e) {
      if (e instanceof CairnFailure && e.code === 'wrong_passphrase') continue;
      throw e;
    }
    if (opensWith(file, key)) return { key, header, pending };
    key.fill(0);
  }
  throw new CairnFailure('wrong_passphrase', 'wrong passphrase: the database was not opened and nothing was changed');
}

/** Unlocks an existing database with the clinic passphrase. Nothing is written when it is wrong. */
export async function unlockDatabase(file: string, passphrase: string, opts: OpenOptions): Promise<{ store: Store; key: Buffer }> {
  if (!existsSync(file)) throw new CairnFailure('not_found', `no such database file: ${file}`);
  const { key, pending } = await resolveKey(file, passphrase);
  const store = openWithKey(file, key, opts);
  // Finishes a rekey or restore that was interrupted after its new database file was in place.
  if (pending) promotePendingKeyHeader(file);
  return { store, key };
}

/** Creates a new encrypted database and its key header; refuses to touch an existing one. */
export async function createDatabase(
  file: string,
  passphrase: string,
  opts: OpenOptions & { kdf?: Pick<KeyHeader, 'N' | 'r' | 'p'> },
): Promise<{ store: Store; key: Buffer }> {
  if (existsSync(file)) throw new CairnFailure('already_initialized', `refusing to overwrite the existing database ${file}`);
  if (existsSync(headerPathFor(file))) {
    throw new CairnFailure('already_initialized', `a key header already exists at ${headerPathFor(file)}; move it away first`);
  }
  const { header, key } = await createKeyHeader(passphrase, opts.kdf);
  writeKeyHeader(file, header);
  return { store: open(file, key, opts, true), key };
}

/**
 * An unencrypted database with the same schema, only for the benchmark's side-by-side comparison
 * (and tests that want a throwaway store). It runs the same connection pragmas as open(), the key
 * aside. Given `auditChainKey`, its audit entries are also chained as an encrypted store's are
 * (HMAC under a key derived from it, kept in meta, and an anchor writer), so a write costs the same
 * work on both sides; without it they are plain SHA-256. Never an encrypted store: connectionFor()
 * refuses it.
 */
export function openPlainForBenchmark(file: string, opts: OpenOptions & { auditChainKey?: Buffer }): Store {
  const sqlite = new Database(file, nativeBinding());
  // SQLite3 Multiple Ciphers turns secure_delete on when a key is set (freed pages are zeroed); the
  // plain copy does the same, so the comparison measures the cipher alone.
  for (const p of ['secure_delete = ON', ...UNKEYED_CONNECTION_PRAGMAS, ...SESSION_PRAGMAS]) sqlite.pragma(p);
  migrate(drizzle(sqlite, { schema }), { migrationsFolder: join(opts.resourcesDir, 'migrations', 'client') });
  const deviceId = ensureDeviceId(sqlite);
  const chain = opts.auditChainKey ? ensureAuditKey(sqlite, opts.auditChainKey) : null;
  const anchor = chain ? new AuditAnchorWriter(sqlite, file, chain.keyedFrom) : null;
  const store = storeOf(file, opts, sqlite, deviceId, anchor);
  if (chain && anchor) CHAINS.set(store, { ...chain, anchor, dbFile: file });
  return store;
}

/** Integrity and schema facts for `cairn verify`. Reading every page also checks every page's HMAC. */
export function verifyStore(
  store: Store,
  opts: OpenOptions,
): { integrity: string[]; foreignKeyViolations: number; schemaVersion: string; migrations: number; pending: number } {
  const integrity = (store.sqlite.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  const fk = store.sqlite.pragma('foreign_key_check') as unknown[];
  const applied = (store.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
  const journal = JSON.parse(readFileSync(join(opts.resourcesDir, 'migrations', 'client', 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return {
    integrity,
    foreignKeyViolations: fk.length,
    schemaVersion: journal.entries[applied - 1]?.tag ?? 'none',
    migrations: applied,
    pending: journal.entries.length - applied,
  };
}
