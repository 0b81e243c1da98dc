import type Database from 'better-sqlite3';

export type OutboxOp = 'insert' | 'update' | 'delete';

/**
 * The sync outbox: one row per local mutation keyed (device id, sequence), written inside the
 * same transaction as the clinical write so a committed change is never missing from sync.
 */
export class OutboxRepo {
  private readonly next: Database.Statement<[string], { n: number }>;
  private readonly insert: Database.Statement;
  private readonly countPending: Database.Statement<[], { n: number }>;

  constructor(
    sqlite: Database.Database,
    private readonly deviceId: string,
  ) {
    this.next = sqlite.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM sync_outbox WHERE device_id = ?');
    this.countPending = sqlite.prepare('SELECT count(*) AS n FROM sync_outbox WHERE pushed_at IS NULL');
    this.insert = sqlite.prepare(
      'INSERT INTO sync_outbox (device_id, seq, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Mutations not yet acknowledged by the clinic server. */
  pending(): number {
    return this.countPending.get()!.n;
  }

  add(entity: string, entityId: string, op: OutboxOp, payload: unknown, at: string): number {
    const seq = this.next.get(this.deviceId)!.n;
    this.insert.run(this.deviceId, seq, entity, entityId, op, JSON.stringify(payload), at);
    return seq;
  }
}
