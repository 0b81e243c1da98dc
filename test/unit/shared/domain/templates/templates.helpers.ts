import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTRUMENTS } from '../../../../../shared/domain/instruments';
import {
  noteContentSchema,
  noteTemplate,
  parseNoteTemplate,
  type Field,
  type FieldValue,
  type NoteTemplate,
  type NoteTemplateInput,
} from '../../../../../shared/domain/templates';

export const DIR = join(import.meta.dirname, '../../../../../resources/templates');
export const SHIPPED = [
  'behavioral-health-dap',
  'cardiology-follow-up',
  'dermatology',
  'physical-exam',
  'primary-care-soap',
  'review-of-systems',
  'well-child',
];

export const readJson = (id: string): unknown => JSON.parse(readFileSync(join(DIR, `${id}.json`), 'utf8'));
export const load = (id: string): NoteTemplate => parseNoteTemplate(readJson(id), `${id}.json`);

export function issues(template: NoteTemplate, content: unknown, forSigning: boolean): Record<string, string> {
  const r = noteContentSchema(template, { forSigning }).safeParse(content);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
}

/** A small hand-written template for the rule tests. */
export function miniTemplate(extra: NoteTemplateInput['sections'][number]['fields'] = []): NoteTemplate {
  return noteTemplate.parse({
    id: 'mini',
    version: 1,
    title: 'Mini',
    specialty: 'Test',
    description: '',
    sections: [
      {
        id: 'main',
        title: 'Main',
        fields: [
          { id: 'cc', kind: 'text', label: 'Chief complaint', required: true },
          { id: 'heart-rate', kind: 'number', label: 'Heart rate', unit: '/min', min: 20, max: 250, step: 1 },
          { id: 'temp', kind: 'number', label: 'Temperature', unit: 'Cel', min: 30, max: 45, step: 0.1, required: true },
          { id: 'ros', kind: 'ros', label: 'ROS' },
          ...extra,
        ],
      },
    ],
  });
}

/** A value for every field, as a careful clinician would fill it before signing. */
export function sampleValue(f: Field): FieldValue {
  switch (f.kind) {
    case 'text':
      return `sample ${f.label.toLowerCase()}`;
    case 'textarea':
      return `First line for ${f.label}\nSecond line`;
    case 'number':
      return f.min ?? f.max ?? 1;
    case 'select':
      return f.options[0]!.value;
    case 'multiselect':
      return f.options.slice(0, 2).map((o) => o.value);
    case 'checkbox':
      return true;
    case 'date':
      return '2026-03-02';
    case 'ros':
      return { allOthersNegative: true, systems: { [f.systems[0]!]: { status: 'positive', text: 'fever' } } };
    case 'exam':
      return { systems: Object.fromEntries(f.systems.map((s, i) => [s.id, i === 0 ? { status: 'abnormal', text: 'finding' } : { status: 'normal' }])) };
    case 'instrument':
      return { answers: INSTRUMENTS[f.instrument].items.map(() => 1 as const), difficulty: 1 };
    case 'lesion':
      return [{ bodySite: f.bodySites[0]!.value, lengthMm: 5, widthMm: 3, morphology: 'papule', color: 'pink', border: 'regular', description: 'stable' }];
  }
}
