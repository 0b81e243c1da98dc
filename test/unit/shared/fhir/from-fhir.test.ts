import { describe, expect, it } from 'vitest';
import { readBundle, patientOf, type ReadBundle, type SourceEntry } from '../../../../shared/fhir/bundle';
import { instant, mapResource, parseSnomedIcd10Map, visitTypeOf, type MapContext, type MapOutcome } from '../../../../shared/fhir/from-fhir';
import { mulberry32 } from '../../../helpers/prng';

const P = 'urn:uuid:11111111-1111-4111-8111-111111111111';
const E = 'urn:uuid:22222222-2222-4222-8222-222222222222';

function bundleOf(...resources: Record<string, unknown>[]): ReadBundle {
  const r = readBundle({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: P,
        resource: {
          resourceType: 'Patient',
          id: '11111111-1111-4111-8111-111111111111',
          name: [{ family: 'Doe', given: ['Jane', 'Q'] }],
          birthDate: '1980-02-29',
          gender: 'female',
        },
      },
      {
        fullUrl: E,
        resource: {
          resourceType: 'Encounter',
          id: '22222222-2222-4222-8222-222222222222',
          status: 'finished',
          class: { code: 'AMB' },
          subject: { reference: P },
        },
      },
      ...resources.map((resource, i) => ({ fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, resource })),
    ],
  });
  if ('error' in r) throw new Error(r.error.message);
  return r;
}

function map(b: ReadBundle, index: number, snomed: [string, string][] = []): MapOutcome {
  const ctx: MapContext = { snomedToIcd10: new Map(snomed), importedAt: '2026-01-02T03:04:05.000Z', resolve: b.resolve };
  return mapResource(
    b.entries.find((e) => e.index === index)!,
    ctx,
  );
}

function rows(o: MapOutcome): Record<string, unknown>[] {
  if (o.kind !== 'rows') throw new Error(`expected rows, got ${JSON.stringify(o)}`);
  return o.drafts.map((d) => d.row);
}

describe('readBundle', () => {
  it('refuses what is not an importable Bundle, with the path', () => {
    expect(readBundle({ resourceType: 'Patient' })).toEqual({
      error: { index: null, path: 'resourceType', resourceType: null, message: 'not a FHIR Bundle (resourceType must be "Bundle")' },
    });
    expect(readBundle({ resourceType: 'Bundle', type: 'history' })).toMatchObject({ error: { path: 'type' } });
  });

  it('resolves urn:uuid fullUrls, relative and absolute references, and names entries without a resource', () => {
    const b = readBundle({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ fullUrl: P, resource: { resourceType: 'Patient', id: 'abc' } }, { fullUrl: 'x' }, { resource: { resourceType: 'Observation' } }],
    });
    if ('error' in b) throw new Error('unexpected');
    expect(b.resolve(P)).toBe('Patient/abc');
    expect(b.resolve('Patient/xyz')).toBe('Patient/xyz');
    expect(b.resolve('https://ehr.example/fhir/Encounter/e1/_history/2')).toBe('Encounter/e1');
    expect(b.resolve('urn:uuid:unknown')).toBeNull();
    expect(b.issues.map((i) => i.path)).toEqual(['entry[1].resource', 'entry[2].resource.id']);
  });

  it('finds the patient of a resource by subject or patient', () => {
    const b = bundleOf({ resourceType: 'Immunization', patient: { reference: P }, vaccineCode: {} }, { resourceType: 'Organization', id: 'o' });
    const of = (e: SourceEntry): string | null => patientOf(e, b.resolve);
    expect(b.entries.map(of)).toEqual([
      'Patient/11111111-1111-4111-8111-111111111111',
      'Patient/11111111-1111-4111-8111-111111111111',
      'Patient/11111111-1111-4111-8111-111111111111',
      null,
    ]);
  });
});

describe('instant', () => {
  it('keeps dates, turns dateTimes into UTC, refuses what is not FHIR', () => {
    expect(instant('2011-08-08T04:33:37+02:00')).toBe('2011-08-08T02:33:37.000Z');
    expect(instant('2011-08-08')).toBe('2011-08-08');
    expect(instant('2011')).toBe('2011');
    expect(instant('2011-02-30')).toBeUndefined();
    expect(instant('08/08/2011')).toBeUndefined();
    expect(instant(undefined)).toBeNull();
  });
});

