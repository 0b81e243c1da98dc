import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

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

/** Hash of one entry over the previous entry's hash: editing, removing or reordering breaks the chain. */
export function auditHash(prevHash: string, fields: readonly (string | null)[]): string {
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

/**
 * Appends audit entries. Callers run it inside the transaction of the write it records, so the
 * entry and the write commit together or not at all.
 */
export class AuditRepo {
  private readonly last: Database.Statement<[], { hash: string }>;
  private readonly insert: Database.Statement;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly deviceId: string,
  ) {
    this.last = sqlite.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insert = sqlite.prepare(
      `INSERT INTO audit_log (at, user_id, device_id, action, patient_id, record_type, record_id, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  append(e: AuditEvent, at: string): void {
    const prev = this.last.get()?.hash ?? GENESIS;
    const fields = [at, e.userId, this.deviceId, e.action, e.patientId ?? null, e.recordType ?? null, e.recordId ?? null, e.detail ?? null];
    this.insert.run(...fields, prev, auditHash(prev, fields));
  }

  /** Entries, oldest first, optionally for one patient: the start of an accounting of access. */
  list(filter: { patientId?: string } = {}): { seq: number; at: string; userId: string | null; action: string; patientId: string | null; recordId: string | null; detail: string | null }[] {
    const base = 'SELECT seq, at, user_id AS userId, action, patient_id AS patientId, record_id AS recordId, detail FROM audit_log';
    const rows = filter.patientId
      ? this.sqlite.prepare(`${base} WHERE patient_id = ? ORDER BY seq`).all(filter.patientId)
      : this.sqlite.prepare(`${base} ORDER BY seq`).all();
    return rows as ReturnType<AuditRepo['list']>;
  }

  /** An accounting of access: who did what to whose chart, oldest first, filtered by patient and UTC dates. */
  export(filter: { patientId?: string; from?: string; to?: string }): { seq: number; at: string; userId: string | null; user: string | null; deviceId: string; action: string; patientId: string | null; recordType: string | null; recordId: string | null; detail: string | null }[] {
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

  /** Walks the chain; returns the seq of the first broken entry, or null when whole. */
  firstBroken(): number | null {
    let prev = GENESIS;
    const rows = this.sqlite
      .prepare<[], ChainRow>(
        'SELECT seq, at, user_id AS userId, device_id AS deviceId, action, patient_id AS patientId, record_type AS recordType, record_id AS recordId, detail, prev_hash AS prevHash, hash FROM audit_log ORDER BY seq',
      )
      .iterate();
    for (const r of rows) {
      const fields = [r.at, r.userId, r.deviceId, r.action, r.patientId, r.recordType, r.recordId, r.detail];
      if (r.prevHash !== prev || r.hash !== auditHash(prev, fields)) return r.seq;
      prev = r.hash;
    }
    return null;
  }
}
