import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hl7Ingest } from '../../../electron/services/labs/ingest';
import { clientFor, enrollThisDevice, type SyncClient } from '../../../electron/services/sync';
import type { AppointmentsView, ChartSummary, ReleasedItem, ResultView, SessionView } from '../../../shared/api/portal-http';
import { countEntries, readCcda } from '../../../shared/ccda';
import type { Note } from '../../../shared/domain/clinical';
import { clinicDate } from '../../../shared/domain/dates';
import { CLINIC, openClinic, type Clinic } from '../../helpers/clinic';
import { validateFhir } from '../../helpers/fhir-validate';
import { pdfLines } from '../../helpers/pdf-text';
import { signInClinicUsers } from '../../helpers/sync-server';
import { tempDir } from '../../helpers/temp-db';
import { validateCda } from '../../helpers/xmllint';
import { invite, inviteCode, patient, PortalClient, portalAudit, record, seed, startPortalServer, TestClock, type PortalServer } from './portal-server.helpers';

const DAY = 86_400_000;
const hl7Time = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + '+0000';

/**
 * What a patient reads on the portal, from a chart a real desktop made and synced to a real clinic
 * server: problems, medications, allergies, immunizations, vitals trends, visit summaries of signed
 * notes (addenda appended; drafts and notes entered in error never), results only when final and
 * released (a pathology report waits its 3 days), the released list, appointments, the PDFs and the
 * FHIR bundle. A parent of a 14-year-old does not see what the clinic marked confidential.
 */
