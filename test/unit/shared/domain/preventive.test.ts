import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoincCode } from '../../../../shared/domain/lab-orders';
import type { PatientFacts } from '../../../../shared/domain/population';
import { ageOn } from '../../../../shared/domain/population';
import { compileRules, GRACE_DAYS, preventiveCare, preventiveRulesFile, type PreventiveItem } from '../../../../shared/domain/preventive';

const file = preventiveRulesFile.parse(JSON.parse(readFileSync(join(__dirname, '../../../../resources/preventive/rules.json'), 'utf8')));
const rules = compileRules(file);

function patient(over: Partial<PatientFacts> = {}): PatientFacts {
  return {
    id: 'p',
    name: 'Test, Pat',
    mrn: null,
    birthDate: '1970-06-15',
    sex: 'female',
    deceasedOn: null,
    providerId: null,
    conditions: [],
    observations: [],
    procedures: [],
    immunizations: [],
    encounters: [],
    medications: [],
    ...over,
  };
}
const item = (p: PatientFacts, id: string, on: string): PreventiveItem => preventiveCare(p, rules, on).find((i) => i.ruleId === id)!;

describe('the shipped preventive rules', () => {
  it('validate, cite their source, and carry LOINC codes with valid check digits', () => {
    expect(file.rules.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'colorectal-cancer-screening',
        'breast-cancer-screening',
        'cervical-cancer-screening',
        'blood-pressure-screening',
        'lipid-screening',
        'diabetes-screening',
        'hepatitis-c-screening',
        'hiv-screening',
        'depression-screening',
      ]),
    );
    for (const r of file.rules) {
      expect(r.citation.url).toMatch(/^https:\/\/www\.uspreventiveservicestaskforce\.org\//);
      for (const s of [...r.satisfiedBy, ...r.exclusions, ...(r.riskFactor ? [r.riskFactor] : [])])
        for (const l of s.codes.loinc ?? []) expect(isLoincCode(l), `${r.id} ${l}`).toBe(true);
    }
  });
  it('refuses a rule file with a duplicate id or an impossible age band, naming where', () => {
    const bad = { ...file, rules: [file.rules[0], { ...file.rules[0], minAge: 80, maxAge: 40 }] };
    const r = preventiveRulesFile.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(expect.arrayContaining(['rules.1: minAge must not exceed maxAge']));
  });
});

describe('a patient who has died', () => {
  it('is due for nothing, from the day of death', () => {
    const p = patient({ birthDate: '1960-01-01', deceasedOn: '2026-03-01' });
    expect(item(p, 'colorectal-cancer-screening', '2026-02-28').status).toBe('overdue');
    expect(item(p, 'colorectal-cancer-screening', '2026-03-01')).toMatchObject({ status: 'not_applicable', why: 'deceased 2026-03-01' });
  });
});

describe('age', () => {
  it('counts a birthday on the day itself', () => {
    expect(ageOn('1981-03-10', '2026-03-09')).toBe(44);
    expect(ageOn('1981-03-10', '2026-03-10')).toBe(45);
  });
});

describe('colorectal cancer screening (45–75)', () => {
  it('applies from the 45th birthday, not the day before', () => {
    const p = patient({ birthDate: '1981-03-10' });
    expect(item(p, 'colorectal-cancer-screening', '2026-03-09')).toMatchObject({ status: 'not_applicable', why: 'age 44 is outside 45–75' });
    expect(item(p, 'colorectal-cancer-screening', '2026-03-10')).toMatchObject({ status: 'due', dueOn: '2026-03-10' });
  });
  it('is overdue after the grace period, and stops applying after 75', () => {
    const p = patient({ birthDate: '1960-01-01' });
    expect(item(p, 'colorectal-cancer-screening', '2026-01-01')).toMatchObject({
      status: 'overdue',
      dueOn: '2005-01-01',
      why: expect.stringContaining('no colonoscopy') as unknown,
    });
    expect(item(patient({ birthDate: '1950-05-01' }), 'colorectal-cancer-screening', '2026-05-01')).toMatchObject({
      status: 'not_applicable',
      why: 'age 76 is outside 45–75',
    });
  });
  it('counts a colonoscopy for 10 years and a stool test for 1, with the evidence', () => {
    const p = patient({ birthDate: '1960-01-01', procedures: [{ code: '73761001', display: 'Colonoscopy', on: '2016-04-02' }] });
    expect(item(p, 'colorectal-cancer-screening', '2026-04-01')).toMatchObject({
      status: 'done',
      dueOn: '2026-04-02',
      evidence: { kind: 'procedure', code: '73761001', label: 'colonoscopy', on: '2016-04-02' },
    });
    // On the tenth anniversary it is due again.
    expect(item(p, 'colorectal-cancer-screening', '2026-04-02')).toMatchObject({
      status: 'due',
      dueOn: '2026-04-02',
      why: 'last done 2016-04-02 (colonoscopy)',
    });
    const fit = patient({ birthDate: '1960-01-01', observations: [{ loinc: '29771-3', on: '2025-09-01', value: null, code: null }] });
    expect(item(fit, 'colorectal-cancer-screening', '2026-08-31')).toMatchObject({ status: 'done', dueOn: '2026-09-01' });
    expect(item(fit, 'colorectal-cancer-screening', '2026-09-01')).toMatchObject({ status: 'due' });
    expect(item(fit, 'colorectal-cancer-screening', `2026-11-30`)).toMatchObject({ status: 'overdue' });
    expect(GRACE_DAYS).toBe(90);
  });
  it('does not apply after a total colectomy or with colorectal cancer, and says why', () => {
    const p = patient({
      birthDate: '1960-01-01',
      conditions: [{ icd10: 'C18.7', snomed: null, display: 'Malignant neoplasm of sigmoid colon', onset: '2020-01-01', abatement: null, status: 'active' }],
    });
    expect(item(p, 'colorectal-cancer-screening', '2026-01-01')).toMatchObject({ status: 'not_applicable', why: 'excluded: colorectal cancer (C18.7)' });
  });
});

