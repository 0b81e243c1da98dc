import { addDays, addDuration, ageText, daysBetween } from '../dates';
import type { DoseRule, DoseSeries, VariantCondition } from './schedule.schema';

// Engine: what a forecast returns, and how one series' doses given are judged against its rules.

/** One vaccination in the patient's history. `not_done` records are ignored. */
export interface ImmunizationRecord {
  cvx: string;
  /** YYYY-MM-DD */
  date: string;
  status?: 'completed' | 'not_done';
}

export type DueStatus = 'due' | 'overdue' | 'complete' | 'not_yet_due' | 'not_applicable';

/** The forecast for one series. */
export interface DueItem {
  seriesId: string;
  series: string;
  vaccineGroup: string;
  status: DueStatus;
  /** Doses given that count (minimum age/interval with the grace period). Seasonal: doses this season. */
  dosesValid: number;
  /** Doses needed to be complete; for a booster series, the doses needed to be current at the next booster. */
  dosesRequired: number;
  /** 1-based number of the next dose; null when complete or not applicable. */
  nextDose: number | null;
  /** Earliest date the next dose counts (no grace period). */
  earliestDate: string | null;
  /** Recommended date of the next dose. */
  dueDate: string | null;
  /** From this date the next dose is overdue. */
  overdueDate: string | null;
  reason: string;
  citation: string;
  /** Doses in this series that do not count, and why. */
  invalidDoses: { date: string; cvx: string; why: string }[];
}

/** A completed dose from the history, its CVX normalized (internal to immunizations/). */
export interface Given {
  date: string;
  cvx: string;
}

/** A dose that does not count, and why (internal to immunizations/). */
export interface InvalidDose {
  date: string;
  cvx: string;
  why: string;
}

interface Evaluation {
  valid: Given[];
  invalid: InvalidDose[];
  /** Last dose given that is a reference for "previous" intervals (valid or not, but not past a maximum age). */
  previous: Given | null;
}

/** A date a dose may not come before, and the rule that sets it, for messages (internal to immunizations/). */
export interface Constraint {
  date: string;
  label: string;
}

/** The latest constraint; on a tie the first listed wins. */
export function latest(cs: Constraint[]): Constraint | null {
  let best: Constraint | null = null;
  for (const c of cs) if (best === null || c.date > best.date) best = c;
  return best;
}

/** "8", "008" → "08": CVX codes are compared in their 2-3 digit form. */
export function normalizeCvx(cvx: string): string {
  const t = cvx.trim();
  if (!/^\d+$/.test(t)) return t;
  return String(Number(t)).padStart(2, '0');
}

/** "dose 2 of 3 (label)" for messages. */
export function doseName(rule: DoseRule, total: number): string {
  return `dose ${rule.dose} of ${total}${rule.label ? ` (${rule.label})` : ''}`;
}

/** The dose an interval counts from, for messages. */
export function refName(fromDose: 'previous' | number, ref: Given, valid: Given[]): string {
  if (fromDose !== 'previous') return `dose ${fromDose}`;
  const n = valid.indexOf(ref);
  return n >= 0 ? `dose ${n + 1}` : `the previous dose (${ref.date}, not valid)`;
}

/** Why `rec` cannot count as `rule`, or null when it counts. `maxAge` tells the caller the dose is extraneous. */
function checkDose(rule: DoseRule, rec: Given, birthDate: string, ev: Evaluation, grace: number): { why: string; pastMaxAge: boolean } | null {
  if (rule.cvx && !rule.cvx.includes(rec.cvx))
    return {
      why: `CVX ${rec.cvx} does not count as dose ${rule.dose}${rule.label ? ` (${rule.label})` : ''}; counts: CVX ${rule.cvx.join(', ')}`,
      pastMaxAge: false,
    };
  const minAgeDate = addDuration(birthDate, rule.minAge);
  if (rec.date < addDays(minAgeDate, -grace))
    return {
      why: `given at age ${ageText(birthDate, rec.date)}, before the minimum age ${rule.minAge} for dose ${rule.dose} (valid from ${addDays(minAgeDate, -grace)} with the ${grace}-day grace period)`,
      pastMaxAge: false,
    };
  if (rule.maxAge !== undefined && rec.date > addDuration(birthDate, rule.maxAge))
    return { why: `given at age ${ageText(birthDate, rec.date)}, after the maximum age ${rule.maxAge} for dose ${rule.dose}`, pastMaxAge: true };
  for (const iv of rule.intervals) {
    const ref = iv.fromDose === 'previous' ? ev.previous : ev.valid[iv.fromDose - 1];
    if (!ref) continue;
    const minDate = addDuration(ref.date, iv.min);
    if (rec.date < addDays(minDate, -grace))
      return {
        why: `given ${daysBetween(ref.date, rec.date)} days after ${refName(iv.fromDose, ref, ev.valid)}, before the minimum interval ${iv.min} for dose ${rule.dose} (valid from ${addDays(minDate, -grace)} with the ${grace}-day grace period)`,
        pastMaxAge: false,
      };
  }
  return null;
}

