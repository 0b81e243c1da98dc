import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildFlynnTables,
  classifyBp,
  completedYears,
  FLYNN_FILES,
  GROWTH_FILES,
  heightColumn,
  parseFlynnTable,
  type AdultBpGuideline,
  type BpAssessment,
  type GrowthSex,
} from '../../../../../shared/domain/growth';
import { DIR, read } from './growth.helpers';

const flynn = buildFlynnTables(read);
const COLUMNS = [5, 10, 25, 50, 75, 90, 95];

/** Table 4/5 values read straight from the published file: [systolic, diastolic] at age, BP percentile and height column. */
function published(sex: GrowthSex, age: number, bp: number, heightCol: number): [number, number] {
  const line = read(FLYNN_FILES[sex])
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .find((c) => c[0] === age && c[1] === bp)!;
  const i = COLUMNS.indexOf(heightCol);
  return [line[2 + i]!, line[9 + i]!];
}

const YEAR = 365.25;
type Input = Partial<Parameters<typeof classifyBp>[1]> & { systolic: number; diastolic: number };
const bp = (m: Input): BpAssessment | null =>
  classifyBp(flynn, { sex: 'male', ageDays: 7.5 * YEAR, heightPercentile: 50, adultGuideline: 'acc-aha-2017', ...m });
const cat = (m: Input): string | undefined => bp(m)?.category;

/** The file's text with line `n` (1-based) replaced. */
function withLine(file: string, n: number, replacement: string): string {
  const lines = read(file).split('\n');
  lines[n - 1] = replacement;
  return lines.join('\n');
}

describe('the AAP 2017 tables', () => {
  it('every data file in resources/growth is read: GROWTH_FILES and FLYNN_FILES name them all', () => {
    const shipped = readdirSync(DIR).filter((f) => !f.endsWith('.md'));
    expect([...GROWTH_FILES.map((f) => f.file), ...Object.values(FLYNN_FILES)].sort()).toEqual(shipped.sort());
  });

  it('parses 17 ages × 3 BP percentiles, 7 systolic and 7 diastolic values each', () => {
    expect(flynn.male).toHaveLength(51);
    expect(flynn.female).toHaveLength(51);
    expect(flynn.male.find((r) => r.age === 7 && r.bpPercentile === 90)).toEqual({
      age: 7,
      bpPercentile: 90,
      systolic: [106, 107, 108, 109, 110, 111, 111],
      diastolic: [68, 68, 69, 70, 70, 71, 71],
    });
  });

  it('refuses a malformed row, naming the file and line', () => {
    const f = 'flynn2017-bp-girls.tsv';
    expect(() => parseFlynnTable(withLine(f, 3, '1 90 98 99 99 100'), f)).toThrow(`${f} line 3: 6 columns, expected 16`);
    expect(() => parseFlynnTable(withLine(f, 4, '1 95 101 102 102 103 104 105 105 59 59 60 6o 61 62 62'), f)).toThrow(
      `${f} line 4: diastolic at the 50th height percentile is '6o', not a positive whole number`,
    );
    expect(() => parseFlynnTable(withLine(f, 4, '1 90 101 102 102 103 104 105 105 59 59 60 60 61 62 62'), f)).toThrow(
      `${f} line 4: a second row for age 1, 90th percentile`,
    );
    expect(() => parseFlynnTable(withLine(f, 4, '1 85 101 102 102 103 104 105 105 59 59 60 60 61 62 62'), f)).toThrow(
      `${f} line 4: BP percentile 85 is not 50, 90 or 95`,
    );
    expect(() => parseFlynnTable(withLine(f, 1, 'age bp 5 10 25 50 75 90 95 5 10 25 50 75 90 95'), f)).toThrow(`${f} line 1: header must be`);
    expect(() => parseFlynnTable(withLine(f, 4, ''), f)).toThrow(`${f}: no row for age 1, 95th BP percentile`);
  });
});

