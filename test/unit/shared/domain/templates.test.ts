import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSTRUMENTS } from '../../../../shared/domain/instruments';
import {
  canonicalContent,
  noteContentSchema,
  noteTemplate,
  parseNoteTemplate,
  renderNoteText,
  templateFields,
  type Field,
  type FieldValue,
  type InstrumentValue,
  type NoteContent,
  type NoteTemplate,
  type NoteTemplateInput,
} from '../../../../shared/domain/templates';

const DIR = join(import.meta.dirname, '../../../../resources/templates');
const SHIPPED = ['behavioral-health-dap', 'cardiology-follow-up', 'dermatology', 'physical-exam', 'primary-care-soap', 'review-of-systems', 'well-child'];

const readJson = (id: string): unknown => JSON.parse(readFileSync(join(DIR, `${id}.json`), 'utf8'));
const load = (id: string): NoteTemplate => parseNoteTemplate(readJson(id), `${id}.json`);

function issues(template: NoteTemplate, content: unknown, forSigning: boolean): Record<string, string> {
  const r = noteContentSchema(template, { forSigning }).safeParse(content);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
}

/** A small hand-written template for the rule tests. */
function miniTemplate(extra: NoteTemplateInput['sections'][number]['fields'] = []): NoteTemplate {
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
function sampleValue(f: Field): FieldValue {
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

describe('shipped templates', () => {
  it('are exactly the seven templates, each named by its id, at version 1', () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(SHIPPED.map((id) => `${id}.json`));
    for (const id of SHIPPED) {
      const t = load(id);
      expect(t.id).toBe(id);
      expect(t.version).toBe(1);
      expect(t.title.length).toBeGreaterThan(0);
      expect(t.description.length).toBeGreaterThan(0);
    }
  });

  it.each(SHIPPED)('%s: validates, signs when filled, refuses signing when empty, renders every section', (id) => {
    const t = load(id);
    // Re-validating a validated template changes nothing (the API contract re-checks its output).
    expect(noteTemplate.parse(t)).toEqual(t);
    const content: NoteContent = Object.fromEntries(templateFields(t).map((f) => [f.id, sampleValue(f)]));
    expect(issues(t, content, true)).toEqual({});
    const required = templateFields(t).filter((f) => 'required' in f && f.required === true);
    expect(required.length).toBeGreaterThan(0);
    expect(Object.keys(issues(t, {}, true)).sort()).toEqual(required.map((f) => f.id).sort());
    expect(issues(t, {}, false)).toEqual({});
    const rendered = renderNoteText(t, content);
    expect(rendered.title).toBe(t.title);
    expect(rendered.sections.map((s) => s.title)).toEqual(t.sections.map((s) => s.title));
    expect(renderNoteText(t, {})).toEqual({ title: t.title, sections: [] });
  });

  it('primary-care-soap renders a SOAP note', () => {
    const t = load('primary-care-soap');
    const note = renderNoteText(t, {
      'chief-complaint': '  Chest pain ',
      hpi: 'Two weeks of pressure on exertion.\n\n\nNo pain at rest.\n',
      ros: {
        allOthersNegative: true,
        systems: {
          constitutional: { status: 'negative' },
          cardiovascular: { status: 'positive', text: 'chest pain on exertion' },
          eyes: { status: 'not_reviewed' },
        },
      },
      'meds-allergies-reviewed': true,
      exam: {
        systems: { general: { status: 'normal' }, lungs: { status: 'abnormal', text: 'crackles at the right base.' }, neck: { status: 'not_examined' } },
      },
      'objective-notes': '   ',
      impression: 'Stable angina, suspected.',
      plan: 'Exercise stress test.\nAspirin 81 mg daily.',
      'follow-up': '2 weeks',
    });
    expect(note).toEqual({
      title: 'Primary care visit (SOAP)',
      sections: [
        {
          title: 'Subjective',
          lines: [
            'Chief complaint: Chest pain',
            'History of present illness: Two weeks of pressure on exertion.',
            '',
            'No pain at rest.',
            'ROS: Constitutional: negative. Cardiovascular: positive — chest pain on exertion. All other systems negative.',
            'Medication list and allergies reviewed: yes',
          ],
        },
        { title: 'Objective', lines: ['Exam: General: normal. Lungs: abnormal — crackles at the right base.'] },
        { title: 'Assessment', lines: ['Impression: Stable angina, suspected.'] },
        { title: 'Plan', lines: ['Treatment and orders: Exercise stress test.', 'Aspirin 81 mg daily.', 'Follow-up: 2 weeks'] },
      ],
    });
  });

  it('well-child renders growth with units, feeding choices and only the counseling given', () => {
    const t = load('well-child');
    const content: NoteContent = {
      'visit-age': '4-months',
      weight: 6.8,
      'length-height': 63.5,
      'weight-percentile': 50,
      milestones: 'meeting',
      feeding: ['human-milk', 'vitamin-d'],
      'safety-car-seat': true,
      'safety-sleep': true,
      'safety-firearms': false,
      exam: { systems: { general: { status: 'normal' }, hips: { status: 'normal', text: 'Ortolani and Barlow negative' } } },
      'immunization-status': 'given',
      assessment: 'Healthy 4-month-old.',
    };
    expect(issues(t, content, true)).toEqual({});
    const sections = Object.fromEntries(renderNoteText(t, content).sections.map((s) => [s.title, s.lines]));
    expect(sections['Visit and history']).toEqual(['Visit: 4 months']);
    expect(sections['Growth']).toEqual(['Weight: 6.8 kg', 'Length or height: 63.5 cm', 'Weight-for-age percentile: 50%']);
    expect(sections['Nutrition']).toEqual(['Feeding: Human milk (breastfeeding or expressed), Vitamin D supplement']);
    expect(sections['Safety counseling (topics discussed)']).toEqual([
      'Car safety seat or booster seat, rear-facing as long as possible: yes',
      'Safe sleep: on the back, own firm flat surface, no soft bedding: yes',
    ]);
    expect(sections['Physical examination']).toEqual(['Exam: General appearance: normal. Hips: normal — Ortolani and Barlow negative.']);
    expect(sections['Immunizations']).toEqual(['Immunization status: Vaccines due were given today']);
    expect(sections['Sleep']).toBeUndefined();
  });

  it('dermatology renders each lesion with site, morphology, size, color and border', () => {
    const t = load('dermatology');
    const content: NoteContent = {
      reason: 'Changing mole',
      'exam-extent': 'full-body',
      lesions: [
        {
          bodySite: 'forearm-left',
          lengthMm: 6,
          widthMm: 4,
          morphology: 'papule',
          color: 'pink',
          border: 'rolled',
          description: 'pearly, with arborizing vessels',
        },
        {},
        { bodySite: 'upper-back', lengthMm: 7, morphology: 'macule', color: 'variegated', border: 'irregular' },
      ],
      impression: 'Suspected basal cell carcinoma, left forearm; atypical nevus, upper back.',
      procedures: ['shave-biopsy'],
      plan: 'Shave biopsy of both lesions.',
    };
    expect(issues(t, content, false)).toEqual({});
    const exam = renderNoteText(t, content).sections.find((s) => s.title === 'Examination');
    expect(exam?.lines).toEqual([
      'Extent of skin examination: Full-body skin examination',
      'Lesion 1: Forearm, left — papule, 6 × 4 mm, pink, rolled border; pearly, with arborizing vessels.',
      'Lesion 2: Upper back — macule, 7 mm, variegated (several colors), irregular border.',
    ]);
    // The empty lesion row may stay in a draft, but a lesion needs a site before signing.
    expect(issues(t, content, true)).toEqual({ 'lesions.1.bodySite': 'Lesions: lesion 2 needs a body site to sign' });
    expect(issues(t, { lesions: [{ bodySite: 'elbow-of-nowhere' }] }, false)).toEqual({
      'lesions.0.bodySite': 'Lesions: lesion 1 body site "elbow-of-nowhere" is not one of the sites',
    });
    expect(issues(t, { lesions: [{ bodySite: 'nose', lengthMm: 0 }] }, false)).toEqual({ 'lesions.0.lengthMm': 'size must be at least 0.1 mm' });
  });

  it('cardiology-follow-up renders NYHA class, ECG measurements and adherence', () => {
    const t = load('cardiology-follow-up');
    const content: NoteContent = {
      reason: 'Heart failure with reduced ejection fraction',
      'chest-pain': 'none',
      dyspnea: 'ordinary',
      'dyspnea-features': ['orthopnea'],
      'nyha-class': 'II',
      edema: 'ankles',
      palpitations: 'none',
      syncope: 'none',
      adherence: 'as-prescribed',
      'meds-reconciled': true,
      exam: { systems: { neck: { status: 'normal', text: 'JVP 7 cm' }, extremities: { status: 'abnormal', text: 'trace ankle edema' } } },
      'ecg-date': '2026-03-02',
      'ecg-rhythm': 'sinus',
      'ecg-rate': 72,
      'ecg-qtc': 440,
      assessment: 'Chronic HFrEF, NYHA II, euvolemic.',
      plan: 'Continue current therapy.',
    };
    expect(issues(t, content, true)).toEqual({});
    const sections = Object.fromEntries(renderNoteText(t, content).sections.map((s) => [s.title, s.lines]));
    expect(sections['Symptoms']).toEqual([
      'Chest pain: None',
      'Dyspnea: With ordinary activity',
      'Orthopnea and nocturnal symptoms: Orthopnea',
      'NYHA functional class: II: slight limitation; ordinary activity causes symptoms',
      'Leg swelling: Ankles',
      'Palpitations: None',
      'Syncope: None',
    ]);
    expect(sections['Medications']).toEqual(['Medication adherence: Taking all medications as prescribed', 'Medication list reconciled: yes']);
    expect(sections['ECG']).toEqual(['ECG date: 2026-03-02', 'Rhythm: Sinus rhythm', 'Ventricular rate: 72/min', 'QTc: 440 ms']);
    expect(sections['Examination']).toEqual([
      'Exam: Neck (jugular venous pressure, carotids): normal — JVP 7 cm. Extremities (edema, pulses): abnormal — trace ankle edema.',
    ]);
  });

  it('behavioral-health-dap scores PHQ-9 and GAD-7 and carries the item 9 flag', () => {
    const t = load('behavioral-health-dap');
    const content: NoteContent = {
      'session-type': 'individual',
      'session-minutes': 50,
      data: 'Reports low mood and poor sleep.',
      phq9: { answers: [2, 2, 2, 2, 1, 2, 1, 1, 1], difficulty: 1 },
      gad7: { answers: [2, 2, 1, 1, 1, 1, 0] },
      assessment: 'Major depressive disorder, moderate.',
      'suicidal-ideation': 'passive',
      'suicidal-behavior': 'none',
      'self-harm': 'none',
      'homicidal-ideation': 'denies',
      'risk-level': 'moderate',
      'safety-plan': true,
      plan: 'Weekly CBT; safety plan reviewed.',
      'next-session': '2026-03-09',
    };
    expect(issues(t, content, true)).toEqual({});
    const sections = Object.fromEntries(renderNoteText(t, content).sections.map((s) => [s.title, s.lines]));
    expect(sections['Data']).toEqual(['Session type: Individual psychotherapy', 'Session length: 50 min', 'Session data: Reports low mood and poor sleep.']);
    expect(sections['Assessment']).toEqual([
      'PHQ-9: 14 (moderate depression)',
      'PHQ-9 Item 9 positive: assess suicide risk today',
      'PHQ-9 functional difficulty: somewhat difficult',
      'GAD-7: 8 (mild anxiety)',
      'Clinical assessment: Major depressive disorder, moderate.',
    ]);
    expect(sections['Risk assessment']).toContain('Overall risk level: Moderate');
    expect(sections['Plan']).toEqual(['Plan: Weekly CBT; safety plan reviewed.', 'Next session: 2026-03-09']);
  });

  it('review-of-systems renders a fully negative review in one sentence', () => {
    const t = load('review-of-systems');
    expect(templateFields(t)[0]).toMatchObject({ kind: 'ros', systems: expect.arrayContaining(['constitutional', 'allergic']) as unknown });
    expect(renderNoteText(t, { ros: { allOthersNegative: true, systems: {} } }).sections).toEqual([
      { title: 'Review of systems', lines: ['Review of systems: All systems negative.'] },
    ]);
  });

  it('physical-exam renders the examined systems in template order', () => {
    const t = load('physical-exam');
    const note = renderNoteText(t, {
      exam: {
        systems: {
          psych: { status: 'normal', text: 'normal mood and affect' },
          general: { status: 'normal' },
          abdomen: { status: 'abnormal', text: 'RLQ tenderness' },
        },
      },
      'exam-notes': 'Chaperone present.',
    });
    expect(note.sections[0]!.lines).toEqual([
      'Exam: General: normal. Abdomen: abnormal — RLQ tenderness. Psychiatric: normal — normal mood and affect.',
      'Additional findings: Chaperone present.',
    ]);
  });
});

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

describe('note content', () => {
  it('enforces required fields only when signing', () => {
    const t = miniTemplate();
    expect(issues(t, {}, false)).toEqual({});
    expect(issues(t, { cc: '   ' }, false)).toEqual({});
    expect(issues(t, { cc: '   ' }, true)).toEqual({ cc: 'Chief complaint is required to sign the note', temp: 'Temperature is required to sign the note' });
    expect(issues(t, { cc: 'Cough', temp: 37.2 }, true)).toEqual({});
  });

  it('range-checks numbers in drafts too, naming the field label', () => {
    const t = miniTemplate();
    expect(issues(t, { 'heart-rate': 400 }, false)).toEqual({ 'heart-rate': 'Heart rate must be between 20 and 250/min (got 400)' });
    expect(issues(t, { temp: 29 }, false)).toEqual({ temp: 'Temperature must be between 30 and 45 °C (got 29)' });
    expect(issues(t, { temp: 37.25 }, false)).toEqual({ temp: 'Temperature must be in steps of 0.1 °C (got 37.25)' });
    expect(issues(t, { 'heart-rate': '72' }, false)).toEqual({ 'heart-rate': 'Heart rate must be a number' });
    expect(issues(t, { 'heart-rate': 72, temp: 36.6 }, false)).toEqual({});
  });

  it('checks options, dates, text length and unknown field ids', () => {
    const t = miniTemplate([
      {
        id: 'side',
        kind: 'select',
        label: 'Side',
        options: [
          { value: 'left', label: 'Left' },
          { value: 'right', label: 'Right' },
        ],
      },
      {
        id: 'sites',
        kind: 'multiselect',
        label: 'Sites',
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ],
      },
      { id: 'onset', kind: 'date', label: 'Onset' },
      { id: 'short', kind: 'text', label: 'Short', maxLength: 5 },
    ]);
    expect(issues(t, { side: 'middle', sites: ['a', 'a', 'z'], onset: '2026-02-30', short: 'too long', extra: 1 }, false)).toEqual({
      '': 'unknown field id "extra": not in template "mini" version 1',
      side: 'Side: "middle" is not one of the options',
      'sites.1': 'duplicate Sites choice "a"',
      'sites.2': 'Sites: "z" is not one of the options',
      onset: 'Onset must be a real calendar date written YYYY-MM-DD',
      short: 'Short must be at most 5 characters',
    });
  });

  it('requires a description of positive ROS findings to sign, and refuses systems the field does not ask', () => {
    const t = miniTemplate([{ id: 'ros-short', kind: 'ros', label: 'Focused ROS', systems: ['cardiovascular', 'respiratory'] }]);
    const ros = { allOthersNegative: false, systems: { cardiovascular: { status: 'positive' } } };
    expect(issues(t, { ros }, false)).toEqual({});
    expect(issues(t, { cc: 'x', temp: 37, ros }, true)).toEqual({
      'ros.systems.cardiovascular.text': 'ROS: Cardiovascular is positive: describe the finding to sign',
    });
    expect(issues(t, { 'ros-short': { allOthersNegative: false, systems: { eyes: { status: 'negative' } } } }, false)).toEqual({
      'ros-short.systems.eyes': 'Focused ROS: Eyes is not asked in this template',
    });
  });

  it('requires every instrument answer slot, and a complete required instrument to sign', () => {
    const t = miniTemplate([{ id: 'phq', kind: 'instrument', label: 'PHQ-9', instrument: 'phq9', required: true }]);
    const signed = { cc: 'x', temp: 37 };
    expect(issues(t, { phq: { answers: [1, 1] } }, false)).toEqual({
      'phq.answers': 'PHQ-9: PHQ-9 has 9 items, so 9 answers (null when unanswered); got 2',
    });
    const partial: InstrumentValue = { answers: [1, 1, 1, 1, 1, 1, 1, null, null] };
    expect(issues(t, { phq: partial }, false)).toEqual({});
    expect(issues(t, { ...signed, phq: partial }, true)).toEqual({ phq: 'PHQ-9: answer all 9 PHQ-9 items to sign (7 answered)' });
    expect(issues(t, { ...signed, phq: { answers: Array<null>(9).fill(null) } }, true)).toEqual({ phq: 'PHQ-9 is required to sign the note' });
    expect(renderNoteText(t, { phq: partial }).sections[0]!.lines).toEqual(['PHQ-9: incomplete, 7 of 9 items answered (not scored)']);
  });
});

