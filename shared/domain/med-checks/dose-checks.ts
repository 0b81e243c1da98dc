import type { AlertSeverity, DoseUnit, Drug, MedAlert } from '../drugs';
import { convertMass, doseInStrengthUnit, formatAmount } from '../sig';
import type { CheckPatient, ProposedDose } from './check.types';

// Dose range: adult maximums and pediatric mg/kg limits.

/** Whole months from birth to `today` (calendar arithmetic on ISO dates). */
export function ageInMonths(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let months = (ty - by) * 12 + (tm - bm);
  if (td < bd) months -= 1;
  return months;
}

function daysBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.slice(0, 10).split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / 86_400_000);
}

/** `amount unit` expressed in `target`, through mass conversion and the product's strength; null if impossible. */
function amountIn(amount: number, unit: DoseUnit, target: DoseUnit, strength: Drug['strength']): number | null {
  if (unit === target) return amount;
  const direct = convertMass(amount, unit, target);
  if (direct !== null) return direct;
  const asMass = doseInStrengthUnit(amount, unit, strength);
  if (asMass && asMass.unit !== unit) {
    const c = asMass.unit === target ? asMass.amount : convertMass(asMass.amount, asMass.unit, target);
    if (c !== null) return c;
  }
  // Limit in tablets (or mL), dose in mg: divide by what one tablet holds.
  const one = doseInStrengthUnit(1, target, strength);
  if (one && one.unit !== target) {
    const c = one.unit === unit ? amount : convertMass(amount, unit, one.unit);
    if (c !== null) return c / one.amount;
  }
  return null;
}

/**
 * The adult maximum single and daily doses in mg (through the product's strength when the adult
 * rule counts tablets or mL); null where there is none or it cannot be converted.
 */
export function adultLimitsInMg(d: Drug): { single: number | null; daily: number | null } {
  const a = d.adult;
  const inMg = (v: number | null): number | null => (a === null || v === null ? null : amountIn(v, a.unit, 'mg', d.strength));
  return { single: inMg(a?.maxSingle ?? null), daily: inMg(a?.maxDaily ?? null) };
}

interface Limit {
  max: number;
  why: string;
}

/** The lowest limit; the first one wins a tie. */
const lowest = (limits: (Limit | null)[]): Limit | null =>
  limits.reduce<Limit | null>((low, l) => (l !== null && (low === null || l.max < low.max) ? l : low), null);

/** Rounds for messages: 1333.3333 → "1333.33"; no trailing zeros. */
const fmt = (n: number): string => String(Math.round(n * 100) / 100);

/** Over a limit, with room for floating-point noise (0.1 × 3 is not 0.3). */
export const over = (value: number, limit: number): boolean => value > limit * (1 + 1e-9);

/** Days for a weight to count as current in a child: 30 days, as the pediatric schema says. */
const WEIGHT_MAX_AGE_DAYS = 30;

/**
 * What an amount in `unit` of a combination product is an amount of, said before it in an alert:
 * "trimethoprim component: " for sulfamethoxazole/trimethoprim in mg; nothing for a single
 * ingredient, or for a count of tablets (the whole product).
 */
function component(d: Drug, unit: DoseUnit): string {
  const of = d.strength?.ingredient;
  return of !== undefined && convertMass(1, unit, 'mg') !== null ? `${of} component: ` : '';
}

function doseAlert(severity: AlertSeverity, ruleId: string, message: string, d: Drug): MedAlert {
  return { kind: 'dose', severity, message, source: d.sources.join(', '), ruleId };
}

