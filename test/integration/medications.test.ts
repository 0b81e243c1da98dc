import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedAlert } from '../../shared/domain/drugs';
import type { MedicationCourse } from '../../shared/domain/medications';
import type { Patient } from '../../shared/domain/patient';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

type Hit = { rxcui: string; name: string };
const SIG = {
  doseAmount: 5,
  doseUnit: 'mg',
  route: 'oral',
  frequency: 'qd',
  prn: false,
  quantity: 30,
  quantityUnit: 'tablet',
  refills: 1,
  indication: 'atrial fibrillation',
};

describe('medications and prescribing safety over a real encrypted database', () => {
  const t = tempDir('cairn-meds-');
  let c: Clinic;
  let patient: Patient;
  const rx = async (name: string): Promise<string> => {
    const hits = await c.ok<Hit[]>('meds.searchDrugs', { query: name });
    const hit = hits.find((h) => h.name.toLowerCase().startsWith(name.toLowerCase())) ?? hits[0];
    if (!hit) expect.fail(`no drug found for "${name}"`);
    return hit.rxcui;
  };

  beforeAll(async () => {
    c = await openClinic(t.dir);
    patient = await c.ok<Patient>('patients.create', { givenName: 'Walter', familyName: 'Farin', birthDate: '1950-01-20', sex: 'male' });
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('derives the list from events and keeps the history', async () => {
    const { course } = await c.ok<{ course: MedicationCourse }>('meds.add', { patientId: patient.id, rxcui: await rx('ibuprofen'), dose: '400 mg as needed' });
    expect(course).toMatchObject({ status: 'active', uncoded: false });
    const changed = await c.ok<MedicationCourse>('meds.change', { courseId: course.courseId, dose: '200 mg as needed', reason: 'stomach upset at 400 mg' });
    expect(changed.events.map((e) => e.event)).toEqual(['start', 'change']);
    expect(changed.dose).toBe('200 mg as needed');
  });

  it('marks free text uncoded and says no checks ran on it', async () => {
    const { course } = await c.ok<{ course: MedicationCourse }>('meds.add', { patientId: patient.id, name: 'Herbal sleep tea' });
    expect(course.uncoded).toBe(true);
    const check = await c.ok<{ uncodedNotChecked: string[] }>('meds.check', { patientId: patient.id, rxcui: await rx('lisinopril') });
    expect(check.uncodedNotChecked).toContain('Herbal sleep tea');
  });

  it('shows the warfarin–NSAID alert, refuses to prescribe without a reason, and audits the override', async () => {
    const warfarin = await rx('warfarin');
    const check = await c.ok<{ alerts: MedAlert[] }>('meds.check', { patientId: patient.id, rxcui: warfarin });
    const nsaid = check.alerts.find((a) => a.kind === 'drug-drug');
    expect(nsaid).toMatchObject({ severity: 'major' });
    expect(nsaid?.message.toLowerCase()).toMatch(/ibuprofen|nsaid/);
    const refused = await c.call('meds.prescribe', { patientId: patient.id, rxcui: warfarin, sig: SIG, password: CLINIC.doc.password });
    expect(refused).toMatchObject({ ok: false, error: { code: 'needs_override' } });
    expect(
      await c.call('meds.prescribe', {
        patientId: patient.id,
        rxcui: warfarin,
        sig: SIG,
        overrides: [{ ruleId: nsaid!.ruleId, reason: 'NSAID being stopped; INR in 3 days' }],
        password: 'wrong',
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_credentials' } });
    const done = await c.ok<{ prescriptionId: string; courseId: string }>('meds.prescribe', {
      patientId: patient.id,
      rxcui: warfarin,
      sig: SIG,
      overrides: [{ ruleId: nsaid!.ruleId, reason: 'NSAID being stopped; INR in 3 days' }],
      password: CLINIC.doc.password,
    });
    const overrides = c.session.repos.audit.list({ patientId: patient.id }).filter((e) => e.action === 'med.alert_override');
    expect(overrides).toHaveLength(1);
    expect(overrides[0]?.detail).toContain('NSAID being stopped; INR in 3 days');
    const pdf = await c.ok<{ base64: string }>('meds.prescriptionPdf', { id: done.prescriptionId });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const req = c.session.repos.medications.prescription(done.prescriptionId);
    expect(JSON.parse(req.medicationRequest)).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { coding: [{ code: warfarin }] },
      dispenseRequest: { numberOfRepeatsAllowed: 1 },
    });
  });

  it('checks a new allergy against the current list', async () => {
    const amox = await rx('amoxicillin');
    await c.ok('meds.add', { patientId: patient.id, rxcui: amox });
    const allergy = await c.ok<{ alerts: MedAlert[] }>('allergies.add', {
      kind: 'allergy',
      patientId: patient.id,
      substance: 'Penicillin',
      substanceType: 'drug',
      reactions: ['hives'],
    });
    expect(allergy.alerts.some((a) => a.kind === 'drug-allergy' && a.severity === 'contraindicated')).toBe(true);
  });

  it('reconciles every current medication and records who and when', async () => {
    const { courses } = await c.ok<{ courses: MedicationCourse[] }>('meds.list', { patientId: patient.id });
    const active = courses.filter((x) => x.status === 'active');
    const partial = await c.call('meds.reconcile', { patientId: patient.id, items: [{ courseId: active[0]!.courseId, action: 'continue' }] });
    expect(partial).toMatchObject({ ok: false, error: { message: expect.stringContaining('decide on every current medication') as unknown } });
    const items = active.map((x) =>
      x.drugName.toLowerCase().includes('ibuprofen')
        ? { courseId: x.courseId, action: 'stop', reason: 'interaction with warfarin' }
        : { courseId: x.courseId, action: 'continue' },
    );
    await c.ok('meds.reconcile', { patientId: patient.id, items, additions: [{ name: 'Fish oil capsules', source: 'patient-reported' }] });
    const after = await c.ok<{ courses: MedicationCourse[]; lastReconciliation: { reconciledBy: string } }>('meds.list', { patientId: patient.id });
    expect(after.lastReconciliation.reconciledBy).toBe('Dr. Gregory House');
    expect(after.courses.find((x) => x.drugName.toLowerCase().includes('ibuprofen'))?.status).toBe('stopped');
    expect(after.courses.find((x) => x.drugName === 'Fish oil capsules')).toMatchObject({ status: 'active', uncoded: true });
    expect(c.session.repos.audit.firstBroken()).toBeNull();
  });
});
