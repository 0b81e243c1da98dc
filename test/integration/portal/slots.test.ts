import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallTime } from '../../../shared/domain/dates';
import { portalSettingsFile, type PortalSettings } from '../../../shared/domain/portal';
import type { Fields } from '../../../shared/sync/entities';
import { encodeHlc } from '../../../shared/sync/hlc';
import { newId } from '../../../electron/common/ids';
import type { ServerDb } from '../../../electron/server/db/open';
import { openSlots, SLOT_DAYS } from '../../../electron/server/portal/portal-slots';
import { bookAppointment, type PortalActor, type PortalDeps } from '../../../electron/server/portal/portal-writes';
import { ServerError } from '../../../electron/server/server-error';
import { lockRows, writeLog } from '../../../electron/server/sync-log';
import { SyncService } from '../../../electron/server/sync.service';
import { openTestDb, type Backend } from '../../helpers/sync-server';
import { resourcesDir } from '../../helpers/temp-db';

// Monday 2031-03-03 09:00 in the clinic's zone (America/New_York; EST until 9 March, EDT after).
const NOW = Date.parse('2031-03-03T14:00:00Z');
const TZ = 'America/New_York';
const WHO: PortalActor = { accountId: 'acct-1', displayName: 'Pat Example', kind: 'self' };

/** A row as a device's change would leave it: merged into sync_rows and numbered in the change log. */
async function seed(db: ServerDb, entity: string, patientId: string | null, fields: Fields): Promise<string> {
  const id = (fields['id'] as string | undefined) ?? newId();
  await db.tx(async (q) => {
    const rows = await lockRows(q, [{ entity, id }]);
    const data = { ...fields, id };
    const clocks = Object.fromEntries(Object.keys(data).map((k) => [k, encodeHlc({ wall: Date.now(), counter: 0, node: 'seed' })]));
    rows.set(`${entity}\u0000${id}`, { entity, entityId: id, patientId, data, clocks });
    await writeLog(q, [{ deviceId: null, deviceSeq: null, entity, entityId: id, patientId, op: 'insert', fields: data, clocks, authorId: 'seed' }], rows);
  });
  return id;
}

const visit = (patientId: string, start: string, minutes: number, extra: Fields = {}): Fields => ({
  patient_id: patientId,
  provider_id: null,
  appointment_type: 'follow-up',
  start_at: new Date(Date.parse(start)).toISOString(),
  end_at: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
  status: 'scheduled',
  deleted_at: null,
  ...extra,
});

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const e = await p.then(
    () => expect.fail('accepted'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ServerError);
  return { status: (e as ServerError).status, code: (e as ServerError).code, message: (e as ServerError).message };
}

function settingsWith(booking: Partial<PortalSettings['booking']>): PortalSettings {
  const file = portalSettingsFile.parse(JSON.parse(readFileSync(join(resourcesDir, 'portal', 'portal-settings.json'), 'utf8')));
  return { ...file, booking: { ...file.booking, minNoticeHours: 24, horizonDays: 30, ...booking } };
}

const local = (iso: string): string => {
  const w = wallTime(Date.parse(iso), TZ);
  return `${w.date} ${String(Math.floor(w.minutes / 60)).padStart(2, '0')}:${String(w.minutes % 60).padStart(2, '0')}`;
};

