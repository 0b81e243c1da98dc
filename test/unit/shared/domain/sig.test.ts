import { describe, expect, it } from 'vitest';
import {
  convertMass,
  doseInStrengthUnit,
  dosesPerDay,
  FREQUENCIES,
  FREQUENCY_CODES,
  type Frequency,
  formatAmount,
  type Sig,
  sig,
  type SigInput,
  sigDirections,
  sigText,
} from '../../../../shared/domain/sig';

const base: SigInput = {
  doseAmount: 1,
  doseUnit: 'tablet',
  route: 'oral',
  frequency: 'tid',
  prn: false,
  durationDays: 10,
  quantity: 30,
  quantityUnit: 'tablet',
  refills: 0,
  indication: 'otitis media',
};
const make = (over: Partial<SigInput> = {}): Sig => sig.parse({ ...base, ...over });
const tab500 = { value: 500, unit: 'mg' as const };

describe('frequencies', () => {
  it.each<[Frequency, number | null]>([
    ['once', 1],
    ['qd', 1],
    ['qam', 1],
    ['qhs', 1],
    ['bid', 2],
    ['tid', 3],
    ['qid', 4],
    ['q2h', 12],
    ['q3h', 8],
    ['q4h', 6],
    ['q6h', 4],
    ['q8h', 3],
    ['q12h', 2],
    ['qod', 1],
    ['qweek', 1],
    ['qmonth', 1],
    ['prn-only', null],
  ])('%s → %s a day', (frequency, perDay) => {
    expect(dosesPerDay({ frequency })).toBe(perDay);
  });

  it('every code has a label and is in the table (no code without a daily count decision)', () => {
    expect(Object.keys(FREQUENCIES).sort()).toEqual([...FREQUENCY_CODES].sort());
    for (const code of FREQUENCY_CODES) expect(FREQUENCIES[code].label.length).toBeGreaterThan(0);
  });

  it('a PRN order counts every permitted dose: q4h prn is 6 a day', () => {
    expect(dosesPerDay(make({ frequency: 'q4h', prn: true, prnReason: 'pain' }))).toBe(6);
  });

  it('interval codes agree with 24 / hours', () => {
    for (const [code, hours] of [
      ['q2h', 2],
      ['q3h', 3],
      ['q4h', 4],
      ['q6h', 6],
      ['q8h', 8],
      ['q12h', 12],
    ] as const) {
      expect(FREQUENCIES[code].perDay).toBe(24 / hours);
    }
  });
});

describe('sig schema', () => {
  it('accepts the usual prescription and defaults prn to false', () => {
    const noPrn: SigInput = { ...base };
    delete noPrn.prn;
    expect(sig.parse(noPrn).prn).toBe(false);
  });

  it.each<[string, Partial<SigInput>]>([
    ['zero dose', { doseAmount: 0 }],
    ['negative quantity', { quantity: -1 }],
    ['12 refills', { refills: 12 }],
    ['fractional refills', { refills: 1.5 }],
    ['unknown frequency', { frequency: 'q5h' as Frequency }],
    ['unknown unit', { doseUnit: 'spoon' as 'mg' }],
    ['"as needed" without prn', { frequency: 'prn-only', prn: false }],
    ['a PRN reason on a scheduled order', { prnReason: 'pain' }],
    ['zero-day duration', { durationDays: 0 }],
  ])('rejects %s', (_label, over) => {
    expect(sig.safeParse({ ...base, ...over }).success).toBe(false);
  });

  it('11 refills is the legal maximum and is accepted; blank optional text becomes absent', () => {
    const s = make({ refills: 11, indication: '  ', instructions: '' });
    expect(s.refills).toBe(11);
    expect(s.indication).toBeUndefined();
    expect(s.instructions).toBeUndefined();
  });
});

