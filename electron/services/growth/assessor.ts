import type Database from 'better-sqlite3';
import {
  assessGrowth,
  classifyBp,
  correctedAgeDays,
  flagsFor,
  type GrowthAssessment,
  type GrowthMeasure,
  type GrowthSex,
  type GrowthTables,
} from '../../../shared/domain/growth';
import { daysBetween, wholeMonths } from '../../../shared/domain/dates';
import type { AdultBpGuidelineName, BpReading, GrowthReading } from '../../../shared/domain/growth-view';
import { VITAL_KINDS } from '../../../shared/domain/vitals';
import type { Resources } from '../resources/resources';
import type { BirthHistory } from './birth-history';
import { BP_GUIDELINE_KEY, bpGuidelineOf } from './bp-settings';
import { flynnTables, growthTables } from './tables';

/** CDC 2000 charts end at 20 years (240 months). */
const GROWTH_UNTIL_DAYS = Math.floor(20 * 365.25);
/** A height older than this does not stand for the child's height at a blood pressure reading. */
const HEIGHT_FOR_BP_MAX_DAYS = 365;

const L = {
  weight: VITAL_KINDS.weight.loinc,
  height: VITAL_KINDS.height.loinc,
  head: VITAL_KINDS.headCircumference.loinc,
  bmi: VITAL_KINDS.bmi.loinc,
  systolic: VITAL_KINDS.systolic.loinc,
  diastolic: VITAL_KINDS.diastolic.loinc,
};

export interface ChartedPatient {
  id: string;
  sex: string;
  birthDate: string;
}

/** One growth measurement as stored (vital-signs observation in UCUM units). */
export interface MeasureRow {
  id: string;
  loinc: string;
  value: number;
  at: string;
  setId: string | null;
}

/** One measurement judged against its reference, in time order within its measure. */
export interface JudgedPoint {
  observationId: string;
  at: string;
  ageDays: number;
  x: number;
  value: number;
  reading: GrowthReading | null;
}

/** A child's whole growth history judged: each observation's readings and each measure's points. */
export interface GrowthHistory {
  gestationalAgeWeeks: number | null;
  byObservation: Map<string, GrowthReading[]>;
  points: Map<GrowthMeasure, JudgedPoint[]>;
}

const growthSex = (sex: string): GrowthSex | null => (sex === 'female' || sex === 'male' ? sex : null);

/**
 * Judges a child's measurements against the WHO 2006 / CDC 2000 references and a reading's blood
 * pressure against AAP 2017 (children) or the clinic's adult guideline. Pure reads; nothing stored.
 */
