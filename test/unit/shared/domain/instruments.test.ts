import { describe, expect, it } from 'vitest';
import {
  FREQUENCY_OPTIONS,
  GAD7,
  INSTRUMENTS,
  PHQ9,
  PHQ9_ITEM9_FLAG,
  scoreInstrument,
  type InstrumentAnswer,
  type InstrumentId,
} from '../../../../shared/domain/instruments';

/** Answers adding up to `total`, filled from item 1 (so PHQ-9 item 9 stays 0 unless the total needs it). */
function answersFor(total: number, items: number): InstrumentAnswer[] {
  let left = total;
  return Array.from({ length: items }, () => {
    const a = Math.min(3, left) as InstrumentAnswer;
    left -= a;
    return a;
  });
}

describe('instrument definitions', () => {
  it('carry the published items, options and a citation', () => {
    expect(PHQ9.items).toHaveLength(9);
    expect(GAD7.items).toHaveLength(7);
    expect(PHQ9.items[8]).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
    expect(GAD7.items[0]).toBe('Feeling nervous, anxious, or on edge');
    expect(FREQUENCY_OPTIONS.map((o) => o.label)).toEqual(['Not at all', 'Several days', 'More than half the days', 'Nearly every day']);
    expect(FREQUENCY_OPTIONS.map((o) => o.value)).toEqual([0, 1, 2, 3]);
    expect(PHQ9.citation).toMatch(/Kroenke.*2001/);
    expect(GAD7.citation).toMatch(/Spitzer.*2006/);
  });

  it('have contiguous severity bands covering 0 to the maximum score', () => {
    for (const def of Object.values(INSTRUMENTS)) {
      expect(def.maxScore).toBe(def.items.length * 3);
      expect(def.bands[0]?.min).toBe(0);
      expect(def.bands[def.bands.length - 1]?.max).toBe(def.maxScore);
      def.bands.slice(1).forEach((b, i) => expect(b.min).toBe(def.bands[i]!.max + 1));
    }
  });
});

describe('PHQ-9 scoring', () => {
  const cases: [number, string][] = [
    [0, 'none-minimal'],
    [4, 'none-minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately severe'],
    [19, 'moderately severe'],
    [20, 'severe'],
    [27, 'severe'],
  ];
  it.each(cases)('scores %i as %s', (total, severity) => {
    const r = scoreInstrument('phq9', answersFor(total, 9));
    expect(r).toMatchObject({ score: total, severity, complete: true });
  });

  it('flags item 9 above 0, even when the total is minimal', () => {
    const answers: InstrumentAnswer[] = [0, 0, 0, 0, 0, 0, 0, 0, 1];
    expect(scoreInstrument('phq9', answers)).toEqual({ score: 1, severity: 'none-minimal', complete: true, flags: [PHQ9_ITEM9_FLAG] });
    expect(PHQ9_ITEM9_FLAG).toBe('Item 9 positive: assess suicide risk today');
    expect(scoreInstrument('phq9', answersFor(19, 9)).flags).toEqual([]);
    expect(scoreInstrument('phq9', answersFor(27, 9)).flags).toEqual([PHQ9_ITEM9_FLAG]);
  });

  it('does not score missing items as 0', () => {
    const answers: (InstrumentAnswer | null)[] = [3, 3, 3, 3, 3, 3, 3, 3, null];
    expect(scoreInstrument('phq9', answers)).toEqual({ score: null, severity: null, complete: false, flags: [] });
    expect(scoreInstrument('phq9', [1, 1]).complete).toBe(false);
    expect(scoreInstrument('phq9', []).score).toBeNull();
  });

  it('raises the item 9 flag from an incomplete questionnaire', () => {
    const answers: (InstrumentAnswer | null)[] = [null, null, null, null, null, null, null, null, 2];
    expect(scoreInstrument('phq9', answers)).toEqual({ score: null, severity: null, complete: false, flags: [PHQ9_ITEM9_FLAG] });
  });
});

describe('GAD-7 scoring', () => {
  const cases: [number, string][] = [
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ];
  it.each(cases)('scores %i as %s', (total, severity) => {
    expect(scoreInstrument('gad7', answersFor(total, 7))).toEqual({ score: total, severity, complete: true, flags: [] });
  });

  it('is incomplete while any item is unanswered', () => {
    expect(scoreInstrument('gad7', [0, 1, 2, 3, null, 0, 0])).toEqual({ score: null, severity: null, complete: false, flags: [] });
  });
});

describe('scoring guards', () => {
  it('refuses more answers than items, and values outside 0–3', () => {
    expect(() => scoreInstrument('gad7', answersFor(0, 9))).toThrow('GAD-7 has 7 items; got 9 answers');
    const bad = [0, 0, 4, 0, 0, 0, 0] as unknown as InstrumentAnswer[];
    expect(() => scoreInstrument('gad7', bad)).toThrow('GAD-7 item 3: answer must be 0, 1, 2 or 3 (got 4)');
    expect(() => scoreInstrument('nope' as InstrumentId, [])).toThrow('unknown instrument "nope": use one of phq9, gad7');
  });
});
