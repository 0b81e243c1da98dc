import { z } from 'zod';
import { type DoseUnit, type Drug, doseUnit, drug } from './drugs';

/**
 * Prescription directions ("sig"). Stored structured so the dose check can compute a daily total;
 * the text a patient reads is generated from it, never typed separately, so the two cannot disagree.
 */

/** Route of administration: the same list the drug catalogue uses. */
export const route = drug.shape.route;
export type Route = z.infer<typeof route>;

/** Frequency codes a prescriber picks from; the text a patient reads comes from `FREQUENCIES`. */
export const FREQUENCY_CODES = [
  'once',
  'qd',
  'qam',
  'qhs',
  'bid',
  'tid',
  'qid',
  'q2h',
  'q3h',
  'q4h',
  'q6h',
  'q8h',
  'q12h',
  'qod',
  'qweek',
  'qmonth',
  'prn-only',
] as const;
export const frequency = z.enum(FREQUENCY_CODES);
export type Frequency = z.infer<typeof frequency>;

/** How a frequency code reads and how many doses it allows in 24 hours. */
export interface FrequencyInfo {
  /** Words used in the directions, e.g. "three times daily". */
  label: string;
  /** The abbreviation prescribers type (shown in pickers only: patients read `label`). */
  abbreviation: string;
  /**
   * Most administrations in any 24 hours, for the daily dose check. A PRN order counts as if every
   * permitted dose is taken (q4h prn = 6), since that is what the patient may do. Null for
   * 'prn-only', which states no interval, so no daily maximum can be computed from it.
   */
  perDay: number | null;
}

/** Label, abbreviation and daily count for every frequency code. */
export const FREQUENCIES: Readonly<Record<Frequency, FrequencyInfo>> = {
  once: { label: 'once', abbreviation: 'once', perDay: 1 },
  qd: { label: 'once daily', abbreviation: 'QD', perDay: 1 },
  qam: { label: 'every morning', abbreviation: 'QAM', perDay: 1 },
  qhs: { label: 'at bedtime', abbreviation: 'QHS', perDay: 1 },
  bid: { label: 'twice daily', abbreviation: 'BID', perDay: 2 },
  tid: { label: 'three times daily', abbreviation: 'TID', perDay: 3 },
  qid: { label: 'four times daily', abbreviation: 'QID', perDay: 4 },
  q2h: { label: 'every 2 hours', abbreviation: 'Q2H', perDay: 12 },
  q3h: { label: 'every 3 hours', abbreviation: 'Q3H', perDay: 8 },
  q4h: { label: 'every 4 hours', abbreviation: 'Q4H', perDay: 6 },
  q6h: { label: 'every 6 hours', abbreviation: 'Q6H', perDay: 4 },
  q8h: { label: 'every 8 hours', abbreviation: 'Q8H', perDay: 3 },
  q12h: { label: 'every 12 hours', abbreviation: 'Q12H', perDay: 2 },
  // Every other day / weekly / monthly: at most one dose falls in any 24 hours.
  qod: { label: 'every other day', abbreviation: 'QOD', perDay: 1 },
  qweek: { label: 'once weekly', abbreviation: 'weekly', perDay: 1 },
  qmonth: { label: 'once monthly', abbreviation: 'monthly', perDay: 1 },
  'prn-only': { label: 'as needed', abbreviation: 'PRN', perDay: null },
};

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/** Structured prescription directions. */
export const sig = z
  .object({
    doseAmount: z.number().positive('dose must be more than 0'),
    doseUnit,
    route,
    frequency,
    prn: z.boolean().default(false),
    prnReason: optionalText(200),
    durationDays: z.number().int().positive().max(365).optional(),
    quantity: z.number().positive('quantity must be more than 0'),
    quantityUnit: doseUnit,
    refills: z.number().int().min(0).max(11, 'at most 11 refills'),
    indication: optionalText(200),
    instructions: optionalText(500),
  })
  .superRefine((s, ctx) => {
    // "As needed" with no interval only makes sense as a PRN order; a reason on a scheduled order is a typo.
    if (s.frequency === 'prn-only' && !s.prn) ctx.addIssue({ code: 'custom', path: ['prn'], message: "frequency 'as needed' requires prn" });
    if (s.prnReason !== undefined && !s.prn) ctx.addIssue({ code: 'custom', path: ['prnReason'], message: 'a PRN reason needs prn set' });
  });
export type Sig = z.infer<typeof sig>;
export type SigInput = z.input<typeof sig>;

/** Most administrations in 24 hours for this sig (see `FrequencyInfo.perDay`); null for 'prn-only'. */
export function dosesPerDay(s: Pick<Sig, 'frequency'>): number | null {
  return FREQUENCIES[s.frequency].perDay;
}

const MASS_IN_MG: Partial<Record<DoseUnit, number>> = { mcg: 0.001, mg: 1, g: 1000 };

/** Converts between mcg, mg and g; null for any other pair of units (they have no fixed ratio). */
export function convertMass(amount: number, from: DoseUnit, to: DoseUnit): number | null {
  if (from === to) return amount;
  const f = MASS_IN_MG[from];
  const t = MASS_IN_MG[to];
  return f === undefined || t === undefined ? null : (amount * f) / t;
}

