import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

// RxNorm codes in resources/drugs/drugs.json.
const APAP_325 = '313782'; // Acetaminophen 325 MG Oral Tablet
const OXY_APAP = '1049221'; // Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet

const sig = (doseAmount: number, doseUnit: string, frequency: string) => ({
  doseAmount,
  doseUnit,
  route: 'oral',
  frequency,
  prn: false,
  quantity: 120,
  quantityUnit: 'tablet',
  refills: 0,
  indication: 'pain',
});

interface Alert {
  kind: string;
  severity: string;
  message: string;
}

describe("an ingredient's daily total across every product on the list", () => {
  const t = tempDir('cairn-apap-');
  let c: Clinic;
  let p: Patient;
  let apapCourse: string;
  beforeAll(async () => {
    c = await openClinic(t.dir);
    p = await c.ok<Patient>('patients.create', { givenName: 'Ada', familyName: 'Painfree', birthDate: '1961-02-03', sex: 'female' });
    const done = await c.ok<{ courseId: string }>('meds.prescribe', {
      patientId: p.id,
      rxcui: APAP_325,
      sig: sig(1000, 'mg', 'qid'),
      password: CLINIC.doc.password,
    });
    apapCourse = done.courseId;
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('counts acetaminophen already taken (1 g four times a day) with the new oxycodone/acetaminophen order and names both products', async () => {
    const r = await c.ok<{ alerts: Alert[] }>('meds.check', { patientId: p.id, rxcui: OXY_APAP, dose: { amount: 2, unit: 'tablet', perDay: 4 } });
    const total = r.alerts.find((a) => a.kind === 'dose' && /acetaminophen/i.test(a.message) && /6,?600/.test(a.message));
    expect(total, JSON.stringify(r.alerts)).toBeDefined();
    expect(total!.message).toMatch(/Acetaminophen 325 MG Oral Tablet/i);
    expect(total!.message).toMatch(/Oxycodone/i);
  });

  it('checks a changed dose against the other products, not against the course it replaces', async () => {
    // 975 mg four times a day (3.9 g) alone is under the 4 g maximum; counting the old 4 g too would alert.
    const changed = await c.ok<{ courseId: string }>('meds.change', {
      courseId: apapCourse,
      sig: sig(975, 'mg', 'qid'),
      reason: 'lower dose after liver panel',
    });
    expect(changed.courseId).toBe(apapCourse);
    const list = await c.ok<{ courses: { courseId: string; status: string; events: { event: string }[] }[] }>('meds.list', { patientId: p.id });
    const course = list.courses.find((x) => x.courseId === apapCourse)!;
    expect(course.events.map((e) => e.event)).toEqual(['start', 'change']);
  });
});
