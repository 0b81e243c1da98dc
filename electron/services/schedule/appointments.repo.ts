import type Database from 'better-sqlite3';
import { newId } from '../../common/ids';
import type { z } from 'zod';
import { CairnFailure, type FieldIssue } from '../../../shared/api/result';
import type { Encounter } from '../../../shared/domain/clinical';
import { displayName } from '../../../shared/domain/patient';
import { addDays, formatWall, minutesHhmm, wallTime, zonedInstant } from '../../../shared/domain/dates';
import {
  checkInProblems,
  expandRecurrence,
  findFreeSlot,
  flowTransitionProblem,
  withinHours,
  type advanceInput,
  type Appointment,
  type AppointmentStatus,
  type bookInput,
  type cancelInput,
  type CheckInChecklist,
  type Interval,
  type listInput,
  type rescheduleInput,
  type ScheduleConfig,
  type StateTimes,
} from '../../../shared/domain/schedule';
import { CoverageRepo } from '../billing/coverage.repo';
import { BillingRows } from '../billing/rows';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Actor } from '../repos/writer';

interface Row {
  id: string;
  patient_id: string;
  provider_id: string | null;
  room: string | null;
  appointment_type: string;
  start_at: string;
  end_at: string;
  status: string;
  reason: string | null;
  series_id: string | null;
  series_index: number | null;
  cancel_reason: string | null;
  cancelled_at: string | null;
  arrived_at: string | null;
  checked_in_at: string | null;
  roomed_at: string | null;
  with_provider_at: string | null;
  checked_out_at: string | null;
  check_in: string | null;
  encounter_id: string | null;
  booked_online: number;
  created_at: string;
  version: number;
  given_name: string;
  middle_name: string | null;
  family_name: string;
  mrn: string;
  restricted: number;
  provider_name: string | null;
}

const SELECT = `SELECT a.*, p.given_name, p.middle_name, p.family_name, p.mrn, p.restricted, u.display_name AS provider_name
  FROM appointments a JOIN patients p ON p.id = a.patient_id LEFT JOIN users u ON u.id = a.provider_id`;
/** Cancelled and missed visits hold no time. */
const HOLDS_TIME = `a.status NOT IN ('cancelled', 'no_show') AND a.deleted_at IS NULL`;
/** No visit is longer than this (the input caps it), so a range query may start this much earlier and use the index. */
const LONGEST_MS = 8 * 3_600_000;
const STATE_COLUMN = {
  arrived: 'arrived_at',
  checked_in: 'checked_in_at',
  roomed: 'roomed_at',
  with_provider: 'with_provider_at',
  checked_out: 'checked_out_at',
} as const;
const iso = (ms: number): string => new Date(ms).toISOString();

/** A restricted chart the viewer has not opened shows its name only: no MRN, no visit reason, no check-in answers. */
function toAppointment(r: Row, mayOpen: (patientId: string) => boolean = () => true): Appointment {
  const hidden = r.restricted === 1 && !mayOpen(r.patient_id);
  const stateTimes: StateTimes = {};
  for (const [state, col] of Object.entries(STATE_COLUMN)) if (r[col] !== null) stateTimes[state as keyof typeof STATE_COLUMN] = r[col];
  return {
    id: r.id,
    patientId: r.patient_id,
    patientName: displayName({ givenName: r.given_name, middleName: r.middle_name, familyName: r.family_name }),
    mrn: hidden ? null : r.mrn,
    providerId: r.provider_id,
    providerName: r.provider_name,
    room: r.room,
    typeId: r.appointment_type,
    startAt: r.start_at,
    endAt: r.end_at,
    status: r.status as AppointmentStatus,
    reason: hidden ? null : r.reason,
    seriesId: r.series_id,
    seriesIndex: r.series_index,
    cancelReason: r.cancel_reason,
    cancelledAt: r.cancelled_at,
    stateTimes,
    checklist: r.check_in === null || hidden ? null : (JSON.parse(r.check_in) as CheckInChecklist),
    encounterId: r.encounter_id,
    createdAt: r.created_at,
    version: r.version,
  };
}

/**
 * Appointments and the check-in flow board on the device. Every change goes through the
 * ClinicalWriter (row, audit entry and sync outbox in one transaction), so bookings made offline
 * reach the other devices, and a cancellation or no-show keeps its reason, who and when.
 */
export class AppointmentsService {
  private readonly sqlite: Database.Database;

