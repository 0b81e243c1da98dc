import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFhirApi, type FhirApi } from '../../electron/server/fhir/fhir.routes';
import { RESTRICTED_SCOPE } from '../../electron/server/fhir/fhir-auth';
import { FhirClient, seedClinic, type SeededClinic } from '../helpers/fhir-api';
import { startTestServer } from '../helpers/sync-server';
import { tempDir } from '../helpers/temp-db';

type Entry = { fullUrl?: string; resource: Record<string, unknown>; search?: { mode: string } };
type Bundle = { resourceType: string; total?: number; entry?: Entry[]; link?: { relation: string; url: string }[] };
type Outcome = { resourceType: 'OperationOutcome'; issue: { severity: string; code: string; details?: { text?: string } }[] };

const modes = (b: Bundle, mode: string): Entry[] => (b.entry ?? []).filter((e) => e.search?.mode === mode);
const types = (b: Bundle): string[] => [...new Set((b.entry ?? []).map((e) => String(e.resource['resourceType'])))].sort();

/** Polls an export to its manifest and returns every exported resource's "Type/id". */
async function exported(client: FhirClient, kickOffPath: string): Promise<string[]> {
  const kick = await client.get(kickOffPath, { prefer: 'respond-async' });
  expect(kick.status).toBe(202);
  const status = kick.headers.get('content-location')!;
  let r = await client.get<{ output: { url: string }[] }>(status);
  for (let i = 0; i < 400 && r.status === 202; i++) {
    await new Promise((res) => setTimeout(res, 50));
    r = await client.get(status);
  }
  expect(r.status).toBe(200);
  const out: string[] = [];
  for (const f of r.body.output) {
    const text = (await client.get<string>(f.url)).body;
    for (const line of text.split('\n').filter(Boolean)) {
      const res = JSON.parse(line) as { resourceType: string; id: string };
      out.push(`${res.resourceType}/${res.id}`);
    }
  }
  return out;
}

/**
 * What a FHIR client is given beyond its scopes: included and $everything resources of types it may
 * not read, and restricted charts (break-glass on the devices) it was not granted. Over HTTP, on
 * the real clinic server (PGlite), with the charts pushed by a real device's sync.
 */
