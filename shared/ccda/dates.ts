/**
 * HL7 v3 timestamps (TS: `YYYY[MM[DD[HH[MM[SS[.S]]]]]][±ZZZZ]`) → the precisions the model keeps:
 * `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with the offset when one was sent.
 * Anything that is not a real date gives null (never a made-up one).
 */
import { attr, child } from './tree';
import type { XmlElement } from './xml';

const TS = /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.\d+)?)?)?)?)?)?\s*(?:([+-])(\d{2})(\d{2})?)?$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A TS string in the model's form, or null. */
export function hl7Date(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = TS.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m;
  if (y === '0000') return null;
  if (!mo) return y!;
  const month = Number(mo);
  if (month < 1 || month > 12) return null;
  if (!d) return `${y}-${mo}`;
  const day = Number(d);
  const leap = (Number(y) % 4 === 0 && Number(y) % 100 !== 0) || Number(y) % 400 === 0;
  if (day < 1 || day > DAYS[month - 1]! || (month === 2 && day === 29 && !leap)) return null;
  const date = `${y}-${mo}-${d}`;
  if (!h) return date;
  if (Number(h) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 60) return date;
  const offset = sign ? (Number(oh) > 14 || Number(om ?? 0) > 59 ? '' : `${sign}${oh}:${om ?? '00'}`) : '';
  return `${date}T${h}:${mi ?? '00'}:${s ?? '00'}${offset}`;
}

/** A birth date is kept only to the day (YYYY-MM-DD); a year or month alone is null. */
export function dayOnly(value: string | null): string | null {
  return value && value.length >= 10 ? value.slice(0, 10) : null;
}

/** The start and end of an effectiveTime (IVL_TS low/high, or a single value as the start). */
export function interval(el: XmlElement | null | undefined): { start: string | null; end: string | null } {
  if (!el) return { start: null, end: null };
  const value = hl7Date(attr(el, 'value'));
  const low = hl7Date(attr(child(el, 'low'), 'value'));
  const high = hl7Date(attr(child(el, 'high'), 'value'));
  const center = hl7Date(attr(child(el, 'center'), 'value'));
  return { start: low ?? value ?? center, end: high };
}

/** One point in time from an effectiveTime: its value, else low, else center, else high. */
export function pointInTime(el: XmlElement | null | undefined): string | null {
  if (!el) return null;
  const { start, end } = interval(el);
  return start ?? end;
}
