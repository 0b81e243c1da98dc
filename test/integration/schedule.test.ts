import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/api/result';
import type { Encounter } from '../../shared/domain/clinical';
import type { Patient } from '../../shared/domain/patient';
import type { Appointment, ScheduleConfig } from '../../shared/domain/schedule';
import type { Repos } from '../../electron/services/repos';
import { AppointmentsService } from '../../electron/services/schedule/appointments.repo';
import { loadScheduleConfig } from '../../electron/services/schedule/schedule-config';
import type { SyncClient } from '../../electron/services/sync';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';
import { twoEnrolledDevices, type TwoDevices } from '../helpers/two-devices';

type Booked = { appointments: Appointment[]; doubleBooked: string[] };
const FRONT = { username: 'frontdesk', password: 'copper lantern 23' };
const ANSWERS = { 'new-symptoms': 'no', 'medication-changes': 'yes', 'fall-risk': 'no' } as const;
const CHECKLIST = { demographicsConfirmed: true, insurance: 'verified', intake: ANSWERS } as const;

describe('appointments and the flow board over a real encrypted database, through the dispatcher', () => {
  const t = tempDir('cairn-schedule-');
  // Monday 2 March 2026, 07:00 in New York (EST).
  let now = new Date('2026-03-02T12:00:00Z');
  let c: Clinic;
  let ana: Patient;
  let ben: Patient;
  let docId: string;
  let nurseId: string;
  const count = (sql: string, ...p: unknown[]): number => (c.session.repos.store.sqlite.prepare(sql).get(...p) as { n: number }).n;
  /** Moves the clock (past the idle sign-out) and signs front desk in again. */
  const setClock = async (iso: string): Promise<void> => {
    now = new Date(iso);
    await c.ok('session.logout');
    await c.ok('session.login', FRONT);
  };
  const failure = (r: Result<unknown>): { code: string; message: string; issues?: { path: string; message: string }[] } => {
    if (r.ok) expect.fail('expected a refusal');
    return r.error;
  };

  beforeAll(async () => {
    c = await openClinic(t.dir, () => now);
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.admin);
    await c.ok('users.create', { username: FRONT.username, displayName: 'Fran Front', role: 'front_desk', password: FRONT.password });
    await c.ok('users.create', { username: 'nina', displayName: 'Nina Nurse', role: 'nurse', password: 'tulip river 17' });
    await c.ok('session.logout');
    await c.ok('session.login', FRONT);
    ana = await c.ok<Patient>('patients.create', { givenName: 'Ana', familyName: 'Lima', birthDate: '1970-06-15', sex: 'female' });
    ben = await c.ok<Patient>('patients.create', { givenName: 'Ben', familyName: 'Okafor', birthDate: '1988-02-03', sex: 'male' });
    const providers = await c.ok<{ id: string; displayName: string; role: string }[]>('schedule.providers');
    docId = providers.find((p) => p.role === 'physician')!.id;
    nurseId = providers.find((p) => p.role === 'nurse')!.id;
    expect(providers.map((p) => p.displayName)).toEqual(['Nina Nurse', 'Dr. Gregory House']);
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('serves the types, hours and rooms from data', async () => {
    const config = await c.ok<ScheduleConfig>('schedule.config');
    expect(config.types.find((x) => x.id === 'new-patient')?.minutes).toBe(40);
    expect(config.hours.timeZone).toBe('America/New_York');
    expect(config.hours.rooms).toContain('Exam 1');
  });

  it('books with the type’s default length, writing the row, the audit entry and the outbox entry', async () => {
    const before = { audit: count('SELECT count(*) AS n FROM audit_log'), outbox: count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'appointment'`) };
    const r = await c.ok<Booked>('schedule.book', {
      patientId: ana.id,
      providerId: docId,
      typeId: 'new-patient',
      startAt: '2026-03-02T09:00:00-05:00',
      room: 'Exam 1',
      reason: 'knee pain',
    });
    expect(r.doubleBooked).toEqual([]);
    expect(r.appointments).toHaveLength(1);
    expect(r.appointments[0]).toMatchObject({
      patientId: ana.id,
      patientName: 'Lima, Ana',
      mrn: ana.mrn,
      providerName: 'Dr. Gregory House',
      room: 'Exam 1',
      typeId: 'new-patient',
      startAt: '2026-03-02T14:00:00.000Z',
      endAt: '2026-03-02T14:40:00.000Z',
      status: 'scheduled',
      seriesId: null,
      version: 1,
    });
    expect(count('SELECT count(*) AS n FROM audit_log') - before.audit).toBe(1);
    expect(c.session.repos.audit.list().at(-1)).toMatchObject({ action: 'appointment.book', patientId: ana.id, recordId: r.appointments[0]!.id });
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'appointment'`) - before.outbox).toBe(1);
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'appointment' AND entity_id = ?`, r.appointments[0]!.id)).toBe(1);
  });

  it('warns of a double booking (same provider, or same room) and books only when the person confirms', async () => {
    const rows = count('SELECT count(*) AS n FROM appointments');
    const sameProvider = failure(
      await c.call('schedule.book', { patientId: ben.id, providerId: docId, typeId: 'follow-up', startAt: '2026-03-02T14:30:00Z', room: 'Exam 2' }),
    );
    expect(sameProvider.code).toBe('needs_override');
    expect(sameProvider.message).toContain('Dr. Gregory House already has Lima, Ana Mon 2026-03-02 09:00–09:40');
    expect(sameProvider.issues).toEqual([{ path: 'allowDoubleBooking', message: 'Dr. Gregory House already has Lima, Ana Mon 2026-03-02 09:00–09:40' }]);
    const sameRoom = failure(
      await c.call('schedule.book', { patientId: ben.id, providerId: nurseId, typeId: 'nurse-visit', startAt: '2026-03-02T14:35:00Z', room: 'Exam 1' }),
    );
    expect(sameRoom.issues).toEqual([{ path: 'allowDoubleBooking', message: 'Exam 1 already has Lima, Ana Mon 2026-03-02 09:00–09:40' }]);
    expect(count('SELECT count(*) AS n FROM appointments')).toBe(rows);
    // Back to back is not a clash; another room with another provider is not either.
    await c.ok('schedule.book', { patientId: ben.id, providerId: docId, typeId: 'follow-up', startAt: '2026-03-02T14:40:00Z', room: 'Exam 1' });
    await c.ok('schedule.book', { patientId: ben.id, providerId: nurseId, typeId: 'nurse-visit', startAt: '2026-03-02T14:00:00Z', room: 'Exam 3' });
    const confirmed = await c.ok<Booked>('schedule.book', {
      patientId: ben.id,
      providerId: docId,
      typeId: 'follow-up',
      startAt: '2026-03-02T14:30:00Z',
      room: 'Exam 2',
      allowDoubleBooking: true,
    });
    expect(confirmed.doubleBooked).toHaveLength(2);
    expect(c.session.repos.audit.list().at(-1)!.detail).toContain('double-booked (confirmed)');
    // A telehealth visit takes no room.
    const tele = await c.ok<Booked>('schedule.book', {
      patientId: ben.id,
      providerId: nurseId,
      typeId: 'telehealth',
      startAt: '2026-03-03T15:00:00Z',
      room: 'Exam 1',
    });
    expect(tele.appointments[0]).toMatchObject({ room: null, endAt: '2026-03-03T15:15:00.000Z' });
  });

  it('refuses an unknown type or room with the field named', async () => {
    expect(failure(await c.call('schedule.book', { patientId: ben.id, providerId: docId, typeId: 'massage', startAt: '2026-03-04T14:00:00Z' }))).toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'typeId' }],
    });
    expect(
      failure(
        await c.call('schedule.book', { patientId: ben.id, providerId: docId, typeId: 'follow-up', startAt: '2026-03-04T14:00:00Z', room: 'Broom cupboard' }),
      ),
    ).toMatchObject({ code: 'invalid_input', issues: [{ path: 'room' }] });
  });

  it('lists a day per provider and per room with the patient’s name, in time order', async () => {
    const day = { from: '2026-03-02T05:00:00Z', to: '2026-03-03T05:00:00Z' };
    const doc = await c.ok<Appointment[]>('schedule.list', { ...day, providerId: docId });
    expect(doc.map((a) => [a.patientName, a.startAt])).toEqual([
      ['Lima, Ana', '2026-03-02T14:00:00.000Z'],
      ['Okafor, Ben', '2026-03-02T14:30:00.000Z'],
      ['Okafor, Ben', '2026-03-02T14:40:00.000Z'],
    ]);
    const room = await c.ok<Appointment[]>('schedule.list', { ...day, room: 'Exam 1' });
    expect(room.map((a) => a.startAt)).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-02T14:40:00.000Z']);
    // The week holds Tuesday's telehealth visit too.
    const week = await c.ok<Appointment[]>('schedule.list', { from: '2026-03-02T05:00:00Z', to: '2026-03-09T04:00:00Z' });
    expect(week).toHaveLength(5);
    expect(c.session.repos.audit.list().at(-1)).toMatchObject({ action: 'appointment.list', patientId: null });
  });

  it('finds the next free slot with a provider within clinic hours', async () => {
    // From 07:00: 08:00 is free until 09:00 (60 min).
    expect(await c.ok('schedule.freeSlot', { providerId: docId, minutes: 30 })).toEqual({
      startAt: '2026-03-02T13:00:00.000Z',
      endAt: '2026-03-02T13:30:00.000Z',
    });
    // From 09:00 the doctor is busy until 09:40, then 09:40–10:00 (Ben), so a 30-minute slot is at 10:00.
    expect(await c.ok('schedule.freeSlot', { providerId: docId, minutes: 30, from: '2026-03-02T14:00:00Z' })).toEqual({
      startAt: '2026-03-02T15:00:00.000Z',
      endAt: '2026-03-02T15:30:00.000Z',
    });
    // Late Friday: on Monday.
    expect(await c.ok('schedule.freeSlot', { providerId: docId, minutes: 40, from: '2026-03-06T21:30:00Z' })).toEqual({
      startAt: '2026-03-09T12:00:00.000Z',
      endAt: '2026-03-09T12:40:00.000Z',
    });
  });

  it('reschedules with the same double-booking rule, audited', async () => {
    const [tele] = await c.ok<Appointment[]>('schedule.list', { from: '2026-03-03T05:00:00Z', to: '2026-03-04T05:00:00Z', providerId: nurseId });
    expect(failure(await c.call('schedule.reschedule', { id: tele!.id, patientId: ana.id, startAt: '2026-03-03T16:00:00Z' }))).toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'patientId' }],
    });
    expect(failure(await c.call('schedule.reschedule', { id: tele!.id, patientId: ben.id, startAt: '2026-03-02T14:05:00Z' })).code).toBe('needs_override');
    const moved = await c.ok<Appointment>('schedule.reschedule', { id: tele!.id, patientId: ben.id, startAt: '2026-03-03T16:00:00Z' });
    expect(moved).toMatchObject({ startAt: '2026-03-03T16:00:00.000Z', endAt: '2026-03-03T16:15:00.000Z', version: 2 });
    expect(c.session.repos.audit.list().at(-1)).toMatchObject({
      action: 'appointment.reschedule',
      detail: '2026-03-03T15:00:00.000Z -> 2026-03-03T16:00:00.000Z',
    });
  });

  it('books a weekly series across the DST change, cancels one visit, then the rest, each with its reason kept', async () => {
    const r = await c.ok<Booked>('schedule.book', {
      patientId: ana.id,
      providerId: docId,
      typeId: 'follow-up',
      startAt: '2026-03-05T10:00:00-05:00',
      room: 'Exam 2',
      recurrence: { frequency: 'weekly', count: 4 },
    });
    const series = r.appointments;
    expect(series.map((a) => a.startAt)).toEqual([
      '2026-03-05T15:00:00.000Z',
      '2026-03-12T14:00:00.000Z',
      '2026-03-19T14:00:00.000Z',
      '2026-03-26T14:00:00.000Z',
    ]);
    expect(new Set(series.map((a) => a.seriesId)).size).toBe(1);
    expect(series.map((a) => a.seriesIndex)).toEqual([1, 2, 3, 4]);
    expect(
      count(
        `SELECT count(*) AS n FROM sync_outbox WHERE entity = 'appointment' AND entity_id IN (${series.map(() => '?').join(',')})`,
        ...series.map((a) => a.id),
      ),
    ).toBe(4);

    expect(failure(await c.call('schedule.cancel', { id: series[0]!.id, patientId: ana.id, outcome: 'cancelled' })).issues).toEqual([
      expect.objectContaining({ path: 'reason' }),
    ]);
    const [one] = await c.ok<Appointment[]>('schedule.cancel', { id: series[1]!.id, patientId: ana.id, outcome: 'cancelled', reason: 'patient travelling' });
    expect(one).toMatchObject({ status: 'cancelled', cancelReason: 'patient travelling', cancelledAt: now.toISOString() });
    const rest = await c.ok<Appointment[]>('schedule.cancel', {
      id: series[2]!.id,
      patientId: ana.id,
      outcome: 'cancelled',
      reason: 'moving away',
      scope: 'rest',
    });
    expect(rest.map((a) => [a.seriesIndex, a.status, a.cancelReason])).toEqual([
      [3, 'cancelled', 'moving away'],
      [4, 'cancelled', 'moving away'],
    ]);
    // Kept, not deleted; the first visit still stands.
    expect(count('SELECT count(*) AS n FROM appointments WHERE series_id = ?', series[0]!.seriesId)).toBe(4);
    expect(count(`SELECT count(*) AS n FROM appointments WHERE series_id = ? AND status = 'scheduled'`, series[0]!.seriesId)).toBe(1);
    const cancels = c.session.repos.audit.list({ patientId: ana.id }).filter((e) => e.action === 'appointment.cancel');
    expect(cancels.map((e) => e.detail)).toEqual(['patient travelling', 'moving away', 'moving away']);
    // A cancelled visit holds no time: the slot is free again.
    expect(await c.ok('schedule.freeSlot', { providerId: docId, minutes: 20, from: '2026-03-12T14:00:00Z' })).toMatchObject({
      startAt: '2026-03-12T14:00:00.000Z',
    });
    // A cancelled visit cannot be cancelled again, nor marked a no-show.
    expect(failure(await c.call('schedule.cancel', { id: series[1]!.id, patientId: ana.id, outcome: 'no_show', reason: 'did not come' }))).toMatchObject({
      code: 'conflict',
      message: 'the appointment is cancelled: its status can no longer change',
    });
  });

  it('records a no-show with its reason', async () => {
    const [b] = (await c.ok<Booked>('schedule.book', { patientId: ben.id, providerId: docId, typeId: 'acute', startAt: '2026-03-02T19:00:00Z' })).appointments;
    const [ns] = await c.ok<Appointment[]>('schedule.cancel', { id: b!.id, patientId: ben.id, outcome: 'no_show', reason: 'no answer on the phone' });
    expect(ns).toMatchObject({ status: 'no_show', cancelReason: 'no answer on the phone' });
    expect(c.session.repos.audit.list().at(-1)).toMatchObject({ action: 'appointment.no_show', detail: 'no answer on the phone' });
  });

  it('walks the flow board: check-in needs the checklist and opens the encounter; illegal steps are refused', async () => {
    const [a] = await c.ok<Appointment[]>('schedule.list', { from: '2026-03-02T14:00:00Z', to: '2026-03-02T14:01:00Z', providerId: docId });
    const step = (to: string, extra: object = {}): Promise<Result<unknown>> => c.call('schedule.advance', { id: a!.id, patientId: ana.id, to, ...extra });
    expect(failure(await step('roomed'))).toMatchObject({
      code: 'conflict',
      message: 'an appointment that is scheduled cannot become roomed (next: arrived or cancelled or no-show)',
    });
    await setClock('2026-03-02T13:50:00Z');
    expect(await c.ok<Appointment>('schedule.advance', { id: a!.id, patientId: ana.id, to: 'arrived' })).toMatchObject({
      status: 'arrived',
      stateTimes: { arrived: '2026-03-02T13:50:00.000Z' },
    });
    const encountersBefore = count('SELECT count(*) AS n FROM encounters WHERE patient_id = ?', ana.id);
    const incomplete = failure(
      await step('checked_in', { checklist: { demographicsConfirmed: true, insurance: 'not_checked', intake: { 'new-symptoms': 'no' } } }),
    );
    expect(incomplete.code).toBe('invalid_input');
    expect(incomplete.issues!.map((i) => i.path)).toEqual(['checklist.insurance', 'checklist.intake.medication-changes', 'checklist.intake.fall-risk']);
    expect(count('SELECT count(*) AS n FROM encounters WHERE patient_id = ?', ana.id)).toBe(encountersBefore);

    await setClock('2026-03-02T13:55:00Z');
    const checkedIn = await c.ok<Appointment>('schedule.advance', { id: a!.id, patientId: ana.id, to: 'checked_in', checklist: CHECKLIST });
    expect(checkedIn).toMatchObject({
      status: 'checked_in',
      checklist: CHECKLIST,
      stateTimes: { arrived: '2026-03-02T13:50:00.000Z', checked_in: '2026-03-02T13:55:00.000Z' },
    });
    expect(checkedIn.encounterId).not.toBeNull();
    expect(count('SELECT count(*) AS n FROM encounters WHERE patient_id = ?', ana.id)).toBe(encountersBefore + 1);
    // The nurse and physician see the visit on the chart; front desk may list it.
    const [enc] = await c.ok<Encounter[]>('encounters.list', { patientId: ana.id });
    expect(enc).toMatchObject({
      id: checkedIn.encounterId,
      status: 'checked_in',
      visitType: 'office_visit',
      reason: 'knee pain',
      providerName: 'Dr. Gregory House',
    });
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'encounter' AND entity_id = ?`, checkedIn.encounterId)).toBe(1);

    expect(failure(await step('roomed', { room: 'Nowhere' }))).toMatchObject({ code: 'invalid_input', issues: [{ path: 'room' }] });
    await setClock('2026-03-02T14:02:00Z');
    expect(await c.ok<Appointment>('schedule.advance', { id: a!.id, patientId: ana.id, to: 'roomed', room: 'Exam 4' })).toMatchObject({
      status: 'roomed',
      room: 'Exam 4',
    });
    expect(failure(await step('checked_in', { checklist: CHECKLIST }))).toMatchObject({
      code: 'conflict',
      message: 'an appointment that is roomed cannot become checked in (next: with provider)',
    });
    await setClock('2026-03-02T14:10:00Z');
    await c.ok('schedule.advance', { id: a!.id, patientId: ana.id, to: 'with_provider' });
    expect(c.session.repos.encounters.get(checkedIn.encounterId!).status).toBe('in_progress');
    await setClock('2026-03-02T14:45:00Z');
    const out = await c.ok<Appointment>('schedule.advance', { id: a!.id, patientId: ana.id, to: 'checked_out' });
    expect(out.stateTimes).toEqual({
      arrived: '2026-03-02T13:50:00.000Z',
      checked_in: '2026-03-02T13:55:00.000Z',
      roomed: '2026-03-02T14:02:00.000Z',
      with_provider: '2026-03-02T14:10:00.000Z',
      checked_out: '2026-03-02T14:45:00.000Z',
    });
    expect(c.session.repos.encounters.get(checkedIn.encounterId!).status).toBe('finished');
    expect(failure(await step('arrived'))).toMatchObject({ code: 'conflict', message: 'the appointment is checked out: its status can no longer change' });
    const trail = c.session.repos.audit
      .list({ patientId: ana.id })
      .filter((e) => e.action === 'appointment.status')
      .map((e) => e.detail);
    expect(trail).toEqual([
      'scheduled -> arrived',
      'arrived -> checked_in',
      'checked_in -> roomed Exam 4',
      'roomed -> with_provider',
      'with_provider -> checked_out',
    ]);
    // Every transition went to the outbox too (book + 5 steps, coalesced or not, at least one entry for the row).
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'appointment' AND entity_id = ?`, a!.id)).toBeGreaterThanOrEqual(1);
  });

  it('checking in a visit already linked to an encounter opens that one, not a new one', async () => {
    const [a] = (await c.ok<Booked>('schedule.book', { patientId: ben.id, providerId: docId, typeId: 'follow-up', startAt: '2026-03-02T20:00:00Z' }))
      .appointments;
    // A clinician opened the visit ahead (front desk opens visits only by checking in).
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.doc);
    const existing = await c.ok<Encounter>('encounters.create', { patientId: ben.id, visitType: 'follow_up', status: 'planned' });
    await c.ok('session.logout');
    await c.ok('session.login', FRONT);
    c.session.repos.store.sqlite.prepare('UPDATE appointments SET encounter_id = ? WHERE id = ?').run(existing.id, a!.id);
    const before = count('SELECT count(*) AS n FROM encounters WHERE patient_id = ?', ben.id);
    await c.ok('schedule.advance', { id: a!.id, patientId: ben.id, to: 'arrived' });
    const checkedIn = await c.ok<Appointment>('schedule.advance', {
      id: a!.id,
      patientId: ben.id,
      to: 'checked_in',
      checklist: { ...CHECKLIST, insurance: 'self_pay' },
    });
    expect(checkedIn.encounterId).toBe(existing.id);
    expect(count('SELECT count(*) AS n FROM encounters WHERE patient_id = ?', ben.id)).toBe(before);
    expect(c.session.repos.encounters.get(existing.id).status).toBe('checked_in');
  });

  it('lists a restricted chart’s visits by name only (no MRN, reason or check-in answers) until the glass is broken', async () => {
    const [v] = (
      await c.ok<Booked>('schedule.book', {
        patientId: ben.id,
        providerId: docId,
        typeId: 'follow-up',
        startAt: '2026-03-04T14:00:00Z',
        reason: 'private matter',
      })
    ).appointments;
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.admin);
    await c.ok('patients.setRestricted', { id: ben.id, restricted: true });
    await c.ok('session.logout');
    await c.ok('session.login', FRONT);
    const day = { from: '2026-03-04T05:00:00Z', to: '2026-03-05T05:00:00Z' };
    expect((await c.ok<Appointment[]>('schedule.list', day)).find((a) => a.id === v!.id)).toMatchObject({
      patientName: 'Okafor, Ben',
      mrn: null,
      reason: null,
    });
    expect(failure(await c.call('schedule.advance', { id: v!.id, patientId: ben.id, to: 'arrived' })).code).toBe('break_glass_required');
    await c.ok('patients.breakGlass', { patientId: ben.id, reason: 'patient at the desk for the visit', password: FRONT.password });
    expect((await c.ok<Appointment[]>('schedule.list', day)).find((a) => a.id === v!.id)).toMatchObject({ mrn: ben.mrn, reason: 'private matter' });
  });

  it('billing may see the calendar but not book', async () => {
    await c.ok('session.logout');
    await c.ok('session.login', CLINIC.admin);
    await c.ok('users.create', { username: 'bill', displayName: 'Bill Ing', role: 'billing', password: 'granite willow 12' });
    await c.ok('session.logout');
    await c.ok('session.login', { username: 'bill', password: 'granite willow 12' });
    expect((await c.ok<Appointment[]>('schedule.list', { from: '2026-03-02T05:00:00Z', to: '2026-03-03T05:00:00Z' })).length).toBeGreaterThan(0);
    expect(failure(await c.call('schedule.book', { patientId: ben.id, providerId: docId, typeId: 'follow-up', startAt: '2026-03-10T14:00:00Z' })).code).toBe(
      'forbidden',
    );
    await c.ok('session.logout');
    await c.ok('session.login', FRONT);
  });
});

describe('an appointment booked on one device reaches another through the clinic server', () => {
  let devices: TwoDevices;
  let a: Clinic;
  let b: Repos;
  let syncA: SyncClient;
  let syncB: SyncClient;

  beforeAll(async () => {
    devices = await twoEnrolledDevices(['Front desk PC', 'Exam room laptop']);
    ({ a, b, syncA, syncB } = devices);
  });
  afterAll(async () => {
    await devices?.close();
  });

  it('books on A, syncs, and B lists it in its day view; a cancellation follows', async () => {
    const p = await a.ok<Patient>('patients.create', { givenName: 'Sync', familyName: 'Traveller', birthDate: '1990-01-01' });
    const docId = a.session.repos.users.list().find((u) => u.username === 'drhouse')!.id;
    const [booked] = (
      await a.ok<Booked>('schedule.book', { patientId: p.id, providerId: docId, typeId: 'annual-physical', startAt: '2026-04-06T13:00:00Z', room: 'Exam 3' })
    ).appointments;
    expect((await syncA.syncOnce()).error).toBeNull();
    expect((await syncB.syncOnce()).error).toBeNull();
    const onB = new AppointmentsService(b, loadScheduleConfig(b.resources));
    const day = { from: '2026-04-06T04:00:00Z', to: '2026-04-07T04:00:00Z', activeOnly: false };
    expect(onB.list(day, () => true)).toEqual([
      expect.objectContaining({ id: booked!.id, patientName: 'Traveller, Sync', room: 'Exam 3', status: 'scheduled', endAt: '2026-04-06T13:30:00.000Z' }),
    ]);
    await a.ok('schedule.cancel', { id: booked!.id, patientId: p.id, outcome: 'cancelled', reason: 'clinic closed for training' });
    expect((await syncA.syncOnce()).error).toBeNull();
    expect((await syncB.syncOnce()).error).toBeNull();
    expect(onB.list(day, () => true)[0]).toMatchObject({ status: 'cancelled', cancelReason: 'clinic closed for training' });
  });
});