describe('FHIR API: scopes hold for every returned type, restricted charts are withheld', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let api: FhirApi;
  let seed: SeededClinic;
  let base: string;
  let vip: string;
  let vipObservation: string;
  const t = tempDir('cairn-fhir-scopes-');

  const clientWith = async (scopes: string, restricted = false, ask?: string): Promise<FhirClient> => {
    const c = await api.auth.addClient(`Client ${scopes}`, scopes, { restricted });
    const tok = await FhirClient.token(base, c.clientId, c.clientSecret, ask);
    expect(tok.status, JSON.stringify(tok.body)).toBe(200);
    return new FhirClient(base, String(tok.body['access_token']));
  };
  const accessLog = async (path: string): Promise<{ client_id: string | null; query: string | null; status: number }[]> => {
    await api.access.flush();
    // The server's own log is the one the requests went through.
    await new Promise((r) => setTimeout(r, 400));
    return server.db.query('SELECT client_id, query, status FROM fhir_access_log WHERE path = $1 ORDER BY id', [path]);
  };

  beforeAll(async () => {
    server = await startTestServer('pglite');
    api = createFhirApi(server.db);
    seed = await seedClinic(server, t.dir);
    base = `${server.url}/fhir/R4`;
    // A restricted chart with a vital sign, pushed like any other.
    const c = seed.clinic;
    vip = (
      await c.ok<{ id: string }>('patients.create', {
        givenName: 'Valentina',
        familyName: 'Oskarsdottir',
        birthDate: '1970-07-07',
        sex: 'female',
        phone: '555-0199',
      })
    ).id;
    await c.ok('vitals.record', {
      patientId: vip,
      takenAt: '2026-04-01T08:00:00Z',
      units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
      systolic: 141,
      diastolic: 92,
    });
    await c.ok('patients.setRestricted', { id: vip, restricted: true });
    for (let i = 0; i < 10; i++) {
      const r = await seed.sync.syncOnce();
      expect(r.error).toBeNull();
      if (r.pending === 0) break;
    }
    const row = await server.db.query<{ entity_id: string }>(`SELECT entity_id FROM sync_rows WHERE entity = 'observation' AND patient_id = $1 LIMIT 1`, [vip]);
    vipObservation = row[0]!.entity_id;
  }, 120_000);

  afterAll(async () => {
    seed?.clinic.session.logout();
    await server?.stop();
    t.cleanup();
  });

  it('_include=Observation:patient gives a client with only system/Observation.rs no Patient, and says so', async () => {
    const obsOnly = await clientWith('system/Observation.rs');
    const r = await obsOnly.get<Bundle>(`/Observation?patient=${seed.mirela}&_include=Observation:patient`);
    expect(r.status).toBe(200);
    expect(modes(r.body, 'match').length).toBeGreaterThan(0);
    expect(modes(r.body, 'include')).toEqual([]);
    expect(types(r.body)).toEqual(['Observation', 'OperationOutcome']);
    const warning = modes(r.body, 'outcome')[0]!.resource as Outcome;
    expect(warning.issue[0]!.severity).toBe('warning');
    expect(warning.issue[0]!.details?.text).toMatch(/Patient resources were left out/);
    // Nothing of the patient's demographics in the answer.
    expect(JSON.stringify(r.body)).not.toMatch(/Quennell|555-0101|1961-04-02/);
    expect(obsOnly.invalid).toEqual([]);
    // With Patient allowed too, the include is there.
    const both = await clientWith('system/Observation.rs system/Patient.rs');
    const ok = await both.get<Bundle>(`/Observation?patient=${seed.mirela}&_include=Observation:patient`);
    expect(modes(ok.body, 'include').map((e) => e.resource['id'])).toEqual([seed.mirela]);
    expect(modes(ok.body, 'outcome')).toEqual([]);
  });

  it('$everything returns only the types the scopes allow, with a warning naming the others; no Patient scope: 403', async () => {
    const some = await clientWith('system/Patient.rs system/Observation.rs');
    const r = await some.get<Bundle>(`/Patient/${seed.mirela}/$everything?_count=1000`);
    expect(r.status).toBe(200);
    expect(new Set(modes(r.body, 'match').map((e) => e.resource['resourceType']))).toEqual(new Set(['Patient', 'Observation']));
    const text = (modes(r.body, 'outcome')[0]!.resource as Outcome).issue[0]!.details!.text!;
    for (const left of ['Encounter', 'Condition', 'AllergyIntolerance', 'MedicationRequest', 'Immunization']) expect(text).toContain(left);
    expect(r.body.total).toBe(modes(r.body, 'match').length);
    const obsOnly = await clientWith('system/Observation.rs');
    expect((await obsOnly.get<Outcome>(`/Patient/${seed.mirela}/$everything`)).status).toBe(403);
    expect(some.invalid).toEqual([]);
  });

  it('withholds a restricted chart from every read, search, include, $everything and $export of a client not granted it', async () => {
    const full = await clientWith('system/*.read');
    const read = await full.get<Outcome>(`/Patient/${vip}`);
    expect(read.status).toBe(403);
    expect(read.body.issue[0]!.details!.text).toMatch(/restricted chart/);
    expect(JSON.stringify(read.body)).not.toContain('Oskarsdottir');
    expect((await full.get<Outcome>(`/Observation/${vipObservation}`)).status).toBe(403);
    expect((await full.get<Outcome>(`/Patient/${vip}/$everything`)).status).toBe(403);
    const byName = await full.get<Bundle>('/Patient?family=Oskarsdottir');
    expect(byName.body.total).toBe(0);
    expect((await full.get<Bundle>(`/Patient?_id=${vip}`)).body.total).toBe(0);
    const obs = await full.get<Bundle>(`/Observation?patient=${vip}&_include=Observation:patient`);
    expect(obs.body.total).toBe(0);
    expect(obs.body.entry ?? []).toEqual([]);
    // A whole-type search still answers, without the chart; its count agrees.
    const all = await full.all('/Patient?_count=2');
    expect(all.ids).not.toContain(`Patient/${vip}`);
    expect(all.total).toBe(all.ids.length);
    const files = await exported(full, '/$export?_type=Patient,Observation');
    expect(files).toContain(`Patient/${seed.mirela}`);
    expect(files).not.toContain(`Patient/${vip}`);
    expect(files).not.toContain(`Observation/${vipObservation}`);
    const patientLevel = await exported(full, '/Patient/$export?_type=Patient');
    expect(patientLevel).not.toContain(`Patient/${vip}`);
    // The refusal is in the access log, as an entry for the chart itself.
    const log = await accessLog(`/fhir/R4/Patient/${vip}`);
    const withheld = log.filter((l) => l.query?.startsWith('restricted-chart=withheld'));
    // The read, the Observation read and $everything: each refused, each a line for the chart.
    expect(withheld.length).toBeGreaterThanOrEqual(3);
    expect(new Set(withheld.map((l) => l.status))).toEqual(new Set([403]));
    expect(withheld.every((l) => typeof l.client_id === 'string')).toBe(true);
    expect(withheld.map((l) => decodeURIComponent(l.query!.replace(/^.*request=/, '')))).toEqual(
      expect.arrayContaining([`/fhir/R4/Patient/${vip}`, `/fhir/R4/Observation/${vipObservation}`, `/fhir/R4/Patient/${vip}/$everything`]),
    );
    expect(full.invalid).toEqual([]);
  });

  it('serves a restricted chart to a client registered with restricted access, and logs each disclosure', async () => {
    const granted = await api.auth.addClient('Privacy office', 'system/*.read', { restricted: true });
    expect(granted.restricted).toBe(true);
    expect((await api.auth.listClients()).find((c) => c.clientId === granted.clientId)?.restricted).toBe(true);
    const tok = await FhirClient.token(base, granted.clientId, granted.clientSecret);
    expect(String(tok.body['scope'])).toContain(RESTRICTED_SCOPE);
    const office = new FhirClient(base, String(tok.body['access_token']));
    expect((await office.get(`/Patient/${vip}`)).status).toBe(200);
    expect((await office.get<Bundle>('/Patient?family=Oskarsdottir')).body.total).toBe(1);
    const everything = await office.get<Bundle>(`/Patient/${vip}/$everything`);
    expect(modes(everything.body, 'match').map((e) => e.resource['resourceType'])).toEqual([
      'Patient',
      ...modes(everything.body, 'match')
        .slice(1)
        .map(() => 'Observation'),
    ]);
    expect(modes(everything.body, 'match').length).toBeGreaterThan(1);
    const inc = await office.get<Bundle>(`/Observation?patient=${vip}&_include=Observation:patient`);
    expect(modes(inc.body, 'include').map((e) => e.resource['id'])).toEqual([vip]);
    expect(await exported(office, '/$export?_type=Patient')).toContain(`Patient/${vip}`);
    await api.exports.idle();
    const log = await accessLog(`/fhir/R4/Patient/${vip}`);
    const disclosed = log.filter((l) => l.client_id === granted.clientId && l.query?.startsWith('restricted-chart=disclosed'));
    // The read, the search, $everything, the include and the export: each a line for the chart.
    expect(disclosed.length).toBeGreaterThanOrEqual(5);
    expect(disclosed.map((l) => decodeURIComponent(l.query!.replace(/^.*request=/, '')))).toEqual(
      expect.arrayContaining(['/fhir/R4/Patient', '/fhir/R4/Observation', `/fhir/R4/Patient/${vip}/$everything`]),
    );
    // A token narrowed without the restricted scope does not carry it; a client without it cannot ask for it.
    const narrowed = await FhirClient.token(base, granted.clientId, granted.clientSecret, 'system/Patient.rs');
    expect((await new FhirClient(base, String(narrowed.body['access_token'])).get(`/Patient/${vip}`)).status).toBe(403);
    const asked = await FhirClient.token(base, granted.clientId, granted.clientSecret, `system/Patient.rs ${RESTRICTED_SCOPE}`);
    expect((await new FhirClient(base, String(asked.body['access_token'])).get(`/Patient/${vip}`)).status).toBe(200);
    const plain = await api.auth.addClient('Plain', 'system/*.read');
    expect(await FhirClient.token(base, plain.clientId, plain.clientSecret, `system/*.read ${RESTRICTED_SCOPE}`)).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect(office.invalid).toEqual([]);
  });
});
