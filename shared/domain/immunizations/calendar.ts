import { isIsoDate } from '../dates';

// Calendar helpers: CDSi date arithmetic on ISO calendar dates, and durations such as "2 months".

const DAY_MS = 86_400_000;

/** [year, month, day] of an ISO date; throws on a date that is not real. */
export function parts(date: string): [number, number, number] {
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
function wholeMonths(birthDate: string, on: string): number {
  const [by, bm] = parts(birthDate);
  const [ty, tm] = parts(on);
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
