import type { X12ClaimBatch, X12ClaimBill, X12EligibilityInquiry, X12ServiceLine } from '../../../../shared/x12';

/** Synthetic claims for the builder tests: made-up people, NPIs and payers. */

export const CREATED = new Date(Date.UTC(2024, 2, 5, 14, 7));

export function line(over: Partial<X12ServiceLine> = {}): X12ServiceLine {
  return { procedureCode: '99213', modifiers: [], chargeCents: 12500, units: 1, diagnosisPointers: [1], serviceDate: '2024-03-01', ...over };
}

/** A primary claim for a subscriber who is the patient. */
export function selfBill(pcn = 'A1001', over: Partial<X12ClaimBill['claim']> = {}): X12ClaimBill {
  const lines = over.lines ?? [line()];
  return {
    payer: { name: 'ACME HEALTH', payerId: 'ACME1', address: { line1: '1 PAYER WAY', city: 'HARTFORD', state: 'CT', zip: '06101' } },
    payerResponsibility: 'P',
    subscriber: {
      memberId: 'M123456',
      groupNumber: 'G77',
      filingIndicator: 'CI',
      person: { lastName: 'DOE', firstName: 'JANE', middleName: 'Q' },
      birthDate: '1980-01-31',
      sex: 'F',
      address: { line1: '12 ELM ST', line2: 'APT 3', city: 'SPRINGFIELD', state: 'IL', zip: '62701-1234' },
      relationship: '18',
    },
    claim: {
      patientControlNumber: pcn,
      totalChargeCents: lines.reduce((n, l) => n + l.chargeCents, 0),
      placeOfService: '11',
      frequency: '1',
      providerSignature: true,
      assignment: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      diagnoses: ['I10', 'E11.9'],
      lines,
      ...over,
    },
  };
}

/** A claim for a child on a parent's plan (2000C patient loop). */
export function dependentBill(pcn = 'A1002'): X12ClaimBill {
  const b = selfBill(pcn);
  return {
    ...b,
    subscriber: { ...b.subscriber, person: { lastName: 'DOE', firstName: 'JOHN' }, birthDate: '1978-06-15', sex: 'M', relationship: '19' },
    patient: {
      person: { lastName: 'DOE', firstName: 'MIA' },
      birthDate: '2015-09-09',
      sex: 'F',
      address: { line1: '12 ELM ST', city: 'SPRINGFIELD', state: 'IL', zip: '62701' },
    },
  };
}

export function batch(bills: X12ClaimBill[], over: Partial<X12ClaimBatch> = {}): X12ClaimBatch {
  return {
    parties: { senderId: 'CAIRNCLINIC', receiverId: 'CLEARHOUSE', usage: 'T' },
    envelope: { interchangeControl: 42, groupControl: 7, createdAt: CREATED },
    submitter: { name: 'SMALL CLINIC', id: 'SUB1', contactName: 'PAT BILLER', phone: '(555) 010-2000' },
    receiver: { name: 'CLEARHOUSE', id: 'CH1' },
    billing: {
      name: 'SMALL CLINIC',
      npi: '1234567893',
      taxonomy: '207Q00000X',
      taxId: '12-3456789',
      address: { line1: '100 MAIN ST', city: 'SPRINGFIELD', state: 'IL', zip: '627011234' },
    },
    bills,
    ...over,
  };
}

export function inquiry(over: Partial<X12EligibilityInquiry> = {}): X12EligibilityInquiry {
  return {
    parties: { senderId: 'CAIRNCLINIC', receiverId: 'CLEARHOUSE', usage: 'T' },
    envelope: { interchangeControl: 43, groupControl: 8, createdAt: CREATED },
    reference: 'ELIG-0001',
    payer: { name: 'ACME HEALTH', payerId: 'ACME1' },
    provider: { name: 'SMALL CLINIC', npi: '1234567893', taxId: '123456789' },
    subscriber: { memberId: 'M123456', person: { lastName: 'DOE', firstName: 'JANE' }, birthDate: '1980-01-31', sex: 'F', groupNumber: 'G77' },
    serviceDate: '2024-03-05',
    ...over,
  };
}
