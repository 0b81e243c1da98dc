import { unitLabel } from '../display-units';
import { VITAL_KINDS, type VitalKind, type VitalUnit } from './kinds';

// Units: entered units to and from the UCUM storage unit, rounded for storage and for display.

/** Exact by definition (International Yard and Pound Agreement, 1959). */
const KG_PER_LB = 0.45359237;
const KG_PER_OZ = KG_PER_LB / 16;
const CM_PER_IN = 2.54;

/** Decimal places kept when storing, by storage unit; units not listed are stored as entered. */
const STORAGE_DECIMALS: Readonly<Record<string, number>> = { kg: 3, cm: 1, Cel: 2, 'kg/m2': 1 };
/** Decimal places shown for display units that are not storage units. */
const DISPLAY_DECIMALS: Readonly<Record<string, number>> = { lb: 2, oz: 1, in: 1, '[degF]': 1 };

/** How a unit is written for people (mmHg, °C, °F, kg/m², nothing for a score): one place, display-units. */
export { unitLabel };

/** Rounds half away from zero to `decimals` places, without 1.005 → 1.00 binary surprises. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const scaled = Number((Math.abs(value) * f).toPrecision(15));
  const r = (Math.sign(value) * Math.round(scaled)) / f;
  return r === 0 ? 0 : r; // no -0
}

function assertUnit(kind: VitalKind, unit: string): void {
  if (!(VITAL_KINDS[kind].units as readonly string[]).includes(unit)) {
    throw new RangeError(`${VITAL_KINDS[kind].label} cannot be in ${unit}: use ${VITAL_KINDS[kind].units.join(' or ')}`);
  }
}

/** Exact conversion to the storage unit (no rounding). */
function toStorageExact(value: number, unit: string): number {
  switch (unit) {
    case 'lb':
      return value * KG_PER_LB;
    case 'oz':
      return value * KG_PER_OZ;
    case 'in':
      return value * CM_PER_IN;
    case '[degF]':
      return ((value - 32) * 5) / 9;
    default:
      return value;
  }
}

/** Exact conversion from the storage unit (no rounding). */
export function fromStorageExact(value: number, unit: string): number {
  switch (unit) {
    case 'lb':
      return value / KG_PER_LB;
    case 'oz':
      return value / KG_PER_OZ;
    case 'in':
      return value / CM_PER_IN;
    case '[degF]':
      return (value * 9) / 5 + 32;
    default:
      return value;
  }
}

/**
 * Converts a value as entered to the kind's UCUM storage unit, rounded to what is worth keeping:
 * kg to 3 decimals (1 g), cm to 1 (1 mm), Cel to 2, BMI to 1; other kinds are stored as entered.
 * e.g. `toUcum('weight', 154, 'lb')` → 69.853, `toUcum('temperature', 98.6, '[degF]')` → 37.
 * Throws RangeError for a unit the kind does not use or a value that is not a finite number.
 */
export function toUcum<K extends VitalKind>(kind: K, value: number, enteredUnit: VitalUnit<K>): number {
  assertUnit(kind, enteredUnit);
  if (!Number.isFinite(value)) throw new RangeError(`${VITAL_KINDS[kind].label} must be a number`);
  const unit = VITAL_KINDS[kind].unit;
  const exact = toStorageExact(value, enteredUnit);
  const decimals = STORAGE_DECIMALS[unit];
  return decimals === undefined ? exact : roundTo(exact, decimals);
}

/**
 * Converts a stored UCUM value to a unit for display, rounded for reading: lb to 2 decimals,
 * oz, in and °F to 1; storage units keep their storage precision.
 * e.g. `fromUcum('height', 177.8, 'in')` → 70. Throws RangeError like {@link toUcum}.
 */
export function fromUcum<K extends VitalKind>(kind: K, value: number, displayUnit: VitalUnit<K>): number {
  assertUnit(kind, displayUnit);
  if (!Number.isFinite(value)) throw new RangeError(`${VITAL_KINDS[kind].label} must be a number`);
  const exact = fromStorageExact(value, displayUnit);
  const decimals = DISPLAY_DECIMALS[displayUnit] ?? STORAGE_DECIMALS[displayUnit];
  return decimals === undefined ? exact : roundTo(exact, decimals);
}
