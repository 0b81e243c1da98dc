import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../electron/server/db/open';
import { createFhirApi, type FhirApi } from '../../electron/server/fhir/fhir.routes';
import { chartAccess, FhirService } from '../../electron/server/fhir/fhir.service';
import { parseScopes } from '../../shared/fhir/scopes';
import { SYSTEMS } from '../../shared/fhir/to-fhir';
import { FhirClient, seedClinic, type SeededClinic } from '../helpers/fhir-api';
import { validateFhir } from '../helpers/fhir-validate';
import { startTestServer, type Backend } from '../helpers/sync-server';
import { tempDir } from '../helpers/temp-db';

type Bundle = {
  resourceType: string;
  type: string;
  total?: number;
  entry?: { fullUrl: string; resource: Record<string, unknown>; search?: { mode: string } }[];
  link?: { relation: string; url: string }[];
};
type Outcome = { resourceType: 'OperationOutcome'; issue: { severity: string; code: string; details?: { text?: string } }[] };

const ids = (b: Bundle): string[] => (b.entry ?? []).filter((e) => e.search?.mode !== 'include').map((e) => String(e.resource['id']));

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

  it('serves its CapabilityStatement and SMART configuration without a token', async () => {
    const anon = new FhirClient(base, null);
    const cap = await anon.get<{
      resourceType: string;
      fhirVersion: string;
      rest: { security: { extension: { extension: { url: string; valueUri: string }[] }[] }; resource: { type: string; searchParam: { name: string }[] }[] }[];
    }>('/metadata');
    expect(cap.status).toBe(200);
    expect(cap.headers.get('content-type')).toContain('application/fhir+json');
    expect(cap.body.fhirVersion).toBe('4.0.1');
    expect(cap.body.rest[0]!.security.extension[0]!.extension[0]!.valueUri).toBe(`${base}/auth/token`);
    expect(cap.body.rest[0]!.resource.map((r) => r.type).sort()).toEqual([
      'AllergyIntolerance',
      'Condition',
      'DiagnosticReport',
      'Encounter',
      'Immunization',
      'MedicationRequest',
      'Observation',
      'Patient',
      'Practitioner',
      'Procedure',
    ]);
    const smart = await anon.get<{ token_endpoint: string; grant_types_supported: string[] }>('/.well-known/smart-configuration');
    expect(smart.body).toMatchObject({ token_endpoint: `${base}/auth/token`, grant_types_supported: ['client_credentials'] });
    expect(anon.invalid).toEqual([]);
  });

  it('issues tokens by client credentials (Basic or form), narrowed to the asked scopes', async () => {
    const form = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${full.clientId}&client_secret=${full.clientSecret}&scope=system%2FPatient.rs`,
    });
    expect(form.status).toBe(200);
    const body = (await form.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'system/Patient.rs' });
    const narrow = new FhirClient(base, body.access_token);
    expect((await narrow.get(`/Patient/${seed.mirela}`)).status).toBe(200);
    expect((await narrow.get(`/Observation?patient=${seed.mirela}`)).status).toBe(403);
    expect((await FhirClient.token(base, full.clientId, 'wrong-secret')).status).toBe(401);
    expect((await FhirClient.token(base, 'fc_nobody', 'x')).body['error']).toBe('invalid_client');
    const limited = await api.auth.addClient('Patients only', 'system/Patient.read');
    const widen = await FhirClient.token(base, limited.clientId, limited.clientSecret, 'system/*.read');
    expect(widen).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const badGrant = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=a&password=b',
    });
    expect(badGrant.status).toBe(400);
    expect(((await badGrant.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('refuses no token, a bad token, the wrong scope, an expired token and a revoked client with an OperationOutcome', async () => {
    const expectOutcome = async (client: FhirClient, path: string, status: number, text: RegExp): Promise<void> => {
      const r = await client.get<Outcome>(path);
      expect(r.status).toBe(status);
      expect(r.body.resourceType).toBe('OperationOutcome');
      expect(r.body.issue[0]!.details?.text).toMatch(text);
      expect(validateFhir(r.body).issues).toEqual([]);
    };
    await expectOutcome(new FhirClient(base, null), `/Patient/${seed.mirela}`, 401, /access token is required/);
    await expectOutcome(new FhirClient(base, 'x'.repeat(43)), `/Patient/${seed.mirela}`, 401, /not valid/);
    const patientsOnly = await api.auth.addClient('Registry', 'system/Patient.read');
    const pt = await FhirClient.token(base, patientsOnly.clientId, patientsOnly.clientSecret);
    const registry = new FhirClient(base, String(pt.body['access_token']));
    expect((await registry.get(`/Patient/${seed.mirela}`)).status).toBe(200);
    await expectOutcome(registry, `/Observation?patient=${seed.mirela}`, 403, /do not allow searching Observation/);
    // $everything gives what the scopes allow (here the Patient) and says what it left out.
    const partial = await registry.get<Bundle>(`/Patient/${seed.mirela}/$everything`);
    expect(partial.status).toBe(200);
    expect(partial.body.entry!.filter((e) => e.search?.mode === 'match').map((e) => e.resource['resourceType'])).toEqual(['Patient']);
    expect(JSON.stringify(partial.body.entry!.find((e) => e.search?.mode === 'outcome')?.resource)).toMatch(/Observation.*left out/);
    await expectOutcome(
      new FhirClient(base, String((await FhirClient.token(base, full.clientId, full.clientSecret, 'system/Observation.rs')).body['access_token'])),
      `/Patient/${seed.mirela}/$everything`,
      403,
      /do not allow reading Patient/,
    );
    const searchOnly = await api.auth.addClient('Search only', 'system/Patient.s');
    const so = new FhirClient(base, String((await FhirClient.token(base, searchOnly.clientId, searchOnly.clientSecret)).body['access_token']));
    await expectOutcome(so, `/Patient/${seed.mirela}`, 403, /do not allow reading Patient/);
    expect((await so.get(`/Patient?_id=${seed.mirela}`)).status).toBe(200);
    // Expired.
    const soon = await FhirClient.token(base, full.clientId, full.clientSecret);
    const expiring = new FhirClient(base, String(soon.body['access_token']));
    expect((await expiring.get(`/Patient/${seed.mirela}`)).status).toBe(200);
    await api.auth.expireToken(String(soon.body['access_token']));
    await expectOutcome(expiring, `/Patient/${seed.mirela}`, 401, /expired/);
    // Revoked: the token stops working at once, and no new one is issued.
    const gone = await api.auth.addClient('Old vendor', 'system/*.read');
    const gt = await FhirClient.token(base, gone.clientId, gone.clientSecret);
    const vendor = new FhirClient(base, String(gt.body['access_token']));
    expect((await vendor.get(`/Patient/${seed.mirela}`)).status).toBe(200);
    await api.auth.revokeClient(gone.clientId);
    await expectOutcome(vendor, `/Patient/${seed.mirela}`, 401, /not valid/);
    expect((await FhirClient.token(base, gone.clientId, gone.clientSecret)).status).toBe(401);
    expect((await api.auth.listClients()).find((c) => c.clientId === gone.clientId)?.revokedAt).toBeTruthy();
  });

  it('reads each resource type by id', async () => {
    const p = await fhir.get<Record<string, unknown>>(`/Patient/${seed.mirela}`);
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({
      resourceType: 'Patient',
      id: seed.mirela,
      gender: 'female',
      birthDate: '1961-04-02',
      name: [{ family: 'Quennell', given: ['Mirela', 'Ana'] }],
    });
    const doc = await fhir.get(`/Practitioner/${seed.docId}`);
    expect(doc.body).toMatchObject({ resourceType: 'Practitioner', name: [{ text: 'Dr. Gregory House' }] });
    expect(JSON.stringify(doc.body)).not.toMatch(/scrypt|password/);
    const admin = seed.clinic.session.repos.users.list().find((u) => u.username === 'admin')!;
    expect((await fhir.get(`/Practitioner/${admin.id}`)).status).toBe(404);
    const enc = await fhir.get(`/Encounter/${seed.encounterId}`);
    expect(enc.body).toMatchObject({ status: 'in-progress', subject: { reference: `Patient/${seed.mirela}` }, reasonCode: [{ text: 'diabetes follow-up' }] });
    const rx = await fhir.get(`/MedicationRequest/${seed.prescriptionId}`);
    expect(rx.body).toMatchObject({ intent: 'order', status: 'active', requester: { reference: `Practitioner/${seed.docId}` } });
    const course = await fhir.get(`/MedicationRequest/${seed.courseId}`);
    expect(course.body).toMatchObject({ intent: 'plan', status: 'active', medicationCodeableConcept: { text: 'Vitamin D' } });
    for (const type of ['Observation', 'Condition', 'AllergyIntolerance', 'Immunization', 'Procedure', 'DiagnosticReport']) {
      const s = await fhir.get<Bundle>(`/${type}?patient=${seed.clarence}&_count=1`);
      const mine = await fhir.get<Bundle>(`/${type}?patient=${seed.mirela}&_count=1`);
      const id = ids(s.body)[0] ?? ids(mine.body)[0];
      expect(id, `${type} has a row to read`).toBeDefined();
      const r = await fhir.get<Record<string, unknown>>(`/${type}/${id}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ resourceType: type, id });
    }
    expect((await fhir.get(`/Patient/${'0'.repeat(8)}-0000-7000-8000-000000000000`)).status).toBe(404);
    expect((await fhir.get('/Patient/bad%20id')).status).toBe(400);
    expect((await fhir.get('/Claim/1')).status).toBe(404);
    expect(fhir.invalid).toEqual([]);
  });

  it('answers reads that arrive together from one query per resource type, each with its own resource', async () => {
    // The real database, with its queries counted on the way through.
    const queries: string[] = [];
    const counted: Sql = { query: (text, params) => (queries.push(text), server.db.query(text, params)) };
    const service = new FhirService(counted);
    const missing = `${'0'.repeat(8)}-0000-7000-8000-000000000001`;
    const asked: [string, string][] = [
      ['Patient', seed.mirela],
      ['Patient', seed.clarence],
      ['Patient', missing],
      ['Patient', seed.mirela],
      ['Encounter', seed.encounterId],
      ['MedicationRequest', seed.prescriptionId],
      ['MedicationRequest', seed.courseId],
      ['Practitioner', seed.docId],
    ];
    const got = await Promise.all(
      asked.map(([type, id]) =>
        service.read(type, id, chartAccess({ clientId: 'test', scopes: parseScopes('system/*.read').scopes, restricted: false })).then(
          (r) => ({ type: r.resourceType, id: r.id }),
          (e: Error) => e.message,
        ),
      ),
    );
    expect(got).toEqual(asked.map(([type, id]) => (id === missing ? `Patient/${missing} is not known here` : { type, id })));
    // Four types: four reads (the medication course then reads its events).
    expect(queries.filter((q) => q.includes('ANY($1::text[])') && q.startsWith('SELECT r.entity'))).toHaveLength(4);
    // Over HTTP too: many reads at once, each answered with its own chart.
    const many = await Promise.all(
      [seed.mirela, seed.clarence, seed.tomas, missing].flatMap((id) => Array.from({ length: 6 }, () => fhir.get<Record<string, unknown>>(`/Patient/${id}`))),
    );
    many.forEach((r, i) => {
      const id = [seed.mirela, seed.clarence, seed.tomas, missing][Math.floor(i / 6)];
      if (id === missing) expect(r.status).toBe(404);
      else expect(r.body).toMatchObject({ resourceType: 'Patient', id });
    });
  });

  it('searches Patient by name, family, given, birthdate, identifier, gender and _id', async () => {
    const q = async (query: string): Promise<string[]> => {
      const r = await fhir.get<Bundle>(`/Patient?${query}`);
      expect(r.status, query).toBe(200);
      expect(r.body.type).toBe('searchset');
      expect(r.body.total).toBe(ids(r.body).length);
      return ids(r.body).sort();
    };
    expect(await q('name=quen')).toEqual([seed.mirela]);
    expect(await q('name=ANA')).toEqual([seed.mirela]);
    expect(await q('name:exact=Quennell')).toEqual([seed.mirela]);
    expect(await q('name:exact=quennell')).toEqual([]);
    expect(await q('name:contains=rreira')).toEqual([seed.tomas]);
    expect(await q('family=Ferreira')).toEqual([seed.tomas]);
    expect(await q('given=tom,mir')).toEqual([seed.mirela, seed.tomas].sort());
    expect(await q('birthdate=1961-04-02')).toEqual([seed.mirela]);
    expect(await q('birthdate=1961')).toEqual([seed.mirela]);
    expect(await q('birthdate=lt1970-01-01')).toEqual([seed.mirela]);
    expect(await q('birthdate=ge1980-05-29&birthdate=le1990-01-15')).toEqual([seed.clarence, seed.tomas].sort());
    expect(await q('birthdate=gt1990-01-15')).toEqual([]);
    expect(await q('birthdate=ne1961-04-02&gender=female')).toEqual([]);
    expect(await q('gender=male')).toEqual([seed.clarence, seed.tomas].sort());
    expect(await q('identifier=999-00-1234')).toEqual([seed.mirela]);
    expect(await q('identifier=http://hl7.org/fhir/sid/us-ssn|999-00-1234')).toEqual([seed.mirela]);
    const mrn = (await fhir.get<{ identifier: { system: string; value: string }[] }>(`/Patient/${seed.tomas}`)).body.identifier.find(
      (i) => i.system === SYSTEMS.mrn,
    )!.value;
    expect(await q(`identifier=${SYSTEMS.mrn}|${mrn}`)).toEqual([seed.tomas]);
    expect(await q(`_id=${seed.tomas}`)).toEqual([seed.tomas]);
    expect(fhir.invalid).toEqual([]);
  });

  it('searches Observation by patient, code, category and date with every prefix', async () => {
    const q = async (query: string): Promise<Bundle> => {
      const r = await fhir.get<Bundle>(`/Observation?${query}`);
      expect(r.status, `${query}: ${JSON.stringify(r.body).slice(0, 200)}`).toBe(200);
      return r.body;
    };
    const systolic = await q(`patient=${seed.mirela}&code=http://loinc.org|8480-6`);
    expect(systolic.total).toBe(2);
    expect(systolic.entry!.map((e) => (e.resource['valueQuantity'] as { value: number }).value).sort()).toEqual([128, 135]);
    expect(systolic.entry![0]!.resource).toMatchObject({
      category: [{ coding: [{ code: 'vital-signs' }] }],
      valueQuantity: { system: SYSTEMS.ucum, code: 'mm[Hg]' },
    });
    expect((await q(`patient=Patient/${seed.mirela}&code=8480-6`)).total).toBe(2);
    expect((await q(`subject=${seed.mirela}&code=8480-6,8462-4`)).total).toBe(4);
    expect((await q(`patient=${seed.mirela}&code=http://snomed.info/sct|8480-6`)).total).toBe(0);
    expect((await q(`patient=${seed.mirela}&category=vital-signs`)).total).toBe(5);
    expect((await q(`patient=${seed.mirela}&category=laboratory`)).total).toBe(0);
    const lab = await q(`patient=${seed.clarence}&category=laboratory`);
    expect(lab.total).toBeGreaterThan(0);
    const social = await q(`patient=${seed.clarence}&category=social-history,survey`);
    expect(social.total).toBeGreaterThan(0);
    const d = async (v: string): Promise<number> => (await q(`patient=${seed.mirela}&code=8480-6&date=${v}`)).total!;
    expect(await d('2026-03-01')).toBe(1);
    expect(await d('eq2026-03')).toBe(1);
    expect(await d('eq2026')).toBe(2);
    expect(await d('ne2026-03-01')).toBe(1);
    expect(await d('lt2026-04-15')).toBe(1);
    expect(await d('le2026-04-15')).toBe(2);
    expect(await d('gt2026-03-01')).toBe(1);
    expect(await d('ge2026-03-01T09:30:00Z')).toBe(2);
    expect(await d('gt2026-03-01T09:30:00Z')).toBe(1);
    expect(await d('eq2026-03-01T10:30:00%2B01:00')).toBe(1);
    expect((await q(`patient=${seed.mirela}&status=final&code=8480-6`)).total).toBe(2);
    expect(fhir.invalid).toEqual([]);
  });

  it('searches the other types by patient, date, code and status', async () => {
    const total = async (path: string): Promise<number> => {
      const r = await fhir.get<Bundle>(path);
      expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 200)}`).toBe(200);
      return r.body.total!;
    };
    const m = seed.mirela;
    expect(await total(`/Encounter?patient=${m}`)).toBe(1);
    expect(await total(`/Encounter?patient=${m}&status=in-progress`)).toBe(1);
    expect(await total(`/Encounter?patient=${m}&status=finished`)).toBe(0);
    expect(await total(`/Encounter?patient=${seed.clarence}&date=ge2000-01-01`)).toBeGreaterThan(0);
    expect(await total(`/Encounter?patient=${seed.clarence}&date=lt1900`)).toBe(0);
    expect(await total(`/Condition?patient=${m}&code=http://hl7.org/fhir/sid/icd-10-cm|E11.9`)).toBe(1);
    expect(await total(`/Condition?patient=${m}&code=E11.9&clinical-status=active`)).toBe(1);
    expect(await total(`/Condition?patient=${m}&status=resolved`)).toBe(0);
    const cc = await fhir.get<Bundle>(`/Condition?patient=${seed.clarence}`);
    const snomed = (cc.body.entry![0]!.resource['code'] as { coding: { system: string; code: string }[] }).coding.find(
      (c) => c.system === SYSTEMS.snomed,
    )!.code;
    expect(await total(`/Condition?patient=${seed.clarence}&code=${SYSTEMS.snomed}|${snomed}`)).toBeGreaterThan(0);
    expect(await total(`/AllergyIntolerance?patient=${m}&code=penicillin`)).toBe(1);
    expect(await total(`/AllergyIntolerance?patient=${m}&clinical-status=active`)).toBe(1);
    expect(await total(`/Immunization?patient=${m}&code=${SYSTEMS.cvx}|140&date=2025-10-01`)).toBe(1);
    expect(await total(`/Immunization?patient=${m}&vaccine-code=141`)).toBe(0);
    expect(await total(`/Immunization?patient=${m}&status=completed`)).toBe(1);
    expect(await total(`/MedicationRequest?patient=${m}`)).toBe(3);
    expect(await total(`/MedicationRequest?patient=${m}&intent=order`)).toBe(1);
    expect(await total(`/MedicationRequest?patient=${m}&status=active`)).toBe(3);
    expect(await total(`/MedicationRequest?patient=${m}&status=stopped`)).toBe(0);
    expect(await total(`/MedicationRequest?patient=${m}&authoredon=ge2020-01-01`)).toBe(3);
    const procs = await fhir.get<Bundle>(`/Procedure?patient=${seed.clarence}`);
    expect(procs.body.total).toBeGreaterThan(0);
    const proc = procs.body.entry![0]!.resource as {
      code: { coding: { system: string; code: string }[] };
      status: string;
      performedPeriod?: { start: string };
      performedDateTime?: string;
    };
    const pc = proc.code.coding[0]!;
    expect(await total(`/Procedure?patient=${seed.clarence}&code=${pc.system}|${pc.code}&status=${proc.status}`)).toBeGreaterThan(0);
    const performed = (proc.performedPeriod?.start ?? proc.performedDateTime)!.slice(0, 10);
    expect(await total(`/Procedure?patient=${seed.clarence}&date=${performed}`)).toBeGreaterThan(0);
    const reports = await fhir.get<Bundle>(`/DiagnosticReport?patient=${seed.clarence}&status=final`);
    expect(reports.body.total).toBeGreaterThan(0);
    const rep = reports.body.entry![0]!.resource as { code: { coding?: { code: string }[] }; effectiveDateTime: string };
    if (rep.code.coding) expect(await total(`/DiagnosticReport?patient=${seed.clarence}&code=${rep.code.coding[0]!.code}`)).toBeGreaterThan(0);
    expect(await total(`/DiagnosticReport?patient=${seed.clarence}&date=${rep.effectiveDateTime.slice(0, 10)}`)).toBeGreaterThan(0);
    expect(await total(`/Practitioner?name=house`)).toBe(1);
    expect(fhir.invalid).toEqual([]);
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
});
