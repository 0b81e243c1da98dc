/**
 * Immunization due/overdue engine. The rules are data (resources/immunizations/schedule.json, US CDC/ACIP
 * 2025 schedules); this module validates that data and evaluates a patient's history against it.
 * Pure TypeScript: the caller reads the JSON and passes it in.
 *
 * Dates are ISO `YYYY-MM-DD` calendar dates (their arithmetic lives in ../dates). It follows the CDC CDSi rules: years and months
 * are added on the calendar (a day that does not exist moves to the 1st of the next month), weeks and days
 * as days. ACIP's 4-day grace period applies when judging doses already given, not when scheduling.
 */

export * from './schedule.schema';
export { type ImmunizationRecord, type DueStatus, type DueItem } from './dose-rules';
export * from './forecast';
