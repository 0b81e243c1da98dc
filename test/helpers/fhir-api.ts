import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FhirImporter } from '../../electron/services/fhir/import';
import { clientFor, enrollThisDevice, type SyncClient } from '../../electron/services/sync';
import { openClinic, type Clinic } from './clinic';
import { validateFhir } from './fhir-validate';
import type { startTestServer } from './sync-server';
import { signInClinicUsers } from './sync-server';

export const FIXTURES = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');
export const SIG = {
  doseAmount: 5,
  doseUnit: 'mg',
  route: 'oral',
  frequency: 'qd',
  prn: false,
  quantity: 30,
  quantityUnit: 'tablet',
  refills: 0,
  indication: 'hypertension',
};

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A device of the clinic with a known chart and one Synthea patient, pushed to the server by real sync. */
export interface SeededClinic {
  clinic: Clinic;
  sync: SyncClient;
  docId: string;
  mirela: string;
  tomas: string;
  clarence: string;
  encounterId: string;
  courseId: string;
  prescriptionId: string;
}

export async function seedClinic(server: Server, dir: string): Promise<SeededClinic> {
  const clinic = await openClinic(dir);
  const repos = clinic.session.repos;
  const docId = repos.users.list().find((u) => u.username === 'drhouse')!.id;
  const code = await server.sync.createEnrollmentCode('Exam room');
  await enrollThisDevice(repos.store, repos, { serverUrl: server.url, code: code.code, deviceName: 'Exam room' });
  await signInClinicUsers(repos.store.sqlite);
  const sync = clientFor(repos.store, repos, () => docId);
  const m = await clinic.ok<{ id: string }>('patients.create', {
    givenName: 'Mirela',
    middleName: 'Ana',
    familyName: 'Quennell',
    birthDate: '1961-04-02',
    sex: 'female',
    phone: '555-0101',
    identifiers: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-00-1234' }],
  });
  const t = await clinic.ok<{ id: string }>('patients.create', { givenName: 'Tomas', familyName: 'Ferreira-Lind', birthDate: '1990-01-15', sex: 'male' });
  const enc = await clinic.ok<{ id: string }>('encounters.create', { patientId: m.id, visitType: 'office_visit', reason: 'diabetes follow-up' });
  await clinic.ok('vitals.record', {
    patientId: m.id,
    encounterId: enc.id,
    takenAt: '2026-03-01T09:30:00Z',
    units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
    systolic: 128,
    diastolic: 82,
    heartRate: 71,
  });
  await clinic.ok('vitals.record', {
    patientId: m.id,
    takenAt: '2026-04-15T10:00:00Z',
    units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
    systolic: 135,
    diastolic: 88,
  });
  await clinic.ok('problems.add', { patientId: m.id, icd10: 'E11.9' });
  await clinic.ok('allergies.add', {
    kind: 'allergy',
    patientId: m.id,
    substance: 'Penicillin',
    substanceType: 'drug',
    reactions: ['Hives'],
    severity: 'severe',
  });
  await clinic.ok('immunizations.add', { patientId: m.id, cvx: '140', administeredOn: '2025-10-01', source: 'historical' });
  const course = await clinic.ok<{ course: { courseId?: string; id?: string } }>('meds.add', { patientId: m.id, name: 'Vitamin D' });
  const lisinopril = (await clinic.ok<{ rxcui: string }[]>('meds.searchDrugs', { query: 'lisinopril' }))[0]!.rxcui;
  const rx = await clinic.ok<{ prescriptionId: string; courseId: string }>('meds.prescribe', {
    patientId: m.id,
    rxcui: lisinopril,
    sig: SIG,
    password: 'physician pass 1',
  });
  // A Synthea patient brings procedures, diagnostic reports, labs, survey and social-history data.
  const importer = new FhirImporter(repos, { userId: docId });
  const file = 'Clarence_Mills_0753ad6c-5935-4faa-9cfe-b7269e963d77.json';
  importer.importText(readFileSync(join(FIXTURES, file), 'utf8'), file);
  expect(importer.summary.errors).toEqual([]);
  const clarence = String((repos.store.sqlite.prepare(`SELECT id FROM patients WHERE family_name = 'Mills'`).get() as { id: string }).id);
  for (let i = 0; i < 10; i++) {
    const r = await sync.syncOnce();
    expect(r.error).toBeNull();
    if (r.pending === 0) break;
  }
  return {
    clinic,
    sync,
    docId,
    mirela: m.id,
    tomas: t.id,
    clarence,
    encounterId: enc.id,
    courseId: course.course.courseId ?? course.course.id ?? '',
    prescriptionId: rx.prescriptionId,
  };
}

/** A client of the FHIR API that validates every resource it is sent (so a test fails on an invalid one). */
export class FhirClient {
  invalid: string[] = [];
  constructor(
    readonly base: string,
    public token: string | null,
  ) {}

  static async token(base: string, id: string, secret: string, scope?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope && { scope }) }).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async get<T = Record<string, unknown>>(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const res = await fetch(url, { headers: { ...(this.token && { authorization: `Bearer ${this.token}` }), ...headers } });
    const text = await res.text();
    let body: unknown = null;
    const ctype = res.headers.get('content-type') ?? '';
    if (text && ctype.includes('json') && !ctype.includes('ndjson')) {
      body = JSON.parse(text);
      this.check(body);
    } else body = text;
    return { status: res.status, body: body as T, headers: res.headers };
  }

  check(resource: unknown): void {
    const r = resource as { resourceType?: string } | null;
    if (!r?.resourceType) return;
    const v = validateFhir(r);
    if (!v.ok) this.invalid.push(`${r.resourceType}: ${v.issues.slice(0, 5).join('; ')}`);
  }

  /** Follows next links to the end; returns every entry of mode match. */
  async all(path: string): Promise<{ pages: number; ids: string[]; total: number | undefined; resources: Record<string, unknown>[] }> {
    let next: string | undefined = path;
    const resources: Record<string, unknown>[] = [];
    let pages = 0;
    let total: number | undefined;
    while (next) {
      const page: {
        status: number;
        body: { total?: number; entry?: { resource: Record<string, unknown>; search?: { mode: string } }[]; link?: { relation: string; url: string }[] };
      } = await this.get(next);
      expect(page.status, JSON.stringify(page.body).slice(0, 300)).toBe(200);
      pages++;
      total ??= page.body.total;
      for (const e of page.body.entry ?? []) if (e.search?.mode !== 'include' && e.search?.mode !== 'outcome') resources.push(e.resource);
      next = page.body.link?.find((l) => l.relation === 'next')?.url;
      if (pages > 1000) throw new Error('paging never ends');
    }
    return { pages, ids: resources.map((r) => `${String(r['resourceType'])}/${String(r['id'])}`), total, resources };
  }
}
