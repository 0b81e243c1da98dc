/**
 * Synthetic patients for the C-CDA writer's tests: one with every section filled (and text that
 * needs escaping), one with nothing, and a ten-year chart for the timing scratch. No real data.
 */
import { OID, type Code, type Coded, type CcdaExport, type ObservationEntry } from '../../../shared/ccda/model';
import { mulberry32 } from '../../helpers/prng';

const code = (c: string, system: string, display: string | null, systemName: string | null = null): Code => ({ code: c, system, systemName, display });
const coded = (c: Code | null, name: string, translations: Code[] = []): Coded => ({ code: c, translations, name });
const snomed = (c: string, d: string): Code => code(c, OID.snomed, d, 'SNOMED CT');
const loinc = (c: string, d: string): Code => code(c, OID.loinc, d, 'LOINC');
const ucum = (value: number, unit: string): { kind: 'quantity'; value: number; unit: string } => ({ kind: 'quantity', value, unit });

const ORG = {
  id: '0190f3a2-7b1c-7d3e-9a4b-5c6d7e8f9a0b',
  name: 'Cedar Ridge Family Medicine',
  phone: '+1 (555) 201-3300',
  address: { lines: ['12 Birch Lane', 'Suite 4'], city: 'Springfield', state: 'OR', postalCode: '97477', country: 'US' },
};

function base(
  kind: CcdaExport['kind'],
): Omit<CcdaExport, 'problems' | 'medications' | 'allergies' | 'immunizations' | 'results' | 'vitals' | 'encounters' | 'procedures' | 'smoking'> {
  return {
    kind,
    documentId: '0190f3a2-0000-7000-8000-00000000d0c1',
    effectiveTime: '2026-11-20T14:05:00.000Z',
    patient: {
      mrn: 'CR-000123',
      ids: [{ root: '2.16.840.1.113883.4.1', extension: '999-00-1234' }],
      given: ['Ada', 'Marie'],
      family: 'O\'Brien & <Sons> "Test"',
      birthDate: '1958-03-14',
      sex: 'female',
      phone: '+1 555 201 4455',
      email: 'ada.obrien@example.org',
      address: { lines: ['77 Hollow Rd'], city: 'Springfield', state: 'OR', postalCode: '97477', country: 'US' },
      race: code('2106-3', '2.16.840.1.113883.6.238', 'White', 'Race & Ethnicity - CDC'),
      ethnicity: code('2186-5', '2.16.840.1.113883.6.238', 'Not Hispanic or Latino', 'Race & Ethnicity - CDC'),
      language: 'en',
    },
    organization: ORG,
    author: { name: 'Maya Okafor', npi: '1234567893' },
  };
}

const cbc = (date: string): ObservationEntry[] => {
  const panel = coded(loinc('58410-2', 'CBC panel - Blood by Automated count'), 'CBC panel');
  const r = (c: string, name: string, value: number, unit: string, range: string, interp: string | null): ObservationEntry => ({
    ...coded(loinc(c, name), name),
    panel,
    value: ucum(value, unit),
    interpretation: interp,
    referenceRange: range,
    date,
    status: 'completed',
  });
  return [
    r('6690-2', 'WBC', 11.2, '10*3/uL', '4.0-10.5 10*3/uL', 'H'),
    r('718-7', 'Hemoglobin', 13.4, 'g/dL', '12.0-16.0 g/dL', 'N'),
    r('777-3', 'Platelets', 250, '10*3/uL', '150-400', 'N'),
  ];
};

