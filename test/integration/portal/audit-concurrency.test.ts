import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPortalAudit } from '../../../electron/server/portal/portal-audit';
import { portalAudit, registeredPatient, startPortalServer, TestClock, type PortalClient, type PortalServer } from './portal-server.helpers';

// Many patients reading at once on PostgreSQL (a pool of connections, truly concurrent): every read
// is audited, the chain stays whole, and no read fails for the audit's sake. Entries of reads are
// committed in groups (PortalAuditLog); before that, two reads could take the same chain number.
describe.each(['postgres', 'pglite'] as const)('portal audit under concurrent reads (%s)', (backend) => {
  let server: PortalServer;
  const clients: { client: PortalClient; patientId: string }[] = [];

  beforeAll(async () => {
    server = await startPortalServer(backend, new TestClock());
    for (let i = 0; i < 6; i++) {
      const r = await registeredPatient(server, { given: `Ana${i}`, family: 'Reyes', birthDate: `1980-01-0${i + 1}`, email: `ana${i}@example.org` });
      clients.push(r);
    }
  }, 120_000);
  afterAll(() => server?.stop());

  it('audits sixty simultaneous reads in one unbroken chain', async () => {
    const before = (await portalAudit(server, "action = 'portal.summary'")).length;
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const { client, patientId } = clients[i % clients.length]!;
        return client.get(`/charts/${patientId}/summary`);
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const after = await portalAudit(server, "action = 'portal.summary'");
    expect(after.length - before).toBe(60);
    // Each patient's reads are attributed to that patient's chart.
    for (const { patientId } of clients) expect(after.filter((e) => e.patient_id === patientId).length).toBeGreaterThanOrEqual(10);
    const chain = await server.db.tx((q) => verifyPortalAudit(q));
    expect(chain.brokenAt).toBeNull();
  }, 120_000);
});