describe('children 1–12 years (AAP 2017)', () => {
  it('boys age 7, 50th height: elevated right at the 90th percentile of table 4, normal one below', () => {
    const [sys90, dia90] = published('male', 7, 90, 50);
    expect([sys90, dia90]).toEqual([109, 70]);
    expect(bp({ systolic: sys90, diastolic: 60 })).toEqual({
      category: 'elevated',
      label: 'Elevated',
      systolicBand: '90th to < 95th',
      diastolicBand: '< 90th',
      heightPercentileColumn: 50,
      basis: 'AAP 2017 table 4 (boys), age 7, height 50th percentile → 50th column',
      reference: expect.stringContaining('Pediatrics 2017;140(3):e20171904') as string,
    });
    expect(cat({ systolic: sys90 - 1, diastolic: 60 })).toBe('normal');
    expect(cat({ systolic: 100, diastolic: dia90 })).toBe('elevated');
    expect(cat({ systolic: 100, diastolic: dia90 - 1 })).toBe('normal');
  });

  it('stage 1 from the 95th, stage 2 from the 95th + 12 mm Hg; the worse of systolic and diastolic', () => {
    const [sys95, dia95] = published('male', 7, 95, 50);
    expect(bp({ systolic: sys95, diastolic: 60 })).toMatchObject({ category: 'stage1', label: 'Stage 1 hypertension', systolicBand: '≥ 95th' });
    expect(cat({ systolic: sys95 - 1, diastolic: 60 })).toBe('elevated');
    expect(bp({ systolic: sys95 + 12, diastolic: 60 })).toMatchObject({ category: 'stage2', label: 'Stage 2 hypertension', systolicBand: '≥ 95th + 12 mm Hg' });
    expect(cat({ systolic: sys95 + 11, diastolic: 60 })).toBe('stage1');
    expect(cat({ systolic: 100, diastolic: dia95 })).toBe('stage1');
    expect(cat({ systolic: 100, diastolic: dia95 + 12 })).toBe('stage2');
    expect(bp({ systolic: sys95, diastolic: dia95 + 12 })).toMatchObject({ category: 'stage2', systolicBand: '≥ 95th', diastolicBand: '≥ 95th + 12 mm Hg' });
  });

  it('120/80 and 140/90 apply where they are lower than the percentiles (tall 12-year-old boy)', () => {
    const m = { ageDays: 12.5 * YEAR, heightPercentile: 97 };
    expect(published('male', 12, 90, 95)).toEqual([122, 76]);
    expect(published('male', 12, 95, 95)).toEqual([128, 79]);
    expect(bp({ ...m, systolic: 120, diastolic: 60 })).toMatchObject({ category: 'elevated', systolicBand: '≥ 120 mm Hg', heightPercentileColumn: 95 });
    expect(cat({ ...m, systolic: 119, diastolic: 60 })).toBe('normal');
    // Diastolic stage 2 at min(79 + 12, 90) = 90.
    expect(bp({ ...m, systolic: 100, diastolic: 90 })).toMatchObject({ category: 'stage2', diastolicBand: '≥ 90 mm Hg' });
    expect(cat({ ...m, systolic: 100, diastolic: 89 })).toBe('stage1');
  });

  it('a height percentile of 62 uses the 50th column, the nearest; ties go to the lower column', () => {
    expect(heightColumn(62)).toBe(50);
    expect(heightColumn(62.5)).toBe(50);
    expect(heightColumn(63)).toBe(75);
    expect(heightColumn(7.5)).toBe(5);
    expect(heightColumn(8)).toBe(10);
    expect(heightColumn(0)).toBe(5);
    expect(heightColumn(100)).toBe(95);
    const r = bp({ heightPercentile: 62, systolic: 109, diastolic: 60 });
    expect(r).toMatchObject({ heightPercentileColumn: 50, basis: 'AAP 2017 table 4 (boys), age 7, height 62nd percentile → 50th column' });
    // Boys 7, 75th column: 90th is 110, so 109 is normal there but elevated in the 50th column.
    expect(published('male', 7, 90, 75)[0]).toBe(110);
    expect(cat({ heightPercentile: 63, systolic: 109, diastolic: 60 })).toBe('normal');
  });

  it('no height on record: the 5th-height column (the screening values), said in the basis', () => {
    const [sys90] = published('male', 7, 90, 5);
    const r = bp({ heightPercentile: null, systolic: sys90, diastolic: 60 });
    expect(r).toMatchObject({ category: 'elevated', heightPercentileColumn: 5 });
    expect(r!.basis).toBe('AAP 2017 screening values (no height on record): table 4 (boys), age 7, 5th height percentile column');
    expect(cat({ heightPercentile: null, systolic: sys90 - 1, diastolic: 60 })).toBe('normal');
  });

  it('girls use table 5', () => {
    const [sys90] = published('female', 10, 90, 50);
    const r = bp({ sex: 'female', ageDays: 10.2 * YEAR, systolic: sys90, diastolic: 60 });
    expect(r).toMatchObject({ category: 'elevated', basis: 'AAP 2017 table 5 (girls), age 10, height 50th percentile → 50th column' });
  });

  it('sex other or unknown: the lower of boys’ and girls’ values, said in the basis', () => {
    // Age 10, 50th height, diastolic 90th: boys 74, girls 73.
    expect(published('male', 10, 90, 50)[1]).toBe(74);
    expect(published('female', 10, 90, 50)[1]).toBe(73);
    const m = { ageDays: 10.2 * YEAR, systolic: 100, diastolic: 73 };
    expect(cat({ ...m, sex: 'male' })).toBe('normal');
    expect(cat({ ...m, sex: 'female' })).toBe('elevated');
    for (const sex of ['other', 'unknown'] as const) {
      const r = bp({ ...m, sex });
      expect(r!.category).toBe('elevated');
      expect(r!.basis).toContain("the lower of boys' and girls' values");
    }
  });

  it('is null under 1 year; the first birthday starts the tables', () => {
    expect(bp({ ageDays: 364, systolic: 100, diastolic: 60 })).toBeNull();
    expect(bp({ ageDays: 365, systolic: 100, diastolic: 60 })!.basis).toContain('age 1,');
    expect(bp({ ageDays: 200, ageYears: 1, systolic: 100, diastolic: 60 })!.basis).toContain('age 1,');
    expect(bp({ systolic: 0, diastolic: 60 })).toBeNull();
    expect(bp({ systolic: 100, diastolic: Number.NaN })).toBeNull();
  });
});