/** Reads a strength's `per` ("5 mL", "mL", "tablet") as an amount and unit; null when it is not one. */
function parsePer(per: string): { amount: number; unit: DoseUnit } | null {
  const m = /^\s*(\d+(?:\.\d+)?)?\s*([A-Za-z]+)\s*$/.exec(per);
  if (!m) return null;
  const unit = doseUnit.safeParse(m[2] === 'ml' ? 'mL' : m[2]);
  return unit.success ? { amount: m[1] === undefined ? 1 : Number(m[1]), unit: unit.data } : null;
}

const COUNTED: ReadonlySet<DoseUnit> = new Set<DoseUnit>(['tablet', 'capsule', 'patch', 'puff', 'drop']);

/**
 * The active-ingredient amount in a dose given in the product's own unit: 2 tablets of 500 mg is
 * 1000 mg; 10 mL of 250 mg/5 mL is 500 mg. A dose already in a mass unit is returned as it is.
 * Null when the strength does not say (no strength, or a `per` that does not match the dose unit).
 */
export function doseInStrengthUnit(amount: number, unit: DoseUnit, strength: Drug['strength']): { amount: number; unit: DoseUnit } | null {
  if (MASS_IN_MG[unit] !== undefined) return { amount, unit };
  if (!strength) return null;
  if (strength.per === undefined) {
    // "500 mg" with no `per` is the strength of one tablet/capsule/patch/puff/drop.
    return COUNTED.has(unit) ? { amount: amount * strength.value, unit: strength.unit } : null;
  }
  const per = parsePer(strength.per);
  if (!per || per.unit !== unit) return null;
  return { amount: (amount / per.amount) * strength.value, unit: strength.unit };
}

const PLURAL: Partial<Record<DoseUnit, string>> = {
  tablet: 'tablets',
  capsule: 'capsules',
  patch: 'patches',
  puff: 'puffs',
  drop: 'drops',
  unit: 'units',
};

/** "1 tablet", "2 tablets", "0.5 tablet", "5 mL", "10,000 units". */
export function formatAmount(amount: number, unit: DoseUnit): string {
  const unitText = amount > 1 ? (PLURAL[unit] ?? unit) : unit;
  return `${formatNumber(amount)} ${unitText}`;
}

/**
 * ISMP style: a leading zero (0.5), never a trailing zero (5, not 5.0), and commas in large numbers
 * (10,000) so a misplaced decimal or an extra zero stands out.
 */
function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

const ROUTE_WORDS: Readonly<Record<Route, { verb: string; where: string }>> = {
  oral: { verb: 'Take', where: 'by mouth' },
  sublingual: { verb: 'Place', where: 'under the tongue' },
  topical: { verb: 'Apply', where: 'to the skin' },
  transdermal: { verb: 'Apply', where: 'to the skin' },
  inhalation: { verb: 'Inhale', where: 'by mouth' },
  subcutaneous: { verb: 'Inject', where: 'under the skin' },
  intramuscular: { verb: 'Inject', where: 'into the muscle' },
  intravenous: { verb: 'Give', where: 'intravenously' },
  ophthalmic: { verb: 'Instill', where: 'in the eye' },
  otic: { verb: 'Instill', where: 'in the ear' },
  nasal: { verb: 'Use', where: 'in the nose' },
  rectal: { verb: 'Insert', where: 'rectally' },
  vaginal: { verb: 'Insert', where: 'vaginally' },
};

const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * The directions a patient reads, e.g. "Take 1 tablet (500 mg) by mouth three times daily for
 * 10 days. Quantity 30 tablets, 0 refills. For: otitis media". The strength, when given, adds the
 * ingredient amount in brackets so a dose in tablets or mL is never ambiguous.
 */
export function sigDirections(s: Sig, strength?: Drug['strength']): string {
  const words = ROUTE_WORDS[s.route];
  const dose = formatAmount(s.doseAmount, s.doseUnit);
  const mass = MASS_IN_MG[s.doseUnit] === undefined && strength ? doseInStrengthUnit(s.doseAmount, s.doseUnit, strength) : null;
  let when = FREQUENCIES[s.frequency].label;
  if (s.prn && s.frequency !== 'prn-only') when += ' as needed';
  if (s.prn && s.prnReason) when += ` for ${s.prnReason}`;
  const duration = s.durationDays === undefined ? '' : ` for ${s.durationDays} ${s.durationDays === 1 ? 'day' : 'days'}`;
  // A combination's strength is an amount of one ingredient ("320 mg trimethoprim"): say which.
  const of = mass && strength?.ingredient ? ` ${strength.ingredient}` : '';
  const parts = [`${words.verb} ${dose}${mass ? ` (${formatAmount(mass.amount, mass.unit)}${of})` : ''} ${words.where} ${when}${duration}.`];
  if (s.instructions) parts.push(sentence(s.instructions));
  parts.push(`Quantity ${formatAmount(s.quantity, s.quantityUnit)}, ${s.refills} ${s.refills === 1 ? 'refill' : 'refills'}.`);
  if (s.indication) parts.push(`For: ${s.indication}`);
  return parts.join(' ');
}

/** One line for a medication list or a note: "<drug name>: <directions>". */
export function sigText(s: Sig, drugName: string, strength?: Drug['strength']): string {
  return `${drugName}: ${sigDirections(s, strength)}`;
}
