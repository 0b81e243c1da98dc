import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { cms1500Pdf, type Cms1500Input } from '../../electron/services/documents/cms1500.pdf';
import { programOf } from '../../electron/services/documents/cms1500.fields';
import { receiptPdf, type ReceiptInput } from '../../electron/services/documents/receipt.pdf';
import { statementPdf, type StatementInput } from '../../electron/services/documents/statement.pdf';
import { claimFilingFile } from '../../shared/domain/billing/codes';
import type { X12ClaimBill, X12ServiceLine } from '../../shared/x12/types';
import { pdfLines } from '../helpers/pdf-text';

// Synthetic clinic, payers and people; NPIs carry valid check digits (Luhn over 80840 + the first nine digits).
const BILLING: Cms1500Input['billing'] = {
  name: 'Juniper Family Practice',
  npi: '1234567893',
  taxonomy: '207Q00000X',
  taxId: '12-3456789',
  phone: '(555) 010-2000',
  address: { line1: '100 Cedar Lane', line2: 'Suite 2', city: 'Springfield', state: 'OR', zip: '974770001' },
};

const line = (code: string, cents: number, over: Partial<X12ServiceLine> = {}): X12ServiceLine => ({
  procedureCode: code,
  modifiers: [],
  chargeCents: cents,
  units: 1,
  diagnosisPointers: [1],
  serviceDate: '2026-11-03',
  ...over,
});

function bill(over: Partial<X12ClaimBill['claim']> = {}, top: Partial<X12ClaimBill> = {}): X12ClaimBill {
  const lines = over.lines ?? [line('99214', 18500, { modifiers: ['25'], diagnosisPointers: [1, 2] }), line('93000', 4500, { diagnosisPointers: [2] })];
  return {
    payer: { name: 'Evergreen Health Plan', payerId: 'EHP01', address: { line1: 'PO Box 4000', city: 'Salem', state: 'OR', zip: '97301' } },
    payerResponsibility: 'P',
    subscriber: {
      memberId: 'EHP-778812',
      groupNumber: 'GRP-55',
      filingIndicator: 'CI',
      person: { lastName: 'Quill', firstName: 'Harriet', middleName: 'B' },
      birthDate: '1971-04-09',
      sex: 'F',
      address: { line1: '12 Alder Street', city: 'Springfield', state: 'OR', zip: '97477' },
      relationship: '18',
    },
    claim: {
      patientControlNumber: 'C2026-000123',
      totalChargeCents: lines.reduce((s, l) => s + l.chargeCents, 0),
      placeOfService: '11',
      frequency: '1',
      providerSignature: true,
      assignment: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      diagnoses: ['I10', 'E119', 'R079'],
      rendering: { name: 'Moss', person: { lastName: 'Moss', firstName: 'Aaron' }, npi: '1987654328', taxonomy: '207Q00000X' },
      lines,
      ...over,
    },
    ...top,
  };
}

const input = (b: X12ClaimBill, over: Partial<Cms1500Input> = {}): Cms1500Input => ({
  billing: BILLING,
  bill: b,
  patientAccountNumber: 'MRN-000417',
  signatureDate: '2026-11-05',
  patientPhone: '(555) 010-3131',
  ...over,
});

/** The text drawn after box `id`'s label up to the next box label ("12. …", "24J. …"): what the box holds. */
function box(lines: string[], id: string): string[] {
  const isLabel = (l: string): boolean => /^\d{1,2}[a-dA-J]?\.( |$)/.test(l);
  const at = lines.findIndex((l) => l.startsWith(`${id}. `) || l === `${id}.`);
  if (at < 0) throw new Error(`no box ${id}`);
  const end = lines.findIndex((l, i) => i > at && isLabel(l));
  return lines.slice(at + 1, end < 0 ? undefined : end);
}

/** The six service lines of 24 (each row's text begins with the NPI caption of 24I): what each row holds. */
function serviceRows(lines: string[]): string[][] {
  const [, ...cells] = box(lines, '24J'); // after the label's second line, "PROVIDER ID. #"
  const rows: string[][] = [];
  for (const c of cells) {
    if (c === 'NPI') rows.push([]);
    else rows[rows.length - 1]!.push(c);
  }
  return rows;
}

