import type { ConfidentialMark, CONFIDENTIAL_RECORD_TYPES } from '../../../shared/api/portal.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { Actor } from '../repos/writer';
import type { PortalRows } from './portal-rows';

type RecordType = (typeof CONFIDENTIAL_RECORD_TYPES)[number];

/** Whose chart a markable record is on (a medication by its course id). */
const OWNER: Record<RecordType, string> = {
  condition: 'SELECT patient_id FROM conditions WHERE id = ? AND deleted_at IS NULL',
  allergy: 'SELECT patient_id FROM allergies WHERE id = ? AND deleted_at IS NULL',
  medication_event: 'SELECT patient_id FROM medication_events WHERE course_id = ? AND deleted_at IS NULL LIMIT 1',
  observation: 'SELECT patient_id FROM observations WHERE id = ? AND deleted_at IS NULL',
  note: 'SELECT patient_id FROM clinical_notes WHERE id = ? AND deleted_at IS NULL',
  encounter: 'SELECT patient_id FROM encounters WHERE id = ? AND deleted_at IS NULL',
  immunization: 'SELECT patient_id FROM immunizations WHERE id = ? AND deleted_at IS NULL',
  lab_order: 'SELECT patient_id FROM lab_orders WHERE id = ? AND deleted_at IS NULL',
  diagnostic_report: 'SELECT patient_id FROM diagnostic_reports WHERE id = ? AND deleted_at IS NULL',
};

interface MarkRow {
  id: string;
  patient_id: string;
  record_type: string;
  record_id: string;
  hidden: number;
  reason: string | null;
  updated_at: string;
  updated_by: string;
  who: string | null;
}

const SELECT = `SELECT c.id, c.patient_id, c.record_type, c.record_id, c.hidden, c.reason, c.updated_at, c.updated_by, u.display_name AS who
  FROM portal_confidential c LEFT JOIN users u ON u.id = c.updated_by`;

const view = (r: MarkRow): ConfidentialMark => ({
  id: r.id,
  patientId: r.patient_id,
  recordType: r.record_type,
  recordId: r.record_id,
  hidden: r.hidden === 1,
  reason: r.reason,
  updatedAt: r.updated_at,
  updatedBy: r.who ?? r.updated_by,
});

/**
 * Chart items a clinician hides from a patient's proxies while the patient is 12–17 (the clinic
 * server applies the marks; see shared/domain/portal.ts hidesConfidentialFromProxy). One mark per
 * record: marking again changes it, so the history stays in the audit log.
 */
export class ConfidentialRepo {
  constructor(private readonly rows: PortalRows) {}

  list(patientId: string): ConfidentialMark[] {
    return this.rows.all<MarkRow>(`${SELECT} WHERE c.patient_id = ? AND c.deleted_at IS NULL ORDER BY c.updated_at DESC, c.id`, patientId).map(view);
  }

  set(i: { patientId: string; recordType: RecordType; recordId: string; hidden: boolean; reason?: string | undefined }, actor: Actor): ConfidentialMark {
    const id = this.rows.writer.write((at) => {
      const owner = this.rows.get<{ patient_id: string }>(OWNER[i.recordType], i.recordId);
      if (owner?.patient_id !== i.patientId) throw new CairnFailure('not_found', `no ${i.recordType.replace('_', ' ')} ${i.recordId} on this chart`);
      const cur = this.rows.get<{ id: string; hidden: number }>(
        'SELECT id, hidden FROM portal_confidential WHERE patient_id = ? AND record_type = ? AND record_id = ? AND deleted_at IS NULL',
        i.patientId,
        i.recordType,
        i.recordId,
      );
      const action = i.hidden ? 'portal.confidential.hide' : 'portal.confidential.show';
      const detail = `${i.recordType}:${i.recordId}`;
      if (!cur) {
        if (!i.hidden) throw new CairnFailure('conflict', 'this item is not marked confidential: proxies already see it');
        const stored = this.rows.insert(
          at,
          actor,
          'portal_confidential',
          { patient_id: i.patientId, record_type: i.recordType, record_id: i.recordId, hidden: 1, reason: i.reason ?? null },
          i.patientId,
          action,
          detail,
        );
        return String(stored['id']);
      }
      this.rows.update(at, actor, 'portal_confidential', cur.id, { hidden: i.hidden ? 1 : 0, reason: i.reason ?? null }, i.patientId, action, detail);
      return cur.id;
    });
    return view(this.rows.get<MarkRow>(`${SELECT} WHERE c.id = ?`, id)!);
  }
}
