import { z } from 'zod';
import { isIsoDate } from './dates';
import { INSTRUMENTS, answeredCount, instrumentAnswer, instrumentId, scoreInstrument } from './instruments';

/**
 * Clinical note templates as data. A template (JSON in resources/templates/, or a clinic's own
 * file) is validated by `noteTemplate`; the form is built from its sections and fields; a note's
 * content is a record of field id → value checked by `noteContentSchema(template, …)`; the signed
 * view and the printable PDF use `renderNoteText`; signing hashes `canonicalContent(content)`.
 *
 * Pure: no file reading here. Callers load the JSON and pass it in.
 */

// ---------------------------------------------------------------------------------------------
// Catalogues: ROS systems, default exam systems, dermatology lesion vocabularies
// ---------------------------------------------------------------------------------------------

/** The 14 review-of-systems systems (CMS 1995/1997 evaluation and management documentation guidelines). */
export const ROS_SYSTEM_IDS = [
  'constitutional',
  'eyes',
  'ent',
  'cardiovascular',
  'respiratory',
  'gastrointestinal',
  'genitourinary',
  'musculoskeletal',
  'skin',
  'neurological',
  'psychiatric',
  'endocrine',
  'hematologic',
  'allergic',
] as const;
export const rosSystemId = z.enum(ROS_SYSTEM_IDS);
export type RosSystemId = z.infer<typeof rosSystemId>;

export const ROS_SYSTEM_LABELS: Readonly<Record<RosSystemId, string>> = {
  constitutional: 'Constitutional',
  eyes: 'Eyes',
  ent: 'Ears, nose, mouth and throat',
  cardiovascular: 'Cardiovascular',
  respiratory: 'Respiratory',
  gastrointestinal: 'Gastrointestinal',
  genitourinary: 'Genitourinary',
  musculoskeletal: 'Musculoskeletal',
  skin: 'Integumentary (skin and breast)',
  neurological: 'Neurological',
  psychiatric: 'Psychiatric',
  endocrine: 'Endocrine',
  hematologic: 'Hematologic/lymphatic',
  allergic: 'Allergic/immunologic',
};

export const rosStatus = z.enum(['not_reviewed', 'negative', 'positive']);
export type RosStatus = z.infer<typeof rosStatus>;
export const examStatus = z.enum(['not_examined', 'normal', 'abnormal']);
export type ExamStatus = z.infer<typeof examStatus>;

export interface ExamSystem {
  id: string;
  label: string;
}

/** Used when an exam field does not list its own systems. */
export const DEFAULT_EXAM_SYSTEMS: readonly ExamSystem[] = [
  { id: 'general', label: 'General' },
  { id: 'heent', label: 'HEENT' },
  { id: 'neck', label: 'Neck' },
  { id: 'cardiovascular', label: 'Cardiovascular' },
  { id: 'lungs', label: 'Lungs' },
  { id: 'abdomen', label: 'Abdomen' },
  { id: 'extremities', label: 'Extremities' },
  { id: 'skin', label: 'Skin' },
  { id: 'neuro', label: 'Neurological' },
  { id: 'psych', label: 'Psychiatric' },
];

export const LESION_MORPHOLOGIES = [
  'macule',
  'patch',
  'papule',
  'plaque',
  'nodule',
  'tumor',
  'vesicle',
  'bulla',
  'pustule',
  'wheal',
  'cyst',
  'erosion',
  'ulcer',
  'fissure',
  'crust',
  'scale',
  'atrophy',
  'scar',
] as const;
export const lesionMorphology = z.enum(LESION_MORPHOLOGIES);
export type LesionMorphology = z.infer<typeof lesionMorphology>;

export const LESION_COLORS = [
  'skin-colored',
  'pink',
  'erythematous',
  'violaceous',
  'purpuric',
  'tan',
  'brown',
  'black',
  'blue-gray',
  'yellow',
  'white',
  'hyperpigmented',
  'hypopigmented',
  'depigmented',
  'variegated',
] as const;
export const lesionColor = z.enum(LESION_COLORS);
export type LesionColor = z.infer<typeof lesionColor>;

export const LESION_BORDERS = ['well-defined', 'ill-defined', 'regular', 'irregular', 'rolled'] as const;
export const lesionBorder = z.enum(LESION_BORDERS);
export type LesionBorder = z.infer<typeof lesionBorder>;

/** Display words for the lesion vocabularies where the value itself is not the word a note uses. */
export const LESION_VALUE_LABELS: Readonly<Record<string, string>> = {
  variegated: 'variegated (several colors)',
};

export interface SelectOption {
  value: string;
  label: string;
}