export class GrowthAssessor {
  private readonly rows: Database.Statement<[string], [string, string, number, string, string | null]>;
  private readonly latestHeight: Database.Statement<[string, string], { value: number; at: string }>;
  private readonly guidelineRow: Database.Statement<[], { value: string }>;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly resources: Resources,
    readonly birth: BirthHistory,
  ) {
    // Rows as arrays and sorted here: a child's ~150 rows cost a third as much as objects sorted by SQLite.
    this.rows = sqlite
      .prepare(
        `SELECT id, loinc, value_num, effective_at, set_id FROM observations
         WHERE patient_id = ? AND category = 'vital-signs' AND loinc IN ('${L.weight}', '${L.height}', '${L.head}', '${L.bmi}')
           AND deleted_at IS NULL AND status != 'entered-in-error' AND value_num IS NOT NULL`,
      )
      .raw(true) as unknown as Database.Statement<[string], [string, string, number, string, string | null]>;
    // Prepared once: the face sheet asks for a BP category on every open.
    this.latestHeight = sqlite.prepare(
      `SELECT value_num AS value, effective_at AS at FROM observations
       WHERE patient_id = ? AND category = 'vital-signs' AND loinc = '${L.height}' AND deleted_at IS NULL AND status != 'entered-in-error' AND effective_at <= ?
       ORDER BY effective_at DESC LIMIT 1`,
    );
    this.guidelineRow = sqlite.prepare(`SELECT value FROM meta WHERE key = '${BP_GUIDELINE_KEY}'`);
  }

  tables(): GrowthTables {
    return growthTables(this.resources);
  }

  guideline(): AdultBpGuidelineName {
    return bpGuidelineOf(this.guidelineRow.get()?.value);
  }

  /** Whether a patient of this age and sex has growth charts (WHO/CDC are by sex, birth to 20 years). */
  charted(p: ChartedPatient, on: string): boolean {
    const age = daysBetween(p.birthDate, on);
    return growthSex(p.sex) !== null && age >= 0 && age < GROWTH_UNTIL_DAYS;
  }

  /** Every growth measurement of the patient judged in time order (head circumference crossings need the one before). */
  history(p: ChartedPatient): GrowthHistory {
    const ga = this.birth.gestationalAgeWeeks(p.id);
    const out: GrowthHistory = { gestationalAgeWeeks: ga, byObservation: new Map(), points: new Map() };
    const sex = growthSex(p.sex);
    if (!sex) return out;
    const rows: MeasureRow[] = this.rows
      .all(p.id)
      .map(([id, loinc, value, at, setId]) => ({ id, loinc, value, at, setId }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const heightBySet = new Map<string, number>();
    for (const r of rows) if (r.loinc === L.height && r.setId) heightBySet.set(r.setId, r.value);
    const tables = this.tables();
    const previous = new Map<GrowthMeasure, GrowthAssessment>();
    const judge = (r: MeasureRow, measure: GrowthMeasure, ageDays: number, corrected: boolean, x: number, lengthCm?: number): void => {
      const a = assessGrowth(tables, { measure, sex, ageDays, value: r.value, ...(lengthCm !== undefined && { lengthCm }) });
      // No reference applies (weight-for-length past 5 years, BMI under 2, head past 36 months): nothing to plot.
      if (!a) return;
      const reading: GrowthReading = {
        measure,
        referenceId: a.referenceId,
        reference: a.reference,
        z: a.z,
        percentile: a.percentile,
        percentOfP95: a.percentOfP95 ?? null,
        correctedAge: corrected,
        flags: flagsFor(a, previous.get(measure) ?? null),
      };
      previous.set(measure, a);
      const list = out.points.get(measure) ?? [];
      list.push({ observationId: r.id, at: r.at, ageDays, x, value: r.value, reading });
      out.points.set(measure, list);
      out.byObservation.set(r.id, [...(out.byObservation.get(r.id) ?? []), reading]);
    };
    // Ages by arithmetic on UTC midnights (160 date parses per chart otherwise cost a third of the time).
    const born = Date.parse(`${p.birthDate}T00:00:00Z`);
    for (const r of rows) {
      const age = Math.round((Date.parse(`${r.at.slice(0, 10)}T00:00:00Z`) - born) / 86_400_000);
      if (age < 0 || age >= GROWTH_UNTIL_DAYS) continue;
      const c = correctedAgeDays(age, ga);
      if (r.loinc === L.weight) {
        judge(r, 'weightForAge', c.ageDays, c.corrected, c.ageDays);
        const length = r.setId ? heightBySet.get(r.setId) : undefined;
        if (length !== undefined) judge(r, 'weightForLength', c.ageDays, c.corrected, length, length);
      } else if (r.loinc === L.height) judge(r, 'lengthForAge', c.ageDays, c.corrected, c.ageDays);
      else if (r.loinc === L.head) judge(r, 'headForAge', c.ageDays, c.corrected, c.ageDays);
      else if (r.loinc === L.bmi) judge(r, 'bmiForAge', c.ageDays, c.corrected, c.ageDays);
    }
    return out;
  }

  /**
   * A blood pressure reading's category. A child's (1–17 years) needs their height percentile:
   * the height taken with the reading, else the latest within a year before it; without one the
   * AAP screening values (the 5th height percentile column) are used and the basis says so.
   */
  bp(p: ChartedPatient, at: string, systolic: number, diastolic: number, heightInSet: number | null, guideline = this.guideline()): BpReading | null {
    return this.bpClassifier(p, at, heightInSet, guideline)?.(systolic, diastolic) ?? null;
  }

  /** The reading's category with the H flag of each component (see {@link bpComponentFlags}). */
  bpWithFlags(
    p: ChartedPatient,
    at: string,
    systolic: number,
    diastolic: number,
    heightInSet: number | null,
  ): { reading: BpReading; systolic: BpComponentFlag; diastolic: BpComponentFlag } | null {
    const classify = this.bpClassifier(p, at, heightInSet, this.guideline());
    const reading = classify?.(systolic, diastolic);
    if (!classify || !reading) return null;
    const flags = bpComponentFlags(classify, daysBetween(p.birthDate, at.slice(0, 10)), systolic, diastolic);
    return flags && { reading, ...flags };
  }

  private bpClassifier(
    p: ChartedPatient,
    at: string,
    heightInSet: number | null,
    guideline: AdultBpGuidelineName,
  ): ((s: number, d: number) => BpReading | null) | null {
    const ageDays = daysBetween(p.birthDate, at.slice(0, 10));
    if (ageDays < 0) return null;
    const heightPercentile = ageDays < GROWTH_UNTIL_DAYS ? this.heightPercentile(p, at, heightInSet) : null;
    const tables = flynnTables(this.resources);
    // Completed years from the birth date (the AAP tables are by age in years; a birthday counts that day).
    const ageYears = Math.floor(wholeMonths(p.birthDate, at.slice(0, 10)) / 12);
    const sex = p.sex === 'female' || p.sex === 'male' || p.sex === 'other' ? p.sex : 'unknown';
    return (systolic, diastolic) => {
      const a = classifyBp(tables, { sex, ageDays, ageYears, systolic, diastolic, heightPercentile, adultGuideline: guideline });
      return a && { ...a, heightPercentile };
    };
  }

  private heightPercentile(p: ChartedPatient, at: string, heightInSet: number | null): number | null {
    const sex = growthSex(p.sex);
    if (!sex) return null;
    const day = at.slice(0, 10);
    let height = heightInSet === null ? null : { value: heightInSet, at };
    if (!height) {
      const h = this.latestHeight.get(p.id, at);
      if (h && daysBetween(h.at.slice(0, 10), day) <= HEIGHT_FOR_BP_MAX_DAYS) height = h;
    }
    if (!height) return null;
    const age = daysBetween(p.birthDate, height.at.slice(0, 10));
    const c = correctedAgeDays(age, this.birth.gestationalAgeWeeks(p.id));
    return assessGrowth(this.tables(), { measure: 'lengthForAge', sex, ageDays: c.ageDays, value: height.value })?.percentile ?? null;
  }
}

const RANK = { normal: 0, elevated: 1, stage1: 2, stage2: 3 } as const;
const ADULT_DAYS = Math.floor(18 * 365.25);

/** Where a reading's systolic or diastolic value alone starts being flagged high, and whether it is. */
export interface BpComponentFlag {
  high: boolean;
  /** The first high value (mm Hg) for this patient at this age and height. */
  threshold: number | null;
}

/**
 * The H flag of each component of a reading: a child's or adolescent's from "elevated" (AAP 2017,
 * ≥ 90th percentile for age, sex and height, or ≥ 120/80), an adult's from hypertension (stage 1 /
 * grade 1 of the clinic's guideline). The threshold is found by search over whole mm Hg, so it is
 * exactly where {@link GrowthAssessor.bp}'s category changes.
 */
export function bpComponentFlags(
  classify: (systolic: number, diastolic: number) => BpReading | null,
  ageDays: number,
  systolic: number,
  diastolic: number,
): { systolic: BpComponentFlag; diastolic: BpComponentFlag } | null {
  if (!classify(systolic, diastolic)) return null;
  const target = ageDays < ADULT_DAYS ? RANK.elevated : RANK.stage1;
  const reaches = (s: number, d: number): boolean => {
    const r = classify(s, d);
    return r !== null && RANK[r.category] >= target;
  };
  const first = (lo: number, hi: number, at: (v: number) => boolean): number | null => {
    if (!at(hi)) return null;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (at(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const sThreshold = first(30, 300, (s) => reaches(s, 1));
  const dThreshold = first(10, 200, (d) => reaches(1, d));
  return {
    systolic: { threshold: sThreshold, high: sThreshold !== null && systolic >= sThreshold },
    diastolic: { threshold: dThreshold, high: dThreshold !== null && diastolic >= dThreshold },
  };
}
