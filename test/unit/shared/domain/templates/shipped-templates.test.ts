import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noteTemplate, renderNoteText, templateFields, type NoteContent } from '../../../../../shared/domain/templates';
import { DIR, issues, load, sampleValue, SHIPPED } from './templates.helpers';

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