/** Each page's text, by splitting the drawn text where a new form begins. */
async function pages(pdf: Uint8Array): Promise<{ count: number; pages: string[][] }> {
  const doc = await PDFDocument.load(pdf);
  const all = pdfLines(Buffer.from(pdf));
  const starts = all.flatMap((l, i) => (l === 'HEALTH INSURANCE CLAIM FORM' ? [i] : []));
  return { count: doc.getPageCount(), pages: starts.map((s, k) => all.slice(s, starts[k + 1])) };
}

describe('the CMS-1500 (02/12) PDF', () => {
  it('places a primary claim in its boxes: program, insured, patient, diagnoses, lines, tax id, assignment, totals, billing provider', async () => {
    const pdf = await cms1500Pdf(input(bill()));
    const {
      count,
      pages: [p],
    } = await pages(pdf);
    expect(count).toBe(1);
    const t = p!;
    expect(box(t, '1')).toEqual(['MEDICARE', 'MEDICAID', 'TRICARE', 'CHAMPVA', 'GROUP HEALTH PLAN', 'X', 'FECA BLK LUNG', 'OTHER']);
    expect(box(t, '1a')).toEqual(['EHP-778812']);
    expect(box(t, '2')).toEqual(['QUILL, HARRIET, B']);
    expect(box(t, '3')).toEqual(['04 09 1971', 'M', 'F', 'X']);
    expect(box(t, '4')).toEqual(['QUILL, HARRIET, B']);
    expect(box(t, '5')).toEqual(['12 ALDER STREET', 'CITY', 'SPRINGFIELD', 'STATE', 'OR', 'ZIP CODE', '97477', 'TELEPHONE', '(555) 010-3131']);
    expect(box(t, '6')).toEqual(['SELF', 'X', 'SPOUSE', 'CHILD', 'OTHER']);
    expect(box(t, '9')).toEqual([]);
    expect(box(t, '9a')).toEqual([]);
    expect(box(t, '11')).toEqual(['GRP-55']);
    expect(box(t, '11c')).toEqual(['EVERGREEN HEALTH PLAN']);
    expect(box(t, '11d')).toEqual(['YES', 'NO', 'X']);
    expect(box(t, '12')).toEqual(['SIGNATURE ON FILE', 'DATE', '11 05 2026']);
    expect(box(t, '13')[1]).toBe('SIGNATURE ON FILE');
    expect(box(t, '17')).toEqual([]);
    expect(box(t, '17b')).toEqual([]);
    expect(box(t, '21')).toEqual(['ICD Ind.', '0', 'A.', 'I10', 'B.', 'E119', 'C.', 'R079']);
    expect(box(t, '22')).toEqual([]);
    // 24: shaded ZZ + taxonomy, then dates, POS, code, modifiers, pointer letters, dollars | cents, units, rendering NPI.
    expect(serviceRows(t)).toEqual([
      ['ZZ', '207Q00000X', '11 03 26', '11 03 26', '11', '99214', '25', 'AB', '185', '00', '1', '1987654328'],
      ['ZZ', '207Q00000X', '11 03 26', '11 03 26', '11', '93000', 'B', '45', '00', '1', '1987654328'],
      [],
      [],
      [],
      [],
    ]);
    expect(box(t, '25')).toEqual(['123456789', 'SSN', 'EIN', 'X']);
    expect(box(t, '26')).toEqual(['MRN-000417']);
    expect(box(t, '27')).toEqual(['YES', 'X', 'NO']);
    expect(box(t, '28')).toEqual(['$', '230', '00']);
    expect(box(t, '29')).toEqual(['$']);
    expect(box(t, '31')).toEqual(['INCLUDING DEGREES OR CREDENTIALS', 'SIGNATURE ON FILE', 'DATE', '11 05 2026']);
    expect(box(t, '33')).toEqual(['(555) 010-2000', 'JUNIPER FAMILY PRACTICE', '100 CEDAR LANE SUITE 2', 'SPRINGFIELD OR 974770001']);
    expect(box(t, '33a')).toEqual(['1234567893']);
    expect(box(t, '33b')).toEqual(['ZZ207Q00000X']);
    expect(t.slice(1, 6)).toEqual(expect.arrayContaining(['EVERGREEN HEALTH PLAN', 'PO BOX 4000', 'SALEM OR 97301']));
  });

  it('eight lines make two pages: six and two lines, CONTINUED in box 28 on the first, the claim totals only on the last', async () => {
    const lines = Array.from({ length: 8 }, (_, i) => line(`9921${(i % 5) + 1}`, 10000 + i * 100, { serviceDate: `2026-10-0${i + 1}` }));
    const pdf = await cms1500Pdf(input(bill({ lines })));
    const {
      count,
      pages: [first, second],
    } = await pages(pdf);
    expect(count).toBe(2);
    const from = (t: string[]): string[] => serviceRows(t).map((r) => r[2] ?? '');
    expect(from(first!)).toEqual(['10 01 26', '10 02 26', '10 03 26', '10 04 26', '10 05 26', '10 06 26']);
    expect(from(second!)).toEqual(['10 07 26', '10 08 26', '', '', '', '']);
    expect(serviceRows(second!)[1]).toEqual(['ZZ', '207Q00000X', '10 08 26', '10 08 26', '11', '99213', 'A', '107', '00', '1', '1987654328']);
    expect(box(first!, '28')).toEqual(['CONTINUED']);
    expect(box(second!, '28')).toEqual(['$', '828', '00']);
    expect(first).toContain('PAGE 1 OF 2');
    expect(second).toContain('PAGE 2 OF 2');
    // Every page is a whole form: the patient and the billing provider are on both.
    for (const t of [first!, second!]) {
      expect(box(t, '2')).toEqual(['QUILL, HARRIET, B']);
      expect(box(t, '33a')).toEqual(['1234567893']);
    }
  });

  it("a secondary claim names the primary in 9, 9a and 9d, says YES in 11d and prints the primary's payment in 29", async () => {
    const b = bill(
      {
        priorPayments: [
          {
            payer: { name: 'Evergreen Health Plan', payerId: 'EHP01' },
            filingIndicator: 'CI',
            subscriber: { memberId: 'EHP-778812', person: { lastName: 'Quill', firstName: 'Harriet', middleName: 'B' } },
            paidCents: 15234,
            adjustments: [{ group: 'CO', reason: '45', amountCents: 4000 }],
            paidDate: '2026-11-20',
          },
        ],
      },
      {
        payerResponsibility: 'S',
        payer: { name: 'Cascade Medicare Supplement', payerId: 'CMS22' },
        subscriber: { ...bill().subscriber, memberId: 'SUP-1', groupNumber: undefined, filingIndicator: 'MB' },
      },
    );
    const {
      pages: [t],
    } = await pages(await cms1500Pdf(input(b)));
    expect(box(t!, '1')).toEqual(['MEDICARE', 'X', 'MEDICAID', 'TRICARE', 'CHAMPVA', 'GROUP HEALTH PLAN', 'FECA BLK LUNG', 'OTHER']);
    expect(box(t!, '9')).toEqual(['QUILL, HARRIET, B']);
    expect(box(t!, '9a')).toEqual(['EHP-778812']);
    expect(box(t!, '9d')).toEqual(['EVERGREEN HEALTH PLAN']);
    expect(box(t!, '11c')).toEqual(['CASCADE MEDICARE SUPPLEMENT']);
    expect(box(t!, '11d')).toEqual(['YES', 'X', 'NO']);
    expect(box(t!, '29')).toEqual(['$', '152', '34']);
    expect(box(t!, '28')).toEqual(['$', '230', '00']);
  });

  it("a void claim shows resubmission code 8 and the payer's original claim number in 22", async () => {
    const {
      pages: [t],
    } = await pages(await cms1500Pdf(input(bill({ frequency: '8', payerClaimNumber: 'EHP2026110400981' }))));
    expect(box(t!, '22')).toEqual(['8', 'EHP2026110400981']);
    const replaced = await pages(await cms1500Pdf(input(bill({ frequency: '7', payerClaimNumber: 'EHP77' }))));
    expect(box(replaced.pages[0]!, '22')).toEqual(['7', 'EHP77']);
  });

  it('box 32 is empty without a service facility and filled when there is one; 17/17b carry the referring provider', async () => {
    const bare = await pages(await cms1500Pdf(input(bill())));
    expect(box(bare.pages[0]!, '32')).toEqual([]);
    expect(box(bare.pages[0]!, '32a')).toEqual([]);
    const facility = { name: 'Juniper Annex Clinic', npi: '1555555550', address: { line1: '9 Birch Road', city: 'Eugene', state: 'OR', zip: '97401' } };
    const referring = { name: 'Lark', person: { lastName: 'Lark', firstName: 'Nina' }, npi: '1444444446' };
    const full = await pages(await cms1500Pdf(input(bill({ serviceFacility: facility, referring }))));
    expect(box(full.pages[0]!, '32')).toEqual(['JUNIPER ANNEX CLINIC', '9 BIRCH ROAD', 'EUGENE OR 97401']);
    expect(box(full.pages[0]!, '32a')).toEqual(['1555555550']);
    expect(box(full.pages[0]!, '17')).toEqual(['DN NINA LARK']);
    expect(box(full.pages[0]!, '17b')).toEqual(['1444444446']);
  });

  it('a dependent patient is in 2, 3 and 5 and the subscriber in 4 and 7; 27 says NO when assignment is not accepted; a drug line carries its NDC', async () => {
    const child = bill(
      {
        assignment: 'C',
        releaseOfInformation: 'I',
        lines: [line('J1885', 675, { units: 2, ndc: { code: '00409-3795-01', quantity: 1, unit: 'ML' } })],
        totalChargeCents: 675,
      },
      { patient: { person: { lastName: 'Quill', firstName: 'Tobias' }, birthDate: '2015-02-28', sex: 'M' } },
    );
    child.subscriber.relationship = '19';
    const {
      pages: [t],
    } = await pages(await cms1500Pdf(input(child)));
    expect(box(t!, '2')).toEqual(['QUILL, TOBIAS']);
    expect(box(t!, '3')).toEqual(['02 28 2015', 'M', 'X', 'F']);
    expect(box(t!, '4')).toEqual(['QUILL, HARRIET, B']);
    expect(box(t!, '6')).toEqual(['SELF', 'SPOUSE', 'CHILD', 'X', 'OTHER']);
    expect(box(t!, '7')[0]).toBe('12 ALDER STREET');
    expect(box(t!, '12')).toEqual(['DATE']);
    expect(box(t!, '27')).toEqual(['YES', 'NO', 'X']);
    expect(serviceRows(t!)[0]).toEqual(['N400409379501 ML1', 'ZZ', '207Q00000X', '11 03 26', '11 03 26', '11', 'J1885', 'A', '6', '75', '2', '1987654328']);
  });

  it('prints box 1 as resources/billing/claim-filing.json says for every filing indicator', () => {
    const file = claimFilingFile.parse(JSON.parse(readFileSync(join(process.cwd(), 'resources', 'billing', 'claim-filing.json'), 'utf8')));
    for (const c of file.codes) expect(programOf(c.code), c.code).toBe(c.program);
  });
});

