/**
 * Scheduling and the check-in flow board: appointment types, clinic hours, rooms and intake
 * questions (data: resources/schedule/*.json, validated here), the booking inputs, overlap and
 * free-slot rules, recurrence expansion in the clinic's zone, and the flow-board transitions.
 * Pure: instants are epoch ms or UTC ISO strings; wall-clock times are read in the clinic's
 * IANA zone through Intl, so a weekly 09:00 visit stays at 09:00 across a DST change.
 */
import { z } from 'zod';
import { VISIT_TYPES } from './clinical';
import { addDays, hhmmMinutes, isIsoDate, isTimeZone, wallTime, WEEKDAYS, zonedInstant, type Weekday } from './dates';

const MINUTE = 60_000;
const pad = (n: number): string => String(n).padStart(2, '0');
const DAY = 86_400_000;

// ---------------------------------------------------------------- data files

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour HH:MM');
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lower-case letters, digits and hyphens');

/** One appointment type and its default length (resources/schedule/appointment-types.json). */
export const appointmentType = z
  .object({
    id: slug,
    name: z.string().trim().min(1).max(60),
    minutes: z.number().int().min(5).max(480),
    /** The encounter's visit type when the patient checks in. */
    visitType: z.enum(VISIT_TYPES),
    /** Booked without a room (telehealth). */
    virtual: z.boolean().default(false),
  })
  .strict();
export type AppointmentType = z.infer<typeof appointmentType>;

export const appointmentTypesFile = z
  .object({ $comment: z.string().optional(), types: z.array(appointmentType).min(1) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.types.forEach((t, i) => {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['types', i, 'id'], message: `appointment type "${t.id}" is listed twice` });
      seen.add(t.id);
    });
  });

const openInterval = z
  .object({ start: hhmm, end: hhmm })
  .strict()
  .refine((i) => i.start < i.end, 'an opening ends after it starts');

/** resources/schedule/clinic-hours.json: the clinic's zone, opening hours per weekday and rooms. */
export const clinicHoursFile = z
  .object({
    $comment: z.string().optional(),
    /** IANA zone the clinic keeps its hours in, e.g. America/New_York. */
    timeZone: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. America/New_York)'),
    /** Free slots start on this grid (minutes past the hour). */
    slotMinutes: z.number().int().min(5).max(60),
    days: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(openInterval)])) as Record<Weekday, z.ZodArray<typeof openInterval>>).strict(),
    rooms: z.array(z.string().trim().min(1).max(40)).min(1),
    /** Intake questions asked at check-in (each answered yes or no). */
    intakeQuestions: z.array(z.object({ id: slug, text: z.string().trim().min(1).max(200) }).strict()),
  })
  .strict();
export type ClinicHours = z.infer<typeof clinicHoursFile>;

// ---------------------------------------------------------------- intervals and free slots

export interface Interval {
  start: number;
  end: number;
}

/** Half-open intervals overlap: a visit ending at 09:20 does not clash with one starting at 09:20. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The clinic's open intervals (instants) on one local date. */
export function openingsOn(date: string, hours: ClinicHours): Interval[] {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]!;
  return hours.days[weekday].map((o) => ({
    start: zonedInstant(date, hhmmMinutes(o.start), hours.timeZone),
    end: zonedInstant(date, hhmmMinutes(o.end), hours.timeZone),
  }));
}

/**
 * The first `minutes`-long gap at or after `from` inside the clinic's hours that overlaps none of
 * `busy`, starting on the slot grid (local time), within `horizonDays`; null when there is none.
 * `busy` need not be sorted. A visit never runs over lunch or past closing.
 */
export function findFreeSlot(from: number, minutes: number, busy: readonly Interval[], hours: ClinicHours, horizonDays = 60): Interval | null {
  const len = minutes * MINUTE;
  const grid = hours.slotMinutes * MINUTE;
  const sorted = [...busy].sort((a, b) => a.start - b.start);
  let date = wallTime(from, hours.timeZone).date;
  for (let day = 0; day <= horizonDays; day++, date = addDays(date, 1)) {
    for (const open of openingsOn(date, hours)) {
      if (open.end <= from) continue;
      // Align on the local grid: openings start on whole minutes of the local day.
      let start = Math.max(open.start, from);
      const off = (start - open.start) % grid;
      if (off !== 0) start += grid - off;
      for (const b of sorted) {
        if (start + len > open.end) break;
        if (b.end <= start) continue;
        if (b.start >= start + len) break;
        // Clash: jump past this booking, back onto the grid.
        start = b.end;
        const o = (start - open.start) % grid;
        if (o !== 0) start += grid - o;
      }
      if (start + len <= open.end) return { start, end: start + len };
    }
  }
  return null;
}

/** Whether an interval lies wholly inside the clinic's hours (one opening). */
export function withinHours(iv: Interval, hours: ClinicHours): boolean {
  return openingsOn(wallTime(iv.start, hours.timeZone).date, hours).some((o) => iv.start >= o.start && iv.end <= o.end);
}

// ---------------------------------------------------------------- recurrence

