import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/services/db/open';
import { exportPatientBundle, exportResources } from '../../electron/services/fhir/export';
import { FhirImporter, type ImportSummary } from '../../electron/services/fhir/import';
import { FILED_ON_IMPORT_NOTE } from '../../shared/domain/lab-review';
import { createRepos, type Repos } from '../../electron/services/repos';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { validateFhir } from '../helpers/fhir-validate';
import { newStore, tempDir } from '../helpers/temp-db';

const FIXTURES = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');
const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();
const text = (f: string): string => readFileSync(join(FIXTURES, f), 'utf8');
const EBONI = files.find((f) => f.startsWith('Eboni_Brekke'))!;
const CLARENCE = files.find((f) => f.startsWith('Clarence_Mills'))!;
const ACTOR = { userId: 'importer-test' };

type Sqlite = Database.Database;
const all = (db: Sqlite, sql: string, ...args: unknown[]): Record<string, unknown>[] => db.prepare(sql).all(...args) as Record<string, unknown>[];
const one = (db: Sqlite, sql: string, ...args: unknown[]): Record<string, unknown> => db.prepare(sql).get(...args) as Record<string, unknown>;
const count = (db: Sqlite, sql: string, ...args: unknown[]): number => Number(Object.values(one(db, sql, ...args))[0]);

function importAll(repos: Repos, names: string[]): ImportSummary {
  const importer = new FhirImporter(repos, ACTOR);
  for (const f of names) importer.importText(text(f), f);
  return importer.summary;
}

function patientId(db: Sqlite, family: string): string {
  return String(one(db, 'SELECT id FROM patients WHERE family_name = ?', family)['id']);
}

const TABLES = [
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
  'audit_log',
  'sync_outbox',
  'fhir_import_sources',
];
const counts = (db: Sqlite): Record<string, number> => Object.fromEntries(TABLES.map((t) => [t, count(db, `SELECT count(*) FROM ${t}`)]));

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

describe('a broken bundle', () => {
  const t = tempDir('cairn-fhir-broken-');
  let store: Store;
  let repos: Repos;
  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  it('reports the entry index and JSON path and applies nothing of that patient, the other patients still import', () => {
    const broken = JSON.parse(text(EBONI)) as { entry: { resource: Record<string, unknown> }[] };
    const index = broken.entry.findIndex((e) => e.resource['resourceType'] === 'Immunization');
    broken.entry[index]!.resource['occurrenceDateTime'] = '2011-13-45';
    const importer = new FhirImporter(repos, ACTOR);
    // In one batch (as the CLI runs): the broken patient's savepoint is rolled back, the other one kept.
    importer.batch(() => {
      importer.importJson(broken, 'eboni-broken.json');
      importer.importText(text(CLARENCE), CLARENCE);
    });
    const s = importer.summary;
    expect(s.errors).toEqual([
      {
        source: 'eboni-broken.json',
        index,
        path: `entry[${index}].resource.occurrenceDateTime`,
        resourceType: 'Immunization',
        message: '"2011-13-45" is not a FHIR date or dateTime',
      },
    ]);
    expect(s.patients).toEqual({ imported: 1, updated: 0, unchanged: 0, failed: 1 });
    expect(s.byType['Immunization']).toMatchObject({ errors: 1, notApplied: 9, imported: 7 });
    // Claims are skipped whether or not their patient imported (Eboni 28, Clarence 8).
    expect(s.byType['Claim']).toMatchObject({ skipped: 36, notApplied: 0 });
    const db = store.sqlite;
    expect(count(db, `SELECT count(*) FROM patients WHERE family_name = 'Brekke'`)).toBe(0);
    expect(count(db, 'SELECT count(*) FROM patients')).toBe(1);
    expect(count(db, `SELECT count(*) FROM fhir_import_sources WHERE source_id = 'bb7fb8e1-1a76-4328-92ea-3852f34846e6'`)).toBe(0);
    expect(count(db, 'SELECT count(*) FROM observations o LEFT JOIN patients p ON p.id = o.patient_id WHERE p.id IS NULL')).toBe(0);
  });

  it('a patient without a birth date, a bundle that is not a bundle, and a resource pointing at no patient', () => {
    const b = JSON.parse(text(CLARENCE)) as { entry: { resource: Record<string, unknown> }[] };
    delete b.entry[0]!.resource['birthDate'];
    const obs = b.entry.findIndex((e) => e.resource['resourceType'] === 'Observation');
    b.entry[obs]!.resource['subject'] = { reference: 'urn:uuid:nobody' };
    const importer = new FhirImporter(repos, ACTOR);
    importer.importJson(b, 'b.json');
    importer.importJson({ resourceType: 'Patient' }, 'p.json');
    importer.importText('{not json', 'x.json');
    const paths = importer.summary.errors.map((e) => `${e.source} ${e.path}`);
    expect(paths).toEqual([`b.json entry[${obs}].resource.subject.reference`, 'b.json entry[0].resource.birthDate', 'p.json resourceType', 'x.json ']);
    expect(importer.summary.errors[1]!.message).toBe('the patient has no birth date');
  });
});

