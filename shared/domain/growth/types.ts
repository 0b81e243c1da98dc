// The shapes shared by the growth modules: sexes, measures and LMS reference tables.

/** Sex as the growth references tabulate it (they have boys' and girls' tables only). */
export type GrowthSex = 'male' | 'female';

/** What is plotted: weight, length/height or head circumference by age, weight by length/height, BMI by age. */
export type GrowthMeasure = 'weightForAge' | 'lengthForAge' | 'headForAge' | 'weightForLength' | 'bmiForAge';

/** Box-Cox power (L), median (M) and coefficient of variation (S) at one point of a reference (Cole's LMS method). */
export interface Lms {
  L: number;
  M: number;
  S: number;
}

/** One row of a reference: x is age in days, or length/height in cm for weightForLength. */
export interface LmsRow extends Lms {
  x: number;
}

/** One sex's LMS table for one measure, with the range of x the product uses it for. */
export interface ReferenceTable {
  /** e.g. 'who2006-wfa-male', 'cdc2000-bmiagerev-female'. */
  id: string;
  source: 'WHO 2006' | 'CDC 2000';
  measure: GrowthMeasure;
  sex: GrowthSex;
  /** What a clinician reads, e.g. 'WHO 2006 weight-for-age (boys, 0–24 months)'. */
  name: string;
  /** Short citation with URL. */
  citation: string;
  xUnit: 'days' | 'cm';
  /** The range this table is used for; rows are kept only within it (WHO's files run to 1856 days, used to 730). */
  xMin: number;
  xMax: number;
  /** Sorted by x, strictly increasing. */
  rows: LmsRow[];
}

/** Every reference table the product ships. */
export interface GrowthTables {
  tables: ReferenceTable[];
}

/** Days in an average month, as CDC converts ages (365.25 / 12). */
export const DAYS_PER_MONTH = 30.4375;

/** The age (days) from which CDC 2000 replaces WHO 2006: the second birthday, 24 months. */
export const WHO_TO_CDC_DAYS = 730;
