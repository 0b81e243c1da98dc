import { describe, expect, it } from 'vitest';
import { courseToFhir, fhirDateTime, rowToFhir, SYSTEMS, type Row } from '../../../../shared/fhir/to-fhir';
import { validateFhir } from '../../../helpers/fhir-validate';

const audited = {
  created_at: '2026-03-01T10:00:00.000Z',
  created_by: 'u1',
  updated_at: '2026-03-02T11:00:00.000Z',
  updated_by: 'u1',
  deleted_at: null,
  deleted_by: null,
  version: 1,
};
const P = '01900000-0000-7000-8000-000000000001';

function valid(entity: string, row: Row): Record<string, unknown> {
  const r = rowToFhir(entity, row);
  expect(r).not.toBeNull();
  const v = validateFhir(r);
  expect(v.issues).toEqual([]);
  return r as unknown as Record<string, unknown>;
}

describe('the FHIR validator used by the tests', () => {
  it('rejects invalid resources (so tests that use it can fail)', () => {
    expect(validateFhir({ resourceType: 'Patient', gender: 'woman' }).ok).toBe(false);
    expect(validateFhir({ resourceType: 'Patient', birthDate: '02/04/1961' }).ok).toBe(false);
    expect(validateFhir({ resourceType: 'Observation', code: { text: 'x' } }).issues.join()).toMatch(/status/);
    expect(validateFhir({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: '12' } }).ok).toBe(false);
    expect(validateFhir({ resourceType: 'Patient', nickname: 'x' }).ok).toBe(false);
    expect(validateFhir({ resourceType: 'Nonsense' }).ok).toBe(false);
    expect(validateFhir({ resourceType: 'Patient', gender: 'female' }).ok).toBe(true);
  });
});