const sides = (value: string, label: string): SelectOption[] => [
  { value: `${value}-left`, label: `${label}, left` },
  { value: `${value}-right`, label: `${label}, right` },
];

/** Used when a lesion field does not list its own body sites. */
export const DEFAULT_BODY_SITES: readonly SelectOption[] = [
  { value: 'scalp', label: 'Scalp' },
  { value: 'forehead', label: 'Forehead' },
  ...sides('temple', 'Temple'),
  ...sides('eyelid', 'Eyelid'),
  { value: 'nose', label: 'Nose' },
  ...sides('cheek', 'Cheek'),
  ...sides('ear', 'Ear'),
  { value: 'lips', label: 'Lips' },
  { value: 'chin', label: 'Chin' },
  { value: 'oral-mucosa', label: 'Oral mucosa' },
  { value: 'neck-anterior', label: 'Neck, anterior' },
  { value: 'neck-posterior', label: 'Neck, posterior' },
  { value: 'chest', label: 'Chest' },
  ...sides('breast', 'Breast'),
  { value: 'abdomen', label: 'Abdomen' },
  { value: 'upper-back', label: 'Upper back' },
  { value: 'lower-back', label: 'Lower back' },
  ...sides('shoulder', 'Shoulder'),
  ...sides('axilla', 'Axilla'),
  ...sides('upper-arm', 'Upper arm'),
  ...sides('forearm', 'Forearm'),
  ...sides('hand-dorsal', 'Hand, dorsal'),
  ...sides('palm', 'Palm'),
  ...sides('finger', 'Finger'),
  ...sides('fingernail', 'Fingernail'),
  { value: 'buttocks', label: 'Buttocks' },
  { value: 'groin', label: 'Groin' },
  { value: 'genitals', label: 'Genitals' },
  ...sides('thigh', 'Thigh'),
  ...sides('knee', 'Knee'),
  ...sides('lower-leg', 'Lower leg'),
  ...sides('ankle', 'Ankle'),
  ...sides('foot-dorsal', 'Foot, dorsal'),
  ...sides('sole', 'Sole'),
  ...sides('toe', 'Toe'),
  ...sides('toenail', 'Toenail'),
];

/** Caps when a text field names no maxLength, and for the free text inside ROS, exam and lesion values. */
export const DEFAULT_TEXT_MAX = 1000;
export const DEFAULT_TEXTAREA_MAX = 20_000;
export const FINDING_TEXT_MAX = 2000;
export const MAX_LESIONS = 100;
/** Lesion length and width, in mm. */
export const LESION_SIZE_MM = { min: 0.1, max: 1000 } as const;

// ---------------------------------------------------------------------------------------------
// The template schema
// ---------------------------------------------------------------------------------------------

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

function uniqueBy<T>(items: readonly T[], key: (t: T) => string, what: string, path: (i: number) => PropertyKey[], ctx: z.RefinementCtx): void {
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

// ---------------------------------------------------------------------------------------------
// Note content: value shapes per field kind
// ---------------------------------------------------------------------------------------------

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
const valueShape: { [K in FieldKind]: z.ZodType<FieldValueByKind[K]> } = {
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

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

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

const fmt = (n: number): string => String(n);

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

// ---------------------------------------------------------------------------------------------
// Rendering to plain text (signed note view, printable PDF)
// ---------------------------------------------------------------------------------------------

export interface RenderedNote {
  title: string;
  sections: { title: string; lines: string[] }[];
}

const UCUM_DISPLAY: Readonly<Record<string, string>> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  '[lb_av]': 'lb',
  '[oz_av]': 'oz',
  '[in_i]': 'in',
  '{beats}/min': 'beats/min',
  '{breaths}/min': 'breaths/min',
};

/** A UCUM code as a person reads it: "mm[Hg]" → "mmHg", "Cel" → "°C", "kg/m2" → "kg/m2". */
export function ucumDisplay(unit: string): string {
  return UCUM_DISPLAY[unit] ?? unit.replace(/\{[^}]*\}/g, '').replace(/[[\]]/g, '');
}

function withUnit(n: number, unit: string | undefined): string {
  if (!unit) return fmt(n);
  const u = ucumDisplay(unit);
  return /^[/%]/.test(u) ? `${fmt(n)}${u}` : `${fmt(n)} ${u}`;
}

/** Whitespace (newlines included) collapsed to single spaces. */
const inline = (s: string): string => s.trim().replace(/\s+/g, ' ');
/** Ends with a full stop unless it already ends with punctuation. */
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

