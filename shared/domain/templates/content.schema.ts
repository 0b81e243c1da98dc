import { z } from 'zod';
import { isIsoDate } from '../dates';
import { INSTRUMENTS, answeredCount, instrumentAnswer } from '../instruments';
import { uniqueBy, type Field, type FieldKind, type FieldOfKind, type NoteTemplate, templateFields } from './template.schema';
import { fmt, withUnit } from './units';
import {
  DEFAULT_TEXT_MAX,
  DEFAULT_TEXTAREA_MAX,
  FINDING_TEXT_MAX,
  LESION_SIZE_MM,
  MAX_LESIONS,
  ROS_SYSTEM_LABELS,
  examStatus,
  lesionBorder,
  lesionColor,
  lesionMorphology,
  rosStatus,
  rosSystemId,
  type RosSystemId,
} from './vocabulary';

// Note content: the value shape per field kind, and a note's content checked against its template.

const findingText = z.string().max(FINDING_TEXT_MAX, `finding text must be at most ${FINDING_TEXT_MAX} characters`);

export const rosEntry = z.strictObject({ status: rosStatus, text: findingText.optional() });
export type RosEntry = z.infer<typeof rosEntry>;
export const rosValue = z.strictObject({
  /** When true, every system left not_reviewed is read (and rendered) as negative. */
  allOthersNegative: z.boolean(),
  systems: z.partialRecord(rosSystemId, rosEntry),
});
export type RosValue = z.infer<typeof rosValue>;

export const examEntry = z.strictObject({ status: examStatus, text: findingText.optional() });
export type ExamEntry = z.infer<typeof examEntry>;
export const examValue = z.strictObject({
  /** Keyed by the field's exam system ids. */
  systems: z.record(z.string(), examEntry),
});
export type ExamValue = z.infer<typeof examValue>;

export const instrumentValue = z.strictObject({
  /** One entry per item, in order; null = not answered. */
  answers: z.array(instrumentAnswer.nullable()),
  /** The unscored functional-difficulty question, 0 "Not difficult at all" … 3 "Extremely difficult". */
  difficulty: instrumentAnswer.optional(),
});
export type InstrumentValue = z.infer<typeof instrumentValue>;

const lesionSize = z
  .number()
  .min(LESION_SIZE_MM.min, `size must be at least ${LESION_SIZE_MM.min} mm`)
  .max(LESION_SIZE_MM.max, `size must be at most ${LESION_SIZE_MM.max} mm`);
export const lesionValue = z.strictObject({
  /** A value from the field's bodySites. */
  bodySite: z.string().optional(),
  lengthMm: lesionSize.optional(),
  widthMm: lesionSize.optional(),
  morphology: lesionMorphology.optional(),
  color: lesionColor.optional(),
  border: lesionBorder.optional(),
  description: findingText.optional(),
});
export type LesionValue = z.infer<typeof lesionValue>;

/** The stored value for each field kind (a note's content maps field id → one of these). */
export interface FieldValueByKind {
  text: string;
  textarea: string;
  number: number;
  /** The chosen option's value. */
  select: string;
  /** Chosen option values, no repeats. */
  multiselect: string[];
  checkbox: boolean;
  /** ISO calendar date YYYY-MM-DD. */
  date: string;
  ros: RosValue;
  exam: ExamValue;
  instrument: InstrumentValue;
  lesion: LesionValue[];
}
export type FieldValue = FieldValueByKind[FieldKind];
export type ValueOfField<F extends Field> = FieldValueByKind[F['kind']];

/** A note's content: field id → value. An absent key is an empty (unanswered) field. */
export type NoteContent = Partial<Record<string, FieldValue>>;

/** Static shape of each kind's value, without a template's limits: used to read validated content. */
export const valueShape: { [K in FieldKind]: z.ZodType<FieldValueByKind[K]> } = {
  text: z.string(),
  textarea: z.string(),
  number: z.number(),
  select: z.string(),
  multiselect: z.array(z.string()),
  checkbox: z.boolean(),
  date: z.string(),
  ros: rosValue,
  exam: examValue,
  instrument: instrumentValue,
  lesion: z.array(lesionValue),
};

export interface ContentOptions {
  /** true when the note is being signed: required fields must then be filled. Drafts may be partial. */
  forSigning: boolean;
}

