import { describe, expect, it } from 'vitest';
import { readX12, readX12All } from '../../../../shared/x12';
import { wrap, x12Fixture } from './fixtures';

describe('readX12 dispatches by ST01', () => {
  it.each([
    ['managed-care.835', '835'],
    ['cob-contractural-adjustment.835', '835'],
    ['subscriber-health-benefit-check.271', '271'],
    ['claim-level-status.277', '277'],
  ])('%s reads as a %s', (name, transaction) => {
    const r = readX12(x12Fixture(name));
    expect(r.ok && r.value.transaction).toBe(transaction);
  });

  it('an unknown ST01 is unsupported, naming ST and the set', () => {
    expect(readX12(wrap('850', ['BEG*00*SA*PO1**20240101']))).toEqual({
      ok: false,
      error: {
        code: 'unsupported',
        segmentId: 'ST',
        segmentIndex: 3,
        message: 'ST segment 3: transaction set "850" is not one Cairn reads (it reads 835, 271, 277, 999)',
      },
    });
  });

  it('claims and inquiries (837, 270, 276) are written by Cairn, not read: unsupported too', () => {
    for (const name of ['demo.example1.837', 'subscriber-health-benefit-check.270', 'claim-level-status.276']) {
      expect(readX12(x12Fixture(name))).toMatchObject({ ok: false, error: { code: 'unsupported', segmentId: 'ST' } });
    }
  });

  it('a file with several sets: readX12 points to readX12All, which reads each', () => {
    const one = x12Fixture('managed-care.835').trimEnd().split('\n');
    // Two ST … SE sets in one group: GE01 becomes 2.
    const st = one.findIndex((l) => l.startsWith('ST*'));
    const se = one.findIndex((l) => l.startsWith('SE*'));
    const second = one.slice(st, se + 1).map((l) => l.replace('112233', '112234'));
    const two = [...one.slice(0, se + 1), ...second, 'GE*2*1~', one.at(-1)!].join('\n');
    expect(readX12(two)).toMatchObject({
      ok: false,
      error: { code: 'unsupported', message: 'ST segment 3: the file holds 2 transaction sets; read it with readX12All' },
    });
    const all = readX12All(two);
    expect(all.ok && all.value.map((p) => [p.transaction, p.transactionControl])).toEqual([
      ['835', '112233'],
      ['835', '112234'],
    ]);
  });

  it('envelope errors come through readX12 unchanged', () => {
    const r = readX12(x12Fixture('managed-care.835').replace('SE*26*', 'SE*12*'));
    expect(r).toMatchObject({ ok: false, error: { code: 'count', message: 'SE segment 28: says 12 segments, the transaction set has 26' } });
  });
});

describe('readX12 on an interchange without sets', () => {
  it('names the missing ST', () => {
    const isa = 'ISA*00*          *00*          *ZZ*S              *ZZ*R              *240101*1200*^*00501*000000001*0*T*:~';
    expect(readX12(`${isa}GS*HP*S*R*20240101*1200*1*X*005010X221A1~GE*0*1~IEA*1*000000001~`)).toEqual({
      ok: false,
      error: { code: 'envelope', segmentId: 'ST', message: 'ST segment missing: the interchange holds no transaction set (ST … SE)' },
    });
  });
});