/** What each ROS system reads as, the "all others negative" switch applied. */
export function resolveRos(
  f: FieldOfKind<'ros'>,
  value: RosValue,
): { system: RosSystemId; label: string; status: RosStatus; text: string; implied: boolean }[] {
  return f.systems.map((system) => {
    const e = value.systems[system];
    const stated = e?.status ?? 'not_reviewed';
    const implied = stated === 'not_reviewed' && value.allOthersNegative;
    return { system, label: ROS_SYSTEM_LABELS[system], status: implied ? 'negative' : stated, text: inline(e?.text ?? ''), implied };
  });
}

function findingSentence(name: string, status: string, text: string): string {
  return sentence(text ? `${name}: ${status} — ${text}` : `${name}: ${status}`);
}

function renderRos(f: FieldOfKind<'ros'>, value: RosValue): string[] {
  const systems = resolveRos(f, value);
  const stated = systems.filter((s) => !s.implied && s.status !== 'not_reviewed').map((s) => findingSentence(s.label, s.status, s.text));
  const anyImplied = systems.some((s) => s.implied);
  if (anyImplied) stated.push(stated.length === 0 ? 'All systems negative.' : 'All other systems negative.');
  return stated.length === 0 ? [] : [`${f.label}: ${stated.join(' ')}`];
}

function renderExam(f: FieldOfKind<'exam'>, value: ExamValue): string[] {
  const parts = f.systems.flatMap((s) => {
    const e = Object.hasOwn(value.systems, s.id) ? value.systems[s.id] : undefined;
    if (!e || e.status === 'not_examined') return [];
    return [findingSentence(s.label, e.status, inline(e.text ?? ''))];
  });
  return parts.length === 0 ? [] : [`${f.label}: ${parts.join(' ')}`];
}

function renderInstrument(f: FieldOfKind<'instrument'>, value: InstrumentValue): string[] {
  const def = INSTRUMENTS[f.instrument];
  const result = scoreInstrument(f.instrument, value.answers);
  const n = answeredCount(value.answers);
  const lines: string[] = [];
  if (result.score !== null && result.severity !== null) lines.push(`${def.shortName}: ${result.score} (${result.severity} ${def.construct})`);
  else if (n > 0) lines.push(`${def.shortName}: incomplete, ${n} of ${def.items.length} items answered (not scored)`);
  for (const flag of result.flags) lines.push(`${def.shortName} ${flag}`);
  if (value.difficulty !== undefined) {
    const opt = def.difficultyOptions.find((o) => o.value === value.difficulty);
    if (opt) lines.push(`${def.shortName} functional difficulty: ${opt.label.toLowerCase()}`);
  }
  return lines;
}

const lesionWord = (v: string): string => LESION_VALUE_LABELS[v] ?? v;

function renderLesions(f: FieldOfKind<'lesion'>, lesions: LesionValue[]): string[] {
  const sites = new Map(f.bodySites.map((s) => [s.value, s.label]));
  const filled = lesions.filter(
    (l) =>
      l.bodySite !== undefined ||
      l.lengthMm !== undefined ||
      l.widthMm !== undefined ||
      l.morphology !== undefined ||
      l.color !== undefined ||
      l.border !== undefined ||
      !blank(l.description),
  );
  return filled.map((l, i) => {
    const site = l.bodySite !== undefined ? (sites.get(l.bodySite) ?? l.bodySite) : 'site not recorded';
    const size =
      l.lengthMm !== undefined && l.widthMm !== undefined
        ? `${fmt(l.lengthMm)} × ${fmt(l.widthMm)} mm`
        : l.lengthMm !== undefined || l.widthMm !== undefined
          ? `${fmt(l.lengthMm ?? l.widthMm ?? 0)} mm`
          : undefined;
    const features = [
      l.morphology,
      size,
      l.color !== undefined ? lesionWord(l.color) : undefined,
      l.border !== undefined ? `${lesionWord(l.border)} border` : undefined,
    ].filter((x): x is string => x !== undefined);
    let line = `Lesion ${i + 1}: ${site}`;
    if (features.length > 0) line += ` — ${features.join(', ')}`;
    if (!blank(l.description)) line += `; ${inline(l.description ?? '')}`;
    return sentence(line);
  });
}

/** A textarea's paragraphs: first line after the label, later lines as they are (runs of blank lines kept as one). */
function renderMultiline(labelText: string, value: string): string[] {
  const raw = value.split(/\r?\n/).map((l) => l.trimEnd());
  while (raw.length > 0 && raw[0]?.trim() === '') raw.shift();
  while (raw.length > 0 && raw[raw.length - 1]?.trim() === '') raw.pop();
  const lines: string[] = [];
  for (const l of raw) if (!(l === '' && lines[lines.length - 1] === '')) lines.push(l);
  const [first = '', ...rest] = lines;
  return [`${labelText}: ${first.trim()}`, ...rest];
}

