import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npiOf } from '../../helpers/billing-setup';
import { readInterchange } from '../../../shared/x12';
import { CLINIC, openClinic, type Clinic } from '../../helpers/clinic';
import { era835, isa, type EraClaim, officeVisitPaid } from '../../helpers/era';
import { tempDir } from '../../helpers/temp-db';
import { X12_FIXTURES } from '../../unit/shared/x12/fixtures';

// Someone lying to the X12 boundary: every reply goes in through the billing.import channel over a real
// encrypted database, and whatever is wrong with a file must be one error naming the segment and post nothing.

const FIXTURES = X12_FIXTURES;
const BILLER = { username: 'bill', password: 'violet anchor marble kettle' };

interface Claim {
  id: string;
  claimNumber: string;
  status: string;
  frequency: string;
  payerClaimNumber: string | null;
  history: { status: string; detail: string | null }[];
}
interface Report {
  fileName: string;
  type: string;
  controlNumber: string | null;
  errors: string[];
  duplicate: boolean;
  claimsMatched: number;
  claimsUnmatched: number;
  postedCents: number;
  summary: string;
}
interface Queued {
  patientControlNumber: string;
  payerClaimNumber: string | null;
  paidCents: number;
  payerName: string;
}

const as = async (c: Clinic, who: { username: string; password: string }): Promise<void> => {
  await c.ok('session.logout');
  await c.ok('session.login', who);
};

/** A 999 or 277CA from the clearinghouse, with its envelope counts computed. */
function reply(kind: '999' | '277', control: number, body: string[]): string {
  const version = kind === '999' ? '005010X231A1' : '005010X214';
  const set = [`ST*${kind}*0001*${version}`, ...body];
  set.push(`SE*${set.length + 1}*0001`);
  const gs = `GS*${kind === '999' ? 'FA' : 'HN'}*DEMOCH*HILLTOP*20261201*1200*${control}*X*${version}`;
  return [isa('DEMOCH', 'HILLTOP', control), gs, ...set, `GE*1*${control}`, `IEA*1*${String(control).padStart(9, '0')}`].join('~\n') + '~\n';
}