  constructor(
    private readonly repos: Repos,
    private readonly config: ScheduleConfig,
  ) {
    this.sqlite = repos.store.sqlite;
  }

  private get tz(): string {
    return this.config.hours.timeZone;
  }

  get(id: string): Appointment {
    const r = this.sqlite.prepare<[string], Row>(`${SELECT} WHERE a.id = ?`).get(id);
    if (!r || (r as { deleted_at?: string | null }).deleted_at) throw new CairnFailure('not_found', `no appointment with id ${id}`);
    return toAppointment(r);
  }

  /** The appointment, checked to be the named patient's (the chart guard checked that patient). */
  private mine(id: string, patientId: string): Appointment {
    const a = this.get(id);
    if (a.patientId !== patientId)
      throw new CairnFailure('invalid_input', 'that appointment is not this patient’s', [{ path: 'patientId', message: 'not this appointment’s patient' }]);
    return a;
  }

  private provider(id: string): string {
    const u = this.sqlite.prepare<[string], { name: string; disabled: number }>('SELECT display_name AS name, disabled FROM users WHERE id = ?').get(id);
    if (!u) throw new CairnFailure('invalid_input', 'no such provider', [{ path: 'providerId', message: 'no such provider' }]);
    if (u.disabled)
      throw new CairnFailure('invalid_input', `${u.name}'s account is disabled`, [{ path: 'providerId', message: 'this provider’s account is disabled' }]);
    return u.name;
  }

  private checkRoom(room: string | null | undefined): void {
    if (room && !this.config.hours.rooms.includes(room)) {
      throw new CairnFailure('invalid_input', `no room "${room}" (rooms: ${this.config.hours.rooms.join(', ')})`, [
        { path: 'room', message: `no room "${room}"` },
      ]);
    }
  }

  /** Active visits of a provider or a room that overlap `iv` (a visit being moved left out). */
  private clashes(iv: Interval, providerId: string | null, room: string | null, except: string | null): string[] {
    const out: string[] = [];
    const q = (col: 'provider_id' | 'room', value: string, who: string): void => {
      const rows = this.sqlite
        .prepare<[string, string, string, string, string], Row>(
          `${SELECT} WHERE a.${col} = ? AND a.start_at >= ? AND a.start_at < ? AND a.end_at > ? AND ${HOLDS_TIME} AND a.id != ? ORDER BY a.start_at`,
        )
        .all(value, iso(iv.start - LONGEST_MS), iso(iv.end), iso(iv.start), except ?? '');
      for (const r of rows) {
        const s = Date.parse(r.start_at);
        const e = Date.parse(r.end_at);
        out.push(
          `${who} already has ${displayName({ givenName: r.given_name, middleName: r.middle_name, familyName: r.family_name })} ${formatWall(s, this.tz)}–${minutesHhmm(wallTime(e, this.tz).minutes)}`,
        );
      }
    };
    if (providerId) q('provider_id', providerId, this.provider(providerId));
    if (room) q('room', room, room);
    return out;
  }

  /**
   * A double booking, or a visit when the clinic is closed (a weekend, lunch, after hours), is
   * refused until the person confirms it; both are told at once, so one confirmation settles both.
   */
  private refuseUnconfirmed(found: string[], closed: number[], minutes: number): never {
    const when = closed.map((s) => `${formatWall(s, this.tz)}–${minutesHhmm(wallTime(s + minutes * 60_000, this.tz).minutes)}`);
    const shown = when.length > 3 ? [...when.slice(0, 3), `and ${when.length - 3} more`] : when;
    const said = [
      ...(shown.length > 0 ? [`the clinic is closed at ${shown.join('; ')}. Book anyway only if you mean to (confirm booking outside opening hours).`] : []),
      ...(found.length > 0 ? [`double booking: ${found.join('; ')}. Book anyway only if you mean to (confirm the double booking).`] : []),
    ];
    throw new CairnFailure('needs_override', said.join(' '), [
      ...shown.map((w): FieldIssue => ({ path: 'allowOutsideHours', message: `the clinic is closed: ${w}` })),
      ...found.map((message): FieldIssue => ({ path: 'allowDoubleBooking', message })),
    ]);
  }

