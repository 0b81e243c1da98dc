import { createHash } from 'node:crypto';
import type { ServerDb, Sql } from '../db/open';
import { portalAuthor } from '../sync.service';

/** The device id under which the portal's entries sit in audit_entries (devices' ids are UUIDs). */
export const PORTAL_AUDIT_DEVICE = 'portal';

/** One thing the portal did or refused, for one account. */
export interface PortalAuditEntry {
  /** The portal account acting (null: nobody signed in, e.g. a refused registration). */
  accountId: string | null;
  /** `portal.<what>`: portal.summary, portal.message, portal.denied… */
  action: string;
  /** The chart read or written (or asked for, when refused). */
  patientId: string | null;
  recordType?: string | null;
  recordId?: string | null;
  /** self | proxy, and anything else worth keeping (never health information beyond the record id). */
  detail?: string | null;
}

const ZERO = '0'.repeat(64);

/** The hash of an entry: SHA-256 over the previous hash and the entry's fields as JSON, in a fixed order. */
export function portalEntryHash(
  prevHash: string,
  e: {
    seq: number;
    at: string;
    userId: string | null;
    action: string;
    patientId: string | null;
    recordType: string | null;
    recordId: string | null;
    detail: string | null;
  },
): string {
  const body = JSON.stringify([e.seq, e.at, e.userId, e.action, e.patientId, e.recordType, e.recordId, e.detail]);
  return createHash('sha256')
    .update(prevHash + body)
    .digest('hex');
}

/** Whatever a client sent, cut to something the audit table may hold (no control characters, bounded). */
const clean = (s: string | null | undefined, max = 200): string | null =>
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  s === null || s === undefined ? null : s.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, max);

/**
 * Writes portal audit entries into the clinic server's audit table, chained: the head row
 * (portal_audit_head, id 1) is locked, so entries from any number of server processes get
 * consecutive numbers and each holds the hash of the one before. Important: call it inside a
 * transaction (the lock lasts only as long as one): that of what is audited (a write), or use
 * `PortalAuditLog` for a request that writes nothing else.
 */
export async function recordPortalAudit(q: Sql, entries: readonly PortalAuditEntry[], now: number): Promise<void> {
  if (entries.length === 0) return;
  const [head] = await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM portal_audit_head WHERE id = 1 FOR UPDATE');
  let seq = Number(head?.seq ?? 0);
  let prev = head?.hash ?? ZERO;
  const at = new Date(now).toISOString();
  const rows = entries.map((e) => {
    seq++;
    const row = {
      seq,
      at,
      userId: e.accountId ? portalAuthor(e.accountId) : null,
      action: clean(e.action, 60)!,
      patientId: clean(e.patientId, 100),
      recordType: clean(e.recordType, 60),
      recordId: clean(e.recordId, 100),
      detail: clean(e.detail, 500),
    };
    const hash = portalEntryHash(prev, row);
    const out = { ...row, prevHash: prev, hash };
    prev = hash;
    return out;
  });
  await q.query(
    `INSERT INTO audit_entries (device_id, seq, at, user_id, action, patient_id, record_type, record_id, detail, prev_hash, hash, chain_ok)
     SELECT $1, x.seq, x.at, x."userId", x.action, x."patientId", x."recordType", x."recordId", x.detail, x."prevHash", x.hash, true
     FROM jsonb_to_recordset($2::jsonb) AS x(seq bigint, at text, "userId" text, action text, "patientId" text, "recordType" text, "recordId" text, detail text, "prevHash" text, hash text)`,
    [PORTAL_AUDIT_DEVICE, JSON.stringify(rows)],
  );
  if (head) await q.query('UPDATE portal_audit_head SET seq = $1, hash = $2 WHERE id = 1', [seq, prev]);
  else await q.query('INSERT INTO portal_audit_head (id, seq, hash) VALUES (1, $1, $2)', [seq, prev]);
}

/**
 * The audit entries of requests that write nothing else (reads, refusals), committed in groups: an
 * entry waits while the group before it commits, then goes with every entry that arrived meanwhile
 * in one transaction. Each request still has its entry committed before its answer is sent; fifty
 * patients reading at once cost a few short transactions instead of fifty queued on the chain's lock.
 */
export class PortalAuditLog {
  private queue: { entries: readonly PortalAuditEntry[]; done: (e?: unknown) => void }[] = [];
  private draining = false;

  constructor(
    private readonly db: ServerDb,
    private readonly now: () => number,
  ) {}

  record(entries: readonly PortalAuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({
        entries,
        done: (e) => (e === undefined ? resolve() : reject(e instanceof Error ? e : new Error('the audit entry could not be written'))),
      });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0);
        try {
          await this.db.tx((q) =>
            recordPortalAudit(
              q,
              group.flatMap((g) => g.entries),
              this.now(),
            ),
          );
          for (const g of group) g.done();
        } catch (e) {
          for (const g of group) g.done(e ?? new Error('the audit entry could not be written'));
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

/**
 * Checks the portal's chain as stored: consecutive numbers from 1, each entry's prev_hash the hash
 * before it, each hash recomputed. Returns the first broken seq, or null when whole.
 */
export async function verifyPortalAudit(q: Sql): Promise<{ entries: number; brokenAt: number | null }> {
  const rows = await q.query<{
    seq: number;
    at: string;
    user_id: string | null;
    action: string;
    patient_id: string | null;
    record_type: string | null;
    record_id: string | null;
    detail: string | null;
    prev_hash: string;
    hash: string;
  }>('SELECT seq, at, user_id, action, patient_id, record_type, record_id, detail, prev_hash, hash FROM audit_entries WHERE device_id = $1 ORDER BY seq', [
    PORTAL_AUDIT_DEVICE,
  ]);
  let prev = ZERO;
  let expected = 1;
  for (const r of rows) {
    const seq = Number(r.seq);
    const fields = {
      seq,
      at: r.at,
      userId: r.user_id,
      action: r.action,
      patientId: r.patient_id,
      recordType: r.record_type,
      recordId: r.record_id,
      detail: r.detail,
    };
    if (seq !== expected || r.prev_hash !== prev || portalEntryHash(prev, fields) !== r.hash) return { entries: rows.length, brokenAt: seq };
    prev = r.hash;
    expected++;
  }
  return { entries: rows.length, brokenAt: null };
}