/** True for an absent or whitespace-only string (shared with render.ts; not re-exported from index.ts). */
export const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

/** True when a field holds nothing worth recording (absent, blank text, nothing chosen, nothing reviewed). */
export function isEmptyValue(f: Field, value: FieldValue | undefined): boolean {
  if (value === undefined) return true;
  switch (f.kind) {
    case 'text':
    case 'textarea':
    case 'select':
    case 'date':
      return typeof value !== 'string' || blank(value);
    case 'number':
      return typeof value !== 'number';
    case 'checkbox':
      return value !== true;
    case 'multiselect':
    case 'lesion':
      return !Array.isArray(value) || value.length === 0;
    case 'ros': {
      const v = valueShape.ros.safeParse(value);
      return !v.success || (!v.data.allOthersNegative && Object.values(v.data.systems).every((e) => e.status === 'not_reviewed'));
    }
    case 'exam': {
      const v = valueShape.exam.safeParse(value);
      return !v.success || Object.values(v.data.systems).every((e) => e.status === 'not_examined');
    }
    case 'instrument': {
      const v = valueShape.instrument.safeParse(value);
      return !v.success || (answeredCount(v.data.answers) === 0 && v.data.difficulty === undefined);
    }
  }
}

function numberValueSchema(f: FieldOfKind<'number'>): z.ZodType<number> {
  const u = (n: number): string => withUnit(n, f.unit);
  return z.number({ error: `${f.label} must be a number` }).superRefine((v, ctx) => {
    const { min, max, step } = f;
    const tooLow = min !== undefined && v < min;
    const tooHigh = max !== undefined && v > max;
    if (tooLow || tooHigh) {
      const range =
        min !== undefined && max !== undefined ? `between ${fmt(min)} and ${u(max)}` : min !== undefined ? `at least ${u(min)}` : `at most ${u(max ?? v)}`;
      ctx.addIssue({ code: 'custom', message: `${f.label} must be ${range} (got ${fmt(v)})` });
      return;
    }
    if (step !== undefined) {
      const k = (v - (min ?? 0)) / step;
      if (Math.abs(k - Math.round(k)) > 1e-6) {
        ctx.addIssue({ code: 'custom', message: `${f.label} must be in steps of ${u(step)} (got ${fmt(v)})` });
      }
    }
  });
}

function optionCheck(f: FieldOfKind<'select' | 'multiselect'>): (v: string, ctx: z.RefinementCtx, path: PropertyKey[]) => void {
  const values = new Set(f.options.map((o) => o.value));
  return (v, ctx, path) => {
    if (!values.has(v)) ctx.addIssue({ code: 'custom', path, message: `${f.label}: "${v}" is not one of the options` });
  };
}

