import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDb } from '../../electron/server/db/open';
import { MRN_MATCHES, NAME_MATCHES, patientMatches } from '../../electron/server/patient-matches';
import type { Mutation } from '../../shared/sync/protocol';
import { openTestDb } from '../helpers/sync-server';

// A pushed batch of registrations is checked against the charts already on the clinic server
// (same name and birth date, or same MRN). The check must look each key up in its index, whatever
// the database knows of its tables: PGlite never gathers statistics on its own.

const CHARTS = 3000;
const HLC = '2026-12-07T10:00:00.000Z-0000-dev';

const registration = (seq: number, fields: Record<string, string | null>): Mutation => ({
  seq,
  entity: 'patient',
  id: `new-${seq}`,
  op: 'insert',
  hlc: HLC,
  authorId: 'u-doc',
  patientId: `new-${seq}`,
  fields: { id: `new-${seq}`, ...fields },
  base: {},
});

describe.each(['pglite', 'postgres'] as const)('matching registrations with charts on the clinic server (%s)', (backend) => {
  let db: ServerDb;
  let drop: () => Promise<void> = () => Promise.resolve();

  beforeAll(async () => {
    ({ db, drop } = await openTestDb(backend));
    const charts: { id: string; n: number; data: Record<string, string | null> }[] = Array.from({ length: CHARTS }, (_, i) => ({
      id: `chart-${i}`,
      n: i + 1,
      data: {
        id: `chart-${i}`,
        given_name: `Given${i}`,
        family_name: 'Okafor',
        birth_date: `1961-04-${String((i % 28) + 1).padStart(2, '0')}`,
        mrn: `M${i}`,
        deleted_at: null,
      },
    }));
    charts.push({
      id: 'chart-deleted',
      n: CHARTS + 1,
      data: { id: 'chart-deleted', given_name: 'Given7', family_name: 'Okafor', birth_date: '1961-04-08', mrn: 'M-DEL', deleted_at: '2026-01-01T00:00:00Z' },
    });
    // Written straight, and never analysed: the database knows nothing of how many charts it holds.
    await db.query(
      `INSERT INTO sync_rows (entity, entity_id, patient_id, data, clocks, hlc, server_seq)
       SELECT 'patient', x.id, x.id, x.data, '{}'::jsonb, $2, x.n FROM jsonb_to_recordset($1::jsonb) AS x(id text, data jsonb, n bigint)`,
      [JSON.stringify(charts), HLC],
    );
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  it('finds a chart the batch repeats once for each repeated key, by name and birth date (any case) or by MRN, and never a deleted chart', async () => {
    const batch = [
      // The same person registered twice in one batch, repeating chart 7 (and not the deleted chart of the same name).
      registration(1, { given_name: 'given7', family_name: 'OKAFOR', birth_date: '1961-04-08', mrn: 'X1' }),
      registration(2, { given_name: 'Given7', family_name: 'Okafor', birth_date: '1961-04-08', mrn: 'X2' }),
      // Two registrations given chart 12's MRN.
      registration(3, { given_name: 'Someone', family_name: 'Else', birth_date: '1990-01-01', mrn: 'M12' }),
      registration(4, { given_name: 'Another', family_name: 'Person', birth_date: '1991-01-01', mrn: 'M12' }),
      // No birth date: no name match is looked for.
      registration(5, { given_name: 'Given8', family_name: 'Okafor', birth_date: null, mrn: 'X5' }),
    ];
    const m = await patientMatches(db, batch);
    expect([...m.byName]).toEqual([['okafor\u0000given7\u00001961-04-08', ['chart-7']]]);
    expect([...m.byMrn]).toEqual([['M12', ['chart-12']]]);
  });

  it('looks each key up in its index, though the database has no statistics on its charts', async () => {
    const plan = async (sql: string, params: unknown[]): Promise<string> =>
      (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).map((r) => r['QUERY PLAN']).join('\n');
    const keys = Array.from({ length: 2500 }, (_, i) => `given${i}`);
    const byName = await plan(NAME_MATCHES, [keys.map(() => 'okafor'), keys, keys.map(() => '1961-04-01')]);
    expect(byName).toContain('sync_rows_patient_match_idx');
    expect(byName).not.toMatch(/Hash Join|Merge Join|Seq Scan on sync_rows/);
    const byMrn = await plan(MRN_MATCHES, [keys]);
    expect(byMrn).toContain('sync_rows_patient_mrn_idx');
    expect(byMrn).not.toMatch(/Hash Join|Merge Join|Seq Scan on sync_rows/);
  });
});
