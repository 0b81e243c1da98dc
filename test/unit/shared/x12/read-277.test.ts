import { describe, expect, it } from 'vitest';
import { type ClaimStatus277, readX12 } from '../../../../shared/x12';
import { wrap, x12Fixture } from './fixtures';

function read277(text: string): ClaimStatus277 {
  const r = readX12(text);
  if (!r.ok) throw new Error(r.error.message);
  if (r.value.transaction !== '277') throw new Error(`read a ${r.value.transaction}`);
  return r.value;
}

describe('claim-level-status.277', () => {
  it('reads each claim status: category and code, payer claim number, patient account, amounts, date', () => {
    const r = read277(x12Fixture('claim-level-status.277'));
    expect(r.transactionControl).toBe('0001');
    // The third claim's second STC belongs to its service line (after SVC): left out.
    expect(r.claims).toEqual([
      { category: 'P3', statusCode: '317', patientControlNumber: 'SM123456', payerClaimNumber: '05347006051', chargeCents: 851388, date: '2005-09-13' },
      {
        category: 'F0',
        statusCode: '3',
        patientControlNumber: 'J0234567',
        payerClaimNumber: '0529675341',
        chargeCents: 759900,
        paidCents: 759900,
        date: '2005-09-15',
      },
      {
        category: 'F2',
        statusCode: '88',
        patientControlNumber: 'MA345678',
        payerClaimNumber: '051681010827',
        chargeCents: 15000,
        paidCents: 0,
        date: '2005-06-12',
      },
    ]);
  });
});

describe('277CA (005010X214)', () => {
  const body = [
    'BHT*0085*08*BATCH1*20240103*1200*TH',
    'HL*1**20*1',
    'NM1*PR*2*ACME HEALTH*****PI*ACME1',
    'HL*2*1*21*1',
    'NM1*41*2*SMALL CLINIC*****46*SUB1',
    'TRN*2*000000042',
    'STC*A1:19:PR*20240103*WQ*300',
    'HL*3*2*19*1',
    'NM1*85*2*SMALL CLINIC*****XX*1234567893',
    'HL*4*3*22*0',
    'NM1*QC*1*DOE*JANE****MI*M123',
    'TRN*2*C-1001',
    'STC*A3:21:PR*20240103*U*150*****A3:116',
    'REF*1K*PAYER-9',
    'DTP*472*D8*20240101',
  ];

  it('reads the claim: TRN02 echoes CLM01; batch-level STCs are not claims', () => {
    const r = read277(wrap('277', body, { version: '005010X214', functionalId: 'HN' }));
    expect(r.claims).toEqual([
      { category: 'A3', statusCode: '21', patientControlNumber: 'C-1001', payerClaimNumber: 'PAYER-9', chargeCents: 15000, date: '2024-01-03' },
    ]);
  });

  it('an STC without a category is an error naming it', () => {
    const bad = body.map((s) => s.replace('STC*A3:21:PR', 'STC*:21'));
    const r = readX12(wrap('277', bad, { version: '005010X214', functionalId: 'HN' }));
    expect(r).toMatchObject({
      ok: false,
      error: { segmentId: 'STC', segmentIndex: 16, message: 'STC segment 16: STC01 has no status category (e.g. "A1:20")' },
    });
  });
});
