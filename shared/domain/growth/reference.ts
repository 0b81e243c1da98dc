import { DAYS_PER_MONTH, WHO_TO_CDC_DAYS, type GrowthMeasure, type GrowthSex, type GrowthTables, type ReferenceTable } from './types';

/** The base id (without sex) of the table for a measure at an age, or null when none applies. */
function baseIdFor(measure: GrowthMeasure, ageDays: number): string | null {
  const infant = ageDays < WHO_TO_CDC_DAYS;
  switch (measure) {
    case 'weightForAge':
      return infant ? 'who2006-wfa' : 'cdc2000-wtage';
    case 'lengthForAge':
      return infant ? 'who2006-lhfa' : 'cdc2000-statage';
    case 'headForAge':
      return infant ? 'who2006-hcfa' : ageDays <= 36 * DAYS_PER_MONTH ? 'cdc2000-hcageinf' : null;
    case 'weightForLength':
      return infant ? 'cdc2000-wtleninf' : ageDays <= 60 * DAYS_PER_MONTH ? 'cdc2000-wtstat' : null;
    case 'bmiForAge':
      return infant ? null : 'cdc2000-bmiagerev';
  }
}

/**
 * The reference table a measurement is judged and drawn against, following the CDC/AAP recommendation:
 * WHO 2006 standards from birth to 24 months, CDC 2000 charts from 2 to 20 years.
 *
 * - weightForAge: WHO weight-for-age before 730 days, CDC wtage from 730 days to 20 years.
 * - lengthForAge: WHO length/height-for-age (lhfa) before 730 days, CDC stature-for-age (statage) from 730 days to 20 years.
 * - headForAge: WHO head circumference-for-age before 730 days, then CDC hcageinf to 36 months; null after 36 months.
 * - weightForLength: WHO's weight-for-length is not in the shipped data, so CDC 2000 throughout: wtleninf
 *   (recumbent length 45–103.5 cm) before 730 days, wtstat (stature 77–121.5 cm) from 730 days to 5 years (60 months); null after.
 * - bmiForAge: CDC bmiagerev from 730 days to 20 years; null before 2 years (no BMI chart is used under 2).
 *
 * Ages in days (use the corrected age for a premature infant, see correctedAgeDays). null for an age
 * outside every range, a missing table, or (weightForLength) a `lengthCm` outside the table's range.
 * Without `lengthCm`, weightForLength returns the table for the age, so a chart can be chosen before a length is known.
 */
export function referenceFor(t: GrowthTables, measure: GrowthMeasure, sex: GrowthSex, ageDays: number, lengthCm?: number): ReferenceTable | null {
  if (!Number.isFinite(ageDays) || ageDays < 0) return null;
  const base = baseIdFor(measure, ageDays);
  if (!base) return null;
  const table = t.tables.find((x) => x.id === `${base}-${sex}`);
  if (!table) return null;
  if (table.xUnit === 'days') return ageDays >= table.xMin && ageDays <= table.xMax ? table : null;
  if (lengthCm === undefined) return table;
  return Number.isFinite(lengthCm) && lengthCm >= table.xMin && lengthCm <= table.xMax ? table : null;
}
