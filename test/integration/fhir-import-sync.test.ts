import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/fhir/import-summary';
import { createRepos, type Repos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { openClinic, type Clinic } from '../helpers/clinic';
import { startTestServer } from '../helpers/sync-server';
import { newStore, tempDir } from '../helpers/temp-db';

const FIXTURES = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');
const EBONI = readFileSync(join(FIXTURES, 'Eboni_Brekke_ae30c5e1-23da-4ecd-a320-a2c6047f3a19.json'), 'utf8');

const TABLES = ['patients', 'encounters', 'conditions', 'allergies', 'observations', 'medication_events', 'immunizations', 'procedures', 'diagnostic_reports', 'care_plans'];

describe('an imported chart syncs to the other devices of the clinic', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const dirs: (() => void)[] = [];
  let a: Clinic;
  let b: Repos;

  beforeAll(async () => {
    server = await startTestServer('pglite');
    const da = tempDir();
    const db = tempDir();
    dirs.push(da.cleanup, db.cleanup);
    a = await openClinic(da.dir);
    const docId = a.session.repos.users.list().find((u) => u.username === 'drhouse')!.id;
    const codeA = await server.sync.createEnrollmentCode('Laptop');
    await enrollThisDevice(a.session.repos.store, a.session.repos, { serverUrl: server.url, code: codeA.code, deviceName: 'Laptop' });
    const { store } = await newStore(db.dir);
    b = createRepos(store);
    const codeB = await server.sync.createEnrollmentCode('Desk');
    await enrollThisDevice(store, b, { serverUrl: server.url, code: codeB.code, deviceName: 'Desk' });
    const syncA = clientFor(a.session.repos.store, a.session.repos, () => docId);
    const syncB = clientFor(store, b, () => docId);
    const s = await a.ok<ImportSummary>('fhir.importBundle', { fileName: 'eboni.json', text: EBONI });
    expect(s.patients.imported).toBe(1);
    const pushed = await syncA.syncOnce();
    expect(pushed.error).toBeNull();
    const pulled = await syncB.syncOnce();
    expect(pulled.error).toBeNull();
  });

  afterAll(async () => {
    b?.store.close();
    a?.session.logout();
    await server?.stop();
    dirs.forEach((d) => d());
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
