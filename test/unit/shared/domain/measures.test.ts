import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childhoodGaps, computeMeasures, MEASURES, type MeasureContext, type Outcome, representativeBp, yearPeriod } from '../../../../shared/domain/measures';
import type { FactCondition, PatientFacts } from '../../../../shared/domain/population';

const cvxGroups = new Map<string, string[]>();
for (const line of readFileSync(join(__dirname, '../../../../resources/codesets/cvx-vaccine-groups.tsv'), 'utf8').split('\n').slice(1)) {
  const [cvx, , , group] = line.split('\t');
  if (cvx && group) cvxGroups.set(cvx, [...(cvxGroups.get(cvx) ?? []), group]);
}
const ctx: MeasureContext = { cvxGroups };
const Y = yearPeriod(2026);
const measure = (id: string) => MEASURES.find((m) => m.id === id)!;
const run = (id: string, p: PatientFacts): Outcome[] => measure(id).evaluate(p, Y, ctx);

function patient(over: Partial<PatientFacts> = {}): PatientFacts {
  return {
    id: 'p',
    name: 'Test, Pat',
    mrn: null,
    birthDate: '1960-06-15',
    sex: 'female',
    deceasedOn: null,
    providerId: null,
    conditions: [],
    observations: [],
    procedures: [],
    immunizations: [],
    encounters: [{ on: '2026-03-01', providerId: 'dr' }],
    medications: [],
    ...over,
  };
}
const condition = (icd10: string, onset: string | null = '2020-01-01', abatement: string | null = null): FactCondition => ({
  icd10,
  snomed: null,
  display: icd10,
  onset,
  abatement,
  status: 'active',
});
const bp = (on: string, systolic: number, diastolic: number) => [
  { loinc: '8480-6', on, value: systolic, code: null },
  { loinc: '8462-4', on, value: diastolic, code: null },
];

describe('CMS165 Controlling High Blood Pressure', () => {
  const htn = (over: Partial<PatientFacts>) => patient({ conditions: [condition('I10')], ...over });
  it('counts below 140/90 only: exactly 140/90, 140/89 and 139/90 are not controlled', () => {
    expect(run('CMS165', htn({ observations: bp('2026-10-01', 139, 89) }))).toEqual(['numerator']);
    expect(run('CMS165', htn({ observations: bp('2026-10-01', 140, 90) }))).toEqual(['gap']);
    expect(run('CMS165', htn({ observations: bp('2026-10-01', 140, 89) }))).toEqual(['gap']);
    expect(run('CMS165', htn({ observations: bp('2026-10-01', 139, 90) }))).toEqual(['gap']);
  });
  it('reads the most recent day, and on that day the lowest systolic and the lowest diastolic', () => {
    const p = htn({ observations: [...bp('2026-02-01', 120, 70), ...bp('2026-11-01', 150, 85), ...bp('2026-11-01', 135, 95)] });
    expect(representativeBp(p, Y)).toEqual({ on: '2026-11-01', systolic: 135, diastolic: 85 });
    expect(run('CMS165', p)).toEqual(['numerator']);
    expect(run('CMS165', htn({ observations: bp('2025-12-31', 120, 70) }))).toEqual(['gap']);
  });
  it('takes ages 18–85 at the end of the period: 85 on the last day is in, 86 on the last day is out', () => {
    expect(run('CMS165', htn({ birthDate: '1941-12-31', observations: bp('2026-06-01', 120, 70) }))).toEqual(['numerator']);
    expect(run('CMS165', htn({ birthDate: '1940-12-31' }))).toEqual(['not_in_denominator']);
    expect(run('CMS165', htn({ birthDate: '2008-12-31' }))).toEqual(['gap']);
    expect(run('CMS165', htn({ birthDate: '2009-01-01' }))).toEqual(['not_in_denominator']);
  });
  it('needs hypertension before the period’s first six months end, and a visit in the period', () => {
    expect(run('CMS165', patient({ conditions: [condition('I10', '2026-09-01')] }))).toEqual(['not_in_denominator']);
    expect(run('CMS165', htn({ encounters: [{ on: '2025-12-31', providerId: null }] }))).toEqual(['not_in_denominator']);
  });
  it('excludes end-stage renal disease, pregnancy in the period and hospice', () => {
    expect(run('CMS165', patient({ conditions: [condition('I10'), condition('N18.6')] }))).toEqual(['excluded']);
    expect(run('CMS165', patient({ conditions: [condition('I10'), condition('O09.90', '2026-04-01', '2026-11-01')] }))).toEqual(['excluded']);
    expect(run('CMS165', patient({ conditions: [condition('I10'), condition('O09.90', '2024-04-01', '2024-11-01')] }))).toEqual(['gap']);
    expect(run('CMS165', patient({ conditions: [condition('I10'), condition('Z51.5', '2026-05-01')] }))).toEqual(['excluded']);
  });
});

