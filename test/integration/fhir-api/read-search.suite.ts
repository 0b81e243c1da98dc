import { beforeAll, expect, it } from 'vitest';
import type { Sql } from '../../../electron/server/db/open';
import { chartAccess, FhirService } from '../../../electron/server/fhir/fhir.service';
import { parseScopes } from '../../../shared/fhir/scopes';
import { SYSTEMS } from '../../../shared/fhir/to-fhir';
import { ids, type Bundle, type FhirApiSuite } from './fhir-api.helpers';

/** Reads by id (alone and batched) and searches of every resource type. */
export function readAndSearchTests(suite: () => FhirApiSuite): void {
  let server: FhirApiSuite['server'];
  let seed: FhirApiSuite['seed'];
  let fhir: FhirApiSuite['fhir'];
  beforeAll(() => {
    ({ server, seed, fhir } = suite());
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
}
