import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/fhir/import-summary';
import type { Repos } from '../../electron/services/repos';
import type { Clinic } from '../helpers/clinic';
import { twoEnrolledDevices, type TwoDevices } from '../helpers/two-devices';

const FIXTURES = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');
const EBONI = readFileSync(join(FIXTURES, 'Eboni_Brekke_ae30c5e1-23da-4ecd-a320-a2c6047f3a19.json'), 'utf8');

const TABLES = [
  'patients',
  'encounters',
  'conditions',
  'allergies',
  'observations',
  'medication_events',
  'immunizations',
  'procedures',
  'diagnostic_reports',
  'care_plans',
];

describe('an imported chart syncs to the other devices of the clinic', () => {
  let devices: TwoDevices;
  let a: Clinic;
  let b: Repos;

  beforeAll(async () => {
    devices = await twoEnrolledDevices(['Laptop', 'Desk']);
    ({ a, b } = devices);
    const { syncA, syncB } = devices;
    const s = await a.ok<ImportSummary>('fhir.importBundle', { fileName: 'eboni.json', text: EBONI });
    expect(s.patients.imported).toBe(1);
    const pushed = await syncA.syncOnce();
    expect(pushed.error).toBeNull();
    const pulled = await syncB.syncOnce();
    expect(pulled.error).toBeNull();
  });

  afterAll(async () => {
    await devices?.close();
  });

  it('every row arrives (procedures, reports and care plans included), none is refused, and the import sources stay on the importing device', () => {
    const count = (r: Repos, t: string): number => (r.store.sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    const ra = a.session.repos;
    expect(TABLES.map((t) => [t, count(b, t)])).toEqual(TABLES.map((t) => [t, count(ra, t)]));
    expect(count(b, 'procedures')).toBe(8);
    expect(count(ra, 'sync_outbox WHERE quarantined_at IS NOT NULL')).toBe(0);
    expect(count(ra, 'sync_outbox WHERE pushed_at IS NULL')).toBe(0);
    expect(count(b, 'fhir_import_sources')).toBe(0);
    const row = (r: Repos, sql: string): unknown => r.store.sqlite.prepare(sql).get();
    const report = `SELECT id, loinc, result_ids, patient_id FROM diagnostic_reports ORDER BY id LIMIT 1`;
    expect(row(b, report)).toEqual(row(ra, report));
    const plan = `SELECT id, activities, addresses, category_code FROM care_plans ORDER BY id LIMIT 1`;
    expect(row(b, plan)).toEqual(row(ra, plan));
  });
});
