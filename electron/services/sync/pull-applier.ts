import type Database from 'better-sqlite3';
import { leavingCheckpointToThread, replayableWrite } from '../db/checkpointer';
import { ENTITIES, isEntity, type Clocks, type EntityName, type Fields } from '../../../shared/sync/entities';
import { clockOf, decodeStoredClocks, encodeStoredClocks, everyClock } from '../../../shared/sync/compact-clocks';
import { outboxFields } from '../repos/outbox.repo';
import type { Change } from '../../../shared/sync/protocol';
import type { DeviceClock } from './device-clock';
import type { RowAccess } from './row-reader';

export interface ApplyCounts {
  applied: number;
  parked: number;
  conflicts: number;
}

/**
 * Applies pulled changes to the device database. The server's log is authoritative and in order,
 * with one exception: a column this device changed and the server has not yet answered for (its
 * outbox entry is unacknowledged, or acknowledged at a later server sequence) keeps the local
 * value — the pull is rebased under the local write, whose merged result arrives later in the log.
 */
export class PullApplier {
  private readonly protectedFields: Database.Statement<[string, string, number], { payload: string }>;
  private readonly stateGet: Database.Statement<[string, string], { data: string; clocks: string }>;
  private readonly statePut: Database.Statement<[string, string, string, string]>;
  private readonly park: Database.Statement<[number, string, string, string]>;
  private readonly unpark: Database.Statement<[number]>;
  private readonly parked: Database.Statement<[], { change: string }>;
  private readonly ownEntry: Database.Statement<[string, number], { server_seq: number | null; hlc: string | null }>;
  private readonly ownRange: Database.Statement<[string, number, number], { seq: number; server_seq: number | null; hlc: string | null }>;
  /** Echoes vouched for by vouchesForEchoes, page by page. */
  private readonly vouched = new WeakSet<Change>();
  private readonly deviceId: string | undefined;
  /** One savepoint wrapper, made once: better-sqlite3 prepares its statements per wrapper. */
  private readonly savepoint: (fn: () => void) => void;
  private newestClock = '';

  constructor(
    private readonly sqlite: Database.Database,
    private readonly rows: RowAccess,
    private readonly clock: DeviceClock,
    /** Columns this version knows, per entity; overridable so a test can play an older client. */
    private readonly knownColumns: (entity: EntityName) => Set<string> = (e) => rows.columnsOf(e),
  ) {
    this.protectedFields = sqlite.prepare(
      `SELECT payload FROM sync_outbox WHERE entity = ? AND entity_id = ?
         AND quarantined_at IS NULL AND (server_seq IS NULL AND pushed_at IS NULL OR server_seq > ?)`,
    );
    this.stateGet = sqlite.prepare('SELECT data, clocks FROM sync_state WHERE entity = ? AND entity_id = ?');
    this.statePut = sqlite.prepare(
      `INSERT INTO sync_state (entity, entity_id, data, clocks) VALUES (?, ?, ?, ?)
       ON CONFLICT(entity, entity_id) DO UPDATE SET data = excluded.data, clocks = excluded.clocks`,
    );
    this.park = sqlite.prepare('INSERT OR IGNORE INTO sync_parked (server_seq, change, reason, parked_at) VALUES (?, ?, ?, ?)');
    this.unpark = sqlite.prepare('DELETE FROM sync_parked WHERE server_seq = ?');
    this.parked = sqlite.prepare('SELECT change FROM sync_parked ORDER BY server_seq');
    this.ownEntry = sqlite.prepare('SELECT server_seq, hlc FROM sync_outbox WHERE device_id = ? AND seq = ?');
    this.ownRange = sqlite.prepare('SELECT seq, server_seq, hlc FROM sync_outbox WHERE device_id = ? AND seq BETWEEN ? AND ?');
    this.deviceId = (sqlite.prepare("SELECT value FROM meta WHERE key = 'device_id'").get() as { value: string } | undefined)?.value;
    this.savepoint = sqlite.transaction((fn: () => void) => fn());
  }

  /** Moves the device clock past everything just applied (once per page, not per column). */
  private receiveNewest(): void {
    if (this.newestClock) this.clock.receive(this.newestClock);
    this.newestClock = '';
  }

  /** Applies one page and moves the cursor, in one transaction: a crash keeps all of it or none. */
  applyPage(changes: Change[], cursor: number, setCursor: (n: number) => void): ApplyCounts {
    // Important: a large pulled page needs no fsync of its own. Its cursor commits with it, so a
    // page lost to a power cut is simply pulled again (checkpointer.ts, replayableWrite).
    return changes.length >= 1000
      ? replayableWrite(this.sqlite, () => this.applyInTransaction(changes, cursor, setCursor))
      : this.applyInTransaction(changes, cursor, setCursor);
  }

  private applyInTransaction(changes: Change[], cursor: number, setCursor: (n: number) => void): ApplyCounts {
    return this.sqlite
      .transaction(() => {
        const counts: ApplyCounts = { applied: 0, parked: 0, conflicts: 0 };
        for (const c of changes) {
          const outcome = this.applyOne(c, false);
          counts[outcome]++;
          if (c.entity === 'sync_conflict' && c.op === 'insert') counts.conflicts++;
        }
        this.receiveNewest();
        setCursor(cursor);
        return counts;
      })
      .immediate();
  }

