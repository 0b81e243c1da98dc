/**
 * Immunization due/overdue engine. The rules are data (resources/immunizations/schedule.json, US CDC/ACIP
 * 2025 schedules); this module validates that data and evaluates a patient's history against it.
 * Pure TypeScript: the caller reads the JSON and passes it in.
 *
 * Dates are ISO `YYYY-MM-DD` calendar dates. Date arithmetic follows the CDC CDSi rules: years and months
 * are added on the calendar (a day that does not exist moves to the 1st of the next month), weeks and days
 * as days. ACIP's 4-day grace period applies when judging doses already given, not when scheduling.
 */
import { z } from 'zod';
import { isIsoDate } from './dates';

// ---------------------------------------------------------------------------------------------------------
// Calendar helpers

const DAY_MS = 86_400_000;

function parts(date: string): [number, number, number] {
  if (!isIsoDate(date)) throw new Error(`invalid date "${date}": use a real calendar date as YYYY-MM-DD`);
  return date.split('-').map(Number) as [number, number, number];
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `date` plus `days` calendar days (negative to subtract). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/**
 * `date` plus `months` calendar months. When the day does not exist in the target month the result is the
 * first day of the next month (CDSi rule): 2024-01-31 + 1 month = 2024-03-01.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  if (d > daysInMonth(ny, nm)) return nm === 12 ? format(ny + 1, 1, 1) : format(ny, nm + 1, 1);
  return format(ny, nm, d);
}

/** `date` plus `years` calendar years; 29 February moves to 1 March in a non-leap year (CDSi rule). */
export function addYears(date: string, years: number): string {
  return addMonths(date, years * 12);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / DAY_MS);
}

/** A parsed age or interval. */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
}

const DURATION_TEXT = /^\d+ (?:year|month|week|day)s?(?: \d+ (?:year|month|week|day)s?)*$/;

/** Reads an age or interval text such as "2 months", "4 weeks" or "14 weeks 6 days". */
export function parseDuration(text: string): Duration {
  if (!DURATION_TEXT.test(text)) throw new Error(`invalid duration "${text}": use e.g. "2 months", "14 weeks 6 days"`);
  const out: Duration = { years: 0, months: 0, weeks: 0, days: 0 };
  const tokens = text.split(' ');
  for (let i = 0; i < tokens.length; i += 2) {
    const n = Number(tokens[i]);
    const unit = (tokens[i + 1] ?? '').replace(/s$/, '');
    if (unit === 'year') out.years += n;
    else if (unit === 'month') out.months += n;
    else if (unit === 'week') out.weeks += n;
    else out.days += n;
  }
  return out;
}

/** `date` plus an age or interval text: years and months on the calendar first, then weeks and days. */
export function addDuration(date: string, duration: string): string {
  const d = parseDuration(duration);
  return addDays(addMonths(date, d.years * 12 + d.months), d.weeks * 7 + d.days);
}

/** Whole calendar months from `birthDate` to `on` (consistent with addMonths). */
function wholeMonths(birthDate: string, on: string): number {
  const [by, bm] = parts(birthDate);
  const [ty, tm] = parts(on);
  let m = (ty - by) * 12 + (tm - bm);
  while (m > 0 && addMonths(birthDate, m) > on) m -= 1;
  return Math.max(m, 0);
}

