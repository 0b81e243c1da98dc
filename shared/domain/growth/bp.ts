import { AAP_2017_CITATION, HEIGHT_PERCENTILES, type FlynnRow, type FlynnTables } from './bp-tables';
import { formatPercentile, ordinal } from './format';
import type { GrowthSex } from './types';

/** Blood-pressure category, AAP 2017 / ACC/AHA 2017 names. */
export type BpCategory = 'normal' | 'elevated' | 'stage1' | 'stage2';

export const BP_CATEGORY_LABELS: Record<BpCategory, string> = {
  normal: 'Normal',
  elevated: 'Elevated',
  stage1: 'Stage 1 hypertension',
  stage2: 'Stage 2 hypertension',
};

/** The guideline a clinic classifies adults (18 years and over) by. */
export type AdultBpGuideline = 'acc-aha-2017' | 'esc-esh-2018';

export const ACC_AHA_2017_CITATION =
  'Whelton PK et al. 2017 ACC/AHA Guideline for the Prevention, Detection, Evaluation, and Management of High Blood Pressure in Adults. Hypertension 2018;71(6):e13–e115, https://doi.org/10.1161/HYP.0000000000000065';
export const ESC_ESH_2018_CITATION =
  'Williams B et al. 2018 ESC/ESH Guidelines for the management of arterial hypertension. Eur Heart J 2018;39(33):3021–3104, https://doi.org/10.1093/eurheartj/ehy339';

export interface BpAssessment {
  category: BpCategory;
  label: string;
  /** Children: '< 90th', '90th to < 95th', '≥ 95th', '≥ 95th + 12 mm Hg' or the fixed cut-off that applied ('≥ 120 mm Hg'); adolescents: mm Hg ranges; adults: ''. */
  systolicBand: string;
  diastolicBand: string;
  /** The height-percentile column used (children 1–12 only). */
  heightPercentileColumn: number | null;
  /** How the category was reached, e.g. 'AAP 2017 table 4 (boys), age 7, height 62nd percentile → 50th column'. */
  basis: string;
  /** The guideline cited. */
  reference: string;
}

const ORDER: readonly BpCategory[] = ['normal', 'elevated', 'stage1', 'stage2'];
const worse = (a: BpCategory, b: BpCategory): BpCategory => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

/** Whole years completed at `ageDays`, the n-th birthday taken as day ⌊n × 365.25⌋. */
export function completedYears(ageDays: number): number {
  let years = Math.floor(ageDays / 365.25);
  if (ageDays >= Math.floor((years + 1) * 365.25)) years += 1;
  return years;
}

/** The table column for a height percentile: the nearest of 5, 10, 25, 50, 75, 90, 95; a tie goes to the lower. */
export function heightColumn(heightPercentile: number): (typeof HEIGHT_PERCENTILES)[number] {
  let best: (typeof HEIGHT_PERCENTILES)[number] = HEIGHT_PERCENTILES[0];
  for (const c of HEIGHT_PERCENTILES) if (Math.abs(heightPercentile - c) < Math.abs(heightPercentile - best)) best = c;
  return best;
}

/** One component (systolic or diastolic) against the child's 90th/95th values and AAP's fixed cut-offs, whichever is lower. */
function childComponent(
  v: number,
  p90: number,
  p95: number,
  fixed: { elevated: number; stage1: number; stage2: number },
): { category: BpCategory; band: string } {
  if (v >= p95 + 12) return { category: 'stage2', band: '≥ 95th + 12 mm Hg' };
  if (v >= fixed.stage2) return { category: 'stage2', band: `≥ ${fixed.stage2} mm Hg` };
  if (v >= p95) return { category: 'stage1', band: '≥ 95th' };
  if (v >= fixed.stage1) return { category: 'stage1', band: `≥ ${fixed.stage1} mm Hg` };
  if (v >= p90) return { category: 'elevated', band: '90th to < 95th' };
  if (v >= fixed.elevated) return { category: 'elevated', band: `≥ ${fixed.elevated} mm Hg` };
  return { category: 'normal', band: '< 90th' };
}

