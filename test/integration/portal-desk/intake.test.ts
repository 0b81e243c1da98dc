import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportedItemView, ReportedSubmission } from '../../../shared/api/portal.contract';
import type { Allergy } from '../../../shared/domain/clinical';
import type { Coverage } from '../../../shared/domain/billing/model';
import type { MedicationCourse } from '../../../shared/domain/medications';
import type { Patient } from '../../../shared/domain/patient';
import { checkOutboxPayloads } from '../../helpers/outbox-check';
import { tempDir } from '../../helpers/temp-db';
import { openDesk, type Desk } from './desk-setup';

// Items as the clinic server writes them from a filled intake form (electron/server/portal/portal-forms.ts):
// demographics { field, value }, one medication or allergy per item, a score with its answers, answers as text.
const PHQ9 = { instrument: 'phq9', answers: [1, 1, 2, 1, 0, 1, 1, 0, 1], total: 8, severity: 'mild', flags: ['Item 9 positive: assess suicide risk today'] };

describe('patient-reported items: reviewed one by one at check-in, accepted into the chart or declined, never twice', () => {
  const t = tempDir('cairn-portal-intake-');
  const now = new Date('2026-12-07T14:00:00.000Z');
  const outboxCheck = checkOutboxPayloads();
  let d: Desk;
  let ines: Patient;
  let acme: { id: string };
  let oldCoverage: Coverage;
  let appointmentId: string;
  const items: Record<string, string> = {};
  const submission = '01960000-0000-7000-8000-00000000f001';
  const row = (id: string): Record<string, unknown> =>
    d.session.repos.store.sqlite.prepare('SELECT * FROM patient_reported_items WHERE id = ?').get(id) as Record<string, unknown>;
  const accept = (itemId: string, extra: object = {}): Promise<ReportedItemView> => d.ok<ReportedItemView>('portal.accept', { itemId, ...extra });

  beforeAll(async () => {
    d = await openDesk(t.dir, () => now);
    ines = await d.patient('Ines', 'Intake');
    await d.ok('meds.add', { patientId: ines.id, name: 'Lisinopril', dose: '10 mg' });
    await d.as('desk');
    acme = await d.ok<{ id: string }>('billing.addPayer', { name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI' });
    oldCoverage = await d.ok<Coverage>('billing.addCoverage', { patientId: ines.id, payerRef: acme.id, memberId: 'OLD1', effectiveFrom: '2026-01-01' });
    const booked = await d.ok<{ appointments: { id: string }[] }>('schedule.book', {
      patientId: ines.id,
      providerId: d.userId('doc'),
      typeId: 'follow-up',
      startAt: '2026-12-07T15:00:00Z',
    });
    appointmentId = booked.appointments[0]!.id;
    const from = (kind: Parameters<Desk['fromPortal']['item']>[1], value: unknown, itemId: string, extra: object = {}): string =>
      d.fromPortal.item(ines.id, kind, value, { submissionId: submission, itemId, label: itemId, appointmentId, at: '2026-12-06T20:00:00.000Z', ...extra });
    items['phone'] = from('demographics', { field: 'phone', value: '617-555-0199' }, 'phone');
    items['address'] = from(
      'demographics',
      { field: 'address', value: { line1: '9 Elm St', line2: '', city: 'Salem', state: 'MA', postalCode: '01970' } },
      'address',
    );
    items['insurance'] = from('insurance', { payerName: 'acme health', memberId: 'NEW22', groupNumber: 'G9', subscriberName: '' }, 'insurance');
    items['metformin'] = from('medication', { name: 'Metformin', dose: '500 mg', howOften: 'twice a day', stopped: false }, 'medications-1');
    items['lisinoprilStop'] = from('medication', { name: 'lisinopril', dose: '', howOften: '', stopped: true }, 'medications-2');
    items['lisinoprilAgain'] = from('medication', { name: 'LISINOPRIL', dose: '20 mg', howOften: 'daily', stopped: false }, 'medications-3');
    items['penicillin'] = from('allergy', { substance: 'Penicillin', reaction: 'hives' }, 'allergies-1');
    items['latex'] = from('allergy', { substance: 'Latex', reaction: '' }, 'allergies-2');
    items['phq9'] = from('score', PHQ9, 'phq9');
    items['sleep'] = from('answer', 'no', 'sleeping-well');
    items['notes'] = from('answer', 'I would like a flu shot', 'anything-else', {
      appointmentId: undefined,
      submissionId: '01960000-0000-7000-8000-00000000f002',
      at: '2026-12-01T10:00:00.000Z',
    });
    await d.as('doc');
  });
  afterAll(() => {
    outboxCheck.restore();
    d.session.close();
    t.cleanup();
  });

  it('lists what the patient sent by submission with what the chart holds now; the front desk sees demographics and insurance only', async () => {
    const subs = await d.ok<ReportedSubmission[]>('portal.reported', { patientId: ines.id });
    expect(subs.map((s) => [s.submissionId, s.items.length])).toEqual([
      [submission, 10],
      ['01960000-0000-7000-8000-00000000f002', 1],
    ]);
    const byItem = Object.fromEntries(subs[0]!.items.map((i) => [i.itemId, i]));
    expect(byItem['phone']).toMatchObject({ kind: 'demographics', text: 'Phone: 617-555-0199', chartNow: '617-555-0101', status: 'pending' });
    expect(byItem['address']).toMatchObject({ text: 'Address: 9 Elm St, Salem, MA 01970', chartNow: 'no address on the chart' });
    expect(byItem['insurance']).toMatchObject({ text: 'acme health, member NEW22, group G9', chartNow: 'Acme Health, member OLD1' });
    expect(byItem['medications-2']).toMatchObject({ text: 'lisinopril (stopped taking it)', chartNow: 'on the medication list: Lisinopril 10 mg' });
    expect(byItem['allergies-1']).toMatchObject({ text: 'Penicillin (hives)', chartNow: null });
    expect(byItem['phq9']).toMatchObject({ text: 'PHQ-9 total 8 (mild). Item 9 positive: assess suicide risk today', chartNow: null });
    expect(d.session.repos.audit.list({ patientId: ines.id }).at(-1)).toMatchObject({ action: 'portal.reported.read' });

    await d.as('desk');
    const desk = await d.ok<ReportedSubmission[]>('portal.reported', { patientId: ines.id });
    expect(desk.flatMap((s) => s.items.map((i) => i.kind)).sort()).toEqual(['demographics', 'demographics', 'insurance']);
  });

  it('front desk: accepts a new phone (the old one kept in the audit), refused a clinical item', async () => {
    const r = await accept(items['phone']!, { note: 'confirmed with the patient' });
    expect(r).toMatchObject({
      status: 'accepted',
      reviewedBy: 'Frank Desk',
      reviewedAt: now.toISOString(),
      reviewNote: 'confirmed with the patient',
      chartRecord: `patient:${ines.id}`,
    });
    expect((await d.ok<Patient>('patients.get', { id: ines.id })).phone).toBe('617-555-0199');
    const entry = d.session.repos.audit.list({ patientId: ines.id }).find((e) => e.action === 'portal.intake.accept')!;
    expect(JSON.parse(entry.detail!)).toEqual({ kind: 'demographics', chartRecord: `patient:${ines.id}`, field: 'phone', previous: '617-555-0101' });
    expect(d.outbox('patient_reported_item', items['phone']!).length).toBe(1);
    expect(d.outbox('patient', ines.id).map((o) => o.op)).toEqual(['insert', 'update']);

    expect(await d.call('portal.accept', { itemId: items['penicillin'] })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'accepting a patient-reported allergy needs a physician or nurse' },
    });
    expect(d.code(await d.call('portal.decline', { itemId: items['phq9'], reason: 'not mine to review' }))).toBe('forbidden');
    expect(row(items['penicillin']!)).toMatchObject({ status: 'pending', reviewed_by: null });
  });

  it('refuses to accept an item twice (or decline it after), whoever asks', async () => {
    expect(await d.call('portal.accept', { itemId: items['phone'] })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `this item was already accepted by Frank Desk at ${now.toISOString()}: it is reviewed once` },
    });
    expect(d.code(await d.call('portal.decline', { itemId: items['phone'], reason: 'changed my mind' }))).toBe('conflict');
  });

  it('front desk: an address; the insurance ends the old primary coverage and adds the new one', async () => {
    await accept(items['address']!);
    expect((await d.ok<Patient>('patients.get', { id: ines.id })).address).toMatchObject({
      line1: '9 Elm St',
      city: 'Salem',
      state: 'MA',
      postalCode: '01970',
    });

    const r = await accept(items['insurance']!);
    const coverages = await d.ok<Coverage[]>('billing.coverages', { patientId: ines.id });
    const added = coverages.find((c) => c.memberId === 'NEW22')!;
    expect(added).toMatchObject({
      payerRef: acme.id,
      rank: 'primary',
      groupNumber: 'G9',
      effectiveFrom: '2026-12-07',
      effectiveTo: null,
      relationship: 'self',
    });
    expect(coverages.find((c) => c.id === oldCoverage.id)).toMatchObject({ memberId: 'OLD1', effectiveTo: '2026-12-06' });
    expect(r.chartRecord).toBe(`coverage:${added.id}`);
    const entry = d.session.repos.audit
      .list({ patientId: ines.id })
      .filter((e) => e.action === 'portal.intake.accept')
      .at(-1)!;
    expect(JSON.parse(entry.detail!)).toMatchObject({ kind: 'insurance', previous: { coverageId: oldCoverage.id, payer: 'Acme Health', memberId: 'OLD1' } });
  });

  it('clinical items need a physician or nurse: an allergy goes on the allergy list with its reaction', async () => {
    await d.as('nurse');
    const before = await d.ok<Allergy[]>('allergies.list', { patientId: ines.id });
    const r = await accept(items['penicillin']!, { substanceType: 'drug' });
    const after = await d.ok<Allergy[]>('allergies.list', { patientId: ines.id });
    expect(after.length).toBe(before.length + 1);
    const pen = after.find((a) => a.substance === 'Penicillin')!;
    expect(pen).toMatchObject({ status: 'active', substanceType: 'drug', reactions: ['hives'], note: 'Reported by the patient on the portal' });
    expect(r).toMatchObject({ status: 'accepted', reviewedBy: 'Nina Nurse', chartRecord: `allergy:${pen.id}` });
    expect(d.outbox('allergy', pen.id)).toEqual([{ op: 'insert' }]);
  });

  it('a medication goes on the list as patient-reported; a reported stop stops the listed one; a listed one is not added again', async () => {
    await accept(items['metformin']!);
    await accept(items['lisinoprilStop']!);
    const { courses } = await d.ok<{ courses: MedicationCourse[] }>('meds.list', { patientId: ines.id });
    const metformin = courses.find((c) => c.drugName === 'Metformin')!;
    expect(metformin).toMatchObject({ status: 'active', dose: '500 mg', frequency: 'twice a day', uncoded: true });
    expect(metformin.events[0]).toMatchObject({ source: 'patient-reported' });
    expect(courses.find((c) => c.drugName === 'Lisinopril')).toMatchObject({ status: 'stopped' });
    expect(row(items['metformin']!)['chart_record']).toBe(`medication_course:${metformin.courseId}`);

    // Metformin is listed now: the same drug reported again is refused, not added twice.
    const again = d.fromPortal.item(ines.id, 'medication', { name: 'metformin', dose: '1000 mg', howOften: '', stopped: false });
    expect(await d.call('portal.accept', { itemId: again })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Metformin (500 mg) is already on the medication list: change it there if the dose differs, and decline this item' },
    });
    expect(row(again)['status']).toBe('pending');
  });

  it('a PHQ-9 becomes a survey observation, scored again by Cairn from the answers', async () => {
    const r = await accept(items['phq9']!);
    const obsId = r.chartRecord!.split(':')[1]!;
    const obs = d.session.repos.store.sqlite.prepare('SELECT * FROM observations WHERE id = ?').get(obsId) as Record<string, unknown>;
    expect(obs).toMatchObject({
      patient_id: ines.id,
      category: 'survey',
      loinc: '44261-6',
      display: 'PHQ-9 total score',
      value_num: 8,
      value_text: 'mild',
      unit: '{score}',
      status: 'final',
      effective_at: '2026-12-06T20:00:00.000Z',
      interpretation: 'Item 9 positive: assess suicide risk today',
    });
    expect(d.outbox('observation', obsId)).toEqual([{ op: 'insert' }]);
    expect(d.session.repos.audit.list({ patientId: ines.id }).some((e) => e.action === 'observation.record' && e.recordId === obsId)).toBe(true);
    // The next questionnaire is shown beside this one.
    const next = d.fromPortal.item(ines.id, 'score', { ...PHQ9, answers: [0, 0, 0, 0, 0, 0, 0, 0, 0], total: 0, severity: 'none-minimal', flags: [] });
    const subs = await d.ok<ReportedSubmission[]>('portal.reported', { patientId: ines.id });
    expect(subs.flatMap((s) => s.items).find((i) => i.id === next)!.chartNow).toBe('last PHQ-9: 8 on 2026-12-06');
    // An incomplete one (a partial list of answers) cannot be scored, so it is not accepted.
    const partial = d.fromPortal.item(ines.id, 'score', { ...PHQ9, answers: [1, 1] });
    expect(await d.call('portal.accept', { itemId: partial })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('an answer joins the visit’s check-in record once checked in; an answer with no visit is kept on the reviewed item', async () => {
    const noVisit = await accept(items['notes']!);
    expect(noVisit).toMatchObject({ status: 'accepted', chartRecord: null });

    // Before check-in there is no check-in record to add to: the answer stays on the item.
    await d.as('desk');
    await d.ok('schedule.advance', { id: appointmentId, patientId: ines.id, to: 'arrived' });
    await d.ok('schedule.advance', {
      id: appointmentId,
      patientId: ines.id,
      to: 'checked_in',
      checklist: { demographicsConfirmed: true, insurance: 'verified', intake: { 'new-symptoms': 'no', 'medication-changes': 'yes', 'fall-risk': 'no' } },
    });
    await d.as('doc');
    const r = await accept(items['sleep']!);
    expect(r.chartRecord).toBe(`appointment:${appointmentId}`);
    const checkIn = JSON.parse(
      (d.session.repos.store.sqlite.prepare('SELECT check_in FROM appointments WHERE id = ?').get(appointmentId) as { check_in: string }).check_in,
    ) as Record<string, unknown>;
    expect(checkIn).toMatchObject({
      demographicsConfirmed: true,
      intake: { 'medication-changes': 'yes' },
      portalAnswers: [{ itemId: items['sleep'], question: 'sleeping-well', answer: 'no', acceptedBy: d.userId('doc') }],
    });
    expect(d.outbox('appointment', appointmentId).at(-1)).toEqual({ op: 'update' });
  });

  it('declines with the reason and leaves the chart alone', async () => {
    const allergies = (await d.ok<Allergy[]>('allergies.list', { patientId: ines.id })).length;
    const r = await d.ok<ReportedItemView>('portal.decline', { itemId: items['latex'], reason: 'patient says this was a mistake' });
    expect(r).toMatchObject({ status: 'declined', reviewNote: 'patient says this was a mistake', chartRecord: null, reviewedBy: 'Dr. Gregory House' });
    expect(d.session.repos.audit.list({ patientId: ines.id }).at(-1)).toMatchObject({
      action: 'portal.intake.decline',
      recordId: items['latex'],
      detail: 'allergy',
    });
    expect((await d.ok<Allergy[]>('allergies.list', { patientId: ines.id })).length).toBe(allergies);
    expect(d.code(await d.call('portal.accept', { itemId: items['latex'] }))).toBe('conflict');
    expect(d.code(await d.call('portal.decline', { itemId: items['latex'], reason: 'no' }))).toBe('invalid_input');
  });

  it('refuses an insurance whose payer is not in the directory until the reviewer chooses one', async () => {
    const other = d.fromPortal.item(ines.id, 'insurance', { payerName: 'Unknown Mutual', memberId: 'U1', groupNumber: '', subscriberName: 'Ines Intake' });
    expect(await d.call('portal.accept', { itemId: other })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'payerId', message: 'choose the payer from the directory' }] },
    });
    expect(row(other)['status']).toBe('pending');
    const same = await accept(other, { payerId: acme.id });
    expect(same.chartRecord).toMatch(/^coverage:/);
    const subscriber = d.fromPortal.item(ines.id, 'insurance', { payerName: 'Acme Health', memberId: 'K1', groupNumber: '', subscriberName: 'Pedro Intake' });
    expect(await d.call('portal.accept', { itemId: subscriber })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('keeps reported items from billing, and lists accepted and declined ones on request', async () => {
    const all = await d.ok<ReportedSubmission[]>('portal.reported', { patientId: ines.id, status: 'all' });
    const statuses = all.flatMap((s) => s.items.map((i) => i.status));
    expect(statuses).toContain('declined');
    expect(statuses).toContain('accepted');
    expect((await d.ok<ReportedSubmission[]>('portal.reported', { patientId: ines.id, status: 'declined' })).flatMap((s) => s.items).map((i) => i.id)).toEqual([
      items['latex'],
    ]);
    await d.as('biller');
    expect(d.code(await d.call('portal.reported', { patientId: ines.id }))).toBe('forbidden');
    expect(d.code(await d.call('portal.accept', { itemId: items['lisinoprilAgain'] }))).toBe('forbidden');
    await d.as('doc');
  });

  it('queued every change for sync with the whole row as stored', () => {
    expect(outboxCheck.mismatches).toEqual([]);
  });
});
