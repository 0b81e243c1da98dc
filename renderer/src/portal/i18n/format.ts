import type { PortalLanguage } from '../../../../shared/domain/portal';
import { LOCALES, type Translate } from './i18n';

/** Dates, times and sizes as the patient reads them: their language, the clinic's time zone. */
export interface Formatter {
  /** An instant: "Tue, Dec 8, 2026, 9:30 AM" in the clinic's zone. */
  dateTime(iso: string): string;
  /** An instant's day: "Dec 8, 2026" in the clinic's zone. */
  date(iso: string): string;
  /** An instant's time of day: "9:30 AM". */
  time(iso: string): string;
  /** A calendar day (YYYY-MM-DD, no zone: a birth date, a vaccine's date): "Dec 8, 2026". */
  day(day: string): string;
  /** A calendar day with its weekday, for slot lists: "Tuesday, December 8". */
  weekday(day: string): string;
  number(n: number): string;
  bytes(n: number): string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A formatter for a language and an IANA zone (an unknown zone falls back to the browser's). */
export function makeFormatter(language: PortalLanguage, timeZone: string, t: Translate): Formatter {
  const locale = LOCALES[language];
  let zone: string | undefined = timeZone;
  try {
    new Intl.DateTimeFormat(locale, { timeZone: zone });
  } catch {
    zone = undefined;
  }
  const dt = new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
  const d = new Intl.DateTimeFormat(locale, { timeZone: zone, year: 'numeric', month: 'short', day: 'numeric' });
  const tm = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: 'numeric', minute: '2-digit' });
  // Calendar days are read as UTC midnight and shown in UTC, so no zone moves them a day.
  const cal = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
  const wk = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' });
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const instant = (f: Intl.DateTimeFormat, iso: string): string => {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? iso : f.format(ms);
  };
  const calendar = (f: Intl.DateTimeFormat, day: string): string => {
    const m = DAY.exec(day.slice(0, 10));
    return m ? f.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : day;
  };
  return {
    dateTime: (iso) => instant(dt, iso),
    date: (iso) => instant(d, iso),
    time: (iso) => instant(tm, iso),
    day: (day) => calendar(cal, day),
    weekday: (day) => calendar(wk, day),
    number: (n) => num.format(n),
    bytes: (n) =>
      n < 1024
        ? t('common.bytes', { n: num.format(n) })
        : n < 1024 * 1024
          ? t('common.kb', { n: num.format(n / 1024) })
          : t('common.mb', { n: num.format(n / 1024 / 1024) }),
  };
}