/** A chart with every section filled, several entries each, edge cases included. */
export function richPatient(kind: CcdaExport['kind'] = 'ccd'): CcdaExport {
  return {
    ...base(kind),
    problems: [
      { ...coded(snomed('38341003', 'Hypertensive disorder'), 'Hypertension'), onset: '2015-06', resolved: null, status: 'active' },
      {
        ...coded(code('E11.9', OID.icd10cm, 'Type 2 diabetes mellitus without complications', 'ICD-10-CM'), 'Type 2 diabetes', [
          snomed('44054006', 'Diabetes mellitus type 2'),
        ]),
        onset: '2018-02-03',
        resolved: null,
        status: 'active',
      },
      {
        ...coded(snomed('195662009', 'Acute viral pharyngitis'), 'Sore throat <viral> & "acute"'),
        onset: '2024-01-10',
        resolved: '2024-01-20',
        status: 'resolved',
      },
      { ...coded(null, 'Something uncoded'), onset: null, resolved: null, status: 'unknown' },
    ],
    medications: [
      {
        ...coded(code('197361', OID.rxnorm, 'Amlodipine 5 MG Oral Tablet', 'RxNorm'), 'Amlodipine 5 mg tablet'),
        dose: { value: 1, unit: '{tbl}' },
        route: code('C38288', OID.routeOfAdministration, 'ORAL', 'FDA Route of Administration'),
        frequency: 'once daily',
        instructions: 'Take 1 tablet by mouth every morning & with water',
        start: '2015-06-20',
        end: null,
        status: 'active',
      },
      {
        ...coded(code('860975', OID.rxnorm, 'metformin hydrochloride 500 MG Extended Release Oral Tablet', 'RxNorm'), 'Metformin ER 500 mg'),
        dose: { value: 500, unit: 'mg' },
        route: code('C38288', OID.routeOfAdministration, 'ORAL', null),
        frequency: 'every 12 hours',
        instructions: null,
        start: '2018-02',
        end: null,
        status: 'active',
      },
      {
        ...coded(code('308182', OID.rxnorm, 'Amoxicillin 250 MG Oral Capsule', 'RxNorm'), 'Amoxicillin 250 mg'),
        dose: { value: 0.5, unit: 'g' },
        route: null,
        frequency: 'as needed for pain',
        instructions: 'Finish the course',
        start: '2024-01-10T09:30:00-05:00',
        end: '2024-01-20',
        status: 'completed',
      },
    ],
    allergies: [
      {
        ...coded(code('7980', OID.rxnorm, 'Penicillin G', 'RxNorm'), 'Penicillin'),
        category: 'drug',
        reactions: [
          { reaction: coded(snomed('247472004', 'Hives'), 'Hives'), severity: 'moderate' },
          { reaction: coded(snomed('39579001', 'Anaphylaxis'), 'Anaphylaxis'), severity: 'severe' },
        ],
        severity: 'severe',
        status: 'active',
        onset: '1990',
      },
      {
        ...coded(code('256349002', OID.snomed, 'Peanut - dietary', 'SNOMED CT'), 'Peanuts'),
        category: 'food',
        reactions: [{ reaction: coded(null, 'Itchy mouth'), severity: null }],
        severity: 'mild',
        status: 'active',
        onset: null,
      },
      {
        ...coded(code('256259004', OID.snomed, 'Pollen', 'SNOMED CT'), 'Pollen'),
        category: 'environment',
        reactions: [],
        severity: null,
        status: 'inactive',
        onset: '2001-04',
      },
    ],
    immunizations: [
      {
        ...coded(code('140', OID.cvx, 'Influenza, seasonal, injectable, preservative free', 'CVX'), 'Influenza vaccine'),
        date: '2025-10-02',
        given: true,
        refusalReason: null,
        lotNumber: 'FLU-2025-A1',
        manufacturer: 'Sanofi Pasteur',
        route: code('C28161', OID.routeOfAdministration, 'INTRAMUSCULAR', null),
        dose: { value: 0.5, unit: 'mL' },
      },
      {
        ...coded(code('213', OID.cvx, 'SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED FORMULATION', 'CVX'), 'COVID-19 vaccine'),
        date: '2025-10-02',
        given: false,
        refusalReason: 'Patient declined',
        lotNumber: null,
        manufacturer: null,
        route: null,
        dose: null,
      },
      {
        ...coded(code('115', OID.cvx, 'Tdap', 'CVX'), 'Tdap'),
        date: '2019',
        given: false,
        refusalReason: 'wants to think about it',
        lotNumber: null,
        manufacturer: null,
        route: null,
        dose: null,
      },
    ],
    results: [
      ...cbc('2025-03-01T08:15:00-08:00'),
      {
        ...coded(loinc('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'), 'HbA1c'),
        panel: null,
        value: ucum(7.1, '%'),
        interpretation: 'H',
        referenceRange: '<5.7 %',
        date: '2025-03-01',
        status: 'completed',
      },
      {
        ...coded(loinc('5778-6', 'Color of Urine'), 'Urine color'),
        panel: coded(loinc('24356-8', 'Urinalysis complete panel'), 'Urinalysis'),
        value: { kind: 'coded', code: snomed('371244009', 'Yellow color') },
        interpretation: null,
        referenceRange: null,
        date: '2025-03-02',
        status: 'completed',
      },
      {
        ...coded(loinc('5767-9', 'Appearance of Urine'), 'Urine appearance'),
        panel: coded(loinc('24356-8', 'Urinalysis complete panel'), 'Urinalysis'),
        value: { kind: 'text', text: 'Clear & <slightly> hazy' },
        interpretation: null,
        referenceRange: null,
        date: '2025-03-02',
        status: 'completed',
      },
      ...cbc('2025-09-01'),
    ],
    vitals: [
      {
        ...coded(loinc('8480-6', 'Systolic blood pressure'), 'Systolic BP'),
        panel: null,
        value: ucum(142, 'mm[Hg]'),
        interpretation: 'H',
        referenceRange: null,
        date: '2025-09-01T09:00:00-07:00',
        status: 'completed',
      },
      {
        ...coded(loinc('8462-4', 'Diastolic blood pressure'), 'Diastolic BP'),
        panel: null,
        value: ucum(88, 'mm[Hg]'),
        interpretation: null,
        referenceRange: null,
        date: '2025-09-01T09:00:00-07:00',
        status: 'completed',
      },
      {
        ...coded(loinc('29463-7', 'Body weight'), 'Weight'),
        panel: null,
        value: ucum(71.5, 'kg'),
        interpretation: null,
        referenceRange: null,
        date: '2025-09-01T09:00:00-07:00',
        status: 'completed',
      },
      {
        ...coded(loinc('8867-4', 'Heart rate'), 'Heart rate'),
        panel: null,
        value: ucum(72, '/min'),
        interpretation: null,
        referenceRange: null,
        date: '2025-03-01',
        status: 'completed',
      },
    ],
    encounters: [
      {
        ...coded(code('99213', OID.cpt, 'Office outpatient visit 15 minutes', 'CPT-4'), 'Office visit'),
        start: '2025-09-01T09:00:00-07:00',
        end: '2025-09-01T09:20:00-07:00',
        location: 'Cedar Ridge Family Medicine',
        performer: 'Maya Okafor',
        diagnoses: [coded(code('I10', OID.icd10cm, 'Essential (primary) hypertension', 'ICD-10-CM'), 'Essential hypertension')],
      },
      { ...coded(code('99214', OID.cpt, null, 'CPT-4'), 'Follow-up visit'), start: '2025-03-01', end: null, location: null, performer: null, diagnoses: [] },
    ],
    procedures: [
      { ...coded(snomed('73761001', 'Colonoscopy'), 'Colonoscopy'), date: '2020-05-04', status: 'completed', performer: 'Dr. Lee Park' },
      { ...coded(code('93000', OID.cpt, 'Electrocardiogram, routine ECG', 'CPT-4'), 'ECG'), date: '2025-09-01', status: 'completed', performer: null },
    ],
    smoking: [
      { ...coded(snomed('8517006', 'Ex-smoker'), 'Former smoker'), date: '2025-09-01' },
      { ...coded(snomed('449868002', 'Current every day smoker'), 'Current every day smoker'), date: '2010-01-01' },
    ],
    ...(kind === 'referral'
      ? {
          referral: {
            reason: 'Evaluate resistant hypertension & <possible> renal artery stenosis',
            specialty: 'Nephrology',
            urgency: 'urgent',
            to: 'Dr. Priya Raman',
            diagnoses: [coded(code('I10', OID.icd10cm, 'Essential (primary) hypertension', 'ICD-10-CM'), 'Essential hypertension')],
          },
        }
      : {}),
  };
}

