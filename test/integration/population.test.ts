import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirImporter } from '../../electron/services/fhir/import';
import type { Patient } from '../../shared/domain/patient';
import type { DueList, MeasurePatient, MeasureSummary, MeasureTrendPoint, PreventiveItemView } from '../../shared/domain/population-report';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { cairn } from '../helpers/cli';
import { tempDir } from '../helpers/temp-db';

const NOW = new Date('2026-06-15T12:00:00Z');
const UNITS = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' };

describe('preventive care and quality measures over a real encrypted database, through the dispatcher', () => {
  const t = tempDir('cairn-population-');
  let c: Clinic;
  let controlled: Patient;
  let uncontrolled: Patient;
  let young: Patient;

  async function hypertensive(given: string, systolic: number, diastolic: number): Promise<Patient> {
    const p = await c.ok<Patient>('patients.create', { givenName: given, familyName: 'Measure', birthDate: '1962-02-20', sex: 'female' });
    await c.ok('problems.add', { patientId: p.id, icd10: 'I10', onsetDate: '2019-05-01', chronic: true });
    const visit = await c.ok<{ id: string }>('encounters.create', { patientId: p.id, visitType: 'follow_up' });
    await c.ok('vitals.record', { patientId: p.id, encounterId: visit.id, takenAt: '2026-06-15T11:00:00Z', units: UNITS, systolic, diastolic });
    return p;
  }

  beforeAll(async () => {
    c = await openClinic(t.dir, () => NOW);
    controlled = await hypertensive('Controlled', 128, 78);
    uncontrolled = await hypertensive('Uncontrolled', 140, 90);
    young = await c.ok<Patient>('patients.create', { givenName: 'Young', familyName: 'Adult', birthDate: '2000-01-01', sex: 'male' });
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('shows one chart what is due, overdue, done (with the evidence) and not applicable (with why)', async () => {
    const items = await c.ok<PreventiveItemView[]>('population.preventive', { patientId: controlled.id });
    const byId = new Map(items.map((i) => [i.ruleId, i]));
    expect(byId.get('blood-pressure-screening')).toMatchObject({
      status: 'done',
      dueOn: '2027-06-15',
      evidence: { kind: 'observation', code: '8480-6', on: '2026-06-15' },
      rulesVersion: '2026.1',
    });
    expect(byId.get('colorectal-cancer-screening')).toMatchObject({
      status: 'overdue',
      dueOn: '2007-02-20',
      why: expect.stringContaining('no colonoscopy') as unknown,
    });
    expect(byId.get('breast-cancer-screening')).toMatchObject({ status: 'overdue', citation: expect.stringContaining('USPSTF (grade B), 2024-04') as unknown });
    expect(byId.get('diabetes-screening')).toMatchObject({ status: 'not_applicable', why: 'no overweight or obesity (BMI 25 or more) recorded' });
    const youngItems = await c.ok<PreventiveItemView[]>('population.preventive', { patientId: young.id });
    expect(youngItems.find((i) => i.ruleId === 'breast-cancer-screening')).toMatchObject({ status: 'not_applicable', why: 'for female patients' });
    // The immunization forecast of the charting issue is part of the list.
    expect(youngItems.some((i) => i.ruleId.startsWith('immunization:'))).toBe(true);
  });

  it('lists the practice’s patients due, filters by rule, and exports CSV for outreach', async () => {
    const list = await c.ok<DueList>('population.dueList', { on: '2026-06-15', ruleIds: ['colorectal-cancer-screening'] });
    expect(list.rows.map((r) => r.name).sort()).toEqual(['Measure, Controlled', 'Measure, Uncontrolled']);
    expect(list.counts.find((x) => x.ruleId === 'hiv-screening')).toMatchObject({ overdue: 3 });
    const csv = await c.ok<{ fileName: string; csv: string }>('population.dueListCsv', { on: '2026-06-15', ruleIds: ['hiv-screening'] });
    expect(csv.fileName).toBe('cairn-due-list-2026-06-15.csv');
    const lines = csv.csv.trim().split('\r\n');
    expect(lines[0]).toBe('patient_id,name,mrn,birth_date,item,status,due_on,last_done,rules_version');
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((l) => l.includes(',HIV screening (once),overdue,'))).toBe(true);
  });

  it('computes CMS165 with the patients of each group: 140/90 exactly is a gap', async () => {
    const ms = await c.ok<MeasureSummary[]>('population.measures', { year: 2026 });
    expect(ms.map((m) => m.id)).toEqual(['CMS165', 'CMS122', 'CMS125', 'CMS130', 'CMS138', 'CMS117']);
    expect(ms[0]!.populations[0]).toMatchObject({ denominator: 2, exclusions: 0, numerator: 1, gaps: 1, rate: 0.5 });
    const gaps = await c.ok<MeasurePatient[]>('population.measurePatients', { year: 2026, measureId: 'CMS165', group: 'gaps' });
    expect(gaps.map((p) => p.id)).toEqual([uncontrolled.id]);
    // Both women are 64: in the breast screening denominator, with no mammogram.
    expect(ms.find((m) => m.id === 'CMS125')!.populations[0]).toMatchObject({ denominator: 2, numerator: 0, gaps: 2 });
    const trend = await c.ok<MeasureTrendPoint[]>('population.measuresTrend', { year: 2026 });
    expect(trend.filter((p) => p.measureId === 'CMS165').map((p) => [p.periodEnd, p.rate])).toEqual([
      ['2026-03-31', null],
      ['2026-06-30', 0.5],
      ['2026-09-30', 0.5],
      ['2026-12-31', 0.5],
    ]);
  });

  it('exports the measure report as CSV and PDF, and audits each practice-wide report', async () => {
    const csv = await c.ok<{ csv: string }>('population.measuresCsv', { year: 2026 });
    expect(csv.csv.split('\r\n')[1]).toBe(
      'CMS165,Controlling High Blood Pressure,Blood pressure below 140/90,2026-01-01,2026-12-31,2,0,1,1,50.0,higher is better',
    );
    const pdf = await c.ok<{ base64: string }>('population.measuresPdf', { year: 2026 });
    const doc = await PDFDocument.load(Buffer.from(pdf.base64, 'base64'));
    expect(doc.getTitle()).toBe('Quality measures 2026');
    const audited = c.session.repos.store.sqlite.prepare(`SELECT action, record_id AS id FROM audit_log WHERE action LIKE 'population.%' ORDER BY seq`).all();
    expect(audited).toEqual(
      expect.arrayContaining([
        { action: 'population.measures', id: '2026' },
        { action: 'population.measure_patients', id: '2026 CMS165 main gaps' },
        { action: 'population.measures_export', id: '2026' },
      ]),
    );
  });

  it('sees a new reading at once (the cached practice facts are dropped on a clinical write, not on an audit entry)', async () => {
    await c.ok<MeasurePatient[]>('population.measurePatients', { year: 2026, measureId: 'CMS165', group: 'gaps' });
    await c.ok('vitals.record', { patientId: uncontrolled.id, takenAt: '2026-06-15T11:30:00Z', units: UNITS, systolic: 122, diastolic: 80 });
    const ms = await c.ok<MeasureSummary[]>('population.measures', { year: 2026 });
    expect(ms[0]!.populations[0]).toMatchObject({ denominator: 2, numerator: 2, gaps: 0, rate: 1 });
  });

  it('refuses bad input with a message a person can act on', async () => {
    expect(await c.call('population.measures', { year: 1999 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await c.call('population.measurePatients', { year: 2026, measureId: 'CMS999', group: 'gaps' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'no measure CMS999; Cairn reports CMS165, CMS122, CMS125, CMS130, CMS138, CMS117' },
    });
    expect(await c.call('population.dueList', { on: '2026-02-30' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('prints the same figures from the command line', () => {
    c.session.close();
    const r = cairn(['report', 'measures', '--db', join(t.dir, 'clinic.cairn'), '--period', '2026'], { CAIRN_PASSPHRASE: CLINIC.passphrase });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { measures: MeasureSummary[] };
    expect(out.measures[0]!.populations[0]).toMatchObject({ denominator: 2, numerator: 2, gaps: 0 });
    const bad = cairn(['report', 'measures', '--db', join(t.dir, 'clinic.cairn'), '--period', 'last year'], { CAIRN_PASSPHRASE: CLINIC.passphrase });
    expect(bad).toMatchObject({ code: 2, err: 'cairn: --period must be a year such as 2026 (got "last year")\n' });
    const csv = cairn(['report', 'due', '--db', join(t.dir, 'clinic.cairn'), '--on', '2026-06-15', '--rule', 'hiv-screening', '--csv'], {
      CAIRN_PASSPHRASE: CLINIC.passphrase,
    });
    expect(csv.code).toBe(0);
    expect(csv.out.trim().split('\r\n')).toHaveLength(4);
  });
});

describe('the due list over the Synthea fixtures', () => {
  const t = tempDir('cairn-population-synthea-');
  let c: Clinic;
  beforeAll(async () => {
    c = await openClinic(t.dir, () => NOW);
    const dir = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');
    const importer = new FhirImporter(c.session.repos, { userId: 'cli:test' });
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) importer.importText(readFileSync(join(dir, f), 'utf8'), f);
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('gives plausible numbers: the living adults, with what their bundles hold', async () => {
    const list = await c.ok<DueList>('population.dueList', { on: '2026-06-15', limit: 100_000 });
    const count = (id: string): number => {
      const n = list.counts.find((x) => x.ruleId === id)!;
      return n.due + n.overdue;
    };
    // 12 bundles, 3 of them patients who have died (Mertz, Wisoky, Franecki): 9 living, all adults.
    expect(new Set(list.rows.map((r) => r.patientId)).size).toBe(9);
    expect(list.rows.some((r) => /^(Mertz|Wisoky|Franecki),/.test(r.name))).toBe(false);
    expect(count('blood-pressure-screening')).toBe(9);
    // Colorectal (45–75): Clarence Mills (46) has no screening on record; Stan Steuber (57) had a colonoscopy in 2019.
    expect(list.rows.filter((r) => r.ruleId === 'colorectal-cancer-screening').map((r) => r.name)).toEqual(['Mills, Clarence']);
  });

  it('shows, for patients checked by hand against their bundles, the evidence that satisfied each item', async () => {
    const find = (family: string): string =>
      (c.session.repos.store.sqlite.prepare(`SELECT id FROM patients WHERE family_name LIKE ?`).get(`${family}%`) as { id: string }).id;
    const items = async (family: string): Promise<Map<string, PreventiveItemView>> =>
      new Map((await c.ok<PreventiveItemView[]>('population.preventive', { patientId: find(family), on: '2026-06-15' })).map((i) => [i.ruleId, i]));
    // Stan Steuber: Procedure 73761001 Colonoscopy performed 2019-05-09.
    expect((await items('Steuber')).get('colorectal-cancer-screening')).toMatchObject({
      status: 'done',
      dueOn: '2029-05-09',
      evidence: { kind: 'procedure', code: '73761001', on: '2019-05-09' },
    });
    // Alix Reilly: HIV antigen test and hepatitis C antibody test (2011 … 2020-10-07), cervical smears the same days; turned 40 on 2025-12-04.
    const alix = await items('Reilly');
    expect(alix.get('hiv-screening')).toMatchObject({ status: 'done', evidence: { code: '31676001', on: '2020-10-07' } });
    expect(alix.get('hepatitis-c-screening')).toMatchObject({ status: 'done', evidence: { code: '104375008', on: '2020-10-07' } });
    expect(alix.get('cervical-cancer-screening')).toMatchObject({ status: 'overdue', dueOn: '2023-10-07', evidence: { code: '90226004', on: '2020-10-07' } });
    expect(alix.get('breast-cancer-screening')).toMatchObject({ status: 'overdue', dueOn: '2025-12-04', why: 'no mammogram on record' });
    expect((await items('Douglas')).get('breast-cancer-screening')).toMatchObject({ status: 'not_applicable', why: 'for female patients' });
    expect((await items('Franecki')).get('blood-pressure-screening')).toMatchObject({
      status: 'not_applicable',
      why: expect.stringMatching(/^deceased/) as unknown,
    });
  });
});
