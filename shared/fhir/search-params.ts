/**
 * Parsing of FHIR search parameter values (pure): date prefixes, tokens, references. Invalid input
 * is an error value, never a throw, so the API answers 400 with the reason.
 */

export type DatePrefix = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'sa' | 'eb';

/**
 * A date search value as a half-open range of ISO text [lo, hi): the text bounds compare correctly
 * with stored ISO dates and UTC date-times of any precision (`2026-03` ≤ `2026-03-01T10:00Z` < `2026-04`).
 */
export interface DateSearch {
  prefix: DatePrefix;
  lo: string;
  hi: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Parses `[prefix]YYYY[-MM[-DD[Thh:mm[:ss[.fff]][Z|±hh:mm]]]]`. */
export function parseDateSearch(raw: string): Parsed<DateSearch> {
  const m = /^(eq|ne|lt|le|gt|ge|sa|eb)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(raw);
  if (!m) return { ok: false, error: `"${raw}" is not a FHIR date search value (e.g. ge2026-01-01 or lt2026-03-01T10:00:00Z)` };
  const prefix = (m[1] ?? 'eq') as DatePrefix;
  const [y, mo, d, h, mi, s, tz] = [m[2]!, m[3], m[4], m[5], m[6], m[7], m[8]];
  const year = Number(y);
  if (mo === undefined) return { ok: true, value: { prefix, lo: y, hi: pad(year + 1, 4) } };
  const month = Number(mo);
  if (month < 1 || month > 12) return { ok: false, error: `"${raw}": month ${mo} does not exist` };
  if (d === undefined) return { ok: true, value: { prefix, lo: `${y}-${mo}`, hi: month === 12 ? `${pad(year + 1, 4)}-01` : `${y}-${pad(month + 1)}` } };
  const day = Number(d);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || day < 1) return { ok: false, error: `"${raw}": ${y}-${mo}-${d} is not a date` };
  if (h === undefined) {
    const next = new Date(probe.getTime() + 86_400_000).toISOString().slice(0, 10);
    return { ok: true, value: { prefix, lo: `${y}-${mo}-${d}`, hi: next } };
  }
  if (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59)) return { ok: false, error: `"${raw}": the time is not valid` };
  // A time is compared in UTC (stored date-times are UTC); without a zone it is taken as UTC.
  let t = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s ?? 0));
  if (tz && tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const [oh, om] = tz.slice(1).split(':').map(Number) as [number, number];
    if (oh > 14 || om > 59) return { ok: false, error: `"${raw}": the zone offset is not valid` };
    t -= sign * (oh * 60 + om) * 60_000;
  }
  const step = s === undefined ? 60_000 : 1000;
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, s === undefined ? 16 : 19);
  return { ok: true, value: { prefix, lo: iso(t), hi: iso(t + step) } };
}

/** A token search value: `code`, `system|code`, `|code` (no system) or `system|` (any code). */
export interface TokenSearch {
  system: string | null;
  code: string | null;
}

export function parseToken(raw: string): Parsed<TokenSearch> {
  if (raw === '') return { ok: false, error: 'an empty token value' };
  const bar = raw.indexOf('|');
  if (bar < 0) return { ok: true, value: { system: null, code: raw } };
  const system = raw.slice(0, bar);
  const code = raw.slice(bar + 1);
  if (code.includes('|')) return { ok: false, error: `"${raw}" has more than one "|"` };
  if (!system && !code) return { ok: false, error: 'a token value of only "|"' };
  return { ok: true, value: { system, code: code || null } };
}

/** A reference search value: `id`, `Type/id` or an absolute URL ending in `Type/id`. */
export function parseReference(raw: string, type: string): Parsed<string> {
  const parts = raw.split('/');
  const id = parts[parts.length - 1] ?? '';
  const refType = parts.length > 1 ? parts[parts.length - 2] : undefined;
  if (!FHIR_ID.test(id) || (refType !== undefined && !/^[A-Z][A-Za-z]+$/.test(refType)))
    return { ok: false, error: `"${raw}" is not a reference (give an id or ${type}/id)` };
  if (refType !== undefined && refType !== type) return { ok: false, error: `"${raw}" refers to a ${refType}, not a ${type}` };
  return { ok: true, value: id };
}

/** Splits a search value on unescaped commas (FHIR's OR), unescaping `\,`. */
export function splitOr(raw: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\' && i + 1 < raw.length) {
      cur += raw[++i]!;
    } else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The FHIR `id` datatype. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