describe('rowToFhir', () => {
  it('maps a patient with MRN, identifiers, names, contact and address', () => {
    const p = valid('patient', {
      ...audited,
      id: P,
      mrn: 'C-000123',
      given_name: 'Mirela',
      middle_name: 'Ana',
      family_name: 'Quennell',
      preferred_name: 'Mira',
      birth_date: '1961-04-02',
      sex: 'female',
      phone: '555-0101',
      email: 'm@example.org',
      address_line1: '1 Main St',
      address_line2: null,
      city: 'Springfield',
      state: 'IL',
      postal_code: '62701',
      country: 'US',
      preferred_language: 'en',
      identifiers: JSON.stringify([{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-00-1234', type: 'SSN' }]),
      merged_into: null,
      restricted: 0,
    });
    expect(p).toMatchObject({
      resourceType: 'Patient',
      id: P,
      gender: 'female',
      birthDate: '1961-04-02',
      active: true,
      name: [
        { use: 'official', family: 'Quennell', given: ['Mirela', 'Ana'] },
        { use: 'usual', given: ['Mira'] },
      ],
      meta: { lastUpdated: '2026-03-02T11:00:00.000Z' },
    });
    expect(p['identifier']).toEqual(
      expect.arrayContaining([expect.objectContaining({ system: SYSTEMS.mrn, value: 'C-000123' }), expect.objectContaining({ value: '999-00-1234' })]),
    );
    expect(p['address']).toEqual([{ line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' }]);
  });

  it('marks a merged chart inactive with a replaced-by link, and never serves a deleted row', () => {
    const p = valid('patient', {
      ...audited,
      id: P,
      mrn: 'M1',
      given_name: 'A',
      family_name: 'B',
      birth_date: '1990-01-01',
      sex: 'unknown',
      identifiers: '[]',
      merged_into: 'other',
    });
    expect(p['active']).toBe(false);
    expect(
      valid('patient', {
        ...audited,
        id: P,
        mrn: 'M2',
        given_name: 'A',
        family_name: 'B',
        birth_date: '1930-01-01',
        sex: 'male',
        identifiers: '[]',
        deceased_on: '2020-02-03',
      })['deceasedDateTime'],
    ).toBe('2020-02-03');
    expect(p['link']).toEqual([{ other: { reference: 'Patient/other' }, type: 'replaced-by' }]);
    expect(
      rowToFhir('patient', { ...audited, id: P, given_name: 'A', family_name: 'B', birth_date: '1990-01-01', sex: 'male', deleted_at: '2026-03-03T00:00:00Z' }),
    ).toBeNull();
    expect(rowToFhir('note', { ...audited, id: 'n1' })).toBeNull();
  });

  it('serves clinical users as Practitioners, never their password hash, and not the front desk', () => {
    const u = valid('user', {
      ...audited,
      id: 'u1',
      username: 'drhouse',
      display_name: 'Dr Gregory House',
      role: 'physician',
      password_hash: 'scrypt$secret',
      disabled: 0,
    });
    expect(u).toMatchObject({ resourceType: 'Practitioner', active: true, name: [{ text: 'Dr Gregory House' }] });
    expect(JSON.stringify(u)).not.toContain('scrypt');
    expect(rowToFhir('user', { ...audited, id: 'u2', username: 'desk', display_name: 'Desk', role: 'front_desk', disabled: 0 })).toBeNull();
  });

  it('maps an encounter with its status, class, provider and period', () => {
    const e = valid('encounter', {
      ...audited,
      id: 'e1',
      patient_id: P,
      visit_type: 'telehealth',
      status: 'in_progress',
      provider_id: 'u1',
      reason: 'cough',
      start_at: '2026-03-01T10:00:00.000Z',
      end_at: null,
    });
    expect(e).toMatchObject({
      status: 'in-progress',
      class: { code: 'VR' },
      subject: { reference: `Patient/${P}` },
      participant: [{ individual: { reference: 'Practitioner/u1' } }],
      period: { start: '2026-03-01T10:00:00.000Z' },
      reasonCode: [{ text: 'cough' }],
    });
  });

  it('maps a lab observation with UCUM quantity, reference range and interpretation', () => {
    const o = valid('observation', {
      ...audited,
      id: 'o1',
      patient_id: P,
      encounter_id: 'e1',
      category: 'laboratory',
      loinc: '2345-7',
      display: 'Glucose',
      value_num: 182,
      value_text: null,
      unit: 'mg/dL',
      ref_low: 70,
      ref_high: 99,
      ref_text: null,
      interpretation: 'H',
      status: 'final',
      effective_at: '2026-03-01T09:30:00.000Z',
      order_id: null,
      supersedes_id: null,
      set_id: null,
      entered_as: null,
    });
    expect(o).toMatchObject({
      status: 'final',
      category: [{ coding: [{ system: SYSTEMS.obsCategory, code: 'laboratory' }] }],
      code: { coding: [{ system: SYSTEMS.loinc, code: '2345-7', display: 'Glucose' }] },
      valueQuantity: { value: 182, unit: 'mg/dL', system: SYSTEMS.ucum, code: 'mg/dL' },
      referenceRange: [{ low: { value: 70, code: 'mg/dL' }, high: { value: 99, code: 'mg/dL' } }],
      interpretation: [{ coding: [{ code: 'H' }] }],
      effectiveDateTime: '2026-03-01T09:30:00.000Z',
      encounter: { reference: 'Encounter/e1' },
    });
  });

  it("carries the lab's comments (result, then order) as Observation.note", () => {
    const o = valid('observation', {
      ...audited,
      id: 'o9',
      patient_id: P,
      category: 'laboratory',
      loinc: '2823-3',
      display: 'Potassium',
      value_num: 6.1,
      unit: 'mmol/L',
      status: 'final',
      effective_at: '2026-03-01T09:30:00Z',
      lab_notes: '["Specimen hemolyzed","  "]',
      lab_order_notes: '["Received late"]',
    });
    expect(o['note']).toEqual([{ text: 'Specimen hemolyzed' }, { text: 'Order: Received late' }]);
    expect(
      valid('observation', {
        ...audited,
        id: 'o10',
        patient_id: P,
        category: 'laboratory',
        loinc: '2823-3',
        value_num: 4,
        status: 'final',
        effective_at: '2026-03-01T09:30:00Z',
        lab_notes: '[]',
      })['note'],
    ).toBeUndefined();
  });

  it('maps vital signs, a coded survey answer, a social-history string and a value-less result', () => {
    const bp = valid('observation', {
      ...audited,
      id: 'o2',
      patient_id: P,
      category: 'vital-signs',
      loinc: '8480-6',
      display: 'Systolic',
      value_num: 128,
      unit: 'mm[Hg]',
      status: 'final',
      effective_at: '2026-03-01T09:30:00Z',
    });
    expect(bp['valueQuantity']).toEqual({ value: 128, unit: 'mm[Hg]', system: SYSTEMS.ucum, code: 'mm[Hg]' });
    const survey = valid('observation', {
      ...audited,
      id: 'o3',
      patient_id: P,
      category: 'survey',
      loinc: '44261-6',
      display: 'PHQ-9 total',
      value_num: null,
      value_text: 'Moderate',
      value_code: 'LA6751-7',
      value_system: SYSTEMS.loinc,
      status: 'final',
      effective_at: '2026-03-01',
    });
    expect(survey['valueCodeableConcept']).toEqual({ coding: [{ system: SYSTEMS.loinc, code: 'LA6751-7', display: 'Moderate' }], text: 'Moderate' });
    const smoke = valid('observation', {
      ...audited,
      id: 'o4',
      patient_id: P,
      category: 'social-history',
      loinc: '72166-2',
      value_text: 'Never smoker',
      status: 'final',
      effective_at: '2026-03-01T09:30:00Z',
    });
    expect(smoke['valueString']).toBe('Never smoker');
    const pending = valid('observation', {
      ...audited,
      id: 'o5',
      patient_id: P,
      category: 'laboratory',
      loinc: '2345-7',
      status: 'registered',
      effective_at: '2026-03-01T09:30:00Z',
    });
    expect(pending['dataAbsentReason']).toBeDefined();
  });

  it('maps conditions with ICD-10-CM and SNOMED codings; abatement only once resolved', () => {
    const c = valid('condition', {
      ...audited,
      id: 'c1',
      patient_id: P,
      icd10: 'E11.9',
      snomed: '44054006',
      display: 'Type 2 diabetes',
      clinical_status: 'active',
      onset_date: '2019-05-01',
      abatement_date: '2020-01-01',
      chronic: 1,
      note: 'diet',
    });
    expect(c['code']).toEqual({
      coding: [
        { system: SYSTEMS.icd10cm, code: 'E11.9', display: 'Type 2 diabetes' },
        { system: SYSTEMS.snomed, code: '44054006', display: 'Type 2 diabetes' },
      ],
      text: 'Type 2 diabetes',
    });
    expect(c['abatementDateTime']).toBeUndefined();
    const r = valid('condition', {
      ...audited,
      id: 'c2',
      patient_id: P,
      icd10: null,
      snomed: '195662009',
      display: 'Acute viral pharyngitis',
      clinical_status: 'resolved',
      onset_date: '2020-01-01',
      abatement_date: '2020-01-10',
    });
    expect(r).toMatchObject({
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      abatementDateTime: '2020-01-10',
      code: { coding: [{ system: SYSTEMS.snomed, code: '195662009' }] },
    });
  });

  it('maps allergies and a reviewed "no known allergies"', () => {
    const a = valid('allergy', {
      ...audited,
      id: 'a1',
      patient_id: P,
      kind: 'allergy',
      substance: 'Penicillin',
      substance_code: '7980',
      reactions: '["Hives","Wheeze"]',
      severity: 'severe',
      criticality: 'unable_to_assess',
      status: 'active',
      recorded_at: '2026-03-01T10:00:00Z',
      substance_type: 'drug',
      onset_date: null,
      note: null,
    });
    expect(a).toMatchObject({
      category: ['medication'],
      criticality: 'unable-to-assess',
      code: { text: 'Penicillin' },
      reaction: [{ manifestation: [{ text: 'Hives' }, { text: 'Wheeze' }], severity: 'severe' }],
    });
    const nka = valid('allergy', {
      ...audited,
      id: 'a2',
      patient_id: P,
      kind: 'nka',
      substance: null,
      reactions: '[]',
      status: 'active',
      recorded_at: '2026-03-01T10:00:00Z',
    });
    expect(nka['code']).toMatchObject({ coding: [{ system: SYSTEMS.snomed, code: '716186003' }] });
  });

  it('folds a medication course into one MedicationRequest; prescriptions are orders', () => {
    const ev = (id: string, event: string, at: string, dose: string): Row => ({
      ...audited,
      id,
      patient_id: P,
      course_id: 'course1',
      event,
      rxcui: '860975',
      drug_name: 'Metformin 500 mg',
      dose,
      route: 'oral',
      frequency: 'BID',
      source: 'patient-reported',
      reason: null,
      effective_at: at,
      sig: null,
      prescription_id: null,
      encounter_id: null,
    });
    const course = courseToFhir([ev('m2', 'change', '2026-02-01T00:00:00Z', '1000 mg'), ev('m1', 'start', '2026-01-01T00:00:00Z', '500 mg')]);
    expect(validateFhir(course).issues).toEqual([]);
    expect(course).toMatchObject({
      id: 'course1',
      status: 'active',
      intent: 'plan',
      reportedBoolean: true,
      authoredOn: '2026-01-01T00:00:00Z',
      dosageInstruction: [{ text: '1000 mg oral BID' }],
    });
    const stopped = courseToFhir([ev('m1', 'start', '2026-01-01T00:00:00Z', '500 mg'), ev('m3', 'stop', '2026-03-01T00:00:00Z', '500 mg')]);
    expect(stopped?.status).toBe('stopped');
    const rx = valid('prescription', {
      ...audited,
      id: 'rx1',
      patient_id: P,
      encounter_id: null,
      course_id: 'course2',
      rxcui: '197361',
      drug_name: 'Amlodipine 5 mg',
      sig: '{"doseAmount":1}',
      status: 'cancelled',
      prescriber_id: 'u1',
      signed_at: '2026-03-01T10:00:00.000Z',
      medication_request: JSON.stringify({
        resourceType: 'MedicationRequest',
        id: 'rx1',
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { coding: [{ system: SYSTEMS.rxnorm, code: '197361' }], text: 'Amlodipine 5 mg' },
        subject: { reference: `Patient/${P}` },
        dosageInstruction: [{ text: '1 tab daily' }],
      }),
      transmission: null,
    });
    expect(rx).toMatchObject({
      status: 'cancelled',
      intent: 'order',
      requester: { reference: 'Practitioner/u1' },
      dosageInstruction: [{ text: '1 tab daily' }],
    });
  });

  it('maps immunizations with CVX, manufacturer, lot and dose number', () => {
    const i = valid('immunization', {
      ...audited,
      id: 'i1',
      patient_id: P,
      cvx: '140',
      mvx: 'SKB',
      lot: 'AB12',
      site: 'left deltoid',
      route: 'IM',
      administered_on: '2025-10-01',
      status: 'completed',
      expiration_date: '2026-06-30',
      dose_number: 1,
      source: 'historical',
      note: null,
    });
    expect(i).toMatchObject({
      vaccineCode: { coding: [{ system: SYSTEMS.cvx, code: '140' }] },
      occurrenceDateTime: '2025-10-01',
      primarySource: false,
      lotNumber: 'AB12',
      protocolApplied: [{ doseNumberPositiveInt: 1 }],
      manufacturer: { identifier: { value: 'SKB' } },
    });
  });

  it('maps procedures, diagnostic reports and care plans', () => {
    const pr = valid('procedure', {
      ...audited,
      id: 'p1',
      patient_id: P,
      encounter_id: 'e1',
      code_system: 'http://snomed.info/sct',
      code: '430193006',
      display: 'Medication reconciliation',
      status: 'completed',
      performed_start: '2026-03-01T10:00:00Z',
      performed_end: '2026-03-01T10:15:00Z',
      reason_code: '44054006',
      reason_display: 'Diabetes',
      note: null,
    });
    expect(pr).toMatchObject({
      status: 'completed',
      performedPeriod: { start: '2026-03-01T10:00:00Z', end: '2026-03-01T10:15:00Z' },
      code: { coding: [{ code: '430193006' }] },
    });
    const dr = valid('diagnostic_report', {
      ...audited,
      id: 'd1',
      patient_id: P,
      encounter_id: null,
      category: 'LAB',
      loinc: '24323-8',
      display: 'Comprehensive metabolic panel',
      status: 'final',
      effective_at: '2026-03-01T09:30:00Z',
      issued_at: '2026-03-01T12:00:00.000Z',
      result_ids: '["o1","o2"]',
      conclusion: null,
    });
    expect(dr).toMatchObject({ result: [{ reference: 'Observation/o1' }, { reference: 'Observation/o2' }], issued: '2026-03-01T12:00:00.000Z' });
    const cp = valid('care_plan', {
      ...audited,
      id: 'cp1',
      patient_id: P,
      encounter_id: null,
      status: 'active',
      intent: 'plan',
      category_code: '698360004',
      category_display: 'Diabetes self management plan',
      title: null,
      period_start: '2026-01-01',
      period_end: null,
      activities: '[{"code":"160670007","system":"http://snomed.info/sct","display":"Diabetic diet","status":"in-progress"}]',
      addresses: '["c1"]',
    });
    expect(cp).toMatchObject({ activity: [{ detail: { status: 'in-progress' } }], addresses: [{ reference: 'Condition/c1' }] });
  });

  it('completes or drops date-times FHIR would refuse', () => {
    expect(fhirDateTime('2026-03-01 10:00')).toBe('2026-03-01T10:00:00Z');
    expect(fhirDateTime('2026-03-01T10:00:00.123Z')).toBe('2026-03-01T10:00:00.123Z');
    expect(fhirDateTime('yesterday')).toBeUndefined();
  });
});
