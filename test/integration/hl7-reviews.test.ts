import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/api/result';
import type { Hl7Review } from '../../shared/domain/lab-review';
import type { Patient } from '../../shared/domain/patient';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { hl7Fixture } from '../helpers/hl7-fixtures';
import { tempDir } from '../helpers/temp-db';

const NURSE = { username: 'nurse', password: 'tulip river 17' };

function oru(controlId: string, pid: string): string {
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    pid,
    'OBR|1|PL-1^CAIRN|FI-9^ACME|2345-7^Glucose^LN',
    'OBX|1|NM|2345-7^Glucose^LN||101|mg/dL|70-99|H|||F|||20260302080000+0000',
  ].join('\r');
}

/** The A08 fixture with its own control id and the city and phone the sender now has. */
function a08(controlId: string, city: string, phone: string): string {
  return hl7Fixture('ADT-A08-01.hl7').replace('MSG00001', controlId).replace('^Ann Arbor ^', `^${city}^`).replace('78788788^^CP', `${phone}^^CP`);
}

describe('the HL7 review queue, through the real dispatcher over an encrypted database', () => {
  const t = tempDir('cairn-hl7-reviews-');
  let c: Clinic;
  let ingest: Hl7Ingest;
  const sql = <T>(q: string, ...p: unknown[]): T => c.session.repos.store.sqlite.prepare(q).get(...p) as T;
  const count = (q: string, ...p: unknown[]): number => sql<{ n: number }>(q, ...p).n;
  const open = (): Promise<Hl7Review[]> => c.ok<Hl7Review[]>('labs.reviews', {});
  const refused = (r: Result<unknown>): { code: string; message: string; issues?: unknown } => {
    if (r.ok) expect.fail('the call was expected to be refused');
    return r.error;
  };
  const lastAudit = (recordId: string): { action: string; userId: string; patientId: string | null; detail: string } =>
    sql(`SELECT action, user_id AS userId, patient_id AS patientId, detail FROM audit_log WHERE record_id = ? ORDER BY seq DESC LIMIT 1`, recordId);
  const asUser = async (u: { username: string; password: string }): Promise<void> => {
    await c.ok('session.logout');
    await c.ok('session.login', u);
  };
  let doctorId: string;

  beforeAll(async () => {
    c = await openClinic(t.dir);
    ingest = new Hl7Ingest(c.session.repos);
    doctorId = c.session.requireUser().id;
    await asUser(CLINIC.admin);
    await c.ok('users.create', { username: NURSE.username, displayName: 'Nora Nurse', role: 'nurse', password: NURSE.password });
    await asUser(CLINIC.doc);
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  describe('field differences from an A08', () => {
    let adam: Patient;
    let phoneReview: Hl7Review;

    it('lists the chart’s value now and the message’s, for a field edited here', async () => {
      const a04 = ingest.receive(hl7Fixture('ADT-A04-01.hl7'), 'a04');
      expect(a04).toMatchObject({ ack: 'AA', queued: false });
      const registered = c.session.repos.patients.peek(a04.patientId!);
      // Edited here since HL7 set them: the phone and the city.
      adam = await c.ok<Patient>('patients.update', {
        id: registered.id,
        expectedVersion: registered.version,
        phone: '555-000-1111',
        address: { ...registered.address, city: 'Detroit' },
      });
      expect(ingest.receive(a08('MSG-A08-1', 'Ypsilanti', '5559998888'), 'a08')).toMatchObject({ ack: 'AA', patientId: adam.id, queued: true });
      const reviews = await open();
      expect(reviews.map((r) => [r.kind, r.field, r.local, r.incoming])).toEqual([
        ['field_difference', 'phone', '555-000-1111', '5559998888'],
        ['field_difference', 'address.city', 'Detroit', 'Ypsilanti'],
      ]);
      phoneReview = reviews[0]!;
      expect(phoneReview).toMatchObject({
        status: 'open',
        fieldLabel: 'phone',
        chart: { id: adam.id, name: 'EVERYMAN, ADAM', mrn: adam.mrn, restricted: false },
        message: { controlId: 'MSG-A08-1', type: 'ADT^A08' },
      });
      // Listing demographics across charts is audited.
      expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'labs.reviews' AND user_id = ?`, doctorId)).toBe(1);
    });

    it('refuses a decision naming another chart, a wrong kind, or a choice that is neither', async () => {
      const other = await c.ok<Patient>('patients.create', { givenName: 'Otto', familyName: 'Other', birthDate: '1970-01-01' });
      expect(refused(await c.call('labs.resolveFieldDifference', { reviewId: phoneReview.id, patientId: other.id, keep: 'incoming' }))).toMatchObject({
        code: 'conflict',
        message: 'this review is about another chart: reload the review queue',
      });
      expect(refused(await c.call('labs.dismissUnmatched', { reviewId: phoneReview.id, reason: 'not a real patient of ours' }))).toMatchObject({
        code: 'conflict',
        message: 'this review is field difference, not unmatched or ambiguous',
      });
      expect(refused(await c.call('labs.resolveMerge', { reviewId: phoneReview.id, action: 'reject', reason: 'not a merge at all, really' }))).toMatchObject({
        code: 'conflict',
        message: 'this review is field difference, not merge',
      });
      expect(refused(await c.call('labs.resolveFieldDifference', { reviewId: phoneReview.id, patientId: adam.id, keep: 'both' }))).toMatchObject({
        code: 'invalid_input',
        issues: [{ path: 'keep', message: "choose the chart's value (local) or the message's (incoming)" }],
      });
      expect(c.session.repos.patients.peek(adam.id).version).toBe(adam.version);
      expect((await open()).every((r) => r.status === 'open')).toBe(true);
    });

    it('takes the message’s value: chart row, audit and outbox in one write, the decision audited with who', async () => {
      const outboxBefore = count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'patient' AND entity_id = ?`, adam.id);
      const done = await c.ok<Hl7Review>('labs.resolveFieldDifference', {
        reviewId: phoneReview.id,
        patientId: adam.id,
        keep: 'incoming',
        note: 'patient confirmed the new number',
      });
      expect(done).toMatchObject({
        status: 'resolved',
        resolvedBy: 'Dr. Gregory House',
        decision: 'took the message\'s phone "5559998888" (was "555-000-1111"): patient confirmed the new number',
      });
      const after = c.session.repos.patients.peek(adam.id);
      expect(after).toMatchObject({ phone: '5559998888', version: adam.version + 1, address: { city: 'Detroit' } });
      expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'patient' AND entity_id = ?`, adam.id)).toBe(outboxBefore + 1);
      expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'patient.update' AND patient_id = ? AND user_id = ?`, adam.id, doctorId)).toBe(2);
      expect(lastAudit(phoneReview.id)).toMatchObject({ action: 'hl7.review.field_difference', userId: doctorId, patientId: adam.id });
      expect(JSON.parse(lastAudit(phoneReview.id).detail)).toEqual({
        decision: 'took the message\'s phone "5559998888" (was "555-000-1111")',
        reason: 'patient confirmed the new number',
      });
      // Decided once: the same review cannot be decided again.
      expect(refused(await c.call('labs.resolveFieldDifference', { reviewId: phoneReview.id, patientId: adam.id, keep: 'local' }))).toMatchObject({
        code: 'conflict',
        message: 'this review was already resolved',
      });
    });

    it('keeps the chart’s value: nothing on the chart changes, the decision is audited, the message is then processed', async () => {
      const [city] = await open();
      expect(city).toMatchObject({ field: 'address.city', local: 'Detroit', incoming: 'Ypsilanti' });
      const before = c.session.repos.patients.peek(adam.id);
      const outbox = count(`SELECT count(*) AS n FROM sync_outbox`);
      expect(sql<{ status: string }>(`SELECT status FROM hl7_messages WHERE id = ?`, city!.message.id).status).toBe('queued');
      const done = await c.ok<Hl7Review>('labs.resolveFieldDifference', { reviewId: city!.id, patientId: adam.id, keep: 'local' });
      expect(done).toMatchObject({ status: 'resolved', decision: 'kept the chart\'s city "Detroit" (the message said "Ypsilanti")' });
      expect(c.session.repos.patients.peek(adam.id)).toEqual(before);
      expect(count(`SELECT count(*) AS n FROM sync_outbox`)).toBe(outbox);
      expect(lastAudit(city!.id)).toMatchObject({ action: 'hl7.review.field_difference', userId: doctorId });
      // Both of the message's reviews are settled.
      expect(sql<{ status: string }>(`SELECT status FROM hl7_messages WHERE id = ?`, city!.message.id).status).toBe('processed');
      expect(await open()).toEqual([]);
      const closed = await c.ok<Hl7Review[]>('labs.reviews', { status: 'closed' });
      expect(closed.map((r) => r.id).sort()).toEqual([phoneReview.id, city!.id].sort());
    });

    it('hides a restricted chart’s values in the list and refuses the decision until the glass is broken', async () => {
      const restricted = await c.ok<Patient>('patients.setRestricted', { id: adam.id, restricted: true });
      ingest.receive(a08('MSG-A08-2', 'Ann Arbor', '5551112222'), 'a08');
      // An A08 applies nothing: the phone and the city are both offered for review.
      const [phone, city] = await open();
      expect(phone).toMatchObject({ field: 'phone', local: null, incoming: null });
      expect(city).toMatchObject({
        field: 'address.city',
        local: null,
        incoming: null,
        chart: { id: adam.id, name: 'EVERYMAN, ADAM', mrn: null, restricted: true },
      });
      expect(refused(await c.call('labs.resolveFieldDifference', { reviewId: city!.id, patientId: adam.id, keep: 'incoming' }))).toMatchObject({
        code: 'break_glass_required',
      });
      expect(c.session.repos.patients.peek(adam.id).address.city).toBe('Detroit');
      await c.ok('patients.breakGlass', { patientId: adam.id, reason: 'settling the lab interface review queue', password: CLINIC.doc.password });
      expect((await open())[1]).toMatchObject({ local: 'Detroit', incoming: 'Ann Arbor' });
      await c.ok('labs.resolveFieldDifference', { reviewId: city!.id, patientId: adam.id, keep: 'incoming' });
      expect(c.session.repos.patients.peek(adam.id).address).toMatchObject({ city: 'Ann Arbor', state: 'MI' });
      await c.ok('labs.resolveFieldDifference', { reviewId: phone!.id, patientId: adam.id, keep: 'incoming' });
      expect(c.session.repos.patients.peek(adam.id).phone).toBe('5551112222');
      expect(restricted.restricted).toBe(true);
    });
  });

  describe('A40 merges', () => {
    let survivor: Patient;
    let duplicate: Patient;

    beforeAll(async () => {
      // PID-3 names 12345 (BCBS), MRG-1 names 56789 (BCBS): the same child registered twice.
      survivor = await c.ok<Patient>('patients.create', {
        givenName: 'Test',
        familyName: 'Test',
        birthDate: '2018-02-05',
        sex: 'female',
        identifiers: [{ system: 'BCBS', value: '12345', type: 'MR' }],
      });
      duplicate = await c.ok<Patient>('patients.create', {
        givenName: 'Test',
        familyName: 'Testt',
        birthDate: '2018-02-05',
        sex: 'female',
        identifiers: [{ system: 'BCBS', value: '56789', type: 'MR' }],
      });
    });

    it('rejects a merge with a reason: both charts stay as they are', async () => {
      expect(ingest.receive(hl7Fixture('ADT-A40-01.hl7'), 'a40')).toMatchObject({ ack: 'AA', queued: true, patientId: survivor.id });
      const [merge] = await open();
      expect(merge).toMatchObject({
        kind: 'merge',
        chart: { id: survivor.id },
        duplicate: { id: duplicate.id, mrn: duplicate.mrn },
        reason: 'the sender asks to merge two charts',
      });
      expect(merge!.pid).toBe('PID-3 12345 (MR, BCBS) · MRG-1 56789 (MR, BCBS)');
      // Refusals: a short reason, a merge without the charts named, a nurse.
      expect(refused(await c.call('labs.resolveMerge', { reviewId: merge!.id, action: 'reject', reason: ' no ' }))).toMatchObject({
        code: 'invalid_input',
        issues: [{ path: 'reason', message: 'say why (at least 10 characters)' }],
      });
      expect(refused(await c.call('labs.resolveMerge', { reviewId: merge!.id, action: 'merge', reason: 'same child, confirmed by phone' }))).toMatchObject({
        code: 'invalid_input',
        issues: [{ path: 'survivorId', message: 'name both charts to merge' }],
      });
      await asUser(NURSE);
      expect(refused(await c.call('labs.resolveMerge', { reviewId: merge!.id, action: 'reject', reason: 'these are twins, not one child' }))).toMatchObject({
        code: 'forbidden',
      });
      await asUser(CLINIC.doc);

      const done = await c.ok<Hl7Review>('labs.resolveMerge', { reviewId: merge!.id, action: 'reject', reason: 'these are twins, not one child' });
      expect(done).toMatchObject({
        status: 'dismissed',
        resolvedBy: 'Dr. Gregory House',
        decision: 'merge rejected: these are twins, not one child',
        duplicate: { id: duplicate.id },
      });
      expect(lastAudit(merge!.id)).toMatchObject({ action: 'hl7.review.merge_rejected', userId: doctorId, patientId: survivor.id });
      expect(count(`SELECT count(*) AS n FROM patients WHERE merged_into IS NOT NULL`)).toBe(0);
      expect(sql<{ status: string }>(`SELECT status FROM hl7_messages WHERE id = ?`, merge!.message.id).status).toBe('not_processed');
      expect(refused(await c.call('labs.resolveMerge', { reviewId: merge!.id, action: 'reject', reason: 'these are twins, not one child' }))).toMatchObject({
        code: 'conflict',
        message: 'this review was already dismissed',
      });
    });

    it('applies an approved merge with the existing chart merge, only for the charts the person saw', async () => {
      ingest.receive(hl7Fixture('ADT-A40-01.hl7').replace('8919-40', '8919-41'), 'a40');
      const [merge] = await open();
      const swapped = await c.call('labs.resolveMerge', {
        reviewId: merge!.id,
        action: 'merge',
        reason: 'same child, confirmed by phone',
        survivorId: duplicate.id,
        duplicateId: survivor.id,
      });
      expect(refused(swapped)).toMatchObject({
        code: 'conflict',
        message: 'the charts this merge names have changed since you looked: reload the review queue',
      });
      expect(count(`SELECT count(*) AS n FROM patients WHERE merged_into IS NOT NULL`)).toBe(0);

      const done = await c.ok<Hl7Review>('labs.resolveMerge', {
        reviewId: merge!.id,
        action: 'merge',
        reason: 'same child, confirmed by phone',
        survivorId: survivor.id,
        duplicateId: duplicate.id,
      });
      expect(done).toMatchObject({
        status: 'resolved',
        decision: `MRN ${duplicate.mrn} merged into MRN ${survivor.mrn}: same child, confirmed by phone`,
        chart: { id: survivor.id },
        duplicate: { id: duplicate.id },
      });
      expect(sql<{ m: string | null }>(`SELECT merged_into AS m FROM patients WHERE id = ?`, duplicate.id).m).toBe(survivor.id);
      expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'patient.merge' AND patient_id = ? AND user_id = ?`, duplicate.id, doctorId)).toBe(1);
      expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'patient' AND entity_id = ?`, duplicate.id)).toBe(2);
      expect(lastAudit(merge!.id)).toMatchObject({ action: 'hl7.review.merge', userId: doctorId, patientId: survivor.id });
      expect(JSON.parse(lastAudit(merge!.id).detail)).toMatchObject({ reason: 'same child, confirmed by phone', duplicateId: duplicate.id });
      // The existing unmerge undoes it.
      await c.ok('patients.unmerge', { id: duplicate.id });
      expect(sql<{ m: string | null }>(`SELECT merged_into AS m FROM patients WHERE id = ?`, duplicate.id).m).toBeNull();
    });

    it('refuses to approve a merge whose chart to merge is not found, but lets it be rejected', async () => {
      ingest.receive(hl7Fixture('ADT-A40-01.hl7').replace('8919-40', '8919-42').replace('MRG|56789', 'MRG|99999'), 'a40');
      const [merge] = await open();
      expect(merge).toMatchObject({ duplicate: null, reason: 'the chart to merge (MRG-1 99999 (MR, BCBS)) is not found' });
      const r = await c.call('labs.resolveMerge', {
        reviewId: merge!.id,
        action: 'merge',
        reason: 'same child, confirmed by phone',
        survivorId: survivor.id,
        duplicateId: duplicate.id,
      });
      expect(refused(r)).toMatchObject({
        code: 'conflict',
        message: 'this merge cannot be applied: the chart to merge (MRG-1 99999 (MR, BCBS)) is not found; reject it with a reason',
      });
      await c.ok('labs.resolveMerge', { reviewId: merge!.id, action: 'reject', reason: 'no such chart here, told the sender' });
      expect(await open()).toEqual([]);
    });
  });

  describe('messages tied to no chart', () => {
    it('dismisses an unmatched message with a reason: stored still, marked dismissed, audited, gone from the queue', async () => {
      const o = ingest.receive(oru('U-1', 'PID|1||777^^^OTHERLAB^MR||Nobody^Nemo||19500101|M'), 'u1');
      expect(o).toMatchObject({ queued: true, patientId: null });
      const [held] = await open();
      expect(held).toMatchObject({
        kind: 'unmatched',
        pid: 'Nobody, Nemo · born 1950-01-01 · 777 (MR, OTHERLAB)',
        message: { controlId: 'U-1', type: 'ORU^R01' },
      });
      expect(await c.ok<unknown[]>('labs.unmatched')).toHaveLength(1);

      expect(refused(await c.call('labs.dismissUnmatched', { reviewId: held!.id, reason: 'test' }))).toMatchObject({
        code: 'invalid_input',
        issues: [{ path: 'reason', message: 'say why (at least 10 characters)' }],
      });
      expect(refused(await c.call('labs.dismissUnmatched', { reviewId: held!.id }))).toMatchObject({ code: 'invalid_input', issues: [{ path: 'reason' }] });
      expect(refused(await c.call('labs.resolveFieldDifference', { reviewId: held!.id, patientId: held!.message.id, keep: 'local' }))).toMatchObject({
        code: 'conflict',
        message: 'this review is unmatched, not field difference',
      });

      const done = await c.ok<Hl7Review>('labs.dismissUnmatched', { reviewId: held!.id, reason: 'test message sent by the lab by mistake' });
      expect(done).toMatchObject({
        status: 'dismissed',
        resolvedBy: 'Dr. Gregory House',
        decision: 'dismissed without a chart: test message sent by the lab by mistake',
      });
      expect(await c.ok<unknown[]>('labs.unmatched')).toEqual([]);
      // Never deleted: the message and its review are kept.
      const stored = sql<{ raw: string; status: string }>(`SELECT raw, status FROM hl7_messages WHERE id = ?`, held!.message.id);
      expect(stored.status).toBe('not_processed');
      expect(stored.raw).toContain('Nobody^Nemo');
      expect(sql<{ status: string }>(`SELECT status FROM hl7_reviews WHERE id = ?`, held!.id).status).toBe('dismissed');
      expect(lastAudit(held!.id)).toMatchObject({ action: 'hl7.review.dismiss', userId: doctorId, patientId: null });
      expect(JSON.parse(lastAudit(held!.id).detail)).toEqual({ decision: 'dismissed without a chart', reason: 'test message sent by the lab by mistake' });
      expect(refused(await c.call('labs.dismissUnmatched', { reviewId: held!.id, reason: 'test message sent by the lab by mistake' }))).toMatchObject({
        code: 'conflict',
        message: 'this review was already dismissed',
      });
      // Nor can it be attached to a chart any more.
      const someone = await c.ok<Patient>('patients.create', { givenName: 'Nemo', familyName: 'Nobody', birthDate: '1950-02-01' });
      expect(refused(await c.call('labs.matchToPatient', { reviewId: held!.id, patientId: someone.id }))).toMatchObject({ code: 'conflict' });
    });

    it('dismisses an ambiguous message too, and refuses an unknown review', async () => {
      await c.ok('patients.create', { givenName: 'Jan', familyName: 'Twin', birthDate: '1990-05-05' });
      await c.ok('patients.create', { givenName: 'Jan', familyName: 'Twin', birthDate: '1990-05-05', confirmDuplicate: true });
      expect(ingest.receive(oru('A-1', 'PID|1||||Twin^Jan||19900505'), 'a1')).toMatchObject({ queued: true });
      const [held] = await open();
      expect(held).toMatchObject({ kind: 'ambiguous', reason: '2 charts have the name and birth date Twin, Jan, born 1990-05-05' });
      await c.ok('labs.dismissUnmatched', { reviewId: held!.id, reason: 'lab will resend with the MRN' });
      expect(
        refused(await c.call('labs.dismissUnmatched', { reviewId: '01960000-0000-7000-8000-0000000000ff', reason: 'lab will resend with the MRN' })),
      ).toMatchObject({ code: 'not_found' });
    });
  });
});
