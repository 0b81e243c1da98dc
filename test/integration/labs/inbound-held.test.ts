import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hl7Ingest } from '../../../electron/services/labs/ingest';
import type { Result } from '../../../shared/api/result';
import type { UnmatchedItem } from '../../../shared/domain/lab-review';
import type { Patient } from '../../../shared/domain/patient';
import { CLINIC, openClinic, type Clinic } from '../../helpers/clinic';
import { tempDir } from '../../helpers/temp-db';
import { addPatient, inbound, ZONE } from './inbound.helpers';

// Held VXU, ADT^A01/A03 and REF^I12 messages attached to a chart from the unmatched queue, through
// the real dispatcher (its restricted-chart guard) over an encrypted database fed by Hl7Ingest.

interface Item {
  code: string;
  match: string;
  status: string;
  source: string;
  created_by: string;
}

describe('held inbound messages attached to a chart by a person, through the dispatcher over an encrypted database', () => {
  const t = tempDir('cairn-inbound-held-');
  let c: Clinic;
  let ingest: Hl7Ingest;
  let doctorId: string;
  let grace: Patient;
  let harold: Patient;
  const sql = <T>(q: string, ...p: unknown[]): T => c.session.repos.store.sqlite.prepare(q).get(...p) as T;
  const all = <T>(q: string, ...p: unknown[]): T[] => c.session.repos.store.sqlite.prepare(q).all(...p) as T[];
  const count = (q: string, ...p: unknown[]): number => sql<{ n: number }>(q, ...p).n;
  const refused = (r: Result<unknown>): { code: string; message: string } => {
    if (r.ok) expect.fail('the call was expected to be refused');
    return r.error;
  };
  const asUser = async (u: { username: string; password: string }): Promise<void> => {
    await c.ok('session.logout');
    await c.ok('session.login', u);
  };
  /** Receives a message about nobody here and returns its open review in the unmatched queue. */
  const hold = async (raw: string): Promise<UnmatchedItem> => {
    const o = ingest.receive(raw, 'file');
    expect(o).toMatchObject({ ack: 'AA', queued: true, patientId: null });
    const item = (await c.ok<UnmatchedItem[]>('labs.unmatched')).find((i) => i.messageId === o.messageId);
    if (!item) expect.fail(`message ${o.controlId} is not in the unmatched queue`);
    return item;
  };
  const message = (id: string): { status: string; patientId: string | null; ack: string } =>
    sql(`SELECT status, patient_id AS patientId, ack_code AS ack FROM hl7_messages WHERE id = ?`, id);
  const review = (id: string): { status: string; patientId: string | null; resolvedBy: string | null } =>
    sql(`SELECT status, patient_id AS patientId, resolved_by AS resolvedBy FROM hl7_reviews WHERE id = ?`, id);
  const matchAudit = (messageId: string): { userId: string; patientId: string; detail: string } =>
    sql(`SELECT user_id AS userId, patient_id AS patientId, detail FROM audit_log WHERE action = 'labs.match_to_patient' AND record_id = ?`, messageId);

  beforeAll(async () => {
    c = await openClinic(t.dir);
    ingest = new Hl7Ingest(c.session.repos, { timeZone: ZONE });
    doctorId = c.session.requireUser().id;
    grace = addPatient(c.session.repos, 'grace');
    harold = addPatient(c.session.repos, 'harold');
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('a registry VXU held for a child with no chart yet: attached once the chart exists, as pending reconciliation items, never doses', async () => {
    const held = await hold(inbound('VXU-V04-registry-v2.5.1.hl7'));
    expect(held).toMatchObject({ kind: 'unmatched', messageType: 'VXU^V04', familyName: 'Lindqvist', givenName: 'Samuel', results: 0 });
    const sam = addPatient(c.session.repos, 'sam');
    expect(count(`SELECT count(*) AS n FROM reconcile_items WHERE patient_id = ?`, sam.id)).toBe(0);

    const r = await c.ok('labs.matchToPatient', { reviewId: held.reviewId, patientId: sam.id });
    expect(r).toMatchObject({ reviewId: held.reviewId, patientId: sam.id, results: 0 });
    const items = all<Item>(`SELECT code, match, status, source, created_by FROM reconcile_items WHERE patient_id = ? ORDER BY item_date, code`, sam.id);
    expect(items.map((i) => [i.code, i.match, i.status, i.source])).toEqual([
      ['120', 'new', 'pending', 'vxu'],
      ['03', 'new', 'pending', 'vxu'],
      ['140', 'new', 'pending', 'vxu'],
    ]);
    // Written as the lab interface's data (as attached results are); the person's choice is audited as theirs.
    expect(new Set(items.map((i) => i.created_by))).toEqual(new Set(['cli:hl7']));
    expect(count(`SELECT count(*) AS n FROM immunizations WHERE patient_id = ?`, sam.id)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'reconcile_item'`)).toBe(3);
    expect(message(held.messageId)).toEqual({ status: 'processed', patientId: sam.id, ack: 'AA' });
    expect(review(held.reviewId)).toEqual({ status: 'resolved', patientId: sam.id, resolvedBy: doctorId });
    expect(matchAudit(held.messageId)).toMatchObject({ userId: doctorId, patientId: sam.id });
    expect(matchAudit(held.messageId).detail).toMatch(/^VXU\^V04: 3 immunizations offered for reconciliation \(3 new/);
    expect(
      count(
        `SELECT count(*) AS n FROM audit_log WHERE action = 'hl7.match' AND record_id = ? AND user_id = ? AND patient_id = ?`,
        held.messageId,
        doctorId,
        sam.id,
      ),
    ).toBe(1);
    expect((await c.ok<UnmatchedItem[]>('labs.unmatched')).some((i) => i.reviewId === held.reviewId)).toBe(false);

    // Already resolved: refused, nothing offered twice.
    expect(refused(await c.call('labs.matchToPatient', { reviewId: held.reviewId, patientId: sam.id }))).toMatchObject({
      code: 'conflict',
      message: 'this message was already resolved',
    });
    expect(count(`SELECT count(*) AS n FROM reconcile_items WHERE patient_id = ?`, sam.id)).toBe(3);
  });

  it('a discharge notice held (the hospital mistyped the birth date): attached, a care event whose follow-up is due 2 business days later', async () => {
    const raw = inbound('ADT-A03-hospital-v2.5.hl7').replace('||19441130|M|', '||19441103|M|');
    const held = await hold(raw);
    expect(held).toMatchObject({ messageType: 'ADT^A03', familyName: 'Bjornson', birthDate: '1944-11-03' });
    expect(count(`SELECT count(*) AS n FROM care_events`)).toBe(0);

    await c.ok('labs.matchToPatient', { reviewId: held.reviewId, patientId: harold.id });
    const events = all<Record<string, unknown>>(`SELECT * FROM care_events WHERE patient_id = ?`, harold.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'discharge',
      facility: 'ST MARYS HOSPITAL',
      event_at: '2026-04-02T21:30:00.000Z',
      // Thursday 2026-04-02 → Friday, (weekend), Monday.
      follow_up_due: '2026-04-06',
      follow_up_status: 'open',
      control_id: 'SMH-ADT-552877',
    });
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'care_event' AND entity_id = ?`, events[0]!['id'])).toBe(1);
    expect(message(held.messageId)).toEqual({ status: 'processed', patientId: harold.id, ack: 'AA' });
    expect(matchAudit(held.messageId).detail).toMatch(/^ADT\^A03: discharge recorded; follow-up due 2026-04-06 \(care event /);
    // The chart itself is untouched by a notice.
    expect(c.session.repos.patients.peek(harold.id).version).toBe(harold.version);
  });

  it('a referral held (another spelling of the name): attached, an incoming referral awaiting scheduling, the referrer in the address book', async () => {
    const raw = inbound('REF-I12-v2.5.hl7').replace('OKAFOR^GRACE^ADAEZE', 'OKAFOR-BELL^GRACE');
    const held = await hold(raw);
    expect(held).toMatchObject({ messageType: 'REF^I12', familyName: 'OKAFOR-BELL' });
    expect(count(`SELECT count(*) AS n FROM referrals`)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM referral_contacts`)).toBe(0);

    await c.ok('labs.matchToPatient', { reviewId: held.reviewId, patientId: grace.id });
    const [r, ...more] = all<Record<string, unknown>>(`SELECT * FROM referrals WHERE patient_id = ?`, grace.id);
    expect(more).toEqual([]);
    expect(r).toMatchObject({ direction: 'in', status: 'sent', urgency: 'urgent', external_ref: 'LKO-R-2026-118', reply_due: '2026-04-27' });
    expect(sql(`SELECT name, npi FROM referral_contacts WHERE id = ?`, r!['contact_id'])).toEqual({ name: 'Dr. Hannah Whitfield, MD', npi: '1093817465' });
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity IN ('referral', 'referral_contact')`)).toBe(2);
    expect(message(held.messageId)).toMatchObject({ status: 'processed', patientId: grace.id });
  });

  it('a restricted chart is refused (break the glass first), changing nothing; after break-glass the notice is attached', async () => {
    const held = await hold(
      inbound('ADT-A01-hospital-v2.3.hl7').replace('SMH-ADT-552031', 'SMH-ADT-VIP').replace('Bjornson^Harold^T', 'Famous^Vera').replace('19441130', '19750601'),
    );
    const vip = await c.ok<Patient>('patients.create', { givenName: 'Vera', familyName: 'Famus', birthDate: '1975-06-01', sex: 'female' });
    await asUser(CLINIC.admin);
    await c.ok('patients.setRestricted', { id: vip.id, restricted: true });
    await asUser(CLINIC.doc);

    expect(refused(await c.call('labs.matchToPatient', { reviewId: held.reviewId, patientId: vip.id }))).toMatchObject({ code: 'break_glass_required' });
    expect(count(`SELECT count(*) AS n FROM care_events WHERE patient_id = ?`, vip.id)).toBe(0);
    expect(review(held.reviewId)).toMatchObject({ status: 'open', patientId: null });
    expect(message(held.messageId)).toMatchObject({ status: 'queued', patientId: null });

    await c.ok('patients.breakGlass', { patientId: vip.id, reason: 'hospital notice for this patient, checked by phone', password: CLINIC.doc.password });
    await c.ok('labs.matchToPatient', { reviewId: held.reviewId, patientId: vip.id });
    expect(all(`SELECT kind, follow_up_status FROM care_events WHERE patient_id = ?`, vip.id)).toEqual([{ kind: 'admission', follow_up_status: 'not_needed' }]);
  });

  it('a dismissed message cannot be attached; a held A08 (a change about no chart) is refused with what to do instead', async () => {
    const dismissed = await hold(inbound('ADT-A03-snf-v2.4.hl7').replace(/^PID\|.*$/m, 'PID|1||X-1^^^MERCY^MR||Nobody^Nemo||19500101|M'));
    await c.ok('labs.dismissUnmatched', { reviewId: dismissed.reviewId, reason: 'not our patient' });
    expect(refused(await c.call('labs.matchToPatient', { reviewId: dismissed.reviewId, patientId: grace.id }))).toMatchObject({
      code: 'conflict',
      message: 'this message was already dismissed',
    });

    const a08 = await hold(inbound('ADT-A08-address-phone-v2.4.hl7').replace(/^PID\|.*$/m, 'PID|1||X-2^^^MERCY^MR||Nobody^Nemo||19500101|M'));
    const e = refused(await c.call('labs.matchToPatient', { reviewId: a08.reviewId, patientId: grace.id }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/^a held ADT\^A08 cannot be attached to a chart: dismiss it/);
    expect(review(a08.reviewId).status).toBe('open');
    expect(count(`SELECT count(*) AS n FROM care_events WHERE patient_id = ?`, grace.id)).toBe(0);
  });

  it('an MDM report about no chart is an unfiled document in the inbox only: never also in the unmatched queue', async () => {
    const raw = inbound('MDM-T02-tx-v2.3.hl7').replace('||19680423|F|', '||19680424|F|');
    const o = ingest.receive(raw, 'file');
    expect(o).toMatchObject({ ack: 'AA', queued: true, patientId: null });
    expect(count(`SELECT count(*) AS n FROM hl7_reviews WHERE message_id = ?`, o.messageId)).toBe(0);
    expect((await c.ok<UnmatchedItem[]>('labs.unmatched')).some((i) => i.messageId === o.messageId)).toBe(false);
    expect(count(`SELECT count(*) AS n FROM documents WHERE origin_ref = 'MDM23-0001' AND status = 'unfiled' AND patient_id IS NULL`)).toBe(1);
  });
});
