import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDrugKnowledge } from '../../electron/services/drugs/knowledge';
import { Resources } from '../../electron/services/resources/resources';
import { controlledSchedule } from '../../shared/domain/drugs';
import type { Patient } from '../../shared/domain/patient';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { pdfLines } from '../helpers/pdf-text';
import { tempDir } from '../helpers/temp-db';

const SIG = { doseAmount: 1, doseUnit: 'tablet', route: 'oral', frequency: 'q6h', prn: true, quantity: 12, quantityUnit: 'tablet', refills: 0 };

describe('the printed prescription', () => {
  const t = tempDir('cairn-rx-pdf-');
  let c: Clinic;
  let patient: Patient;
  beforeAll(async () => {
    c = await openClinic(t.dir);
    patient = await c.ok<Patient>('patients.create', { givenName: 'Otto', familyName: 'Printer', birthDate: '1966-06-06', sex: 'male' });
  });
  afterAll(() => {
    c?.session.close();
    t.cleanup();
  });

  const print = async (query: string): Promise<string[]> => {
    const [drug] = await c.ok<{ rxcui: string }[]>('meds.searchDrugs', { query });
    const rx = await c.ok<{ prescriptionId: string }>('meds.prescribe', { patientId: patient.id, rxcui: drug!.rxcui, sig: SIG, password: CLINIC.doc.password });
    const pdf = await c.ok<{ base64: string }>('meds.prescriptionPdf', { id: rx.prescriptionId });
    return pdfLines(Buffer.from(pdf.base64, 'base64'));
  };

  it('a controlled drug prints its schedule and the DEA line; every prescription prints the clinic, the NPI line and a signature line', async () => {
    const oxy = (await print('oxycodone hydrochloride 5 MG Oral Tablet')).join('\n');
    expect(oxy).toContain('Test Clinic');
    expect(oxy).toMatch(/Prescriber: .+ {4}NPI /);
    expect(oxy).toMatch(/DEA .* {4}Schedule C-II controlled substance/);
    expect(oxy).toMatch(/^Signature: _+/m);

    const lisinopril = (await print('lisinopril 10')).join('\n');
    expect(lisinopril).toMatch(/^Signature: _+/m);
    expect(lisinopril).toMatch(/NPI /);
    expect(lisinopril).not.toMatch(/DEA|Schedule/);
  });

  it('schedules come from the federal table: a codeine combination of 30 mg is C-III, codeine alone C-II, a benzodiazepine C-IV', () => {
    const k = loadDrugKnowledge(new Resources('resources'));
    const byName = (re: RegExp): Parameters<typeof controlledSchedule>[0] => k.knowledge.drugs.find((d) => re.test(d.name))!;
    expect(controlledSchedule(byName(/codeine phosphate 30 MG/i), k.controlled)).toBe('CIII');
    expect(controlledSchedule(byName(/^codeine sulfate/i), k.controlled)).toBe('CII');
    expect(controlledSchedule(byName(/^alprazolam/i), k.controlled)).toBe('CIV');
    expect(controlledSchedule(byName(/^pregabalin/i), k.controlled)).toBe('CV');
    expect(controlledSchedule(byName(/^lisinopril/i), k.controlled)).toBeNull();
  });
});
