import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createDatabase, openWithKey, type Store } from '../../electron/services/db/open';
import { createRepos, type Repos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import { resourcesDir, tempDir, TEST_KDF } from '../helpers/temp-db';

/**
 * The clock and the outbox after #25 (batched ticks, one outbox call for a message's results): the
 * UI connection and another connection (the sync worker's, the lab listener's) still share one clock
 * that never goes backwards, and a rolled-back write leaves no clock, sequence or row behind.
 */
describe('device clock and outbox batches over two connections', () => {
  const t = tempDir('cairn-outbox-clock-');
  let a: Store;
  let b: Store;
  let ra: Repos;
  let rb: Repos;
  let patientId: string;
  // Frozen wall clocks: every tick in the same millisecond must come from the counter; B's runs a minute behind.
  const WALL = Date.parse('2026-12-06T10:00:00Z');

  beforeAll(async () => {
    const file = join(t.dir, 'clinic.cairn');
    const created = await createDatabase(file, 'correct horse battery staple', { resourcesDir, kdf: TEST_KDF });
    a = created.store;
    b = openWithKey(file, created.key, { resourcesDir });
    ra = createRepos(a, () => new Date(WALL));
    rb = createRepos(b, () => new Date(WALL - 60_000));
    patientId = ra.patients.create(patientInput.parse({ givenName: 'Clock', familyName: 'Test', birthDate: '1980-01-01', sex: 'female' }), {
      userId: 'test',
    }).id;
  });

  afterAll(() => {
    b.close();
    a.close();
    t.cleanup();
  });

  /** Inserts bare observation rows for the outbox to record (an append-only entity). */
  function observations(store: Store, n: number, at: string): string[] {
    const insert = store.sqlite.prepare(
      `INSERT INTO observations (id, patient_id, category, loinc, status, effective_at, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 'laboratory', '2345-7', 'final', ?, ?, 'test', ?, 'test')`,
    );
    return Array.from({ length: n }, (_, i) => {
      const id = `obs-${at}-${i}-${Math.random().toString(36).slice(2)}`;
      insert.run(id, patientId, at, at, at);
      return id;
    });
  }

  const committedClocks = (): string[] => (a.sqlite.prepare('SELECT hlc FROM sync_outbox ORDER BY seq').all() as { hlc: string }[]).map((r) => r.hlc);
  const seqs = (): number[] => (a.sqlite.prepare('SELECT seq FROM sync_outbox ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);

  it('ticks(n) gives n clocks in order with one stored value, and the other connection goes on from the last', () => {
    const [first, ...rest] = ra.writer.write(() => ra.clock.ticks(4));
    expect(rest).toHaveLength(3);
    expect([first, ...rest]).toEqual([first, ...rest].slice().sort());
    expect(new Set([first, ...rest]).size).toBe(4);
    expect(a.sqlite.prepare(`SELECT value FROM meta WHERE key = 'sync.hlc'`).get()).toEqual({ value: rest[2] });
    // B's wall clock is a minute behind: its next tick still comes after everything A handed out.
    const next = rb.writer.write(() => rb.clock.tick());
    expect(next > rest[2]!).toBe(true);
  });

  it('batches of entries written alternately on both connections are in one order that never goes backwards', () => {
    const write = (r: Repos, store: Store, n: number): void =>
      r.writer.write((at) => r.writer.syncInsertedMany(at, 'observation', observations(store, n, at), { userId: 'test' }, patientId));
    for (let i = 0; i < 6; i++) {
      write(ra, a, 1 + (i % 3));
      write(rb, b, 10);
      rb.writer.write(() => rb.clock.tick());
      write(ra, a, 2);
    }
    const clocks = committedClocks();
    expect(clocks.length).toBeGreaterThan(60);
    for (let i = 1; i < clocks.length; i++) expect(clocks[i]! > clocks[i - 1]!, `entry ${i}: ${clocks[i]} after ${clocks[i - 1]}`).toBe(true);
    // Sequences are whole: one after another, whichever connection wrote them.
    const s = seqs();
    expect(s).toEqual(s.map((_, i) => s[0]! + i));
  });

  it('a rolled-back write leaves no clock, sequence or outbox entry behind, and the next write goes on from the last committed one', () => {
    const clockBefore = a.sqlite.prepare(`SELECT value FROM meta WHERE key = 'sync.hlc'`).get();
    const before = seqs();
    const lastClock = committedClocks().at(-1)!;
    expect(() =>
      ra.writer.write((at) => {
        ra.writer.syncInsertedMany(at, 'observation', observations(a, 5, at), { userId: 'test' }, patientId);
        ra.clock.ticks(3);
        throw new Error('refused after the outbox entries were written');
      }),
    ).toThrow(/refused/);
    expect(seqs()).toEqual(before);
    expect(a.sqlite.prepare(`SELECT value FROM meta WHERE key = 'sync.hlc'`).get()).toEqual(clockBefore);
    // Inside a larger transaction too (the listener's group commit): the savepoint's work is gone, the rest kept.
    a.sqlite.transaction(() => {
      expect(() =>
        ra.writer.write((at) => {
          ra.writer.syncInsertedMany(at, 'observation', observations(a, 2, at), { userId: 'test' }, patientId);
          throw new Error('refused');
        }),
      ).toThrow(/refused/);
      ra.writer.write((at) => ra.writer.syncInsertedMany(at, 'observation', observations(a, 3, at), { userId: 'test' }, patientId));
    })();
    expect(seqs()).toEqual([...before, before.at(-1)! + 1, before.at(-1)! + 2, before.at(-1)! + 3]);
    // From the other connection as well: after what was committed, never before it.
    rb.writer.write((at) => rb.writer.syncInsertedMany(at, 'observation', observations(b, 1, at), { userId: 'test' }, patientId));
    const clocks = committedClocks();
    expect(clocks.slice(-4).every((c) => c > lastClock)).toBe(true);
    for (let i = 1; i < clocks.length; i++) expect(clocks[i]! > clocks[i - 1]!).toBe(true);
    expect(seqs().at(-1)).toBe(before.at(-1)! + 4);
  });

  it('addInsertedMany records the same entries as addInserted one by one, and refuses rows that were never written, naming them', () => {
    const at = new Date(WALL).toISOString();
    const [one, two] = ra.writer.write(() => {
      const ids = observations(a, 2, at);
      ra.outbox.addInserted('observation', ids[0]!, at, { userId: 'test', patientId });
      ra.outbox.addInsertedMany('observation', [ids[1]!], at, { userId: 'test', patientId });
      return ids;
    });
    const entry = (id: string): unknown =>
      a.sqlite.prepare('SELECT entity, op, payload, user_id AS userId, patient_id AS patientId, base FROM sync_outbox WHERE entity_id = ?').get(id);
    expect(entry(one!)).toEqual(entry(two!));
    expect(entry(one!)).toEqual({ entity: 'observation', op: 'insert', payload: '', userId: 'test', patientId, base: '{}' });
    const before = seqs();
    expect(() =>
      ra.writer.write(() => {
        const [written] = observations(a, 1, at);
        ra.outbox.addInsertedMany('observation', [written!, 'never-written'], at, { userId: 'test', patientId });
      }),
    ).toThrow('outbox: observation never-written was not written before its outbox entry');
    expect(seqs()).toEqual(before);
    expect(() => ra.outbox.addInsertedMany('patient', [patientId], at)).toThrow(/change after they are written/);
  });

  it('addInsertedRows probes for the rows unless the caller’s own INSERT reported writing every one of them', () => {
    const at = new Date(WALL).toISOString();
    const before = seqs();
    expect(() =>
      ra.writer.write(() => {
        const [written] = observations(a, 1, at);
        ra.outbox.addInsertedRows(
          'observation',
          [
            { id: written!, patientId },
            { id: 'never-written', patientId },
          ],
          at,
          'test',
        );
      }),
    ).toThrow('outbox: observation never-written was not written before its outbox entry');
    // One row reported for two entries is not all of them: still probed, still refused.
    expect(() =>
      ra.writer.write(() =>
        ra.outbox.addInsertedRows(
          'observation',
          [
            { id: observations(a, 1, at)[0]!, patientId },
            { id: 'never-written', patientId },
          ],
          at,
          'test',
          1,
        ),
      ),
    ).toThrow('was not written before its outbox entry');
    expect(seqs()).toEqual(before);
    const ids = ra.writer.write(() => {
      const written = observations(a, 2, at);
      ra.outbox.addInsertedRows(
        'observation',
        written.map((id) => ({ id, patientId })),
        at,
        'test',
        2,
      );
      return written;
    });
    expect(seqs()).toEqual([...before, before.at(-1)! + 1, before.at(-1)! + 2]);
    for (const id of ids)
      expect(a.sqlite.prepare('SELECT entity, op, payload, user_id AS userId, patient_id AS patientId FROM sync_outbox WHERE entity_id = ?').get(id)).toEqual({
        entity: 'observation',
        op: 'insert',
        payload: '',
        userId: 'test',
        patientId,
      });
  });
});