describe('ROS rendering', () => {
  const t = miniTemplate();
  const rosLine = (ros: unknown): string[] => renderNoteText(t, { ros }).sections.flatMap((s) => s.lines);

  it('"all others negative" reads every not-reviewed system as negative', () => {
    expect(
      rosLine({
        allOthersNegative: true,
        systems: {
          constitutional: { status: 'negative' },
          cardiovascular: { status: 'positive', text: 'chest pain on exertion' },
          skin: { status: 'not_reviewed' },
        },
      }),
    ).toEqual(['ROS: Constitutional: negative. Cardiovascular: positive — chest pain on exertion. All other systems negative.']);
  });

  it('without the switch lists only what was reviewed, pertinent negatives included', () => {
    expect(
      rosLine({
        allOthersNegative: false,
        systems: {
          respiratory: { status: 'negative', text: 'no cough\nor wheeze' },
          eyes: { status: 'not_reviewed' },
          constitutional: { status: 'positive', text: 'fever to 38.5' },
        },
      }),
    ).toEqual(['ROS: Constitutional: positive — fever to 38.5. Respiratory: negative — no cough or wheeze.']);
  });

  it('says nothing when nothing was reviewed, and needs no "others" sentence when every system was answered', () => {
    expect(rosLine({ allOthersNegative: false, systems: { eyes: { status: 'not_reviewed' } } })).toEqual([]);
    const t2 = miniTemplate([{ id: 'ros2', kind: 'ros', label: 'Focused ROS', systems: ['respiratory'] }]);
    const lines = renderNoteText(t2, { ros2: { allOthersNegative: true, systems: { respiratory: { status: 'negative' } } } }).sections[0]!.lines;
    expect(lines).toEqual(['Focused ROS: Respiratory: negative.']);
  });
});

