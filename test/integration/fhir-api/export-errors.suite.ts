import { beforeAll, expect, it } from 'vitest';
import { FhirClient } from '../../helpers/fhir-api';
import type { Bundle, FhirApiSuite, Outcome } from './fhir-api.helpers';

/** Paging, _include, $everything, Bulk Data export, the access log and bad requests. */
export function exportAndErrorTests(suite: () => FhirApiSuite): void {
  let server: FhirApiSuite['server'];
  let api: FhirApiSuite['api'];
  let seed: FhirApiSuite['seed'];
  let fhir: FhirApiSuite['fhir'];
  let base: string;
  let full: FhirApiSuite['full'];
  beforeAll(() => {
    ({ server, api, seed, fhir, base, full } = suite());
  });

  it('pages with _count and next links to the end, with no duplicates', async () => {
    const all = await fhir.all(`/Observation?patient=${seed.clarence}&_count=7`);
    expect(all.total).toBeGreaterThan(20);
    expect(all.ids.length).toBe(all.total);
    expect(new Set(all.ids).size).toBe(all.ids.length);
    expect(all.pages).toBe(Math.ceil(all.total! / 7));
    const first = await fhir.get<Bundle>(`/Observation?patient=${seed.clarence}&_count=7&_offset=7`);
    expect(first.body.link!.map((l) => l.relation).sort()).toEqual(['first', 'next', 'previous', 'self']);
    const count = await fhir.get<Bundle>(`/Observation?patient=${seed.clarence}&_summary=count`);
    expect(count.body.total).toBe(all.total);
    expect(count.body.entry).toEqual([]);
    const everyone = await fhir.all('/Patient?_count=1');
    expect(everyone.ids.sort()).toEqual([seed.clarence, seed.mirela, seed.tomas].map((i) => `Patient/${i}`).sort());
    expect((await fhir.get(`/Observation?_count=1001`)).status).toBe(400);
    expect((await fhir.get(`/Observation?_count=-1`)).status).toBe(400);
    expect(fhir.invalid).toEqual([]);
  });

  it('includes the patient of each result with _include', async () => {
    const r = await fhir.get<Bundle>(`/Observation?patient=${seed.mirela}&code=8480-6&_include=Observation:patient`);
    expect(r.body.entry!.filter((e) => e.search?.mode === 'match')).toHaveLength(2);
    const inc = r.body.entry!.filter((e) => e.search?.mode === 'include');
    expect(inc.map((e) => e.resource['id'])).toEqual([seed.mirela]);
    expect((await fhir.get(`/Observation?_include=Observation:performer`)).status).toBe(400);
  });

  it("returns a patient's whole record with $everything", async () => {
    const all = await fhir.all(`/Patient/${seed.mirela}/$everything?_count=4`);
    const types = all.resources.map((r) => r['resourceType']);
    expect(types[0]).toBe('Patient');
    expect(new Set(types)).toEqual(new Set(['Patient', 'Encounter', 'Observation', 'Condition', 'AllergyIntolerance', 'Immunization', 'MedicationRequest']));
    expect(types.filter((t) => t === 'MedicationRequest')).toHaveLength(3);
    expect(new Set(all.ids).size).toBe(all.ids.length);
    for (const r of all.resources.slice(1)) expect(JSON.stringify(r)).toContain(`Patient/${seed.mirela}`);
    expect((await fhir.get(`/Patient/nobody/$everything`)).status).toBe(404);
    expect(fhir.invalid).toEqual([]);
  });

  it('runs a Bulk Data export: kick-off, status, manifest, NDJSON files with auth, cancel', async () => {
    expect((await fhir.get('/$export')).status).toBe(400);
    expect((await fhir.get('/$export?_type=Claim', { prefer: 'respond-async' })).status).toBe(400);
    expect((await fhir.get('/$export?_outputFormat=text/csv', { prefer: 'respond-async' })).status).toBe(400);
    const kick = await fhir.get('/$export', { prefer: 'respond-async' });
    expect(kick.status).toBe(202);
    const status = kick.headers.get('content-location')!;
    expect(status).toMatch(/\/fhir\/R4\/\$export-status\//);
    let r = await fhir.get<{ output: { type: string; url: string; count: number }[]; requiresAccessToken: boolean; transactionTime: string }>(status);
    const seen: number[] = [];
    for (let i = 0; i < 200 && r.status === 202; i++) {
      seen.push(r.status);
      expect(r.headers.get('x-progress')).toMatch(/resources/);
      await new Promise((res) => setTimeout(res, 50));
      r = await fhir.get(status);
    }
    expect(r.status).toBe(200);
    expect(r.body.requiresAccessToken).toBe(true);
    const byType: Record<string, number> = {};
    for (const out of r.body.output) {
      expect((await new FhirClient(base, null).get(out.url)).status).toBe(401);
      const file = await fhir.get<string>(out.url);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toContain('ndjson');
      const lines = file.body.trim().split('\n');
      expect(lines).toHaveLength(out.count);
      for (const line of lines) {
        const res = JSON.parse(line) as { resourceType: string };
        expect(res.resourceType).toBe(out.type);
        fhir.check(res);
      }
      byType[out.type] = (byType[out.type] ?? 0) + out.count;
    }
    for (const type of [
      'Patient',
      'Observation',
      'Condition',
      'MedicationRequest',
      'Procedure',
      'DiagnosticReport',
      'Immunization',
      'Encounter',
      'AllergyIntolerance',
    ]) {
      expect(byType[type], type).toBe((await fhir.get<Bundle>(`/${type}?_summary=count`)).body.total);
    }
    expect(byType['Practitioner']).toBe(1);
    // Another client cannot see it; DELETE removes it.
    const other = await api.auth.addClient('Other', 'system/*.read');
    const stranger = new FhirClient(base, String((await FhirClient.token(base, other.clientId, other.clientSecret)).body['access_token']));
    expect((await stranger.get(status)).status).toBe(404);
    expect((await fetch(status, { method: 'DELETE', headers: { authorization: `Bearer ${String(fhir.token)}` } })).status).toBe(202);
    expect((await fhir.get(status)).status).toBe(404);
    expect((await fhir.get(r.body.output[0]!.url)).status).toBe(404);
    // A client allowed some types only: without _type it gets those (Bulk Data), with _type an unallowed one is refused.
    const registry = await api.auth.addClient('Registry export', 'system/Patient.read system/Condition.read');
    const reg = new FhirClient(base, String((await FhirClient.token(base, registry.clientId, registry.clientSecret)).body['access_token']));
    expect((await reg.get('/$export?_type=Observation', { prefer: 'respond-async' })).status).toBe(403);
    const rk = await reg.get('/$export', { prefer: 'respond-async' });
    expect(rk.status).toBe(202);
    let rr = await reg.get<{ output: { type: string }[] }>(rk.headers.get('content-location')!);
    for (let i = 0; i < 200 && rr.status === 202; i++) {
      await new Promise((res) => setTimeout(res, 50));
      rr = await reg.get(rk.headers.get('content-location')!);
    }
    expect(new Set(rr.body.output.map((o) => o.type))).toEqual(new Set(['Patient', 'Condition']));
    const nothing = await api.auth.addClient('Search only export', 'system/Patient.s');
    const none = new FhirClient(base, String((await FhirClient.token(base, nothing.clientId, nothing.clientSecret)).body['access_token']));
    expect((await none.get('/$export', { prefer: 'respond-async' })).status).toBe(403);
    // Patient-level export with a type filter; cancelled while running or done, it is gone.
    const pk = await fhir.get(`/Patient/$export?_type=Patient,Condition&_since=2000-01-01T00:00:00Z`, { prefer: 'respond-async' });
    expect(pk.status).toBe(202);
    const ps = pk.headers.get('content-location')!;
    let pr = await fhir.get<{ output: { type: string }[] }>(ps);
    for (let i = 0; i < 200 && pr.status === 202; i++) {
      await new Promise((res) => setTimeout(res, 50));
      pr = await fhir.get(ps);
    }
    expect(new Set(pr.body.output.map((o) => o.type))).toEqual(new Set(['Patient', 'Condition']));
    const ck = await fhir.get('/$export', { prefer: 'respond-async' });
    const cs = ck.headers.get('content-location')!;
    expect((await fetch(cs, { method: 'DELETE', headers: { authorization: `Bearer ${String(fhir.token)}` } })).status).toBe(202);
    expect((await fhir.get(cs)).status).toBe(404);
    await api.exports.idle();
    expect(fhir.invalid).toEqual([]);
  });

  it('logs every request, refused ones too, in an append-only access log', async () => {
    expect((await fhir.get(`/Patient/${seed.mirela}`)).status).toBe(200);
    expect((await fetch(`${base}/Patient/${seed.mirela}`)).status).toBe(401);
    // Written in batches every 200 ms.
    await new Promise((r) => setTimeout(r, 500));
    const rows = await server.db.query<{ client_id: string | null; method: string; status: number; resources: number | null }>(
      'SELECT client_id, method, status, resources FROM fhir_access_log WHERE path = $1 ORDER BY id',
      [`/fhir/R4/Patient/${seed.mirela}`],
    );
    expect(rows.slice(-2)).toEqual([
      { client_id: full.clientId, method: 'GET', status: 200, resources: 1 },
      { client_id: null, method: 'GET', status: 401, resources: 0 },
    ]);
    await expect(server.db.query('DELETE FROM fhir_access_log')).rejects.toThrow(/append-only/);
  });

  it('answers bad requests with 400/404/405 OperationOutcomes, never 500', async () => {
    const cases: [string, number][] = [
      ['/Patient?birthdate=1961-02-30', 400],
      ['/Patient?birthdate=yesterday', 400],
      ['/Patient?gender:text=female', 400],
      ['/Patient?unknown=1', 400],
      ['/Observation?date=xx2020', 400],
      ['/Observation?patient=a/b/c d', 400],
      ['/Observation?code=a|b|c', 400],
      ['/Observation?_count=abc', 400],
      ['/Observation?_offset=-5', 400],
      ['/Observation?_include=*', 400],
      ['/Observation?patient=%00', 400],
      // Malformed percent-escapes (what any web page can send): a clear 4xx, never a 5xx.
      ['/Patient/%E0', 400],
      ['/%E0', 404],
      ['/Nope', 404],
      ['/constructor', 404],
      ['/__proto__/x', 404],
      ['/toString?_count=1', 404],
      ['/Patient/x/y/z', 404],
      ['/', 404],
    ];
    for (const [path, status] of cases) {
      const r = await fhir.get<Outcome>(path);
      expect(r.status, path).toBe(status);
      expect(r.body.resourceType, path).toBe('OperationOutcome');
    }
    const lenient = await fhir.get<Bundle>(`/Patient?unknown=1&_id=${seed.mirela}`, { prefer: 'handling=lenient' });
    expect(lenient.body.total).toBe(1);
    const post = await fetch(`${base}/Patient`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(fhir.token)}`, 'content-type': 'application/fhir+json' },
      body: '{"resourceType":"Patient"}',
    });
    expect(post.status).toBe(405);
    const search = await fetch(`${base}/Patient/_search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(fhir.token)}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'family=Quennell',
    });
    expect(((await search.json()) as Bundle).total).toBe(1);
    expect(fhir.invalid).toEqual([]);
  });
}
