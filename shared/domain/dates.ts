/**
 * Calendar-date helpers. Clinical dates (birth dates) are plain calendar dates, never instants:
 * they are kept as ISO `YYYY-MM-DD` strings and compared as strings.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** True when y-m-d names a day that exists on the calendar (leap years included). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** True for a well-formed ISO calendar date that exists (1980-02-29 yes, 1981-02-29 no). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Reads a date as a person types it in a search box: `1980-03-04` or US `03/04/1980` (month first).
 * Returns the ISO form, or null when the text is not a real date.
 */
export function parseTypedDate(text: string): string | null {
  const t = text.trim();
  if (isIsoDate(t)) return t;
  const m = US_DATE.exec(t);
  if (!m) return null;
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isRealDate(year, month, day)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Today's calendar date (UTC) as ISO text. */
export function isoToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Age in whole years (and months under 2 years) on `today`, e.g. "42 y", "18 mo", "9 d".
 * Pediatric charts need months and days, not "0 y".
 */
export function formatAge(birthDate: string, today: string): string {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let months = (ty - by) * 12 + (tm - bm);
  if (td < bd) months -= 1;
  if (months < 0) return 'not born yet';
  if (months >= 24) return `${Math.floor(months / 12)} y`;
  if (months >= 1) return `${months} mo`;
  const days = Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(by, bm - 1, bd)) / 86_400_000);
  return `${days} d`;
}