  /**
   * Puts a record back to the server's state after the server refused this device's change to it
   * (the refused change stays in the outbox, quarantined, for a person to review). Call inside a
   * transaction, after quarantining.
   */
  restoreServerState(entity: string, id: string, current: { fields: Fields; clocks: Clocks; serverSeq: number }): void {
    this.applyOne(
      {
        serverSeq: current.serverSeq,
        entity,
        id,
        op: 'update',
        patientId: null,
        fields: current.fields,
        clocks: current.clocks,
        deviceId: null,
        deviceSeq: null,
      },
      false,
      true,
    );
    this.receiveNewest();
  }

  /**
   * Before a long first pull: drop the secondary indexes of the write-once tables (vitals, results,
   * medication events…) and remember their definitions, in one transaction. Inserting into tables
   * without them is about twice as fast on an encrypted database; building them once at the end is
   * cheap. Safe if killed: the definitions stay in `meta` until `restoreIndexes` has rebuilt them.
   */
  deferIndexes(): void {
    const tables = Object.values(ENTITIES)
      .filter((e) => e.kind === 'append')
      .map((e) => e.table);
    this.sqlite
      .transaction(() => {
        const defs = this.sqlite
          .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')})`)
          .all(...tables) as { name: string; sql: string }[];
        const earlier = this.deferredIndexes();
        this.sqlite
          .prepare("INSERT INTO meta (key, value) VALUES ('sync.deferred_indexes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
          .run(JSON.stringify([...earlier, ...defs.map((d) => d.sql)]));
        for (const d of defs) this.sqlite.exec(`DROP INDEX "${d.name}"`);
      })
      .immediate();
  }

  private deferredIndexes(): string[] {
    const row = this.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.deferred_indexes'").get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as string[]) : [];
  }

  /** Rebuilds indexes a long pull deferred (also after a crash in the middle of one). */
  restoreIndexes(): void {
    const defs = this.deferredIndexes();
    if (defs.length === 0) return;
    // Every index page is new: a large write, whose checkpoint goes to the checkpoint thread when one runs.
    leavingCheckpointToThread(this.sqlite, () =>
      this.sqlite
        .transaction(() => {
          for (const sql of defs) this.sqlite.exec(sql.replace(/^CREATE (UNIQUE )?INDEX /i, (m) => `${m}IF NOT EXISTS `));
          this.sqlite.prepare("DELETE FROM meta WHERE key = 'sync.deferred_indexes'").run();
        })
        .immediate(),
    );
  }

  /** Replays changes parked by an older version, now that migrations may have caught up. */
  replayParked(): number {
    return this.sqlite
      .transaction(() => {
        let done = 0;
        for (const { change } of this.parked.all()) {
          const c = JSON.parse(change) as Change;
          if (this.applyOne(c, true) === 'applied') {
            this.unpark.run(c.serverSeq);
            done++;
          }
        }
        this.receiveNewest();
        return done;
      })
      .immediate();
  }

  /**
   * This device's own change coming back exactly as it was written: the server acknowledged this
   * very entry (same server sequence) and every column carries the change's own clock, so every
   * value is the one this device wrote (a clock names one write). Applying it would change nothing
   * (equal clocks are the same write), so it is skipped without reading the row. A change the
   * server merged differently (a column that lost, a signature) carries other clocks and applies
   * as usual; so does everything on a device whose outbox no longer has the entry (a restore).
   */
  private isOwnEcho(c: Change): boolean {
    if (c.echo) {
      if (!this.vouched.has(c) && !this.vouchesFor(c))
        throw new Error(`the server sent back change ${c.deviceSeq} of this device without its columns, and this device no longer holds it`);
      return true;
    }
    if (c.deviceId !== this.deviceId || c.deviceSeq === null || this.deviceId === undefined) return false;
    const own = this.ownEntry.get(this.deviceId, c.deviceSeq);
    if (!own || own.server_seq !== c.serverSeq || own.hlc === null) return false;
    const hlc = own.hlc;
    return everyClock(c, (clock) => clock === hlc);
  }

  /**
   * An echo (PULL_OWN_ECHOES) stands for a change this device wrote: its outbox holds that change,
   * acknowledged at that server sequence, with that clock. Else (a restore from backup, another
   * database with this identity) the page must be asked for again in full.
   */
  private vouchesFor(c: Change): boolean {
    const seq = this.echoSeq(c);
    if (seq === null) return false;
    const own = this.ownEntry.get(this.deviceId!, seq);
    return own !== undefined && own.server_seq === c.serverSeq && own.hlc === c.hlc;
  }

  /** The sequence an echo names in this device's outbox, or null when it cannot be this device's. */
  private echoSeq(c: Change): number | null {
    return c.deviceId === this.deviceId && this.deviceId !== undefined && c.deviceSeq !== null && c.hlc ? c.deviceSeq : null;
  }

  /**
   * Whether every echo on a page stands for a change of this device (see vouchesFor). A page's
   * echoes are mostly one run of this device's changes, so their outbox entries are read as one
   * range, not one lookup each (and remembered, so applying the page does not read them again).
   */
  vouchesForEchoes(changes: readonly Change[]): boolean {
    let lo = Infinity;
    let hi = -Infinity;
    let n = 0;
    for (const c of changes) {
      if (!c.echo) continue;
      const seq = this.echoSeq(c);
      if (seq === null) return false;
      lo = Math.min(lo, seq);
      hi = Math.max(hi, seq);
      n++;
    }
    if (n === 0) return true;
    if (hi - lo >= 4 * n) return changes.every((c) => !c.echo || this.vouchesFor(c));
    const own = new Map(this.ownRange.all(this.deviceId!, lo, hi).map((r) => [r.seq, r]));
    for (const c of changes) {
      if (!c.echo) continue;
      const o = own.get(c.deviceSeq!);
      if (!o || o.server_seq !== c.serverSeq || o.hlc !== c.hlc) return false;
      this.vouched.add(c);
    }
    return true;
  }

  /** `authoritative`: the server's current state of the record, applied even over newer local clocks. */
  private applyOne(c: Change, replay: boolean, authoritative = false): 'applied' | 'parked' {
    if (!authoritative && this.isOwnEcho(c)) return 'applied';
    const reason = this.whyNot(c);
    if (reason) {
      if (!replay) this.park.run(c.serverSeq, JSON.stringify(c), reason, new Date().toISOString());
      return 'parked';
    }
    const entity = c.entity as EntityName;
    try {
      // A savepoint: a change that cannot apply (say, it refers to a record not here yet) is parked
      // without undoing the rest of the page.
      // A write-once row is one INSERT, atomic on its own; the rest may take several statements.
      // Important: when the server's copy is restored (a refused change of ours), a write-once row
      // this device holds differently takes the server's values; an ordinary pull keeps what is here.
      if (ENTITIES[entity].kind === 'append' && authoritative && this.rows.exists(entity, c.id)) this.rows.update(entity, c.id, c.fields);
      else if (ENTITIES[entity].kind === 'append') this.rows.insert(entity, c.fields, true);
      else this.savepoint(() => this.write(entity, c, authoritative));
      everyClock(c, (clock) => {
        if (clock > this.newestClock) this.newestClock = clock;
        return true;
      });
      return 'applied';
    } catch (e) {
      if (!replay) this.park.run(c.serverSeq, JSON.stringify(c), `could not apply: ${e instanceof Error ? e.message : String(e)}`, new Date().toISOString());
      return 'parked';
    }
  }

  private whyNot(c: Change): string | null {
    if (!isEntity(c.entity)) return `records of type "${c.entity}" need a newer version of Cairn`;
    const known = this.knownColumns(c.entity);
    const unknown = Object.keys(c.fields).filter((k) => !known.has(k));
    if (unknown.length > 0) return `columns ${unknown.join(', ')} of ${c.entity} need a newer version of Cairn`;
    return null;
  }

  private write(entity: EntityName, c: Change, authoritative: boolean): void {
    const local = new Set<string>();
    // Important: a note the server holds as signed can no longer take this device's pending edits
    // (the server will refuse them, and they stay quarantined for review), so its signed text and
    // status apply whole, never half over a local draft.
    const signedThere = ENTITIES[entity].kind === 'note' && c.fields['signed_at'] != null;
    if (!signedThere)
      for (const { payload } of this.protectedFields.all(entity, c.id, c.serverSeq))
        for (const k of Object.keys(outboxFields(this.rows, entity, c.id, payload))) local.add(k);
    const state = this.stateGet.get(entity, c.id);
    const data = state ? (JSON.parse(state.data) as Fields) : {};
    const clocks = state ? decodeStoredClocks(state.clocks, data) : {};
    const apply: Fields = {};
    for (const [k, v] of Object.entries(c.fields)) {
      if (local.has(k)) continue;
      // Never step back: a change older than what this device already holds for the column (a
      // parked change replayed late, or log entries older than a record just restored after a
      // refusal) is skipped. Equal clocks are the same write. A signed note applies whole.
      const clock = clockOf(c, k)!;
      if (!signedThere && !authoritative && clocks[k] !== undefined && clock <= clocks[k]) continue;
      apply[k] = v;
      data[k] = v;
      clocks[k] = clock;
    }
    if (this.rows.exists(entity, c.id)) {
      this.rows.update(entity, c.id, apply);
    } else {
      if (local.size > 0) throw new Error(`${entity} ${c.id} is pending locally but missing`);
      this.rows.insert(entity, { ...c.fields, ...defaultsFor(entity) });
    }
    this.statePut.run(entity, c.id, JSON.stringify(data), encodeStoredClocks(clocks, data));
  }
}

/** Device-only columns a pulled row needs that never travel. */
function defaultsFor(entity: EntityName): Fields {
  return ENTITIES[entity].table === 'users' ? { failed_attempts: 0 } : {};
}
