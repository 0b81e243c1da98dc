import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditRepo, type AuditEvent } from '../../../../../electron/services/repos/audit.repo';
import { MultiRowInsert, selectIn } from '../../../../../electron/services/repos/multi-row';

// The bulk writes an 835 posting uses: many rows per statement, in order, and the same audit chain as one append per entry.

describe('MultiRowInsert and selectIn', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL, note TEXT)');
  afterAll(() => db.close());

  it.each([0, 1, 5, 63, 64, 65, 130, 201])('writes %i rows in the order given, whatever the chunking', (n) => {
    db.exec('DELETE FROM t');
    const insert = new MultiRowInsert(db, 'INSERT INTO t (k, n, note)', 3);
    const values = Array.from({ length: n }, (_, i) => [`k${i}`, i, i % 3 ? null : `note ${i}`]).flat();
    expect(insert.run(values)).toBe(n);
    const rows = db.prepare('SELECT k, n, note FROM t ORDER BY rowid').all() as { k: string; n: number; note: string | null }[];
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(rows.filter((r) => r.note !== null)).toHaveLength(Math.ceil(n / 3));
  });

  it('refuses values that are not whole rows, and applies an ON CONFLICT clause row by row (the later row wins)', () => {
    db.exec('DELETE FROM t');
    const upsert = new MultiRowInsert(db, 'INSERT INTO t (k, n, note)', 3, 'ON CONFLICT(k) DO UPDATE SET n = excluded.n');
    expect(() => upsert.run(['a', 1])).toThrow(/not rows of 3/);
    upsert.run(['a', 1, null, 'b', 2, null, 'a', 3, null]);
    expect(db.prepare('SELECT k, n FROM t ORDER BY k').all()).toEqual([
      { k: 'a', n: 3 },
      { k: 'b', n: 2 },
    ]);
  });

  it('selectIn finds each key once, across chunks and given twice, with values bound ahead of the keys', () => {
    db.exec('DELETE FROM t');
    new MultiRowInsert(db, 'INSERT INTO t (k, n, note)', 3).run(Array.from({ length: 150 }, (_, i) => [`k${i}`, i, i % 2 ? 'odd' : 'even']).flat());
    const keys = [...Array.from({ length: 140 }, (_, i) => `k${i}`), 'k3', 'k3', 'missing'];
    const found = selectIn<{ k: string }>(
      (sql) => db.prepare(sql),
      (m) => `SELECT k FROM t WHERE note = ? AND k IN (${m})`,
      keys,
      ['odd'],
    );
    expect(found.map((r) => r.k).sort()).toEqual(Array.from({ length: 70 }, (_, i) => `k${2 * i + 1}`).sort());
    expect(
      selectIn(
        (sql) => db.prepare(sql),
        (m) => `SELECT k FROM t WHERE k IN (${m})`,
        [],
      ),
    ).toEqual([]);
  });
});

describe('AuditRepo.appendMany', () => {
  const schema = `CREATE TABLE audit_log (seq INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, at TEXT NOT NULL, user_id TEXT, device_id TEXT NOT NULL, action TEXT NOT NULL,
    patient_id TEXT, record_type TEXT, record_id TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`;

  it('writes the same chain as one append per entry', () => {
    const events: AuditEvent[] = Array.from({ length: 150 }, (_, i) => ({
      action: i % 2 ? 'billing.claim.paid' : 'billing.claim.denied',
      userId: 'u1',
      patientId: i % 5 ? `p${i % 7}` : null,
      recordType: 'claim',
      recordId: `c${i}`,
      detail: i % 3 ? `ERA P${i}: paid ${i * 100}` : null,
    }));
    const dump = (bulk: boolean): unknown[] => {
      const db = new Database(':memory:');
      db.exec(schema);
      const audit = new AuditRepo(db, 'device-1', { key: Buffer.alloc(32, 7), keyedFrom: 1 });
      audit.append({ action: 'first', userId: 'u1' }, '2026-12-01T15:00:00.000Z');
      if (bulk) audit.appendMany(events, '2026-12-01T15:00:01.000Z');
      else for (const e of events) audit.append(e, '2026-12-01T15:00:01.000Z');
      audit.append({ action: 'last', userId: 'u1' }, '2026-12-01T15:00:02.000Z');
      expect(audit.verify().problems).toEqual([]);
      const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all();
      db.close();
      return rows;
    };
    expect(dump(true)).toEqual(dump(false));
  });
});