/** A chart as people read it: every clinical fact of one patient, without ids or bookkeeping. */
function chart(db: Sqlite, id: string): Record<string, unknown> {
  const p = one(db, 'SELECT * FROM patients WHERE id = ?', id);
  const enc = new Map(all(db, 'SELECT id, start_at FROM encounters WHERE patient_id = ?', id).map((e) => [e['id'], e['start_at']]));
  const obsCode = new Map(
    all(db, 'SELECT id, loinc, effective_at FROM observations WHERE patient_id = ?', id).map((o) => [
      o['id'],
      `${String(o['loinc'])}@${String(o['effective_at'])}`,
    ]),
  );
  const condCode = new Map(all(db, 'SELECT id, snomed FROM conditions WHERE patient_id = ?', id).map((c) => [c['id'], c['snomed']]));
  const sorted = (rows: Record<string, unknown>[]): Record<string, unknown>[] =>
    rows
      .map((r) => JSON.stringify(r))
      .sort()
      .map((s) => JSON.parse(s) as Record<string, unknown>);
  const courses = new Map<string, Record<string, unknown>[]>();
  for (const m of all(db, 'SELECT * FROM medication_events WHERE patient_id = ? ORDER BY effective_at, event DESC', id))
    courses.set(String(m['course_id']), [...(courses.get(String(m['course_id'])) ?? []), m]);
  return {
    patient: {
      ...Object.fromEntries(
        [
          'mrn',
          'given_name',
          'middle_name',
          'family_name',
          'birth_date',
          'sex',
          'phone',
          'email',
          'address_line1',
          'city',
          'state',
          'postal_code',
          'country',
          'preferred_language',
        ].map((k) => [k, p[k]]),
      ),
      identifiers: (JSON.parse(String(p['identifiers'])) as unknown[]).map((i) => JSON.stringify(i)).sort(),
    },
    encounters: sorted(all(db, 'SELECT visit_type, status, reason, start_at, end_at FROM encounters WHERE patient_id = ?', id)),
    conditions: sorted(all(db, 'SELECT icd10, snomed, display, clinical_status, onset_date, abatement_date, note FROM conditions WHERE patient_id = ?', id)),
    allergies: sorted(
      all(
        db,
        'SELECT kind, substance, substance_code, reactions, severity, criticality, status, recorded_at, substance_type, onset_date, note FROM allergies WHERE patient_id = ?',
        id,
      ),
    ),
    observations: sorted(
      all(
        db,
        'SELECT encounter_id, category, loinc, display, value_num, value_text, unit, value_code, value_system, ref_low, ref_high, interpretation, status, effective_at FROM observations WHERE patient_id = ?',
        id,
      ).map((o) => ({
        ...o,
        encounter_id: enc.get(o['encounter_id']) ?? null,
      })),
    ),
    // A course: its drug, when it started, whether it was stopped, and its directions as one text.
    medications: sorted(
      [...courses.values()].map((evs) => ({
        drug: evs[0]!['drug_name'],
        rxcui: evs[0]!['rxcui'],
        started: evs[0]!['effective_at'],
        events: evs.map((e) => e['event']),
        directions: [evs[0]!['dose'], evs[0]!['route'], evs[0]!['frequency']].filter(Boolean).join(' '),
      })),
    ),
    immunizations: sorted(
      all(db, 'SELECT cvx, mvx, lot, site, route, administered_on, status, dose_number, source, note FROM immunizations WHERE patient_id = ?', id),
    ),
    procedures: sorted(
      all(
        db,
        'SELECT encounter_id, code_system, code, display, status, performed_start, performed_end, reason_code, reason_display, note FROM procedures WHERE patient_id = ?',
        id,
      ).map((r) => ({ ...r, encounter_id: enc.get(r['encounter_id']) ?? null })),
    ),
    reports: sorted(
      all(db, 'SELECT category, loinc, display, status, effective_at, issued_at, result_ids, conclusion FROM diagnostic_reports WHERE patient_id = ?', id).map(
        (r) => ({
          ...r,
          result_ids: (JSON.parse(String(r['result_ids'])) as string[]).map((o) => obsCode.get(o)).sort(),
        }),
      ),
    ),
    carePlans: sorted(
      all(
        db,
        'SELECT status, intent, category_code, category_display, title, period_start, period_end, activities, addresses FROM care_plans WHERE patient_id = ?',
        id,
      ).map((r) => ({
        ...r,
        addresses: (JSON.parse(String(r['addresses'])) as string[]).map((c) => condCode.get(c)).sort(),
      })),
    ),
  };
}