function row(rows: FlynnRow[], age: number, p: 90 | 95): FlynnRow {
  const r = rows.find((x) => x.age === age && x.bpPercentile === p);
  if (!r) throw new Error(`AAP 2017 BP table has no row for age ${age}, ${p}th percentile`);
  return r;
}

/** The 90th and 95th values for one sex (or the lower of both) at an age and column. */
function childCutoffs(t: FlynnTables, sexes: GrowthSex[], age: number, col: number): { sys90: number; sys95: number; dia90: number; dia95: number } {
  const at = (p: 90 | 95, k: 'systolic' | 'diastolic'): number => Math.min(...sexes.map((s) => row(t[s], age, p)[k][col]!));
  return { sys90: at(90, 'systolic'), sys95: at(95, 'systolic'), dia90: at(90, 'diastolic'), dia95: at(95, 'diastolic') };
}

function classifyChild(t: FlynnTables, m: ClassifyBpInput, age: number): BpAssessment {
  const known = m.sex === 'male' || m.sex === 'female';
  const sexes: GrowthSex[] = known ? [m.sex as GrowthSex] : ['male', 'female'];
  const hasHeight = m.heightPercentile !== null && Number.isFinite(m.heightPercentile);
  const column = hasHeight ? heightColumn(m.heightPercentile!) : HEIGHT_PERCENTILES[0];
  const c = childCutoffs(t, sexes, age, HEIGHT_PERCENTILES.indexOf(column));
  const sys = childComponent(m.systolic, c.sys90, c.sys95, { elevated: 120, stage1: 130, stage2: 140 });
  const dia = childComponent(m.diastolic, c.dia90, c.dia95, { elevated: 80, stage1: 80, stage2: 90 });
  const table =
    m.sex === 'male'
      ? 'table 4 (boys)'
      : m.sex === 'female'
        ? 'table 5 (girls)'
        : "tables 4 and 5, the lower of boys' and girls' values (sex not recorded as male or female)";
  const basis = hasHeight
    ? `AAP 2017 ${table}, age ${age}, height ${formatPercentile(m.heightPercentile!)} percentile → ${ordinal(column)} column`
    : `AAP 2017 screening values (no height on record): ${table}, age ${age}, ${ordinal(column)} height percentile column`;
  const category = worse(sys.category, dia.category);
  return {
    category,
    label: BP_CATEGORY_LABELS[category],
    systolicBand: sys.band,
    diastolicBand: dia.band,
    heightPercentileColumn: column,
    basis,
    reference: AAP_2017_CITATION,
  };
}

/** AAP 2017 adolescent and ACC/AHA 2017 adult cut-offs: < 120/< 80, 120–129/< 80, 130–139 or 80–89, ≥ 140 or ≥ 90. */
function accAha(systolic: number, diastolic: number): { category: BpCategory; systolicBand: string; diastolicBand: string } {
  const sys: [BpCategory, string] =
    systolic >= 140
      ? ['stage2', '≥ 140 mm Hg']
      : systolic >= 130
        ? ['stage1', '130–139 mm Hg']
        : systolic >= 120
          ? ['elevated', '120–129 mm Hg']
          : ['normal', '< 120 mm Hg'];
  const dia: [BpCategory, string] = diastolic >= 90 ? ['stage2', '≥ 90 mm Hg'] : diastolic >= 80 ? ['stage1', '80–89 mm Hg'] : ['normal', '< 80 mm Hg'];
  return { category: worse(sys[0], dia[0]), systolicBand: sys[1], diastolicBand: dia[1] };
}

const ESC_LEVELS: readonly { sys: number; dia: number; category: BpCategory; label: string }[] = [
  { sys: 180, dia: 110, category: 'stage2', label: 'Grade 3 hypertension' },
  { sys: 160, dia: 100, category: 'stage2', label: 'Grade 2 hypertension' },
  { sys: 140, dia: 90, category: 'stage1', label: 'Grade 1 hypertension' },
  { sys: 130, dia: 85, category: 'elevated', label: 'High normal' },
];

