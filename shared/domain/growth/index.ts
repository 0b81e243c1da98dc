/**
 * Growth charts and blood-pressure categories (issue #23): pure functions over the reference tables
 * shipped in resources/growth (see its README for sources and licences). The caller reads the files.
 *
 * @example
 * const tables = buildGrowthTables((f) => readFileSync(join(dir, f), 'utf8'));
 * const age = correctedAgeDays(ageDays, gestationalAgeWeeks).ageDays;
 * const a = assessGrowth(tables, { measure: 'weightForAge', sex: 'female', ageDays: age, value: 7.9 });
 * const flags = a ? flagsFor(a) : [];
 * const curves = percentileCurves(referenceFor(tables, 'weightForAge', 'female', age)!, [3, 50, 97]);
 * const bp = classifyBp(buildFlynnTables(read), { sex: 'female', ageDays, systolic: 112, diastolic: 70, heightPercentile: 40, adultGuideline: 'acc-aha-2017' });
 *
 * WHO 2006 from birth to 24 months, CDC 2000 from 2 to 20 years, as CDC and AAP recommend; see referenceFor.
 */

export * from './types';
export { percentileFromZ, zFromPercentile, normalCdf, normalQuantile } from './normal';
export { zFromLms, valueFromLms, lmsAt } from './lms';
export { parseWhoTable, parseCdcTable, GROWTH_FILES, buildGrowthTables, WHO_CITATION, CDC_CITATION } from './tables';
export { referenceFor } from './reference';
export { type GrowthAssessment, assessGrowth, correctedAgeDays, p95 } from './assess';
export { type GrowthFlagCode, type GrowthFlag, flagsFor, MAJOR_PERCENTILES, linesCrossed } from './flags';
export { type PercentileCurve, percentileCurves } from './curves';
export { ordinal, formatPercentile } from './format';
export * from './bp-tables';
export * from './bp';