/** Age for messages: "80" (years, from age 2), "7 months", "5 weeks 2 days". */
function ageText(birthDate: string, on: string): string {
  const months = wholeMonths(birthDate, on);
  if (months >= 24) return String(Math.floor(months / 12));
  if (months >= 4) return `${months} months`;
  const days = daysBetween(birthDate, on);
  const w = Math.floor(days / 7);
  const d = days % 7;
  if (w === 0) return `${d} day${d === 1 ? '' : 's'}`;
  return `${w} week${w === 1 ? '' : 's'}${d ? ` ${d} day${d === 1 ? '' : 's'}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// Schedule schema (the JSON file)

const durationText = z.string().regex(DURATION_TEXT, 'must be an age or interval such as "2 months" or "14 weeks 6 days"');
const cvxCode = z.string().regex(/^\d{2,3}$/, 'CVX codes are 2 or 3 digits, e.g. "08", "110"');
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD');

/** A minimum (and optionally recommended and overdue) interval from the previous dose or from valid dose N. */
export const intervalRule = z.object({
  fromDose: z.union([z.literal('previous'), z.number().int().positive()]),
  min: durationText,
  recommended: durationText.optional(),
  overdue: durationText.optional(),
});
export type IntervalRule = z.infer<typeof intervalRule>;

/** One dose of a series: ages and intervals that decide when it may be given, is due, is overdue. */
export const doseRule = z.object({
  dose: z.number().int().positive(),
  label: z.string().min(1).optional(),
  /** When present, only these CVX codes count for this dose (e.g. Tdap for the adolescent dose). */
  cvx: z.array(cvxCode).min(1).optional(),
  /** The schedule's recommended window, as printed (documentation for people). */
  window: z.string().optional(),
  recommendedAge: durationText.optional(),
  minAge: durationText,
  /** Inclusive: a dose given on the maximum age date still counts; after it, it does not. */
  maxAge: durationText.optional(),
  overdueAge: durationText.optional(),
  intervals: z.array(intervalRule).default([]),
});
export type DoseRule = z.infer<typeof doseRule>;

const ageLimit = z.object({ age: durationText, label: z.string().min(1) });

/** When a dose plan applies (all given conditions must hold). */
export const variantCondition = z.object({
  /** The first valid dose (or the assessment date when none) is before this age. */
  firstDoseBeforeAge: durationText.optional(),
  /** Every one of the first `firstDoses` doses given (default all) is one of these CVX codes; at least one dose given. */
  allDosesCvx: z.object({ cvx: z.array(cvxCode).min(1), firstDoses: z.number().int().positive().optional() }).optional(),
});
export type VariantCondition = z.infer<typeof variantCondition>;

const variant = z.object({
  id: z.string().min(1),
  when: variantCondition.optional(),
  doses: z.array(doseRule).min(1),
});

const booster = z.object({
  label: z.string().min(1),
  cvx: z.array(cvxCode).min(1),
  minInterval: durationText,
  recommendedInterval: durationText,
  overdueInterval: durationText,
});

const common = {
  id: z.string().regex(/^[a-z0-9-]+$/, 'series id: lower-case letters, digits and dashes'),
  name: z.string().min(1),
  vaccineGroup: z.string().min(1),
  citation: z.string().min(1),
  cvx: z.array(cvxCode).min(1),
};

/** A fixed series (with optional dose plans and an optional repeating booster). */
export const doseSeries = z.object({
  ...common,
  kind: z.literal('series'),
  ageRange: z.object({ from: ageLimit.optional(), until: ageLimit.optional() }).optional(),
  doses: z.array(doseRule).min(1).optional(),
  variants: z.array(variant).min(1).optional(),
  booster: booster.optional(),
});
export type DoseSeries = z.infer<typeof doseSeries>;

/** A seasonal series (influenza): doses per season rather than a fixed count. */
export const seasonalSeries = z.object({
  ...common,
  kind: z.literal('seasonal'),
  season: z.object({ start: monthDay, overdueFrom: monthDay }),
  minAge: durationText,
  recommendedAge: durationText,
  overdueAge: durationText.optional(),
  childTwoDoses: z
    .object({ untilAge: durationText, priorDosesBefore: monthDay, priorDosesNeeded: z.number().int().positive(), minInterval: durationText })
    .optional(),
});
export type SeasonalSeries = z.infer<typeof seasonalSeries>;

export const seriesRule = z.discriminatedUnion('kind', [doseSeries, seasonalSeries]);
export type SeriesRule = z.infer<typeof seriesRule>;

function checkDoses(doses: DoseRule[], seriesCvx: string[], path: (string | number)[], ctx: z.RefinementCtx): void {
  doses.forEach((d, i) => {
    if (d.dose !== i + 1) ctx.addIssue({ code: 'custom', path: [...path, i, 'dose'], message: `dose numbers must run 1, 2, 3…: expected ${i + 1}` });
    for (const c of d.cvx ?? [])
      if (!seriesCvx.includes(c)) ctx.addIssue({ code: 'custom', path: [...path, i, 'cvx'], message: `CVX ${c} is not in the series CVX list` });
    d.intervals.forEach((iv, j) => {
      if (iv.fromDose !== 'previous' && iv.fromDose >= d.dose)
        ctx.addIssue({ code: 'custom', path: [...path, i, 'intervals', j, 'fromDose'], message: 'an interval must refer to an earlier dose' });
      if (iv.fromDose === 'previous' && d.dose === 1)
        ctx.addIssue({ code: 'custom', path: [...path, i, 'intervals', j], message: 'dose 1 has no previous dose' });
    });
  });
}

/** Validates resources/immunizations/schedule.json. */
export const immunizationSchedule = z
  .object({
    title: z.string().min(1),
    version: z.string().min(1),
    gracePeriodDays: z.number().int().min(0).max(7),
    notes: z.array(z.string().min(1)),
    series: z.array(seriesRule).min(1),
  })
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    s.series.forEach((series, i) => {
      if (ids.has(series.id)) ctx.addIssue({ code: 'custom', path: ['series', i, 'id'], message: `duplicate series id "${series.id}"` });
      ids.add(series.id);
      if (series.kind !== 'series') return;
      if ((series.doses === undefined) === (series.variants === undefined))
        ctx.addIssue({ code: 'custom', path: ['series', i], message: 'a series needs exactly one of "doses" or "variants"' });
      if (series.doses) checkDoses(series.doses, series.cvx, ['series', i, 'doses'], ctx);
      series.variants?.forEach((v, j) => {
        checkDoses(v.doses, series.cvx, ['series', i, 'variants', j, 'doses'], ctx);
        const last = j === (series.variants?.length ?? 0) - 1;
        if (last && v.when)
          ctx.addIssue({ code: 'custom', path: ['series', i, 'variants', j, 'when'], message: 'the last variant is the default and must have no "when"' });
      });
      for (const c of series.booster?.cvx ?? [])
        if (!series.cvx.includes(c)) ctx.addIssue({ code: 'custom', path: ['series', i, 'booster', 'cvx'], message: `CVX ${c} is not in the series CVX list` });
    });
  });
