import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_SETTINGS, DOC_NPI } from '../../helpers/billing-setup';
import { readInterchange } from '../../../shared/x12';
import { CLINIC, openClinic, type Clinic } from '../../helpers/clinic';
import { combine835, era835, isa, officeVisitPaid } from '../../helpers/era';
import { tempDir } from '../../helpers/temp-db';
import { X12_FIXTURES } from '../../unit/shared/x12/fixtures';

const FIXTURES = X12_FIXTURES;

interface Claim {
  id: string;
  claimNumber: string;
  status: string;
  totalCents: number;
  paidCents: number;
  findings: { severity: string; message: string }[];
  lines: { code: string; chargeCents: number }[];
  history: { status: string }[];
}
interface Account {
  patientBalanceCents: number;
  insuranceBalanceCents: number;
  entries: { kind: string; party: string; amountCents: number }[];
}
interface Report {
  type: string;
  errors: string[];
  duplicate: boolean;
  claimsMatched: number;
  claimsUnmatched: number;
  postedCents: number;
}

const as = async (c: Clinic, username: string, password: string): Promise<void> => {
  await c.ok('session.logout');
  await c.ok('session.login', { username, password });
};

describe('billing: a visit becomes a claim, an 837P, an 835 posts, a secondary claim follows', () => {
  const t = tempDir('cairn-billing-');
  let c: Clinic;
  let patientId: string;
  let primary: Claim;
  const biller = { username: 'bill', password: 'violet anchor marble kettle' };
  const front = { username: 'frontdesk', password: 'copper meadow lantern nine' };

  beforeAll(async () => {
    c = await openClinic(t.dir, () => new Date('2026-12-01T15:00:00Z'));
    await as(c, CLINIC.admin.username, CLINIC.admin.password);
    await c.ok('users.create', { username: biller.username, displayName: 'Bea Biller', role: 'billing', password: biller.password });
    await c.ok('users.create', { username: front.username, displayName: 'Fran Front', role: 'front_desk', password: front.password });
    await c.ok('users.update', { username: CLINIC.doc.username, npi: DOC_NPI });
    await c.ok('billing.setSettings', { ...BILLING_SETTINGS, acceptAssignment: 'C', benefitsAssigned: 'N' });
    await c.ok('billing.importFees', {
      kind: 'fees',
      fileName: 'fees.csv',
      csv: 'code,modifier,price\n99213,,125.00\n36415,,12.50\n',
      effectiveFrom: '2026-01-01',
    });
    await c.ok('billing.importFees', { kind: 'cpt', fileName: 'cpt.csv', csv: 'code,description\n99213,Office visit est. low\n36415,Venipuncture\n' });
    await c.ok('billing.addPayer', { name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI' });
    await c.ok('billing.addPayer', { name: 'State Medicaid', payerId: 'MCD01', filingIndicator: 'MC' });
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('front desk registers coverage in order and sees the eligibility answer', async () => {
    await as(c, front.username, front.password);
    const p = await c.ok<{ id: string }>('patients.create', { givenName: 'Jane', familyName: 'Synthetic', birthDate: '1980-02-03', sex: 'female' });
    patientId = p.id;
    const payers = await c.ok<{ id: string; payerId: string }[]>('billing.payers');
    const acme = payers.find((x) => x.payerId === 'ACME1')!.id;
    const mcd = payers.find((x) => x.payerId === 'MCD01')!.id;
    const cov = await c.ok<{ id: string; rank: string }>('billing.addCoverage', {
      patientId,
      payerRef: acme,
      memberId: 'MEM123',
      groupNumber: 'G77',
      copayCents: 2500,
      effectiveFrom: '2026-01-01',
    });
    expect(cov.rank).toBe('primary');
    const card = 'data:image/png;base64,iVBORw0KGgo=';
    const second = await c.ok<{ id: string; hasCardFront: boolean }>('billing.addCoverage', {
      patientId,
      payerRef: mcd,
      rank: 'secondary',
      memberId: 'MCD999',
      cardFront: card,
    });
    expect(second.hasCardFront).toBe(true);
    expect(await c.ok('billing.card', { coverageId: second.id, side: 'front' })).toEqual({ dataUrl: card });
    expect(await c.ok('billing.card', { coverageId: second.id, side: 'back' })).toEqual({ dataUrl: null });
    const dup = await c.call('billing.addCoverage', { patientId, payerRef: mcd, rank: 'secondary', memberId: 'X1' });
    expect(dup.ok).toBe(false);
    const e = await c.ok<{ inquiry270: string; result: { active: boolean | null; copayCents: number | null } }>('billing.eligibility', {
      coverageId: cov.id,
      response271: readFileSync(join(FIXTURES, 'subscriber-health-benefit-check.271'), 'latin1'),
    });
    expect(e.inquiry270).toMatch(/^ISA\*/);
    expect(e.inquiry270).toMatch(/NM1\*IL\*1\*Synthetic\*Jane\*+MI\*MEM123/i);
    expect(readInterchange(e.inquiry270).ok).toBe(true);
    expect(e.result.active).toBe(true);
    const list = await c.ok<{ rank: string; eligibility: { active: boolean } | null }[]>('billing.coverages', { patientId });
    expect(list.map((x) => x.rank)).toEqual(['primary', 'secondary']);
    expect(list[0]!.eligibility?.active).toBe(true);
    // The front desk does not work claims.
    expect((await c.call('billing.claims', {})).ok).toBe(false);
  });

  it('the physician finishes the visit and saves the superbill: priced, scrubbed, charged to the account', async () => {
    await as(c, CLINIC.doc.username, CLINIC.doc.password);
    const v = await c.ok<{ id: string }>('encounters.create', { patientId, visitType: 'office_visit', startAt: '2026-11-20T15:00:00Z' });
    const early = await c.call('billing.superbill', { encounterId: v.id, diagnoses: ['I10'], lines: [{ code: '99213' }] });
    expect(early.ok).toBe(false);
    await c.ok('encounters.setStatus', { id: v.id, status: 'finished' });
    const bad = await c.call('billing.superbill', { encounterId: v.id, diagnoses: ['I10'], lines: [{ code: '99213', pointers: [2] }] });
    expect(bad.ok).toBe(false);
    const noBill = await c.ok<Claim>('billing.superbill', { encounterId: v.id, diagnoses: ['E11'], lines: [{ code: '99213' }] });
    expect(noBill.status).toBe('draft');
    expect(noBill.findings.map((f) => f.message).join(' ')).toMatch(/category, not billable/);
    primary = await c.ok<Claim>('billing.superbill', {
      encounterId: v.id,
      diagnoses: ['I10', 'E11.9'],
      lines: [
        { code: '99213', pointers: [1, 2] },
        { code: '36415', pointers: [2] },
      ],
    });
    expect(primary.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(primary.status).toBe('ready');
    expect(primary.lines.map((l) => l.chargeCents)).toEqual([12500, 1250]);
    expect(primary.totalCents).toBe(13750);
  });

  it('billing sends the 837P batch with the settings’ flags and its envelope counts', async () => {
    await as(c, biller.username, biller.password);
    const acct = await c.ok<Account>('billing.account', { patientId });
    // The first superbill's charge was reversed when it was revised: only the live charges count.
    expect(acct.insuranceBalanceCents).toBe(13750);
    expect(acct.patientBalanceCents).toBe(0);
    const b = await c.ok<{ text: string; claimCount: number; interchangeControl: number }>('billing.batch', {});
    expect(b.claimCount).toBe(1);
    const env = readInterchange(b.text);
    expect(env.ok).toBe(true);
    expect(b.text).toContain(`CLM*${primary.claimNumber}*137.5*`);
    expect(b.text).toMatch(new RegExp(`CLM\\*${primary.claimNumber}\\*137\\.5\\*\\*\\*11:B:1\\*Y\\*C\\*N\\*Y`));
    expect(b.text).toContain('HI*ABK:I10*ABF:E119');
    expect(b.text).not.toContain('NM1*77');
    const again = await c.call('billing.batch', {});
    expect(again.ok).toBe(false);
    const claim = await c.ok<Claim>('billing.claim', { claimId: primary.id });
    expect(claim.status).toBe('submitted');
    // 999: the batch was accepted.
    const ack = [
      isa('DEMOCH', 'HILLTOP', 501),
      `GS*FA*DEMOCH*HILLTOP*20261201*1200*501*X*005010X231A1`,
      'ST*999*0001*005010X231A1',
      `AK1*HC*${b.interchangeControl}*005010X222A1`,
      'AK2*837*0001*005010X222A1',
      'IK5*A',
      'AK9*A*1*1*1',
      'SE*6*0001',
      'GE*1*501',
      'IEA*1*000000501',
    ].join('~\n');
    const [r999] = await c.ok<Report[]>('billing.import', { files: [{ fileName: 'ack.999', text: `${ack}~\n` }] });
    expect(r999!.errors, JSON.stringify(r999)).toEqual([]);
    expect((await c.ok<Claim>('billing.claim', { claimId: primary.id })).status).toBe('accepted');
  });

  it('posts the primary 835 once: paid, contractual write-off, coinsurance moved to the secondary payer', async () => {
    const era = era835([officeVisitPaid(primary.claimNumber, 'ACME-777')]);
    const [r] = await c.ok<Report[]>('billing.import', { files: [{ fileName: 'acme.835', text: era }] });
    expect(r!.errors).toEqual([]);
    expect(r!.claimsMatched).toBe(1);
    expect(r!.postedCents).toBe(8000);
    const [again] = await c.ok<Report[]>('billing.import', { files: [{ fileName: 'acme-again.835', text: era }] });
    expect(again!.duplicate).toBe(true);
    const claim = await c.ok<Claim>('billing.claim', { claimId: primary.id });
    expect(claim.status).toBe('paid');
    expect(claim.paidCents).toBe(8000);
    const acct = await c.ok<Account>('billing.account', { patientId });
    // 137.50 − 80.00 paid − 37.50 written off = 20.00 coinsurance, now the secondary payer's.
    expect(acct.insuranceBalanceCents).toBe(2000);
    expect(acct.patientBalanceCents).toBe(0);
    expect(acct.entries.reduce((s, e) => s + e.amountCents, 0)).toBe(acct.insuranceBalanceCents + acct.patientBalanceCents);
  });

  it('the secondary claim carries the primary payer’s payment and adjustments (2320/2330/2430)', async () => {
    const ready = await c.ok<{ id: string; claimNumber: string }[]>('billing.claims', { status: 'ready' });
    expect(ready).toHaveLength(1);
    const b = await c.ok<{ text: string }>('billing.batch', {});
    expect(b.text).toContain('SBR*S*');
    expect(b.text).toContain('AMT*D*80');
    expect(b.text).toMatch(/CAS\*CO\*45\*35/);
    expect(b.text).toContain('SVD*ACME1*70*HC:99213');
    const second = ready[0]!;
    const era = era835(
      [
        {
          claimNumber: second.claimNumber,
          chargeCents: 13750,
          paidCents: 1500,
          payerClaimNumber: 'MCD-1',
          lines: [{ code: '99213', chargeCents: 12500, paidCents: 1500, adjustments: [{ group: 'PR', reason: '3', cents: 500 }] }],
        },
      ],
      { control: 202, payer: 'STATE MEDICAID' },
    );
    const [r] = await c.ok<Report[]>('billing.import', { files: [{ fileName: 'mcd.835', text: era }] });
    expect(r!.errors).toEqual([]);
    const acct = await c.ok<Account>('billing.account', { patientId });
    expect(acct.insuranceBalanceCents).toBe(0);
    expect(acct.patientBalanceCents).toBe(500);
  });

  it('refuses an 835 that does not balance and posts nothing; an unknown claim waits in the queue', async () => {
    const before = (await c.ok<Account>('billing.account', { patientId })).entries.length;
    const bad = era835([{ claimNumber: primary.claimNumber, chargeCents: 100, paidCents: 100, payerClaimNumber: 'X', lines: [] }], { control: 303 }).replace(
      /BPR\*I\*1\.00/,
      'BPR*I*9.00',
    );
    const [r] = await c.ok<Report[]>('billing.import', { files: [{ fileName: 'bad.835', text: bad }] });
    expect(r!.errors.join(' ')).toMatch(/BPR/);
    expect((await c.ok<Account>('billing.account', { patientId })).entries.length).toBe(before);
    const stray = era835([{ claimNumber: 'C000000000000ZZZ', chargeCents: 5000, paidCents: 4000, payerClaimNumber: 'Q1', lines: [] }], { control: 304 });
    const [u] = await c.ok<Report[]>('billing.import', { files: [{ fileName: 'stray.835', text: stray }] });
    expect(u!.claimsUnmatched).toBe(1);
    const queue = await c.ok<{ patientControlNumber: string; paidCents: number }[]>('billing.unmatched');
    expect(queue).toEqual([expect.objectContaining({ patientControlNumber: 'C000000000000ZZZ', paidCents: 4000 })]);
  });

  it('posts a file of several 835s all together, once', async () => {
    const a = era835([{ claimNumber: 'C00000000000000A1', chargeCents: 1000, paidCents: 800, payerClaimNumber: 'M1', lines: [] }], { control: 401 });
    const b = era835([{ claimNumber: 'C00000000000000B2', chargeCents: 2000, paidCents: 1500, payerClaimNumber: 'M2', lines: [] }], { control: 402 });
    const both = combine835([a, b]);
    const [r] = await c.ok<Report[]>('billing.import', { files: [{ fileName: 'two.835', text: both }] });
    expect(r!.errors).toEqual([]);
    expect(r!.claimsUnmatched).toBe(2);
    const [again] = await c.ok<Report[]>('billing.import', { files: [{ fileName: 'two-again.835', text: both }] });
    expect(again!.duplicate).toBe(true);
    const queue = await c.ok<{ patientControlNumber: string }[]>('billing.unmatched');
    expect(queue.map((q) => q.patientControlNumber)).toEqual(expect.arrayContaining(['C00000000000000A1', 'C00000000000000B2']));
    expect(queue.filter((q) => q.patientControlNumber === 'C00000000000000A1')).toHaveLength(1);
  });

  it('front desk collects the balance with a receipt; A/R aging equals the ledger; the CMS-1500 prints', async () => {
    await as(c, front.username, front.password);
    const paid = await c.ok<{ patientBalanceCents: number; receipt: { base64: string } }>('billing.pay', { patientId, amountCents: 500, method: 'card' });
    expect(paid.patientBalanceCents).toBe(0);
    expect(Buffer.from(paid.receipt.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    await as(c, biller.username, biller.password);
    const aging = await c.ok<{ totalCents: number }>('billing.aging', { asOf: '2026-12-01' });
    expect(aging.totalCents).toBe(0);
    const pdf = await c.ok<{ base64: string }>('billing.claimForm', { claimId: primary.id });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const sheet = await c.ok<{ rows: unknown[]; csv: string }>('billing.report', { kind: 'day-sheet', from: '2026-12-01', to: '2026-12-01' });
    expect(sheet.rows.length).toBeGreaterThan(5);
    expect(sheet.csv.split('\n')[0]).toBe('posted,mrn,patient,kind,party,amount_cents,amount,method,claim');
  });

  it('a payment the payer sent under a mistyped claim number is matched by hand, or closed with a reason', async () => {
    await as(c, CLINIC.doc.username, CLINIC.doc.password);
    const v = await c.ok<{ id: string }>('encounters.create', { patientId, visitType: 'office_visit', startAt: '2026-11-25T15:00:00Z' });
    await c.ok('encounters.setStatus', { id: v.id, status: 'finished' });
    const claim = await c.ok<Claim>('billing.superbill', { encounterId: v.id, diagnoses: ['I10'], lines: [{ code: '99213' }] });
    await as(c, biller.username, biller.password);
    await c.ok('billing.batch', { claimIds: [claim.id] });
    // a different last character: one claim number in 36 already ends in X
    const typo = `${claim.claimNumber.slice(0, -1)}${claim.claimNumber.endsWith('X') ? 'Y' : 'X'}`;
    const era = era835(
      [
        {
          claimNumber: typo,
          chargeCents: 12500,
          paidCents: 9000,
          payerClaimNumber: 'ACME-900',
          lines: [{ code: '99213', chargeCents: 12500, paidCents: 9000, adjustments: [{ group: 'CO', reason: '45', cents: 3500 }] }],
        },
      ],
      { control: 505 },
    );
    const [r] = await c.ok<Report[]>('billing.import', { files: [{ fileName: 'typo.835', text: era }] });
    expect(r!.claimsUnmatched).toBe(1);
    const queue = await c.ok<{ id: string; patientControlNumber: string }[]>('billing.unmatched');
    const waiting = queue.find((q) => q.patientControlNumber === typo)!;
    const stray = queue.find((q) => q.patientControlNumber === 'C000000000000ZZZ')!;
    expect((await c.call('billing.resolveUnmatched', { id: stray.id, note: 'no' })).ok).toBe(false);
    expect(await c.ok('billing.resolveUnmatched', { id: stray.id, note: 'a payment for another practice, returned to the payer' })).toEqual({
      claimNumber: null,
    });
    expect(await c.ok('billing.resolveUnmatched', { id: waiting.id, claimId: claim.id, note: 'the payer mistyped the last character' })).toEqual({
      claimNumber: claim.claimNumber,
    });
    expect((await c.call('billing.resolveUnmatched', { id: waiting.id, claimId: claim.id, note: 'again, by mistake' })).ok).toBe(false);
    const after = await c.ok<Claim>('billing.claim', { claimId: claim.id });
    expect(after.status).toBe('paid');
    expect(after.paidCents).toBe(9000);
    const left = await c.ok<{ patientControlNumber: string }[]>('billing.unmatched');
    expect(left.map((q) => q.patientControlNumber)).not.toContain(typo);
    expect(left.map((q) => q.patientControlNumber)).not.toContain('C000000000000ZZZ');
  });
});
