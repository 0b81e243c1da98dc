import { describe, expect, it } from 'vitest';
import { checkBalance, type Remittance835, type RemittanceClaim, readX12 } from '../../../../shared/x12';
import { x12Fixture } from './fixtures';

function read835(text: string): Remittance835 {
  const r = readX12(text);
  if (!r.ok) throw new Error(r.error.message);
  if (r.value.transaction !== '835') throw new Error(`read a ${r.value.transaction}`);
  return r.value;
}

/** Each claim's charge is explained by its payment and its claim- and line-level adjustments. */
function explained(c: RemittanceClaim): number {
  const sum = (xs: { amountCents: number }[]): number => xs.reduce((n, a) => n + a.amountCents, 0);
  return c.paidCents + sum(c.adjustments) + c.lines.reduce((n, l) => n + sum(l.adjustments), 0);
}

/** Inserts segments before SE and fixes SE01 by hand. */
function withSegments(text: string, extra: string[]): string {
  const m = /SE\*(\d+)\*/.exec(text)!;
  return text.replace(m[0], `${extra.map((s) => `${s}~\n`).join('')}SE*${Number(m[1]) + extra.length}*`);
}

describe('managed-care.835', () => {
  const text = x12Fixture('managed-care.835');
  const r = read835(text);

  it('reads the payment, payer and payee', () => {
    expect(r).toMatchObject({
      transaction: '835',
      interchangeControl: '000000907',
      groupControl: '1',
      transactionControl: '112233',
      paymentCents: 94500,
      method: 'ACH',
      traceNumber: '7170066655',
      payer: { name: 'RUSHMORE LIFE' },
      payee: { name: 'ACME MEDICAL CENTER', npi: '5544667733' },
      providerAdjustments: [],
    });
  });

  it('BPR16 "20002316" is no date: the production date is used, with a warning naming BPR', () => {
    expect(r.paymentDate).toBe('2002-03-14');
    expect(r.warnings).toEqual(['BPR segment 4: BPR16 "20002316" is not a date; the production date (DTM*405) 2002-03-14 is used instead']);
  });

  it('reads both claims with their adjustments and service lines, in cents', () => {
    expect(r.claims).toEqual([
      {
        patientControlNumber: '5554555444',
        status: '1',
        chargeCents: 80000,
        paidCents: 45000,
        patientResponsibilityCents: 30000,
        payerClaimNumber: '94060555410000',
        adjustments: [{ group: 'CO', reason: 'A2', amountCents: 5000 }],
        remarks: [],
        patientName: { lastName: 'BUDD', firstName: 'WILLIAM' },
        lines: [
          {
            procedureCode: '99211',
            modifiers: [],
            chargeCents: 80000,
            paidCents: 50000,
            units: 1,
            serviceDate: '2002-03-01',
            adjustments: [{ group: 'PR', reason: '1', amountCents: 30000 }],
            remarks: [],
          },
        ],
      },
      {
        patientControlNumber: '8765432112',
        status: '1',
        chargeCents: 120000,
        paidCents: 49500,
        patientResponsibilityCents: 60000,
        payerClaimNumber: '94077799230000',
        adjustments: [{ group: 'CO', reason: 'A2', amountCents: 5500 }],
        remarks: [],
        patientName: { lastName: 'SETTLE', firstName: 'SUSAN' },
        lines: [
          {
            procedureCode: '93555',
            modifiers: [],
            chargeCents: 120000,
            paidCents: 55000,
            units: 1,
            serviceDate: '2002-03-10',
            adjustments: [
              { group: 'PR', reason: '1', amountCents: 60000 },
              { group: 'CO', reason: '45', amountCents: 5000 },
            ],
            remarks: [],
          },
        ],
      },
    ]);
    // 800.00 = 450.00 paid + 50.00 CO + 300.00 PR; 1200.00 = 495.00 + 55.00 + 600.00 + 50.00.
    for (const c of r.claims) expect(explained(c)).toBe(c.chargeCents);
  });

  it('balances: 945.00 = 450.00 + 495.00 − no PLB', () => {
    expect(checkBalance(r)).toEqual({ ok: true, value: { claimsPaidCents: 94500, providerAdjustmentsCents: 0 } });
  });

  it('reads PLB pairs (reason "WO:ref" split) and balances with them', () => {
    const plb = 'PLB*5544667733*20021231*WO:ABC123*-25.00*L6*10.5*FB*1';
    const withPlb = withSegments(text.replace('BPR*I*945.00*', 'BPR*I*958.50*'), [plb]);
    const r2 = read835(withPlb);
    expect(r2.providerAdjustments).toEqual([
      { reason: 'WO', reference: 'ABC123', amountCents: -2500 },
      { reason: 'L6', amountCents: 1050 },
      { reason: 'FB', amountCents: 100 },
    ]);
    // 945.00 − (−25.00 + 10.50 + 1.00) = 958.50
    expect(checkBalance(r2)).toEqual({ ok: true, value: { claimsPaidCents: 94500, providerAdjustmentsCents: -1350 } });
  });

  it('an 835 that does not balance is refused, naming BPR', () => {
    const off = read835(text.replace('BPR*I*945.00*', 'BPR*I*945.01*'));
    const b = checkBalance(off);
    expect(b).toEqual({
      ok: false,
      error: {
        code: 'content',
        segmentId: 'BPR',
        message:
          'BPR segment: BPR02 pays 945.01, but the claim payments (CLP04) add up to 945 less provider adjustments (PLB) of 0 = 945; the remittance does not balance and must not be posted',
      },
    });
  });

  it('reads MOA/MIA and LQ*HE remarks', () => {
    const t = text
      .replace('NM1*QC*1*BUDD*WILLIAM****MI*33344555510~', 'NM1*QC*1*BUDD*WILLIAM****MI*33344555510~\nMOA***MA01*N130~')
      .replace('SE*26*', 'SE*27*');
    const t2 = withSegments(t, ['LQ*HE*M86']);
    const r2 = read835(t2);
    expect(r2.claims[0]!.remarks).toEqual(['MA01', 'N130']);
    expect(r2.claims[1]!.lines[0]!.remarks).toEqual(['M86']);
  });
});

