import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import { displayName } from '../../../shared/domain/patient';
import {
  daysPast,
  referralTransitionProblem,
  replyDueFrom,
  type OverdueReferral,
  type Referral,
  type ReferralAdvance,
  type referralCreate,
} from '../../../shared/domain/referrals';
import type { ReferralStatus } from '../../../shared/domain/records';
import { newId } from '../../common/ids';
import type { Viewer } from '../sync/conflicts.repo';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Actor } from '../repos/writer';
import { ContactsRepo } from './contacts.repo';
import { checkedDiagnoses, diagnosesView, userName } from './coding';
import { clinicDate } from '../../../shared/domain/dates';
import { clinicZoneOf } from '../schedule/schedule-config';

/** A referrals row as read (snake_case). */
interface ReferralRow {
  id: string;
  patient_id: string;
  encounter_id: string | null;
  direction: 'out' | 'in';
  contact_id: string | null;
  specialty: string;
  reason: string;
  urgency: Referral['urgency'];
  diagnoses: string;
  status: ReferralStatus;
  ordered_by: string | null;
  reply_due: string | null;
  sent_at: string | null;
  scheduled_at: string | null;
  appointment_at: string | null;
  consult_received_at: string | null;
  consult_document_id: string | null;
  closed_at: string | null;
  closed_note: string | null;
  external_ref: string | null;
  created_at: string;
  deleted_at: string | null;
  version: number;
}

/**
 * Referrals out (and in, from REF^I12): each step of draft → sent → scheduled → consult note
 * received → closed (or cancelled) is checked against the rules in shared/domain/referrals.ts,
 * stamped with its time and written with its audit and outbox entries in one transaction.
 */
export class ReferralsRepo {
  private readonly contacts: ContactsRepo;

  constructor(private readonly repos: Repos) {
    this.contacts = new ContactsRepo(repos);
  }

  private get sqlite(): Repos['store']['sqlite'] {
    return this.repos.store.sqlite;
  }

  /** The clinic's zone (clinic-hours.json): reply and follow-up days are its calendar days. */
  private get zone(): string {
    return clinicZoneOf(this.repos.resources);
  }

  private view(r: ReferralRow): Referral {
    const codes = JSON.parse(r.diagnoses) as string[];
    return {
      id: r.id,
      patientId: r.patient_id,
      encounterId: r.encounter_id,
      direction: r.direction,
      contactId: r.contact_id,
      contact: r.contact_id ? this.contacts.find(r.contact_id) : null,
      specialty: r.specialty,
      reason: r.reason,
      urgency: r.urgency,
      diagnoses: diagnosesView(this.repos, codes),
      status: r.status,
      orderedBy: r.ordered_by,
      orderedByName: userName(this.repos, r.ordered_by),
      replyDue: r.reply_due,
      sentAt: r.sent_at,
      scheduledAt: r.scheduled_at,
      appointmentAt: r.appointment_at,
      consultReceivedAt: r.consult_received_at,
      consultDocumentId: r.consult_document_id,
      closedAt: r.closed_at,
      closedNote: r.closed_note,
      externalRef: r.external_ref,
      createdAt: r.created_at,
      version: r.version,
    };
  }

  private row(id: string): ReferralRow {
    const r = this.sqlite.prepare<[string], ReferralRow>('SELECT * FROM referrals WHERE id = ? AND deleted_at IS NULL').get(id);
    if (!r) throw new CairnFailure('not_found', `no referral with id ${id}`);
    return r;
  }

  get(id: string): Referral {
    return this.view(this.row(id));
  }

  /** A chart's referrals, out and in, newest first. */
  list(patientId: string): Referral[] {
    return this.sqlite
      .prepare<[string], ReferralRow>('SELECT * FROM referrals WHERE patient_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id DESC')
      .all(patientId)
      .map((r) => this.view(r));
  }