describe.each<Backend>(['pglite', 'postgres'])('open slots and online booking on %s', (backend) => {
  let db: ServerDb;
  let drop: (() => Promise<void>) | null = null;
  let deps: PortalDeps;
  let pat: string;
  let other: string;

  beforeAll(async () => {
    ({ db, drop } = await openTestDb(backend));
    deps = { sync: new SyncService(db), settings: settingsWith({}), forms: new Map(), resourcesDir, now: () => NOW };
    pat = await seed(db, 'patient', null, { given_name: 'Pat', family_name: 'Example', deleted_at: null });
    await db.query('UPDATE sync_rows SET patient_id = entity_id WHERE entity_id = $1', [pat]);
    other = await seed(db, 'patient', null, { given_name: 'Other', family_name: 'Person', deleted_at: null });
    await db.query('UPDATE sync_rows SET patient_id = entity_id WHERE entity_id = $1', [other]);
  });

  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('slots are the clinic hours in its zone, a visit length apart, after the notice, minus visits that hold time', async () => {
    await seed(db, 'appointment', other, visit(other, '2031-03-04T15:00:00Z', 30)); // Tue 10:00–10:30
    await seed(db, 'appointment', other, visit(other, '2031-03-04T16:00:00Z', 20, { status: 'cancelled' })); // Tue 11:00, cancelled
    const { type, slots } = await openSlots(deps, 'follow-up', '2031-03-03');
    expect(type).toBe('follow-up');
    const tuesday = slots.filter((s) => local(s.start).startsWith('2031-03-04')).map((s) => local(s.start).slice(11));
    // Monday is within the 24-hour notice; Tuesday from 09:00; 10:00 and 10:20 overlap the visit, 11:00 is free again.
    expect(slots.some((s) => local(s.start).startsWith('2031-03-03'))).toBe(false);
    expect(tuesday.slice(0, 6)).toEqual(['09:00', '09:20', '09:40', '10:40', '11:00', '11:20']);
    expect(tuesday).not.toContain('12:00');
    expect(tuesday).toContain('13:00');
    expect(tuesday.at(-1)).toBe('16:40');
    for (const s of slots) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(20 * 60_000);
    // No weekend slots; after the change to summer time 08:00 local is 12:00 UTC.
    expect(slots.some((s) => ['2031-03-08', '2031-03-09'].includes(local(s.start).slice(0, 10)))).toBe(false);
    const nextWeek = await openSlots(deps, 'follow-up', '2031-03-10');
    expect(nextWeek.slots[0]).toEqual({ start: '2031-03-10T12:00:00.000Z', end: '2031-03-10T12:20:00.000Z' });
    const days = new Set(nextWeek.slots.map((s) => local(s.start).slice(0, 10)));
    expect(days.size).toBeLessThanOrEqual(SLOT_DAYS);
  });

  it('nothing past the horizon; a type not bookable online or a bad day is refused', async () => {
    expect((await openSlots(deps, 'follow-up', '2031-04-07')).slots).toEqual([]);
    const edge = await openSlots(deps, 'follow-up', '2031-04-01');
    expect(edge.slots.every((s) => Date.parse(s.start) <= NOW + 30 * 86_400_000)).toBe(true);
    expect(await refusal(openSlots(deps, 'procedure', '2031-03-04'))).toMatchObject({ status: 400, code: 'not_bookable' });
    expect(await refusal(openSlots(deps, 'follow-up', '2031-02-30'))).toMatchObject({ status: 400, message: 'give the first day as YYYY-MM-DD' });
  });

  it('booking: a taken slot, lunch, a weekend, too soon, too far, off the grid and the wrong type are refused, each saying why', async () => {
    const book = (start: string, type = 'follow-up', who = pat): Promise<unknown> => bookAppointment(deps, WHO, who, { appointmentType: type, start });
    const ok = (await book('2031-03-05T14:00:00Z')) as { id: string; start: string };
    expect(ok.start).toBe('2031-03-05T14:00:00.000Z');
    expect((await openSlots(deps, 'follow-up', '2031-03-05')).slots.map((s) => s.start)).not.toContain('2031-03-05T14:00:00.000Z');
    expect(await refusal(book('2031-03-05T14:00:00Z', 'follow-up', other))).toMatchObject({ status: 409, code: 'slot_taken' });
    expect(await refusal(book('2031-03-05T14:10:00Z', 'follow-up', other))).toMatchObject({ code: 'slot_taken' });
    expect(await refusal(book('2031-03-05T14:10:00Z'))).toMatchObject({ code: 'already_booked', message: 'you already have a visit at that time' });
    const lunch = await refusal(book('2031-03-05T17:30:00Z'));
    expect(lunch).toEqual({ status: 409, code: 'outside_hours', message: 'the clinic is closed at that time; choose one of the open times' });
    expect(await refusal(book('2031-03-05T16:50:00Z'))).toMatchObject({ code: 'outside_hours' }); // 11:50–12:10 runs into lunch
    expect(await refusal(book('2031-03-08T15:00:00Z'))).toMatchObject({ code: 'outside_hours' }); // Saturday
    expect(await refusal(book('2031-03-03T19:00:00Z'))).toMatchObject({ code: 'too_soon' });
    expect(await refusal(book('2031-04-14T14:00:00Z'))).toMatchObject({ code: 'too_far' });
    expect(await refusal(book('2031-03-05T15:02:00Z'))).toMatchObject({ code: 'not_a_slot' });
    expect(await refusal(book('2031-03-05T15:00:00Z', 'procedure'))).toMatchObject({ status: 400, code: 'not_bookable' });
    expect(await refusal(bookAppointment(deps, WHO, 'no-such-chart', { appointmentType: 'follow-up', start: '2031-03-05T19:00:00Z' }))).toMatchObject({
      status: 404,
    });
  });

  it('two patients booking the same time at once: one gets it, the other is told it was just taken', async () => {
    const results = await Promise.allSettled([
      bookAppointment(deps, WHO, pat, { appointmentType: 'telehealth', start: '2031-03-06T18:00:00Z' }),
      bookAppointment(deps, WHO, other, { appointmentType: 'telehealth', start: '2031-03-06T18:00:00Z' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as ServerError).code).toBe('slot_taken');
    const [n] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sync_rows WHERE entity = 'appointment' AND data->>'start_at' = '2031-03-06T18:00:00.000Z' AND data->>'status' = 'scheduled'",
    );
    expect(n!.n).toBe(1);
  });

  it("with providers listed, a slot is open while one of them is free and the booking goes to that provider's calendar", async () => {
    const a = await seed(db, 'user', null, { display_name: 'Dr. Ana Ruiz', role: 'physician', disabled: 0, deleted_at: null });
    const b = await seed(db, 'user', null, { display_name: 'Dr. Ben Cole', role: 'physician', disabled: 0, deleted_at: null });
    const gone = await seed(db, 'user', null, { display_name: 'Dr. Gone', role: 'physician', disabled: 1, deleted_at: null });
    const withProviders: PortalDeps = { ...deps, settings: settingsWith({ providerIds: [gone, a, b] }) };
    await seed(db, 'appointment', other, visit(other, '2031-03-07T14:00:00Z', 20, { provider_id: a })); // Fri 09:00 with Dr. Ruiz
    const first = await bookAppointment(withProviders, WHO, pat, { appointmentType: 'follow-up', start: '2031-03-07T14:00:00Z' });
    expect(first.clinician).toBe('Dr. Ben Cole');
    const [r] = await db.query<{ p: string }>("SELECT data->>'provider_id' AS p FROM sync_rows WHERE entity = 'appointment' AND entity_id = $1", [first.id]);
    expect(r!.p).toBe(b);
    // Both are busy at 09:00 now: the slot is gone and a third booking is refused.
    expect((await openSlots(withProviders, 'follow-up', '2031-03-07')).slots.map((s) => s.start)).not.toContain('2031-03-07T14:00:00.000Z');
    const third = await seed(db, 'patient', null, { given_name: 'Third', family_name: 'Patient', deleted_at: null });
    await db.query('UPDATE sync_rows SET patient_id = entity_id WHERE entity_id = $1', [third]);
    expect(await refusal(bookAppointment(withProviders, WHO, third, { appointmentType: 'follow-up', start: '2031-03-07T14:00:00Z' }))).toMatchObject({
      code: 'slot_taken',
    });
    // With one lane for the whole clinic, a provider's visit takes the time for everyone.
    expect((await openSlots(deps, 'follow-up', '2031-03-07')).slots.map((s) => s.start)).not.toContain('2031-03-07T14:00:00.000Z');
  });
});