describe('breast and cervical cancer screening', () => {
  it('breast: women 40–74, a mammogram counts for 2 years; not for men; bilateral mastectomy excludes', () => {
    expect(item(patient({ sex: 'male' }), 'breast-cancer-screening', '2026-01-01')).toMatchObject({ status: 'not_applicable', why: 'for female patients' });
    const p = patient({ birthDate: '1980-01-01', observations: [{ loinc: '24606-6', on: '2024-06-01', value: null, code: null }] });
    expect(item(p, 'breast-cancer-screening', '2026-05-31')).toMatchObject({ status: 'done', dueOn: '2026-06-01' });
    expect(item(p, 'breast-cancer-screening', '2026-06-01')).toMatchObject({ status: 'due' });
    const m = patient({
      birthDate: '1980-01-01',
      conditions: [{ icd10: 'Z90.13', snomed: null, display: 'Acquired absence of bilateral breasts', onset: null, abatement: null, status: 'active' }],
    });
    expect(item(m, 'breast-cancer-screening', '2026-06-01').status).toBe('not_applicable');
  });
  it('cervical: cytology every 3 years from 21; an HPV test counts for 5 years only from 30', () => {
    const hpvAt28 = patient({ birthDate: '1998-01-01', observations: [{ loinc: '71431-1', on: '2025-01-01', value: null, code: null }] });
    expect(item(hpvAt28, 'cervical-cancer-screening', '2026-01-02')).toMatchObject({ status: 'overdue' });
    const hpvAt35 = patient({ birthDate: '1990-01-01', observations: [{ loinc: '71431-1', on: '2022-01-01', value: null, code: null }] });
    expect(item(hpvAt35, 'cervical-cancer-screening', '2026-12-31')).toMatchObject({ status: 'done', dueOn: '2027-01-01' });
    const cyto = patient({ birthDate: '1990-01-01', procedures: [{ code: '90226004', display: 'Cytopathology', on: '2023-01-01' }] });
    expect(item(cyto, 'cervical-cancer-screening', '2026-01-01')).toMatchObject({ status: 'due', dueOn: '2026-01-01' });
  });
});

describe('screenings with a risk factor, once-only screenings, and interval by age', () => {
  it('diabetes screening needs overweight (BMI 25 or more) and stops once diabetes is diagnosed', () => {
    const lean = patient({ birthDate: '1980-01-01', observations: [{ loinc: '39156-5', on: '2025-05-01', value: 24.9, code: null }] });
    expect(item(lean, 'diabetes-screening', '2026-01-01')).toMatchObject({
      status: 'not_applicable',
      why: 'no overweight or obesity (BMI 25 or more) recorded',
    });
    const heavy = patient({ birthDate: '1980-01-01', observations: [{ loinc: '39156-5', on: '2025-05-01', value: 25, code: null }] });
    expect(item(heavy, 'diabetes-screening', '2026-01-01').status).toBe('overdue');
    const diabetic = patient({
      ...heavy,
      conditions: [{ icd10: 'E11.9', snomed: null, display: 'Type 2 diabetes', onset: '2024-01-01', abatement: null, status: 'active' }],
    });
    expect(item(diabetic, 'diabetes-screening', '2026-01-01')).toMatchObject({ status: 'not_applicable', why: 'excluded: diabetes already diagnosed (E11.9)' });
  });
  it('hepatitis C and HIV: once is enough', () => {
    const p = patient({ birthDate: '1980-01-01', procedures: [{ code: '104375008', display: 'Hepatitis C antibody test', on: '2001-01-01' }] });
    expect(item(p, 'hepatitis-c-screening', '2026-01-01')).toMatchObject({ status: 'done', dueOn: null, why: 'done 2001-01-01 (once is enough)' });
    expect(item(p, 'hiv-screening', '2026-01-01').status).toBe('overdue');
  });
  it('blood pressure: every 3 years from 18 to 39, yearly from 40', () => {
    const young = patient({ birthDate: '1990-01-01', observations: [{ loinc: '8480-6', on: '2024-03-01', value: 118, code: null }] });
    expect(item(young, 'blood-pressure-screening', '2026-01-01')).toMatchObject({ status: 'done', dueOn: '2027-03-01' });
    const older = patient({ birthDate: '1980-01-01', observations: [{ loinc: '8480-6', on: '2024-03-01', value: 118, code: null }] });
    expect(item(older, 'blood-pressure-screening', '2026-01-01')).toMatchObject({ status: 'overdue', dueOn: '2025-03-01' });
  });
});
