import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartSummary } from '../../../shared/api/portal-http';
import { newId } from '../../../electron/common/ids';
import { record, registeredPatient, seed, startPortalServer, TestClock, type PortalClient, type PortalServer } from './portal-server.helpers';

// The summary a patient reads is built again whenever something it is made from changes: a new
// record, a record corrected or deleted, a staff name. A summary is reused only for an unchanged chart.
describe('portal summary reuse', () => {
  let server: PortalServer;
  let client: PortalClient;
  let patientId: string;
  const summary = async (): Promise<ChartSummary> => {
    const r = await client.get<ChartSummary>(`/charts/${patientId}/summary`);
    expect(r.status).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    server = await startPortalServer('pglite', new TestClock());
    ({ client, patientId } = await registeredPatient(server, { given: 'Lena', family: 'Ortiz', birthDate: '1975-03-02', email: 'lena@example.org' }));
  }, 60_000);
  afterAll(() => server?.stop());

  it('shows a record added, changed and deleted since the last read', async () => {
    expect((await summary()).allergies).toEqual([]);
    const allergyId = newId();
    const allergy = { kind: 'allergy', substance: 'Penicillin', substance_type: 'drug', reactions: '["Hives"]', severity: 'severe', status: 'active' };
    await seed(server, [record('allergy', patientId, allergy, allergyId)]);
    expect((await summary()).allergies.map((a) => a.substance)).toEqual(['Penicillin']);
    // The same chart read again with nothing changed: the same answer.
    expect((await summary()).allergies.map((a) => a.substance)).toEqual(['Penicillin']);
    await seed(server, [record('allergy', patientId, { ...allergy, substance: 'Amoxicillin' }, allergyId)]);
    expect((await summary()).allergies.map((a) => a.substance)).toEqual(['Amoxicillin']);
    await seed(server, [record('allergy', patientId, { ...allergy, deleted_at: new Date().toISOString(), deleted_by: newId() }, allergyId)]);
    expect((await summary()).allergies).toEqual([]);
    // Another chart's change is not this chart's: its summary stays right too.
    const other = await registeredPatient(server, { given: 'Ivo', family: 'Marsh', birthDate: '1990-08-09', email: 'ivo@example.org' });
    await seed(server, [record('allergy', other.patientId, allergy)]);
    expect((await summary()).allergies).toEqual([]);
  }, 60_000);
});