export const recurrence = z
  .object({
    frequency: z.enum(['weekly', 'monthly']),
    /** Every N weeks or months. */
    interval: z.number().int().min(1, 'at least 1').max(12, 'at most 12').default(1),
    count: z.number().int().min(2, 'a series has at least 2 visits').max(104, 'at most 104 visits in a series').optional(),
    /** Last date (clinic's calendar) a visit may fall on. */
    until: z.string().refine(isIsoDate, 'use a real calendar date as YYYY-MM-DD').optional(),
  })
  .strict()
  .refine((r) => (r.count === undefined) !== (r.until === undefined), { message: 'give either a number of visits or an end date', path: ['count'] });
export type Recurrence = z.infer<typeof recurrence>;

export const MAX_OCCURRENCES = 104;

/**
 * The start instants of a series, the first one included, each at the same clinic wall-clock time.
 * Monthly visits keep the day of the month; a month without that day (31 Apr) takes its last day.
 */
export function expandRecurrence(first: number, rule: Recurrence, tz: string): number[] {
  const w = wallTime(first, tz);
  const [y, mo, d] = w.date.split('-').map(Number) as [number, number, number];
  const out: number[] = [];
  for (let i = 0; out.length < MAX_OCCURRENCES; i++) {
    let date: string;
    if (rule.frequency === 'weekly') date = addDays(w.date, i * 7 * rule.interval);
    else {
      const m = mo - 1 + i * rule.interval;
      const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      date = new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
    }
    if (rule.until !== undefined && date > rule.until) break;
    out.push(zonedInstant(date, w.minutes, tz));
    if (rule.count !== undefined && out.length >= rule.count) break;
  }
  return out;
}

// ---------------------------------------------------------------- flow board

/** The visit's way through the clinic; cancelled and no-show leave the board. */
export const FLOW_STATES = ['scheduled', 'arrived', 'checked_in', 'roomed', 'with_provider', 'checked_out'] as const;
export type FlowState = (typeof FLOW_STATES)[number];
export const APPOINTMENT_STATUSES = [...FLOW_STATES, 'cancelled', 'no_show'] as const;
export const appointmentStatus = z.enum(APPOINTMENT_STATUSES);
export type AppointmentStatus = z.infer<typeof appointmentStatus>;

