import type { CodeableConcept, Coding, Meta, Reference } from '@medplum/fhirtypes';
import type { Row } from './systems';

// Small value helpers: stored column values to FHIR dates, references, codings and notes.

/** A column value as trimmed text; undefined when absent or blank. */
export const str = (v: string | number | null | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v).trim() || undefined);
/** A column value as a finite number; undefined when absent or not a number. */
export const num = (v: string | number | null | undefined): number | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
};

const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

/** A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD), or undefined when the value is not one. */
export function fhirDate(v: string | number | null | undefined): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (DATE.test(s)) return s;
  return DATE_TIME.test(s) ? s.slice(0, 10) : undefined;
}

/** A FHIR dateTime: a date, or a full instant; a time without seconds or zone is completed as UTC. */
export function fhirDateTime(v: string | number | null | undefined): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (DATE.test(s) || DATE_TIME.test(s)) return s;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(s);
  if (m) {
    const out = `${m[1]}T${m[2]}${m[3] ?? ':00'}Z`;
    return DATE_TIME.test(out) ? out : undefined;
  }
  return undefined;
}

/** A FHIR instant (time and zone required). */
export function fhirInstant(v: string | number | null | undefined): string | undefined {
  const s = fhirDateTime(v);
  return s && s.includes('T') ? s : undefined;
}

/** `meta.lastUpdated` from the row's `updated_at`, when it has one. */
export const meta = (row: Row): { meta?: Meta } => {
  const at = fhirInstant(row['updated_at']);
  return at ? { meta: { lastUpdated: at } } : {};
};
/** A reference to `type/id`; undefined when there is no id. */
export const ref = (type: string, id: string | number | null | undefined): Reference<never> | undefined =>
  str(id) ? { reference: `${type}/${str(id)}` } : undefined;
/** The resource's patient, as `subject`. */
export const subject = (row: Row): { subject: Reference<never> } => ({ subject: { reference: `Patient/${String(row['patient_id'])}` } });
/** The row's encounter, as `encounter`, when it has one. */
export const encounterRef = (row: Row): { encounter?: Reference<never> } => {
  const e = ref('Encounter', row['encounter_id']);
  return e ? { encounter: e } : {};
};
/** A text-only concept; undefined when there is no text. */
export const text = (t: string | undefined): CodeableConcept | undefined => (t ? { text: t } : undefined);
/** A concept from the codings present and a display text. */
export const concept = (codings: (Coding | null)[], display?: string): CodeableConcept => {
  const coding = codings.filter((c): c is Coding => c !== null);
  return { ...(coding.length > 0 && { coding }), ...(display && { text: display }) };
};
/** A coding; null when there is no code. */
export const coding = (system: string, code: string | undefined, display?: string): Coding | null =>
  code ? { system, code, ...(display && { display }) } : null;
/** The row's note column as FHIR `note`, when it has one. */
export const note = (row: Row, col = 'note'): { note?: { text: string }[] } => {
  const t = str(row[col]);
  return t ? { note: [{ text: t }] } : {};
};
/** A JSON column parsed; undefined when absent or not JSON. */
export const parseJson = (v: string | number | null | undefined): unknown => {
  if (typeof v !== 'string' || v === '') return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
};
/** A map's own value (a stored code like `constructor` must not reach an inherited property). */
export const own = <T>(map: Record<string, T>, key: string): T | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);
/** `v` when it is one of the allowed codes, else the fallback. */
export const pick = <T extends string>(v: string | undefined, allowed: readonly T[], fallback: T): T =>
  v && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
/** Drops keys whose value is undefined so resources stay minimal (and JSON-equal after a round trip). */
export const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