const CLINIC = { name: 'Juniper Family Practice', address: '100 Cedar Lane, Springfield, OR 97477', phone: '(555) 010-2000' };

describe('the payment receipt PDF', () => {
  const receipt: ReceiptInput = {
    clinic: CLINIC,
    patient: { name: 'Harriet Quill', mrn: 'MRN-000417' },
    receiptNumber: 'R0193A7C2E4F1',
    payment: { amountCents: 123456, method: 'check', reference: '1042', receivedAt: '2026-11-03T15:42:10.123Z', receivedBy: 'Dana Front' },
    visitDate: '2026-11-02',
    balanceAfterCents: 12345,
  };
  const text = async (r: ReceiptInput): Promise<{ count: number; lines: string[] }> => {
    const pdf = await receiptPdf(r);
    return { count: (await PDFDocument.load(pdf)).getPageCount(), lines: pdfLines(Buffer.from(pdf)) };
  };

  it('says who paid, how much, how, when, for which visit, who took it, and the balance left', async () => {
    const { count, lines } = await text(receipt);
    expect(count).toBe(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        'Juniper Family Practice',
        '(555) 010-2000',
        'PAYMENT RECEIPT',
        'Receipt no. R0193A7C2E4F1',
        'Harriet Quill',
        'MRN-000417',
        'Nov 3, 2026, 15:42 UTC',
        'For the visit of',
        'Nov 2, 2026',
        'Check no. 1042',
        'Dana Front',
        '$1,234.56',
        'Balance still owed on your account: $123.45',
      ]),
    );
  });

  it('a credit, a zero balance, cash without a reference, a local time and no visit each read right', async () => {
    const credit = await text({
      ...receipt,
      balanceAfterCents: -500,
      visitDate: undefined,
      payment: { ...receipt.payment, method: 'cash', reference: undefined, receivedAt: '2026-11-03T10:42:00-05:00' },
    });
    expect(credit.lines).toEqual(expect.arrayContaining(['Credit on your account: $5.00', 'Cash', 'Nov 3, 2026, 10:42 UTC-05:00']));
    expect(credit.lines).not.toContain('For the visit of');
    const paid = await text({ ...receipt, balanceAfterCents: 0, payment: { ...receipt.payment, method: 'card', reference: '4242' } });
    expect(paid.lines).toEqual(expect.arrayContaining(['Your account is paid in full: balance $0.00', 'Card ref. 4242']));
  });
});

