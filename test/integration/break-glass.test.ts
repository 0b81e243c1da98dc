import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../shared/api/channels';
import type { Result } from '../../shared/api/result';
import type { Encounter, Note, Problem, Allergy } from '../../shared/domain/clinical';
import type { Patient } from '../../shared/domain/patient';
import { CHART_SCOPE } from '../../electron/services/chart-access.guard';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const SIG = {
  doseAmount: 5,
  doseUnit: 'mg',
  route: 'oral',
  frequency: 'qd',
  prn: false,
  quantity: 30,
  quantityUnit: 'tablet',
  refills: 0,
  indication: 'hypertension',
};
const NURSE = { username: 'nurse', password: 'tulip river 17' };
const BILLER = { username: 'biller', password: 'amber lantern meadow 4' };
const REASON = 'patient in clinic now with chest pain';

describe('restricted charts and break-glass, through the real dispatcher', () => {
  const t = tempDir('cairn-glass-');
  let now = new Date('2026-11-25T09:00:00Z');
  const clock = (): Date => now;
  let c: Clinic;
  let vip: Patient;
  let open: Patient;
  /** One valid input per guarded channel, each about the restricted patient or one of their rows. */
  let inputs: Partial<Record<Channel, unknown>>;
  /** The same for the billing channels, called by a biller (who may call them all). */
  let billingInputs: Partial<Record<Channel, unknown>>;
  /** The records channels (documents, C-CDA, referrals, imaging, care notices), about rows made before the chart was restricted. */
  let records: Partial<Record<Channel, unknown>>;
  const asDoctor = async (): Promise<void> => {
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.doc.username, password: CLINIC.doc.password });
  };
  const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code);

  beforeAll(async () => {
    c = await openClinic(t.dir, clock);
    vip = await c.ok<Patient>('patients.create', { givenName: 'Vera', familyName: 'Famous', birthDate: '1975-06-01', sex: 'female', phone: '617-555-0199' });
    open = await c.ok<Patient>('patients.create', { givenName: 'Otto', familyName: 'Ordinary', birthDate: '1980-01-01' });
    const visit = await c.ok<Encounter>('encounters.create', { patientId: vip.id, visitType: 'office_visit', reason: 'private matter' });
    const draft = await c.ok<Note>('notes.saveDraft', {
      patientId: vip.id,
      encounterId: visit.id,
      templateId: 'primary-care-soap',
      title: 'Visit',
      content: { 'chief-complaint': 'private complaint' },
    });
    const problem = await c.ok<Problem>('problems.add', { patientId: vip.id, icd10: 'I10' });
    const allergy = await c.ok<Allergy>('allergies.add', { kind: 'allergy', patientId: vip.id, substance: 'Latex', substanceType: 'other' });
    const lisinopril = (await c.ok<{ rxcui: string }[]>('meds.searchDrugs', { query: 'lisinopril' }))[0]!.rxcui;
    const rx = await c.ok<{ prescriptionId: string; courseId: string }>('meds.prescribe', {
      patientId: vip.id,
      rxcui: lisinopril,
      sig: SIG,
      password: CLINIC.doc.password,
    });
    const labOrder = await c.ok<{ id: string }>('labs.order', { patientId: vip.id, orderSetIds: ['cbc'] });
    const docId = c.session.requireUser().id;
    const appt = (
      await c.ok<{ appointments: { id: string }[] }>('schedule.book', {
        patientId: vip.id,
        providerId: docId,
        typeId: 'follow-up',
        startAt: '2026-11-26T15:00:00Z',
      })
    ).appointments[0]!;
    // An observation of the restricted chart (acknowledging a result names it by its id).
    const [reading] = await c.ok<{ id: string }[]>('vitals.record', {
      patientId: vip.id,
      takenAt: '2026-11-25T08:30:00Z',
      units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
      heartRate: 70,
    });
    // A finished visit of the restricted chart billed self-pay: its claim and its charge on the account.
    const billed = await c.ok<Encounter>('encounters.create', { patientId: vip.id, visitType: 'office_visit' });
    await c.ok('encounters.setStatus', { id: billed.id, status: 'finished' });
    const claim = await c.ok<{ id: string }>('billing.superbill', {
      encounterId: billed.id,
      diagnoses: ['I10'],
      lines: [{ code: '99213', chargeCents: 10000 }],
    });
    const entryId = (c.session.repos.store.sqlite.prepare('SELECT id FROM ledger_entries WHERE patient_id = ?').get(vip.id) as { id: string }).id;
    // Records in and out: a document, an unfiled fax, a received C-CDA with its items, a referral, an imaging order and a hospital notice.
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
    const doc = await c.ok<{ id: string }>('documents.attach', {
      patientId: vip.id,
      category: 'outside_lab',
      title: 'Outside CBC',
      fileName: 'cbc.pdf',
      dataBase64: pdf,
    });
    const unfiled = await c.ok<{ id: string }>('documents.inboxAdd', { fileName: 'fax.pdf', dataBase64: pdf });
    const ccdaXml = readFileSync(join(import.meta.dirname, '../fixtures/ccda/hl7-examples/CCD_CCD-2_CCD.xml'));
    const received = await c.ok<{ importId: string }>('ccda.import', {
      patientId: vip.id,
      fileName: 'ccd.xml',
      dataBase64: ccdaXml.toString('base64'),
      confirmPatient: true,
    });
    const sections = await c.ok<{ items: { id: string }[] }[]>('ccda.items', { patientId: vip.id });
    const itemId = sections.flatMap((x) => x.items)[0]!.id;
    const referral = await c.ok<{ id: string }>('referrals.create', { patientId: vip.id, specialty: 'Cardiology', reason: 'palpitations', diagnoses: ['I10'] });
    const imaging = await c.ok<{ id: string }>('imaging.order', { patientId: vip.id, loincCodes: ['36643-5'], indication: 'cough for three weeks' });
    const notice = await c.ok<{ id: string }>('care.record', {
      patientId: vip.id,
      kind: 'discharge',
      facility: 'Mercy Hospital',
      eventAt: '2026-11-24T16:00:00Z',
    });
    records = {
      'documents.list': { patientId: vip.id },
      'documents.attach': { patientId: vip.id, category: 'other', title: 't', fileName: 'a.pdf', dataBase64: pdf },
      'documents.open': { id: doc.id },
      'documents.update': { id: doc.id, version: 1, title: 'x' },
      'documents.remove': { id: doc.id, reason: 'wrong chart' },
      'documents.file': { id: unfiled.id, patientId: vip.id, category: 'other', title: 'x' },
      'ccda.import': { patientId: vip.id, fileName: 'ccd.xml', dataBase64: ccdaXml.toString('base64'), confirmPatient: true },
      'ccda.imports': { patientId: vip.id },
      'ccda.items': { patientId: vip.id },
      'ccda.decide': { itemIds: [itemId], decision: 'ignore' },
      'ccda.view': { importId: received.importId },
      'ccda.export': { patientId: vip.id },
      'referrals.create': { patientId: vip.id, specialty: 'Dermatology', reason: 'a changing mole', diagnoses: [] },
      'referrals.advance': { id: referral.id, to: 'sent' },
      'referrals.get': { id: referral.id },
      'referrals.list': { patientId: vip.id },
      'referrals.letter': { id: referral.id },
      'referrals.summary': { id: referral.id },
      'imaging.order': { patientId: vip.id, loincCodes: ['36643-5'], indication: 'cough for three weeks' },
      'imaging.list': { patientId: vip.id },
      'imaging.requisition': { id: imaging.id },
      'imaging.attachReport': { orderId: imaging.id, documentId: doc.id },
      'care.forPatient': { patientId: vip.id },
      'care.record': { patientId: vip.id, kind: 'admission', facility: 'Mercy Hospital', eventAt: '2026-11-25T06:00:00Z' },
      'care.followUp': { id: notice.id, status: 'done', note: 'called her at home; visit booked' },
    };
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
    await c.ok('users.create', { username: NURSE.username, displayName: 'Nora Nurse', role: 'nurse', password: NURSE.password });
    await c.ok('users.create', { username: BILLER.username, displayName: 'Bill Biller', role: 'billing', password: BILLER.password });
    const payer = await c.ok<{ id: string }>('billing.addPayer', { name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI' });
    const cov = await c.ok<{ id: string }>('billing.addCoverage', { patientId: vip.id, payerRef: payer.id, memberId: 'V1' });
    billingInputs = {
      'billing.coverages': { patientId: vip.id },
      'billing.addCoverage': { patientId: vip.id, payerRef: payer.id, rank: 'secondary', memberId: 'V2' },
      'billing.changeCoverage': { coverageId: cov.id, confirm: true },
      'billing.card': { coverageId: cov.id, side: 'front' },
      'billing.eligibility': { coverageId: cov.id },
      'billing.superbill': { encounterId: billed.id, diagnoses: ['I10'], lines: [{ code: '99213', chargeCents: 12000 }] },
      'billing.visitClaim': { encounterId: billed.id },
      'billing.claim': { claimId: claim.id },
      'billing.scrub': { claimId: claim.id },
      'billing.correct': { claimId: claim.id, action: 'resubmit', note: 'checked with the payer' },
      'billing.claimForm': { claimId: claim.id },
      'billing.resolveUnmatched': { id: '01960000-0000-7000-8000-0000000000aa', claimId: claim.id, note: 'the payer mistyped it' },
      'billing.account': { patientId: vip.id },
      'billing.pay': { patientId: vip.id, amountCents: 500, method: 'cash' },
      'billing.reverse': { patientId: vip.id, entryId, reason: 'posted twice' },
      'billing.statement': { patientId: vip.id },
    };
    // A portal invitation of the chart, made before it is restricted.
    const invite = await c.ok<{ inviteId: string }>('portal.invite', { patientId: vip.id });
    // The administrator restricts the chart (a staff member's, say).
    expect(await c.ok<Patient>('patients.setRestricted', { id: vip.id, restricted: true })).toMatchObject({ restricted: true, version: 2 });
    await asDoctor();
    const pw = CLINIC.doc.password;
    // A conflict record on the restricted chart, as the clinic server sends one (two phones written while apart).
    const conflictId = '01960000-0000-7000-8000-000000000001';
    c.session.repos.store.sqlite
      .prepare(
        `INSERT INTO sync_conflicts (id, kind, entity, entity_id, patient_id, field, "values", winner, status, created_at) VALUES (?, 'field', 'patient', ?, ?, 'phone', ?, NULL, 'open', ?)`,
      )
      .run(conflictId, vip.id, vip.id, JSON.stringify([{ value: '617-555-0199' }, { value: '617-555-0111' }]), now.toISOString());
    // A portal thread, its message and a reported item of the restricted chart, as the clinic server sends them.
    const portal = {
      threadId: '01960000-0000-7000-8000-0000000000b1',
      messageId: '01960000-0000-7000-8000-0000000000b2',
      itemId: '01960000-0000-7000-8000-0000000000b3',
    };
    const by = { at: now.toISOString(), who: 'portal:01960000-0000-7000-8000-0000000000b9' };
    const db = c.session.repos.store.sqlite;
    db.prepare(
      `INSERT INTO portal_threads (id, created_at, created_by, updated_at, updated_by, patient_id, subject, status, opened_by, last_message_at) VALUES (?, ?, ?, ?, ?, ?, 'private question', 'open', 'patient', ?)`,
    ).run(portal.threadId, by.at, by.who, by.at, by.who, vip.id, by.at);
    db.prepare(
      `INSERT INTO portal_messages (id, created_at, created_by, updated_at, updated_by, thread_id, patient_id, author_kind, author_id, author_name, body, attachment_name, attachment_type, attachment_bytes, attachment_data, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'patient', 'acct', 'Vera', 'a private question', 'scan.png', 'image/png', 3, 'AAAA', ?)`,
    ).run(portal.messageId, by.at, by.who, by.at, by.who, portal.threadId, vip.id, by.at);
    db.prepare(
      `INSERT INTO patient_reported_items (id, created_at, created_by, updated_at, updated_by, patient_id, submission_id, form_id, form_title, item_id, kind, label, value, submitted_at, submitted_by, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'ros', 'Review of systems', 'sleep', 'answer', 'Sleeping well?', '"no"', ?, 'patient', 'pending')`,
    ).run(portal.itemId, by.at, by.who, by.at, by.who, vip.id, portal.itemId, by.at);
    inputs = {
      'patients.update': { id: vip.id, expectedVersion: 2, phone: '617-555-0100' },
      'patients.get': { id: vip.id },
      'patients.chartHeader': { id: vip.id },
      'patients.setRestricted': { id: vip.id, restricted: false },
      'encounters.create': { patientId: vip.id, visitType: 'office_visit' },
      'encounters.setStatus': { id: visit.id, status: 'finished' },
      'encounters.list': { patientId: vip.id },
      'encounters.get': { id: visit.id },
      // The draft named by its id belongs to the restricted chart, whatever patientId says.
      'notes.saveDraft': { id: draft.id, patientId: open.id, templateId: 'primary-care-soap', title: 'Visit', content: { 'chief-complaint': 'edited' } },
      'notes.sign': { id: draft.id, expectedVersion: draft.version, password: pw },
      'notes.addendum': { noteId: draft.id, text: 'more', password: pw },
      'notes.enteredInError': { id: draft.id, reason: 'wrong patient' },
      'notes.list': { patientId: vip.id },
      'notes.pdf': { id: draft.id },
      'vitals.record': {
        patientId: vip.id,
        takenAt: '2026-11-25T09:30:00Z',
        units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
        systolic: 120,
        diastolic: 80,
      },
      'vitals.trends': { patientId: vip.id },
      'growth.chart': { patientId: vip.id },
      'growth.pdf': { patientId: vip.id },
      'growth.setBirthHistory': { patientId: vip.id, gestationalWeeks: 36, gestationalDays: 2 },
      'problems.add': { patientId: vip.id, icd10: 'E11.9' },
      'problems.update': { id: problem.id, expectedVersion: problem.version, status: 'resolved' },
      'problems.list': { patientId: vip.id },
      'allergies.add': { kind: 'nka', patientId: vip.id },
      'allergies.changeStatus': { id: allergy.id, expectedVersion: allergy.version, status: 'inactive' },
      'allergies.list': { patientId: vip.id },
      'immunizations.add': { patientId: vip.id, cvx: '141', administeredOn: '2026-10-01', source: 'historical' },
      'immunizations.list': { patientId: vip.id },
      'immunizations.due': { patientId: vip.id },
      'chart.summary': { patientId: vip.id },
      'meds.check': { patientId: vip.id, rxcui: lisinopril },
      'meds.list': { patientId: vip.id },
      'meds.add': { patientId: vip.id, name: 'Vitamin D' },
      'meds.prescribe': { patientId: vip.id, rxcui: lisinopril, sig: SIG, password: pw },
      'meds.change': { courseId: rx.courseId, dose: '10 mg daily', reason: 'pressure still high' },
      'meds.stop': { courseId: rx.courseId, reason: 'cough' },
      'meds.reconcile': { patientId: vip.id, items: [{ courseId: rx.courseId, action: 'continue' }] },
      'meds.prescriptionPdf': { id: rx.prescriptionId },
      'sync.conflicts.list': { patientId: vip.id },
      // Past the guard these fail on their own rules (no such value; not a duplicate conflict), changing nothing.
      'sync.conflicts.resolve': { id: conflictId, choice: 9 },
      'sync.conflicts.dismiss': { id: conflictId, reason: 'checked with the patient' },
      'patients.merge': { survivorId: vip.id, duplicateId: open.id, conflictId },
      'patients.unmerge': { id: vip.id },
      'patients.reassignMrn': { id: vip.id, conflictId },
      'patients.links': { id: vip.id },
      'labs.acknowledge': { observationIds: [reading!.id] },
      'labs.patientResults': { patientId: vip.id },
      'labs.resultVersions': { patientId: vip.id, id: reading!.id },
      'population.preventive': { patientId: vip.id },
      'labs.cumulative': { patientId: vip.id },
      'labs.trend': { patientId: vip.id, loinc: '2345-7' },
      'labs.matchToPatient': { reviewId: conflictId, patientId: vip.id },
      'labs.order': { patientId: vip.id, orderSetIds: ['tsh'] },
      'labs.orders': { patientId: vip.id },
      'labs.orderStatus': { id: labOrder.id, status: 'collected' },
      'labs.requisitionPdf': { id: labOrder.id },
      'labs.orderMessage': { id: labOrder.id },
      'schedule.book': { patientId: vip.id, providerId: docId, typeId: 'follow-up', startAt: '2026-11-26T16:00:00Z' },
      'schedule.reschedule': { id: appt.id, patientId: vip.id, startAt: '2026-11-27T15:00:00Z' },
      'schedule.cancel': { id: appt.id, patientId: vip.id, outcome: 'no_show', reason: 'did not come' },
      // Past the guard this fails on its own rule (a no-show cannot arrive), changing nothing.
      'schedule.advance': { id: appt.id, patientId: vip.id, to: 'arrived' },
      // Past the guard these fail on their own rules (no such review), changing nothing.
      'labs.resolveFieldDifference': { reviewId: conflictId, patientId: vip.id, keep: 'incoming' },
      'labs.resolveMerge': { reviewId: conflictId, action: 'merge', reason: 'same person, checked the ID card', survivorId: open.id, duplicateId: vip.id },
      // The portal desk: the chart's invitations, its threads (named by thread or message id), its reported items and confidential marks.
      'portal.invite': { patientId: vip.id },
      'portal.access': { patientId: vip.id },
      'portal.revoke': { inviteId: invite.inviteId, reason: 'lost the letter' },
      'portal.thread': { threadId: portal.threadId },
      'portal.attachment': { messageId: portal.messageId },
      'portal.reply': { threadId: portal.threadId, body: 'Please call us.' },
      'portal.assign': { threadId: portal.threadId, userId: docId },
      'portal.close': { threadId: portal.threadId },
      'portal.toNote': { threadId: portal.threadId },
      'portal.reported': { patientId: vip.id },
      'portal.accept': { itemId: portal.itemId },
      // Past the guard this fails on its own rule (the item was accepted just before), changing nothing.
      'portal.decline': { itemId: portal.itemId, reason: 'answered at the visit' },
      'portal.confidential': { patientId: vip.id, recordType: 'condition', recordId: problem.id, hidden: true, reason: 'adolescent confidential care' },
      'portal.confidentialList': { patientId: vip.id },
      ...records,
    };
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('guards every channel that names a patient or one of their rows (the test covers the whole list)', () => {
    const guarded = (Object.keys(CHART_SCOPE) as Channel[]).filter((ch) => CHART_SCOPE[ch] !== 'none');
    expect([...Object.keys(inputs), ...Object.keys(billingInputs)].sort()).toEqual(guarded.sort());
  });

  it('lists a restricted chart in search by name only, marked restricted', async () => {
    for (const query of ['famous', '617-555-0199', vip.mrn, '1975-06-01']) {
      expect(await c.ok('patients.search', { query }), query).toEqual([
        { id: vip.id, givenName: 'Vera', middleName: null, familyName: 'Famous', restricted: true },
      ]);
    }
    expect(await c.ok('patients.search', { query: 'ordinary' })).toMatchObject([{ id: open.id, mrn: open.mrn, birthDate: '1980-01-01', restricted: false }]);
  });

  it('refuses each guarded channel with break_glass_required, changes nothing and audits each attempt', async () => {
    const before = c.session.repos.audit.list().length;
    for (const [channel, input] of Object.entries(inputs)) {
      const r = await c.call(channel, input);
      expect(r, channel).toMatchObject({
        ok: false,
        error: { code: 'break_glass_required', message: 'this chart is restricted: break the glass (give a reason and your password) to open it' },
      });
    }
    const added = c.session.repos.audit.list().slice(before);
    // No write and no read went through: only the refusals were recorded, one per channel, naming it.
    expect(added.map((e) => e.action)).toEqual(Object.keys(inputs).map(() => 'chart.restricted_refused'));
    expect(added.map((e) => e.detail)).toEqual(Object.keys(inputs));
    expect(added.every((e) => e.patientId === vip.id)).toBe(true);
    // An open chart is not affected.
    expect(code(await c.call('chart.summary', { patientId: open.id }))).toBe('ok');
  });

  it('refuses break-glass without a proper reason, with a wrong password, or for an open chart', async () => {
    const missing = await c.call('patients.breakGlass', { patientId: vip.id, password: CLINIC.doc.password });
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'reason' }] } });
    const short = await c.call('patients.breakGlass', { patientId: vip.id, reason: '  urgent  ', password: CLINIC.doc.password });
    expect(short).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'reason', message: 'say why you need this restricted chart (at least 10 characters)' }] },
    });
    expect(await c.call('patients.breakGlass', { patientId: vip.id, reason: REASON })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'password' }] },
    });
    const wrong = await c.call('patients.breakGlass', { patientId: vip.id, reason: REASON, password: 'not my password' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'bad_credentials', message: 'that password is not right: breaking the glass was not done' } });
    expect(c.session.repos.audit.list().at(-1)).toMatchObject({ action: 'session.reauth_failed', detail: 'breaking the glass' });
    expect(c.session.repos.audit.list().some((e) => e.action === 'chart.break_glass')).toBe(false);
    expect(code(await c.call('chart.summary', { patientId: vip.id }))).toBe('break_glass_required');
    expect(await c.call('patients.breakGlass', { patientId: open.id, reason: REASON, password: CLINIC.doc.password })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('records break-glass with its reason, then opens the chart to that user only', async () => {
    const r = await c.ok<{ patientId: string; until: string }>('patients.breakGlass', {
      patientId: vip.id,
      reason: `  ${REASON}  `,
      password: CLINIC.doc.password,
    });
    expect(r).toEqual({ patientId: vip.id, until: new Date(now.getTime() + 30 * 60_000).toISOString() });
    const entry = c.session.repos.audit.list({ patientId: vip.id }).at(-1)!;
    expect(entry).toMatchObject({ action: 'chart.break_glass', userId: c.session.requireUser().id, recordId: vip.id });
    expect(JSON.parse(entry.detail!)).toEqual({ breakGlass: true, reason: REASON, minutes: 30 });

    // Every guarded channel now gets past the guard (its own rules still apply); lifting the restriction is kept for later.
    for (const [channel, input] of Object.entries(inputs).filter(([ch]) => ch !== 'patients.setRestricted')) {
      expect(code(await c.call(channel, input)), channel).not.toBe('break_glass_required');
    }
    const summary = await c.ok<{ patient: Patient }>('chart.summary', { patientId: vip.id });
    expect(summary.patient).toMatchObject({ id: vip.id, restricted: true });
    expect(c.session.repos.audit.list({ patientId: vip.id }).at(-1)).toMatchObject({ action: 'chart.open' });

    // Another person on another window of the same clinic database is still refused.
    const other = new Session({ dbFile: join(t.dir, 'clinic.cairn'), resourcesDir, now: clock });
    const call = (ch: string, i: unknown = {}): ReturnType<typeof dispatch> => dispatch(createHandlers({ session: other, now: clock }), ch, i);
    try {
      expect(code(await call('session.unlock', { passphrase: CLINIC.passphrase }))).toBe('ok');
      expect(code(await call('session.login', NURSE))).toBe('ok');
      expect(code(await call('chart.summary', { patientId: vip.id }))).toBe('break_glass_required');
      expect(code(await call('patients.chartHeader', { id: vip.id }))).toBe('break_glass_required');
      // The command line holds the clinic passphrase (every chart already): the guard does not apply to it.
      await call('session.logout');
      other.actAsOperator('cli:test');
      expect(code(await call('chart.summary', { patientId: vip.id }))).toBe('ok');
    } finally {
      other.close();
    }

    // The same window, another user: refused; the physician again after signing out: refused too.
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
    expect(code(await c.call('chart.summary', { patientId: vip.id }))).toBe('break_glass_required');
    await asDoctor();
    expect(code(await c.call('chart.summary', { patientId: vip.id }))).toBe('break_glass_required');
  });

  it('ends after 30 minutes, even for a user who stays active, at an idle sign-out and at lock', async () => {
    await c.ok('patients.breakGlass', { patientId: vip.id, reason: REASON, password: CLINIC.doc.password });
    for (let minutes = 5; minutes <= 25; minutes += 5) {
      now = new Date(now.getTime() + 5 * 60_000);
      expect(code(await c.call('chart.summary', { patientId: vip.id })), `${minutes} min`).toBe('ok');
    }
    now = new Date(now.getTime() + 4 * 60_000 + 59_000);
    expect(code(await c.call('chart.summary', { patientId: vip.id }))).toBe('ok');
    now = new Date(now.getTime() + 2_000);
    expect(code(await c.call('chart.summary', { patientId: vip.id }))).toBe('break_glass_required');

    await c.ok('patients.breakGlass', { patientId: vip.id, reason: REASON, password: CLINIC.doc.password });
    now = new Date(now.getTime() + 11 * 60_000);
    expect(code(await c.call('chart.summary', { patientId: vip.id }))).toBe('unauthenticated');
    await c.ok('session.login', { username: CLINIC.doc.username, password: CLINIC.doc.password });
    expect(code(await c.call('chart.summary', { patientId: vip.id }))).toBe('break_glass_required');

    await c.ok('patients.breakGlass', { patientId: vip.id, reason: REASON, password: CLINIC.doc.password });
    await c.ok('session.lock');
    await c.ok('session.unlock', { passphrase: CLINIC.passphrase });
    await c.ok('session.login', { username: CLINIC.doc.username, password: CLINIC.doc.password });
    expect(code(await c.call('chart.summary', { patientId: vip.id }))).toBe('break_glass_required');
  });

  it('lifts a restriction only with the glass broken, and audits marking and unmarking', async () => {
    expect(code(await c.call('patients.setRestricted', { id: vip.id, restricted: false }))).toBe('break_glass_required');
    await c.ok('patients.breakGlass', { patientId: vip.id, reason: 'patient asked to lift the restriction', password: CLINIC.doc.password });
    expect(await c.ok<Patient>('patients.setRestricted', { id: vip.id, restricted: false })).toMatchObject({ restricted: false });
    await asDoctor();
    expect(code(await c.call('chart.summary', { patientId: vip.id }))).toBe('ok');
    expect(await c.ok('patients.search', { query: 'famous' })).toMatchObject([{ id: vip.id, mrn: vip.mrn, restricted: false }]);
    // Restricting an open chart needs no glass; a nurse may not do either.
    expect(await c.ok<Patient>('patients.setRestricted', { id: vip.id, restricted: true })).toMatchObject({ restricted: true });
    const actions = c.session.repos.audit.list({ patientId: vip.id }).map((e) => e.action);
    expect(actions.filter((a) => a === 'patient.restrict')).toHaveLength(2);
    expect(actions.filter((a) => a === 'patient.unrestrict')).toHaveLength(1);
    await c.ok('session.logout');
    await c.ok('session.login', NURSE);
    expect(await c.call('patients.setRestricted', { id: vip.id, restricted: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a biller each billing channel on the restricted chart until they break the glass themselves', async () => {
    await c.ok('session.logout');
    await c.ok('session.login', BILLER);
    const before = c.session.repos.audit.list().length;
    for (const [channel, input] of Object.entries(billingInputs)) {
      expect(code(await c.call(channel, input)), channel).toBe('break_glass_required');
    }
    const added = c.session.repos.audit.list().slice(before);
    expect(added.map((e) => e.detail)).toEqual(Object.keys(billingInputs));
    expect(added.every((e) => e.action === 'chart.restricted_refused' && e.patientId === vip.id)).toBe(true);
    await c.ok('patients.breakGlass', { patientId: vip.id, reason: 'the payer asks about this claim today', password: BILLER.password });
    for (const [channel, input] of Object.entries(billingInputs)) {
      expect(code(await c.call(channel, input)), channel).not.toBe('break_glass_required');
    }
    await asDoctor();
  });
});
