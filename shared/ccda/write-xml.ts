/**
 * The writer's XML primitives: escaping, elements, HL7 timestamps and coded values. Strings are
 * built directly (no DOM): a 10-year chart is a few thousand entries and must write in milliseconds.
 *
 * Important: every text node goes through `text()` and every attribute through `el()`, which
 * escape; a child passed to `el()` is already XML. Never pass raw user text as a child.
 */
import type { Code, Coded, Quantity } from './model';

/** Characters XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/F): dropped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_SPECIAL = /[&<>]/g;
const ATTR_SPECIAL = /[&<>"\t\n\r]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const entity = (c: string): string => ENTITY[c] ?? c;

/** Anything that needs work: most values (codes, dates, numbers) have none, and skip both replaces. */
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[&<>"\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Text content, escaped (`&`, `<`, `>`), with characters XML cannot carry removed. */
export function text(s: string): string {
  return NEEDS_WORK.test(s) ? s.replace(INVALID_XML, '').replace(TEXT_SPECIAL, entity) : s;
}

/** An attribute value, escaped; tabs and newlines kept as character references (a parser would fold them). */
export function attr(s: string): string {
  return NEEDS_WORK.test(s) ? s.replace(INVALID_XML, '').replace(ATTR_SPECIAL, entity) : s;
}

export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Readonly<Record<string, AttrValue>>;
/** A child: XML already built (null, undefined, false and '' are skipped). */
export type Child = string | null | undefined | false;

/**
 * `<name a="…">children</name>`, or `<name a="…"/>` when it has no children. Attributes that are
 * null/undefined are left out; string attributes are escaped, numbers and booleans need not be.
 */
export function el(name: string, attrs: Attrs | null, ...children: Child[]): string {
  // Important: one array joined once, not `+=`: a 10-year chart is ~100k elements, and nested
  // concatenation made the writer several times slower (rope flattening and garbage).
  const parts: string[] = ['<', name];
  if (attrs !== null) {
    for (const key in attrs) {
      const v = attrs[key];
      if (v === null || v === undefined) continue;
      parts.push(' ', key, '="', typeof v === 'string' ? attr(v) : String(v), '"');
    }
  }
  const close = parts.length;
  parts.push('>');
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c) parts.push(c);
  }
  if (parts.length === close + 1) parts[close] = '/>';
  else parts.push('</', name, '>');
  return parts.join('');
}

/** Joins built children (e.g. a list mapped to elements). */
export function all(children: readonly Child[]): string {
  const parts: string[] = [];
  for (const c of children) if (c) parts.push(c);
  return parts.join('');
}

const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
const HL7_TS_RE = /^\d{4}(?:\d{2}(?:\d{2}(?:\d{2}(?:\d{2}(?:\d{2}(?:\.\d+)?)?)?)?)?)?(?:[+-]\d{4})?$/;

/**
 * A model date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or an ISO instant) as an HL7 TS at the precision
 * it was given: `2012`, `201209`, `20120912`, `20120912093000-0500`. An instant in UTC (`Z`) is
 * written `+0000`; one without any offset is written without one rather than guessed. A value
 * already in TS form passes through. Anything else is null (the caller writes a nullFlavor).
 */
export function hl7Ts(date: string | null | undefined): string | null {
  if (!date) return null;
  const s = date.trim();
  const m = DATE_RE.exec(s);
  if (!m) return HL7_TS_RE.test(s) ? s : null;
  const [, y, mo, d, hh, mi, ss, zone] = m;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return null;
  if (d !== undefined && (Number(d) < 1 || Number(d) > 31)) return null;
  if (hh !== undefined && (Number(hh) > 23 || Number(mi) > 59 || Number(ss ?? 0) > 60)) return null;
  let out = y + (mo ?? '') + (d ?? '') + (hh ?? '') + (mi ?? '') + (ss ?? '');
  if (zone !== undefined) out += zone === 'Z' ? '+0000' : zone.replace(':', '');
  return out;
}

/** `<tag value="TS"/>`, or `<tag nullFlavor="UNK"/>` when the date is unknown or unreadable. */
export function ts(tag: string, date: string | null | undefined): string {
  const v = hl7Ts(date);
  return v ? el(tag, { value: v }) : el(tag, { nullFlavor: 'UNK' });
}

