/**
 * FHIR API figures for `npm run bench -- --only fhir`, on the clinic server as it ships (embedded
 * PGlite) and on PostgreSQL (127.0.0.1:5432) when it is reachable:
 * - fhir.read.req_per_s: `GET /fhir/R4/Patient/{id}` (1,000 ids in rotation) over loopback with a
 *   valid bearer token, driven by autocannon in a worker thread (16 connections, 10 s). Each request
 *   checks the token in the database, reads the row and maps it. Target ≥ 3,000/s.
 * - fhir.search.p95_ms: `GET /fhir/R4/Observation?patient=…&code=…` (a searchset with total), one
 *   request at a time, at 1,000,000 observations (1,000 patients × 20 LOINC codes × 50), seeded
 *   straight into sync_rows with generate_series (a bench shortcut; the API reads them as synced
 *   rows). Target p95 ≤ 20 ms.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { createFhirApi } from '../../electron/server/fhir/fhir.routes';
import { startServer, type RunningServer } from '../../electron/server/server';
import { freshPostgresDb } from '../helpers/sync-server';
import type { LatencyRow, Row } from './report';

export interface FhirBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  latencyRow: LatencyRow;
  progress: (m: string) => void;
  resourcesDir: string;
  observations?: number;
}

const PATIENTS = 1000;
const CODES = [
  '8480-6',
  '8462-4',
  '8867-4',
  '9279-1',
  '8310-5',
  '29463-7',
  '8302-2',
  '39156-5',
  '2345-7',
  '2160-0',
  '718-7',
  '4548-4',
  '2093-3',
  '2085-9',
  '13457-7',
  '2571-8',
  '6690-2',
  '789-8',
  '777-3',
  '1742-6',
];
const SEARCHES = 500;
const WARMUP = 50;

async function seed(server: RunningServer, observations: number, progress: (m: string) => void): Promise<void> {
  const t0 = performance.now();
  await server.db.query(
    `INSERT INTO sync_rows (entity, entity_id, patient_id, data, clocks, server_seq)
     SELECT 'patient', 'bench-p-' || i, 'bench-p-' || i,
       jsonb_build_object('id', 'bench-p-' || i, 'mrn', 'B' || i, 'given_name', 'Given' || i, 'family_name', 'Family' || (i % 97), 'birth_date', '1970-01-01',
         'sex', CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END, 'identifiers', '[]', 'created_at', '2026-01-01T00:00:00.000Z', 'updated_at', '2026-01-01T00:00:00.000Z', 'deleted_at', NULL),
       '{}'::jsonb, i
     FROM generate_series(0, ${PATIENTS - 1}) AS i`,
  );
  const codes = `ARRAY[${CODES.map((c) => `'${c}'`).join(',')}]`;
  const step = 100_000;
  for (let from = 0; from < observations; from += step) {
    const to = Math.min(observations, from + step) - 1;
    await server.db.query(
      `INSERT INTO sync_rows (entity, entity_id, patient_id, data, clocks, server_seq)
       SELECT 'observation', 'bench-o-' || i, 'bench-p-' || (i % ${PATIENTS}),
         jsonb_build_object('id', 'bench-o-' || i, 'patient_id', 'bench-p-' || (i % ${PATIENTS}), 'category', 'vital-signs', 'loinc', (${codes})[1 + (i / ${PATIENTS}) % ${CODES.length}],
           'display', 'Bench', 'value_num', 60 + i % 80, 'unit', 'mm[Hg]', 'status', 'final',
           'effective_at', to_char(timestamp '2020-01-01' + (i || ' minutes')::interval, 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'),
           'created_at', '2026-01-01T00:00:00.000Z', 'updated_at', '2026-01-01T00:00:00.000Z', 'deleted_at', NULL),
         '{}'::jsonb, ${PATIENTS} + i
       FROM generate_series(${from}, ${to}) AS i`,
    );
    progress(`fhir: seeded ${(to + 1).toLocaleString('en-US')} / ${observations.toLocaleString('en-US')} observations`);
  }
  await server.db.query('ANALYZE sync_rows');
  progress(`fhir: seeding took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function measure(c: FhirBenchContext, server: RunningServer, label: string, observations: number): Promise<void> {
  const api = createFhirApi(server.db);
  const client = await api.auth.addClient('Bench', 'system/*.read');
  const res = await fetch(`${server.url}/fhir/R4/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`,
  });
  const token = ((await res.json()) as { access_token: string }).access_token;
  const auth = { authorization: `Bearer ${token}` };

  // Reads by id.
  c.progress(`fhir (${label}): read by id, autocannon 16 connections × 10 s`);
  const check = await fetch(`${server.url}/fhir/R4/Patient/bench-p-1`, { headers: auth });
  if (check.status !== 200) throw new Error(`fhir bench: read answered ${check.status}`);
  const result = await autocannon({
    url: server.url,
    connections: 16,
    duration: 10,
    workers: 1,
    headers: auth,
    requests: Array.from({ length: PATIENTS }, (_, i) => ({ method: 'GET' as const, path: `/fhir/R4/Patient/bench-p-${(i * 7919) % PATIENTS}` })),
  });
  const rate = result.requests.average;
  const bad = result.non2xx + result.errors + result.timeouts;
  c.rows.push({
    label: `fhir.read${label === 'pglite' ? '' : `.${label}`}`,
    median: rate,
    p95: null,
    n: result.requests.total,
    unit: '/s',
    target: '≥ 3,000/s',
    pass: rate >= 3000 && bad === 0,
    note: `${label}; GET Patient/{id}, token checked per request, reads arriving together share a query; latency p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms; non-2xx/errors ${bad}`,
  });
  c.json[`fhir.read${label === 'pglite' ? '' : `.${label}`}.req_per_s`] = Math.round(rate);

  // Search by patient and code.
  c.progress(`fhir (${label}): ${SEARCHES} searches Observation?patient=…&code=…`);
  let x = 12345;
  const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  const one = async (): Promise<{ ms: number; total: number }> => {
    const p = next() % PATIENTS;
    const code = CODES[next() % CODES.length]!;
    const t0 = performance.now();
    const r = await fetch(`${server.url}/fhir/R4/Observation?patient=bench-p-${p}&code=http://loinc.org|${code}`, { headers: auth });
    const body = (await r.json()) as { total: number };
    const ms = performance.now() - t0;
    if (r.status !== 200) throw new Error(`fhir bench: search answered ${r.status}`);
    return { ms, total: body.total };
  };
  for (let i = 0; i < WARMUP; i++) await one();
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const r = await one();
    times.push(r.ms);
    found += r.total;
  }
  c.latencyRow(
    `fhir.search${label === 'pglite' ? '' : `.${label}`}`,
    times,
    `${label}; ${observations.toLocaleString('en-US')} observations; Observation?patient&code, ~${Math.round(found / SEARCHES)} matches/page of 50, with total; one at a time`,
    20,
  );
}

export async function benchFhir(c: FhirBenchContext): Promise<void> {
  const observations = c.observations ?? Number(process.env['CAIRN_BENCH_FHIR_OBSERVATIONS'] ?? 1_000_000);
  const lite = await startServer({ target: { memory: true }, resourcesDir: c.resourcesDir, port: 0 });
  try {
    c.progress(`fhir (pglite): seeding ${observations.toLocaleString('en-US')} observations`);
    await seed(lite, observations, c.progress);
    await measure(c, lite, 'pglite', observations);
  } finally {
    await lite.close();
  }
  let pgDb: Awaited<ReturnType<typeof freshPostgresDb>> | null = null;
  try {
    pgDb = await freshPostgresDb();
  } catch {
    c.progress('fhir: no PostgreSQL at 127.0.0.1:5432, skipping its figures');
    return;
  }
  const pgServer = await startServer({ target: { databaseUrl: pgDb.url }, resourcesDir: c.resourcesDir, port: 0 });
  try {
    c.progress(`fhir (postgres): seeding ${observations.toLocaleString('en-US')} observations`);
    await seed(pgServer, observations, c.progress);
    await measure(c, pgServer, 'postgres', observations);
  } finally {
    await pgServer.close();
    await pgDb.drop();
  }
}
