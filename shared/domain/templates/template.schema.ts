import { z } from 'zod';
import { instrumentId } from '../instruments';
import { DEFAULT_BODY_SITES, DEFAULT_EXAM_SYSTEMS, ROS_SYSTEM_IDS, rosSystemId } from './vocabulary';

// The template schema: what a template file (resources/templates/, or a clinic's own) may say.

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Kebab-case names that are also Object.prototype members: refused so `content[id]` never finds one. */
const RESERVED_IDS = new Set(['constructor', 'prototype']);

const kebabId = (what: string): z.ZodString =>
  z
    .string()
    .max(64, `${what} must be at most 64 characters`)
    .superRefine((v, ctx) => {
      if (!KEBAB.test(v)) {
        ctx.addIssue({
          code: 'custom',
          message: `${what} "${v}" must be kebab-case: lowercase letters and digits in dash-separated words, starting with a letter (e.g. "chief-complaint")`,
        });
      } else if (RESERVED_IDS.has(v)) {
        ctx.addIssue({ code: 'custom', message: `${what} "${v}" is reserved: choose another name` });
      }
    });

const text = (what: string, max: number): z.ZodString => z.string().trim().min(1, `${what} is required`).max(max, `${what} must be at most ${max} characters`);

const label = text('label', 200);
const required = z.boolean().optional();

/** UCUM codes are printable ASCII without spaces ("mm[Hg]", "kg", "/min", "Cel", "%"). */
const ucumUnit = z
  .string()
  .min(1)
  .max(30)
  .regex(/^[!-~]+$/, 'unit must be a UCUM code: printable ASCII without spaces, e.g. "mm[Hg]", "kg", "/min"');

const selectOption = z.strictObject({ value: text('option value', 100), label: text('option label', 200) });