/** Matches the history, in date order, to the doses of a plan (then to repeating boosters). */
export function evaluate(doses: DoseRule[], boost: DoseSeries['booster'], history: Given[], birthDate: string, grace: number): Evaluation {
  const ev: Evaluation = { valid: [], invalid: [], previous: null };
  for (const rec of history) {
    if (rec.date < birthDate) {
      ev.invalid.push({ ...rec, why: `dated ${rec.date}, before the birth date ${birthDate}` });
      continue;
    }
    const rule = doses[ev.valid.length];
    if (rule) {
      const fail = checkDose(rule, rec, birthDate, ev, grace);
      if (fail === null) {
        ev.valid.push(rec);
        ev.previous = rec;
      } else {
        ev.invalid.push({ ...rec, why: fail.why });
        if (!fail.pastMaxAge) ev.previous = rec;
      }
    } else if (boost) {
      const n = ev.valid.length + 1;
      const minDate = ev.previous ? addDuration(ev.previous.date, boost.minInterval) : null;
      if (!boost.cvx.includes(rec.cvx)) {
        ev.invalid.push({ ...rec, why: `CVX ${rec.cvx} does not count as a ${boost.label}` });
      } else if (ev.previous && minDate && rec.date < addDays(minDate, -grace)) {
        ev.invalid.push({
          ...rec,
          why: `given ${daysBetween(ev.previous.date, rec.date)} days after the previous dose, before the minimum interval ${boost.minInterval} for dose ${n} (${boost.label})`,
        });
        ev.previous = rec;
      } else {
        ev.valid.push(rec);
        ev.previous = rec;
      }
    }
    // Doses after a complete series without boosters are extra: they neither count nor need repeating.
  }
  return ev;
}

/** Whether a variant's `when` holds for this history (no `when`: always). */
export function conditionHolds(
  when: VariantCondition | undefined,
  ev: Evaluation,
  plan: DoseRule[],
  history: Given[],
  birthDate: string,
  on: string,
  grace: number,
): boolean {
  if (!when) return true;
  if (when.firstDoseBeforeAge !== undefined) {
    const first = ev.valid[0]?.date ?? on;
    if (first >= addDuration(birthDate, when.firstDoseBeforeAge)) return false;
  }
  if (when.allDosesCvx) {
    const firstRule = plan[0];
    const from = firstRule ? addDays(addDuration(birthDate, firstRule.minAge), -grace) : birthDate;
    const eligible = history.filter((h) => h.date >= from);
    const considered = when.allDosesCvx.firstDoses === undefined ? eligible : eligible.slice(0, when.allDosesCvx.firstDoses);
    if (considered.length === 0 || !considered.every((h) => when.allDosesCvx?.cvx.includes(h.cvx))) return false;
  }
  return true;
}

/** Due, overdue or not yet due on `on`. */
export function statusFor(on: string, due: string, overdue: string | null): DueStatus {
  if (on < due) return 'not_yet_due';
  if (overdue !== null && on >= overdue) return 'overdue';
  return 'due';
}

/** The reason line of a due item. */
export function describe(status: DueStatus, what: string, due: Constraint, overdue: string | null, earliest: string): string {
  if (status === 'overdue') return `${what} overdue since ${overdue ?? due.date} (due from ${due.date}, ${due.label})`;
  if (status === 'due') return `${what} due from ${due.date} (${due.label})`;
  return `${what} due from ${due.date} (${due.label})${earliest < due.date ? `; earliest valid date ${earliest}` : ''}`;
}
