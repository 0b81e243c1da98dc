/**
 * The clinic's clock: wall-clock dates and times of instants in the clinic's IANA zone, and the
 * instant a wall-clock time names, read through Intl so a 09:00 visit stays at 09:00 across a DST
 * change. Instants are epoch ms; the zone is the clinic's (resources/schedule/clinic-hours.json)
 * or, for lab messages, the machine's own.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Weekdays as Date#getUTCDay numbers them (0 = Sunday). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** This machine's time zone (set by the system, or TZ=…): where the clinic's lab messages are read. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** True when `tz` is an IANA zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  /** YYYY-MM-DD in the clinic's zone. */
  date: string;
  /** Minutes past local midnight. */
  minutes: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

function zoneParts(ms: number, tz: string): { y: number; mo: number; d: number; h: number; mi: number; s: number; wd: string } {
  const p: Record<string, string> = {};
  for (const x of formatter(tz).formatToParts(new Date(ms))) p[x.type] = x.value;
  return {
    y: Number(p['year']),
    mo: Number(p['month']),
    d: Number(p['day']),
    h: Number(p['hour']),
    mi: Number(p['minute']),
    s: Number(p['second']),
    wd: (p['weekday'] ?? '').toLowerCase().slice(0, 3),
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The clinic's wall-clock date, time and weekday of an instant. */
export function wallTime(ms: number, tz: string): WallTime {
  const p = zoneParts(ms, tz);
  return { date: `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`, minutes: p.h * 60 + p.mi, weekday: p.wd as Weekday };
}

/**
 * The calendar day an instant falls on in the clinic's zone: the clinic's "today", or a visit's
 * date of service (a 19:30 visit in New York is billed on its own day, not on tomorrow's UTC date).
 */
export function clinicDate(at: Date | number | string, tz: string): string {
  // From the parts (wallTime), not a locale's date format: en-CA's YYYY-MM-DD has changed between ICU versions.
  return wallTime(typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime(), tz).date;
}

/**
 * Reads stored values as the clinic's days, for loops over many rows: a date (YYYY-MM-DD) stays as
 * it is; a timestamp becomes its day in the zone. A UTC timestamp as stored (…THH:MM…Z) is looked
 * up by its UTC hour, computed once per hour (offsets change on the hour, and only at a DST
 * change); a zone a half hour off UTC, or a timestamp with its own offset, is read in full.
 */
export function clinicDayReader(tz: string): (stored: string) => string {
  const byHour = new Map<string, string | null>();
  const full = (stored: string): string => {
    const ms = Date.parse(stored);
    return Number.isNaN(ms) ? stored.slice(0, 10) : new Date(ms + offsetAt(ms, tz)).toISOString().slice(0, 10);
  };
  return (stored) => {
    if (stored.length <= 10) return stored;
    if (stored.charCodeAt(stored.length - 1) !== 90 /* Z */ || stored.charCodeAt(13) !== 58 /* : */) return full(stored);
    const hour = stored.slice(0, 13);
    let day = byHour.get(hour);
    if (day === undefined) {
      const ms = Date.parse(`${hour}:00:00Z`);
      const offset = Number.isNaN(ms) ? NaN : offsetAt(ms, tz);
      day = offset % HOUR_MS === 0 ? new Date(ms + offset).toISOString().slice(0, 10) : null;
      byHour.set(hour, day);
    }
    return day ?? full(stored);
  };
}

/** The zone's offset from UTC at an instant, in ms (New York in winter: −5 h). */
function offsetAt(ms: number, tz: string): number {
  const p = zoneParts(ms, tz);
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a clinic wall-clock time names. In the hour skipped at a spring DST change the
 * time is read with the offset before the change (02:30 → 03:30); in the repeated autumn hour,
 * the first of the two.
 */
export function zonedInstant(date: string, minutes: number, tz: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, mo - 1, d, 0, minutes);
  // The offsets a day either side bracket any change near this day (zones change at most once a day).
  const before = offsetAt(guess - DAY_MS, tz);
  const after = offsetAt(guess + DAY_MS, tz);
  const valid = [guess - before, guess - after].filter((t) => offsetAt(t, tz) === guess - t);
  return valid.length > 0 ? Math.min(...valid) : guess - before;
}

/** "HH:MM" of a count of minutes past midnight. */
export function minutesHhmm(m: number): string {
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

const dateAndTime = (w: WallTime): string => `${w.date} ${minutesHhmm(w.minutes)}`;

/** An instant as the clinic's wall clock reads it: "2026-03-09 09:00". */
export function wallDateTime(ms: number, tz: string): string {
  return dateAndTime(wallTime(ms, tz));
}

/** An instant as the clinic reads it, with its weekday: "Mon 2026-03-09 09:00". */
export function formatWall(ms: number, tz: string): string {
  const w = wallTime(ms, tz);
  return `${w.weekday[0]!.toUpperCase()}${w.weekday.slice(1)} ${dateAndTime(w)}`;
}

/** Minutes past midnight of "HH:MM". */
export function hhmmMinutes(t: string): number {
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}
