/**
 * Calendar dates. Clinical dates (birth dates, due dates) are plain calendar dates, never instants:
 * they are kept as ISO `YYYY-MM-DD` strings and compared as strings. Date arithmetic follows the
 * CDC CDSi rules: years and months are added on the calendar (a day that does not exist moves to
 * the 1st of the next month), weeks and days as days. The one home of calendar arithmetic: the
 * immunization and preventive engines, quality measures and the schedule all use these.
 */

const DAY_MS = 86_400_000;

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

/**
 * Today's calendar date in UTC as ISO text. The clinic's "today" is clinicDate(now, zone) (the
 * clinic's zone); UTC's date runs a day ahead of the Americas every evening.
 */
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

// ---------------------------------------------------------------- arithmetic and durations

/** [year, month, day] of an ISO date; throws on a date that is not real. */
export function dateParts(date: string): [number, number, number] {
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
  const [y, m, d] = dateParts(date);
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/**
 * `date` plus `months` calendar months. When the day does not exist in the target month the result is the
 * first day of the next month (CDSi rule): 2024-01-31 + 1 month = 2024-03-01.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = dateParts(date);
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
  const [fy, fm, fd] = dateParts(from);
  const [ty, tm, td] = dateParts(to);
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / DAY_MS);
}

/** A parsed age or interval. */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
}

/** What `parseDuration` accepts: "2 months", "14 weeks 6 days" (the schedule schema checks its fields with it). */
export const DURATION_TEXT = /^\d+ (?:year|month|week|day)s?(?: \d+ (?:year|month|week|day)s?)*$/;

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
export function wholeMonths(birthDate: string, on: string): number {
  const [by, bm] = dateParts(birthDate);
  const [ty, tm] = dateParts(on);
  let m = (ty - by) * 12 + (tm - bm);
  while (m > 0 && addMonths(birthDate, m) > on) m -= 1;
  return Math.max(m, 0);
}

/** Age for messages: "80" (years, from age 2), "7 months", "5 weeks 2 days". */
export function ageText(birthDate: string, on: string): string {
  const months = wholeMonths(birthDate, on);
  if (months >= 24) return String(Math.floor(months / 12));
  if (months >= 4) return `${months} months`;
  const days = daysBetween(birthDate, on);
  const w = Math.floor(days / 7);
  const d = days % 7;
  if (w === 0) return `${d} day${d === 1 ? '' : 's'}`;
  return `${w} week${w === 1 ? '' : 's'}${d ? ` ${d} day${d === 1 ? '' : 's'}` : ''}`;
}