/** The schema for one field's value, with the template's limits (and, when signing, completeness). */
export function fieldValueSchema(f: Field, options: ContentOptions): z.ZodType<FieldValue> {
  const { forSigning } = options;
  switch (f.kind) {
    case 'text':
    case 'textarea': {
      const max = f.maxLength ?? (f.kind === 'text' ? DEFAULT_TEXT_MAX : DEFAULT_TEXTAREA_MAX);
      return z.string({ error: `${f.label} must be text` }).max(max, `${f.label} must be at most ${max} characters`);
    }
    case 'number':
      return numberValueSchema(f);
    case 'select': {
      const check = optionCheck(f);
      return z.string({ error: `${f.label}: choose one of the options` }).superRefine((v, ctx) => check(v, ctx, []));
    }
    case 'multiselect': {
      const check = optionCheck(f);
      return z.array(z.string(), { error: `${f.label}: expected a list of options` }).superRefine((vs, ctx) => {
        vs.forEach((v, i) => check(v, ctx, [i]));
        uniqueBy(
          vs,
          (v) => v,
          `${f.label} choice`,
          (i) => [i],
          ctx,
        );
      });
    }
    case 'checkbox':
      return z.boolean({ error: `${f.label} must be true or false` });
    case 'date':
      return z.string({ error: `${f.label} must be a date` }).refine(isIsoDate, `${f.label} must be a real calendar date written YYYY-MM-DD`);
    case 'ros':
      return rosValue.superRefine((v, ctx) => {
        const asked = new Set<string>(f.systems);
        for (const [id, e] of Object.entries(v.systems)) {
          const name = ROS_SYSTEM_LABELS[id as RosSystemId];
          if (!asked.has(id)) ctx.addIssue({ code: 'custom', path: ['systems', id], message: `${f.label}: ${name} is not asked in this template` });
          else if (forSigning && e.status === 'positive' && blank(e.text)) {
            ctx.addIssue({ code: 'custom', path: ['systems', id, 'text'], message: `${f.label}: ${name} is positive: describe the finding to sign` });
          }
        }
      });
    case 'exam':
      return examValue.superRefine((v, ctx) => {
        const labels = new Map(f.systems.map((s) => [s.id, s.label]));
        for (const [id, e] of Object.entries(v.systems)) {
          const name = labels.get(id);
          if (name === undefined)
            ctx.addIssue({ code: 'custom', path: ['systems', id], message: `${f.label}: "${id}" is not an exam system of this template` });
          else if (forSigning && e.status === 'abnormal' && blank(e.text)) {
            ctx.addIssue({ code: 'custom', path: ['systems', id, 'text'], message: `${f.label}: ${name} is abnormal: describe the finding to sign` });
          }
        }
      });
    case 'instrument': {
      const def = INSTRUMENTS[f.instrument];
      return instrumentValue.superRefine((v, ctx) => {
        if (v.answers.length !== def.items.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['answers'],
            message: `${f.label}: ${def.shortName} has ${def.items.length} items, so ${def.items.length} answers (null when unanswered); got ${v.answers.length}`,
          });
        }
      });
    }
    case 'lesion': {
      const sites = new Set(f.bodySites.map((s) => s.value));
      return z
        .array(lesionValue, { error: `${f.label}: expected a list of lesions` })
        .max(MAX_LESIONS, `${f.label}: at most ${MAX_LESIONS} lesions`)
        .superRefine((lesions, ctx) => {
          lesions.forEach((l, i) => {
            if (l.bodySite !== undefined && !sites.has(l.bodySite)) {
              ctx.addIssue({ code: 'custom', path: [i, 'bodySite'], message: `${f.label}: lesion ${i + 1} body site "${l.bodySite}" is not one of the sites` });
            } else if (forSigning && l.bodySite === undefined) {
              ctx.addIssue({ code: 'custom', path: [i, 'bodySite'], message: `${f.label}: lesion ${i + 1} needs a body site to sign` });
            }
          });
        });
    }
  }
}

/** On signing, a required field's emptiness check (after its value validated). */
function requiredMessage(f: Field, value: FieldValue): string | null {
  if (f.kind === 'instrument') {
    const v = valueShape.instrument.safeParse(value);
    if (!v.success) return null;
    const def = INSTRUMENTS[f.instrument];
    const n = answeredCount(v.data.answers);
    if (n === 0) return `${f.label} is required to sign the note`;
    if (n < def.items.length) return `${f.label}: answer all ${def.items.length} ${def.shortName} items to sign (${n} answered)`;
    return null;
  }
  return isEmptyValue(f, value) ? `${f.label} is required to sign the note` : null;
}

/**
 * The schema for a note's content under `template`. Unknown field ids are refused; values are checked
 * against their field (numbers range-checked, options, dates, text lengths) for drafts and signing alike;
 * required fields (and a description for each positive ROS / abnormal exam finding, a site for each lesion)
 * only when `forSigning`. Every problem is reported at once, at the field's id.
 */
export function noteContentSchema(template: NoteTemplate, options: ContentOptions): z.ZodType<NoteContent> {
  const shape: Record<string, z.ZodType<FieldValue | undefined>> = {};
  for (const f of templateFields(template)) {
    const value = fieldValueSchema(f, options);
    if (options.forSigning && 'required' in f && f.required === true) {
      shape[f.id] = z
        .unknown()
        .superRefine((v, ctx) => {
          if (v === undefined) ctx.addIssue({ code: 'custom', message: `${f.label} is required to sign the note` });
        })
        .pipe(
          value.superRefine((v, ctx) => {
            const message = requiredMessage(f, v);
            if (message !== null) ctx.addIssue({ code: 'custom', message });
          }),
        );
    } else {
      shape[f.id] = value.optional();
    }
  }
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown field id${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}: not in template "${template.id}" version ${template.version}`
        : undefined,
  });
}
