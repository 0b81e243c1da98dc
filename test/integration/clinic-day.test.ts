import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_SETTINGS, DOC_NPI } from '../helpers/billing-setup';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { pdfLines } from '../helpers/pdf-text';
import { tempDir } from '../helpers/temp-db';
import { X12_FIXTURES } from '../unit/shared/x12/fixtures';

/**
 * The clinic's day, on a Sunday evening in New York (the shipped clinic-hours.json zone): 20:30 on
 * 6 December is already 7 December in UTC. Every "today" the app decides — the day a fee schedule
 * starts, a visit's date of service, the date of an eligibility inquiry, the latest date a vaccine
 * can have been given — is the clinic's 6 December, not UTC's 7th. (A fee schedule loaded that
 * evening once started "tomorrow", so that evening's visits came out unpriced.)
 */
describe("the clinic's day in the evening, when UTC's date is already tomorrow", () => {
  const EVENING = new Date('2026-12-07T01:30:00Z'); // 20:30 EST, Sunday 6 December
  const t = tempDir('cairn-clinic-day-');
  let c: Clinic;
  let patientId: string;
  let coverageId: string;
  const FRONT = { username: 'frontdesk', password: 'copper meadow lantern nine' };

  beforeAll(async () => {
    c = await openClinic(t.dir, () => EVENING);
    await c.ok('session.login', CLINIC.admin);
    await c.ok('users.update', { username: CLINIC.doc.username, npi: DOC_NPI });
    await c.ok('billing.setSettings', BILLING_SETTINGS);
    // No start date given: the schedule starts on the clinic's today.
    await c.ok('billing.importFees', { kind: 'fees', fileName: 'fees.csv', csv: 'code,modifier,price\n99213,,125.00\n' });
    await c.ok('billing.importFees', { kind: 'cpt', fileName: 'cpt.csv', csv: 'code,description\n99213,Office visit est. low\n' });
    await c.ok('billing.addPayer', { name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI' });
    const acme = (await c.ok<{ id: string; payerId: string }[]>('billing.payers')).find((p) => p.payerId === 'ACME1')!.id;
    await c.ok('users.create', { username: 'frontdesk', displayName: 'Fran Front', role: 'front_desk', password: FRONT.password });
    await c.ok('session.logout');
    await c.ok('session.login', FRONT);
    patientId = (await c.ok<{ id: string }>('patients.create', { givenName: 'Evening', familyName: 'Synthetic', birthDate: '1975-05-05', sex: 'female' })).id;
    coverageId = (await c.ok<{ id: string }>('billing.addCoverage', { patientId, payerRef: acme, memberId: 'EVE1', effectiveFrom: '2026-01-01' })).id;
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.doc);
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it("tells the screens the clinic's zone, so their default dates and ages follow it", async () => {
    const s = await c.ok<{ clinicZone: string | null }>('session.status');
    expect(s.clinicZone).toBe('America/New_York');
  });

  it('bills a 19:15 visit on its own day, priced from the schedule loaded that evening', async () => {
    const visit = await c.ok<{ id: string }>('encounters.create', { patientId, visitType: 'office_visit', startAt: '2026-12-07T00:15:00Z' });
    await c.ok('encounters.setStatus', { id: visit.id, status: 'finished' });
    const claim = await c.ok<{ status: string; serviceDate: string; lines: { chargeCents: number }[]; findings: { message: string }[] }>('billing.superbill', {
      encounterId: visit.id,
      diagnoses: ['I10'],
      lines: [{ code: '99213' }],
    });
    expect(claim.serviceDate).toBe('2026-12-06');
    expect(claim.lines.map((l) => l.chargeCents)).toEqual([12500]);
    expect(claim.findings).toEqual([]);
    expect(claim.status).toBe('ready');
  });

  it("dates that visit's printed summary on its own day", async () => {
    const visit = await c.ok<{ id: string }>('encounters.create', { patientId, visitType: 'office_visit', startAt: '2026-12-07T00:40:00Z' });
    const note = await c.ok<{ id: string }>('notes.saveDraft', {
      patientId,
      encounterId: visit.id,
      templateId: 'primary-care-soap',
      title: 'SOAP note',
      content: {},
    });
    const pdf = await c.ok<{ fileName: string; base64: string }>('notes.pdf', { id: note.id });
    expect(pdfLines(Buffer.from(pdf.base64, 'base64')).join('\n')).toMatch(/ on 2026-12-06\b/);
    expect(pdf.fileName).toMatch(/-2026-12-06\.pdf$/);
  });

  it("names the chart's C-CDA export by the clinic's day", async () => {
    const ccd = await c.ok<{ fileName: string; xml: string }>('ccda.export', { patientId });
    expect(ccd.fileName).toMatch(/^ccd-\d+-2026-12-06\.xml$/);
  });

  it('counts a referral sent that evening from its own day', async () => {
    const r = await c.ok<{ id: string }>('referrals.create', {
      patientId,
      specialty: 'Cardiology',
      reason: 'Chest pressure at rest this evening',
      urgency: 'stat',
    });
    const sent = await c.ok<{ replyDue: string }>('referrals.advance', { id: r.id, to: 'sent' });
    expect(sent.replyDue).toBe('2026-12-08'); // stat: two days from the 6th
  });

  it("asks the payer about the clinic's today", async () => {
    await c.ok('session.logout');
    await c.ok('session.login', FRONT);
    const e = await c.ok<{ inquiry270: string }>('billing.eligibility', {
      coverageId,
      response271: readFileSync(join(X12_FIXTURES, 'subscriber-health-benefit-check.271'), 'latin1'),
    });
    expect(e.inquiry270).toMatch(/DTP\*291\*D8\*20261206~/);
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.doc);
  });

  it("puts an evening payment on that day's day sheet and in that day's aging", async () => {
    await c.ok('session.logout');
    await c.ok('session.login', FRONT);
    await c.ok('billing.pay', { patientId, amountCents: 2500, method: 'card', memo: 'copay' });
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.admin);
    const sheet = await c.ok<{ rows: (string | number)[][] }>('billing.report', { kind: 'day-sheet', from: '2026-12-06', to: '2026-12-06' });
    expect(sheet.rows.map((r) => r[5])).toContain(-2500);
    // Posted at the clinic's time, as the front desk took it: not 01:30 on UTC's tomorrow.
    expect(sheet.rows.find((r) => r[5] === -2500)?.[0]).toBe('2026-12-06 20:30');
    const tomorrow = await c.ok<{ rows: unknown[] }>('billing.report', { kind: 'day-sheet', from: '2026-12-07', to: '2026-12-07' });
    expect(tomorrow.rows).toEqual([]);
    const aging = await c.ok<{ asOf: string; totalCents: number }>('billing.aging', {});
    expect(aging.asOf).toBe('2026-12-06');
    // The 19:15 visit's $125.00 charge, less the $25.00 paid that evening.
    expect(aging.totalCents).toBe(10000);
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.doc);
  });

  it("counts a blood pressure taken at 20:00 as today's screening", async () => {
    const units = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' };
    await c.ok('vitals.record', { patientId, takenAt: '2026-12-07T01:00:00.000Z', units, systolic: 122, diastolic: 78 });
    const items = await c.ok<{ ruleId: string; status: string; evidence: { on: string } | null }[]>('population.preventive', { patientId });
    const bp = items.find((i) => i.ruleId === 'blood-pressure-screening');
    expect(bp).toMatchObject({ status: 'done', evidence: { on: '2026-12-06' } });
  });

  it("refuses a vaccine dated the clinic's tomorrow and takes one given today", async () => {
    const tomorrow = await c.call('immunizations.add', { patientId, cvx: '141', administeredOn: '2026-12-07', source: 'administered' });
    expect(tomorrow.ok).toBe(false);
    expect(tomorrow.ok ? '' : tomorrow.error.message).toBe('the date given is in the future');
    const today = await c.call('immunizations.add', { patientId, cvx: '141', administeredOn: '2026-12-06', source: 'administered' });
    expect(today.ok).toBe(true);
  });
});