  /** Books one visit, or a series; a double booking is refused until the person confirms it. */
  book(i: z.output<typeof bookInput>, actor: Actor): { appointments: Appointment[]; doubleBooked: string[] } {
    this.repos.patients.requireLiving(i.patientId, 'booking an appointment');
    this.provider(i.providerId);
    const type = this.config.types.find((t) => t.id === i.typeId);
    if (!type) throw new CairnFailure('invalid_input', `no appointment type "${i.typeId}"`, [{ path: 'typeId', message: `no appointment type "${i.typeId}"` }]);
    const room = type.virtual ? null : (i.room ?? null);
    this.checkRoom(room);
    const minutes = i.minutes ?? type.minutes;
    const first = Date.parse(i.startAt);
    const starts = i.recurrence ? expandRecurrence(first, i.recurrence, this.tz) : [first];
    if (i.recurrence && starts.length < 2)
      throw new CairnFailure('invalid_input', 'the series has a single visit: choose a later end date', [
        { path: 'recurrence.until', message: 'the series ends before its second visit' },
      ]);
    const closed = i.allowOutsideHours ? [] : starts.filter((s) => !withinHours({ start: s, end: s + minutes * 60_000 }, this.config.hours));
    const seriesId = i.recurrence ? newId() : null;
    return this.repos.writer.write((at) => {
      // Checked inside the write transaction, so two bookings cannot both take the same time unseen.
      const found = starts.flatMap((s) => this.clashes({ start: s, end: s + minutes * 60_000 }, i.providerId, room, null));
      if (closed.length > 0 || (found.length > 0 && !i.allowDoubleBooking)) this.refuseUnconfirmed(i.allowDoubleBooking ? [] : found, closed, minutes);
      const insert = this.sqlite.prepare(
        `INSERT INTO appointments (id, patient_id, provider_id, room, appointment_type, start_at, end_at, status, reason, series_id, series_index, created_at, created_by, updated_at, updated_by, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?, ?, ?, ?, 1) RETURNING *`,
      );
      const booked = starts.map((s, n) => {
        const id = newId();
        const written = insert.get(
          id,
          i.patientId,
          i.providerId,
          room,
          type.id,
          iso(s),
          iso(s + minutes * 60_000),
          i.reason ?? null,
          seriesId,
          seriesId ? n + 1 : null,
          at,
          actor.userId,
          at,
          actor.userId,
        ) as StoredRow;
        const a = this.get(id);
        const detail = `${type.id} ${a.startAt}${seriesId ? ` series ${n + 1}/${starts.length}` : ''}${found.length > 0 ? ' double-booked (confirmed)' : ''}`;
        this.repos.writer.record(at, {
          action: 'appointment.book',
          actor,
          patientId: i.patientId,
          entity: 'appointment',
          id,
          op: 'insert',
          payload: written,
          detail,
        });
        return a;
      });
      return { appointments: booked, doubleBooked: found };
    });
  }

  /** Moves a visit not yet started to another time (provider, room); the same double-booking rule. */
  reschedule(i: z.output<typeof rescheduleInput>, actor: Actor): Appointment {
    const cur = this.mine(i.id, i.patientId);
    if (cur.status !== 'scheduled')
      throw new CairnFailure('conflict', `the appointment is ${cur.status.replace('_', ' ')}: only a scheduled visit can be moved`);
    const providerId = i.providerId ?? cur.providerId;
    if (i.providerId) this.provider(i.providerId);
    const room = i.room === undefined ? cur.room : i.room;
    this.checkRoom(room);
    const start = Date.parse(i.startAt);
    const length = i.minutes !== undefined ? i.minutes * 60_000 : Date.parse(cur.endAt) - Date.parse(cur.startAt);
    return this.repos.writer.write((at) => {
      const found = this.clashes({ start, end: start + length }, providerId, room, cur.id);
      if (found.length > 0 && !i.allowDoubleBooking) this.refuseUnconfirmed(found, [], 0);
      const written = this.sqlite
        .prepare(
          'UPDATE appointments SET start_at = ?, end_at = ?, provider_id = ?, room = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? RETURNING *',
        )
        .get(iso(start), iso(start + length), providerId, room, at, actor.userId, cur.id) as StoredRow;
      const a = this.get(cur.id);
      const detail = `${cur.startAt} -> ${a.startAt}${found.length > 0 ? ' double-booked (confirmed)' : ''}`;
      this.repos.writer.record(at, {
        action: 'appointment.reschedule',
        actor,
        patientId: a.patientId,
        entity: 'appointment',
        id: a.id,
        op: 'update',
        payload: written,
        detail,
      });
      return a;
    });
  }