describe('adolescents 13–17 years (AAP 2017 cut-offs)', () => {
  const teen = (systolic: number, diastolic: number): string | undefined => cat({ ageDays: 13 * YEAR, systolic, diastolic });

  it('categorises at each edge', () => {
    expect(completedYears(13 * YEAR)).toBe(13);
    expect(completedYears(13 * YEAR - 1)).toBe(12);
    expect(teen(119, 79)).toBe('normal');
    expect(teen(120, 79)).toBe('elevated');
    expect(teen(129, 79)).toBe('elevated');
    expect(teen(130, 70)).toBe('stage1');
    expect(teen(119, 80)).toBe('stage1');
    expect(teen(139, 89)).toBe('stage1');
    expect(teen(140, 70)).toBe('stage2');
    expect(teen(110, 90)).toBe('stage2');
    expect(cat({ ageDays: 17.9 * YEAR, systolic: 125, diastolic: 85 })).toBe('stage1');
  });

  it('says which cut-offs applied, with mm Hg bands and no height column', () => {
    expect(bp({ ageDays: 15 * YEAR, systolic: 125, diastolic: 70 })).toMatchObject({
      category: 'elevated',
      label: 'Elevated',
      systolicBand: '120–129 mm Hg',
      diastolicBand: '< 80 mm Hg',
      heightPercentileColumn: null,
      basis: 'AAP 2017 adolescent cut-offs (≥ 13 years)',
    });
  });
});

describe('adults 18 years and over', () => {
  const adult = (guideline: AdultBpGuideline, systolic: number, diastolic: number): BpAssessment =>
    bp({ ageDays: 40 * YEAR, adultGuideline: guideline, systolic, diastolic, heightPercentile: null })!;

  it('ACC/AHA 2017: normal < 120/80, elevated 120–129/< 80, stage 1 130–139 or 80–89, stage 2 ≥ 140 or ≥ 90', () => {
    const c = (s: number, d: number): string => adult('acc-aha-2017', s, d).category;
    expect([c(119, 79), c(120, 79), c(129, 79), c(130, 79), c(119, 80), c(139, 89), c(140, 60), c(100, 90)]).toEqual([
      'normal',
      'elevated',
      'elevated',
      'stage1',
      'stage1',
      'stage1',
      'stage2',
      'stage2',
    ]);
    expect(adult('acc-aha-2017', 135, 70)).toMatchObject({ label: 'Stage 1 hypertension', systolicBand: '', diastolicBand: '', basis: 'ACC/AHA 2017' });
    expect(adult('acc-aha-2017', 135, 70).reference).toContain('Hypertension 2018');
    expect(cat({ ageDays: 18 * YEAR, systolic: 120, diastolic: 70 })).toBe('elevated');
  });

  it('ESC/ESH 2018: optimal or normal, high normal, grades 1, 2 and 3 at each edge', () => {
    const e = (s: number, d: number): [string, string] => {
      const r = adult('esc-esh-2018', s, d);
      return [r.category, r.label];
    };
    expect(e(129, 84)).toEqual(['normal', 'Optimal or normal']);
    expect(e(130, 70)).toEqual(['elevated', 'High normal']);
    expect(e(120, 85)).toEqual(['elevated', 'High normal']);
    expect(e(139, 89)).toEqual(['elevated', 'High normal']);
    expect(e(140, 70)).toEqual(['stage1', 'Grade 1 hypertension']);
    expect(e(120, 90)).toEqual(['stage1', 'Grade 1 hypertension']);
    expect(e(159, 99)).toEqual(['stage1', 'Grade 1 hypertension']);
    expect(e(160, 70)).toEqual(['stage2', 'Grade 2 hypertension']);
    expect(e(150, 100)).toEqual(['stage2', 'Grade 2 hypertension']);
    expect(e(179, 109)).toEqual(['stage2', 'Grade 2 hypertension']);
    expect(e(180, 80)).toEqual(['stage2', 'Grade 3 hypertension']);
    expect(e(130, 110)).toEqual(['stage2', 'Grade 3 hypertension']);
    expect(adult('esc-esh-2018', 125, 80)).toMatchObject({ basis: 'ESC/ESH 2018', systolicBand: '', heightPercentileColumn: null });
    expect(adult('esc-esh-2018', 125, 80).reference).toContain('Eur Heart J 2018');
  });

  it('the clinic’s guideline matters only from 18: a 17-year-old gets the AAP cut-offs either way', () => {
    expect(cat({ ageDays: 17.5 * YEAR, adultGuideline: 'esc-esh-2018', systolic: 132, diastolic: 70 })).toBe('stage1');
    expect(adult('esc-esh-2018', 132, 70).category).toBe('elevated');
  });
});
