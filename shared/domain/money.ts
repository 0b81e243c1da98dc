/**
 * Money on paper and in files. Cairn keeps money as integer cents everywhere; these two functions are
 * the only way between cents and the dollars a person reads or types, so no float ever holds a price.
 *
 * @example
 *   formatCents(123456)      // "$1,234.56"
 *   formatCents(-2500)       // "-$25.00"
 *   parseDollars('1,234.5')  // 123450
 *   parseDollars('0.105')    // null (a third decimal is not a cent)
 */

/** `$1,234.56` from integer cents; a negative amount (a credit) as `-$25.00`. Throws RangeError for a non-integer. */
export function formatCents(c: number): string {
  // Important: a fraction of a cent means a float reached the ledger; printing a rounded figure would hide it.
  if (!Number.isSafeInteger(c)) throw new RangeError(`formatCents: ${c} is not a whole number of cents`);
  const abs = Math.abs(c);
  const dollars = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${c < 0 ? '-' : ''}$${dollars}.${cents}`;
}

// Optional sign, optional $, whole dollars (plain or grouped by commas of three), up to two decimals.
const DOLLARS = /^(-)?\$?(-)?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{1,2}))?$/;

/**
 * Integer cents from a dollar amount as a person or a spreadsheet writes it: `125`, `125.5`, `$1,234.56`,
 * `-12.00`, `.99`. Exact: the digits are read as text, never through a float. Null for anything else
 * (empty, letters, a third decimal, misplaced commas, two signs, beyond Number.MAX_SAFE_INTEGER cents).
 */
export function parseDollars(s: string): number | null {
  const m = DOLLARS.exec(s.trim());
  if (!m || (m[3] === undefined && m[4] === undefined) || (m[1] && m[2])) return null;
  const whole = (m[3] ?? '0').replace(/,/g, '');
  const cents = Number(whole) * 100 + Number((m[4] ?? '0').padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || whole.length > 14) return null;
  return (m[1] ?? m[2]) && cents !== 0 ? -cents : cents;
}
