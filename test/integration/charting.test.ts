import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartSummary, VitalObservation, VitalTrend } from '../../shared/domain/chart';
import type { Allergy, Encounter, Icd10Code, Immunization, Note, Problem } from '../../shared/domain/clinical';
import type { Patient } from '../../shared/domain/patient';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

describe('charting over a real encrypted database', () => {
  const t = tempDir('cairn-chart-');
  let c: Clinic;
  let patient: Patient;
  let visit: Encounter;

  beforeAll(async () => {
    c = await openClinic(t.dir);
    patient = await c.ok<Patient>('patients.create', { givenName: 'Ana', familyName: 'Lima', birthDate: '1970-06-15', sex: 'female' });
    visit = await c.ok<Encounter>('encounters.create', { patientId: patient.id, visitType: 'office_visit', reason: 'Follow-up of blood pressure' });
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('starts a visit in progress with the signed-in provider and refuses going backwards', async () => {
    expect(visit).toMatchObject({ status: 'in_progress', providerName: 'Dr. Gregory House', reason: 'Follow-up of blood pressure' });
    const r = await c.call('encounters.setStatus', { id: visit.id, status: 'planned' });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('drafts, signs with re-authentication, refuses edits, takes addenda and marks entered in error', async () => {
    const draft = await c.ok<Note>('notes.saveDraft', {
      patientId: patient.id,
      encounterId: visit.id,
      templateId: 'primary-care-soap',
      title: 'SOAP note',
      content: {},
    });
    expect(draft.status).toBe('draft');
    const templates = await c.ok<{ templates: { id: string; sections: { fields: { id: string; kind: string; required?: boolean }[] }[] }[] }>('templates.list');
    const soap = templates.templates.find((x) => x.id === 'primary-care-soap')!;
    // Fill every required text field so the note can be signed.
    const content: Record<string, unknown> = {};
    for (const f of soap.sections.flatMap((s) => s.fields)) if (f.required && (f.kind === 'text' || f.kind === 'textarea')) content[f.id] = `Synthetic ${f.id}`;
    const saved = await c.ok<Note>('notes.saveDraft', {
      id: draft.id,
      expectedVersion: draft.version,
      patientId: patient.id,
      encounterId: visit.id,
      templateId: 'primary-care-soap',
      title: 'SOAP note',
      content,
    });
    // A stale version is refused rather than overwriting the newer draft.
    expect(
      await c.call('notes.saveDraft', {
        id: draft.id,
        expectedVersion: draft.version,
        patientId: patient.id,
        templateId: 'primary-care-soap',
        title: 'SOAP note',
        content: {},
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await c.call('notes.sign', { id: draft.id, expectedVersion: saved.version, password: 'wrong password' })).toMatchObject({
      ok: false,
      error: { code: 'bad_credentials' },
    });
    const signed = await c.ok<Note>('notes.sign', { id: draft.id, expectedVersion: saved.version, password: CLINIC.doc.password });
    expect(signed).toMatchObject({ status: 'signed', authorName: 'Dr. Gregory House' });
    expect(signed.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(c.session.repos.notes.verify(signed)).toBe(true);

    const edit = await c.call('notes.saveDraft', {
      id: draft.id,
      expectedVersion: signed.version,
      patientId: patient.id,
      templateId: 'primary-care-soap',
      title: 'SOAP note',
      content: {},
    });
    expect(edit).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('add an addendum') as unknown } });

    const addendum = await c.ok<Note>('notes.addendum', { noteId: draft.id, text: 'BP recheck 128/82 before leaving.', password: CLINIC.doc.password });
    expect(addendum).toMatchObject({ kind: 'addendum', status: 'signed', amendsNoteId: draft.id });
    const wrong = await c.ok<Note>('notes.enteredInError', { id: draft.id, reason: 'documented on the wrong patient' });
    expect(wrong).toMatchObject({ status: 'entered_in_error', errorReason: 'documented on the wrong patient', contentHash: signed.contentHash });
    const all = await c.ok<Note[]>('notes.list', { patientId: patient.id });
    expect(all.map((n) => n.id)).toEqual([draft.id, addendum.id]);

    const pdf = await c.ok<{ fileName: string; base64: string }>('notes.pdf', { id: draft.id });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.fileName).toMatch(/^visit-summary-\d{7}-\d{4}-\d{2}-\d{2}\.pdf$/);
  });

  it('records vitals entered in lb, in and °F as UCUM, computes BMI, flags and refuses the impossible', async () => {
    const obs = await c.ok<VitalObservation[]>('vitals.record', {
      patientId: patient.id,
      encounterId: visit.id,
      takenAt: '2026-11-25T09:30:00Z',
      units: { weight: 'lb', height: 'in', temperature: '[degF]', headCircumference: 'in' },
      systolic: 152,
      diastolic: 94,
      heartRate: 72,
      temperature: 100.4,
      weight: 154,
      height: 65,
    });
    const by = Object.fromEntries(obs.map((o) => [o.kind, o]));
    expect(by['weight']).toMatchObject({ value: 69.853, unit: 'kg', enteredAs: '154 lb' });
    expect(by['height']).toMatchObject({ value: 165.1, unit: 'cm' });
    expect(by['temperature']).toMatchObject({ value: 38, unit: 'Cel', interpretation: 'H' });
    expect(by['bmi']).toMatchObject({ value: 25.6, unit: 'kg/m2' });
    expect(by['systolic']).toMatchObject({ interpretation: 'H' });
    const impossible = await c.call('vitals.record', {
      patientId: patient.id,
      takenAt: '2026-11-25T09:30:00Z',
      units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
      systolic: 900,
      diastolic: 80,
      temperature: 60,
      weight: 0,
    });
    expect(impossible.ok).toBe(false);
    if (!impossible.ok) {
      const paths = impossible.error.issues?.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['systolic', 'temperature', 'weight']));
      expect(impossible.error.message).toMatch(/systolic 900/);
    }
    await c.ok('vitals.record', {
      patientId: patient.id,
      takenAt: '2026-11-26T09:30:00Z',
      units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
      systolic: 138,
      diastolic: 88,
    });
    const trends = await c.ok<VitalTrend[]>('vitals.trends', { patientId: patient.id });
    const sys = trends.find((x) => x.kind === 'systolic')!;
    expect(sys.points.map((p) => p.value)).toEqual([152, 138]);
    expect(sys.band).not.toBeNull();
  });

  it('adds problems by ICD-10-CM code found by words, only billable ones', async () => {
    const found = await c.ok<Icd10Code[]>('problems.searchCodes', { query: 'hypert' });
    expect(found[0]).toMatchObject({ code: 'I10', billable: true });
    expect((await c.ok<Icd10Code[]>('problems.searchCodes', { query: 'diab typ 2' })).slice(0, 3).map((x) => x.code)).toContain('E11.9');
    expect((await c.ok<Icd10Code[]>('problems.searchCodes', { query: 'E11.9' }))[0]?.code).toBe('E11.9');
    const header = await c.call('problems.add', { patientId: patient.id, icd10: 'E11' });
    expect(header).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('category header') as unknown } });
    expect(await c.call('problems.add', { patientId: patient.id, icd10: 'Z99.999' })).toMatchObject({ ok: false });
    const p = await c.ok<Problem>('problems.add', { patientId: patient.id, icd10: 'I10', chronic: true });
    expect(p).toMatchObject({ icd10: 'I10', display: 'Essential (primary) hypertension', status: 'active', chronic: true });
    expect(await c.call('problems.add', { patientId: patient.id, icd10: 'i10' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const resolved = await c.ok<Problem>('problems.update', { id: p.id, expectedVersion: p.version, status: 'resolved' });
    expect(resolved.status).toBe('resolved');
    await c.ok('problems.update', { id: p.id, expectedVersion: resolved.version, status: 'active' });
  });

  it('keeps "no known allergies" distinct from "not reviewed", and an allergy retires it', async () => {
    const other = await c.ok<Patient>('patients.create', { givenName: 'Ben', familyName: 'Okafor', birthDate: '2001-02-03' });
    expect((await c.ok<{ allergyStatus: unknown }>('patients.chartHeader', { id: other.id })).allergyStatus).toEqual({ kind: 'unknown' });
    await c.ok('allergies.add', { kind: 'nka', patientId: other.id });
    expect((await c.ok<{ allergyStatus: unknown }>('patients.chartHeader', { id: other.id })).allergyStatus).toEqual({ kind: 'nka' });
    const pcn = await c.ok<Allergy>('allergies.add', {
      kind: 'allergy',
      patientId: other.id,
      substance: 'Penicillin',
      substanceType: 'drug',
      reactions: ['hives'],
      severity: 'moderate',
      criticality: 'high',
    });
    expect(pcn.substanceCode).toBeNull(); // typed free text: uncoded
    expect((await c.ok<{ allergyStatus: unknown }>('patients.chartHeader', { id: other.id })).allergyStatus).toEqual({
      kind: 'allergies',
      substances: ['Penicillin'],
    });
    expect(await c.call('allergies.add', { kind: 'nka', patientId: other.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await c.call('allergies.add', { kind: 'allergy', patientId: other.id, substance: 'penicillin', substanceType: 'drug' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('records immunizations by CVX and refuses unknown codes and expired lots', async () => {
    const flu = await c.ok<Immunization>('immunizations.add', {
      patientId: patient.id,
      cvx: '150',
      administeredOn: '2026-10-01',
      source: 'administered',
      lot: 'FL123',
      expirationDate: '2027-06-30',
      site: 'Left deltoid',
      route: 'IM',
    });
    expect(flu.vaccine).toMatch(/[Ii]nfluenza/);
    expect(await c.call('immunizations.add', { patientId: patient.id, cvx: '555', administeredOn: '2026-10-01', source: 'historical' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(
      await c.call('immunizations.add', {
        patientId: patient.id,
        cvx: '150',
        administeredOn: '2026-10-01',
        source: 'administered',
        lot: 'OLD',
        expirationDate: '2026-01-01',
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('expired') as unknown } });
  });

  it('assembles the face sheet', async () => {
    const s = await c.ok<ChartSummary>('chart.summary', { patientId: patient.id });
    expect(s.patient.id).toBe(patient.id);
    expect(s.problems.map((p) => p.icd10)).toEqual(['I10']);
    expect(s.lastVitals.find((v) => v.kind === 'systolic')).toMatchObject({ value: 138, previous: 152, trend: 'down' });
    expect(s.recentNotes.length).toBe(2);
    expect(Array.isArray(s.immunizationsDue)).toBe(true);
  });

  it('wrote an audit entry and an outbox entry for every clinical write, and the chain holds', () => {
    expect(c.session.repos.outbox.pending()).toBeGreaterThan(15);
    expect(c.session.repos.audit.firstBroken()).toBeNull();
    const actions = c.session.repos.audit.list({ patientId: patient.id }).map((e) => e.action);
    for (const a of [
      'encounter.create',
      'note.create',
      'note.sign',
      'note.addendum',
      'note.entered_in_error',
      'vitals.record',
      'problem.add',
      'immunization.add',
      'chart.open',
    ])
      expect(actions).toContain(a);
  });

  it('front desk cannot write clinical data', async () => {
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
    await c.ok('users.create', { username: 'frontdesk', displayName: 'Fran Desk', role: 'front_desk', password: 'copper lantern 24' });
    await c.ok('session.logout');
    await c.ok('session.login', { username: 'frontdesk', password: 'copper lantern 24' });
    expect(await c.call('problems.add', { patientId: patient.id, icd10: 'E11.9' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await c.call('notes.list', { patientId: patient.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.doc.username, password: CLINIC.doc.password });
  });
});
