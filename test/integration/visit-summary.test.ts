import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encounter, Note } from '../../shared/domain/clinical';
import type { Patient } from '../../shared/domain/patient';
import { openClinic, type Clinic } from '../helpers/clinic';
import { pdfLines } from '../helpers/pdf-text';
import { tempDir } from '../helpers/temp-db';

describe('the visit summary PDF prints vitals in the units they were typed in', () => {
  const t = tempDir('cairn-visit-summary-');
  let c: Clinic;
  let patient: Patient;
  let visit: Encounter;

  beforeAll(async () => {
    c = await openClinic(t.dir);
    patient = await c.ok<Patient>('patients.create', { givenName: 'Otto', familyName: 'Pike', birthDate: '1966-09-12', sex: 'male' });
    visit = await c.ok<Encounter>('encounters.create', { patientId: patient.id, visitType: 'office_visit', reason: 'Annual visit' });
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('shows lb, °F and in as typed with the stored metric value beside, and blood pressure in mmHg', async () => {
    await c.ok('vitals.record', {
      patientId: patient.id,
      encounterId: visit.id,
      takenAt: new Date().toISOString(),
      units: { weight: 'lb', height: 'in', temperature: '[degF]', headCircumference: 'in' },
      systolic: 128,
      diastolic: 82,
      heartRate: 71,
      temperature: 98.6,
      weight: 154,
      height: 70,
    });
    const note = await c.ok<Note>('notes.saveDraft', {
      patientId: patient.id,
      encounterId: visit.id,
      templateId: 'primary-care-soap',
      title: 'SOAP note',
      content: {},
    });
    const pdf = await c.ok<{ base64: string }>('notes.pdf', { id: note.id });
    const lines = pdfLines(Buffer.from(pdf.base64, 'base64'));
    expect(lines).toContain('Vitals');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Body weight: 154 lb (69.9 kg)',
        'Body temperature: 98.6 °F (37.0 °C)',
        'Body height: 70 in (177.8 cm)',
        'Systolic blood pressure: 128 mmHg',
        // 82 diastolic is stage 1 hypertension by ACC/AHA 2017, the default adult guideline: flagged H.
        'Diastolic blood pressure: 82 mmHg (H)',
        'Heart rate: 71/min',
        'Body mass index (BMI) [Ratio]: 22.1 kg/m²',
      ]),
    );
    // Never the storage codes a person does not write.
    expect(lines.join('\n')).not.toMatch(/mm\[Hg\]|\[degF\]|\bCel\b|kg\/m2/);
  });
});
