import { createHash, createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import { readAuditAnchor } from '../db/key-header';
import { MultiRowInsert } from './multi-row';

export interface AuditEvent {
  action: string;
  userId: string | null;
  patientId?: string | null;
  recordType?: string | null;
  recordId?: string | null;
  detail?: string | null;
}

const GENESIS = '0'.repeat(64);

interface ChainRow {
  seq: number;
  at: string;
  userId: string | null;
  deviceId: string;
  action: string;
  patientId: string | null;
  recordType: string | null;
  recordId: string | null;
  detail: string | null;
  prevHash: string;
  hash: string;
}

/**
 * Plain SHA-256 of one entry over the previous entry's hash: editing, removing or reordering breaks
 * the chain. Used by entries written before keyed hashing began (anyone can recompute it).
 */
export function auditHash(prevHash: string, fields: readonly (string | null)[]): string {
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

/** HMAC-SHA256 of one entry over the previous entry's hash: recomputing it needs the chain's key. */
export function auditHmac(key: Buffer, prevHash: string, fields: readonly (string | null)[]): string {
  return createHmac('sha256', key).update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

/** What an append needs to key the chain and anchor its head (see db/audit-chain.ts). */
export interface AuditChain {
  key: Buffer;
  /** Entries from this seq on are keyed; earlier ones are plain SHA-256. */
  keyedFrom: number;
  anchor?: { touched(): void };
  /** The database file, whose key header holds the anchored head. */
  dbFile?: string;
}

/** A head recorded outside the database file: the key header's, or the clinic server's copy. */
export interface ChainAnchor {
  /** Who recorded it, for the message ("key header", "clinic server"). */
  source: string;
  seq: number;
  hash: string;
  keyedFrom?: number | null;
}

export interface ChainVerdict {
  entries: number;
  lastSeq: number;
  keyedFrom: number | null;
  /** The first entry whose hash or link does not check, or whose anchored hash differs; the seq after the last one when the tail is cut. */
  firstBroken: number | null;
  /** One line per problem, for a person. Empty when the chain is whole and agrees with every anchor. */
  problems: string[];
  anchors: ChainAnchor[];
}

/**
 * Appends audit entries. Callers run it inside the transaction of the write it records, so the
 * entry and the write commit together or not at all.
 */
export class AuditRepo {
  private readonly last: Database.Statement<[], { hash: string }>;
  private readonly insert: Database.Statement;
  private readonly insertMany: MultiRowInsert;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly deviceId: string,
    /** Null only for the benchmark's plain store: entries are then plain SHA-256, unanchored. */
    private readonly chain: AuditChain | null = null,
  ) {
    this.last = sqlite.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insert = sqlite.prepare(
      `INSERT INTO audit_log (at, user_id, device_id, action, patient_id, record_type, record_id, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMany = new MultiRowInsert(
      sqlite,
      'INSERT INTO audit_log (at, user_id, device_id, action, patient_id, record_type, record_id, detail, prev_hash, hash)',
      10,
    );
  }

  append(e: AuditEvent, at: string): void {
    const prev = this.last.get()?.hash ?? GENESIS;
    const fields = [at, e.userId, this.deviceId, e.action, e.patientId ?? null, e.recordType ?? null, e.recordId ?? null, e.detail ?? null];
    this.insert.run(...fields, prev, this.chain ? auditHmac(this.chain.key, prev, fields) : auditHash(prev, fields));
    this.chain?.anchor?.touched();
  }

  /**
   * append() for many entries at once (one per claim an 835 posts): the same entries, chained in
   * the order given, with one read of the head and one INSERT per 64 entries instead of a read and
   * an insert per entry. Inside the caller's transaction, like append().
   */
  appendMany(events: readonly AuditEvent[], at: string): void {
    if (events.length === 0) return;
    let prev = this.last.get()?.hash ?? GENESIS;
    const values: (string | null)[] = [];
    for (const e of events) {
      const fields = [at, e.userId, this.deviceId, e.action, e.patientId ?? null, e.recordType ?? null, e.recordId ?? null, e.detail ?? null];
      const hash = this.chain ? auditHmac(this.chain.key, prev, fields) : auditHash(prev, fields);
      values.push(...fields, prev, hash);
      prev = hash;
    }
    this.insertMany.run(values);
    this.chain?.anchor?.touched();
  }

  /** Entries, oldest first, optionally for one patient: the start of an accounting of access. */
  list(
    filter: { patientId?: string } = {},
  ): { seq: number; at: string; userId: string | null; action: string; patientId: string | null; recordId: string | null; detail: string | null }[] {
    const base = 'SELECT seq, at, user_id AS userId, action, patient_id AS patientId, record_id AS recordId, detail FROM audit_log';
    const rows = filter.patientId
      ? this.sqlite.prepare(`${base} WHERE patient_id = ? ORDER BY seq`).all(filter.patientId)
      : this.sqlite.prepare(`${base} ORDER BY seq`).all();
    return rows as ReturnType<AuditRepo['list']>;
  }

  /** An accounting of access: who did what to whose chart, oldest first, filtered by patient and UTC dates. */
  export(filter: { patientId?: string; from?: string; to?: string }): {
    seq: number;
    at: string;
    userId: string | null;
    user: string | null;
    deviceId: string;
    action: string;
    patientId: string | null;
    recordType: string | null;
    recordId: string | null;
    detail: string | null;
  }[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.patientId) {
      where.push('a.patient_id = ?');
      args.push(filter.patientId);
    }
    if (filter.from) {
      where.push('a.at >= ?');
      args.push(filter.from);
    }
    if (filter.to) {
      // A date "to" includes that whole day.
      where.push('a.at < ?');
      args.push(/^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? `${filter.to}T99` : filter.to);
    }
    return this.sqlite
      .prepare(
        `SELECT a.seq, a.at, a.user_id AS userId, u.display_name AS user, a.device_id AS deviceId, a.action, a.patient_id AS patientId,
                a.record_type AS recordType, a.record_id AS recordId, a.detail
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.seq`,
      )
      .all(...args) as ReturnType<AuditRepo['export']>;
  }

  /** The anchor in the key header beside the database, when there is one. */
  private headerAnchor(problems: string[]): ChainAnchor[] {
    if (!this.chain?.dbFile) return [];
    const a = readAuditAnchor(this.chain.dbFile);
    if (a === 'damaged') problems.push('the audit anchor in the key header is damaged: it was edited by hand or by another program');
    return a && a !== 'damaged' ? [{ source: 'key header', seq: a.seq, hash: a.hash, keyedFrom: a.keyedFrom }] : [];
  }

  /**
   * Walks the chain (plain SHA-256 before `keyedFrom`, HMAC from there on) and compares it with the
   * anchored heads: the key header's, and any given (the clinic server's). An anchor may lag behind
   * the file (it is written after commits, at most every few seconds), never run ahead of it: an
   * anchor past the last entry means entries were cut off the end.
   */
  verify(extra: ChainAnchor[] = []): ChainVerdict {
    const problems: string[] = [];
    const anchors = [...this.headerAnchor(problems), ...extra];
    const keyedFrom = this.chain?.keyedFrom ?? null;
    const wanted = new Map<number, string | null>(anchors.map((a) => [a.seq, null]));
    let prev = GENESIS;
    let entries = 0;
    let lastSeq = 0;
    let broken: number | null = null;
    const rows = this.sqlite
      .prepare<[], ChainRow>(
        'SELECT seq, at, user_id AS userId, device_id AS deviceId, action, patient_id AS patientId, record_type AS recordType, record_id AS recordId, detail, prev_hash AS prevHash, hash FROM audit_log ORDER BY seq',
      )
      .iterate();
    for (const r of rows) {
      entries++;
      lastSeq = r.seq;
      if (wanted.has(r.seq)) wanted.set(r.seq, r.hash);
      if (broken !== null) continue;
      const fields = [r.at, r.userId, r.deviceId, r.action, r.patientId, r.recordType, r.recordId, r.detail];
      const expected = this.chain && keyedFrom !== null && r.seq >= keyedFrom ? auditHmac(this.chain.key, prev, fields) : auditHash(prev, fields);
      if (r.prevHash !== prev || r.hash !== expected) {
        broken = r.seq;
        problems.push(`audit entry ${r.seq} was changed, removed or reordered: the chain is broken from there`);
      }
      prev = r.hash;
    }
    let anchorBroken: number | null = null;
    const note = (seq: number, message: string): void => {
      anchorBroken = anchorBroken === null ? seq : Math.min(anchorBroken, seq);
      problems.push(message);
    };
    for (const a of anchors) {
      if (a.seq > lastSeq) {
        const n = a.seq - lastSeq;
        note(lastSeq + 1, `${n} ${n === 1 ? 'entry' : 'entries'} missing after seq ${lastSeq} (the ${a.source} records the chain up to seq ${a.seq})`);
      } else if (a.seq > 0 && wanted.get(a.seq) === null) {
        note(a.seq, `entry ${a.seq} is missing (the ${a.source} recorded it)`);
      } else if (a.seq > 0 && wanted.get(a.seq) !== a.hash) {
        note(a.seq, `entry ${a.seq} was changed (its hash differs from the one the ${a.source} recorded)`);
      }
      if (a.keyedFrom !== undefined && a.keyedFrom !== null && keyedFrom !== null && a.keyedFrom !== keyedFrom) {
        problems.push(`the start of keyed hashing was moved: the ${a.source} records seq ${a.keyedFrom}, the database seq ${keyedFrom}`);
        anchorBroken ??= Math.min(a.keyedFrom, keyedFrom);
      }
    }
    const firstBroken = broken === null ? anchorBroken : anchorBroken === null ? broken : Math.min(broken, anchorBroken);
    return { entries, lastSeq, keyedFrom, firstBroken, problems, anchors };
  }

  /** The seq of the first broken entry (see verify; the key header's anchor included), or null when whole. */
  firstBroken(): number | null {
    return this.verify().firstBroken;
  }
}
