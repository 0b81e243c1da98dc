import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SlotsView } from '../../../shared/api/portal-http';
import { addDays, isIsoDate, wallTime } from '../../../shared/domain/dates';
import type { PortalSettings } from '../../../shared/domain/portal';
import {
  appointmentTypesFile,
  clinicHoursFile,
  openingsOn,
  overlaps,
  type AppointmentType,
  type ClinicHours,
  type Interval,
} from '../../../shared/domain/schedule';
import type { Sql } from '../db/open';
import { ServerError } from '../server-error';

/**
 * Open slots for online booking: the clinic's hours (resources/schedule/clinic-hours.json, in its
 * time zone) minus the visits already booked (the merged appointment rows in sync_rows, cancelled
 * and no-show ones left out), within the notice and horizon of the portal settings. A slot is open
 * while one booking lane is free: each of `booking.providerIds`, or the whole clinic as one lane
 * when none are listed.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** How many days one answer lists, from the day asked for. */
export const SLOT_DAYS = 7;

/** What the slot search needs (a PortalDeps has it). */
export interface SlotsDeps {
  sync: { db: Sql };
  settings: PortalSettings;
  resourcesDir: string;
  now: () => number;
}

export interface ScheduleFiles {
  types: AppointmentType[];
  hours: ClinicHours;
}

const cache = new Map<string, ScheduleFiles>();

/** The appointment types and clinic hours, read once per resources folder. */
export function scheduleFiles(resourcesDir: string): ScheduleFiles {
  const hit = cache.get(resourcesDir);
  if (hit) return hit;
  const read = (name: string): unknown => JSON.parse(readFileSync(join(resourcesDir, 'schedule', name), 'utf8'));
  let files: ScheduleFiles;
  try {
    files = { types: appointmentTypesFile.parse(read('appointment-types.json')).types, hours: clinicHoursFile.parse(read('clinic-hours.json')) };
  } catch {
    throw new ServerError(
      503,
      'schedule_unavailable',
      "the clinic's schedule cannot be read just now, so nothing can be booked online; please call the clinic",
    );
  }
  cache.set(resourcesDir, files);
  return files;
}

/** The type if patients may book it online; otherwise a refusal that says what to do instead. */
export function bookableType(deps: SlotsDeps, typeId: string): AppointmentType {
  const type = scheduleFiles(deps.resourcesDir).types.find((t) => t.id === typeId);
  if (!type || !deps.settings.booking.appointmentTypes.includes(typeId)) {
    throw new ServerError(400, 'not_bookable', 'this kind of visit cannot be booked online; send a visit request and the clinic will find you a time');
  }
  return type;
}

/** The earliest and latest start a patient may book now. */
export function bookingWindow(deps: SlotsDeps): { earliest: number; latest: number } {
  const now = deps.now();
  return { earliest: now + deps.settings.booking.minNoticeHours * HOUR, latest: now + deps.settings.booking.horizonDays * DAY };
}

/** Booking lanes: the listed providers who are active staff on this server, or one clinic-wide lane (null). */
async function lanes(q: Sql, settings: PortalSettings): Promise<(string | null)[]> {
  const ids = settings.booking.providerIds;
  if (ids.length === 0) return [null];
  const active = await q.query<{ id: string }>(
    `SELECT entity_id AS id FROM sync_rows WHERE entity = 'user' AND entity_id = ANY($1::text[])
       AND coalesce(data->>'disabled', '0') NOT IN ('1', 'true') AND data->>'deleted_at' IS NULL`,
    [ids],
  );
  const found = new Set(active.map((r) => r.id));
  return ids.filter((id) => found.has(id));
}

