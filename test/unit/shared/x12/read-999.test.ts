import { describe, expect, it } from 'vitest';
import { readX12 } from '../../../../shared/x12';
import { wrap } from './fixtures';

const ack = (body: string[]): string => wrap('999', body, { version: '005010X231A1', functionalId: 'FA' });

describe('999 acknowledgements', () => {
  it('reads a partly accepted group: the rejected set with its errors as sentences naming segment and position', () => {
    const r = readX12(
      ack([
        'AK1*HC*7*005010X222A1',
        'AK2*837*0001*005010X222A1',
        'IK3*CLM*22*2300*8',
        'IK4*2**5*1234567890123',
        'IK3*NM1*9*2010AA*I6',
        'IK4*9:2*1*I12',
        'IK5*R*5',
        'AK2*837*0002*005010X222A1',
        'IK5*A',
        'AK9*P*2*2*1',
      ]),
    );
    if (!r.ok || r.value.transaction !== '999') throw new Error('expected a 999');
    expect(r.value.groupCode).toBe('P');
    // AK1 names the acknowledged group by its GS06, which is how a batch is found again.
    expect(r.value.acknowledgedGroup).toBe('7');
    expect(r.value.sets).toEqual([
      {
        transaction: '837',
        control: '0001',
        accepted: false,
        code: 'R',
        errors: [
          { segmentId: 'CLM', position: 22, code: '8', message: 'CLM segment at position 22 (loop 2300): the segment has errors in its elements.' },
          {
            segmentId: 'CLM',
            position: 22,
            element: 2,
            code: '5',
            message: 'CLM segment at position 22 (loop 2300), element 2: the value is too long (bad value "1234567890123").',
          },
          {
            segmentId: 'NM1',
            position: 9,
            code: 'I6',
            message: 'NM1 segment at position 9 (loop 2010AA): a segment the guide requires in this situation is missing.',
          },
          {
            segmentId: 'NM1',
            position: 9,
            element: 9,
            code: 'I12',
            message: 'NM1 segment at position 9 (loop 2010AA), element 9 component 2: the value does not match the pattern the guide requires.',
          },
          { segmentId: 'ST', position: 1, code: '5', message: 'ST segment at position 1 of transaction set 837 0001: one or more segments are in error.' },
        ],
      },
      { transaction: '837', control: '0002', accepted: true, code: 'A', errors: [] },
    ]);
  });

  it('E (accepted with errors) counts as accepted; an unknown code is still a sentence', () => {
    const r = readX12(ack(['AK1*HC*7', 'AK2*837*0003', 'IK3*SV1*40*2400*Z9', 'IK5*E', 'AK9*E*1*1*1']));
    expect(r.ok && r.value.transaction === '999' && r.value.sets[0]).toMatchObject({
      accepted: true,
      errors: [{ message: 'SV1 segment at position 40 (loop 2400): error code Z9.' }],
    });
  });

  it('errors outside an AK2, or a 999 without AK9, name the segment', () => {
    expect(readX12(ack(['AK1*HC*7', 'IK3*CLM*22*2300*8', 'AK9*R*1*1*0']))).toMatchObject({
      ok: false,
      error: { segmentId: 'IK3', segmentIndex: 5, message: 'IK3 segment 5: IK3 comes before any AK2 (the transaction set it is about)' },
    });
    expect(readX12(ack(['AK1*HC*7', 'AK2*837*0001', 'IK5*A']))).toMatchObject({
      ok: false,
      error: { segmentId: 'SE', message: expect.stringMatching(/^SE segment 7: the 999 has no AK9/) as unknown },
    });
  });
});
