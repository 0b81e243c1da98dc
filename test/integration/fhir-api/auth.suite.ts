import { beforeAll, expect, it } from 'vitest';
import { FhirClient } from '../../helpers/fhir-api';
import { validateFhir } from '../../helpers/fhir-validate';
import type { Bundle, FhirApiSuite, Outcome } from './fhir-api.helpers';

/** Metadata without a token, client-credentials tokens, and every way a request is refused. */
export function authTests(suite: () => FhirApiSuite): void {
  let api: FhirApiSuite['api'];
  let seed: FhirApiSuite['seed'];
  let base: string;
  let full: FhirApiSuite['full'];
  beforeAll(() => {
    ({ api, seed, base, full } = suite());
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
}