describe('mapResource', () => {
  it('Patient: names, sex, phone, address, identifiers (type code kept), no MRN unless a Cairn one', () => {
    const b = readBundle({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Patient',
            id: 'p1',
            name: [
              { use: 'official', family: 'Brekke', given: ['Eboni', 'Ann'] },
              { use: 'nickname', given: ['Ebby'] },
            ],
            gender: 'female',
            birthDate: '1995-07-10',
            telecom: [
              { system: 'phone', value: '555-377-3760', use: 'home' },
              { system: 'email', value: 'e@example.org' },
            ],
            address: [{ line: ['474 Renner Glen', 'Unit 69'], city: 'Canton', state: 'MA', postalCode: '02021', country: 'US' }],
            identifier: [
              { system: 'http://hospital.smarthealthit.org', value: 'ae30', type: { coding: [{ code: 'MR' }] } },
              { system: 'urn:cairn:mrn', value: '1000017' },
            ],
          },
        },
      ],
    }) as ReadBundle;
    expect(rows(map(b, 0))[0]).toMatchObject({
      given_name: 'Eboni',
      middle_name: 'Ann',
      family_name: 'Brekke',
      preferred_name: 'Ebby',
      sex: 'female',
      birth_date: '1995-07-10',
      phone: '555-377-3760',
      phone_digits: '5553773760',
      email: 'e@example.org',
      address_line1: '474 Renner Glen',
      address_line2: 'Unit 69',
      postal_code: '02021',
      identifiers: JSON.stringify([{ system: 'http://hospital.smarthealthit.org', value: 'ae30', type: 'MR' }]),
      mrn: '1000017',
    });
  });

  it('Patient: a missing or partial birth date and an unknown gender are errors with their paths', () => {
    const b = readBundle({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient', id: 'p', name: [{ given: ['A'] }], birthDate: '1980', gender: 'f' } }],
    }) as ReadBundle;
    const o = map(b, 0);
    expect(o.kind === 'error' && o.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'entry[0].resource.name[0].family: the patient has no family name',
      'entry[0].resource.birthDate: birth date "1980" is not a full calendar date (YYYY-MM-DD)',
      'entry[0].resource.gender: gender "f" is not one of female, male, other, unknown',
    ]);
  });

  it('Condition: keeps SNOMED, maps to ICD-10-CM when the map knows it, else says uncoded', () => {
    const cond = (code: string): Record<string, unknown> => ({
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code, display: 'Acute bronchitis (disorder)' }], text: 'Acute bronchitis (disorder)' },
      subject: { reference: P },
      onsetDateTime: '2017-05-25T19:20:19+00:00',
      abatementDateTime: '2017-06-08T19:20:19+00:00',
    });
    const b = bundleOf(cond('10509002'), cond('999'));
    const mapped = map(b, 2, [['10509002', 'J20.9']]);
    expect(rows(mapped)[0]).toMatchObject({
      snomed: '10509002',
      icd10: 'J20.9',
      display: 'Acute bronchitis (disorder)',
      clinical_status: 'resolved',
      onset_date: '2017-05-25',
      abatement_date: '2017-06-08',
      patient_id: { ref: 'Patient/11111111-1111-4111-8111-111111111111' },
    });
    const uncoded = map(b, 3, [['10509002', 'J20.9']]);
    expect(rows(uncoded)[0]).toMatchObject({ snomed: '999', icd10: null });
    expect(uncoded.kind === 'rows' && uncoded.notes).toEqual(['uncoded to ICD-10: SNOMED 999 (Acute bronchitis (disorder))']);
  });

  it('Observation: a vital converted to its UCUM storage unit, a coded survey answer, a blood-pressure panel split in two', () => {
    const b = bundleOf(
      {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body Weight' }] },
        subject: { reference: P },
        encounter: { reference: E },
        effectiveDateTime: '2020-01-01T10:00:00Z',
        valueQuantity: { value: 154, unit: 'lb', code: 'lb' },
      },
      {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ code: 'survey' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '72166-2' }], text: 'Tobacco smoking status' },
        subject: { reference: P },
        effectiveDateTime: '2020-01-01',
        valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '266919005', display: 'Never smoker' }] },
      },
      {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
        subject: { reference: P },
        encounter: { reference: E },
        effectiveDateTime: '2020-01-01T10:00:00Z',
        component: [
          { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, code: 'mm[Hg]' } },
          { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 80, code: 'mm[Hg]' } },
        ],
      },
    );
    expect(rows(map(b, 2))[0]).toMatchObject({
      category: 'vital-signs',
      loinc: '29463-7',
      value_num: 69.853,
      unit: 'kg',
      entered_as: '154 lb',
      effective_at: '2020-01-01T10:00:00.000Z',
      encounter_id: { ref: 'Encounter/22222222-2222-4222-8222-222222222222' },
    });
    expect(rows(map(b, 3))[0]).toMatchObject({
      category: 'survey',
      value_text: 'Never smoker',
      value_code: '266919005',
      value_system: 'http://snomed.info/sct',
      value_num: null,
      effective_at: '2020-01-01',
    });
    const bp = map(b, 4);
    expect(bp.kind === 'rows' && bp.drafts.map((d) => [d.key, d.row['loinc'], d.row['value_num'], d.vitalSet])).toEqual([
      ['#8480-6', '8480-6', 120, `${E}|2020-01-01T10:00:00.000Z`],
      ['#8462-4', '8462-4', 80, `${E}|2020-01-01T10:00:00.000Z`],
    ]);
  });

  it("Observation: a result's notes are kept as the lab's comments the results views show", () => {
    const b = bundleOf(
      {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ code: 'laboratory' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] },
        subject: { reference: P },
        effectiveDateTime: '2020-01-01T10:00:00Z',
        valueQuantity: { value: 6.1, code: 'mmol/L' },
        note: [{ text: 'Specimen hemolyzed' }, { text: ' ' }],
      },
      {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ code: 'laboratory' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] },
        subject: { reference: P },
        effectiveDateTime: '2020-01-02T10:00:00Z',
        valueQuantity: { value: 4.1, code: 'mmol/L' },
      },
    );
    expect(rows(map(b, 2))[0]).toMatchObject({ loinc: '2823-3', value_num: 6.1, lab_notes: '["Specimen hemolyzed"]' });
    expect(rows(map(b, 3))[0]!['lab_notes']).toBeUndefined();
  });

  it('MedicationRequest: a stopped course is a start and a stop; no date to start at is an error', () => {
    const med = (extra: Record<string, unknown>): Record<string, unknown> => ({
      resourceType: 'MedicationRequest',
      status: 'stopped',
      intent: 'order',
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '749762', display: 'Seasonique 91 Day Pack' }] },
      subject: { reference: P },
      ...extra,
    });
    const b = bundleOf(med({ authoredOn: '2010-10-04T19:35:35+00:00' }), med({}));
    const o = map(b, 2);
    expect(o.kind === 'rows' && o.drafts.map((d) => [d.key, d.row['event'], d.row['rxcui'], d.row['effective_at'], d.row['source']])).toEqual([
      ['#start', 'start', '749762', '2010-10-04T19:35:35.000Z', 'imported'],
      ['#stop', 'stop', '749762', '2026-01-02T03:04:05.000Z', 'imported'],
    ]);
    const bad = map(b, 3);
    expect(bad.kind === 'error' && bad.issues[0]).toEqual({
      index: 3,
      path: 'entry[3].resource.authoredOn',
      resourceType: 'MedicationRequest',
      message: 'the request has no authoredOn date to start the course at',
    });
  });

  it('Immunization (CVX), AllergyIntolerance, Procedure, DiagnosticReport, CarePlan', () => {
    const b = bundleOf(
      {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '140' }] },
        patient: { reference: P },
        occurrenceDateTime: '2011-08-08T04:33:37+00:00',
        primarySource: true,
      },
      {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: { coding: [{ code: 'active' }] },
        category: ['medication'],
        criticality: 'unable-to-assess',
        code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980', display: 'Penicillin G' }] },
        patient: { reference: P },
        reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'moderate' }],
      },
      {
        resourceType: 'Procedure',
        status: 'completed',
        code: { coding: [{ system: 'http://snomed.info/sct', code: '430193006', display: 'Medication Reconciliation' }] },
        subject: { reference: P },
        performedPeriod: { start: '2014-07-07T04:33:37+00:00', end: '2014-07-07T04:59:37+00:00' },
      },
      {
        resourceType: 'DiagnosticReport',
        status: 'final',
        category: [{ coding: [{ code: 'LAB' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '58410-2' }], text: 'CBC' },
        subject: { reference: P },
        result: [{ reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' }],
      },
      {
        resourceType: 'CarePlan',
        status: 'active',
        intent: 'order',
        category: [{ coding: [{ system: 'http://snomed.info/sct', code: '326051000000105', display: 'Self care' }] }],
        subject: { reference: P },
        activity: [
          { detail: { code: { coding: [{ system: 'http://snomed.info/sct', code: '409002', display: 'Food allergy diet' }] }, status: 'in-progress' } },
        ],
      },
      {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { coding: [{ system: 'urn:oid:1.2', code: 'X' }] },
        patient: { reference: P },
        occurrenceDateTime: '2011-08-08',
      },
      { resourceType: 'Claim', id: 'c' },
    );
    expect(rows(map(b, 2))[0]).toMatchObject({ cvx: '140', administered_on: '2011-08-08', source: 'historical', status: 'completed' });
    expect(rows(map(b, 3))[0]).toMatchObject({
      substance: 'Penicillin G',
      substance_code: '7980',
      substance_type: 'drug',
      criticality: 'unable_to_assess',
      severity: 'moderate',
      reactions: '["Hives"]',
      recorded_at: '2026-01-02T03:04:05.000Z',
    });
    expect(rows(map(b, 4))[0]).toMatchObject({
      code_system: 'http://snomed.info/sct',
      code: '430193006',
      performed_start: '2014-07-07T04:33:37.000Z',
      performed_end: '2014-07-07T04:59:37.000Z',
    });
    expect(rows(map(b, 5))[0]).toMatchObject({
      category: 'LAB',
      loinc: '58410-2',
      display: 'CBC',
      result_ids: { refs: ['Immunization/00000000-0000-4000-8000-000000000000'] },
    });
    expect(rows(map(b, 6))[0]).toMatchObject({
      category_code: '326051000000105',
      category_display: 'Self care',
      activities: JSON.stringify([{ code: '409002', system: 'http://snomed.info/sct', display: 'Food allergy diet', status: 'in-progress' }]),
    });
    expect(map(b, 7)).toEqual({ kind: 'skipped', reason: 'vaccine has no CVX code' });
    expect(map(b, 8)).toEqual({ kind: 'skipped', reason: 'billing data is not imported' });
    const odd = bundleOf({ resourceType: 'constructor', id: 'x' }, { resourceType: 'toString', id: 'y' });
    expect([map(odd, 2), map(odd, 3)]).toEqual([
      { kind: 'skipped', reason: 'constructor is not imported' },
      { kind: 'skipped', reason: 'toString is not imported' },
    ]);
  });

  it('a resource pointing at no patient of the bundle is an error at its subject', () => {
    const b = bundleOf({ resourceType: 'Procedure', status: 'completed', code: { text: 'x' }, subject: { reference: 'urn:uuid:nobody' } });
    const o = map(b, 2);
    expect(o.kind === 'error' && o.issues.map((i) => i.path)).toEqual(['entry[2].resource.subject.reference']);
  });
});

