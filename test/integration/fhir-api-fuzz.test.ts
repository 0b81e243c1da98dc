import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFhirApi } from '../../electron/server/fhir/fhir.routes';
import { FhirClient, seedClinic, type SeededClinic } from '../helpers/fhir-api';
import { startTestServer } from '../helpers/sync-server';
import { tempDir } from '../helpers/temp-db';
import { mulberry32 } from '../helpers/prng';

/** The same seed replays the same requests. */
const rng = mulberry32;

const SEED = Number(process.env['CAIRN_FUZZ_SEED'] ?? 20261125);
const N = 2400;

const TYPES = [
  'Patient',
  'Practitioner',
  'Encounter',
  'Observation',
  'Condition',
  'AllergyIntolerance',
  'MedicationRequest',
  'Immunization',
  'Procedure',
  'DiagnosticReport',
  'Claim',
  'patient',
  '',
  '..',
  '%2e%2e',
  '$export',
  '$export-status',
  '$export-file',
  'metadata',
  'auth',
  '.well-known',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
];
const PARAMS = [
  'name',
  'family',
  'given',
  'birthdate',
  'identifier',
  'gender',
  '_id',
  'patient',
  'subject',
  'code',
  'category',
  'date',
  'status',
  'clinical-status',
  'vaccine-code',
  'authoredon',
  'intent',
  '_count',
  '_offset',
  '_include',
  '_summary',
  '_total',
  '_type',
  '_since',
  '_outputFormat',
  'name:exact',
  'name:contains',
  'code:text',
  'patient:Patient',
  'x',
  '',
  '_sort',
];
const NASTY = [
  "'",
  "';DROP TABLE sync_rows;--",
  '%00',
  '%',
  '%%',
  '%ZZ',
  '\\',
  '\\,',
  ',',
  ',,',
  '|',
  '||',
  'a|b|c',
  'http://loinc.org|',
  '|8480-6',
  'ge',
  'eq2026-02-30',
  'lt9999-99-99',
  'sa2026',
  'ge2026-01-01T25:00:00Z',
  '2026-01-01T10:00+99:00',
  '-1',
  '0',
  '1e9',
  '99999999999999999999',
  'NaN',
  'null',
  'undefined',
  '[]',
  '{}',
  '%7B%22a%22%3A1%7D',
  '%E2%80%AE',
  '%F0%9F%92%A9',
  '%C0%AF',
  '%FF',
  'a'.repeat(2100),
  '*',
  '*:patient',
  'Observation:patient',
  'Patient/',
  'Patient/../x',
  '../../etc/passwd',
  '${1}',
  '$1',
  'true',
  'count',
  'none',
  '%0A',
  '%0D%0A',
  'é',
  '"quoted"',
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function randomQuery(r: () => number, ids: string[]): string {
  const n = Math.floor(r() * 5);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = pick(r, PARAMS);
    const v = r() < 0.6 ? pick(r, NASTY) : r() < 0.5 ? pick(r, ids) : String(Math.floor(r() * 1e6));
    parts.push(`${k}=${v}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function randomPath(r: () => number, ids: string[]): string {
  // Most requests aim at real endpoints with broken parameters; the rest at broken paths.
  const roll = r();
  if (roll < 0.5) return `/${pick(r, TYPES.slice(0, 10))}`;
  if (roll < 0.6) return `/${pick(r, TYPES.slice(0, 10))}/${pick(r, ids)}`;
  const segs: string[] = [];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++)
    segs.push(
      r() < 0.5
        ? pick(r, TYPES)
        : r() < 0.5
          ? pick(r, ids)
          : pick(
              r,
              NASTY.filter((x) => x.length < 100),
            ),
    );
  if (r() < 0.15) segs.push('$everything');
  return `/${segs.join('/')}`;
}

const BODIES = [
  '',
  'grant_type=client_credentials',
  'grant_type=client_credentials&client_id=&client_secret=',
  'grant_type=client_credentials&scope=system/*.*',
  '{"grant_type":"client_credentials"}',
  'grant_type=%ZZ',
  'a=1&a=2&a=3',
  '&&&===',
  'x'.repeat(20_000),
  '\u0000\u0001',
  'grant_type=client_credentials&client_id=fc_x&client_secret=' + 'y'.repeat(600),
  'family=Quennell',
  '_count=abc',
  '{"resourceType":"Patient"}',
];
const CTYPES = [
  'application/x-www-form-urlencoded',
  'application/json',
  'application/fhir+json',
  'text/plain',
  'multipart/form-data; boundary=x',
  '',
  'application/x-www-form-urlencoded; charset=utf-16',
];
const AUTHS = (token: string, client: { clientId: string; clientSecret: string }): string[] => [
  `Bearer ${token}`,
  `Bearer ${token}`,
  `Bearer ${token}x`,
  'Bearer ',
  'Basic',
  `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
  `Basic ${Buffer.from('no-colon').toString('base64')}`,
  `Basic ${Buffer.from('%ZZ:%ZZ').toString('base64')}`,
  'Basic !!!',
  'Digest abc',
  '',
];

describe('FHIR API fuzz smoke', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let seed: SeededClinic;
  let base: string;
  let token: string;
  let client: { clientId: string; clientSecret: string };
  const dirs: (() => void)[] = [];

  beforeAll(async () => {
    server = await startTestServer('pglite');
    const d = tempDir('cairn-fhir-fuzz-');
    dirs.push(d.cleanup);
    seed = await seedClinic(server, d.dir);
    base = `${server.url}/fhir/R4`;
    client = await createFhirApi(server.db).auth.addClient('Fuzz', 'system/*.read');
    token = String((await FhirClient.token(base, client.clientId, client.clientSecret)).body['access_token']);
  }, 120_000);

  afterAll(async () => {
    seed?.clinic.session.logout();
    await server?.stop();
    dirs.forEach((d) => d());
  });

  it(`answers ${N} malformed queries and bodies without a 5xx (seed ${SEED})`, async () => {
    const r = rng(SEED);
    const ids = [seed.mirela, seed.tomas, seed.clarence, seed.encounterId, seed.courseId, seed.prescriptionId, 'nope', '00000000-0000-7000-8000-000000000000'];
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const pickMethod = r();
      const method = pickMethod < 0.7 ? 'GET' : pick(r, ['POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS']);
      const path = r() < 0.1 ? `/auth/token${randomQuery(r, ids)}` : `${randomPath(r, ids)}${randomQuery(r, ids)}`;
      const headers: Record<string, string> = {};
      const auth = r() < 0.7 ? `Bearer ${token}` : pick(r, AUTHS(token, client));
      if (auth) headers['authorization'] = auth;
      if (r() < 0.3) headers['prefer'] = pick(r, ['respond-async', 'handling=lenient', 'handling=strict', 'garbage']);
      let body: string | undefined;
      if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
        body = pick(r, BODIES);
        const ct = pick(r, CTYPES);
        if (ct) headers['content-type'] = ct;
      }
      let status: number;
      try {
        const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined && { body }) });
        status = res.status;
        const text = await res.text();
        if (
          status >= 400 &&
          method !== 'HEAD' &&
          !path.startsWith('/auth/token') &&
          !text.includes('OperationOutcome') &&
          res.headers.get('content-type')?.includes('fhir')
        )
          failures.push(`#${i} ${method} ${path.slice(0, 120)} → ${status} without an OperationOutcome`);
      } catch (e) {
        // A URL fetch itself refuses to send is not the server's answer.
        if (e instanceof TypeError && /URL|header|Invalid/i.test(e.message)) continue;
        throw e;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) failures.push(`#${i} ${method} ${path.slice(0, 200)} → ${status}`);
    }
    // The kick-offs it made finish (or fail) before the server stops.
    await new Promise((res) => setTimeout(res, 200));
    if (failures.length > 0) console.error(`FHIR fuzz failed with seed ${SEED} (replay: CAIRN_FUZZ_SEED=${SEED}):\n${failures.slice(0, 20).join('\n')}`);
    expect(failures, `seed ${SEED}`).toEqual([]);
    console.info(`FHIR fuzz (seed ${SEED}) statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    // It reached the API's real paths, not only the 404s.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(50);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
  }, 300_000);
});
