/**
 * The storage floor of a single patient write (`write.patient.storage_floor`): the rows one
 * `patients.create()` leaves (the patient row, whose trigger fills the search index, its sync state,
 * its outbox entry, its audit entry and the clock and MRN counters in `meta`) written again by bare
 * statements, each write in its own fsync'd transaction, into a copy of the same database taken just
 * before the creates, with a checkpoint thread of its own. The values are the creates' own rows,
 * read back, so every page the floor touches is one a create touched: the least a write of these
 * rows costs on this disk, whatever the code around it does.
 */
import { closeSync, copyFileSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import { startCheckpointer } from '../../electron/services/db/checkpointer';
import { headerPathFor } from '../../electron/services/db/key-header';
import { openWithKey, type Store } from '../../electron/services/db/open';

type Row = Record<string, unknown>;

/** One create's rows, as the floor writes them again. */
interface Written {
  patient: Row;
  state: Row;
  outbox: Row;
  audit: Row;
  /** The MRN counter moved (the create allotted the MRN rather than taking the one given). */
  allotted: boolean;
}

/** The tables a create writes rows to (meta's counters are upserts), counted on both sides. */
const COUNTED = ['patients', 'patient_search', 'sync_state', 'sync_outbox', 'audit_log'] as const;

/** The highest rowid of each counted table: the rows a write adds are the ones above it (no table scans). */
export function rowMarks(sqlite: Database.Database): Record<string, number> {
  return Object.fromEntries(COUNTED.map((t) => [t, (sqlite.prepare(`SELECT coalesce(max(rowid), 0) AS n FROM ${t}`).get() as { n: number }).n]));
}

/** How many rows each counted table gained since `marks`. */
export function rowsSince(sqlite: Database.Database, marks: Record<string, number>): Record<string, number> {
  return Object.fromEntries(COUNTED.map((t) => [t, (sqlite.prepare(`SELECT count(*) AS n FROM ${t} WHERE rowid > ?`).get(marks[t]) as { n: number }).n]));
}

export function totalChanges(sqlite: Database.Database): number {
  return (sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}

const SETTLE_MS = 3000;

/** A copy of the store's file (and key header) with the whole WAL in it, for the floor to write into. */
export async function copyForFloor(store: Store, file: string): Promise<string> {
  const copy = join(dirname(file), 'write-floor.cairn');
  // Every frame in the file first (the thread's own checkpoint may hold the lock for a moment). Not
  // TRUNCATE: a WAL cut to nothing grows again under the timed creates, a metadata write in each fsync.
  for (;;) {
    const [r] = store.sqlite.pragma('wal_checkpoint(FULL)') as { busy: number; log: number; checkpointed: number }[];
    if (r!.busy === 0 && r!.checkpointed === r!.log) break;
    await new Promise((res) => setTimeout(res, 5));
  }
  copyFileSync(file, copy);
  copyFileSync(headerPathFor(file), headerPathFor(copy));
  // On disk before the creates are timed: the copy's writeback must not share their fsyncs.
  const fd = openSync(copy, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // And a moment for the disk: right after the copy, creates measured a p95 twice as long (3.56 ms
  // against 1.26–1.53 without a copy, same sitting); with this pause, the same as without.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return copy;
}

/** Reads back what each create wrote (after the timed loop, so the reads never sit between creates). */
export function readWritten(sqlite: Database.Database, created: { id: string; allotted: boolean }[], auditAfter: number): Written[] {
  const one = (sql: string, ...args: unknown[]): Row => {
    const r = sqlite.prepare(sql).get(...args) as Row | undefined;
    if (!r) throw new Error(`write floor void: no row for ${sql} ${JSON.stringify(args)}`);
    return r;
  };
  return created.map(({ id, allotted }) => {
    return {
      // The keys SQLite numbers itself are left for the copy to number.
      patient: without(one('SELECT * FROM patients WHERE id = ?', id), 'row_id'),
      state: one("SELECT * FROM sync_state WHERE entity = 'patient' AND entity_id = ?", id),
      outbox: one("SELECT * FROM sync_outbox WHERE entity = 'patient' AND entity_id = ?", id),
      audit: without(one("SELECT * FROM audit_log WHERE seq > ? AND record_id = ? AND action = 'patient.create'", auditAfter, id), 'seq'),
      allotted,
    };
  });
}

function without(row: Row, key: string): Row {
  return Object.fromEntries(Object.entries(row).filter(([k]) => k !== key));
}

function inserter(sqlite: Database.Database, table: string, row: Row): Database.Statement {
  const cols = Object.keys(row);
  return sqlite.prepare(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
}

/**
 * Writes `warm` then `timed` again into the copy, one transaction each, and returns each timed
 * write's milliseconds with the rows and changes the timed writes made (for the caller to compare
 * with the creates'). The copy is removed afterwards.
 */
export async function writeFloor(
  copy: string,
  key: Buffer,
  resourcesDir: string,
  warm: Written[],
  timed: Written[],
): Promise<{ times: number[]; rows: Record<string, number>; changes: number }> {
  const store = openWithKey(copy, key, { resourcesDir });
  const checkpointer = startCheckpointer(store);
  try {
    await checkpointer.ready;
    const { sqlite } = store;
    const first = timed[0]!;
    const patient = inserter(sqlite, 'patients', first.patient);
    const state = inserter(sqlite, 'sync_state', first.state);
    const outbox = inserter(sqlite, 'sync_outbox', first.outbox);
    const audit = inserter(sqlite, 'audit_log', first.audit);
    const meta = sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    const write = sqlite.transaction((w: Written) => {
      patient.run(w.patient);
      if (w.allotted) meta.run('mrn_next', String(w.patient['mrn']));
      meta.run('sync.hlc', String(w.outbox['hlc']));
      state.run(w.state);
      outbox.run(w.outbox);
      audit.run(w.audit);
    });
    for (const w of warm) write.immediate(w);
    const marks = rowMarks(sqlite);
    const changes0 = totalChanges(sqlite);
    const times: number[] = [];
    for (const w of timed) {
      const t0 = performance.now();
      write.immediate(w);
      times.push(performance.now() - t0);
    }
    return {
      times,
      rows: rowsSince(sqlite, marks),
      changes: totalChanges(sqlite) - changes0,
    };
  } finally {
    await checkpointer.stop();
    store.close();
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`, headerPathFor(copy)]) rmSync(f, { force: true });
  }
}
