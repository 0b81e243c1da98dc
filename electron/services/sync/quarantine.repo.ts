import type Database from 'better-sqlite3';
import { CairnFailure } from '../../../shared/api/result';
import { displayName } from '../../../shared/domain/patient';
import { entityLabel, fieldLabel, type QuarantineItem, type WireValue } from '../../../shared/domain/sync-review';
import type { AuditRepo } from '../repos/audit.repo';
import { outboxFields } from '../repos/outbox.repo';
import type { ClinicalWriter } from '../repos/writer';
import type { Viewer } from './conflicts.repo';
import type { RowAccess } from './row-reader';

interface OutboxRow {
  device_id: string;
  seq: number;
  entity: string;
  entity_id: string;
  patient_id: string | null;
  user_id: string | null;
  payload: string;
  created_at: string;
  quarantined_at: string | null;
  quarantined_reason: string | null;
}

const REVIEWED = 'reviewed: ';
/** Bookkeeping columns a person reviewing a refused change does not need to see. */
const NOT_SHOWN = new Set(['id', 'patient_id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'row_id', 'version']);
/** Roles that see every refused value; front desk and billing see demographics and their own changes. */
const SEES_ALL: ReadonlySet<string> = new Set(['physician', 'nurse', 'admin']);

/**
 * Changes of this device the clinic server refused (quarantined in the outbox). They are never
 * deleted: a person reviews each one, and the review is added to the reason and audited.
 */
export class QuarantineRepo {
  private readonly one: Database.Statement<[string, number], OutboxRow>;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly deviceId: string,
    private readonly writer: ClinicalWriter,
    private readonly audit: AuditRepo,
    private readonly rows: RowAccess,
  ) {
    this.one = sqlite.prepare('SELECT * FROM sync_outbox WHERE device_id = ? AND seq = ? AND quarantined_at IS NOT NULL');
  }

  /** This device's refused changes, newest first; reviewed ones only when asked. */
  list(viewer: Viewer, includeReviewed: boolean): QuarantineItem[] {
    const rows = this.sqlite
      .prepare(
        `SELECT * FROM sync_outbox WHERE device_id = ? AND quarantined_at IS NOT NULL
           AND (? = 1 OR coalesce(quarantined_reason, '') NOT LIKE 'reviewed:%') ORDER BY seq DESC LIMIT 500`,
      )
      .all(this.deviceId, includeReviewed ? 1 : 0) as OutboxRow[];
    return rows.map((r) => this.item(r, viewer));
  }

  /** Marks a refused change reviewed, with what was done about it; audited in the same transaction. */
  review(deviceId: string, seq: number, note: string, viewer: Viewer): QuarantineItem {
    if (deviceId !== this.deviceId) throw new CairnFailure('not_found', "only this device's refused changes are reviewed here");
    this.writer.write((at) => {
      const r = this.one.get(deviceId, seq);
      if (!r) throw new CairnFailure('not_found', `no refused change ${seq} on this device`);
      const reason = r.quarantined_reason ?? '';
      if (reason.startsWith(REVIEWED)) throw new CairnFailure('conflict', 'this refused change was already reviewed');
      this.sqlite.prepare('UPDATE sync_outbox SET quarantined_reason = ? WHERE device_id = ? AND seq = ?').run(`${REVIEWED}${reason} — ${note}`, deviceId, seq);
      this.audit.append(
        {
          action: 'sync.quarantine_review',
          userId: viewer.userId,
          patientId: r.patient_id,
          recordType: r.entity,
          recordId: r.entity_id,
          detail: JSON.stringify({ seq }),
        },
        at,
      );
    });
    return this.item(this.one.get(deviceId, seq)!, viewer);
  }

  private item(r: OutboxRow, viewer: Viewer): QuarantineItem {
    const patient = r.patient_id
      ? (this.sqlite
          .prepare('SELECT given_name AS givenName, middle_name AS middleName, family_name AS familyName, restricted FROM patients WHERE id = ?')
          .get(r.patient_id) as { givenName: string; middleName: string | null; familyName: string; restricted: number } | undefined)
      : undefined;
    const restricted = patient?.restricted === 1 && !viewer.mayOpen(r.patient_id!);
    const mayRead = SEES_ALL.has(viewer.role) || r.entity === 'patient' || r.user_id === viewer.userId;
    const hidden = restricted || !mayRead;
    const payload = outboxFields(this.rows, r.entity, r.entity_id, r.payload) as Record<string, WireValue>;
    const reason = r.quarantined_reason ?? '';
    const author = r.user_id
      ? ((this.sqlite.prepare('SELECT display_name AS n FROM users WHERE id = ?').get(r.user_id) as { n: string } | undefined)?.n ?? r.user_id)
      : null;
    return {
      deviceId: r.device_id,
      seq: r.seq,
      entity: r.entity,
      entityLabel: entityLabel(r.entity),
      entityId: r.entity_id,
      patientId: r.patient_id,
      patientName: patient ? displayName(patient) : null,
      author,
      createdAt: r.created_at,
      quarantinedAt: r.quarantined_at,
      reason,
      reviewed: reason.startsWith(REVIEWED),
      values: hidden
        ? []
        : Object.entries(payload)
            .filter(([k]) => !NOT_SHOWN.has(k))
            .map(([field, value]) => ({ field, label: fieldLabel(field), value })),
      hidden,
    };
  }
}
