import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/api/result';
import type { Encounter } from '../../shared/domain/clinical';
import type { Patient, SearchHit } from '../../shared/domain/patient';
import type { Appointment } from '../../shared/domain/schedule';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

type Booked = { appointments: Appointment[]; doubleBooked: string[] };
type Due = { status: string }[];
const FRONT = { username: 'frontdesk', password: 'copper lantern 23' };
const SIG = {
  doseAmount: 500,
  doseUnit: 'mg',
  route: 'oral',
  frequency: 'bid',
  prn: false,
  quantity: 60,
  quantityUnit: 'tablet',
  refills: 1,
  indication: 'type 2 diabetes',
};

function failure(r: Result<unknown>): { code: string; message: string; issues?: { path: string; message: string }[] } {
  if (r.ok) expect.fail('expected a refusal');
  return r.error;
}

/**
 * What the backend refuses whatever the screen shows: acts on a deceased patient, a visit started
 * by front desk, a second chart for the same person, a booking when the clinic is closed.
 * Real encrypted database, real dispatcher; the clock is Monday 2 March 2026 in New York.
 */
describe('patient identity and safety refusals, through the dispatcher', () => {
  const t = tempDir('cairn-safety-');
  const now = new Date('2026-03-02T12:00:00Z');
  let c: Clinic;
  let late: Patient;
  let docId: string;
  const count = (sql: string, ...p: unknown[]): number => (c.session.repos.store.sqlite.prepare(sql).get(...p) as { n: number }).n;
  const as = async (who: { username: string; password: string }): Promise<void> => {
    await c.ok('session.logout');
    await c.ok('session.login', who);
  };

  beforeAll(async () => {
    c = await openClinic(t.dir, () => now);
    await as(CLINIC.admin);
    await c.ok('users.create', { username: FRONT.username, displayName: 'Fran Front', role: 'front_desk', password: FRONT.password });
    await as(CLINIC.doc);
    late = await c.ok<Patient>('patients.create', { givenName: 'Randolph', familyName: 'Wisoky', birthDate: '1940-01-20', sex: 'male' });
    late = await c.ok<Patient>('patients.update', { id: late.id, expectedVersion: late.version, deceasedOn: '2006-05-08' });
    docId = (await c.ok<{ id: string; role: string }[]>('schedule.providers')).find((p) => p.role === 'physician')!.id;
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('records a date of death and shows it, not a living age, in the chart and in search', async () => {
    expect(late.deceasedOn).toBe('2006-05-08');
    const [hit] = await c.ok<SearchHit[]>('patients.search', { query: 'wisoky' });
    expect(hit).toMatchObject({ familyName: 'Wisoky', restricted: false, deceasedOn: '2006-05-08' });
    expect(failure(await c.call('patients.update', { id: late.id, expectedVersion: late.version, deceasedOn: '1939-01-01' })).issues).toEqual([
      { path: 'deceasedOn', message: 'date of death 1939-01-01 is before the birth date 1940-01-20' },
    ]);
  });

  it('refuses a visit, a booking and a prescription for a deceased patient, saying why, before writing anything', async () => {
    const before = {
      encounters: count('SELECT count(*) AS n FROM encounters'),
      audit: count('SELECT count(*) AS n FROM audit_log'),
      outbox: count('SELECT count(*) AS n FROM sync_outbox'),
    };
    const visit = failure(await c.call('encounters.create', { patientId: late.id, visitType: 'office_visit' }));
    expect(visit).toMatchObject({ code: 'conflict' });
    expect(visit.message).toContain('this patient died on 2006-05-08: starting a visit is not possible');
    const booking = failure(await c.call('schedule.book', { patientId: late.id, providerId: docId, typeId: 'follow-up', startAt: '2026-03-03T14:00:00Z' }));
    expect(booking.message).toContain('died on 2006-05-08: booking an appointment is not possible');
    const metformin = (await c.ok<{ rxcui: string; name: string }[]>('meds.searchDrugs', { query: 'metformin' }))[0]!.rxcui;
    // Refused even with a wrong password: the reason given is the death, not the password.
    const rx = failure(await c.call('meds.prescribe', { patientId: late.id, rxcui: metformin, sig: SIG, password: 'not the password' }));
    expect(rx.message).toContain('died on 2006-05-08: prescribing is not possible');
    expect({
      encounters: count('SELECT count(*) AS n FROM encounters'),
      audit: count('SELECT count(*) AS n FROM audit_log'),
      outbox: count('SELECT count(*) AS n FROM sync_outbox'),
    }).toEqual(before);
  });

  it('lists no immunization as due or overdue for a deceased patient', async () => {
    const due = await c.ok<Due>('immunizations.due', { patientId: late.id });
    expect(due.length).toBeGreaterThan(0);
    expect(due.filter((d) => d.status === 'due' || d.status === 'overdue')).toEqual([]);
    const summary = await c.ok<{ immunizationsDue: Due }>('chart.summary', { patientId: late.id });
    expect(summary.immunizationsDue).toEqual([]);
  });

  it('refuses front desk a visit at the door, before an encounter or an audit entry is written', async () => {
    const alive = await c.ok<Patient>('patients.create', { givenName: 'Desk', familyName: 'Walkin', birthDate: '1990-05-05', sex: 'female' });
    await as(FRONT);
    const before = {
      encounters: count('SELECT count(*) AS n FROM encounters'),
      audit: count(`SELECT count(*) AS n FROM audit_log WHERE action = 'encounter.create'`),
    };
    expect(failure(await c.call('encounters.create', { patientId: alive.id, visitType: 'office_visit' }))).toMatchObject({
      code: 'forbidden',
      message: 'a front desk may not do this',
    });
    expect({
      encounters: count('SELECT count(*) AS n FROM encounters'),
      audit: count(`SELECT count(*) AS n FROM audit_log WHERE action = 'encounter.create'`),
    }).toEqual(before);
    await as(CLINIC.doc);
  });

  it('warns of a chart with the same name, birth date and sex, and registers only when confirmed', async () => {
    const first = await c.ok<Patient>('patients.create', { givenName: 'Maria', familyName: 'Lopez', birthDate: '1972-03-14', sex: 'female' });
    const again = { givenName: 'maria', familyName: 'LOPEZ ', birthDate: '03/14/1972', sex: 'female' };
    const refused = failure(await c.call('patients.create', again));
    expect(refused).toMatchObject({ code: 'possible_duplicate', issues: [{ path: 'confirmDuplicate' }] });
    expect(refused.message).toContain(`MRN ${first.mrn}`);
    expect(count(`SELECT count(*) AS n FROM patients WHERE family_name = 'LOPEZ'`)).toBe(0);
    const found = await c.ok<SearchHit[]>('patients.findDuplicates', { givenName: 'Maria', familyName: 'Lopez', birthDate: '1972-03-14', sex: 'female' });
    expect(found).toEqual([expect.objectContaining({ id: first.id, mrn: first.mrn, birthDate: '1972-03-14', restricted: false })]);
    // Another sex or another birth date is another person as far as this check goes.
    expect(await c.ok<SearchHit[]>('patients.findDuplicates', { givenName: 'Maria', familyName: 'Lopez', birthDate: '1972-03-15', sex: 'female' })).toEqual([]);
    await c.ok('patients.create', { ...again, sex: 'male' });
    const second = await c.ok<Patient>('patients.create', { ...again, confirmDuplicate: true });
    expect(second.mrn).not.toBe(first.mrn);
    const audit = c.session.repos.audit.list({ patientId: second.id }).find((e) => e.action === 'patient.create');
    expect(audit?.detail).toBe(`registered despite possible duplicate of ${first.id}`);
  });

  it('accepts birth dates typed 03/14/1972 and 3/4/1972 as search does, and still refuses a date that does not exist', async () => {
    const a = await c.ok<Patient>('patients.create', { givenName: 'Typed', familyName: 'Dates', birthDate: '03/14/1972' });
    const b = await c.ok<Patient>('patients.create', { givenName: 'Short', familyName: 'Dates', birthDate: '3/4/1972' });
    expect([a.birthDate, b.birthDate]).toEqual(['1972-03-14', '1972-03-04']);
    expect(failure(await c.call('patients.create', { givenName: 'Bad', familyName: 'Dates', birthDate: '02/30/1972' })).issues).toEqual([
      { path: 'birthDate', message: 'invalid date "02/30/1972": use a real calendar date as YYYY-MM-DD' },
    ]);
  });

  it('records an emergency contact and a guarantor, which travel with the chart to the clinic server', async () => {
    const p = await c.ok<Patient>('patients.create', {
      givenName: 'Kid',
      familyName: 'Contact',
      birthDate: '2015-06-01',
      sex: 'male',
      emergencyContact: { name: 'Rosa Contact', relationship: 'mother', phone: '(617) 555-0142' },
      guarantor: { relationship: 'parent', name: 'Rosa Contact', phone: '617-555-0142', address: '12 Elm St, Springfield, MA 01101' },
    });
    expect(p.emergencyContact).toEqual({ name: 'Rosa Contact', relationship: 'mother', phone: '(617) 555-0142' });
    expect(p.guarantor).toEqual({ relationship: 'parent', name: 'Rosa Contact', phone: '617-555-0142', address: '12 Elm St, Springfield, MA 01101' });
    const row = c.session.repos.store.sqlite.prepare(`SELECT payload FROM sync_outbox WHERE entity = 'patient' AND entity_id = ?`).get(p.id) as {
      payload: string;
    };
    expect(JSON.parse(row.payload)).toMatchObject({
      emergency_contact_name: 'Rosa Contact',
      emergency_contact_phone: '(617) 555-0142',
      guarantor_relationship: 'parent',
      guarantor_address: '12 Elm St, Springfield, MA 01101',
    });
    // Self as guarantor keeps no one else's details.
    const self = await c.ok<Patient>('patients.update', { id: p.id, expectedVersion: p.version, guarantor: { relationship: 'Self', name: 'ignored' } });
    expect(self.guarantor).toEqual({ relationship: 'self' });
    const bad = failure(
      await c.call('patients.create', {
        givenName: 'No',
        familyName: 'Number',
        birthDate: '1980-01-01',
        emergencyContact: { name: 'Someone' },
        guarantor: { relationship: 'spouse' },
      }),
    );
    expect(bad.issues).toEqual([
      { path: 'emergencyContact.phone', message: 'give a phone number to reach the emergency contact' },
      { path: 'guarantor.name', message: 'give the guarantor’s name (or choose Self)' },
    ]);
  });

  it('warns of a booking when the clinic is closed and books it only when confirmed', async () => {
    const p = await c.ok<Patient>('patients.create', { givenName: 'Sat', familyName: 'Urday', birthDate: '1960-01-01' });
    // Saturday 7 March 2026, 10:00 in New York: the clinic is closed on Saturdays.
    const saturday = { patientId: p.id, providerId: docId, typeId: 'follow-up', startAt: '2026-03-07T15:00:00Z' };
    const closed = failure(await c.call('schedule.book', saturday));
    expect(closed).toMatchObject({
      code: 'needs_override',
      issues: [{ path: 'allowOutsideHours', message: 'the clinic is closed: Sat 2026-03-07 10:00–10:20' }],
    });
    expect(count('SELECT count(*) AS n FROM appointments WHERE patient_id = ?', p.id)).toBe(0);
    // Lunch (12:00–13:00) is closed too; the same visit on a weekday morning books without a word.
    expect(failure(await c.call('schedule.book', { ...saturday, startAt: '2026-03-03T17:10:00Z' })).code).toBe('needs_override');
    await c.ok<Booked>('schedule.book', { ...saturday, startAt: '2026-03-03T14:00:00Z' });
    const booked = await c.ok<Booked>('schedule.book', { ...saturday, allowOutsideHours: true });
    expect(booked.appointments[0]).toMatchObject({ startAt: '2026-03-07T15:00:00.000Z', status: 'scheduled' });
    // Closed and double-booked at once: both are told together, so one confirmation settles both.
    const both = failure(await c.call('schedule.book', saturday));
    expect(both.issues?.map((i) => i.path)).toEqual(['allowOutsideHours', 'allowDoubleBooking']);
    expect(both.message).toContain('the clinic is closed at Sat 2026-03-07 10:00–10:20');
    expect(both.message).toContain('double booking: Dr. Gregory House already has Urday, Sat');
    expect((await c.ok<Booked>('schedule.book', { ...saturday, allowOutsideHours: true, allowDoubleBooking: true })).doubleBooked).toHaveLength(1);
  });

  it('lists visits newest first by when they took place, imported history included', async () => {
    const p = await c.ok<Patient>('patients.create', { givenName: 'Old', familyName: 'History', birthDate: '1950-01-01' });
    const today = await c.ok<Encounter>('encounters.create', { patientId: p.id, visitType: 'office_visit', reason: 'today' });
    // Imported visits are written after today's, oldest first, as an import writes them.
    const db = c.session.repos.store.sqlite;
    for (const year of [2011, 2016, 2021]) {
      db.prepare(
        `INSERT INTO encounters (id, patient_id, visit_type, status, reason, start_at, created_at, created_by, updated_at, updated_by, version)
        VALUES (?, ?, 'office_visit', 'finished', ?, ?, ?, 'import', ?, 'import', 1)`,
      ).run(
        `00000000-0000-7000-8000-00000000${year}`,
        p.id,
        `visit ${year}`,
        `${year}-05-01T14:00:00.000Z`,
        '2026-03-02T12:00:01.000Z',
        '2026-03-02T12:00:01.000Z',
      );
    }
    const list = await c.ok<Encounter[]>('encounters.list', { patientId: p.id });
    expect(list.map((e) => e.reason)).toEqual([today.reason, 'visit 2021', 'visit 2016', 'visit 2011']);
  });
});
