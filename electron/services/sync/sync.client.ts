import type Database from 'better-sqlite3';
import { DEVICE_COLUMNS, ENTITIES, type Clocks, type Fields } from '../../../shared/sync/entities';
import { outboxFields } from '../repos/outbox.repo';
import { hlcWall, MAX_CLOCK_AHEAD_MS } from '../../../shared/sync/hlc';
import { PROTOCOL_VERSION, type Mutation, type PullResponse, type PushRequest, type PushResponse, type WireAuditEntry } from '../../../shared/sync/protocol';
import type { DeviceClock } from './device-clock';
import { PullApplier } from './pull-applier';
import { StatementCache } from '../db/statement-cache';
import { replayableWrite } from '../db/checkpointer';
import type { RowAccess } from './row-reader';
import { TransportError, type SyncTransport } from './transport';
import { userSessionTokens } from './user-sessions';

export interface SyncSummary {
  pushed: number;
  pulled: number;
  conflicts: number;
  quarantined: number;
  parked: number;
  pending: number;
  cursor: number;
  error: { code: string; message: string; retryable: boolean } | null;
}

export interface SyncProgress {
  phase: 'push' | 'pull';
  done: number;
  total: number;
}

export interface SyncClientOptions {
  pushBatch?: number;
  pullPage?: number;
  onProgress?: (p: SyncProgress) => void;
}

interface OutboxDbRow {
  seq: number;
  entity: string;
  entity_id: string;
  op: 'insert' | 'update';
  payload: string;
  hlc: string | null;
  user_id: string | null;
  patient_id: string | null;
  base: string | null;
}

interface PreparedBatch {
  batch: OutboxDbRow[];
  audit: WireAuditEntry[];
  body: PushRequest;
  waitingFor: string | null;
  /** Where the batch after this one starts, or null when this one is the last for now. */
  next: { seq: number; audit: number | null } | null;
}

/** A batch sent and not yet answered; `overtaking`: sent before the batch ahead of it was answered. */
interface InFlight {
  prepared: PreparedBatch;
  answer: Promise<PushResponse>;
  overtaking: boolean;
}

const META_GET = 'SELECT value FROM meta WHERE key = ?';
/** A pull this long (changes) builds the write-once tables' indexes once at the end instead of row by row. */
const BULK_PULL = 50_000;
const META_PUT = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value';

/**
 * One device's side of sync: push the outbox in order, then pull the server's log by cursor.
 * Everything it learns is committed before it asks for more, so a crash at any point resumes
 * where it stopped: an unacknowledged push is sent again (the server answers it as a duplicate),
 * a pull page is applied together with its cursor or not at all.
 */