/** Adds an issue for each item whose key repeats an earlier one (shared with content.schema.ts; not re-exported from index.ts). */
export function uniqueBy<T>(items: readonly T[], key: (t: T) => string, what: string, path: (i: number) => PropertyKey[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate ${what} "${k}"` });
    seen.add(k);
  });
}

const optionList = z
  .array(selectOption)
  .min(1, 'a select field needs at least one option')
  .max(500)
  .superRefine((opts, ctx) =>
    uniqueBy(
      opts,
      (o) => o.value,
      'option value',
      (i) => [i, 'value'],
      ctx,
    ),
  );

const common = { id: kebabId('field id'), label };
const textProps = {
  ...common,
  required,
  placeholder: z.string().max(200).optional(),
  maxLength: z.number().int().min(1).max(100_000).optional(),
};

const textField = z.strictObject({ kind: z.literal('text'), ...textProps });
const textareaField = z.strictObject({ kind: z.literal('textarea'), ...textProps });

const numberField = z
  .strictObject({
    kind: z.literal('number'),
    ...common,
    unit: ucumUnit.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    step: z.number().positive('step must be greater than 0').optional(),
    required,
  })
  .superRefine((f, ctx) => {
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `field "${f.id}": min (${f.min}) is greater than max (${f.max})` });
    }
  });

const selectField = z.strictObject({ kind: z.literal('select'), ...common, options: optionList, required });
const multiselectField = z.strictObject({ kind: z.literal('multiselect'), ...common, options: optionList, required });
const checkboxField = z.strictObject({ kind: z.literal('checkbox'), ...common });
const dateField = z.strictObject({ kind: z.literal('date'), ...common, required });

const rosField = z.strictObject({
  kind: z.literal('ros'),
  ...common,
  /** Which of the 14 systems to ask, in display order; all 14 when absent. */
  systems: z
    .array(rosSystemId)
    .min(1)
    .superRefine((s, ctx) =>
      uniqueBy(
        s,
        (x) => x,
        'ROS system',
        (i) => [i],
        ctx,
      ),
    )
    .default(() => [...ROS_SYSTEM_IDS]),
  required,
});

const examField = z.strictObject({
  kind: z.literal('exam'),
  ...common,
  /** Systems to examine, in display order; DEFAULT_EXAM_SYSTEMS when absent. */
  systems: z
    .array(z.strictObject({ id: kebabId('exam system id'), label }))
    .min(1)
    .max(60)
    .superRefine((s, ctx) =>
      uniqueBy(
        s,
        (x) => x.id,
        'exam system id',
        (i) => [i, 'id'],
        ctx,
      ),
    )
    .default(() => DEFAULT_EXAM_SYSTEMS.map((s) => ({ ...s }))),
  required,
});

const instrumentField = z.strictObject({ kind: z.literal('instrument'), ...common, instrument: instrumentId, required });

const lesionField = z.strictObject({
  kind: z.literal('lesion'),
  ...common,
  /** Body-site choices; DEFAULT_BODY_SITES when absent. */
  bodySites: optionList.default(() => DEFAULT_BODY_SITES.map((s) => ({ ...s }))),
  /** On signing, at least one lesion. */
  required,
});

export const FIELD_KINDS = ['text', 'textarea', 'number', 'select', 'multiselect', 'checkbox', 'date', 'ros', 'exam', 'instrument', 'lesion'] as const;

export const field = z.discriminatedUnion(
  'kind',
  [textField, textareaField, numberField, selectField, multiselectField, checkboxField, dateField, rosField, examField, instrumentField, lesionField],
  {
    error: (iss) => (iss.code === 'invalid_union' ? `unknown field kind: use one of ${FIELD_KINDS.join(', ')}` : undefined),
  },
);
/** A validated field (defaults applied: ros/exam `systems` and lesion `bodySites` are always present). */
export type Field = z.infer<typeof field>;
export type FieldKind = Field['kind'];
export type FieldOfKind<K extends FieldKind> = Extract<Field, { kind: K }>;

export const section = z.strictObject({
  id: kebabId('section id'),
  title: text('section title', 200),
  fields: z.array(field).min(1, 'a section needs at least one field').max(200),
});
export type Section = z.infer<typeof section>;

export const noteTemplate = z
  .strictObject({
    id: kebabId('template id'),
    version: z.number().int('version must be a whole number').positive('version must be 1 or more'),
    title: text('title', 200),
    specialty: text('specialty', 100),
    description: z.string().trim().max(2000),
    sections: z.array(section).min(1, 'a template needs at least one section').max(50),
  })
  .superRefine((t, ctx) => {
    const sectionAt = new Map<string, number>();
    const fieldIn = new Map<string, string>();
    t.sections.forEach((s, si) => {
      if (sectionAt.has(s.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', si, 'id'],
          message: `duplicate section id "${s.id}": each section id must be unique within the template`,
        });
      } else sectionAt.set(s.id, si);
      s.fields.forEach((f, fi) => {
        const first = fieldIn.get(f.id);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'fields', fi, 'id'],
            message: `duplicate field id "${f.id}" (in section "${first}" and again in section "${s.id}"): each field id must be unique within the template`,
          });
        } else fieldIn.set(f.id, s.id);
      });
    });
  });
/** A validated template (what the form and the renderer receive). */
export type NoteTemplate = z.infer<typeof noteTemplate>;
/** A template as written in a JSON file (before defaults). */
export type NoteTemplateInput = z.input<typeof noteTemplate>;

/**
 * Validates a template a caller has loaded (e.g. from resources/templates/*.json); throws one
 * readable Error naming every problem and where it is.
 */
export function parseNoteTemplate(data: unknown, source = 'template'): NoteTemplate {
  const r = noteTemplate.safeParse(data);
  if (!r.success) throw new Error(`${source} is not a valid note template:\n${z.prettifyError(r.error)}`);
  return r.data;
}

/** Every field of a template in display order. */
export function templateFields(template: NoteTemplate): Field[] {
  return template.sections.flatMap((s) => s.fields);
}