/** An interval `<effectiveTime><low/><high/></effectiveTime>`; high is left out when not known (still going). */
export function ivl(tag: string, low: string | null | undefined, high: string | null | undefined, xsiType = false): string {
  const hv = hl7Ts(high);
  return el(tag, xsiType ? { 'xsi:type': 'IVL_TS' } : null, ts('low', low), hv ? el('high', { value: hv }) : null);
}

const CS_RE = /^[^\s]+$/;
const UID_RE = /^(?:[0-2](?:\.(?:0|[1-9][0-9]*))*|[0-9a-zA-Z]{8}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{12}|[A-Za-z][A-Za-z0-9-]*)$/;

/**
 * The code when the schema can carry it: a code without whitespace (`cs`) in a system named by an
 * OID or UUID (`uid`). A code that breaks either (a URL for a system, "mm Hg" for a code) is
 * treated as absent: the document stays valid and the narrative still names the thing.
 */
export function usableCode(c: Code | null | undefined): Code | null {
  if (!c) return null;
  return CS_RE.test(c.code) && UID_RE.test(c.system) ? c : null;
}

/** Attributes of a code (code, codeSystem, codeSystemName, displayName), or a nullFlavor when it is not usable. */
export function codeAttrs(c: Code | null): Record<string, string | null> {
  const u = usableCode(c);
  return u ? { code: u.code, codeSystem: u.system, codeSystemName: u.systemName, displayName: u.display } : { nullFlavor: 'UNK' };
}

/** A reference into the narrative: `<originalText><reference value="#id"/></originalText>`. */
export function originalText(refId: string | null): string | null {
  return refId ? el('originalText', null, el('reference', { value: '#' + refId })) : null;
}

/**
 * A coded element (CD/CE) from a model `Coded`: its code, the reference to where the narrative
 * names it, and its translations. A thing with no code is sent with a nullFlavor (OTH when it
 * still has translations: "not in the expected system, see translations"), never an invented code.
 */
export function coded(tag: string, c: Pick<Coded, 'code' | 'translations'>, refId: string | null, extra: Attrs | null = null): string {
  const usable = c.translations.filter((t) => usableCode(t) !== null);
  const translations = all(usable.map((t) => el('translation', codeAttrs(t))));
  const base = usableCode(c.code) ? codeAttrs(c.code) : { nullFlavor: usable.length > 0 ? 'OTH' : 'UNK' };
  return el(tag, { ...extra, ...base }, originalText(refId), translations);
}

/** A fixed code (template vocabulary such as LOINC section codes). */
export function fixedCode(tag: string, code: string, system: string, systemName: string | null, display: string | null, extra: Attrs | null = null): string {
  return el(tag, { ...extra, code, codeSystem: system, codeSystemName: systemName, displayName: display });
}

/** A physical quantity, or null when its value is not a finite number (XSD would refuse NaN). */
export function pq(tag: string, q: Quantity | null, xsiType = false): string | null {
  if (!q || !Number.isFinite(q.value)) return null;
  return el(tag, { 'xsi:type': xsiType ? 'PQ' : null, value: numberText(q.value), unit: ucumUnit(q.unit) });
}

/** A unit as the schema's `cs` allows (no whitespace; UCUM has none); "1" when there is none. */
export function ucumUnit(unit: string): string {
  return unit.replace(/\s+/g, '') || '1';
}

/** A number as XSD's decimal/double accepts it (no exponent for ordinary clinical values). */
export function numberText(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(20).replace(/\.?0+$/, '') : s;
}

/** `<templateId root="…" extension="…"/>`, twice when the R1.1 root (without extension) is asked for too. */
const templateCache = new Map<string, string>();
export function templateIds(root: string, extension: string | null, withR11 = false): string {
  const key = `${root}|${extension ?? ''}|${withR11}`;
  let out = templateCache.get(key);
  if (out === undefined) {
    out = buildTemplateIds(root, extension, withR11);
    templateCache.set(key, out);
  }
  return out;
}

function buildTemplateIds(root: string, extension: string | null, withR11: boolean): string {
  const versioned = el('templateId', { root, extension });
  return withR11 && extension ? el('templateId', { root }) + versioned : versioned;
}
