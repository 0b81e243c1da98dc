import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../electron/services/db/open';
import { FhirImporter, type ImportSummary } from '../../../electron/services/fhir/import';
import { createRepos, type Repos } from '../../../electron/services/repos';
import { FILED_ON_IMPORT_NOTE } from '../../../shared/domain/lab-review';
import { newStore, tempDir } from '../../helpers/temp-db';
import { ACTOR, all, CLARENCE, count, counts, files, importAll, one, patientId, text } from './fhir-import.helpers';

describe('FHIR import of the Synthea bundles', () => {
  const t = tempDir('cairn-fhir-');
  let store: Store;
  let repos: Repos;
  let first: ImportSummary;
  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
    first = importAll(repos, files);
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  it('imports every bundle: one chart per patient, counts per resource type, billing skipped with a reason', () => {
    expect(files).toHaveLength(12);
    expect(first.errors).toEqual([]);
    expect(first.patients).toEqual({ imported: 12, updated: 0, unchanged: 0, failed: 0 });
    // Counted by hand from the bundles (jq '[.entry[].resource.resourceType] | group_by(.) | map({(.[0]): length})').
    expect(first.byType['Encounter']).toMatchObject({ imported: 438, errors: 0 });
    expect(first.byType['Condition']).toMatchObject({ imported: 91 });
    expect(first.byType['Observation']).toMatchObject({ imported: 1129 });
    expect(first.byType['Immunization']).toMatchObject({ imported: 101 });
    expect(first.byType['AllergyIntolerance']).toMatchObject({ imported: 11 });
    expect(first.byType['Claim']).toMatchObject({ imported: 0, skipped: 529, reasons: { 'billing data is not imported': 529 } });
    expect(first.byType['ExplanationOfBenefit']).toMatchObject({ skipped: 438 });
    const db = store.sqlite;
    expect(count(db, 'SELECT count(*) FROM patients')).toBe(12);
    expect(count(db, 'SELECT count(*) FROM procedures')).toBe(617);
    expect(count(db, 'SELECT count(*) FROM diagnostic_reports')).toBe(79);
    expect(count(db, 'SELECT count(*) FROM care_plans')).toBe(32);
    // 1,129 observations, of which 71 blood-pressure panels become two rows each (systolic, diastolic).
    expect(count(db, 'SELECT count(*) FROM observations')).toBe(1129 + 71);
    // Every row was written through the writer: an audit entry and an outbox entry each.
    const rows = [
      'patients',
      'encounters',
      'conditions',
      'allergies',
      'observations',
      'medication_events',
      'immunizations',
      'procedures',
      'diagnostic_reports',
      'care_plans',
    ].reduce((n, tb) => n + count(db, `SELECT count(*) FROM ${tb}`), 0);
    expect(count(db, `SELECT count(*) FROM audit_log WHERE action = 'fhir.import'`)).toBe(rows);
    // Years-old lab history is filed as reviewed on import (one acknowledgement per result, synced),
    // so it does not flood the results inbox; one audit entry per patient says how many.
    const labs = count(db, `SELECT count(*) FROM observations WHERE category = 'laboratory'`);
    expect(labs).toBeGreaterThan(100);
    expect(
      count(
        db,
        `SELECT count(*) FROM result_acknowledgements a JOIN observations o ON o.id = a.observation_id WHERE o.category = 'laboratory' AND a.note = ?`,
        FILED_ON_IMPORT_NOTE,
      ),
    ).toBe(labs);
    expect(count(db, `SELECT count(*) FROM result_acknowledgements`)).toBe(labs);
    expect(count(db, `SELECT count(DISTINCT patient_id) FROM audit_log WHERE action = 'labs.file_imported'`)).toBe(
      count(db, `SELECT count(DISTINCT patient_id) FROM observations WHERE category = 'laboratory'`),
    );
    expect(count(db, 'SELECT count(*) FROM sync_outbox')).toBe(rows + labs);
    expect(repos.audit.firstBroken()).toBeNull();
    // Three of the twelve died (Patient.deceasedDateTime).
    expect(all(db, 'SELECT family_name, deceased_on FROM patients WHERE deceased_on IS NOT NULL ORDER BY family_name')).toEqual([
      { family_name: 'Franecki', deceased_on: '2013-11-18' },
      { family_name: 'Mertz', deceased_on: '2001-05-14' },
      { family_name: 'Wisoky', deceased_on: '2006-05-08' },
    ]);
  });

  it('Eboni Brekke: name, birth date, a SNOMED condition mapped to ICD-10, an uncoded one, a lab value, a CVX, a blood pressure', () => {
    const db = store.sqlite;
    const p = one(db, `SELECT * FROM patients WHERE family_name = 'Brekke'`);
    expect(p).toMatchObject({
      given_name: 'Eboni',
      family_name: 'Brekke',
      birth_date: '1995-07-10',
      sex: 'female',
      phone: '555-377-3760',
      city: 'Canton',
      postal_code: '02021',
    });
    expect(String(p['mrn'])).toMatch(/^\d{7}$/);
    expect(JSON.parse(String(p['identifiers']))).toContainEqual({
      system: 'http://hospital.smarthealthit.org',
      value: 'ae30c5e1-23da-4ecd-a320-a2c6047f3a19',
      type: 'MR',
    });
    const id = String(p['id']);
    expect(one(db, `SELECT icd10, snomed, display, clinical_status, onset_date FROM conditions WHERE patient_id = ? AND snomed = '19169002'`, id)).toEqual({
      icd10: 'O03.9',
      snomed: '19169002',
      display: 'Miscarriage in first trimester',
      clinical_status: 'active',
      onset_date: '2016-05-09',
    });
    expect(one(db, `SELECT icd10, clinical_status FROM conditions WHERE patient_id = ? AND snomed = '156073000'`, id)).toEqual({
      icd10: null,
      clinical_status: 'resolved',
    });
    expect(first.uncodedToIcd10['SNOMED 156073000 (Fetus with unknown complication)']).toBe(2);
    expect(
      one(
        db,
        `SELECT category, value_num, unit, effective_at, status FROM observations WHERE patient_id = ? AND loinc = '718-7' ORDER BY effective_at LIMIT 1`,
        id,
      ),
    ).toEqual({
      category: 'laboratory',
      value_num: 13.352894643203012,
      unit: 'g/dL',
      effective_at: '2011-08-08T04:33:37.000Z',
      status: 'final',
    });
    expect(all(db, `SELECT cvx, administered_on, source FROM immunizations WHERE patient_id = ? AND cvx = '114' ORDER BY administered_on`, id)).toEqual([
      { cvx: '114', administered_on: '2011-08-08', source: 'historical' },
      { cvx: '114', administered_on: '2017-08-28', source: 'historical' },
    ]);
    // The 2011 blood pressure panel: two vital-sign rows in one set, in the same visit.
    const bp = all(
      db,
      `SELECT loinc, value_num, unit, set_id, encounter_id FROM observations WHERE patient_id = ? AND effective_at = '2011-08-08T04:33:37.000Z' AND loinc IN ('8480-6', '8462-4') ORDER BY loinc`,
      id,
    );
    expect(bp.map((r) => [r['loinc'], r['value_num'], r['unit']])).toEqual([
      ['8462-4', 84.85292936804414, 'mm[Hg]'],
      ['8480-6', 117.84567352452389, 'mm[Hg]'],
    ]);
    expect(bp[0]!['set_id']).toBe(bp[1]!['set_id']);
    // Height, weight and BMI were taken in the same visit at the same time: one vitals set.
    expect(
      count(
        db,
        `SELECT count(DISTINCT set_id) FROM observations WHERE patient_id = ? AND category = 'vital-signs' AND effective_at = '2011-08-08T04:33:37.000Z'`,
        id,
      ),
    ).toBe(1);
    expect(bp[0]!['encounter_id']).toBe(one(db, `SELECT id FROM encounters WHERE patient_id = ? AND start_at = '2011-08-08T04:33:37.000Z'`, id)['id']);
    expect(
      one(db, `SELECT substance, substance_type, criticality, status FROM allergies WHERE patient_id = ? AND substance = 'Dander (animal) allergy'`, id),
    ).toEqual({
      substance: 'Dander (animal) allergy',
      substance_type: 'food',
      criticality: 'low',
      status: 'active',
    });
    // The CBC report points at its ten results.
    const report = one(db, `SELECT result_ids, category FROM diagnostic_reports WHERE patient_id = ? AND loinc = '58410-2' ORDER BY effective_at LIMIT 1`, id);
    const results = JSON.parse(String(report['result_ids'])) as string[];
    expect(report['category']).toBe('LAB');
    expect(results.length).toBeGreaterThan(5);
    expect(count(db, `SELECT count(*) FROM observations WHERE id IN (SELECT value FROM json_each(?)) AND patient_id = ?`, report['result_ids'], id)).toBe(
      results.length,
    );
  });

  it('Clarence Mills: name, birth date, conditions with ICD-10, a cholesterol with its unit, CVX 52, every resource counted', () => {
    const db = store.sqlite;
    const id = patientId(db, 'Mills');
    expect(one(db, 'SELECT given_name, birth_date, sex FROM patients WHERE id = ?', id)).toEqual({
      given_name: 'Clarence',
      birth_date: '1980-05-29',
      sex: 'male',
    });
    expect(all(db, 'SELECT snomed, icd10, clinical_status, onset_date, abatement_date FROM conditions WHERE patient_id = ? ORDER BY snomed', id)).toEqual([
      { snomed: '10509002', icd10: 'J20.9', clinical_status: 'resolved', onset_date: '2017-05-25', abatement_date: expect.stringMatching(/^2017-0/) as string },
      { snomed: '162864005', icd10: 'E66.9', clinical_status: 'active', onset_date: '2020-06-04', abatement_date: null },
      {
        snomed: '195662009',
        icd10: 'J02.9',
        clinical_status: 'resolved',
        onset_date: '2021-01-24',
        abatement_date: expect.stringMatching(/^2021-0/) as string,
      },
    ]);
    expect(
      one(db, `SELECT value_num, unit FROM observations WHERE patient_id = ? AND loinc = '2093-3' AND effective_at = '2011-11-10T19:20:19.000Z'`, id),
    ).toEqual({ value_num: 165.82059677686132, unit: 'mg/dL' });
    expect(all(db, `SELECT administered_on FROM immunizations WHERE patient_id = ? AND cvx = '52'`, id)).toEqual([{ administered_on: '2020-06-04' }]);
    // The bundle: 7 encounters, 59 observations (4 blood pressure panels → 63 rows), 7 immunizations, 5 reports, 1 procedure, 1 medication, 1 care plan.
    expect([
      count(db, 'SELECT count(*) FROM encounters WHERE patient_id = ?', id),
      count(db, 'SELECT count(*) FROM observations WHERE patient_id = ?', id),
      count(db, 'SELECT count(*) FROM immunizations WHERE patient_id = ?', id),
      count(db, 'SELECT count(*) FROM diagnostic_reports WHERE patient_id = ?', id),
      count(db, 'SELECT count(*) FROM procedures WHERE patient_id = ?', id),
      count(db, 'SELECT count(DISTINCT course_id) FROM medication_events WHERE patient_id = ?', id),
      count(db, 'SELECT count(*) FROM care_plans WHERE patient_id = ?', id),
    ]).toEqual([7, 63, 7, 5, 1, 1, 1]);
  });

  it('importing the same bundles again changes nothing', () => {
    const db = store.sqlite;
    const before = counts(db);
    const again = importAll(repos, files);
    expect(again.errors).toEqual([]);
    expect(again.patients).toEqual({ imported: 0, updated: 0, unchanged: 12, failed: 0 });
    for (const [type, tally] of Object.entries(again.byType)) {
      expect([type, tally.imported, tally.updated]).toEqual([type, 0, 0]);
    }
    expect(again.byType['Observation']).toMatchObject({ unchanged: 1129 });
    expect(counts(db)).toEqual(before);
  });

  it('a changed resource updates its row (or supersedes an observation), once', () => {
    const db = store.sqlite;
    const bundle = JSON.parse(text(CLARENCE)) as { entry: { resource: Record<string, unknown> }[] };
    const patient = bundle.entry.find((e) => e.resource['resourceType'] === 'Patient')!.resource;
    (patient['telecom'] as { value: string }[])[0]!.value = '555-000-1234';
    const cond = bundle.entry.find((e) => e.resource['resourceType'] === 'Condition' && JSON.stringify(e.resource).includes('162864005'))!.resource;
    cond['clinicalStatus'] = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] };
    const chol = bundle.entry.find((e) => e.resource['id'] === 'b83e5633-fd03-4fbd-8cea-2341d6261fe4')!.resource;
    (chol['valueQuantity'] as { value: number }).value = 170;
    const imm = bundle.entry.find((e) => e.resource['resourceType'] === 'Immunization')!.resource;
    imm['lotNumber'] = 'LOT-CHANGED';
    const before = counts(db);
    const importer = new FhirImporter(repos, ACTOR);
    importer.importJson(bundle, 'changed.json');
    const s = importer.summary;
    expect(s.errors).toEqual([]);
    expect(s.patients.updated).toBe(1);
    expect(s.byType['Condition']).toMatchObject({ updated: 1, unchanged: 2 });
    expect(s.byType['Observation']).toMatchObject({ updated: 1, unchanged: 58 });
    expect(s.byType['Immunization']).toMatchObject({
      updated: 0,
      unchanged: 6,
      skipped: 1,
      reasons: { 'changed at the source, but immunizations and medication events are written once here: the first import stands': 1 },
    });
    const id = patientId(db, 'Mills');
    expect(one(db, 'SELECT phone, phone_digits, version FROM patients WHERE id = ?', id)).toEqual({
      phone: '555-000-1234',
      phone_digits: '5550001234',
      version: 2,
    });
    expect(one(db, `SELECT clinical_status FROM conditions WHERE patient_id = ? AND snomed = '162864005'`, id)).toEqual({ clinical_status: 'resolved' });
    const chols = all(
      db,
      `SELECT id, value_num, supersedes_id FROM observations WHERE patient_id = ? AND loinc = '2093-3' AND effective_at = '2011-11-10T19:20:19.000Z' ORDER BY value_num`,
      id,
    );
    expect(chols.map((c) => c['value_num'])).toEqual([165.82059677686132, 170]);
    expect(chols[1]!['supersedes_id']).toBe(chols[0]!['id']);
    const after = counts(db);
    // The patient, the condition, the new cholesterol and its acknowledgement (old history, filed as reviewed).
    expect(after['sync_outbox']! - before['sync_outbox']!).toBe(4);
    // And once only.
    const twice = new FhirImporter(repos, ACTOR);
    twice.importJson(bundle, 'changed.json');
    expect(twice.summary.patients).toMatchObject({ unchanged: 1, updated: 0 });
    expect(twice.summary.byType['Immunization']).toMatchObject({ unchanged: 7, skipped: 0 });
    expect(counts(db)).toEqual(after);
  });
});