export const FLOW_LABELS: { readonly [S in AppointmentStatus]: string } = {
  scheduled: 'Scheduled',
  arrived: 'Arrived',
  checked_in: 'Checked in',
  roomed: 'Roomed',
  with_provider: 'With provider',
  checked_out: 'Checked out',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** Where each status may go next: one step forward; cancel or no-show only before arrival. */
export const FLOW_TRANSITIONS: { readonly [S in AppointmentStatus]: readonly AppointmentStatus[] } = {
  scheduled: ['arrived', 'cancelled', 'no_show'],
  arrived: ['checked_in'],
  checked_in: ['roomed'],
  roomed: ['with_provider'],
  with_provider: ['checked_out'],
  checked_out: [],
  cancelled: [],
  no_show: [],
};

/** Why a status change is refused, for a person; null when it is allowed. */
export function flowTransitionProblem(from: AppointmentStatus, to: AppointmentStatus): string | null {
  if (FLOW_TRANSITIONS[from].includes(to)) return null;
  const f = FLOW_LABELS[from].toLowerCase();
  const t = FLOW_LABELS[to].toLowerCase();
  if (from === to) return `the appointment is already ${f}`;
  const next = FLOW_TRANSITIONS[from];
  return next.length === 0
    ? `the appointment is ${f}: its status can no longer change`
    : `an appointment that is ${f} cannot become ${t} (next: ${next.map((s) => FLOW_LABELS[s].toLowerCase()).join(' or ')})`;
}

/** What front desk confirms at check-in, kept with the transition. */
export const checkInChecklist = z
  .object({
    demographicsConfirmed: z.boolean(),
    insurance: z.enum(['verified', 'self_pay', 'not_checked']),
    /** Intake question id → answer. */
    intake: z.record(z.string(), z.enum(['yes', 'no'])),
  })
  .strict();
export type CheckInChecklist = z.infer<typeof checkInChecklist>;

/** What is missing from a check-in checklist (empty when complete). */
export function checkInProblems(c: CheckInChecklist | undefined, questions: readonly { id: string; text: string }[]): { path: string; message: string }[] {
  if (!c) return [{ path: 'checklist', message: 'checking in needs the checklist: demographics, insurance and the intake questions' }];
  const out: { path: string; message: string }[] = [];
  if (!c.demographicsConfirmed) out.push({ path: 'checklist.demographicsConfirmed', message: 'confirm the demographics with the patient' });
  if (c.insurance === 'not_checked') out.push({ path: 'checklist.insurance', message: 'verify the insurance (or mark the visit self-pay)' });
  for (const q of questions) if (c.intake[q.id] === undefined) out.push({ path: `checklist.intake.${q.id}`, message: `answer the intake question: ${q.text}` });
  const known = new Set(questions.map((q) => q.id));
  for (const k of Object.keys(c.intake)) if (!known.has(k)) out.push({ path: `checklist.intake.${k}`, message: `"${k}" is not an intake question` });
  return out;
}

export type StateTimes = { [S in FlowState]?: string };

/** When the appointment entered its current state (scheduled: when it was booked). */
export function enteredCurrentState(a: { status: AppointmentStatus; stateTimes: StateTimes; createdAt: string; cancelledAt: string | null }): string {
  if (a.status === 'cancelled' || a.status === 'no_show') return a.cancelledAt ?? a.createdAt;
  return a.stateTimes[a.status] ?? a.createdAt;
}

/** "5 min", "1 h 05 min": a duration for the board. */
export function formatDuration(ms: number): string {
  const m = Math.max(0, Math.floor(ms / MINUTE));
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${pad(m % 60)} min`;
}

// ---------------------------------------------------------------- channel inputs and outputs

const uuid = (what: string): z.ZodUUID => z.uuid(`not a ${what} id`);
const instant = z.iso.datetime({ offset: true, error: 'use an ISO date and time with a zone, e.g. 2026-03-09T14:00:00Z' });
const reasonText = z.string().trim().min(3, 'give a reason (at least 3 characters)').max(300, 'at most 300 characters');

export const bookInput = z
  .object({
    patientId: uuid('patient'),
    providerId: uuid('provider'),
    typeId: slug,
    startAt: instant,
    /** Defaults to the type's length. */
    minutes: z.number().int().min(5, 'at least 5 minutes').max(480, 'at most 8 hours').optional(),
    room: z.string().trim().min(1).max(40).optional(),
    reason: z.string().trim().max(300, 'at most 300 characters').optional(),
    recurrence: recurrence.optional(),
    /** The person saw the double-booking warning and books anyway. */
    allowDoubleBooking: z.boolean().default(false),
    /** The person saw that the clinic is closed then (a weekend, lunch, after hours) and books anyway. */
    allowOutsideHours: z.boolean().default(false),
  })
  .strict();
export type BookInput = z.input<typeof bookInput>;

export const rescheduleInput = z
  .object({
    id: uuid('appointment'),
    /** The appointment's patient (the chart guard checks it; the service checks it is theirs). */
    patientId: uuid('patient'),
    startAt: instant,
    minutes: z.number().int().min(5).max(480).optional(),
    providerId: uuid('provider').optional(),
    room: z.string().trim().min(1).max(40).nullable().optional(),
    allowDoubleBooking: z.boolean().default(false),
  })
  .strict();

export const cancelInput = z
  .object({
    id: uuid('appointment'),
    patientId: uuid('patient'),
    outcome: z.enum(['cancelled', 'no_show']),
    reason: reasonText,
    /** `rest`: this visit and every later one of its series. */
    scope: z.enum(['one', 'rest']).default('one'),
  })
  .strict()
  .refine((i) => !(i.outcome === 'no_show' && i.scope === 'rest'), { path: ['scope'], message: 'a no-show is recorded for one visit only' });

export const advanceInput = z
  .object({
    id: uuid('appointment'),
    patientId: uuid('patient'),
    to: z.enum(['arrived', 'checked_in', 'roomed', 'with_provider', 'checked_out']),
    /** Required for checked_in. */
    checklist: checkInChecklist.optional(),
    /** For roomed: the room (defaults to the booked one). */
    room: z.string().trim().min(1).max(40).optional(),
  })
  .strict();

export const listInput = z
  .object({
    from: instant,
    to: instant,
    providerId: uuid('provider').optional(),
    room: z.string().trim().min(1).max(40).optional(),
    /** Leave out cancelled and no-show visits (the flow board). */
    activeOnly: z.boolean().default(false),
  })
  .strict()
  .refine((i) => Date.parse(i.to) > Date.parse(i.from), { path: ['to'], message: 'the end comes after the start' })
  .refine((i) => Date.parse(i.to) - Date.parse(i.from) <= 42 * DAY, { path: ['to'], message: 'at most six weeks at a time' });

export const freeSlotInput = z
  .object({
    providerId: uuid('provider'),
    minutes: z.number().int().min(5).max(480),
    /** Search from (default: now). */
    from: instant.optional(),
    /** Also free in this room. */
    room: z.string().trim().min(1).max(40).optional(),
  })
  .strict();

export const appointment = z.object({
  id: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  /** Null for a restricted chart not opened by break-glass (its name only is shown, as in search; no reason, no checklist). */
  mrn: z.string().nullable(),
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  room: z.string().nullable(),
  typeId: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  status: appointmentStatus,
  reason: z.string().nullable(),
  seriesId: z.string().nullable(),
  seriesIndex: z.number().nullable(),
  cancelReason: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  stateTimes: z.record(z.string(), z.string()),
  checklist: checkInChecklist.nullable(),
  encounterId: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
});
export type Appointment = z.infer<typeof appointment> & { stateTimes: StateTimes };

export const bookResult = z.object({
  appointments: z.array(appointment),
  /** The double bookings the person confirmed (empty when there were none). */
  doubleBooked: z.array(z.string()),
});

export const scheduleConfig = z.object({
  types: z.array(appointmentType),
  hours: clinicHoursFile,
});
export type ScheduleConfig = z.infer<typeof scheduleConfig>;