  /** Cancels a visit (or it and the rest of its series) or records a no-show, with the reason kept. */
  cancel(i: z.output<typeof cancelInput>, actor: Actor): Appointment[] {
    const cur = this.mine(i.id, i.patientId);
    const problem = flowTransitionProblem(cur.status, i.outcome);
    if (problem) throw new CairnFailure('conflict', problem);
    if (i.scope === 'rest' && !cur.seriesId)
      throw new CairnFailure('invalid_input', 'this visit is not part of a series', [{ path: 'scope', message: 'not part of a series' }]);
    const ids =
      i.scope === 'rest'
        ? this.sqlite
            .prepare<[string, string], { id: string }>(
              `SELECT id FROM appointments WHERE series_id = ? AND start_at >= ? AND status = 'scheduled' AND deleted_at IS NULL ORDER BY start_at`,
            )
            .all(cur.seriesId!, cur.startAt)
            .map((r) => r.id)
        : [cur.id];
    return this.repos.writer.write((at) =>
      ids.map((id) => {
        const written =
          (this.sqlite
            .prepare(
              `UPDATE appointments SET status = ?, cancel_reason = ?, cancelled_at = ?, cancelled_by = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? AND status = 'scheduled' RETURNING *`,
            )
            .get(i.outcome, i.reason, at, actor.userId, at, actor.userId, id) as StoredRow | undefined) ??
          // Not scheduled any more (changed since the series was listed): nothing written, so the row as it stands.
          (this.sqlite.prepare('SELECT * FROM appointments WHERE id = ?').get(id) as StoredRow);
        const a = this.get(id);
        this.repos.writer.record(at, {
          action: i.outcome === 'no_show' ? 'appointment.no_show' : 'appointment.cancel',
          actor,
          patientId: a.patientId,
          entity: 'appointment',
          id,
          op: 'update',
          payload: written,
          detail: i.reason,
        });
        return a;
      }),
    );
  }

  /**
   * One step along the flow board. Checking in needs the checklist and opens the visit's encounter
   * (or the one already linked); with the provider it is in progress; checked out, finished.
   */
  advance(i: z.output<typeof advanceInput>, actor: Actor): Appointment {
    const cur = this.mine(i.id, i.patientId);
    const problem = flowTransitionProblem(cur.status, i.to);
    if (problem) throw new CairnFailure('conflict', problem);
    let room = cur.room;
    if (i.to === 'checked_in') {
      const missing = checkInProblems(i.checklist, this.config.hours.intakeQuestions);
      if (missing.length > 0) throw new CairnFailure('invalid_input', `not checked in: ${missing.map((m) => m.message).join('; ')}`, missing);
    }
    if (i.to === 'roomed') {
      room = i.room ?? cur.room;
      if (!room) throw new CairnFailure('invalid_input', 'choose the room the patient is taken to', [{ path: 'room', message: 'choose a room' }]);
      this.checkRoom(room);
    }
    return this.repos.writer.write((at) => {
      let encounterId = cur.encounterId;
      if (i.to === 'checked_in') {
        encounterId = this.openEncounter(cur, actor);
        if (i.checklist?.insurance === 'verified') this.confirmCoverage(cur.patientId, at, actor);
      } else if (encounterId && i.to === 'with_provider') this.moveEncounter(encounterId, 'in_progress', actor);
      else if (encounterId && i.to === 'checked_out') this.moveEncounter(encounterId, 'finished', actor);
      const col = STATE_COLUMN[i.to];
      const written = this.sqlite
        .prepare(
          `UPDATE appointments SET status = ?, ${col} = ?, room = ?, encounter_id = ?, check_in = COALESCE(?, check_in), updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? RETURNING *`,
        )
        .get(i.to, at, room, encounterId, i.to === 'checked_in' ? JSON.stringify(i.checklist) : null, at, actor.userId, cur.id) as StoredRow;
      const a = this.get(cur.id);
      const detail = `${cur.status} -> ${i.to}${i.to === 'roomed' ? ` ${room}` : ''}`;
      this.repos.writer.record(at, {
        action: 'appointment.status',
        actor,
        patientId: a.patientId,
        entity: 'appointment',
        id: a.id,
        op: 'update',
        payload: written,
        detail,
      });
      return a;
    });
  }

  /**
   * "Insurance verified" at check-in confirms the coverages in force today (their confirmed date shows
   * on the coverage panel and tells the biller the front desk saw the card).
   */
  private confirmCoverage(patientId: string, at: string, actor: Actor): void {
    const coverage = new CoverageRepo(new BillingRows(this.sqlite, this.repos.writer));
    const today = at.slice(0, 10);
    for (const c of coverage.list(patientId)) if (!c.effectiveTo || c.effectiveTo >= today) coverage.change(c.id, { confirm: true }, actor);
  }