export type ImmunizationSchedule = z.infer<typeof immunizationSchedule>;

// ---------------------------------------------------------------------------------------------------------
// Engine

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

interface Given {
  date: string;
  cvx: string;
}

interface InvalidDose {
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

interface Constraint {
  date: string;
  label: string;
}

/** The latest constraint; on a tie the first listed wins. */
function latest(cs: Constraint[]): Constraint | null {
  let best: Constraint | null = null;
  for (const c of cs) if (best === null || c.date > best.date) best = c;
  return best;
}

/** "8", "008" → "08": CVX codes are compared in their 2-3 digit form. */
function normalizeCvx(cvx: string): string {
  const t = cvx.trim();
  if (!/^\d+$/.test(t)) return t;
  return String(Number(t)).padStart(2, '0');
}

function doseName(rule: DoseRule, total: number): string {
  return `dose ${rule.dose} of ${total}${rule.label ? ` (${rule.label})` : ''}`;
}

function refName(fromDose: 'previous' | number, ref: Given, valid: Given[]): string {
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
function evaluate(doses: DoseRule[], boost: DoseSeries['booster'], history: Given[], birthDate: string, grace: number): Evaluation {
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

function conditionHolds(
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

function statusFor(on: string, due: string, overdue: string | null): DueStatus {
  if (on < due) return 'not_yet_due';
  if (overdue !== null && on >= overdue) return 'overdue';
  return 'due';
}

function describe(status: DueStatus, what: string, due: Constraint, overdue: string | null, earliest: string): string {
  if (status === 'overdue') return `${what} overdue since ${overdue ?? due.date} (due from ${due.date}, ${due.label})`;
  if (status === 'due') return `${what} due from ${due.date} (${due.label})`;
  return `${what} due from ${due.date} (${due.label})${earliest < due.date ? `; earliest valid date ${earliest}` : ''}`;
}

function doseSeriesDue(series: DoseSeries, birthDate: string, on: string, history: Given[], grace: number): DueItem {
  const base = { seriesId: series.id, series: series.name, vaccineGroup: series.vaccineGroup, citation: series.citation };
  const plans = series.variants ?? [{ id: 'default', when: undefined, doses: series.doses ?? [] }];
  const boost = series.booster;

  // Plans whose condition holds, each with its evaluation.
  const applicable = plans
    .map((p) => ({ plan: p, ev: evaluate(p.doses, boost, history, birthDate, grace) }))
    .filter(({ plan, ev }) => conditionHolds(plan.when, ev, plan.doses, history, birthDate, on, grace));
  const chosen = (!boost && applicable.find(({ plan, ev }) => ev.valid.length >= plan.doses.length)) || applicable[0];
  if (!chosen) throw new Error(`series "${series.id}": no dose plan applies (the last variant must have no "when")`);
  const { plan, ev } = chosen;
  const required = plan.doses.length;
  const invalidDoses = ev.invalid;
  const counted = Math.min(ev.valid.length, required);
  const empty = { earliestDate: null, dueDate: null, overdueDate: null, nextDose: null };

  if (!boost && ev.valid.length >= required)
    return {
      ...base,
      ...empty,
      status: 'complete',
      dosesValid: required,
      dosesRequired: required,
      reason: `complete: ${required} of ${required} valid doses`,
      invalidDoses,
    };

  const until = series.ageRange?.until;
  if (until && on >= addDuration(birthDate, until.age))
    return {
      ...base,
      ...empty,
      status: 'not_applicable',
      dosesValid: counted,
      dosesRequired: required,
      reason: `not applicable: age ${ageText(birthDate, on)} is past the ${until.label}`,
      invalidDoses,
    };
  const from = series.ageRange?.from;
  if (from && on < addDuration(birthDate, from.age))
    return {
      ...base,
      ...empty,
      status: 'not_applicable',
      dosesValid: counted,
      dosesRequired: required,
      reason: `not applicable: age ${ageText(birthDate, on)} is below the ${from.label}`,
      invalidDoses,
    };

  const rule = plan.doses[ev.valid.length];
  if (!rule) {
    // Booster series with the primary doses done: the next booster.
    const last = ev.valid[ev.valid.length - 1];
    if (!boost || !last) throw new Error(`series "${series.id}": nothing to forecast`);
    const n = ev.valid.length + 1;
    const ref = ev.previous ?? last;
    const earliest = addDuration(ref.date, boost.minInterval);
    const dueC = latest([
      { date: addDuration(last.date, boost.recommendedInterval), label: `${boost.recommendedInterval} after the last valid dose on ${last.date}` },
      { date: earliest, label: `minimum interval ${boost.minInterval} after the previous dose` },
    ]) as Constraint;
    const overdue = [dueC.date, addDuration(last.date, boost.overdueInterval)].sort().at(-1) ?? dueC.date;
    const status = statusFor(on, dueC.date, overdue);
    return {
      ...base,
      status,
      dosesValid: ev.valid.length,
      dosesRequired: n,
      nextDose: n,
      earliestDate: earliest,
      dueDate: dueC.date,
      overdueDate: overdue,
      reason: describe(status, `dose ${n} (${boost.label})`, dueC, overdue, earliest),
      invalidDoses,
    };
  }

  const earliestCs: Constraint[] = [{ date: addDuration(birthDate, rule.minAge), label: `minimum age ${rule.minAge}` }];
  const dueCs: Constraint[] = [];
  const overdueDates: string[] = [];
  if (rule.recommendedAge !== undefined) dueCs.push({ date: addDuration(birthDate, rule.recommendedAge), label: `recommended age ${rule.recommendedAge}` });
  if (rule.overdueAge !== undefined) overdueDates.push(addDuration(birthDate, rule.overdueAge));
  for (const iv of rule.intervals) {
    const ref = iv.fromDose === 'previous' ? ev.previous : ev.valid[iv.fromDose - 1];
    if (!ref) continue;
    const name = refName(iv.fromDose, ref, ev.valid);
    if (iv.recommended !== undefined)
      dueCs.push({ date: addDuration(ref.date, iv.recommended), label: `recommended interval ${iv.recommended} after ${name}` });
    earliestCs.push({ date: addDuration(ref.date, iv.min), label: `minimum interval ${iv.min} after ${name}` });
    if (iv.overdue !== undefined) overdueDates.push(addDuration(ref.date, iv.overdue));
  }
  const earliestC = latest(earliestCs) as Constraint;
  const dueC = latest([...dueCs, ...earliestCs]) as Constraint;
  const overdue = overdueDates.length ? ([dueC.date, ...overdueDates].sort().at(-1) ?? null) : null;
  const what = doseName(rule, required);

  if (rule.maxAge !== undefined) {
    const maxDate = addDuration(birthDate, rule.maxAge);
    if (on > maxDate || earliestC.date > maxDate)
      return {
        ...base,
        ...empty,
        status: 'not_applicable',
        dosesValid: counted,
        dosesRequired: required,
        reason:
          on > maxDate
            ? `not applicable: age ${ageText(birthDate, on)} is past the maximum age ${rule.maxAge} for dose ${rule.dose} (${maxDate})`
            : `not applicable: dose ${rule.dose} cannot be given before its maximum age ${rule.maxAge} (${maxDate}); earliest valid date ${earliestC.date}`,
        invalidDoses,
      };
  }

  const status = statusFor(on, dueC.date, overdue);
  return {
    ...base,
    status,
    dosesValid: counted,
    dosesRequired: required,
    nextDose: rule.dose,
    earliestDate: earliestC.date,
    dueDate: dueC.date,
    overdueDate: overdue,
    reason: describe(status, what, dueC, overdue, earliestC.date),
    invalidDoses,
  };
}

/** First day of the season that contains `date`, e.g. 2025-10-10 → 2025-08-01 for a season starting 08-01. */
function seasonStartOf(date: string, startMonthDay: string): string {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= startMonthDay ? `${year}-${startMonthDay}` : `${year - 1}-${startMonthDay}`;
}

function seasonalDue(series: SeasonalSeries, birthDate: string, on: string, history: Given[], grace: number): DueItem {
  const base = { seriesId: series.id, series: series.name, vaccineGroup: series.vaccineGroup, citation: series.citation };
  const minAgeDate = addDuration(birthDate, series.minAge);
  const valid: Given[] = [];
  const invalidDoses: InvalidDose[] = [];
  for (const rec of history) {
    if (rec.date < birthDate) invalidDoses.push({ ...rec, why: `dated ${rec.date}, before the birth date ${birthDate}` });
    else if (rec.date < addDays(minAgeDate, -grace))
      invalidDoses.push({
        ...rec,
        why: `given at age ${ageText(birthDate, rec.date)}, before the minimum age ${series.minAge} (valid from ${addDays(minAgeDate, -grace)} with the ${grace}-day grace period)`,
      });
    else valid.push(rec);
  }

  // The season of the assessment date, or of the minimum age date for an infant too young this season.
  const start = seasonStartOf(on > minAgeDate ? on : minAgeDate, series.season.start);
  const startYear = Number(start.slice(0, 4));
  const label = `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')} season`;
  const thisSeason = valid.filter((g) => g.date >= start);

  let required = 1;
  const two = series.childTwoDoses;
  if (two) {
    const ageRef = thisSeason[0]?.date ?? (on > minAgeDate ? on : minAgeDate);
    const prior = valid.filter((g) => g.date < `${startYear}-${two.priorDosesBefore}`).length;
    if (ageRef < addDuration(birthDate, two.untilAge) && prior < two.priorDosesNeeded) required = 2;
  }

  if (thisSeason.length >= required) {
    const dates = thisSeason.map((g) => g.date).join(', ');
    return {
      ...base,
      status: 'complete',
      dosesValid: thisSeason.length,
      dosesRequired: required,
      nextDose: null,
      earliestDate: null,
      dueDate: null,
      overdueDate: null,
      reason: `complete for the ${label}: ${required === 1 ? 'dose' : 'doses'} given ${dates}`,
      invalidDoses,
    };
  }

  const n = thisSeason.length + 1;
  const earliestCs: Constraint[] = [
    { date: start, label: `start of the ${label}` },
    { date: minAgeDate, label: `minimum age ${series.minAge}` },
  ];
  const first = thisSeason[0];
  if (n === 2 && two && first)
    earliestCs.push({ date: addDuration(first.date, two.minInterval), label: `minimum interval ${two.minInterval} after dose 1 of the season` });
  const earliestC = latest(earliestCs) as Constraint;
  const dueC = latest([
    { date: addDuration(birthDate, series.recommendedAge), label: `recommended age ${series.recommendedAge}` },
    ...earliestCs,
  ]) as Constraint;
  const seasonOverdue =
    series.season.overdueFrom >= series.season.start ? `${startYear}-${series.season.overdueFrom}` : `${startYear + 1}-${series.season.overdueFrom}`;
  const overdueDates = [dueC.date, seasonOverdue];
  if (series.overdueAge !== undefined) overdueDates.push(addDuration(birthDate, series.overdueAge));
  const overdue = overdueDates.sort().at(-1) ?? seasonOverdue;
  const status = statusFor(on, dueC.date, overdue);
  return {
    ...base,
    status,
    dosesValid: thisSeason.length,
    dosesRequired: required,
    nextDose: n,
    earliestDate: earliestC.date,
    dueDate: dueC.date,
    overdueDate: overdue,
    reason: describe(status, `dose ${n} of ${required} for the ${label}`, dueC, overdue, earliestC.date),
    invalidDoses,
  };
}

/**
 * Forecasts every series of `schedule` for a patient born on `birthDate`, assessed on `on`.
 * History records dated after `on` and `not_done` records are ignored; a record counts toward every
 * series whose CVX list holds its code (combination vaccines count toward several series).
 * Throws when `birthDate` or `on` is not a real ISO date, `on` is before birth, or a record date is invalid.
 */
export function immunizationsDue(p: { birthDate: string; on: string; history: ImmunizationRecord[]; schedule: ImmunizationSchedule }): DueItem[] {
  parts(p.birthDate);
  parts(p.on);
  if (p.on < p.birthDate) throw new Error(`assessment date ${p.on} is before the birth date ${p.birthDate}`);
  const given: Given[] = p.history
    .filter((r) => r.status !== 'not_done')
    .map((r) => {
      parts(r.date);
      return { date: r.date, cvx: normalizeCvx(r.cvx) };
    })
    .filter((r) => r.date <= p.on)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const grace = p.schedule.gracePeriodDays;
  return p.schedule.series.map((s) => {
    const history = given.filter((g) => s.cvx.includes(g.cvx));
    return s.kind === 'seasonal' ? seasonalDue(s, p.birthDate, p.on, history, grace) : doseSeriesDue(s, p.birthDate, p.on, history, grace);
  });
}