describe('export → re-import into an empty database', () => {
  const t = tempDir('cairn-fhir-roundtrip-');
  const u = tempDir('cairn-fhir-roundtrip-empty-');
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    ({ store: a } = await newStore(t.dir));
    ({ store: b } = await newStore(u.dir, 'another clinic passphrase'));
    importAll(createRepos(a), files);
  });
  afterAll(() => {
    a.close();
    b.close();
    t.cleanup();
    u.cleanup();
  });

  it('gives the same chart for every patient, and every exported resource validates against FHIR R4', () => {
    const ids = all(a.sqlite, 'SELECT id FROM patients ORDER BY family_name').map((r) => String(r['id']));
    expect(ids).toHaveLength(12);
    const importer = new FhirImporter(createRepos(b), ACTOR);
    let validated = 0;
    for (const id of ids) {
      const bundle = exportPatientBundle(a.sqlite, id);
      const v = validateFhir(bundle);
      expect(v.issues.slice(0, 5)).toEqual([]);
      validated += bundle.entry!.length;
      importer.importJson(JSON.parse(JSON.stringify(bundle)) as unknown, `export-${id}.json`);
    }
    expect(importer.summary.errors).toEqual([]);
    expect(importer.summary.patients.imported).toBe(12);
    expect(validated).toBeGreaterThan(2500);
    for (const id of ids) {
      const family = String(one(a.sqlite, 'SELECT family_name FROM patients WHERE id = ?', id)['family_name']);
      const other = String(one(b.sqlite, 'SELECT id FROM patients WHERE family_name = ?', family)['id']);
      expect(chart(b.sqlite, other)).toEqual(chart(a.sqlite, id));
    }
  });

  it('the system-level export (every resource type, practitioners included) validates too', () => {
    const issues: string[] = [];
    let n = 0;
    for (const r of exportResources(a.sqlite)) {
      n++;
      const v = validateFhir(r);
      if (!v.ok) issues.push(`${r.resourceType}/${r.id!}: ${v.issues.join('; ')}`);
    }
    expect(n).toBeGreaterThan(2500);
    expect(issues.slice(0, 5)).toEqual([]);
  });
});

describe('fhir.importBundle (File → Import in the desktop app)', () => {
  const t = tempDir('cairn-fhir-channel-');
  let clinic: Clinic;
  beforeAll(async () => {
    clinic = await openClinic(t.dir);
  });
  afterAll(() => {
    clinic.session.close();
    t.cleanup();
  });

  it('imports through the dispatcher as the signed-in physician, refuses other roles and bad input', async () => {
    const s = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: CLARENCE, text: text(CLARENCE) });
    expect(s.patients).toEqual({ imported: 1, updated: 0, unchanged: 0, failed: 0 });
    expect(s.byType['Observation']).toMatchObject({ imported: 59 });
    const again = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: CLARENCE, text: text(CLARENCE) });
    expect(again.patients.unchanged).toBe(1);
    const doc = clinic.session.requireUser().id;
    expect(count(clinic.session.repos.store.sqlite, `SELECT count(*) FROM audit_log WHERE action = 'fhir.import' AND user_id = ?`, doc)).toBe(
      1 + 7 + 63 + 7 + 5 + 1 + 2 + 1 + 3,
    ); // a stopped course is a start and a stop
    // A restricted chart: a re-import into it needs the glass broken first.
    const mills = String(one(clinic.session.repos.store.sqlite, `SELECT id FROM patients WHERE family_name = 'Mills'`)['id']);
    await clinic.ok('patients.setRestricted', { id: mills, restricted: true });
    const refused = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: CLARENCE, text: text(CLARENCE) });
    expect(refused.errors.map((e) => e.message)).toEqual(['this chart is restricted: break the glass for it before importing into it']);
    expect(refused.patients).toMatchObject({ failed: 1, unchanged: 0 });
    await clinic.ok('patients.breakGlass', { patientId: mills, reason: 'importing the records sent by the old practice', password: CLINIC.doc.password });
    expect((await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: CLARENCE, text: text(CLARENCE) })).patients).toMatchObject({
      unchanged: 1,
      failed: 0,
    });
    const bad = await clinic.call('fhir.importBundle', { fileName: 'x.json', text: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const notJson = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: 'x.json', text: '{"resourceType": "Bundle", "type": "history"}' });
    expect(notJson.errors[0]).toMatchObject({ source: 'x.json', path: 'type' });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
    await clinic.ok('users.create', { username: 'nurse1', displayName: 'N. Nurse', role: 'nurse', password: 'tulip river 17' });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', { username: 'nurse1', password: 'tulip river 17' });
    expect(await clinic.call('fhir.importBundle', { fileName: EBONI, text: text(EBONI) })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
