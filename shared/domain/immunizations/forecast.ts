import { addDays, addDuration, ageText, dateParts } from '../dates';
import {
  type Constraint,
  type DueItem,
  type Given,
  type ImmunizationRecord,
  type InvalidDose,
  conditionHolds,
  describe,
  doseName,
  evaluate,
  latest,
  normalizeCvx,
  refName,
  statusFor,
} from './dose-rules';
import type { DoseSeries, ImmunizationSchedule, SeasonalSeries } from './schedule.schema';

// Engine: the forecast per series (dose series, seasonal series) and for a whole history.

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
  dateParts(p.birthDate);
  dateParts(p.on);
  if (p.on < p.birthDate) throw new Error(`assessment date ${p.on} is before the birth date ${p.birthDate}`);
  const given: Given[] = p.history
    .filter((r) => r.status !== 'not_done')
    .map((r) => {
      dateParts(r.date);
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