describe('CMS122 Diabetes: HbA1c Poor Control (> 9%) — an inverse measure', () => {
  const dm = (over: Partial<PatientFacts>) => patient({ birthDate: '1970-01-01', conditions: [condition('E11.9')], ...over });
  const a1c = (on: string, value: number) => ({ loinc: '4548-4', on, value, code: null });
  it('is poor control above 9.0 only: 9.0 is not, 9.1 is, and no test in the period is', () => {
    expect(run('CMS122', dm({ observations: [a1c('2026-05-01', 9.0)] }))).toEqual(['gap']);
    expect(run('CMS122', dm({ observations: [a1c('2026-05-01', 9.1)] }))).toEqual(['numerator']);
    expect(run('CMS122', dm({ observations: [a1c('2025-12-31', 6.5)] }))).toEqual(['numerator']);
    expect(run('CMS122', dm({ observations: [a1c('2026-02-01', 10.2), a1c('2026-08-01', 7.1)] }))).toEqual(['gap']);
  });
  it('takes ages 18–75 at the end of the period', () => {
    expect(run('CMS122', dm({ birthDate: '1951-12-31' }))).toEqual(['numerator']);
    expect(run('CMS122', dm({ birthDate: '1950-12-31' }))).toEqual(['not_in_denominator']);
  });
});

describe('CMS125 Breast Cancer Screening and CMS130 Colorectal Cancer Screening', () => {
  it('CMS125: women 52–74, a mammogram from 1 October two years before the period', () => {
    const w = (over: Partial<PatientFacts>) => patient({ birthDate: '1970-01-01', ...over });
    expect(run('CMS125', w({ procedures: [{ code: '71651007', display: 'Mammography', on: '2024-10-01' }] }))).toEqual(['numerator']);
    expect(run('CMS125', w({ procedures: [{ code: '71651007', display: 'Mammography', on: '2024-09-30' }] }))).toEqual(['gap']);
    expect(run('CMS125', w({ sex: 'male' }))).toEqual(['not_in_denominator']);
    expect(run('CMS125', w({ birthDate: '1974-12-31' }))).toEqual(['gap']);
    expect(run('CMS125', w({ birthDate: '1975-01-01' }))).toEqual(['not_in_denominator']);
    expect(run('CMS125', w({ conditions: [condition('Z90.13')] }))).toEqual(['excluded']);
  });
  it('CMS130: ages 46–75; colonoscopy within 10 years, stool test in the period; colorectal cancer excludes', () => {
    const a = (over: Partial<PatientFacts>) => patient({ birthDate: '1965-01-01', ...over });
    expect(run('CMS130', a({ procedures: [{ code: '73761001', display: 'Colonoscopy', on: '2017-01-01' }] }))).toEqual(['numerator']);
    expect(run('CMS130', a({ procedures: [{ code: '73761001', display: 'Colonoscopy', on: '2016-12-31' }] }))).toEqual(['gap']);
    expect(run('CMS130', a({ observations: [{ loinc: '29771-3', on: '2026-01-01', value: null, code: null }] }))).toEqual(['numerator']);
    expect(run('CMS130', a({ observations: [{ loinc: '29771-3', on: '2025-12-31', value: null, code: null }] }))).toEqual(['gap']);
    expect(run('CMS130', a({ conditions: [condition('C18.7')] }))).toEqual(['excluded']);
    expect(run('CMS130', a({ birthDate: '1980-12-31' }))).toEqual(['gap']);
    expect(run('CMS130', a({ birthDate: '1981-01-01' }))).toEqual(['not_in_denominator']);
  });
});

