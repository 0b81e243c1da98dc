import { describe, expect, it } from 'vitest';
import { type X12EligibilityInquiry, build270, readInterchange } from '../../../../shared/x12';
import { inquiry } from './claim-data';
import { type NxSegment, nodeX12 } from './node-x12';
import { x12Fixture } from './fixtures';

function build(q: X12EligibilityInquiry): string {
  const r = build270(q);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** node-x12's view of the one set: version, counts and the HL tree (20 → 21 → 22 → 23). */
function checkWithNodeX12(text: string): NxSegment[] {
  const nx = nodeX12(text);
  expect(nx.gs[0]).toBe('HS');
  expect(nx.gs[7]).toBe('005010X279A1');
  expect(nx.sets).toHaveLength(1);
  const set = nx.sets[0]!;
  expect(set[0]!.values).toEqual(['270', '0001', '005010X279A1']);
  expect(set.at(-1)!.values[0]).toBe(String(set.length));
  const hls = set.filter((s) => s.tag === 'HL').map((s) => s.values);
  const levels = ['20', '21', '22', '23'];
  hls.forEach((hl, i) => {
    expect(hl[0]).toBe(String(i + 1));
    expect(hl[1] ?? '').toBe(i === 0 ? '' : String(i));
    expect(hl[2]).toBe(levels[i]);
    expect(hl[3]).toBe(i === hls.length - 1 ? '0' : '1');
  });
  return set;
}

const tags = (set: NxSegment[]): string[] => set.map((s) => [s.tag, ...s.values].join('*').replace(/\*+$/, ''));

describe('270 for a subscriber', () => {
  it('writes 2000A payer, 2000B provider, 2000C subscriber with TRN, REF*6P, DMG, DTP*291 and EQ', () => {
    const text = build(inquiry());
    const set = checkWithNodeX12(text);
    expect(tags(set)).toEqual([
      'ST*270*0001*005010X279A1',
      'BHT*0022*13*ELIG-0001*20240305*1407',
      'HL*1**20*1',
      'NM1*PR*2*ACME HEALTH*****PI*ACME1',
      'HL*2*1*21*1',
      'NM1*1P*2*SMALL CLINIC*****XX*1234567893',
      'HL*3*2*22*0',
      'TRN*1*ELIG-0001*1123456789',
      'NM1*IL*1*DOE*JANE****MI*M123456',
      'REF*6P*G77',
      'DMG*D8*19800131*F',
      'DTP*291*D8*20240305',
      'EQ*30',
      'SE*14*0001',
    ]);
  });

  it('has the shape of the public subscriber sample (same segments in the same order)', () => {
    const ours = checkWithNodeX12(build(inquiry({ serviceTypes: ['30'], subscriber: { ...inquiry().subscriber, groupNumber: undefined } }))).map((s) => s.tag);
    const sample = nodeX12(x12Fixture('subscriber-health-benefit-check.270')).sets[0]!.map((s) => s.tag);
    expect(ours).toEqual(sample);
  });

  it('asks about several service types, one EQ each; TRN03 falls back to "9" + NPI digits without an EIN', () => {
    const text = build(inquiry({ serviceTypes: ['30', '98', 'MH'], provider: { name: 'SMALL CLINIC', npi: '1234567893' } }));
    const set = tags(checkWithNodeX12(text));
    expect(set.filter((s) => s.startsWith('EQ'))).toEqual(['EQ*30', 'EQ*98', 'EQ*MH']);
    expect(set).toContain('TRN*1*ELIG-0001*9123456789');
  });
});

describe('270 for a dependent', () => {
  const q = inquiry({ dependent: { person: { lastName: 'DOE', firstName: 'MIA' }, birthDate: '2015-09-09', sex: 'F', relationship: '19' } });

  it('moves TRN, DMG, DTP*291 and EQ to 2000D; the subscriber keeps only the name and ids', () => {
    const set = tags(checkWithNodeX12(build(q)));
    expect(set.slice(set.indexOf('HL*3*2*22*1'))).toEqual([
      'HL*3*2*22*1',
      'NM1*IL*1*DOE*JANE****MI*M123456',
      'REF*6P*G77',
      'HL*4*3*23*0',
      'TRN*1*ELIG-0001*1123456789',
      'NM1*03*1*DOE*MIA',
      'DMG*D8*20150909*F',
      'INS*N*19',
      'DTP*291*D8*20240305',
      'EQ*30',
      'SE*17*0001',
    ]);
  });

  it('passes our envelope checks, as the public dependent sample does', () => {
    for (const text of [build(q), x12Fixture('dependent-health-benefit-check.270')]) {
      const r = readInterchange(text);
      expect(r.ok && r.value.sets[0]!.id).toBe('270');
    }
  });
});

describe('bad inquiries', () => {
  it('are error values naming what is wrong', () => {
    expect(build270(inquiry({ serviceDate: '2024-3-5' }))).toMatchObject({
      ok: false,
      error: { message: '2000C subscriber: service date "2024-3-5" is not a date (YYYY-MM-DD)' },
    });
    expect(build270(inquiry({ reference: '' }))).toMatchObject({ ok: false, error: { message: 'BHT03 reference is empty but required' } });
    expect(build270(inquiry({ provider: { name: 'X', npi: '123' } }))).toMatchObject({
      ok: false,
      error: { message: '2000B provider: NM1*1P NPI "123" must be 10 digits' },
    });
    expect(build270(inquiry({ serviceTypes: [] }))).toMatchObject({ ok: false, error: { segmentId: 'EQ' } });
    expect(build270(inquiry({ payer: { name: 'ACME:HEALTH', payerId: 'A1' } }))).toMatchObject({
      ok: false,
      error: { segmentId: 'NM1', message: '2000A payer: NM103 "ACME:HEALTH" contains ":", the component separator; remove it or choose other delimiters' },
    });
  });
});
