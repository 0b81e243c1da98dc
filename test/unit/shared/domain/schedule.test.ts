import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatWall, wallDateTime, wallTime, zonedInstant } from '../../../../shared/domain/dates';
import {
  advanceInput,
  appointmentTypesFile,
  bookInput,
  cancelInput,
  checkInProblems,
  clinicHoursFile,
  enteredCurrentState,
  expandRecurrence,
  findFreeSlot,
  FLOW_STATES,
  flowTransitionProblem,
  formatDuration,
  overlaps,
  recurrence,
  withinHours,
  type ClinicHours,
  type Interval,
} from '../../../../shared/domain/schedule';
import { resourcesDir } from '../../../helpers/temp-db';

const hours: ClinicHours = clinicHoursFile.parse(JSON.parse(readFileSync(join(resourcesDir, 'schedule', 'clinic-hours.json'), 'utf8')));
const TZ = 'America/New_York';
const at = (s: string): number => Date.parse(s);
const iv = (a: string, b: string): Interval => ({ start: at(a), end: at(b) });
const isoOf = (slot: Interval | null): string | null => (slot ? new Date(slot.start).toISOString() : null);

describe('shipped schedule data', () => {
  it('validates the appointment types and their default lengths', () => {
    const f = appointmentTypesFile.parse(JSON.parse(readFileSync(join(resourcesDir, 'schedule', 'appointment-types.json'), 'utf8')));
    const minutes = Object.fromEntries(f.types.map((t) => [t.id, t.minutes]));
    expect(minutes).toMatchObject({ 'new-patient': 40, 'follow-up': 20, 'annual-physical': 30, procedure: 60, telehealth: 15 });
    expect(f.types.find((t) => t.id === 'telehealth')?.virtual).toBe(true);
  });
  it('refuses a type listed twice and a bad zone or opening', () => {
    const dup = appointmentTypesFile.safeParse({
      types: [
        { id: 'a', name: 'A', minutes: 10, visitType: 'office_visit' },
        { id: 'a', name: 'B', minutes: 10, visitType: 'office_visit' },
      ],
    });
    expect(dup.success).toBe(false);
    expect(clinicHoursFile.safeParse({ ...hours, timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(clinicHoursFile.safeParse({ ...hours, days: { ...hours.days, mon: [{ start: '17:00', end: '08:00' }] } }).success).toBe(false);
  });
});

describe('clinic-zone clock', () => {
  it('reads wall time in the clinic zone, winter and summer', () => {
    expect(wallTime(at('2026-01-12T13:00:00Z'), TZ)).toEqual({ date: '2026-01-12', minutes: 8 * 60, weekday: 'mon' });
    expect(wallTime(at('2026-07-13T12:00:00Z'), TZ)).toEqual({ date: '2026-07-13', minutes: 8 * 60, weekday: 'mon' });
    // 03:30 UTC on Tuesday is still Monday evening in New York.
    expect(wallTime(at('2026-01-13T03:30:00Z'), TZ)).toMatchObject({ date: '2026-01-12', weekday: 'mon' });
  });
  it('finds the instant of a wall time, across both DST changes', () => {
    expect(new Date(zonedInstant('2026-03-06', 9 * 60, TZ)).toISOString()).toBe('2026-03-06T14:00:00.000Z');
    expect(new Date(zonedInstant('2026-03-09', 9 * 60, TZ)).toISOString()).toBe('2026-03-09T13:00:00.000Z');
    // 02:30 does not exist on 8 March 2026 in New York: read with the winter offset (03:30 EDT).
    expect(new Date(zonedInstant('2026-03-08', 150, TZ)).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on 1 November 2026: the first one (EDT).
    expect(new Date(zonedInstant('2026-11-01', 90, TZ)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(new Date(zonedInstant('2026-11-02', 8 * 60, TZ)).toISOString()).toBe('2026-11-02T13:00:00.000Z');
    expect(formatWall(at('2026-03-09T13:00:00Z'), TZ)).toBe('Mon 2026-03-09 09:00');
    // An evening instant is on the clinic's day, not UTC's next one.
    expect(wallDateTime(at('2026-12-07T01:30:00Z'), TZ)).toBe('2026-12-06 20:30');
  });
});

describe('overlap', () => {
  it('treats intervals as half-open', () => {
    expect(overlaps(iv('2026-03-02T14:00:00Z', '2026-03-02T14:20:00Z'), iv('2026-03-02T14:20:00Z', '2026-03-02T14:40:00Z'))).toBe(false);
    expect(overlaps(iv('2026-03-02T14:20:00Z', '2026-03-02T14:40:00Z'), iv('2026-03-02T14:00:00Z', '2026-03-02T14:20:00Z'))).toBe(false);
    expect(overlaps(iv('2026-03-02T14:00:00Z', '2026-03-02T14:21:00Z'), iv('2026-03-02T14:20:00Z', '2026-03-02T14:40:00Z'))).toBe(true);
    expect(overlaps(iv('2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z'), iv('2026-03-02T14:10:00Z', '2026-03-02T14:20:00Z'))).toBe(true);
  });
  it('knows the clinic hours', () => {
    expect(withinHours(iv('2026-03-02T16:40:00Z', '2026-03-02T17:00:00Z'), hours)).toBe(true); // 11:40–12:00
    expect(withinHours(iv('2026-03-02T16:50:00Z', '2026-03-02T17:10:00Z'), hours)).toBe(false); // into lunch
    expect(withinHours(iv('2026-03-07T15:00:00Z', '2026-03-07T15:20:00Z'), hours)).toBe(false); // Saturday
  });
});

describe('free-slot search', () => {
  // Monday 2 March 2026, EST (UTC−5): 08:00 local = 13:00Z, lunch 17:00Z–18:00Z, close 22:00Z.
  it('starts at opening on an empty day, and from a time on the slot grid', () => {
    expect(isoOf(findFreeSlot(at('2026-03-02T11:00:00Z'), 30, [], hours))).toBe('2026-03-02T13:00:00.000Z');
    expect(isoOf(findFreeSlot(at('2026-03-02T13:02:00Z'), 30, [], hours))).toBe('2026-03-02T13:05:00.000Z');
  });
  it('skips existing bookings, and fits exactly into a gap of the right length', () => {
    const busy = [
      iv('2026-03-02T13:00:00Z', '2026-03-02T13:30:00Z'),
      iv('2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z'),
      iv('2026-03-02T13:20:00Z', '2026-03-02T13:40:00Z'),
    ];
    expect(isoOf(findFreeSlot(at('2026-03-02T13:00:00Z'), 20, busy, hours))).toBe('2026-03-02T13:40:00.000Z');
    expect(isoOf(findFreeSlot(at('2026-03-02T13:00:00Z'), 21, busy, hours))).toBe('2026-03-02T15:00:00.000Z');
  });
  it('never runs into lunch: a 40-minute visit at 11:30 waits for 13:00', () => {
    expect(isoOf(findFreeSlot(at('2026-03-02T16:20:00Z'), 40, [], hours))).toBe('2026-03-02T16:20:00.000Z'); // 11:20–12:00 fits exactly
    expect(isoOf(findFreeSlot(at('2026-03-02T16:30:00Z'), 40, [], hours))).toBe('2026-03-02T18:00:00.000Z');
  });
  it('never runs past closing: goes to the next open day (Friday → Monday)', () => {
    expect(isoOf(findFreeSlot(at('2026-03-02T21:40:00Z'), 20, [], hours))).toBe('2026-03-02T21:40:00.000Z'); // 16:40–17:00
    expect(isoOf(findFreeSlot(at('2026-03-02T21:45:00Z'), 20, [], hours))).toBe('2026-03-03T13:00:00.000Z');
    expect(isoOf(findFreeSlot(at('2026-03-06T21:50:00Z'), 20, [], hours))).toBe('2026-03-09T12:00:00.000Z'); // Monday after DST: 08:00 EDT
  });
  it('returns null when the calendar is full within the horizon, and when the visit is longer than any opening', () => {
    const full = [iv('2026-03-02T00:00:00Z', '2026-03-10T00:00:00Z')];
    expect(findFreeSlot(at('2026-03-02T13:00:00Z'), 20, full, hours, 6)).toBeNull();
    expect(isoOf(findFreeSlot(at('2026-03-02T13:00:00Z'), 20, full, hours, 8))).toBe('2026-03-10T12:00:00.000Z');
    expect(findFreeSlot(at('2026-03-02T13:00:00Z'), 300, [], hours)).toBeNull();
  });
});

describe('recurrence in the clinic zone', () => {
  it('keeps a weekly 09:00 visit at 09:00 across the March DST change', () => {
    const starts = expandRecurrence(at('2026-03-02T14:00:00Z'), recurrence.parse({ frequency: 'weekly', count: 3 }), TZ);
    expect(starts.map((s) => new Date(s).toISOString())).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-16T13:00:00.000Z']);
    expect(starts.map((s) => wallTime(s, TZ).minutes)).toEqual([540, 540, 540]);
  });
  it('every N weeks until a date (inclusive)', () => {
    const starts = expandRecurrence(at('2026-01-05T15:00:00Z'), recurrence.parse({ frequency: 'weekly', interval: 2, until: '2026-02-16' }), TZ);
    expect(starts.map((s) => wallTime(s, TZ).date)).toEqual(['2026-01-05', '2026-01-19', '2026-02-02', '2026-02-16']);
  });
  it('monthly keeps the day of the month, or the month’s last day', () => {
    const starts = expandRecurrence(at('2026-01-31T15:00:00Z'), recurrence.parse({ frequency: 'monthly', count: 4 }), TZ);
    expect(starts.map((s) => wallTime(s, TZ).date)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(starts.map((s) => wallTime(s, TZ).minutes)).toEqual([600, 600, 600, 600]);
  });
  it('asks for a count or an end date, not both', () => {
    expect(recurrence.safeParse({ frequency: 'weekly' }).success).toBe(false);
    expect(recurrence.safeParse({ frequency: 'weekly', count: 3, until: '2026-05-01' }).success).toBe(false);
    expect(recurrence.safeParse({ frequency: 'weekly', count: 200 }).success).toBe(false);
  });
});

describe('flow board transitions', () => {
  it('moves one step at a time from scheduled to checked out', () => {
    for (let n = 0; n + 1 < FLOW_STATES.length; n++) expect(flowTransitionProblem(FLOW_STATES[n]!, FLOW_STATES[n + 1]!)).toBeNull();
  });
  it('refuses skipping, going back and leaving an end state, with a clear message', () => {
    expect(flowTransitionProblem('scheduled', 'roomed')).toBe('an appointment that is scheduled cannot become roomed (next: arrived or cancelled or no-show)');
    expect(flowTransitionProblem('roomed', 'checked_in')).toBe('an appointment that is roomed cannot become checked in (next: with provider)');
    expect(flowTransitionProblem('checked_out', 'arrived')).toBe('the appointment is checked out: its status can no longer change');
    expect(flowTransitionProblem('arrived', 'arrived')).toBe('the appointment is already arrived');
    expect(flowTransitionProblem('arrived', 'cancelled')).not.toBeNull();
    expect(flowTransitionProblem('cancelled', 'arrived')).toBe('the appointment is cancelled: its status can no longer change');
  });
  it('lists what a check-in checklist is missing', () => {
    const q = hours.intakeQuestions;
    expect(checkInProblems(undefined, q)).toHaveLength(1);
    const answers = Object.fromEntries(q.map((x) => [x.id, 'no' as const]));
    expect(checkInProblems({ demographicsConfirmed: true, insurance: 'verified', intake: answers }, q)).toEqual([]);
    expect(checkInProblems({ demographicsConfirmed: true, insurance: 'self_pay', intake: answers }, q)).toEqual([]);
    const bad = checkInProblems({ demographicsConfirmed: false, insurance: 'not_checked', intake: { 'fall-risk': 'yes', bogus: 'no' } }, q);
    expect(bad.map((p) => p.path)).toEqual([
      'checklist.demographicsConfirmed',
      'checklist.insurance',
      'checklist.intake.new-symptoms',
      'checklist.intake.medication-changes',
      'checklist.intake.bogus',
    ]);
  });
  it('knows when the current state began and shows the time in it', () => {
    const a = {
      status: 'roomed' as const,
      stateTimes: { arrived: '2026-03-02T13:50:00Z', roomed: '2026-03-02T14:05:00Z' },
      createdAt: '2026-02-01T10:00:00Z',
      cancelledAt: null,
    };
    expect(enteredCurrentState(a)).toBe('2026-03-02T14:05:00Z');
    expect(enteredCurrentState({ ...a, status: 'scheduled' })).toBe('2026-02-01T10:00:00Z');
    expect(formatDuration(at('2026-03-02T14:12:30Z') - at(a.stateTimes.roomed))).toBe('7 min');
    expect(formatDuration(65 * 60_000)).toBe('1 h 05 min');
  });
});

describe('channel inputs', () => {
  const pid = '01960000-0000-7000-8000-000000000001';
  it('requires a zone on times and a reason to cancel', () => {
    expect(bookInput.safeParse({ patientId: pid, providerId: pid, typeId: 'follow-up', startAt: '2026-03-02T09:00:00' }).success).toBe(false);
    expect(bookInput.parse({ patientId: pid, providerId: pid, typeId: 'follow-up', startAt: '2026-03-02T09:00:00-05:00' }).allowDoubleBooking).toBe(false);
    expect(cancelInput.safeParse({ id: pid, patientId: pid, outcome: 'cancelled', reason: ' ' }).success).toBe(false);
    expect(cancelInput.safeParse({ id: pid, patientId: pid, outcome: 'no_show', reason: 'did not come', scope: 'rest' }).success).toBe(false);
    expect(advanceInput.safeParse({ id: pid, patientId: pid, to: 'cancelled' }).success).toBe(false);
  });
});
