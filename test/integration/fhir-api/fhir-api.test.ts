import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createFhirApi, type FhirApi } from '../../../electron/server/fhir/fhir.routes';
import { FhirClient, seedClinic, type SeededClinic } from '../../helpers/fhir-api';
import { startTestServer, type Backend } from '../../helpers/sync-server';
import { tempDir } from '../../helpers/temp-db';
import { authTests } from './auth.suite';
import { exportAndErrorTests } from './export-errors.suite';
import type { FhirApiSuite } from './fhir-api.helpers';
import { readAndSearchTests } from './read-search.suite';

// One seeded clinic per backend serves every group of tests, in the order they were written: seeding
// (an enrolled device, charts, a Synthea import, a sync) is the slow part, so it is done once.
describe.each<Backend>(['pglite', 'postgres'])('FHIR R4 API on %s', (backend) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let api: FhirApi;
  let seed: SeededClinic;
  let fhir: FhirClient;
  let base: string;
  let full: { clientId: string; clientSecret: string };
  const dirs: (() => void)[] = [];

  beforeAll(async () => {
    server = await startTestServer(backend);
    api = createFhirApi(server.db);
    const d = tempDir('cairn-fhir-api-');
    dirs.push(d.cleanup);
    seed = await seedClinic(server, d.dir);
    base = `${server.url}/fhir/R4`;
    full = await api.auth.addClient('Analytics', 'system/*.read');
    const t = await FhirClient.token(base, full.clientId, full.clientSecret);
    expect(t.status).toBe(200);
    fhir = new FhirClient(base, String(t.body['access_token']));
  }, 120_000);

  afterAll(async () => {
    seed?.clinic.session.logout();
    await server?.stop();
    dirs.forEach((d) => d());
  });

  const suite = (): FhirApiSuite => ({ server, api, seed, fhir, base, full });
  authTests(suite);
  readAndSearchTests(suite);
  exportAndErrorTests(suite);
});