describe('cob-contractural-adjustment.835', () => {
  const r = read835(x12Fixture('cob-contractural-adjustment.835'));

  it('reads the secondary payment and its negative adjustment', () => {
    expect(r).toMatchObject({ paymentCents: 3400, method: 'CHK', traceNumber: '0063158ABC', paymentDate: '2005-03-18' });
    expect(r.payer).toEqual({ name: 'YOUR TAX DOLLARS AT WORK' });
    // N1*PE carries a tax id (FI), not an NPI.
    expect(r.payee).toEqual({ name: 'ATONEWITHHEALTH' });
    expect(r.claims).toHaveLength(1);
    const c = r.claims[0]!;
    expect(c).toMatchObject({
      patientControlNumber: '0001000055',
      status: '2',
      chargeCents: 54100,
      paidCents: 3400,
      patientResponsibilityCents: 0,
      payerClaimNumber: '50650619501',
    });
    expect(c.patientName).toEqual({ lastName: 'BURCK', firstName: 'RAYMOND', middleName: 'W' });
    expect(c.lines).toEqual([
      {
        procedureCode: 'HC>55669',
        modifiers: [],
        chargeCents: 54100,
        paidCents: 3400,
        units: 1,
        serviceDate: '2005-02-02',
        adjustments: [
          { group: 'OA', reason: '23', amountCents: 51600 },
          { group: 'OA', reason: '94', amountCents: -900 },
        ],
        remarks: [],
      },
    ]);
    // 541.00 = 34.00 + 516.00 − 9.00
    expect(explained(c)).toBe(54100);
    expect(checkBalance(r)).toEqual({ ok: true, value: { claimsPaidCents: 3400, providerAdjustmentsCents: 0 } });
  });

  it('says what it read leniently: "HC>55669" is not written with ISA16 ":", and the date is not in BPR16', () => {
    expect(r.warnings).toEqual([
      'SVC segment 21: SVC01 "HC>55669" has no component separator ":" (ISA16); read as one procedure code',
      'BPR segment 4: BPR16 is empty; the production date (DTM*405) 2005-03-18 is used instead',
    ]);
  });
});

describe('bad 835 content: an error naming the segment', () => {
  const text = x12Fixture('managed-care.835');
  const fails = (t: string): unknown => {
    const r = readX12(t);
    if (r.ok) throw new Error('expected an error');
    return r.error;
  };

  it('an amount that is not one', () => {
    expect(fails(text.replace('*450.00*300.00*', '*4S0.00*300.00*'))).toEqual({
      code: 'content',
      message: 'CLP segment 13: CLP04 "4S0.00" is not an amount in dollars (e.g. "125.50")',
      segmentIndex: 13,
      segmentId: 'CLP',
    });
  });

  it('an adjustment group that is not one', () => {
    expect(fails(text.replace('CAS*CO*A2*50.00', 'CAS*XX*A2*50.00'))).toMatchObject({
      segmentIndex: 14,
      message: 'CAS segment 14: CAS01 "XX" is not an adjustment group (CO, PR, OA, PI or CR)',
    });
  });

  it('no BPR, no TRN, an empty CLP01, a service line before any claim', () => {
    expect(fails(text.replace(/BPR\*[^~]*/, 'REF*ZZ*1'))).toMatchObject({
      segmentId: 'ST',
      message: 'ST segment 3: the 835 has no BPR segment, which states the payment',
    });
    expect(fails(text.replace('TRN*1*', 'TRN*3*'))).toMatchObject({ segmentId: 'ST', message: expect.stringMatching(/no TRN\*1/) as unknown });
    expect(fails(text.replace('CLP*5554555444*', 'CLP**'))).toMatchObject({
      segmentIndex: 13,
      message: 'CLP segment 13: CLP01 (the patient control number) is empty',
    });
    expect(fails(text.replace('LX*1~', 'SVC*HC:99211*1*1~'))).toMatchObject({
      segmentIndex: 12,
      message: 'SVC segment 12: SVC comes before any claim payment (CLP)',
    });
  });
});
