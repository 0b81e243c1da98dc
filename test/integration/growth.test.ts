import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartSummary, VitalObservation } from '../../shared/domain/chart';
import type { GrowthChart } from '../../shared/domain/growth-view';
import type { Patient } from '../../shared/domain/patient';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { pdfLines } from '../helpers/pdf-text';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const UNITS = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' } as const;
const TODAY = new Date('2026-12-05T15:00:00Z');

/** The CDC 2000 file's published percentile columns for one sex and age (months at the half month). */
function cdcRow(file: string, sex: 1 | 2, agemos: number): Record<string, number> {
  const [head, ...rows] = readFileSync(`${resourcesDir}/growth/${file}`, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const row = rows.map((r) => r.split(',').map(Number)).find((r) => r[0] === sex && r[1] === agemos)!;
  return Object.fromEntries(cols.map((c, i) => [c, row[i]!]));
}

describe('growth charts and blood pressure categories over a real encrypted database', () => {
  const t = tempDir('cairn-growth-');
  let c: Clinic;
  const record = (patientId: string, takenAt: string, v: Record<string, number>): Promise<VitalObservation[]> =>
    c.ok<VitalObservation[]>('vitals.record', { patientId, takenAt, units: UNITS, ...v });

  beforeAll(async () => {
    c = await openClinic(t.dir, () => TODAY);
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('judges a 9-month-old boy against WHO 2006 and plots every measurement with its percentile', async () => {
    const p = await c.ok<Patient>('patients.create', { givenName: 'Theo', familyName: 'Growth', birthDate: '2026-03-01', sex: 'male' });
    // WHO medians (wfa boys): 3.3464 kg at day 0; a heavy baby later.
    await record(p.id, '2026-03-01T10:00:00Z', { weight: 3.3464, height: 49.884, headCircumference: 34.4618 });
    await record(p.id, '2026-06-01T10:00:00Z', { weight: 7.0, height: 62.0 });
    const last = await record(p.id, '2026-12-01T10:00:00Z', { weight: 9.2, height: 72.0, headCircumference: 45.0 });
    const weight = last.find((v) => v.kind === 'weight')!;
    const wfa = weight.assessment!.growth.find((g) => g.measure === 'weightForAge')!;
    expect(wfa.reference).toMatch(/WHO 2006/);
    expect(wfa.percentile).toBeGreaterThan(40);
    expect(wfa.percentile).toBeLessThan(80);
    // Weight with a length in the same set is also judged weight-for-length.
    expect(weight.assessment!.growth.map((g) => g.measure)).toContain('weightForLength');

    const chart = await c.ok<GrowthChart>('growth.chart', { patientId: p.id });
    expect(chart.unavailable).toBeNull();
    const w = chart.measures.find((m) => m.measure === 'weightForAge')!;
    expect(w.points).toHaveLength(3);
    // The birth weight at the WHO median is the 50th percentile (z 0; weight is stored to the gram).
    expect(w.points[0]!.reading!.z).toBeCloseTo(0, 2);
    expect(w.segments.map((s) => s.source)).toEqual(['WHO 2006', 'CDC 2000']);
    expect(w.segments[0]!.curves.map((cv) => cv.percentile)).toEqual([3, 10, 25, 50, 75, 90, 97]);
    const head = chart.measures.find((m) => m.measure === 'headForAge')!;
    expect(head.points).toHaveLength(2);

    // A child's heart rate is flagged from Fleming 2011, whose values are marked as not verified against the published table.
    const hr = (await record(p.id, '2026-12-01T10:05:00Z', { heartRate: 128 })).find((v) => v.kind === 'heartRate')!;
    expect(hr.assessment!.reference).toMatchObject({ verified: false, note: 'Values not verified against the published table' });
    expect(hr.assessment!.reference!.name).toMatch(/Fleming 2011/);
  });

  it('flags an obese 10-year-old girl on BMI-for-age and names CDC 2000 as the reference', async () => {
    const p = await c.ok<Patient>('patients.create', { givenName: 'Maya', familyName: 'Growth', birthDate: '2016-06-01', sex: 'female' });
    const p95 = cdcRow('cdc2000-bmiagerev.csv', 2, 120.5).P95!;
    // 140 cm and a weight that puts BMI 10 % above the published 95th percentile.
    const weight = Math.round(p95 * 1.1 * 1.4 * 1.4 * 10) / 10;
    const set = await record(p.id, '2026-06-16T09:00:00Z', { weight, height: 140 });
    const bmi = set.find((v) => v.kind === 'bmi')!.assessment!.growth[0]!;
    expect(bmi.measure).toBe('bmiForAge');
    expect(bmi.reference).toMatch(/CDC 2000/);
    expect(bmi.percentile).toBeGreaterThan(95);
    expect(bmi.percentOfP95).toBeGreaterThan(105);
    expect(bmi.flags.map((f) => f.code)).toContain('obesity');
    expect(bmi.flags.find((f) => f.code === 'obesity')!.reference).toMatch(/CDC 2000/);
    expect(bmi.flags.map((f) => f.code)).not.toContain('severeObesity');

    // The face sheet shows the percentile and the flag beside the latest BMI.
    const summary = await c.ok<ChartSummary>('chart.summary', { patientId: p.id });
    const faceBmi = summary.lastVitals.find((v) => v.kind === 'bmi')!;
    expect(faceBmi.assessment!.growth[0]!.flags.map((f) => f.code)).toContain('obesity');
    const chart = await c.ok<GrowthChart>('growth.chart', { patientId: p.id });
    expect(chart.flags.map((f) => f.code)).toContain('obesity');

    // Severe obesity from 120 % of the 95th percentile.
    const heavier = Math.round(p95 * 1.25 * 1.4 * 1.4 * 10) / 10;
    const later = await record(p.id, '2026-07-01T09:00:00Z', { weight: heavier, height: 140 });
    expect(later.find((v) => v.kind === 'bmi')!.assessment!.growth[0]!.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['obesity', 'severeObesity']));
  });

  it("categorises a 7-year-old's blood pressure from their height percentile (AAP 2017 table 4)", async () => {
    const short = await c.ok<Patient>('patients.create', { givenName: 'Sam', familyName: 'Short', birthDate: '2019-02-15', sex: 'male' });
    const tall = await c.ok<Patient>('patients.create', { givenName: 'Tom', familyName: 'Tall', birthDate: '2019-02-15', sex: 'male' });
    const at = '2026-03-01T09:00:00Z';
    const h = cdcRow('cdc2000-statage.csv', 1, 84.5);
    // The same 110/60 is stage 1 for a boy at the 5th height percentile (95th BP percentile 110)
    // and normal for one at the 95th (90th BP percentile 111).
    const s = await record(short.id, at, { height: h.P5! - 0.2, systolic: 110, diastolic: 60 });
    const tl = await record(tall.id, at, { height: h.P95! + 0.5, systolic: 110, diastolic: 60 });
    const sBp = s.find((v) => v.kind === 'systolic')!;
    const tBp = tl.find((v) => v.kind === 'systolic')!;
    expect(sBp.assessment!.bp).toMatchObject({ category: 'stage1', heightPercentileColumn: 5 });
    expect(sBp.assessment!.bp!.basis).toMatch(/AAP 2017/);
    expect(sBp.interpretation).toBe('H');
    expect(tBp.assessment!.bp).toMatchObject({ category: 'normal', heightPercentileColumn: 95 });
    expect(tBp.interpretation).toBe('N');

    // Without a height on record the guideline's screening values (5th height column) are used, and said so.
    const none = await c.ok<Patient>('patients.create', { givenName: 'Ned', familyName: 'Noheight', birthDate: '2019-02-15', sex: 'male' });
    const n = await record(none.id, at, { systolic: 107, diastolic: 60 });
    expect(n.find((v) => v.kind === 'systolic')!.assessment!.bp).toMatchObject({ category: 'elevated', heightPercentile: null });
    expect(n.find((v) => v.kind === 'systolic')!.assessment!.bp!.basis).toMatch(/screening|no height/i);
  });

  it("follows the clinic's adult guideline: ACC/AHA 2017 by default, ESC/ESH 2018 when an administrator chooses it", async () => {
    const p = await c.ok<Patient>('patients.create', { givenName: 'Al', familyName: 'Adult', birthDate: '1970-01-01', sex: 'male' });
    const a = await record(p.id, '2026-12-01T09:00:00Z', { systolic: 134, diastolic: 78 });
    expect(a.find((v) => v.kind === 'systolic')!.assessment!.bp).toMatchObject({ category: 'stage1' });
    expect(a.find((v) => v.kind === 'systolic')!.interpretation).toBe('H');
    // Only an administrator changes it.
    expect(await c.call('settings.setBloodPressure', { adultGuideline: 'esc-esh-2018' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.admin);
    expect(await c.call('settings.setBloodPressure', { adultGuideline: 'who-1999' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await c.ok('settings.setBloodPressure', { adultGuideline: 'esc-esh-2018' });
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.doc);
    const b = await record(p.id, '2026-12-02T09:00:00Z', { systolic: 134, diastolic: 78 });
    expect(b.find((v) => v.kind === 'systolic')!.assessment!.bp).toMatchObject({ category: 'elevated' });
    expect(b.find((v) => v.kind === 'systolic')!.interpretation).toBe('N');
    const high = await record(p.id, '2026-12-03T09:00:00Z', { systolic: 142, diastolic: 88 });
    expect(high.find((v) => v.kind === 'systolic')!.interpretation).toBe('H');
    // The earlier reading keeps the flag it was stored with.
    expect(a.find((v) => v.kind === 'systolic')!.interpretation).toBe('H');
  });

  it("corrects a premature baby's age until 24 months once the gestational age is recorded", async () => {
    const p = await c.ok<Patient>('patients.create', { givenName: 'Pia', familyName: 'Preterm', birthDate: '2026-06-01', sex: 'female' });
    await record(p.id, '2026-10-01T09:00:00Z', { weight: 5.0 });
    const before = await c.ok<GrowthChart>('growth.chart', { patientId: p.id });
    const p0 = before.measures.find((m) => m.measure === 'weightForAge')!.points[0]!;
    expect(p0.reading!.correctedAge).toBe(false);
    expect(await c.call('growth.setBirthHistory', { patientId: p.id, gestationalWeeks: 19, gestationalDays: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    await c.ok('growth.setBirthHistory', { patientId: p.id, gestationalWeeks: 32, gestationalDays: 0 });
    const after = await c.ok<GrowthChart>('growth.chart', { patientId: p.id });
    const p1 = after.measures.find((m) => m.measure === 'weightForAge')!.points[0]!;
    expect(after.gestationalAgeWeeks).toBe(32);
    // 730 days (24 months) from birth.
    expect(after.correctedUntil).toBe('2028-05-31');
    expect(p1.reading!.correctedAge).toBe(true);
    // 8 weeks early: judged 56 days younger, so the same 5.0 kg is a higher percentile.
    expect(p1.ageDays).toBe(p0.ageDays - 56);
    expect(p1.reading!.percentile).toBeGreaterThan(p0.reading!.percentile);
  });

  it('prints the growth charts as a PDF naming the reference, and says when there is nothing to chart', async () => {
    const p = await c.ok<Patient>('patients.create', { givenName: 'Ivy', familyName: 'Print', birthDate: '2025-01-10', sex: 'female' });
    await record(p.id, '2026-01-10T09:00:00Z', { weight: 9.0, height: 74 });
    const pdf = await c.ok<{ fileName: string; base64: string }>('growth.pdf', { patientId: p.id });
    const text = pdfLines(Buffer.from(pdf.base64, 'base64')).join('\n');
    expect(pdf.fileName).toMatch(/^growth-chart-.*\.pdf$/);
    expect(text).toContain('Weight-for-age');
    expect(text).toMatch(/WHO 2006/);
    const adult = await c.ok<Patient>('patients.create', { givenName: 'Ole', familyName: 'Adult', birthDate: '1960-01-01', sex: 'male' });
    expect((await c.ok<GrowthChart>('growth.chart', { patientId: adult.id })).unavailable).toMatch(/20 years/);
    const unknown = await c.ok<Patient>('patients.create', { givenName: 'Kim', familyName: 'Unknown', birthDate: '2024-01-01', sex: 'unknown' });
    expect((await c.ok<GrowthChart>('growth.chart', { patientId: unknown.id })).unavailable).toMatch(/by sex/);
  });
});
