import type { CodeableConcept, Coding, Reference } from '@medplum/fhirtypes';
import { isIsoDate } from '../../domain/dates';
import type { Cell, Issues, MapContext } from './context';

// Small readers shared by the resource mappers.

/** The coding of `system`, or the first coding. */
export function coding(cc: CodeableConcept | undefined, system?: string): Coding | undefined {
  const codings = cc?.coding ?? [];
  return system ? codings.find((c) => c.system === system) : codings[0];
}

/** What a concept reads as: its text, else a coding's display, else the first code. */
export function textOf(cc: CodeableConcept | undefined): string | null {
  return cc?.text ?? cc?.coding?.find((c) => c.display)?.display ?? cc?.coding?.[0]?.code ?? null;
}

/**
 * A FHIR date or dateTime as Cairn stores it: a date stays YYYY-MM-DD; a dateTime with a time
 * becomes UTC ISO-8601 with milliseconds. Null when absent; undefined when not a valid value.
 */
export function instant(v: string | undefined): string | null | undefined {
  if (v === undefined) return null;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) return v.length === 10 && !isIsoDate(v) ? undefined : v;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The date part of a stored instant. */
export function dateOnly(v: string | null): string | null {
  return v === null ? null : v.slice(0, 10);
}

/** Reads an optional date/dateTime field, reporting a malformed one. */
export function when(issues: Issues, path: string, v: string | undefined): string | null {
  const t = instant(v);
  if (t === undefined) {
    issues.add(path, `"${String(v)}" is not a FHIR date or dateTime`);
    return null;
  }
  return t;
}

/** A reference as a cell the importer resolves, or null when it points outside the bundle. */
export function ref(ctx: MapContext, r: Reference | undefined): Cell {
  const key = ctx.resolve(r?.reference);
  return key ? { ref: key } : null;
}

/** Notes' texts, one per line; null when there are none. */
export function annotationText(notes: { text?: string }[] | undefined): string | null {
  const t = (notes ?? []).map((n) => n.text?.trim()).filter((s): s is string => !!s);
  return t.length ? t.join('\n') : null;
}