describe('CMS138 Tobacco Use: Screening and Cessation', () => {
  const screen = (on: string, code: string) => ({ loinc: '72166-2', on, value: null, code });
  it('splits screened, users with an intervention, and the overall rate', () => {
    expect(run('CMS138', patient({ observations: [screen('2026-04-01', '266919005')] }))).toEqual(['numerator', 'not_in_denominator', 'numerator']);
    expect(run('CMS138', patient({ observations: [screen('2026-04-01', '449868002')] }))).toEqual(['numerator', 'gap', 'gap']);
    expect(
      run(
        'CMS138',
        patient({
          observations: [screen('2026-04-01', '449868002')],
          medications: [{ rxcui: '198029', name: 'nicotine 21 MG/Day transdermal patch', start: '2026-04-01', stop: null }],
        }),
      ),
    ).toEqual(['numerator', 'numerator', 'numerator']);
    expect(run('CMS138', patient())).toEqual(['gap', 'not_in_denominator', 'gap']);
  });
  it('starts at age 12 at the start of the period', () => {
    expect(run('CMS138', patient({ birthDate: '2014-01-01' }))[0]).toBe('gap');
    expect(run('CMS138', patient({ birthDate: '2014-01-02' }))[0]).toBe('not_in_denominator');
  });
});

describe('CMS117 Childhood Immunization Status', () => {
  const shots = (cvx: string, dates: string[]) => dates.map((on) => ({ cvx, on }));
  const complete = [
    ...shots('20', ['2024-03-01', '2024-05-01', '2024-07-01', '2025-04-01']), // DTaP x4
    ...shots('10', ['2024-03-01', '2024-05-01', '2024-09-01']), // IPV x3
    ...shots('03', ['2025-01-15']), // MMR after the first birthday
    ...shots('49', ['2024-03-01', '2024-05-01', '2025-01-15']), // HiB x3
    ...shots('08', ['2024-01-01', '2024-02-01', '2024-07-01']), // HepB x3
    ...shots('21', ['2025-01-15']), // varicella
    ...shots('133', ['2024-03-01', '2024-05-01', '2024-07-01', '2025-01-15']), // PCV13 x4
    ...shots('83', ['2025-01-15']), // HepA
    ...shots('119', ['2024-03-01', '2024-05-01']), // Rotarix x2
    ...shots('140', ['2024-10-01', '2024-11-01']), // influenza x2
  ];
  const child = (over: Partial<PatientFacts>) => patient({ birthDate: '2024-01-01', immunizations: complete, ...over });
  it('counts children who turn 2 in the period with every series complete by the second birthday', () => {
    expect(childhoodGaps(child({}), ctx)).toEqual([]);
    expect(run('CMS117', child({}))).toEqual(['numerator']);
    expect(run('CMS117', child({ birthDate: '2023-12-31' }))).toEqual(['not_in_denominator']);
    // Turning 2 on the period's last day is in; these doses would predate that birth, so none count.
    expect(run('CMS117', child({ birthDate: '2024-12-31' }))).toEqual(['gap']);
  });
  it('names what is missing: a measles dose before the first birthday does not count', () => {
    const early = child({ immunizations: complete.map((s) => (s.cvx === '03' ? { cvx: '03', on: '2024-12-31' } : s)) });
    expect(childhoodGaps(early, ctx)).toEqual(['MMR 0/1']);
    expect(run('CMS117', early)).toEqual(['gap']);
    const rotateq = child({ immunizations: complete.map((s) => (s.cvx === '119' ? { cvx: '116', on: s.on } : s)) });
    expect(childhoodGaps(rotateq, ctx)).toEqual(['rotavirus 2/3']);
  });
});

describe('computeMeasures', () => {
  it('reports denominator (with the excluded), exclusions, numerator, gaps and the rate, with the patients of each group', () => {
    const ps = [
      patient({ id: 'a', conditions: [condition('I10')], observations: bp('2026-06-01', 120, 80) }),
      patient({ id: 'b', conditions: [condition('I10')], observations: bp('2026-06-01', 150, 80) }),
      patient({ id: 'c', conditions: [condition('I10'), condition('N18.6')] }),
      patient({ id: 'd' }),
    ];
    // Died before the period: not measured; died during it: still counted.
    ps.push(
      patient({ id: 'e', conditions: [condition('I10')], deceasedOn: '2025-12-31' }),
      patient({ id: 'f', conditions: [condition('I10')], deceasedOn: '2026-01-01' }),
    );
    const r = computeMeasures(ps, Y, ctx).find((m) => m.id === 'CMS165')!;
    expect(r.populations[0]).toMatchObject({
      denominator: 4,
      exclusions: 1,
      numerator: 1,
      rate: 1 / 3,
      patients: { denominator: ['a', 'b', 'c', 'f'], excluded: ['c'], numerator: ['a'], gaps: ['b', 'f'] },
    });
  });
});
