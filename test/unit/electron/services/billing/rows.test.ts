import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingRows } from '../../../../../electron/services/billing/rows';
import type { Store } from '../../../../../electron/services/db/open';
import { createRepos, type Repos } from '../../../../../electron/services/repos';
import { patientInput } from '../../../../../shared/domain/patient';
import { decodeStoredClocks } from '../../../../../shared/sync/compact-clocks';
import type { Fields } from '../../../../../shared/sync/entities';
import { newStore, tempDir } from '../../../../helpers/temp-db';

// The bulk writes an 835 posting uses must leave what the one-row-at-a-time writes leave, over a real encrypted database.

describe('BillingRows.updateRows and appendRows: the sync and audit entries of one-row writes', () => {
  const t = tempDir('cairn-bulk-writes-');
  let store: Store;
  let repos: Repos;
  let rows: BillingRows;
  const actor = { userId: 'u-bulk' };
  const at = '2026-12-01T15:00:00.000Z';

  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
    rows = new BillingRows(store.sqlite, repos.writer);
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  const payer = (name: string): string =>
    String(repos.writer.write((now) => rows.insert(now, actor, 'payer', { name, payer_id: name.toUpperCase(), filing_indicator: 'CI' }, null))['id']);
  type Entry = { op: string; payload: Fields; base: Record<string, string>; hlc: string; patient_id: string | null; user_id: string };
  const entries = (id: string): Entry[] =>
    (
      store.sqlite.prepare('SELECT op, payload, base, hlc, patient_id, user_id FROM sync_outbox WHERE entity_id = ? ORDER BY seq').all(id) as (Omit<
        Entry,
        'payload' | 'base'
      > & { payload: string; base: string })[]
    ).map((e) => ({ ...e, payload: JSON.parse(e.payload) as Fields, base: JSON.parse(e.base) as Record<string, string> }));
  const state = (id: string): { data: Fields; clocks: Record<string, string> } => {
    const s = store.sqlite.prepare(`SELECT data, clocks FROM sync_state WHERE entity = 'payer' AND entity_id = ?`).get(id) as { data: string; clocks: string };
    const data = JSON.parse(s.data) as Fields;
    return { data, clocks: decodeStoredClocks(s.clocks, data) };
  };
  const only = (clocks: Record<string, string>, keys: string[]): Record<string, string> => Object.fromEntries(keys.map((k) => [k, clocks[k]!]));

  it('changes each row in turn (a row given twice sees its first change) with the entries update() writes, base trimmed to the columns sent', () => {
    const [one, two, three] = [payer('Alpha'), payer('Beta'), payer('Gamma')];
    repos.writer.write((now) => rows.update(now, actor, 'payer', one, { city: 'Springfield', phone: '2175550100' }, null, 'billing.payer.update'));
    repos.writer.write((now) =>
      rows.updateRows(now, actor, 'payer', [
        { id: two, values: { city: 'Springfield', phone: '2175550100' }, patientId: null, action: 'billing.payer.update' },
        { id: three, values: { city: 'Shelbyville' }, patientId: 'p-3', action: 'billing.payer.update', detail: 'moved' },
        { id: three, values: { city: 'Springfield', phone: '2175550111' }, patientId: 'p-3', action: 'billing.payer.update' },
        // Nothing new (the same phone, the same updated_at): audited, nothing to sync, as update() does.
        { id: two, values: { phone: '2175550100' }, patientId: null, action: 'billing.payer.update' },
      ]),
    );
    const [single, bulk, twice] = [entries(one), entries(two), entries(three)];
    expect(bulk).toHaveLength(2);
    const but = (f: Fields, k: string): Fields => Object.fromEntries(Object.entries(f).filter(([c]) => c !== k));
    expect(but(bulk[1]!.payload, 'updated_at')).toEqual(but(single[1]!.payload, 'updated_at'));
    expect(Object.keys(bulk[1]!.payload)).toEqual(Object.keys(single[1]!.payload));
    expect({ ...bulk[1]!, payload: null, base: null, hlc: null }).toEqual({ ...single[1]!, payload: null, base: null, hlc: null });
    // update() sends every column's clock; the bulk write only those of the columns it sends.
    const keys = Object.keys(bulk[1]!.payload);
    expect(Object.keys(single[1]!.base).length).toBeGreaterThan(keys.length);
    expect(bulk[1]!.base).toEqual(only(Object.fromEntries(Object.keys(state(two).data).map((k) => [k, bulk[0]!.hlc])), keys));
    // The second change of Gamma in the same call is diffed against the first, and based on its clock.
    expect(twice.map((e) => e.payload)).toEqual([
      expect.objectContaining({ name: 'Gamma', city: null }),
      { city: 'Shelbyville', updated_at: twice[1]!.payload['updated_at'] },
      { city: 'Springfield', phone: '2175550111' },
    ]);
    expect(twice[2]!.base).toEqual({ city: twice[1]!.hlc, phone: twice[0]!.hlc });
    expect(state(three).clocks).toMatchObject({ city: twice[2]!.hlc, phone: twice[2]!.hlc, updated_at: twice[1]!.hlc, name: twice[0]!.hlc });
    for (const id of [one, two, three]) {
      const row = store.sqlite.prepare('SELECT * FROM payers WHERE id = ?').get(id) as Record<string, unknown>;
      delete row['version'];
      expect(state(id).data).toEqual(row);
    }
    const audit = store.sqlite.prepare(`SELECT action, record_id, patient_id, detail FROM audit_log WHERE record_id IN (?, ?) ORDER BY seq`).all(two, three);
    expect(audit).toEqual([
      { action: 'payer.add', record_id: two, patient_id: null, detail: null },
      { action: 'payer.add', record_id: three, patient_id: null, detail: null },
      { action: 'billing.payer.update', record_id: two, patient_id: null, detail: null },
      { action: 'billing.payer.update', record_id: three, patient_id: 'p-3', detail: 'moved' },
      { action: 'billing.payer.update', record_id: three, patient_id: 'p-3', detail: null },
      { action: 'billing.payer.update', record_id: two, patient_id: null, detail: null },
    ]);
    expect(repos.audit.verify().problems).toEqual([]);
  });

  it('appendRows writes write-once rows of several charts, in order, each outbox entry with its own chart', () => {
    const patient = (i: number): string =>
      repos.patients.create(patientInput.parse({ givenName: `Bulk${i}`, familyName: 'Synthetic', birthDate: '1980-01-01', sex: 'female' }), actor).id;
    const p1 = patient(0);
    const p2 = patient(1);
    const event = (patient: string, n: number): Record<string, string> => ({ claim_id: `c${n}`, patient_id: patient, status: 'paid', at, detail: `step ${n}` });
    const ids = repos.writer.write((now) =>
      rows.appendRows(
        now,
        actor,
        'claim_event',
        Array.from({ length: 70 }, (_, n) => event(n % 2 ? p2 : p1, n)),
      ),
    );
    expect(
      store.sqlite
        .prepare('SELECT id FROM claim_events ORDER BY rowid')
        .all()
        .map((r) => (r as { id: string }).id),
    ).toEqual(ids);
    const sent = store.sqlite.prepare(`SELECT entity_id, op, payload, patient_id, user_id FROM sync_outbox WHERE entity = 'claim_event' ORDER BY seq`).all();
    expect(sent).toEqual(ids.map((id, n) => ({ entity_id: id, op: 'insert', payload: '', patient_id: n % 2 ? p2 : p1, user_id: actor.userId })));
    expect(() => repos.writer.write((now) => rows.appendRows(now, actor, 'claim_event', [event(p1, 1), { ...event(p1, 2), memo: 'x' }]))).toThrow(
      /same columns/,
    );
    expect(() => repos.writer.write((now) => rows.appendRows(now, actor, 'payer', [{ name: 'x' }]))).toThrow(/change after they are written/);
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM claim_events').get()).toEqual({ n: 70 });
  });
});