function renderField(f: Field, raw: FieldValue | undefined): string[] {
  if (raw === undefined || isEmptyValue(f, raw)) return [];
  switch (f.kind) {
    case 'text':
      return [`${f.label}: ${inline(valueShape.text.parse(raw))}`];
    case 'textarea':
      return renderMultiline(f.label, valueShape.textarea.parse(raw));
    case 'number':
      return [`${f.label}: ${withUnit(valueShape.number.parse(raw), f.unit)}`];
    case 'select': {
      const v = valueShape.select.parse(raw);
      return [`${f.label}: ${f.options.find((o) => o.value === v)?.label ?? v}`];
    }
    case 'multiselect': {
      const vs = valueShape.multiselect.parse(raw);
      return [`${f.label}: ${vs.map((v) => f.options.find((o) => o.value === v)?.label ?? v).join(', ')}`];
    }
    case 'checkbox':
      return [`${f.label}: yes`];
    case 'date':
      return [`${f.label}: ${valueShape.date.parse(raw)}`];
    case 'ros':
      return renderRos(f, valueShape.ros.parse(raw));
    case 'exam':
      return renderExam(f, valueShape.exam.parse(raw));
    case 'instrument':
      return renderInstrument(f, valueShape.instrument.parse(raw));
    case 'lesion':
      return renderLesions(f, valueShape.lesion.parse(raw));
  }
}

/**
 * Plain, readable text of a note for the signed view and the PDF: one entry per section that has
 * something to say, one line per filled field (empty fields and empty sections are skipped).
 * Takes stored content as read back (it is validated here first) and throws when it does not fit
 * the template (it was validated on save, so that is corruption or the wrong template version).
 */
export function renderNoteText(template: NoteTemplate, content: NoteContent | Readonly<Record<string, unknown>>): RenderedNote {
  const checked = noteContentSchema(template, { forSigning: false }).safeParse(content);
  if (!checked.success) {
    throw new Error(`note content does not fit template "${template.id}" version ${template.version}:\n${z.prettifyError(checked.error)}`);
  }
  const data = checked.data;
  const sections = template.sections
    .map((s) => ({
      title: s.title,
      lines: s.fields.flatMap((f) => renderField(f, Object.hasOwn(data, f.id) ? data[f.id] : undefined)),
    }))
    .filter((s) => s.lines.length > 0);
  return { title: template.title, sections };
}

// ---------------------------------------------------------------------------------------------
// Canonical form for hashing at signing
// ---------------------------------------------------------------------------------------------

/**
 * Deterministic JSON of a JSON value: object keys sorted (by UTF-16 code units) at every depth, no
 * whitespace. Keys whose value is undefined are left out (as JSON.stringify does), so content that
 * round-trips through JSON hashes the same. Non-JSON values (NaN, Infinity, functions, symbols,
 * bigints, class instances, cycles) throw rather than hash to something ambiguous.
 */
export function canonicalContent(content: unknown): string {
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): string => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return JSON.stringify(v);
      case 'number':
        if (!Number.isFinite(v)) throw new TypeError(`canonicalContent: ${path} is ${String(v)}, which JSON cannot hold`);
        return JSON.stringify(v);
      case 'object': {
        if (seen.has(v)) throw new TypeError(`canonicalContent: ${path} refers back to itself`);
        seen.add(v);
        let out: string;
        if (Array.isArray(v)) {
          out = `[${v.map((x: unknown, i) => (x === undefined ? 'null' : walk(x, `${path}[${i}]`))).join(',')}]`;
        } else {
          const proto: unknown = Object.getPrototypeOf(v);
          if (proto !== Object.prototype && proto !== null) throw new TypeError(`canonicalContent: ${path} is not a plain object`);
          const record = v as Record<string, unknown>;
          const keys = Object.keys(record)
            .filter((k) => record[k] !== undefined)
            .sort();
          out = `{${keys.map((k) => `${JSON.stringify(k)}:${walk(record[k], `${path}.${k}`)}`).join(',')}}`;
        }
        seen.delete(v);
        return out;
      }
      case 'undefined':
      case 'function':
      case 'symbol':
      case 'bigint':
        throw new TypeError(`canonicalContent: ${path} is a ${typeof v}, which JSON cannot hold`);
    }
    throw new TypeError(`canonicalContent: ${path} has an unknown type`);
  };
  return walk(content, '$');
}