/** Visits holding time between two instants, by lane (one clinic-wide lane: every visit counts). */
async function busyByLane(q: Sql, lanesOf: (string | null)[], from: number, to: number): Promise<Map<string | null, Interval[]>> {
  const rows = await q.query<{ provider: string | null; start_at: string; end_at: string }>(
    `SELECT data->>'provider_id' AS provider, data->>'start_at' AS start_at, data->>'end_at' AS end_at FROM sync_rows
     WHERE entity = 'appointment' AND data->>'deleted_at' IS NULL AND coalesce(data->>'status', '') NOT IN ('cancelled', 'no_show')
       AND (data->>'start_at')::timestamptz < $2::timestamptz AND (data->>'end_at')::timestamptz > $1::timestamptz`,
    [new Date(from).toISOString(), new Date(to).toISOString()],
  );
  const out = new Map<string | null, Interval[]>(lanesOf.map((l) => [l, []]));
  for (const r of rows) {
    const iv = { start: Date.parse(r.start_at), end: Date.parse(r.end_at) };
    if (lanesOf.length === 1 && lanesOf[0] === null) out.get(null)!.push(iv);
    else out.get(r.provider)?.push(iv);
  }
  return out;
}

/** The first lane free for the whole interval, or undefined when every lane is taken. */
const freeIn = (busy: Map<string | null, Interval[]>, iv: Interval): string | null | undefined =>
  [...busy.entries()].find(([, list]) => !list.some((b) => overlaps(b, iv)))?.[0];

/**
 * The lane to book `iv` in, read inside the caller's transaction, or a refusal saying why the time
 * cannot be booked (outside hours, too soon, too far ahead, off the grid, taken).
 */
export async function laneFor(q: Sql, deps: SlotsDeps, iv: Interval): Promise<string | null> {
  const { hours } = scheduleFiles(deps.resourcesDir);
  const { earliest, latest } = bookingWindow(deps);
  const b = deps.settings.booking;
  if (iv.start < earliest) {
    throw new ServerError(409, 'too_soon', `online bookings must be at least ${b.minNoticeHours} hours ahead; for a sooner visit, please call the clinic`);
  }
  if (iv.start > latest) throw new ServerError(409, 'too_far', `online bookings can be made up to ${b.horizonDays} days ahead; choose an earlier time`);
  const opening = openingsOn(wallTime(iv.start, hours.timeZone).date, hours).find((o) => iv.start >= o.start && iv.end <= o.end);
  if (!opening) throw new ServerError(409, 'outside_hours', 'the clinic is closed at that time; choose one of the open times');
  if ((iv.start - opening.start) % (hours.slotMinutes * MINUTE) !== 0)
    throw new ServerError(409, 'not_a_slot', 'that is not one of the open times; choose one from the list');
  const lane = freeIn(await busyByLane(q, await lanes(q, deps.settings), iv.start, iv.end), iv);
  if (lane === undefined) throw new ServerError(409, 'slot_taken', 'that time was just booked by someone else; choose another time');
  return lane;
}

/**
 * Open times for a type of visit, for SLOT_DAYS days from `fromDay` (YYYY-MM-DD, the clinic's
 * calendar), each a visit's length apart from the start of the opening, never before the notice
 * period or past the horizon.
 */
export async function openSlots(deps: SlotsDeps, appointmentType: string, fromDay: string): Promise<SlotsView> {
  if (!isIsoDate(fromDay)) throw new ServerError(400, 'invalid_input', 'give the first day as YYYY-MM-DD');
  const type = bookableType(deps, appointmentType);
  const { hours } = scheduleFiles(deps.resourcesDir);
  const { earliest, latest } = bookingWindow(deps);
  const today = wallTime(deps.now(), hours.timeZone).date;
  const first = fromDay < today ? today : fromDay;
  const openings = Array.from({ length: SLOT_DAYS }, (_, i) => openingsOn(addDays(first, i), hours)).flat();
  const slots: { start: string; end: string }[] = [];
  if (openings.length === 0) return { type: type.id, slots };
  const len = type.minutes * MINUTE;
  const step = Math.ceil(type.minutes / hours.slotMinutes) * hours.slotMinutes * MINUTE;
  const busy = await busyByLane(deps.sync.db, await lanes(deps.sync.db, deps.settings), openings[0]!.start, openings[openings.length - 1]!.end);
  for (const o of openings) {
    for (let start = o.start; start + len <= o.end; start += step) {
      if (start < earliest || start > latest) continue;
      const iv = { start, end: start + len };
      if (freeIn(busy, iv) !== undefined) slots.push({ start: new Date(start).toISOString(), end: new Date(iv.end).toISOString() });
    }
  }
  return { type: type.id, slots };
}
