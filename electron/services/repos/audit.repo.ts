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