export class SyncClient {
  private readonly applier: PullApplier;
  private readonly metaGet: Database.Statement<[string], { value: string }>;
  private readonly metaPut: Database.Statement<[string, string]>;
  private readonly stmts: StatementCache;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly deviceId: string,
    private readonly rows: RowAccess,
    private readonly clock: DeviceClock,
    private readonly transport: SyncTransport,
    private readonly opts: SyncClientOptions = {},
    applier?: PullApplier,
  ) {
    this.applier = applier ?? new PullApplier(sqlite, rows, clock);
    this.stmts = new StatementCache(sqlite);
    this.metaGet = sqlite.prepare(META_GET);
    this.metaPut = sqlite.prepare(META_PUT);
  }

  private readonly txFn = (fn: () => void): void => this.sqlite.transaction(fn).immediate();
  private tx(fn: () => void): void {
    this.txFn(fn);
  }

  private sql(text: string): Database.Statement {
    return this.stmts.get(text);
  }

  cursor(): number {
    return Number(this.metaGet.get('sync.cursor')?.value ?? '0');
  }

  private schemaVersion(): number {
    return (this.sql('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
  }

  /** Pushes everything pending, then pulls until caught up. Errors are reported, never thrown. */
  async syncOnce(): Promise<SyncSummary> {
    const summary: SyncSummary = { pushed: 0, pulled: 0, conflicts: 0, quarantined: 0, parked: 0, pending: 0, cursor: this.cursor(), error: null };
    let held: SyncSummary['error'] = null;
    try {
      // A long pull killed before it rebuilt the indexes it deferred: rebuild them first.
      this.applier.restoreIndexes();
      this.applier.replayParked();
      held = await this.pushAll(summary);
      await this.pullAll(summary);
    } catch (e) {
      summary.error = describe(e);
    }
    // Changes waiting for their author to sign in say so (also when, with nobody signed in, the pull was refused).
    if (held && (!summary.error || summary.error.code === 'not_signed_in')) summary.error = held;
    summary.pending = this.pendingCount();
    summary.cursor = this.cursor();
    return summary;
  }

  pendingCount(): number {
    return (this.sql('SELECT count(*) AS n FROM sync_outbox WHERE pushed_at IS NULL').get() as { n: number }).n;
  }

  /** Unacknowledged changes after `afterSeq` (the batch already on its way), in order. */
  private pendingBatch(limit: number, afterSeq: number): OutboxDbRow[] {
    return this.sql(
      'SELECT seq, entity, entity_id, op, payload, hlc, user_id, patient_id, base FROM sync_outbox WHERE device_id = ? AND pushed_at IS NULL AND seq > ? ORDER BY seq LIMIT ?',
    ).all(this.deviceId, afterSeq, limit) as OutboxDbRow[];
  }

  private auditBatch(limit: number, afterSeq: number | null): WireAuditEntry[] {
    const after = afterSeq ?? Number(this.metaGet.get('sync.audit_acked')?.value ?? '0');
    return this.sql(
      `SELECT seq, at, user_id AS userId, action, patient_id AS patientId, record_type AS recordType, record_id AS recordId, detail, prev_hash AS prevHash, hash
         FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`,
    ).all(after, limit) as WireAuditEntry[];
  }

  /**
   * The clinic server accepts a change only from a user who signed in on this device with the server
   * checking their password (or from an operator device's command line). Changes by anyone else wait
   * here, in order, until that user signs in while the server is reachable: none is refused for it.
   */
  private pushable(batch: OutboxDbRow[]): { rows: OutboxDbRow[]; waitingFor: string | null } {
    const sessions = userSessionTokens(this.sqlite);
    const operator = this.metaGet.get('sync.operator')?.value === '1';
    const i = batch.findIndex((r) => r.user_id !== null && !(r.user_id.startsWith('cli:') ? operator : sessions[r.user_id] !== undefined));
    return i < 0 ? { rows: batch, waitingFor: null } : { rows: batch.slice(0, i), waitingFor: batch[i]!.user_id };
  }

  private waitingMessage(userId: string): SyncSummary['error'] {
    const name = (this.sql('SELECT display_name AS n FROM users WHERE id = ?').get(userId) as { n: string } | undefined)?.n ?? userId;
    const n = this.pendingCount();
    return {
      code: 'awaiting_sign_in',
      message: userId.startsWith('cli:')
        ? `${n} change(s) made from the command line wait: this device is not an operator device of the clinic server`
        : `${n} change(s) wait until ${name} signs in on this device while the clinic server is reachable`,
      retryable: false,
    };
  }

  /**
   * The next batch to send: changes after `after.seq` and audit entries after `after.audit` (null:
   * after what the server acknowledged). Reading it changes nothing but the stamps of changes
   * written before sync existed, so a batch prepared and then not sent costs nothing.
   */
  private prepareBatch(batchSize: number, after: { seq: number; audit: number | null }): PreparedBatch {
    const { rows: batch, waitingFor } = this.pushable(this.pendingBatch(batchSize, after.seq));
    const audit = this.auditBatch(batchSize * 4, after.audit);
    const body: PushRequest = {
      protocol: PROTOCOL_VERSION,
      schemaVersion: this.schemaVersion(),
      clientTime: this.clock.wallClock(),
      mutations: batch.map((r) => this.toMutation(r)),
      audit,
    };
    // More may follow only after a full batch with nobody's sign-in awaited.
    const full = !waitingFor && (batch.length === batchSize || audit.length === batchSize * 4);
    return {
      batch,
      audit,
      body,
      waitingFor,
      next: full ? { seq: batch.at(-1)?.seq ?? after.seq, audit: audit.at(-1)?.seq ?? after.audit } : null,
    };
  }

  /** Sends a prepared batch; its answer is awaited later (a failure of one never awaited is dropped). */
  private send(prepared: PreparedBatch, overtaking: boolean): InFlight {
    const answer = this.transport.push(prepared.body);
    answer.catch(() => undefined);
    return { prepared, answer, overtaking };
  }

  /**
   * Pushes what may be pushed; returns why the rest waits, if some does. Two batches are on their
   * way at a time: the next is read, encoded and sent while the server works on the one before it,
   * so the server reads one while its database writes the other, and the device records an answer
   * (each change marked pushed) while the server works on the next. The server applies a device's
   * batches in order; one that overtook the batch before it on the way is refused as a gap and sent
   * again once that one is answered. A catch-up after a day offline is mostly this work. Killed
   * before an answer is recorded, the device sends those changes again and the server, which has
   * them, answers them again without applying them twice.
   */
  async pushAll(summary: SyncSummary): Promise<SyncSummary['error']> {
    const batchSize = this.opts.pushBatch ?? 2500;
    const start = { seq: 0, audit: null };
    const empty = (p: PreparedBatch): boolean => p.batch.length === 0 && p.audit.length === 0;
    let restamped = false;
    await this.renumberAfterRestore();
    const total = this.pendingCount();
    let done = 0;
    const first = this.prepareBatch(batchSize, start);
    if (empty(first)) return first.waitingFor ? this.waitingMessage(first.waitingFor) : null;
    let head = this.send(first, false);
    let behind: InFlight | null = null;
    for (;;) {
      if (!behind && head.prepared.next) {
        const following = this.prepareBatch(batchSize, head.prepared.next);
        if (!empty(following)) behind = this.send(following, true);
      }
      let res: PushResponse;
      try {
        res = await head.answer;
      } catch (e) {
        if (e instanceof TransportError && e.code === 'clock_ahead' && !restamped && e.serverTime !== undefined && this.restampIfClockFixed(e.serverTime)) {
          // Everything not yet acknowledged goes again with its new stamps (the batch behind was refused too).
          restamped = true;
          const again = this.prepareBatch(batchSize, start);
          if (empty(again)) return again.waitingFor ? this.waitingMessage(again.waitingFor) : null;
          head = this.send(again, false);
          behind = null;
          continue;
        }
        if (e instanceof TransportError && e.code === 'sequence_gap' && head.overtaking) {
          // It reached the server before the batch ahead of it was written (another server
          // process, or the network reordered them); that one is answered now: send it again.
          head = this.send(head.prepared, false);
          continue;
        }
        if (e instanceof TransportError && e.code === 'sequence_gap' && e.expectedSeq !== undefined) {
          // The server lost changes it had acknowledged (restored from a backup): send them again.
          this.sql('UPDATE sync_outbox SET pushed_at = NULL, server_seq = NULL WHERE device_id = ? AND seq >= ? AND quarantined_at IS NULL').run(
            this.deviceId,
            e.expectedSeq,
          );
          throw e;
        }
        throw e;
      }
      const { batch, audit, waitingFor } = head.prepared;
      this.recordPushResults(batch, res, audit, summary);
      done += batch.length;
      this.opts.onProgress?.({ phase: 'push', done, total });
      if (waitingFor) return this.waitingMessage(waitingFor);
      if (!behind) return null;
      head = behind;
      behind = null;
    }
  }

  /**
   * After a restore from a backup (restore.ts marks it), before anything is pushed: asks the server
   * (an empty push) for the highest change number of this device it holds. Changes written after
   * the restore were numbered on from the backup's highest, so they may reuse numbers of changes
   * made after the backup and already synced; the server would answer them as received and they
   * would never reach the clinic. They move past the server's number, in order. Changes that were
   * in the backup keep theirs: the server may hold exactly those, and answers them as duplicates.
   */
  private async renumberAfterRestore(): Promise<void> {
    const mark = this.metaGet.get('sync.restored_max_seq')?.value;
    if (mark === undefined) return;
    const restoredMax = Number(mark);
    const res = await this.transport.push({
      protocol: PROTOCOL_VERSION,
      schemaVersion: this.schemaVersion(),
      clientTime: this.clock.wallClock(),
      mutations: [],
      audit: [],
    });
    this.tx(() => {
      const shift = (res.lastSeq ?? restoredMax) - restoredMax;
      if (shift > 0) {
        // Through negative numbers: the (device, seq) index is unique at every row of an UPDATE.
        this.sql('UPDATE sync_outbox SET seq = -seq WHERE device_id = ? AND seq > ?').run(this.deviceId, restoredMax);
        this.sql('UPDATE sync_outbox SET seq = ? - seq WHERE device_id = ? AND seq < 0').run(shift, this.deviceId);
        // Changes written from now on are numbered past the server's too (outbox.repo.ts).
        this.metaPut.run('sync.seq_floor', String(res.lastSeq));
      }
      this.sql("DELETE FROM meta WHERE key = 'sync.restored_max_seq'").run();
    });
  }

  private toMutation(r: OutboxDbRow): Mutation {
    if (!r.hlc || !r.user_id || r.base === null) {
      // Written before sync existed: send the row as it is now.
      const hlc = this.clock.tick();
      const fields = this.rows.read(r.entity, r.entity_id) ?? outboxFields(this.rows, r.entity, r.entity_id, r.payload);
      this.sql('UPDATE sync_outbox SET hlc = ?, user_id = ?, payload = ?, base = ? WHERE device_id = ? AND seq = ?').run(
        hlc,
        r.user_id ?? String(fields['created_by'] ?? 'unknown'),
        JSON.stringify(fields),
        '{}',
        this.deviceId,
        r.seq,
      );
      return {
        seq: r.seq,
        entity: r.entity,
        id: r.entity_id,
        op: r.op,
        hlc,
        authorId: r.user_id ?? String(fields['created_by'] ?? 'unknown'),
        patientId: r.patient_id,
        fields,
        base: {},
      };
    }
    return {
      seq: r.seq,
      entity: r.entity,
      id: r.entity_id,
      op: r.op === 'insert' ? 'insert' : 'update',
      hlc: r.hlc,
      authorId: r.user_id,
      patientId: r.patient_id,
      fields: outboxFields(this.rows, r.entity, r.entity_id, r.payload),
      base: JSON.parse(r.base) as Clocks,
    };
  }

  private recordPushResults(batch: OutboxDbRow[], res: PushResponse, audit: WireAuditEntry[], summary: SyncSummary): void {
    const now = new Date(this.clock.wallClock()).toISOString();
    const ack = this.sql('UPDATE sync_outbox SET pushed_at = ?, server_seq = ?, attempts = attempts + 1 WHERE device_id = ? AND seq = ?');
    const quarantine = this.sql(
      'UPDATE sync_outbox SET pushed_at = ?, quarantined_at = ?, quarantined_reason = ?, attempts = attempts + 1 WHERE device_id = ? AND seq = ?',
    );
    // The server's answer needs no fsync of its own: lost to a power cut, the changes are sent again
    // and answered as duplicates (a refusal with the record's state, as the first time).
    replayableWrite(this.sqlite, () =>
      this.tx(() => {
        for (const r of res.results) {
          if (r.status === 'rejected') {
            quarantine.run(now, now, `${r.code}: ${r.message}`, this.deviceId, r.seq);
            const m = batch.find((b) => b.seq === r.seq);
            if (m && r.current) this.applier.restoreServerState(m.entity, m.entity_id, r.current);
            summary.quarantined++;
          } else {
            ack.run(now, r.serverSeq, this.deviceId, r.seq);
            summary.pushed++;
          }
        }
        if (audit.length > 0) this.metaPut.run('sync.audit_acked', String(res.auditAccepted));
      }),
    );
  }

  /**
   * The server refused clocks from the future. If this computer's clock is right again, restamp
   * the waiting changes from now (keeping their order) and rewrite the clocks they were based on.
   */
  private restampIfClockFixed(serverTime: number): boolean {
    const now = this.clock.wallClock();
    if (now - serverTime > MAX_CLOCK_AHEAD_MS) return false;
    this.sqlite
      .transaction(() => {
        const limit = serverTime + MAX_CLOCK_AHEAD_MS;
        const pending = this.sql('SELECT seq, hlc FROM sync_outbox WHERE device_id = ? AND pushed_at IS NULL ORDER BY seq').all(this.deviceId) as {
          seq: number;
          hlc: string | null;
        }[];
        const future = pending.filter((p) => p.hlc && hlcWall(p.hlc) > limit);
        if (future.length === 0) return;
        this.clock.reset(Math.min(now, serverTime));
        const remap = new Map<string, string>();
        const setHlc = this.sql('UPDATE sync_outbox SET hlc = ? WHERE device_id = ? AND seq = ?');
        for (const p of future) {
          const fresh = this.clock.tick();
          remap.set(p.hlc!, fresh);
          setHlc.run(fresh, this.deviceId, p.seq);
        }
        const rewrite = (json: string): string =>
          JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(json) as Clocks).map(([k, v]) => [k, remap.get(v) ?? v])));
        for (const row of this.sql('SELECT seq, base FROM sync_outbox WHERE device_id = ? AND pushed_at IS NULL').all(this.deviceId) as {
          seq: number;
          base: string | null;
        }[]) {
          if (row.base) this.sql('UPDATE sync_outbox SET base = ? WHERE device_id = ? AND seq = ?').run(rewrite(row.base), this.deviceId, row.seq);
        }
        for (const s of this.sql('SELECT entity, entity_id, clocks FROM sync_state').all() as { entity: string; entity_id: string; clocks: string }[]) {
          const next = rewrite(s.clocks);
          if (next !== s.clocks) this.sql('UPDATE sync_state SET clocks = ? WHERE entity = ? AND entity_id = ?').run(next, s.entity, s.entity_id);
        }
      })
      .immediate();
    return true;
  }

  async pullAll(summary: SyncSummary): Promise<void> {
    const page = this.opts.pullPage ?? 1000;
    const start = this.cursor();
    let from = start;
    let next: Promise<PullResponse> = this.transport.pull(start, page, true);
    let first = true;
    try {
      for (;;) {
        let res = await next;
        // Echoes this device cannot vouch for (restored from a backup): the same page in full.
        if (!this.applier.vouchesForEchoes(res.changes)) res = await this.transport.pull(from, page, false);
        if (first && res.head - start >= BULK_PULL) this.applier.deferIndexes();
        first = false;
        from = res.cursor;
        // Ask for the next page while this one is applied; a failure below simply drops it.
        if (res.more) {
          next = this.transport.pull(res.cursor, page, true);
          next.catch(() => undefined);
        }
        const counts = this.applier.applyPage(res.changes, res.cursor, (n) => this.metaPut.run('sync.cursor', String(n)));
        summary.pulled += res.changes.length;
        summary.parked += counts.parked;
        summary.conflicts += counts.conflicts;
        this.opts.onProgress?.({ phase: 'pull', done: res.cursor - start, total: Math.max(res.head - start, 1) });
        if (!res.more) return;
      }
    } finally {
      // Also after a failure or a crash on an earlier run: indexes are never left missing.
      this.applier.restoreIndexes();
    }
  }

  /** The device's users as enrollment sends them (device-only columns left out). */
  usersForEnrollment(): { fields: Fields; clocks: Clocks }[] {
    const ids = (this.sql('SELECT id FROM users').all() as { id: string }[]).map((r) => r.id);
    const hlc = this.clock.tick();
    const local = new Set<string>([...DEVICE_COLUMNS, ...ENTITIES.user.localOnly]);
    const remember = this.sql('INSERT OR IGNORE INTO sync_state (entity, entity_id, data, clocks) VALUES (?, ?, ?, ?)');
    return ids.map((id) => {
      const fields = Object.fromEntries(Object.entries(this.rows.read('user', id)!).filter(([k]) => !local.has(k)));
      const clocks = Object.fromEntries(Object.keys(fields).map((k) => [k, hlc]));
      remember.run('user', id, JSON.stringify(fields), JSON.stringify(clocks));
      return { fields, clocks };
    });
  }
}

function describe(e: unknown): SyncSummary['error'] {
  if (e instanceof TransportError) return { code: e.code, message: e.message, retryable: e.retryable };
  return { code: 'sync_failed', message: e instanceof Error ? e.message : String(e), retryable: true };
}