describe('rendering guards', () => {
  it('refuses content that does not fit the template', () => {
    expect(() => renderNoteText(miniTemplate(), { 'heart-rate': 999 })).toThrow(/does not fit template "mini" version 1[\s\S]*Heart rate must be between/);
  });
});

describe('canonical content', () => {
  it('is independent of key order at every depth', () => {
    const a = { b: 1, a: { z: [3, { y: 'x', x: true }], c: null }, ros: { systems: { eyes: { text: 'ok', status: 'negative' } }, allOthersNegative: false } };
    const b = { ros: { allOthersNegative: false, systems: { eyes: { status: 'negative', text: 'ok' } } }, a: { c: null, z: [3, { x: true, y: 'x' }] }, b: 1 };
    expect(canonicalContent(a)).toBe(canonicalContent(b));
    expect(canonicalContent(a)).toBe(
      '{"a":{"c":null,"z":[3,{"x":true,"y":"x"}]},"b":1,"ros":{"allOthersNegative":false,"systems":{"eyes":{"status":"negative","text":"ok"}}}}',
    );
  });

  it('keeps array order, drops undefined keys as JSON does, and refuses non-JSON values', () => {
    expect(canonicalContent([2, 1])).not.toBe(canonicalContent([1, 2]));
    expect(canonicalContent({ a: 1, b: undefined })).toBe(canonicalContent(JSON.parse('{"a":1}')));
    expect(canonicalContent({ s: 'é "q"\n' })).toBe('{"s":"é \\"q\\"\\n"}');
    expect(() => canonicalContent({ n: Number.NaN })).toThrow('$.n is NaN');
    expect(() => canonicalContent({ d: new Date(0) })).toThrow('$.d is not a plain object');
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(() => canonicalContent(loop)).toThrow('refers back to itself');
  });
});