describe('sigText', () => {
  it('reads like the label the pharmacy prints', () => {
    expect(sigDirections(make(), tab500)).toBe(
      'Take 1 tablet (500 mg) by mouth three times daily for 10 days. Quantity 30 tablets, 0 refills. For: otitis media',
    );
  });

  it('prefixes the drug name for lists and notes', () => {
    expect(sigText(make(), 'amoxicillin 500 MG Oral Tablet', tab500)).toBe(
      'amoxicillin 500 MG Oral Tablet: Take 1 tablet (500 mg) by mouth three times daily for 10 days. Quantity 30 tablets, 0 refills. For: otitis media',
    );
  });

  it('omits the bracketed amount without a strength, and when the dose is already in mg', () => {
    expect(sigDirections(make())).toBe('Take 1 tablet by mouth three times daily for 10 days. Quantity 30 tablets, 0 refills. For: otitis media');
    expect(sigDirections(make({ doseAmount: 500, doseUnit: 'mg' }), tab500)).toMatch(/^Take 500 mg by mouth three times daily/);
  });

  it('PRN with an interval and a reason, one refill, no duration, extra instructions', () => {
    const s = make({
      doseAmount: 2,
      frequency: 'q6h',
      prn: true,
      prnReason: 'pain',
      durationDays: undefined,
      quantity: 40,
      refills: 1,
      indication: undefined,
      instructions: 'Take with food',
    });
    expect(sigDirections(s, { value: 325, unit: 'mg' })).toBe(
      'Take 2 tablets (650 mg) by mouth every 6 hours as needed for pain. Take with food. Quantity 40 tablets, 1 refill.',
    );
  });

  it('"as needed" alone is not doubled', () => {
    const s = make({
      frequency: 'prn-only',
      prn: true,
      prnReason: 'wheeze',
      doseAmount: 2,
      doseUnit: 'puff',
      route: 'inhalation',
      quantity: 1,
      quantityUnit: 'puff',
      durationDays: undefined,
      indication: undefined,
    });
    expect(sigDirections(s)).toBe('Inhale 2 puffs by mouth as needed for wheeze. Quantity 1 puff, 0 refills.');
  });

  it('liquid: mL converted through a per-5-mL strength; one day is singular', () => {
    const s = make({ doseAmount: 10, doseUnit: 'mL', quantity: 100, quantityUnit: 'mL', durationDays: 1, frequency: 'bid', indication: undefined });
    expect(sigDirections(s, { value: 250, unit: 'mg', per: '5 mL' })).toBe('Take 10 mL (500 mg) by mouth twice daily for 1 day. Quantity 100 mL, 0 refills.');
  });

  it('route verbs and ISMP number style (leading zero, commas, no trailing zero)', () => {
    expect(sigDirections(make({ doseAmount: 0.5, route: 'sublingual', frequency: 'once', durationDays: undefined, indication: undefined }))).toBe(
      'Place 0.5 tablet under the tongue once. Quantity 30 tablets, 0 refills.',
    );
    expect(
      sigDirections(
        make({
          doseAmount: 5000,
          doseUnit: 'unit',
          route: 'subcutaneous',
          frequency: 'q12h',
          durationDays: undefined,
          indication: undefined,
          quantity: 1,
          quantityUnit: 'mL',
        }),
      ),
    ).toBe('Inject 5,000 units under the skin every 12 hours. Quantity 1 mL, 0 refills.');
    expect(
      sigDirections(
        make({ doseUnit: 'patch', quantityUnit: 'patch', route: 'transdermal', frequency: 'qweek', quantity: 4, durationDays: 28, indication: undefined }),
      ),
    ).toBe('Apply 1 patch to the skin once weekly for 28 days. Quantity 4 patches, 0 refills.');
  });
});

describe('unit helpers', () => {
  it('converts mass units and refuses the rest', () => {
    expect(convertMass(1, 'g', 'mg')).toBe(1000);
    expect(convertMass(500, 'mcg', 'mg')).toBe(0.5);
    expect(convertMass(2, 'tablet', 'mg')).toBeNull();
    expect(formatAmount(1, 'capsule')).toBe('1 capsule');
  });

  it('dose in strength units: tablets × strength; mL through `per`; a mismatched per is unknown', () => {
    expect(doseInStrengthUnit(2, 'tablet', tab500)).toEqual({ amount: 1000, unit: 'mg' });
    expect(doseInStrengthUnit(7.5, 'mL', { value: 400, unit: 'mg', per: '5 mL' })).toEqual({ amount: 600, unit: 'mg' });
    expect(doseInStrengthUnit(2, 'tablet', { value: 400, unit: 'mg', per: '5 mL' })).toBeNull();
    expect(doseInStrengthUnit(2, 'mL', tab500)).toBeNull();
    expect(doseInStrengthUnit(2, 'tablet', null)).toBeNull();
  });
});