/** Single-dose and daily maximums of the adult rule (also used for a child when the drug has no pediatric rule). */
export function adultDoseAlerts(d: Drug, dose: ProposedDose, who: 'adult' | 'child'): MedAlert[] {
  const a = d.adult;
  if (!a) return [];
  const single = amountIn(dose.amount, dose.unit, a.unit, d.strength);
  if (single === null) return [];
  const out: MedAlert[] = [];
  const label = who === 'adult' ? 'the adult maximum' : 'the adult maximum (no pediatric dosing on file)';
  const what = `${d.name}: ${component(d, a.unit)}`;
  if (a.maxSingle !== null && over(single, a.maxSingle)) {
    out.push(
      doseAlert(
        'major',
        'dose-adult-max-single',
        `${what}${formatAmount(single, a.unit)} per dose is over ${label} of ${formatAmount(a.maxSingle, a.unit)} per dose.`,
        d,
      ),
    );
  }
  if (a.maxDaily !== null && dose.perDay !== null && over(single * dose.perDay, a.maxDaily)) {
    out.push(
      doseAlert(
        'major',
        'dose-adult-max-daily',
        `${what}${formatAmount(single, a.unit)} × ${dose.perDay} a day = ${formatAmount(single * dose.perDay, a.unit)} a day is over ${label} of ${formatAmount(a.maxDaily, a.unit)} a day.`,
        d,
      ),
    );
  }
  return out;
}

/** Pediatric limits (minimum age, mg/kg per dose and per day) for a patient under 18; the adult rule when the drug has no pediatric one. */
export function pediatricDoseAlerts(d: Drug, dose: ProposedDose | undefined, patient: CheckPatient, months: number): MedAlert[] {
  const p = d.pediatric;
  if (!p) return dose ? adultDoseAlerts(d, dose, 'child') : [];
  const out: MedAlert[] = [];
  if (p.minAgeMonths !== null && months < p.minAgeMonths) {
    out.push(doseAlert('major', 'dose-pediatric-min-age', `${d.name}: not for children under ${fmt(p.minAgeMonths)} months (patient is ${months} months).`, d));
  }
  if (!dose) return out;
  const mg = amountIn(dose.amount, dose.unit, 'mg', d.strength);
  if (mg === null) return out;

  let weight: number | null = null;
  if (p.mgPerKgDose !== null || p.mgPerKgDay !== null) {
    const age = patient.weightKg !== null && patient.weightDate ? daysBetween(patient.weightDate, patient.today) : null;
    if (age === null || patient.weightKg === null) {
      out.push(
        doseAlert(
          'major',
          'dose-weight-missing',
          `${d.name}: no weight in the last 30 days: weigh the child before dosing (no weight recorded; mg/kg limits not checked).`,
          d,
        ),
      );
    } else if (age > WEIGHT_MAX_AGE_DAYS) {
      out.push(
        doseAlert(
          'major',
          'dose-weight-stale',
          `${d.name}: no weight in the last 30 days: weigh the child before dosing (last weight ${age} days old; mg/kg limits not checked).`,
          d,
        ),
      );
    } else weight = patient.weightKg;
  }

  // The lowest of the weight-based limit, the children's cap and the adult maximum; the message says
  // which one applied. Important: a heavy child's mg/kg dose is never allowed past the adult maximum.
  const adultMg = adultLimitsInMg(d);
  const limit = (perKg: number | null, cap: number | null, adultCap: number | null, per: string): Limit | null =>
    lowest([
      perKg !== null && weight !== null ? { max: perKg * weight, why: `${fmt(perKg)} mg/kg/${per} × ${fmt(weight)} kg` } : null,
      cap === null ? null : { max: cap, why: 'absolute maximum for children' },
      adultCap === null ? null : { max: adultCap, why: 'the adult maximum, which a child never exceeds' },
    ]);
  const single = limit(p.mgPerKgDose, p.maxSingleMg, adultMg.single, 'dose');
  if (single && over(mg, single.max)) {
    out.push(
      doseAlert(
        'major',
        'dose-pediatric-max-single',
        `${d.name}: ${component(d, 'mg')}${formatAmount(mg, 'mg')} per dose is over the maximum of ${formatAmount(single.max, 'mg')} per dose (${single.why}).`,
        d,
      ),
    );
  }
  const daily = dose.perDay === null ? null : limit(p.mgPerKgDay, p.maxDailyMg, adultMg.daily, 'day');
  if (daily && dose.perDay !== null && over(mg * dose.perDay, daily.max)) {
    out.push(
      doseAlert(
        'major',
        'dose-pediatric-max-daily',
        `${d.name}: ${component(d, 'mg')}${formatAmount(mg, 'mg')} × ${dose.perDay} a day = ${formatAmount(mg * dose.perDay, 'mg')} a day is over the maximum of ${formatAmount(daily.max, 'mg')} a day (${daily.why}).`,
        d,
      ),
    );
  }
  return out;
}
