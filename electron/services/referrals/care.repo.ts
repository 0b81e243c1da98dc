import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import { displayName } from '../../../shared/domain/patient';
import { daysPast, followUpDueFrom, type CareEvent, type CareListItem, type careFollowUp, type careRecord } from '../../../shared/domain/referrals';
import { newId } from '../../common/ids';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Viewer } from '../sync/conflicts.repo';
import type { Actor } from '../repos/writer';
import { userName } from './coding';
import { clinicZoneOf } from '../schedule/schedule-config';

interface CareRow {
  id: string;
  patient_id: string;
  kind: CareEvent['kind'];
  facility: string;
  event_at: string;
  reason: string | null;
  disposition: string | null;
  attending: string | null;
  follow_up_due: string | null;
  follow_up_status: CareEvent['followUpStatus'];
  follow_up_by: string | null;
  follow_up_at: string | null;
  follow_up_note: string | null;
  control_id: string | null;
  version: number;
}

type ListRow = CareRow & { given_name: string; middle_name: string | null; family_name: string; mrn: string; restricted: number; discharged: number };

/**
 * Hospital admission and discharge notices (ADT^A01/A03 from the interface, or entered from a
 * phone call or fax) and the follow-up the clinic owes after a discharge: a contact within two
 * business days. Closing a follow-up is audited and synced like any clinical write.
 */
export class CareRepo {
  constructor(private readonly repos: Repos) {}

  /** The clinic's zone (clinic-hours.json): reply and follow-up days are its calendar days. */
  private get zone(): string {
    return clinicZoneOf(this.repos.resources);
  }

  private get sqlite(): Repos['store']['sqlite'] {
    return this.repos.store.sqlite;
  }

  private view(r: CareRow): CareEvent {
    return {
      id: r.id,
      patientId: r.patient_id,
      kind: r.kind,
      facility: r.facility,
      eventAt: r.event_at,
      reason: r.reason,
      disposition: r.disposition,
      attending: r.attending,
      followUpDue: r.follow_up_due,
      followUpStatus: r.follow_up_status,
      followUpBy: r.follow_up_by,
      followUpByName: userName(this.repos, r.follow_up_by),
      followUpAt: r.follow_up_at,
      followUpNote: r.follow_up_note,
      controlId: r.control_id,
      version: r.version,
    };
  }

  forPatient(patientId: string): CareEvent[] {
    return this.sqlite
      .prepare<[string], CareRow>('SELECT * FROM care_events WHERE patient_id = ? AND deleted_at IS NULL ORDER BY event_at DESC, id DESC')
      .all(patientId)
      .map((r) => this.view(r));
  }

  /**
   * The care-coordination list: discharges with an open follow-up (due date first), then
   * admissions with no later discharge from the same facility (for awareness); with
   * `includeClosed`, the follow-ups already done after them.
   */
  list(now: Date, viewer: Viewer, includeClosed: boolean, limit: number): CareListItem[] {
    const rows = this.sqlite
      .prepare<[number, number], ListRow>(
        `SELECT c.*, p.given_name, p.middle_name, p.family_name, p.mrn, p.restricted,
           EXISTS (SELECT 1 FROM care_events d WHERE d.patient_id = c.patient_id AND d.kind = 'discharge' AND d.deleted_at IS NULL
                   AND lower(d.facility) = lower(c.facility) AND d.event_at >= c.event_at) AS discharged
         FROM care_events c JOIN patients p ON p.id = c.patient_id
         WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL
           AND ((c.kind = 'discharge' AND (c.follow_up_status = 'open' OR ? = 1)) OR c.kind = 'admission')
         ORDER BY CASE WHEN c.kind = 'discharge' AND c.follow_up_status = 'open' THEN 0 WHEN c.kind = 'admission' THEN 1 ELSE 2 END,
           CASE WHEN c.kind = 'discharge' AND c.follow_up_status = 'open' THEN c.follow_up_due END, c.event_at DESC
         LIMIT ?`,
      )
      .all(includeClosed ? 1 : 0, limit * 2);
    const zone = this.zone;
    return rows
      .filter((r) => r.kind === 'discharge' || r.discharged === 0)
      .slice(0, limit)
      .map((r) => {
        const hidden = r.restricted === 1 && !viewer.mayOpen(r.patient_id);
        const v = this.view(r);
        const item: CareListItem = {
          ...v,
          patientName: displayName({ givenName: r.given_name, middleName: r.middle_name, familyName: r.family_name }),
          mrn: hidden ? null : r.mrn,
          restricted: hidden,
          stillAdmitted: r.kind === 'admission',
          daysOverdue: r.kind === 'discharge' && r.follow_up_status === 'open' && r.follow_up_due ? daysPast(r.follow_up_due, now, zone) : null,
        };
        return hidden ? { ...item, reason: null, disposition: null, attending: null, followUpNote: null } : item;
      });
  }