describe('the patient statement PDF', () => {
  const entries = (n: number): StatementInput['entries'] =>
    Array.from({ length: n }, (_, i) =>
      i % 3 === 0
        ? { date: '2026-09-10', description: `Office visit ${i}`, amountCents: 12500 }
        : i % 3 === 1
          ? { date: '2026-09-20', description: `Insurance payment ${i}`, amountCents: -8000, party: 'insurance' as const }
          : { date: '2026-09-21', description: `Your payment ${i}`, amountCents: -2500, party: 'patient' as const },
    );
  const statement: StatementInput = {
    clinic: CLINIC,
    patient: {
      name: 'Harriet Quill',
      mrn: 'MRN-000417',
      address: { line1: '12 Alder Street', line2: 'Apt 4', city: 'Springfield', state: 'OR', zip: '97477' },
    },
    statementDate: '2026-12-01',
    dueDate: '2026-12-31',
    entries: entries(8),
    aging: { current: 2000, d31_60: 1500, d61_90: 0, d91_120: 0, over120: 500 },
    balanceCents: 4000,
    insurancePendingCents: 12500,
  };
  const text = async (s: StatementInput): Promise<{ count: number; lines: string[] }> => {
    const pdf = await statementPdf(s);
    return { count: (await PDFDocument.load(pdf)).getPageCount(), lines: pdfLines(Buffer.from(pdf)) };
  };

  it('shows what is owed and by when, what insurance paid and still owes, the activity, the balance by age, how to pay and a slip', async () => {
    const { count, lines } = await text(statement);
    expect(count).toBe(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        'STATEMENT',
        'Statement date: Dec 1, 2026',
        'Account (MRN): MRN-000417',
        'Harriet Quill',
        '12 Alder Street',
        'Apt 4',
        'Springfield, OR 97477',
        'Amount due',
        '$40.00',
        'Please pay by Dec 31, 2026',
        'Insurance paid or adjusted: $240.00',
        'Waiting on insurance: $125.00 (not due from you yet)',
        'Sep 10, 2026',
        'Office visit 0',
        '$125.00',
        'Insurance payment 1',
        '-$80.00',
        'Your payment 2',
        '-$25.00',
        'Totals on this statement',
        '$375.00',
        '-$290.00',
        'Your balance by age',
        '$20.00',
        '$15.00',
        '$5.00',
        'How to pay',
        '- By phone with a card: call (555) 010-2000. Questions about this statement? Call the same number.',
        'Write your account number MRN-000417 on your check.',
        'Please detach and return this part with your payment.',
        'Dec 31, 2026',
        'Page 1 of 1',
      ]),
    );
    // Amount due appears in the summary and on the slip.
    expect(lines.filter((l) => l === '$40.00')).toHaveLength(2);
  });

  it('a long history continues on a second page with every entry, and says where the slip is', async () => {
    const { count, lines } = await text({ ...statement, entries: entries(60) });
    expect(count).toBe(2);
    expect(lines.filter((l) => /^(Office visit|Insurance payment|Your payment) \d+$/.test(l))).toHaveLength(60);
    expect(lines).toEqual(
      expect.arrayContaining(['Continued on the next page', 'The amount due, how to pay and the payment slip are on page 1.', 'Page 2 of 2']),
    );
    expect(lines).toContain('$2,500.00');
  });

  it('a credit says nothing is due; no activity says so; without a party no insurance total is guessed', async () => {
    const { lines } = await text({
      ...statement,
      balanceCents: -1200,
      entries: [],
      aging: { current: 0, d31_60: 0, d61_90: 0, d91_120: 0, over120: 0 },
      insurancePendingCents: 0,
    });
    expect(lines).toEqual(
      expect.arrayContaining(['Nothing is due', 'You have a credit of $12.00.', 'No activity since the last statement.', 'Waiting on insurance: $0.00']),
    );
    expect(lines).not.toContain('Please pay by Dec 31, 2026');
    expect(lines.some((l) => l.startsWith('Insurance paid'))).toBe(false);
    expect(lines.filter((l) => l === '$0.00').length).toBeGreaterThanOrEqual(6); // five aging buckets and the slip
  });
});
