import { describe, expect, it } from 'vitest';
import { noteTemplate, parseNoteTemplate, templateFields } from '../../../../../shared/domain/templates';

describe('template validation', () => {
  const base = (): { sections: { id: string; title: string; fields: Record<string, unknown>[] }[] } & Record<string, unknown> => ({
    id: 'clinic-note',
    version: 1,
    title: 'Clinic note',
    specialty: 'Primary care',
    description: 'A clinic-made template',
    sections: [
      { id: 'one', title: 'One', fields: [{ id: 'cc', kind: 'text', label: 'Chief complaint' }] },
      { id: 'two', title: 'Two', fields: [{ id: 'plan', kind: 'textarea', label: 'Plan' }] },
    ],
  });

  it('refuses a duplicate field id, naming it', () => {
    const t = base();
    t.sections[1]!.fields.push({ id: 'cc', kind: 'checkbox', label: 'Again' });
    const r = noteTemplate.safeParse(t);
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    expect(r.error!.issues[0]!.path).toEqual(['sections', 1, 'fields', 1, 'id']);
    expect(r.error!.issues[0]!.message).toBe(
      'duplicate field id "cc" (in section "one" and again in section "two"): each field id must be unique within the template',
    );
    expect(() => parseNoteTemplate(t, 'clinic/clinic-note.json')).toThrow(
      /clinic\/clinic-note\.json is not a valid note template:[\s\S]*duplicate field id "cc"/,
    );
  });

  it('refuses a duplicate section id', () => {
    const t = base();
    t.sections[1]!.id = 'one';
    expect(noteTemplate.safeParse(t).error?.issues[0]?.message).toBe('duplicate section id "one": each section id must be unique within the template');
  });

  it('names what is wrong in a clinic-written file', () => {
    const t = base();
    t.id = 'Clinic Note';
    t.sections[0]!.fields.push(
      { id: 'x', kind: 'slider', label: 'X' },
      { id: 'hr', kind: 'number', label: 'Heart rate', min: 300, max: 20 },
      { id: 'typo', kind: 'text', label: 'Typo', requried: true },
      {
        id: 'choice',
        kind: 'select',
        label: 'Choice',
        options: [
          { value: 'a', label: 'A' },
          { value: 'a', label: 'Also A' },
        ],
      },
      { id: 'bp', kind: 'number', label: 'BP', unit: 'mm Hg' },
      { id: 'constructor', kind: 'checkbox', label: 'Reserved' },
    );
    const r = noteTemplate.safeParse(t);
    const byPath = Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byPath['id']).toMatch(/^template id "Clinic Note" must be kebab-case/);
    expect(byPath['sections.0.fields.1.kind']).toBe(
      'unknown field kind: use one of text, textarea, number, select, multiselect, checkbox, date, ros, exam, instrument, lesion',
    );
    expect(byPath['sections.0.fields.2.min']).toBe('field "hr": min (300) is greater than max (20)');
    expect(byPath['sections.0.fields.3']).toMatch(/requried/);
    expect(byPath['sections.0.fields.4.options.1.value']).toBe('duplicate option value "a"');
    expect(byPath['sections.0.fields.5.unit']).toMatch(/UCUM/);
    expect(byPath['sections.0.fields.6.id']).toBe('field id "constructor" is reserved: choose another name');
  });

  it('applies defaults: all 14 ROS systems, the standard exam systems, the body-site list', () => {
    const t = base();
    t.sections[0]!.fields.push(
      { id: 'ros', kind: 'ros', label: 'ROS' },
      { id: 'exam', kind: 'exam', label: 'Exam' },
      { id: 'lesions', kind: 'lesion', label: 'Lesions' },
    );
    const fields = templateFields(noteTemplate.parse(t));
    const [ros, exam, lesions] = fields.slice(1, 4);
    expect(ros?.kind === 'ros' && ros.systems).toHaveLength(14);
    expect(exam?.kind === 'exam' && exam.systems.map((s) => s.id)).toEqual([
      'general',
      'heent',
      'neck',
      'cardiovascular',
      'lungs',
      'abdomen',
      'extremities',
      'skin',
      'neuro',
      'psych',
    ]);
    expect(lesions?.kind === 'lesion' && lesions.bodySites.some((s) => s.value === 'forearm-left')).toBe(true);
  });
});