  create(input: z.output<typeof referralCreate>, me: { actor: Actor; role: string }): Referral {
    this.repos.patients.peek(input.patientId);
    if (input.encounterId !== undefined && this.repos.patients.ownerOf('encounter', input.encounterId) !== input.patientId) {
      throw new CairnFailure('invalid_input', 'that visit is not one of this patient’s', [{ path: 'encounterId', message: 'not a visit of this patient' }]);
    }
    const contact = input.contactId ? this.contacts.require(input.contactId, 'contactId') : null;
    const specialty = input.specialty ?? contact!.specialty;
    const diagnoses = checkedDiagnoses(this.repos, input.diagnoses);
    const orderedBy = this.referringPhysician(input.referringId, me);
    return this.repos.writer.write((at) => {
      const sent = input.status === 'sent';
      const id = newId();
      const row = this.sqlite
        .prepare(
          `INSERT INTO referrals (id, created_at, created_by, updated_at, updated_by, version, patient_id, encounter_id, direction, contact_id, specialty, reason, urgency, diagnoses, status, ordered_by, reply_due, sent_at)
           VALUES (@id, @at, @by, @at, @by, 1, @patientId, @encounterId, 'out', @contactId, @specialty, @reason, @urgency, @diagnoses, @status, @orderedBy, @replyDue, @sentAt) RETURNING *`,
        )
        .get({
          id,
          at,
          by: me.actor.userId,
          patientId: input.patientId,
          encounterId: input.encounterId ?? null,
          contactId: contact?.id ?? null,
          specialty,
          reason: input.reason,
          urgency: input.urgency,
          diagnoses: JSON.stringify(diagnoses),
          status: input.status,
          orderedBy,
          // A draft's own date is kept; otherwise the due date is set when it is sent.
          replyDue: input.replyDue ?? (sent ? replyDueFrom(at, input.urgency, this.zone) : null),
          sentAt: sent ? at : null,
        }) as StoredRow;
      this.repos.writer.record(at, {
        action: 'referral.create',
        actor: me.actor,
        patientId: input.patientId,
        entity: 'referral',
        id,
        op: 'insert',
        payload: row,
        detail: `${input.status} ${specialty} ${input.urgency}`,
      });
      return this.view(row as unknown as ReferralRow);
    });
  }

  /** One step of the referral's life, refused in words when the rules do not allow it. */
  advance(step: ReferralAdvance, actor: Actor): Referral {
    return this.repos.writer.write((at) => {
      const current = this.row(step.id);
      if (step.expectedVersion !== undefined && step.expectedVersion !== current.version) {
        throw new CairnFailure('conflict', 'someone changed this referral since you opened it: open it again');
      }
      const problem = referralTransitionProblem(current.status, step.to);
      if (problem !== null) throw new CairnFailure('conflict', problem);
      const set: Record<string, string | null> = { status: step.to };
      let detail: string = `${current.status} -> ${step.to}`;
      switch (step.to) {
        case 'sent':
          set['sent_at'] = at;
          set['reply_due'] = current.reply_due ?? replyDueFrom(at, current.urgency, this.zone);
          break;
        case 'scheduled':
          set['scheduled_at'] = at;
          set['appointment_at'] = step.appointmentAt;
          detail += ` ${step.appointmentAt}`;
          break;
        case 'consult_received': {
          const doc = this.repos.patients.ownerOf('document', step.documentId);
          const filed = this.sqlite
            .prepare<[string], { status: string; deleted_at: string | null }>('SELECT status, deleted_at FROM documents WHERE id = ?')
            .get(step.documentId);
          if (!filed || filed.deleted_at)
            throw new CairnFailure('not_found', 'no such document: file the consult note in the chart first', [
              { path: 'documentId', message: 'no such document' },
            ]);
          if (filed.status !== 'filed' || doc !== current.patient_id) {
            throw new CairnFailure('invalid_input', 'the consult note must be a document filed in this patient’s chart', [
              { path: 'documentId', message: 'not in this chart' },
            ]);
          }
          set['consult_received_at'] = at;
          set['consult_document_id'] = step.documentId;
          this.linkDocument(at, actor, step.documentId, current.id, current.patient_id);
          detail += ` document ${step.documentId}`;
          break;
        }
        case 'closed':
          set['closed_at'] = at;
          set['closed_note'] = step.note ?? null;
          break;
        case 'cancelled':
          set['closed_at'] = at;
          set['closed_note'] = `Cancelled: ${step.reason}`;
          break;
      }
      const cols = Object.keys(set);
      const row = this.sqlite
        .prepare(
          `UPDATE referrals SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @at, updated_by = @by, version = version + 1 WHERE id = @id RETURNING *`,
        )
        .get({ ...set, at, by: actor.userId, id: current.id }) as StoredRow;
      this.repos.writer.record(at, {
        action: `referral.${step.to}`,
        actor,
        patientId: current.patient_id,
        entity: 'referral',
        id: current.id,
        op: 'update',
        payload: row,
        detail,
      });
      return this.view(row as unknown as ReferralRow);
    });
  }