/** A chart with nothing in it (every section written empty). */
export function emptyPatient(kind: CcdaExport['kind'] = 'ccd'): CcdaExport {
  const b = base(kind);
  return {
    ...b,
    patient: {
      ...b.patient,
      ids: [],
      birthDate: null,
      sex: 'unknown',
      phone: null,
      email: null,
      address: null,
      race: null,
      ethnicity: null,
      language: null,
      given: [],
      family: 'Doe',
    },
    organization: { ...ORG, id: 'clinic-1', phone: null, address: null },
    author: { name: 'Sam', npi: null },
    problems: [],
    medications: [],
    allergies: [],
    immunizations: [],
    results: [],
    vitals: [],
    encounters: [],
    procedures: [],
    smoking: [],
    ...(kind === 'referral' ? { referral: { reason: '', specialty: '', urgency: '', to: '', diagnoses: [] } } : {}),
  };
}

const day = (start: number, rand: () => number, spanDays: number): string =>
  new Date(start + Math.floor(rand() * spanDays) * 86_400_000).toISOString().slice(0, 10);

/** Ten years of history: ~40 problems, 30 meds, 10 allergies, 40 immunizations, 1,500 results, 400 vitals, 120 encounters. */
export function tenYearPatient(seed = 22): CcdaExport {
  const rand = mulberry32(seed);
  const rich = richPatient('ccd');
  const start = Date.UTC(2016, 0, 1);
  const span = 3650;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
  const resultDates = times(300, () => day(start, rand, span)).sort();
  return {
    ...rich,
    problems: times(40, () => ({ ...pick(rich.problems), onset: day(start, rand, span) })),
    medications: times(30, () => ({ ...pick(rich.medications), start: day(start, rand, span) })),
    allergies: times(10, () => pick(rich.allergies)),
    immunizations: times(40, () => ({ ...pick(rich.immunizations), date: day(start, rand, span) })),
    results: resultDates.flatMap((d) =>
      [...cbc(d), ...cbc(d).slice(0, 2)].map((r) => ({ ...r, value: ucum(Math.round(rand() * 1000) / 10, r.value?.kind === 'quantity' ? r.value.unit : '1') })),
    ),
    vitals: times(400, (i) => ({ ...rich.vitals[i % 4]!, date: resultDates[Math.floor(i / 4) % resultDates.length]! })),
    encounters: times(120, () => ({ ...pick(rich.encounters), start: day(start, rand, span), end: null })),
    procedures: times(20, () => ({ ...pick(rich.procedures), date: day(start, rand, span) })),
  };
}