describe('visitTypeOf and the SNOMED map', () => {
  it('reads visit types from the encounter type text and class', () => {
    expect(visitTypeOf({ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, type: [{ text: 'Follow-up encounter' }] })).toBe('follow_up');
    expect(visitTypeOf({ resourceType: 'Encounter', status: 'finished', class: { code: 'VR' }, type: [{ text: 'phone' }] })).toBe('phone');
    expect(visitTypeOf({ resourceType: 'Encounter', status: 'finished', class: { code: 'VR' } })).toBe('telehealth');
    expect(visitTypeOf({ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, type: [{ text: 'Encounter for check up (procedure)' }] })).toBe(
      'office_visit',
    );
    expect(visitTypeOf({ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, type: [{ text: 'Outpatient procedure' }] })).toBe('procedure');
    expect(visitTypeOf({ resourceType: 'Encounter', status: 'finished', class: { code: 'EMER' } })).toBe('office_visit');
  });

  it('parses the shipped TSV (comments and header skipped)', () => {
    expect([...parseSnomedIcd10Map('# c\nsnomed\ticd10\tsnomed_display\n38341003\tI10\tHypertension\n\n').entries()]).toEqual([['38341003', 'I10']]);
  });
});

describe('malformed resources (seeded fuzz)', () => {
  /** A failure replays from its seed. */
  const rng = mulberry32;
  const ODD: unknown[] = [null, 0, -1, 1e308, '', 'x', '2011-13-45', true, [], {}, [null], [{}], { coding: 5 }, { reference: 7 }, '\u0000', 'constructor'];

  /** Replaces one value somewhere in the resource with an odd one. */
  function mutate(v: unknown, next: () => number, depth = 0): unknown {
    if (Array.isArray(v))
      return v.length === 0 || next() < 0.2
        ? ODD[Math.floor(next() * ODD.length)]
        : (v as unknown[]).map((x, i): unknown => (i === Math.floor(next() * v.length) ? mutate(x, next, depth + 1) : x));
    if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 0 || (depth > 0 && next() < 0.2)) return ODD[Math.floor(next() * ODD.length)];
      const k = keys[Math.floor(next() * keys.length)]!;
      return { ...v, [k]: k === 'resourceType' ? (v as Record<string, unknown>)[k] : mutate((v as Record<string, unknown>)[k], next, depth + 1) };
    }
    return ODD[Math.floor(next() * ODD.length)];
  }

  it('never throws: 3,000 mutated resources each map to rows, a skip, or errors with a path', () => {
    const seed = 20261125;
    const next = rng(seed);
    const base = bundleOf(
      {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }] },
        subject: { reference: P },
        effectiveDateTime: '2020-01-01',
        valueQuantity: { value: 170, code: 'cm' },
      },
      {
        resourceType: 'Condition',
        code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }] },
        subject: { reference: P },
        onsetDateTime: '2020-01-01',
      },
      {
        resourceType: 'MedicationRequest',
        status: 'stopped',
        intent: 'order',
        medicationCodeableConcept: { coding: [{ code: '1' }] },
        subject: { reference: P },
        authoredOn: '2020-01-01',
        dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } } }],
      },
      { resourceType: 'AllergyIntolerance', code: { text: 'x' }, patient: { reference: P }, reaction: [{ manifestation: [{ text: 'hives' }] }] },
      {
        resourceType: 'CarePlan',
        status: 'active',
        intent: 'plan',
        subject: { reference: P },
        activity: [{ detail: { code: { text: 'a' } } }],
        addresses: [{ reference: P }],
      },
    );
    for (let i = 0; i < 3000; i++) {
      const entry = base.entries[i % base.entries.length]!;
      const resource = mutate(entry.resource, next) as SourceEntry['resource'];
      const ctx: MapContext = { snomedToIcd10: new Map(), importedAt: '2026-01-01T00:00:00.000Z', resolve: base.resolve };
      let out: MapOutcome;
      try {
        out = mapResource({ ...entry, resource }, ctx);
      } catch (e) {
        throw new Error(`seed ${seed}, case ${i}: threw ${String(e)} on ${JSON.stringify(resource)}`);
      }
      if (out.kind === 'error') expect(out.issues.every((x) => x.path.startsWith(`entry[${entry.index}].resource`) && x.message !== '')).toBe(true);
      // What does map is bindable: SQLite values, or references the importer resolves.
      const bad =
        out.kind === 'rows'
          ? out.drafts.flatMap((d) =>
              Object.entries(d.row).filter(
                ([, v]) =>
                  !(
                    v === null ||
                    typeof v === 'string' ||
                    (typeof v === 'number' && Number.isFinite(v)) ||
                    (typeof v === 'object' && ('ref' in v || 'refs' in v))
                  ),
              ),
            )
          : [];
      if (bad.length > 0) throw new Error(`seed ${seed}, case ${i}: unbindable ${JSON.stringify(bad)} from ${JSON.stringify(resource)}`);
    }
  });
});
