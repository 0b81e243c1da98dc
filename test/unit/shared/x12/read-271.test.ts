import { describe, expect, it } from 'vitest';
import { type Eligibility271, readX12 } from '../../../../shared/x12';
import { wrap, x12Fixture } from './fixtures';

function read271(text: string): Eligibility271 {
  const r = readX12(text);
  if (!r.ok) throw new Error(r.error.message);
  if (r.value.transaction !== '271') throw new Error(`read a ${r.value.transaction}`);
  return r.value;
}

const HEAD = [
  'BHT*0022*11*REF1*20240102*0930',
  'HL*1**20*1',
  'NM1*PR*2*ACME HEALTH*****PI*ACME1',
  'HL*2*1*21*1',
  'NM1*1P*2*SMALL CLINIC*****XX*1234567893',
  'HL*3*2*22*0',
  'TRN*2*T1*9123456789',
  'NM1*IL*1*DOE*JANE****MI*M123',
  'REF*6P*G77*ACME GOLD PPO',
  'DMG*D8*19800101*F',
];
/** EB with elements by position (1-based), the rest empty. */
const eb = (els: Record<number, string>): string => ['EB', ...Array.from({ length: 12 }, (_, k) => els[k + 1] ?? '')].join('*').replace(/\*+$/, '');
const file = (body: string[]): string => wrap('271', [...HEAD, ...body], { version: '005010X279A1', functionalId: 'HB' });

describe('subscriber-health-benefit-check.271', () => {
  const r = read271(x12Fixture('subscriber-health-benefit-check.271'));

  it('reads payer, subscriber and reference', () => {
    expect(r).toMatchObject({ transaction: '271', transactionControl: '4321', reference: '10001234', rejections: [] });
    expect(r.payer).toEqual({ name: 'ABC COMPANY', id: '841610001' });
    expect(r.subscriber).toEqual({ memberId: '123456789', person: { lastName: 'SMITH', firstName: 'JOHN' } });
  });

  it('reads every EB benefit; the provider inside LS … LE is not the subscriber', () => {
    const types = ['1', '33', '35', '47', '86', '88', '98', 'AL', 'MH', 'UC'];
    expect(r.benefits).toEqual([
      { info: '1', serviceTypes: ['30'], planDescription: 'GOLD 123 PLAN', messages: [] },
      { info: 'L', serviceTypes: [], messages: [] },
      { info: '1', serviceTypes: types, messages: [] },
      { info: 'B', serviceTypes: types, insuranceType: 'HM', planDescription: 'GOLD 123 PLAN', period: '27', amountCents: 1000, inNetwork: 'Y', messages: [] },
      { info: 'B', serviceTypes: types, insuranceType: 'HM', planDescription: 'GOLD 123 PLAN', period: '27', amountCents: 3000, inNetwork: 'N', messages: [] },
    ]);
  });

  it('summary: active, the plan, the in-network copay of 10.00', () => {
    expect(r.summary).toEqual({ active: true, planName: 'GOLD 123 PLAN', copayCents: 1000 });
  });
});

describe('271 summary rules', () => {
  it('coinsurance from EB08, deductible for the calendar year (23) and remaining (29), in-network individual preferred', () => {
    const r = read271(
      file([
        eb({ 1: '1', 3: '30', 4: 'PR', 5: 'ACME GOLD PPO' }),
        eb({ 1: 'A', 2: 'IND', 3: '30', 8: '.4', 12: 'N' }),
        eb({ 1: 'A', 2: 'IND', 3: '30', 8: '.2', 12: 'Y' }),
        eb({ 1: 'C', 2: 'FAM', 3: '30', 6: '23', 7: '3000', 12: 'Y' }),
        eb({ 1: 'C', 2: 'IND', 3: '30', 6: '23', 7: '1500', 12: 'Y' }),
        eb({ 1: 'C', 2: 'IND', 3: '30', 6: '29', 7: '1200.5', 12: 'Y' }),
        eb({ 1: 'B', 2: 'IND', 3: '98', 6: '27', 7: '25', 12: 'Y' }),
        'MSG*COPAY APPLIES TO OFFICE VISITS',
      ]),
    );
    expect(r.subscriber).toEqual({ memberId: 'M123', person: { lastName: 'DOE', firstName: 'JANE' }, groupNumber: 'G77', planName: 'ACME GOLD PPO' });
    expect(r.summary).toEqual({
      active: true,
      planName: 'ACME GOLD PPO',
      copayCents: 2500,
      coinsurancePercent: 20,
      deductibleCents: 150000,
      deductibleRemainingCents: 120050,
    });
    expect(r.benefits.at(-1)!.messages).toEqual(['COPAY APPLIES TO OFFICE VISITS']);
  });

  it('inactive coverage (EB01 6) and the plan from 2100C when no EB names one', () => {
    const r = read271(file([eb({ 1: '6', 3: '30' })]));
    expect(r.summary).toEqual({ active: false, planName: 'ACME GOLD PPO' });
  });

  it('the plan-wide answer wins over a per-service one', () => {
    const r = read271(file([eb({ 1: '6', 3: 'MH' }), eb({ 1: '1', 3: '30' })]));
    expect(r.summary.active).toBe(true);
  });

  it('a rejection (AAA) leaves the answer unknown', () => {
    const r = read271(file(['AAA*N**72*C']));
    expect(r.rejections).toEqual([{ code: '72', followUp: 'C' }]);
    expect(r.summary.active).toBeNull();
  });

  it('bad EB values are errors naming the segment', () => {
    const bad = readX12(file([eb({ 1: 'A', 3: '30', 8: 'twenty' })]));
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'content',
        segmentId: 'EB',
        segmentIndex: 14,
        message: expect.stringMatching(/^EB segment 14: EB08 "twenty" is not a percent/) as unknown,
      },
    });
    const amount = readX12(file([eb({ 1: 'B', 3: '30', 7: '1O' })]));
    expect(amount).toMatchObject({ ok: false, error: { message: 'EB segment 14: EB07 "1O" is not an amount in dollars (e.g. "125.50")' } });
  });
});
