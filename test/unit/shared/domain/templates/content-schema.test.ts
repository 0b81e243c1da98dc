import { describe, expect, it } from 'vitest';
import { renderNoteText, type InstrumentValue } from '../../../../../shared/domain/templates';
import { issues, miniTemplate } from './templates.helpers';

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