  /** A notice staff took by phone or fax: a discharge opens its follow-up (due in 2 business days). */
  record(input: z.output<typeof careRecord>, actor: Actor, now: Date): CareEvent {
    this.repos.patients.peek(input.patientId);
    if (Date.parse(input.eventAt) > now.getTime() + 60 * 60 * 1000) {
      throw new CairnFailure('invalid_input', 'that time is in the future: a notice tells of an admission or discharge that has happened', [
        { path: 'eventAt', message: 'in the future' },
      ]);
    }
    const discharge = input.kind === 'discharge';
    return this.repos.writer.write((at) => {
      const id = newId();
      const row = this.sqlite
        .prepare(
          `INSERT INTO care_events (id, created_at, created_by, updated_at, updated_by, version, patient_id, kind, facility, event_at, reason, disposition, attending, follow_up_due, follow_up_status)
           VALUES (@id, @at, @by, @at, @by, 1, @patientId, @kind, @facility, @eventAt, @reason, @disposition, @attending, @due, @status) RETURNING *`,
        )
        .get({
          id,
          at,
          by: actor.userId,
          patientId: input.patientId,
          kind: input.kind,
          facility: input.facility,
          eventAt: new Date(input.eventAt).toISOString(),
          reason: input.reason ?? null,
          disposition: input.disposition ?? null,
          attending: input.attending ?? null,
          due: discharge ? followUpDueFrom(input.eventAt, this.zone) : null,
          // An admission owes no follow-up of its own: its discharge will.
          status: discharge ? 'open' : 'not_needed',
        }) as StoredRow;
      this.repos.writer.record(at, {
        action: `care_event.record`,
        actor,
        patientId: input.patientId,
        entity: 'care_event',
        id,
        op: 'insert',
        payload: row,
        detail: `${input.kind} ${input.facility}`,
      });
      return this.view(row as unknown as CareRow);
    });
  }

  followUp(input: z.output<typeof careFollowUp>, actor: Actor): CareEvent {
    return this.repos.writer.write((at) => {
      const current = this.sqlite.prepare<[string], CareRow>('SELECT * FROM care_events WHERE id = ? AND deleted_at IS NULL').get(input.id);
      if (!current) throw new CairnFailure('not_found', `no admission or discharge notice with id ${input.id}`);
      if (current.kind !== 'discharge') throw new CairnFailure('conflict', 'an admission owes no follow-up: the follow-up belongs to the discharge notice');
      if (current.follow_up_status !== 'open') {
        throw new CairnFailure('conflict', `this discharge's follow-up was already closed (${current.follow_up_status === 'done' ? 'done' : 'not needed'})`);
      }
      const row = this.sqlite
        .prepare(
          `UPDATE care_events SET follow_up_status = @status, follow_up_by = @by, follow_up_at = @at, follow_up_note = @note,
             updated_at = @at, updated_by = @by, version = version + 1 WHERE id = @id RETURNING *`,
        )
        .get({ status: input.status, by: actor.userId, at, note: input.note, id: input.id }) as StoredRow;
      this.repos.writer.record(at, {
        action: 'care_event.follow_up',
        actor,
        patientId: current.patient_id,
        entity: 'care_event',
        id: input.id,
        op: 'update',
        payload: row,
        detail: input.status,
      });
      return this.view(row as unknown as CareRow);
    });
  }
}
