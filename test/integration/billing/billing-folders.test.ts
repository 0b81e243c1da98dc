import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_SETTINGS, DOC_NPI } from '../../helpers/billing-setup';
import { CLINIC, openClinic, type Clinic } from '../../helpers/clinic';
import { era835, isa } from '../../helpers/era';
import { tempDir } from '../../helpers/temp-db';

describe('the folder-drop clearinghouse: batches and inquiries written whole, replies taken once', () => {
  const t = tempDir('cairn-billing-folders-');
  const outbound = join(t.dir, 'clearinghouse', 'out');
  const inbound = join(t.dir, 'clearinghouse', 'in');
  let c: Clinic;
  let claimNumber: string;
  let control: number;

  beforeAll(async () => {
    c = await openClinic(t.dir, () => new Date('2026-12-01T15:00:00Z'));
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
    await c.ok('users.update', { username: CLINIC.doc.username, npi: DOC_NPI });
    await c.ok('billing.setSettings', { ...BILLING_SETTINGS, outboundFolder: outbound, inboundFolder: inbound });
    await c.ok('billing.importFees', { kind: 'fees', fileName: 'fees.csv', csv: 'code,modifier,price\n99213,,125.00\n', effectiveFrom: '2026-01-01' });
    const payer = await c.ok<{ id: string }>('billing.addPayer', { name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI' });
    const p = await c.ok<{ id: string }>('patients.create', { givenName: 'Folder', familyName: 'Synthetic', birthDate: '1975-05-05', sex: 'male' });
    const cov = await c.ok<{ id: string }>('billing.addCoverage', { patientId: p.id, payerRef: payer.id, memberId: 'F123' });
    const e = await c.ok<{ fileName: string; inquiry270: string; waiting: boolean }>('billing.eligibility', { coverageId: cov.id });
    expect(e.waiting).toBe(true);
    expect(readFileSync(join(outbound, e.fileName), 'latin1')).toBe(e.inquiry270);
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.doc.username, password: CLINIC.doc.password });
    const v = await c.ok<{ id: string }>('encounters.create', { patientId: p.id, visitType: 'office_visit', startAt: '2026-11-20T15:00:00Z' });
    await c.ok('encounters.setStatus', { id: v.id, status: 'finished' });
    claimNumber = (await c.ok<{ claimNumber: string }>('billing.superbill', { encounterId: v.id, diagnoses: ['I10'], lines: [{ code: '99213' }] })).claimNumber;
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('drops the 837P batch in the outbound folder, whole, with no partial file left', async () => {
    const b = await c.ok<{ fileName: string; text: string; interchangeControl: number }>('billing.batch', {});
    control = b.interchangeControl;
    expect(readFileSync(join(outbound, b.fileName), 'latin1')).toBe(b.text);
    expect(readdirSync(outbound).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(readdirSync(outbound)).toHaveLength(2);
  });

  it('imports every waiting reply once: posted files to done/, refused ones to refused/', async () => {
    mkdirSync(inbound, { recursive: true });
    const ack =
      [
        isa('DEMOCH', 'HILLTOP', 601),
        'GS*FA*DEMOCH*HILLTOP*20261201*1200*601*X*005010X231A1',
        'ST*999*0001*005010X231A1',
        `AK1*HC*${control}*005010X222A1`,
        'AK2*837*0001*005010X222A1',
        'IK5*A',
        'AK9*A*1*1*1',
        'SE*6*0001',
        'GE*1*601',
        'IEA*1*000000601',
      ].join('~\n') + '~\n';
    writeFileSync(join(inbound, '01-ack.999'), ack);
    const era = era835([
      {
        claimNumber,
        chargeCents: 12500,
        paidCents: 9000,
        payerClaimNumber: 'A-1',
        lines: [{ code: '99213', chargeCents: 12500, paidCents: 9000, adjustments: [{ group: 'CO', reason: '45', cents: 3500 }] }],
      },
    ]);
    writeFileSync(join(inbound, '02-remit.835'), era);
    writeFileSync(join(inbound, '03-truncated.835'), era.slice(0, 200));
    writeFileSync(join(inbound, '.04-partial.part'), 'still being written');
    const reports = await c.ok<{ fileName: string; type: string; errors: string[]; claimsMatched: number }[]>('billing.fetchReplies');
    expect(reports.map((r) => [r.fileName, r.type, r.errors.length])).toEqual([
      ['01-ack.999', '999', 0],
      ['02-remit.835', '835', 0],
      ['03-truncated.835', 'unknown', 1],
    ]);
    expect(readdirSync(join(inbound, 'done')).sort()).toEqual(['01-ack.999', '02-remit.835']);
    expect(readdirSync(join(inbound, 'refused'))).toEqual(['03-truncated.835']);
    expect(existsSync(join(inbound, '.04-partial.part'))).toBe(true);
    expect(await c.ok('billing.fetchReplies')).toEqual([]);
    const claims = await c.ok<{ claimNumber: string; status: string }[]>('billing.claims', {});
    expect(claims.find((x) => x.claimNumber === claimNumber)?.status).toBe('paid');
  });
});
