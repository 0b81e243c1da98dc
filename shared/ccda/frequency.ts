/** A medication's timing (PIVL_TS period, EIVL_TS event) in words: "every 12 hours", "twice a day", "at bedtime". */
import { attr, child } from './tree';
import type { XmlElement } from './xml';

const UNIT_HOURS: Record<string, number> = { s: 1 / 3600, min: 1 / 60, h: 1, d: 24, wk: 168, mo: 730, a: 8766 };
const TIMES_A_DAY: Record<number, string> = { 24: 'once a day', 12: 'twice a day', 8: 'three times a day', 6: 'four times a day' };
/** HL7 TimingEvent codes (EIVL_TS event). */
const EVENTS: Record<string, string> = {
  AC: 'before meals',
  ACM: 'before breakfast',
  ACD: 'before lunch',
  ACV: 'before dinner',
  PC: 'after meals',
  PCM: 'after breakfast',
  PCD: 'after lunch',
  PCV: 'after dinner',
  HS: 'at bedtime',
  WAKE: 'on waking',
  C: 'with meals',
  CM: 'with breakfast',
  CD: 'with lunch',
  CV: 'with dinner',
  IC: 'between meals',
};

const plural = (n: number, unit: string): string => (n === 1 ? `every ${unit}` : `every ${trim(n)} ${unit}s`);
const trim = (n: number): string => String(Math.round(n * 100) / 100);

/** The frequency in words from a medication's effectiveTime elements, or null. */
export function frequencyWords(effectiveTimes: XmlElement[]): string | null {
  for (const et of effectiveTimes) {
    const type = attr(et, 'type') ?? '';
    const event = attr(child(et, 'event'), 'code');
    if (event || type.endsWith('EIVL_TS')) {
      const words = event ? EVENTS[event.toUpperCase()] : undefined;
      if (words) return words;
      continue;
    }
    const period = child(et, 'period');
    if (!period) continue;
    const value = Number(attr(period, 'value'));
    const unit = attr(period, 'unit') ?? 'h';
    const perHour = UNIT_HOURS[unit];
    if (!Number.isFinite(value) || value <= 0 || perHour === undefined) continue;
    const hours = value * perHour;
    // institutionSpecified: "twice a day" at the times the institution uses, not strictly every 12 hours.
    if (attr(et, 'institutionSpecified') === 'true' && TIMES_A_DAY[hours]) return TIMES_A_DAY[hours];
    if (hours === 24) return 'once a day';
    if (hours < 1) return plural(hours * 60, 'minute');
    if (hours < 24) return plural(hours, 'hour');
    if (hours % 168 === 0) return plural(hours / 168, 'week');
    if (unit === 'mo') return plural(value, 'month');
    return plural(hours / 24, 'day');
  }
  return null;
}
