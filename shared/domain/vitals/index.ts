/**
 * Vital signs: codes, units, physiologic limits and age-appropriate interpretation.
 *
 * Values are stored in one UCUM unit per kind (the unit FHIR's vital-signs profile uses where it
 * has one) and converted from whatever unit the clinic enters. Entry unit names follow the
 * clinic setting ('lb', 'in', 'oz'); the UCUM codes for those are [lb_av], [in_i] and [oz_av],
 * which matters only if entered units are ever exchanged as UCUM.
 */

export * from './kinds';
export { unitLabel, toUcum, fromUcum } from './units';
export { type PhysiologicLimit, PHYSIOLOGIC_LIMITS, limitProblem, computeBmi } from './limits';
export * from './vitals.schema';
export * from './interpretation';
