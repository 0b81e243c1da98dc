/**
 * X12 values: decimal amounts, percents, quantities and dates, converted exactly.
 *
 * Important: money never passes through a float. "125", "125.5" and "125.50" are parsed digit by
 * digit into 12550 cents, and cents are written back as digits.
 */

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * An X12 decimal (R type) as an integer count of 1/10^scale units, or null when it is not a
 * decimal or cannot be held exactly at that scale ("1.005" at scale 2).
 * `parseScaled("125.5", 2)` is 12550; `parseScaled("-9", 2)` is -900; `parseScaled(".2", 2)` is 20.
 */
export function parseScaled(text: string, scale: number): number | null {
  const m = DECIMAL.exec(text.trim());
  if (m === null) return null;
  const whole = m[2] ?? '';
  let fraction = m[3] ?? '';
  if (whole === '' && fraction === '') return null;
  // Extra decimals are fine only when they are zeros ("125.500").
  if (fraction.length > scale) {
    if (!/^0*$/.test(fraction.slice(scale))) return null;
    fraction = fraction.slice(0, scale);
  }
  const digits = (whole + fraction.padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  // 15 digits stay exact in a double; X12 amounts are at most 18 characters, cents far fewer.
  if (digits.length > 15) return null;
  const value = Number(digits);
  return m[1] === '-' ? -value : value;
}

/** Dollars as written in X12 ("125.50") to integer cents, or null when it is not an amount. */
export function parseCents(text: string): number | null {
  return parseScaled(text, 2);
}

/**
 * Integer cents to an X12 amount, with trailing zeros after the point dropped as X12 recommends:
 * 12550 → "125.5", 12500 → "125", 5 → "0.05", -900 → "-9".
 */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100);
  const rest = abs % 100;
  if (rest === 0) return `${sign}${dollars}`;
  const fraction = String(rest).padStart(2, '0').replace(/0$/, '');
  return `${sign}${dollars}.${fraction}`;
}

/**
 * An X12 percent written as a fraction (EB08 ".2" means 20 %) to a percent number, shifting the
 * decimal point in the text: ".2" → 20, "0.125" → 12.5, "1" → 100. Null when not a decimal.
 */
export function parsePercent(text: string): number | null {
  const m = DECIMAL.exec(text.trim());
  if (m === null || m[1] === '-') return null;
  const whole = m[2] ?? '';
  const fraction = (m[3] ?? '').padEnd(2, '0');
  if (whole === '' && (m[3] ?? '') === '') return null;
  const shifted = `${whole}${fraction.slice(0, 2)}.${fraction.slice(2) || '0'}`;
  return Number(shifted);
}

/** A quantity (units, SV104/SVC05) as a number; null when not a decimal. */
export function parseQuantity(text: string): number | null {
  const m = DECIMAL.exec(text.trim());
  if (m === null || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return null;
  return Number(text.trim());
}

/** A quantity written without exponent and with at most 3 decimals (1 → "1", 1.5 → "1.5"); null when unusable. */
export function formatQuantity(n: number): string | null {
  if (!Number.isFinite(n) || n < 0 || n >= 1e9) return null;
  const thousandths = Math.round(n * 1000);
  if (Math.abs(thousandths - n * 1000) > 1e-6) return null;
  const whole = Math.floor(thousandths / 1000);
  const rest = thousandths % 1000;
  if (rest === 0) return String(whole);
  return `${whole}.${String(rest).padStart(3, '0').replace(/0+$/, '')}`;
}

/** CCYYMMDD (D8) to YYYY-MM-DD, or null when it is not a real calendar date. */
export function parseD8(text: string): string | null {
  if (!/^\d{8}$/.test(text)) return null;
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  return isCalendarDate(iso) ? iso : null;
}

/** YYYY-MM-DD to CCYYMMDD, or null when it is not a real calendar date. */
export function formatD8(iso: string): string | null {
  return isCalendarDate(iso) ? iso.replace(/-/g, '') : null;
}

/** True for a YYYY-MM-DD that names a real day (no 2024-02-30). */
export function isCalendarDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[mo - 1]!;
}

/** A Date as X12 date and time in UTC: CCYYMMDD and HHMM. */
export function utcStamp(at: Date): { d8: string; yymmdd: string; hhmm: string } {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const d8 = `${p(at.getUTCFullYear(), 4)}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}`;
  return { d8, yymmdd: d8.slice(2), hhmm: `${p(at.getUTCHours())}${p(at.getUTCMinutes())}` };
}