/** ESC/ESH 2018 office grades; the higher of systolic and diastolic decides (so isolated systolic hypertension is graded by systolic). */
function escEsh(systolic: number, diastolic: number): { category: BpCategory; label: string } {
  const level = ESC_LEVELS.find((l) => systolic >= l.sys || diastolic >= l.dia);
  return level ? { category: level.category, label: level.label } : { category: 'normal', label: 'Optimal or normal' };
}

export interface ClassifyBpInput {
  sex: GrowthSex | 'other' | 'unknown';
  ageDays: number;
  /** Whole years of age from the calendar, when the caller has the birth date; otherwise counted from ageDays. */
  ageYears?: number;
  systolic: number;
  diastolic: number;
  /** Height-for-age percentile (0–100) near the time of the reading, or null. */
  heightPercentile: number | null;
  adultGuideline: AdultBpGuideline;
}

/**
 * A blood-pressure category. null under 1 year, or for a reading that is not a positive number.
 *
 * - 1–12 completed years (AAP 2017, Flynn et al.): normal < 90th percentile; elevated ≥ 90th or ≥ 120/80
 *   (whichever is lower) to < 95th; stage 1 ≥ 95th to < 95th + 12 mm Hg, or 130/80–139/89 (whichever is
 *   lower); stage 2 ≥ 95th + 12 mm Hg or ≥ 140/90 (whichever is lower). The worse of systolic and diastolic
 *   decides. The column is the nearest height percentile (ties to the lower); with no height on record the
 *   5th-height column, which is the guideline's table 6 screening values. Sex other or unknown: the lower
 *   (stricter) of boys' and girls' values.
 * - 13–17 years: AAP adolescent cut-offs: normal < 120/< 80; elevated 120–129/< 80; stage 1 130–139/80–89; stage 2 ≥ 140/≥ 90.
 * - 18 years and over: the clinic's guideline. ACC/AHA 2017 uses the same cut-offs as adolescents. ESC/ESH
 *   2018 (office hypertension ≥ 140/90): < 130/85 normal ('Optimal or normal'), 130–139/85–89 elevated
 *   ('High normal'), 140–159/90–99 stage 1 ('Grade 1 hypertension'), ≥ 160/≥ 100 stage 2 ('Grade 2
 *   hypertension', or 'Grade 3 hypertension' at ≥ 180/≥ 110).
 */
export function classifyBp(t: FlynnTables, m: ClassifyBpInput): BpAssessment | null {
  if (!(m.systolic > 0 && m.diastolic > 0) || !Number.isFinite(m.systolic) || !Number.isFinite(m.diastolic)) return null;
  if (!Number.isFinite(m.ageDays) || m.ageDays < 0) return null;
  const age = m.ageYears ?? completedYears(m.ageDays);
  if (age < 1) return null;
  if (age <= 12) return classifyChild(t, m, age);
  if (age <= 17) {
    const r = accAha(m.systolic, m.diastolic);
    return {
      ...r,
      label: BP_CATEGORY_LABELS[r.category],
      heightPercentileColumn: null,
      basis: 'AAP 2017 adolescent cut-offs (≥ 13 years)',
      reference: AAP_2017_CITATION,
    };
  }
  if (m.adultGuideline === 'esc-esh-2018') {
    const r = escEsh(m.systolic, m.diastolic);
    return { ...r, systolicBand: '', diastolicBand: '', heightPercentileColumn: null, basis: 'ESC/ESH 2018', reference: ESC_ESH_2018_CITATION };
  }
  const r = accAha(m.systolic, m.diastolic);
  return {
    category: r.category,
    label: BP_CATEGORY_LABELS[r.category],
    systolicBand: '',
    diastolicBand: '',
    heightPercentileColumn: null,
    basis: 'ACC/AHA 2017',
    reference: ACC_AHA_2017_CITATION,
  };
}