describe('portal reads', () => {
  const clock = new TestClock();
  const dir = tempDir('cairn-portal-reads-');
  let server: PortalServer;
  let clinic: Clinic;
  let sync: SyncClient;
  let patientId: string;
  let client: PortalClient;
  let noteId: string;
  let wrongNoteId: string;

  beforeAll(async () => {
    server = await startPortalServer('pglite', clock);
    clinic = await openClinic(dir.dir);
    const repos = clinic.session.repos;
    const docId = repos.users.list().find((u) => u.username === 'drhouse')!.id;
    const code = await server.sync.createEnrollmentCode('Exam room', 24, { operator: true });
    await enrollThisDevice(repos.store, repos, { serverUrl: server.url, code: code.code, deviceName: 'Exam room' });
    await signInClinicUsers(repos.store.sqlite);
    sync = clientFor(repos.store, repos, () => docId);

    const p = await clinic.ok<{ id: string; mrn: string }>('patients.create', {
      givenName: 'Mirela',
      familyName: 'Quennell',
      birthDate: '1961-04-02',
      sex: 'female',
      phone: '555-0101',
    });
    patientId = p.id;
    // An evening visit: 19:30 on 19 November in New York (the clinic's zone) is the 20th in UTC.
    const enc = await clinic.ok<{ id: string }>('encounters.create', {
      patientId,
      visitType: 'office_visit',
      reason: 'diabetes follow-up',
      startAt: '2026-11-20T00:30:00Z',
    });
    const units = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' };
    await clinic.ok('vitals.record', { patientId, encounterId: enc.id, takenAt: '2026-03-01T09:30:00Z', units, systolic: 128, diastolic: 82, weight: 70 });
    await clinic.ok('vitals.record', { patientId, takenAt: '2026-04-15T10:00:00Z', units, systolic: 135, diastolic: 88, weight: 71.5 });
    await clinic.ok('problems.add', { patientId, icd10: 'E11.9' });
    await clinic.ok('allergies.add', { kind: 'allergy', patientId, substance: 'Penicillin', substanceType: 'drug', reactions: ['Hives'], severity: 'severe' });
    await clinic.ok('immunizations.add', { patientId, cvx: '140', administeredOn: '2025-10-01', source: 'historical', lot: 'FLU-77' });
    await clinic.ok('meds.add', { patientId, name: 'Vitamin D' });
    const stopped = await clinic.ok<{ course: { courseId: string } }>('meds.add', { patientId, name: 'Ibuprofen' });
    await clinic.ok('meds.stop', { courseId: stopped.course.courseId, reason: 'stomach upset' });

    // A signed note with an addendum, a draft, and a signed note later marked entered in error.
    const templates = await clinic.ok<{ templates: { id: string; sections: { fields: { id: string; kind: string; required?: boolean }[] }[] }[] }>(
      'templates.list',
    );
    const soap = templates.templates.find((x) => x.id === 'primary-care-soap')!;
    const content: Record<string, unknown> = {};
    for (const f of soap.sections.flatMap((s) => s.fields))
      if (f.required && (f.kind === 'text' || f.kind === 'textarea')) content[f.id] = `Synthetic ${f.id} for the visit`;
    const sign = async (title: string): Promise<Note> => {
      const d = await clinic.ok<Note>('notes.saveDraft', { patientId, encounterId: enc.id, templateId: 'primary-care-soap', title, content });
      return clinic.ok<Note>('notes.sign', { id: d.id, expectedVersion: d.version, password: CLINIC.doc.password });
    };
    noteId = (await sign('Diabetes follow-up')).id;
    await clinic.ok('notes.addendum', { noteId, text: 'A1c reviewed by phone.', password: CLINIC.doc.password });
    await clinic.ok('notes.saveDraft', { patientId, templateId: 'primary-care-soap', title: 'Unfinished draft', content: {} });
    wrongNoteId = (await sign('Wrong chart note')).id;
    await clinic.ok('notes.enteredInError', { id: wrongNoteId, reason: 'documented on the wrong patient' });

    // Results from the lab: a final glucose (high), a preliminary potassium, a final pathology report.
    const at = hl7Time(Date.now() - DAY);
    const oru = [
      'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|PORTAL-1|P|2.5.1',
      `PID|1||${p.mrn}^^^^MR||Quennell^Mirela||19610402|F`,
      'OBR|1|PL-1^CAIRN|FI-1^ACME|24323-8^Metabolic panel^LN',
      `OBX|1|NM|2345-7^Glucose^LN||182|mg/dL|70-99|H|||F|||${at}`,
      `OBX|2|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.1|N|||P|||${at}`,
      'OBR|2|PL-2^CAIRN|FI-2^ACME|88305^Surgical pathology^CPT',
      `OBX|1|TX|22637-3^Pathology report final diagnosis^LN||Benign seborrheic keratosis||||||F|||${at}`,
    ].join('\r');
    expect(new Hl7Ingest(repos).receive(oru, 'portal-test')).toMatchObject({ ack: 'AA', patientId });
    for (let i = 0; i < 5; i++) if ((await sync.syncOnce()).pending === 0) break;

    const codeText = inviteCode();
    await seed(server, [invite(patientId, codeText)]);
    client = new PortalClient(server.url);
    const r = await client.register(codeText, '1961-04-02', 'mirela@example.org', { displayName: 'Mirela Quennell' });
    expect(r.status, r.text).toBe(200);
  });

  afterAll(async () => {
    clinic?.session.logout();
    await server?.stop();
    dir.cleanup();
  });

  it('shows problems, current medications, allergies, immunizations, vitals trends and visit summaries of signed notes', async () => {
    const r = await client.get<ChartSummary>(`/charts/${patientId}/summary`);
    expect(r.status, r.text).toBe(200);
    const s = r.body;
    expect(s.patient).toMatchObject({ patientId, name: 'Mirela Quennell', kind: 'self' });
    expect(s.problems).toEqual([expect.objectContaining({ code: 'E11.9', status: 'active', name: expect.stringMatching(/diabetes/i) as unknown })]);
    expect(s.medications.map((m) => m.name)).toEqual(['Vitamin D']);
    expect(s.allergies).toEqual([expect.objectContaining({ substance: 'Penicillin', reaction: 'Hives', severity: 'severe' })]);
    expect(s.immunizations).toEqual([expect.objectContaining({ date: '2025-10-01', lot: 'FLU-77', vaccine: expect.stringMatching(/influenza/i) as unknown })]);
    const weight = s.vitals.find((v) => v.kind === 'weight')!;
    expect(weight.points.map((pt) => pt.value)).toEqual([70, 71.5]);
    expect(s.vitals.find((v) => v.kind === 'systolic')!.points.map((pt) => pt.value)).toEqual([128, 135]);
    expect(s.visits.map((v) => v.title)).toEqual(['Diabetes follow-up']);
    expect(s.visits[0]).toMatchObject({ noteId, clinician: 'Dr. Gregory House', date: '2026-11-19' });
    expect(s.visits[0]!.text).toContain('Synthetic');
    expect(s.visits[0]!.text).toMatch(/Addendum by Dr\. Gregory House.*\nA1c reviewed by phone\./);
    // The visit's vitals, as the printed visit summary says them.
    expect(s.visits[0]!.text).toMatch(/\nVitals\nSystolic blood pressure: 128 .*\nDiastolic blood pressure: 82 .*\nBody weight: 70\.0 kg/);
    expect(JSON.stringify(s)).not.toMatch(/Unfinished draft|Wrong chart note|Ibuprofen/);
    expect(s.hiddenFromProxy).toBe(0);
  });

  it('shows final results with reference range and a plain flag; a pathology report only after its 3 days; everything released with its time', async () => {
    const results = (await client.get<ResultView[]>(`/charts/${patientId}/results`)).body;
    expect(results.map((x) => x.loinc)).toEqual(['2345-7']);
    expect(results[0]).toMatchObject({ name: 'Glucose', value: '182', unit: 'mg/dL', referenceRange: '70-99', flag: 'high', kind: null });
    const released = (await client.get<ReleasedItem[]>(`/charts/${patientId}/released`)).body;
    expect(released.map((x) => x.kind).sort()).toEqual(['result', 'visit_summary']);

    clock.advance(3 * DAY - 10 * 60_000);
    expect((await client.signIn('mirela@example.org')).status).toBe(200);
    expect((await client.get<ResultView[]>(`/charts/${patientId}/results`)).body.map((x) => x.loinc)).toEqual(['2345-7']);
    clock.advance(11 * 60_000);
    const later = (await client.get<ResultView[]>(`/charts/${patientId}/results`)).body;
    const path = later.find((x) => x.loinc === '22637-3')!;
    expect(path).toMatchObject({ kind: 'pathology', value: 'Benign seborrheic keratosis', flag: 'unknown' });
    expect(Date.parse(path.releasedAt)).toBeLessThanOrEqual(clock.now());
    expect(Date.parse(path.releasedAt) - Date.parse(results[0]!.releasedAt)).toBeGreaterThanOrEqual(3 * DAY - 60_000);
    const all = (await client.get<ReleasedItem[]>(`/charts/${patientId}/released`)).body;
    expect(all.find((x) => x.id === path.id)).toMatchObject({ kind: 'result', releasedAt: path.releasedAt });
    // The potassium stays out while it is preliminary.
    expect(later.some((x) => x.loinc === '2823-3')).toBe(false);
  });

  it('lists upcoming and past appointments and what may be booked online', async () => {
    const soon = new Date(clock.now() + 2 * DAY).toISOString();
    const gone = new Date(clock.now() - 20 * DAY).toISOString();
    const plus = (iso: string): string => new Date(Date.parse(iso) + 20 * 60_000).toISOString();
    await seed(server, [
      record('appointment', patientId, {
        appointment_type: 'follow-up',
        start_at: soon,
        end_at: plus(soon),
        status: 'scheduled',
        provider_id: null,
        booked_online: 1,
      }),
      record('appointment', patientId, {
        appointment_type: 'new-patient',
        start_at: gone,
        end_at: plus(gone),
        status: 'checked_out',
        provider_id: null,
        booked_online: 0,
      }),
    ]);
    const v = (await client.get<AppointmentsView>(`/charts/${patientId}/appointments`)).body;
    expect(v.upcoming).toEqual([expect.objectContaining({ start: soon, typeName: 'Follow-up', status: 'scheduled', bookedOnline: true, cancellable: true })]);
    expect(v.past).toEqual([expect.objectContaining({ start: gone, typeName: 'New patient', cancellable: false })]);
    expect(v.bookableTypes.map((t) => t.id)).toEqual(['follow-up', 'telehealth']);
  });

  it('prints the immunization record and the record summary, and gives the record as a valid FHIR bundle without unreleased results', async () => {
    const imm = await client.get(`/charts/${patientId}/immunizations.pdf`);
    expect(imm.status).toBe(200);
    expect(imm.headers.get('content-type')).toBe('application/pdf');
    // Named by the clinic's day (New York), which in its evening is not UTC's.
    expect(imm.headers.get('content-disposition')).toBe(
      `attachment; filename="immunizations-Mirela-Quennell-${clinicDate(clock.now(), 'America/New_York')}.pdf"`,
    );
    const immLines = pdfLines(Buffer.from(imm.text, 'latin1'));
    expect(immLines).toEqual(expect.arrayContaining(['Immunization record', 'Mirela Quennell   born 1961-04-02']));
    expect(immLines.join('\n')).toMatch(/2025-10-01 {3}.*\(FLU-77\)/);
    const rec = await client.get(`/charts/${patientId}/record.pdf`);
    const text = pdfLines(Buffer.from(rec.text, 'latin1')).join('\n');
    expect(text).toMatch(/Penicillin: Hives \(severe\)/);
    expect(text).toMatch(/Glucose: 182 mg\/dL \(high\); reference range 70-99/);
    expect(text).toContain('Diabetes follow-up');
    expect(text).not.toMatch(/Wrong chart note|Potassium/);
    // In Spanish for an account that reads Spanish.
    await client.post<SessionView>('/account/language', { language: 'es' });
    const es = pdfLines(Buffer.from((await client.get(`/charts/${patientId}/immunizations.pdf`)).text, 'latin1'));
    expect(es).toContain('Registro de vacunas');
    await client.post('/account/language', { language: 'en' });

    const fhir = await client.get<{ resourceType: string; type: string; entry: { fullUrl: string; resource: Record<string, unknown> }[] }>(
      `/charts/${patientId}/record.fhir.json`,
    );
    expect(fhir.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    expect(fhir.body).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const types = fhir.body.entry.map((e) => e.resource['resourceType']);
    expect(types[0]).toBe('Patient');
    expect(new Set(types)).toEqual(new Set(['Patient', 'Condition', 'AllergyIntolerance', 'MedicationRequest', 'Immunization', 'Encounter', 'Observation']));
    const codes = fhir.body.entry
      .filter((e) => e.resource['resourceType'] === 'Observation')
      .map((e) => (e.resource['code'] as { coding: { code: string }[] }).coding[0]!.code);
    expect(codes).toContain('2345-7');
    expect(codes).toContain('22637-3'); // released by now
    expect(codes).not.toContain('2823-3'); // preliminary
    expect(fhir.body.entry[0]!.fullUrl).toBe(`${server.url}/fhir/R4/Patient/${patientId}`);
    const invalid = fhir.body.entry.map((e) => validateFhir(e.resource)).filter((v) => !v.ok);
    expect(invalid.flatMap((v) => v.issues)).toEqual([]);
  });

  it('downloads the record as a C-CDA CCD that validates, holds what the portal shows and re-imports', async () => {
    const res = await client.get(`/charts/${patientId}/record.ccda.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/xml/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.ccda\.xml"/);
    const xml = res.text;
    const valid = validateCda(xml);
    expect(valid.errors).toEqual([]);
    const read = readCcda(xml);
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.header.docType).toBe('CCD');
    expect(read.value.skipped).toEqual([]);
    const counts = countEntries(read.value);
    expect(counts.problems).toBeGreaterThan(0);
    expect(counts.allergies).toBeGreaterThan(0);
    expect(counts.immunizations).toBeGreaterThan(0);
    const loincs = read.value.results.map((r) => r.code?.code);
    expect(loincs).toContain('2345-7');
    expect(loincs).toContain('22637-3'); // released by now
    expect(loincs).not.toContain('2823-3'); // preliminary
    expect(xml).not.toMatch(/Wrong chart note|Potassium/);
  });

  it('audits every read with the account as actor and the chart as patient', async () => {
    const actions = (await portalAudit(server, 'patient_id = $1', [patientId])).map((e) => e.action);
    for (const a of [
      'portal.summary',
      'portal.results',
      'portal.released',
      'portal.appointments',
      'portal.immunization_record',
      'portal.record_pdf',
      'portal.record_fhir',
      'portal.record_ccda',
    ])
      expect(actions, a).toContain(a);
    const entries = await portalAudit(server, `patient_id = $1 AND action = 'portal.summary'`, [patientId]);
    expect(entries[0]).toMatchObject({ detail: 'self', user_id: expect.stringMatching(/^portal:/) as unknown });
  });

  it('hides what the clinic marked confidential from the parent of a 14-year-old (counted, never named), but not from the parent of a 9-year-old', async () => {
    const today = new Date(clock.now());
    const born = (years: number): string => `${today.getUTCFullYear() - years}-01-01`;
    const teen = patient({ given: 'Ivy', family: 'Marlow', birthDate: born(14) });
    const small = patient({ given: 'Leo', family: 'Marlow', birthDate: born(9) });
    const parent = patient({ given: 'Nora', family: 'Marlow', birthDate: '1985-02-02' });
    const problem = (pid: string, display: string): ReturnType<typeof record> =>
      record('condition', pid, { display, icd10: 'Z00.0', clinical_status: 'active', onset_date: '2025-01-01' });
    const secret = problem(teen.id, 'Confidential counselling matter');
    const open = problem(teen.id, 'Seasonal allergies');
    const smallSecret = problem(small.id, 'Marked but too young to be hidden');
    const mark = (pid: string, recordType: string, recordId: string): ReturnType<typeof record> =>
      record('portal_confidential', pid, { record_type: recordType, record_id: recordId, hidden: 1, reason: 'adolescent confidential care' });
    const [c1, c2, c3] = [inviteCode(), inviteCode(), inviteCode()];
    await seed(server, [
      teen,
      small,
      parent,
      secret,
      open,
      smallSecret,
      mark(teen.id, 'condition', secret.id),
      mark(small.id, 'condition', smallSecret.id),
      invite(parent.id, c1),
      invite(teen.id, c2, { kind: 'proxy' }),
      invite(small.id, c3, { kind: 'proxy' }),
    ]);
    const nora = new PortalClient(server.url);
    expect((await nora.register(c1, '1985-02-02', 'nora@example.org', { displayName: 'Nora Marlow' })).status).toBe(200);
    expect((await nora.post('/account/link', { code: c2, birthDate: teen.fields['birth_date'] })).status).toBe(200);
    const linked = await nora.post<SessionView>('/account/link', { code: c3, birthDate: small.fields['birth_date'] });
    expect(linked.body.charts.map((c) => `${c.name}:${c.kind}`)).toEqual(['Nora Marlow:self', 'Ivy Marlow:proxy', 'Leo Marlow:proxy']);
    const ivy = (await nora.get<ChartSummary>(`/charts/${teen.id}/summary`)).body;
    expect(ivy.problems.map((p) => p.name)).toEqual(['Seasonal allergies']);
    expect(ivy.hiddenFromProxy).toBe(1);
    for (const path of ['record.pdf', 'record.fhir.json', 'record.ccda.xml'])
      expect((await nora.get(`/charts/${teen.id}/${path}`)).text).not.toContain('Confidential counselling');
    const leo = (await nora.get<ChartSummary>(`/charts/${small.id}/summary`)).body;
    expect(leo.problems.map((p) => p.name)).toEqual(['Marked but too young to be hidden']);
    expect(leo.hiddenFromProxy).toBe(0);
    const audit = await portalAudit(server, `patient_id = $1 AND action = 'portal.summary'`, [teen.id]);
    expect(audit[0]!.detail).toBe('proxy');
  });
});