  /**
   * The worklist: referrals out, sent or scheduled, whose reply date has passed with no consult
   * note in, oldest due first. A restricted chart the viewer has not opened shows its name only.
   */
  overdue(now: Date, viewer: Viewer, limit: number): OverdueReferral[] {
    const zone = this.zone;
    const today = clinicDate(now, zone);
    const rows = this.sqlite
      .prepare<[string, number], ReferralRow & { given_name: string; middle_name: string | null; family_name: string; mrn: string; restricted: number }>(
        `SELECT r.*, p.given_name, p.middle_name, p.family_name, p.mrn, p.restricted FROM referrals r JOIN patients p ON p.id = r.patient_id
         WHERE r.deleted_at IS NULL AND p.deleted_at IS NULL AND r.direction = 'out' AND r.status IN ('sent', 'scheduled')
           AND r.consult_document_id IS NULL AND r.reply_due IS NOT NULL AND r.reply_due < ?
         ORDER BY r.reply_due, r.sent_at, r.id LIMIT ?`,
      )
      .all(today, limit);
    return rows.map((r) => {
      const hidden = r.restricted === 1 && !viewer.mayOpen(r.patient_id);
      const v = this.view(r);
      const patientName = displayName({ givenName: r.given_name, middleName: r.middle_name, familyName: r.family_name });
      const base = { ...v, patientName, mrn: hidden ? null : r.mrn, restricted: hidden, daysOverdue: daysPast(r.reply_due!, now, zone) };
      return hidden ? { ...base, reason: '', diagnoses: [], contact: null, closedNote: null } : base;
    });
  }

  /** The physician in whose name the referral goes: the caller if a physician; a nurse names one. */
  private referringPhysician(referringId: string | undefined, me: { actor: Actor; role: string }): string {
    if (referringId === undefined) {
      if (me.role === 'physician') return me.actor.userId;
      throw new CairnFailure('invalid_input', 'name the referring physician: a nurse enters a referral on a physician’s behalf', [
        { path: 'referringId', message: 'choose the referring physician' },
      ]);
    }
    const u = this.sqlite
      .prepare<[string], { role: string; disabled: number }>('SELECT role, disabled FROM users WHERE id = ? AND deleted_at IS NULL')
      .get(referringId);
    if (!u || u.role !== 'physician' || u.disabled) {
      throw new CairnFailure('invalid_input', 'the referring clinician must be an active physician of the clinic', [
        { path: 'referringId', message: 'not a physician' },
      ]);
    }
    return referringId;
  }

  /** The consult note names the referral it answers (documents.referral_id), in the same transaction. */
  private linkDocument(at: string, actor: Actor, documentId: string, referralId: string, patientId: string): void {
    const row = this.sqlite
      .prepare(`UPDATE documents SET referral_id = @referralId, updated_at = @at, updated_by = @by, version = version + 1 WHERE id = @id RETURNING *`)
      .get({ referralId, at, by: actor.userId, id: documentId }) as StoredRow;
    this.repos.writer.record(at, {
      action: 'document.referral',
      actor,
      patientId,
      entity: 'document',
      id: documentId,
      op: 'update',
      payload: row,
      detail: referralId,
    });
  }
}
