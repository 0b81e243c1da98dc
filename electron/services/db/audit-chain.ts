import { hkdfSync } from 'node:crypto';
import type Database from 'better-sqlite3';
import { writeAuditAnchor } from './key-header';

/** HKDF label of the audit chain's HMAC key: its own, so it is never the database key or the key check. */
const AUDIT_KEY_INFO = 'cairn audit chain hmac v1';
const META_KEY = 'audit.hmac_key';
const META_FROM = 'audit.keyed_from';

/** The audit chain's HMAC key and the first sequence number hashed with it (older entries are plain SHA-256). */
export interface AuditChainKey {
  key: Buffer;
  keyedFrom: number;
}

function metaGet(sqlite: Database.Database, key: string): string | undefined {
  return (sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

function derive(dbKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dbKey, Buffer.alloc(0), AUDIT_KEY_INFO, 32));
}

/**
 * The audit chain's HMAC key. Derived (HKDF-SHA256, its own label) from the database key when keyed
 * hashing begins, and kept inside the encrypted database beside the one-time `audit.keyed_from`
 * marker: a passphrase change gives the database a new key, and the entries already written must
 * still verify. Reading it needs the database key, so recomputing the chain does too. Entries
 * written before the marker keep their plain SHA-256 hashes: nothing old is rewritten.
 */
export function ensureAuditKey(sqlite: Database.Database, dbKey: Buffer): AuditChainKey {
  const stored = metaGet(sqlite, META_KEY);
  const from = metaGet(sqlite, META_FROM);
  if (stored !== undefined || from !== undefined) {
    // Important: one without the other means someone removed a row. Nothing is written back:
    // verification then fails on the entries that no longer fit, which is what should be seen.
    return { key: stored !== undefined ? Buffer.from(stored, 'base64') : derive(dbKey), keyedFrom: from !== undefined ? Number(from) : 1 };
  }
  const key = derive(dbKey);
  sqlite
    .transaction(() => {
      const next = (sqlite.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM audit_log').get() as { n: number }).n;
      const put = sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING');
      put.run(META_KEY, key.toString('base64'));
      put.run(META_FROM, String(next));
    })
    .immediate();
  // Another process opening the same file at the same moment may have written first: its values hold.
  return { key: Buffer.from(metaGet(sqlite, META_KEY)!, 'base64'), keyedFrom: Number(metaGet(sqlite, META_FROM)) };
}

/** How often at most the anchor in the key header is rewritten while entries are being added. */
export const ANCHOR_INTERVAL_MS = 5_000;

/**
 * Keeps the audit chain's head (last seq and hash) in the key header beside the database, outside
 * the file, so a cut tail shows. Off the hot path: an append only marks it dirty; the committed head
 * is read and written at most every ANCHOR_INTERVAL_MS and on close. Important: it reads the head
 * outside any transaction, so it only ever records what has committed. It may lag behind the file
 * (a crash between two writes), never run ahead of it.
 */
export class AuditAnchorWriter {
  private timer: NodeJS.Timeout | null = null;
  private lastWrite = 0;
  private dirty = false;
  private readonly head: Database.Statement<[], { seq: number; hash: string }>;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly dbFile: string,
    private readonly keyedFrom: number | null,
    private readonly intervalMs = ANCHOR_INTERVAL_MS,
  ) {
    this.head = sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  }

  /** An entry was appended (maybe not yet committed): write the head soon. */
  touched(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush();
      },
      Math.max(0, this.lastWrite + this.intervalMs - Date.now()),
    );
    this.timer.unref();
  }

  /** Writes the committed head now (nothing when no entry was added since the last write). */
  flush(): void {
    if (!this.dirty || !this.sqlite.open) return;
    if (this.sqlite.inTransaction) {
      // Still inside the writer's transaction: what it added is not committed yet.
      this.touched();
      return;
    }
    const head = this.head.get();
    this.dirty = false;
    this.lastWrite = Date.now();
    if (!head) return;
    try {
      writeAuditAnchor(this.dbFile, { seq: head.seq, hash: head.hash, keyedFrom: this.keyedFrom, at: new Date().toISOString() });
    } catch {
      // A read-only folder or a full disk: the anchor lags (verification tolerates that); the write stands.
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
  }
}
