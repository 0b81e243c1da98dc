import type { FhirApi } from '../../../electron/server/fhir/fhir.routes';
import type { FhirClient, SeededClinic } from '../../helpers/fhir-api';
import type { startTestServer } from '../../helpers/sync-server';

// What every group of FHIR API tests reads: one seeded clinic per backend, set up once in fhir-api.test.ts.

/** The server, API, seeded clinic and clients the tests share, as set up by fhir-api.test.ts's beforeAll. */
export interface FhirApiSuite {
  server: Awaited<ReturnType<typeof startTestServer>>;
  api: FhirApi;
  seed: SeededClinic;
  fhir: FhirClient;
  base: string;
  full: { clientId: string; clientSecret: string };
}

export type Bundle = {
  resourceType: string;
  type: string;
  total?: number;
  entry?: { fullUrl: string; resource: Record<string, unknown>; search?: { mode: string } }[];
  link?: { relation: string; url: string }[];
};
export type Outcome = { resourceType: 'OperationOutcome'; issue: { severity: string; code: string; details?: { text?: string } }[] };

export const ids = (b: Bundle): string[] => (b.entry ?? []).filter((e) => e.search?.mode !== 'include').map((e) => String(e.resource['id']));