  /** The encounter linked to the visit (a device that synced it may have opened it), or a new one. */
  private openEncounter(a: Appointment, actor: Actor): string {
    if (a.encounterId) {
      this.moveEncounter(a.encounterId, 'checked_in', actor);
      return a.encounterId;
    }
    const type = this.config.types.find((t) => t.id === a.typeId);
    const e = this.repos.encounters.create(
      {
        patientId: a.patientId,
        visitType: type?.visitType ?? 'office_visit',
        reason: a.reason ?? type?.name ?? a.typeId,
        ...(a.providerId && { providerId: a.providerId }),
        status: 'checked_in',
      },
      actor,
    );
    return e.id;
  }

  /** Moves the encounter forward only (someone may already have started or finished it). */
  private moveEncounter(id: string, to: Encounter['status'], actor: Actor): void {
    const order: Encounter['status'][] = ['planned', 'checked_in', 'in_progress', 'finished'];
    const e = this.repos.encounters.get(id);
    if (order.indexOf(e.status) < order.indexOf(to)) this.repos.encounters.setStatus(id, to, actor);
  }

  /** Visits in a time range (of one provider or room), with the patient's name; the day and week views. */
  list(i: z.output<typeof listInput>, mayOpen: (patientId: string) => boolean): (Appointment & { bookedOnline: boolean })[] {
    const from = Date.parse(i.from);
    const where = [`a.start_at >= ?`, `a.start_at < ?`, `a.end_at > ?`, `a.deleted_at IS NULL`];
    const args: string[] = [iso(from - LONGEST_MS), iso(Date.parse(i.to)), iso(from)];
    if (i.providerId) {
      where.push('a.provider_id = ?');
      args.push(i.providerId);
    }
    if (i.room) {
      where.push('a.room = ?');
      args.push(i.room);
    }
    if (i.activeOnly) where.push(`a.status NOT IN ('cancelled', 'no_show')`);
    return this.sqlite
      .prepare<string[], Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY a.start_at, a.id`)
      .all(...args)
      .map((r) => ({ ...toAppointment(r, mayOpen), bookedOnline: r.booked_online === 1 }));
  }

  /** A provider's (and a room's) busy times between two instants. */
  private busy(providerId: string, room: string | undefined, from: number, to: number): Interval[] {
    const stmt = (col: string): Database.Statement<[string, string, string], { start_at: string; end_at: string }> =>
      this.sqlite.prepare(`SELECT start_at, end_at FROM appointments a WHERE a.${col} = ? AND a.start_at >= ? AND a.start_at < ? AND ${HOLDS_TIME}`);
    const rows = [
      ...stmt('provider_id').all(providerId, iso(from - LONGEST_MS), iso(to)),
      ...(room ? stmt('room').all(room, iso(from - LONGEST_MS), iso(to)) : []),
    ];
    return rows.map((r) => ({ start: Date.parse(r.start_at), end: Date.parse(r.end_at) }));
  }

  /**
   * The next free `minutes`-long slot with a provider (and in a room) within clinic hours, from
   * `from`, searched a week at a time up to 60 days ahead; null when the calendar is full.
   */
  freeSlot(providerId: string, minutes: number, from: number, room?: string): { startAt: string; endAt: string } | null {
    this.provider(providerId);
    this.checkRoom(room);
    let cursor = from;
    for (let week = 0; week < 9; week++) {
      const date = wallTime(cursor, this.tz).date;
      const weekEnd = zonedInstant(addDays(date, 7), 0, this.tz);
      // Days date … date+6 are searched; their visits end before weekEnd, and all that overlap them start before it.
      const slot = findFreeSlot(cursor, minutes, this.busy(providerId, room, cursor, weekEnd), this.config.hours, 6);
      if (slot) return { startAt: iso(slot.start), endAt: iso(slot.end) };
      cursor = weekEnd;
    }
    return null;
  }

  /** Who may be booked: physicians and nurses whose accounts are active. */
  providers(): { id: string; displayName: string; role: string }[] {
    return this.sqlite
      .prepare<[], { id: string; displayName: string; role: string }>(
        `SELECT id, display_name AS displayName, role FROM users WHERE role IN ('physician', 'nurse') AND disabled = 0 ORDER BY role, display_name`,
      )
      .all();
  }
}