describe('billing.import: X12 replies that lie, fixtures, acknowledgements and corrections', () => {
  const t = tempDir('cairn-billing-import-');
  let c: Clinic;
  let patientId: string;
  let coverageId: string;
  const claims: Claim[] = [];

  const importOne = async (fileName: string, text: string): Promise<Report> => (await c.ok<Report[]>('billing.import', { files: [{ fileName, text }] }))[0]!;
  const claim = (x: Claim): Promise<Claim> => c.ok<Claim>('billing.claim', { claimId: x.id });
  const ledgerCount = async (): Promise<number> => (await c.ok<{ entries: unknown[] }>('billing.account', { patientId })).entries.length;
  const unmatched = (): Promise<Queued[]> => c.ok<Queued[]>('billing.unmatched');

  beforeAll(async () => {
    c = await openClinic(t.dir, () => new Date('2026-12-01T15:00:00Z'));
    await as(c, CLINIC.admin);
    await c.ok('users.create', { username: BILLER.username, displayName: 'Bea Biller', role: 'billing', password: BILLER.password });
    await c.ok('users.update', { username: CLINIC.doc.username, npi: npiOf('198765432') });
    await c.ok('billing.setSettings', {
      ...{ billingName: 'Hilltop Family Medicine', billingNpi: npiOf('123456789'), taxId: '12-3456789', addressLine1: '12 Main St' },
      ...{ city: 'Springfield', state: 'IL', zip: '627011234', phone: '2175550100', submitterId: 'HILLTOP', submitterContact: 'Bea Biller' },
      ...{ receiverName: 'Demo Clearinghouse', receiverId: 'DEMOCH', acceptAssignment: 'C', benefitsAssigned: 'N' },
    });
    await c.ok('billing.importFees', {
      kind: 'fees',
      fileName: 'fees.csv',
      csv: 'code,modifier,price\n99213,,125.00\n36415,,12.50\n',
      effectiveFrom: '2026-01-01',
    });
    await c.ok('billing.importFees', { kind: 'cpt', fileName: 'cpt.csv', csv: 'code,description\n99213,Office visit est. low\n36415,Venipuncture\n' });
    const acme = await c.ok<{ id: string }>('billing.addPayer', { name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI' });
    patientId = (await c.ok<{ id: string }>('patients.create', { givenName: 'Jane', familyName: 'Synthetic', birthDate: '1980-02-03', sex: 'female' })).id;
    coverageId = (await c.ok<{ id: string }>('billing.addCoverage', { patientId, payerRef: acme.id, memberId: 'MEM123', effectiveFrom: '2026-01-01' })).id;
    await as(c, CLINIC.doc);
    // Three visits, three claims: A (two lines), B and C (one line each).
    for (const [day, codes] of [
      ['2026-11-20', ['99213', '36415']],
      ['2026-11-21', ['99213']],
      ['2026-11-22', ['99213']],
    ] as const) {
      const v = await c.ok<{ id: string }>('encounters.create', { patientId, visitType: 'office_visit', startAt: `${day}T15:00:00Z` });
      await c.ok('encounters.setStatus', { id: v.id, status: 'finished' });
      const lines = codes.map((code) => ({ code, pointers: [1] }));
      claims.push(await c.ok<Claim>('billing.superbill', { encounterId: v.id, diagnoses: ['I10'], lines }));
    }
    expect(claims.map((x) => x.status)).toEqual(['ready', 'ready', 'ready']);
    await as(c, BILLER);
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('every public fixture imports as its README says: 835s balance and queue their unknown claims, the rest is read or refused by name', async () => {
    const names = readdirSync(FIXTURES).filter((f) => /\.(835|837|270|271|276|277)$/.test(f));
    expect(names).toHaveLength(11);
    const before = await ledgerCount();
    const reports = await c.ok<Report[]>('billing.import', { files: names.map((n) => ({ fileName: n, text: readFileSync(join(FIXTURES, n), 'latin1') })) });
    const by = new Map(reports.map((r) => [r.fileName, r]));
    expect(by.get('managed-care.835')).toMatchObject({ type: '835', errors: [], claimsMatched: 0, claimsUnmatched: 2, postedCents: 0, duplicate: false });
    expect(by.get('cob-contractural-adjustment.835')).toMatchObject({ type: '835', errors: [], claimsMatched: 0, claimsUnmatched: 1 });
    expect(by.get('managed-care.835')!.summary).toMatch(/RUSHMORE LIFE 7170066655.*2 unmatched claim payment\(s\) wait in the queue/);
    // The 277's three claims were not sent from here: read, and said so.
    expect(by.get('claim-level-status.277')).toMatchObject({ type: '277', errors: [], claimsMatched: 0, claimsUnmatched: 3 });
    // The 271 is read, but its member id is nobody's here: one error saying so (it is recorded below against a coverage).
    expect(by.get('subscriber-health-benefit-check.271')!.errors).toEqual(['271: member id 123456789 matches no coverage on this device']);
    for (const n of names.filter((x) => /\.(837|270|276)$/.test(x))) {
      const r = by.get(n)!;
      const st01 = n.split('.').pop()!;
      expect(r.errors, n).toHaveLength(1);
      expect(r.errors[0], n).toMatch(new RegExp(`^ST segment 3: transaction set "${st01}" is not one Cairn reads`));
      expect(r.summary, n).toMatch(/not imported/);
      expect(r.postedCents).toBe(0);
    }
    // Unknown claims are never dropped: all three wait for a biller, with their payer and amounts.
    const queue = await unmatched();
    expect(queue.map((q) => [q.patientControlNumber, q.payerClaimNumber, q.paidCents, q.payerName]).sort()).toEqual([
      ['0001000055', '50650619501', 3400, 'YOUR TAX DOLLARS AT WORK'],
      ['5554555444', '94060555410000', 45000, 'RUSHMORE LIFE'],
      ['8765432112', '94077799230000', 49500, 'RUSHMORE LIFE'],
    ]);
    expect(await ledgerCount()).toBe(before);
    const e = await c.ok<{ result: { active: boolean; planName: string; copayCents: number } }>('billing.eligibility', {
      coverageId,
      response271: readFileSync(join(FIXTURES, 'subscriber-health-benefit-check.271'), 'latin1'),
    });
    expect(e.result).toMatchObject({ active: true, planName: 'GOLD 123 PLAN', copayCents: 1000 });
  });

  it('a 999 that rejects the batch moves its claims to rejected with the error sentence; resubmit brings one back to ready', async () => {
    const [a, b] = claims as [Claim, Claim, Claim];
    const batch = await c.ok<{ interchangeControl: number; claimCount: number }>('billing.batch', { claimIds: [a.id, b.id] });
    expect(batch.claimCount).toBe(2);
    const ack = reply('999', 501, [
      `AK1*HC*${batch.interchangeControl}*005010X222A1`,
      'AK2*837*0001*005010X222A1',
      'IK3*CLM*22*2300*8',
      'IK4*2*782*5*13750000000000',
      'IK5*R*5',
      'AK9*R*1*1*0',
    ]);
    const r = await importOne('reject.999', ack);
    expect(r).toMatchObject({ type: '999', errors: [], claimsMatched: 2 });
    const sentence = 'CLM segment at position 22 (loop 2300), element 2: the value is too long (bad value "13750000000000").';
    for (const x of [a, b]) {
      const now = await claim(x);
      expect(now.status).toBe('rejected');
      expect(now.history.at(-1)!.detail).toContain(sentence);
    }
    // A void needs the payer's claim number, which a rejected claim never got.
    const voided = await c.call('billing.correct', { claimId: b.id, action: 'void', note: 'sent by mistake' });
    expect(voided.ok).toBe(false);
    if (!voided.ok) expect(voided.error.message).toMatch(/has no payer claim number yet \(it comes with the payer's 835 or 277\)/);
    for (const x of [a, b]) {
      const back = await c.ok<Claim>('billing.correct', { claimId: x.id, action: 'resubmit', note: 'charge amount fixed' });
      expect(back.status).toBe('ready');
      expect(back.history.at(-1)!.detail).toBe('resubmit: charge amount fixed');
    }
  });

  it('a 277CA (HL patient level PT) with A3 rejects one claim and accepts the others; resubmit brings it back to ready', async () => {
    const [a, b, cc] = claims as [Claim, Claim, Claim];
    const batch = await c.ok<{ interchangeControl: number; claimCount: number }>('billing.batch', {});
    expect(batch.claimCount).toBe(3);
    // Shaped as the 005010X214 guide's example: 20 source, 21 receiver, 19 billing provider, PT patient; TRN02 echoes CLM01.
    const patient = (n: number, x: Claim, stc: string): string[] => [
      `HL*${n}*3*PT`,
      'NM1*QC*1*SYNTHETIC*JANE****MI*MEM123',
      `TRN*2*${x.claimNumber}`,
      `STC*${stc}*20261201*${stc.startsWith('A3') ? 'U' : 'WQ'}*125`,
      `REF*D9*CH${n}`,
      'DTP*472*D8*20261121',
    ];
    const ca = reply('277', 601, [
      'BHT*0085*08*277CA0001*20261201*1200*TH',
      ...['HL*1**20*1', 'NM1*AY*2*DEMO CLEARINGHOUSE*****46*DEMOCH', 'TRN*1*601', 'DTP*050*D8*20261201', 'DTP*009*D8*20261201'],
      ...['HL*2*1*21*1', 'NM1*41*2*HILLTOP FAMILY MEDICINE*****46*HILLTOP', `TRN*2*${batch.interchangeControl}`, 'STC*A1:19:PR*20261201*WQ*387.5'],
      ...['HL*3*2*19*1', `NM1*85*2*HILLTOP FAMILY MEDICINE*****XX*${npiOf('123456789')}`],
      ...patient(4, a, 'A1:20:PR'),
      ...patient(5, b, 'A1:20:PR'),
      ...patient(6, cc, 'A3:21:PR'),
    ]);
    const r = await importOne('ack.277', ca);
    expect(r.errors).toEqual([]);
    expect(r, r.summary).toMatchObject({ type: '277', claimsMatched: 3, claimsUnmatched: 0 });
    expect((await claim(a)).status).toBe('accepted');
    const rejected = await claim(cc);
    expect(rejected.status).toBe('rejected');
    expect(rejected.history.at(-1)!.detail).toMatch(/^277 A3:21/);
    const back = await c.ok<Claim>('billing.correct', { claimId: cc.id, action: 'resubmit', note: 'member id corrected' });
    expect(back.status).toBe('ready');
  });

  describe('an 835 for claim A', () => {
    const paid = (): EraClaim => officeVisitPaid(claims[0]!.claimNumber, 'ACME-777');
    const good = (): string => era835([paid()], { control: 701 });

    /** Imports a file that must be refused: one error naming the segment, nothing posted, nothing queued. */
    const refused = async (name: string, text: string, segment: RegExp): Promise<Report> => {
      const before = { ledger: await ledgerCount(), queue: (await unmatched()).length, status: (await claim(claims[0]!)).status };
      const r = await importOne(name, text);
      expect(r.errors, name).toHaveLength(1);
      expect(r.errors[0], name).toMatch(segment);
      expect(r, name).toMatchObject({ claimsMatched: 0, postedCents: 0, duplicate: false });
      expect(await ledgerCount(), name).toBe(before.ledger);
      expect((await unmatched()).length, name).toBe(before.queue);
      expect((await claim(claims[0]!)).status, name).toBe(before.status);
      return r;
    };

    it('truncated, miscounted (SE, GE, IEA) or unbalanced: one error naming the segment, nothing posted', async () => {
      const text = good();
      const cut = text.indexOf('CAS*PR');
      await refused('cut-mid-segment.835', text.slice(0, cut + 5), /^segment \d+ \("CAS\*P"\): the file ends inside a segment after CAS segment \d+/);
      await refused('cut-after-segment.835', text.slice(0, cut), /^SE segment missing: the file ends inside transaction set 835/);
      const se = /SE\*(\d+)\*0001/.exec(text)!;
      await refused('se.835', text.replace(se[0], `SE*${Number(se[1]) - 1}*0001`), /^SE segment \d+: says \d+ segments, the transaction set has \d+/);
      await refused('ge.835', text.replace('GE*1*701', 'GE*2*701'), /^GE segment \d+: says 2 transaction sets, the group has 1/);
      await refused('iea.835', text.replace('IEA*1*', 'IEA*3*'), /^IEA segment \d+: says 3 functional groups, the interchange has 1/);
      await refused(
        'unbalanced.835',
        text.replace('BPR*I*80.00', 'BPR*I*800.00'),
        /^BPR segment: BPR02 pays 800, but the claim payments \(CLP04\) add up to 80 .*must not be posted/,
      );
    });

    it('posts once; the same file again is a duplicate; the same claim payment in another file is refused by its CLP', async () => {
      const before = await ledgerCount();
      const r = await importOne('acme.835', good());
      expect(r).toMatchObject({ type: '835', errors: [], claimsMatched: 1, claimsUnmatched: 0, postedCents: 8000, duplicate: false });
      const posted = await ledgerCount();
      expect(posted).toBeGreaterThan(before);
      expect(await claim(claims[0]!)).toMatchObject({ status: 'paid', payerClaimNumber: 'ACME-777' });
      const again = await importOne('acme-copy.835', good());
      expect(again).toMatchObject({ duplicate: true, errors: [], postedCents: 0 });
      expect(await ledgerCount()).toBe(posted);
      // Another file (its own trace and control number) paying the same claim again, behind a stray claim that would queue.
      const stray: EraClaim = { claimNumber: 'CSTRAY0000000001', chargeCents: 5000, paidCents: 4000, payerClaimNumber: 'Q1', lines: [] };
      const other = era835([stray, paid()], { control: 702, trace: 'REISSUE702' });
      const x = await refused(
        'acme-reissued.835',
        other,
        /^CLP segment of claim 2 \([A-Z0-9]+\): this claim payment was already posted from ERA TRACE701 .*nothing in this file was posted/,
      );
      expect(x.type).toBe('835');
    });

    it('a void after payment carries the payer claim number: an 837P with CLM05 ending :8 and REF*F8', async () => {
      const v = await c.ok<Claim>('billing.correct', { claimId: claims[0]!.id, action: 'void', note: 'billed to the wrong payer' });
      expect(v).toMatchObject({ frequency: '8', status: 'ready', payerClaimNumber: 'ACME-777' });
      expect(v.claimNumber).not.toBe(claims[0]!.claimNumber);
      const original = await claim(claims[0]!);
      expect(original.history.at(-1)!.detail).toBe(`voided by ${v.claimNumber}: billed to the wrong payer`);
      const b = await c.ok<{ text: string; claimCount: number }>('billing.batch', { claimIds: [v.id] });
      expect(b.claimCount).toBe(1);
      expect(readInterchange(b.text).ok).toBe(true);
      const clm = b.text.split(/~\s*/).find((s) => s.startsWith(`CLM*${v.claimNumber}*`))!;
      expect(clm.split('*')[5]).toMatch(/^11:B:8$/);
      expect(b.text).toMatch(/~\s*REF\*F8\*ACME-777~/);
    });
  });
});
