import { FRONT_DESK_KINDS, type ReportedItemView, type ReportedSubmission } from '../../../shared/api/portal.contract';
import { CairnFailure } from '../../../shared/api/result';
import { INSTRUMENTS } from '../../../shared/domain/instruments';
import type { ReportedKind } from '../../../shared/domain/portal';
import type { Role } from '../../../shared/domain/user';
import type { BillingService } from '../billing/billing.service';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import { IntakeChart, type AcceptOptions } from './intake-chart';
import type { PortalRows } from './portal-rows';
import { reportedText } from './reported-values';

interface ItemRow {
  id: string;
  patient_id: string;
  submission_id: string;
  form_id: string;
  form_title: string;
  item_id: string;
  kind: ReportedKind;
  label: string;
  value: string;
  appointment_id: string | null;
  submitted_at: string;
  submitted_by: string;
  status: 'pending' | 'accepted' | 'declined';
  reviewed_by: string | null;
  reviewer: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  chart_record: string | null;
  version: number;
}

const SELECT = `SELECT i.*, u.display_name AS reviewer FROM patient_reported_items i LEFT JOIN users u ON u.id = i.reviewed_by`;
/** Clinical kinds (allergy, medication, score, answer) are reviewed by these; the front desk reviews FRONT_DESK_KINDS. */
const CLINICIANS: readonly Role[] = ['physician', 'nurse'];

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Whether `role` may see, accept and decline items of `kind` (the front desk: demographics and insurance). */
export function mayReview(role: Role, kind: ReportedKind): boolean {
  return CLINICIANS.includes(role) || (role === 'front_desk' && FRONT_DESK_KINDS.includes(kind));
}

/**
 * Patient-reported items (intake forms filled on the portal): listed by submission with what the
 * chart holds now, and accepted into the chart one by one or declined. Important: nothing a patient
 * reports reaches the chart without a person accepting that one item; an item is reviewed once.
 */
export class IntakeService {
  private readonly chart: IntakeChart;

  constructor(
    private readonly repos: Repos,
    private readonly rows: PortalRows,
    billing: () => BillingService,
    private readonly now: () => Date,
  ) {
    this.chart = new IntakeChart(repos, rows, billing, now);
  }

  private view(r: ItemRow): ReportedItemView {
    const value = parseValue(r.value);
    return {
      id: r.id,
      submissionId: r.submission_id,
      itemId: r.item_id,
      kind: r.kind,
      label: r.label,
      value,
      text: reportedText(r.kind, r.item_id, value),
      chartNow: r.status === 'pending' ? this.chart.chartNow(r.patient_id, r.kind, r.item_id, value) : null,
      status: r.status,
      reviewedBy: r.reviewer ?? r.reviewed_by,
      reviewedAt: r.reviewed_at,
      reviewNote: r.review_note,
      chartRecord: r.chart_record,
      version: r.version,
    };
  }

  private row(itemId: string): ItemRow {
    const r = this.rows.get<ItemRow>(`${SELECT} WHERE i.id = ? AND i.deleted_at IS NULL`, itemId);
    if (!r) throw new CairnFailure('not_found', `no patient-reported item with id ${itemId}`);
    return r;
  }

  get(itemId: string): ReportedItemView {
    return this.view(this.row(itemId));
  }

  /** A chart's reported items by submission (newest first), each in form order; only the kinds `role` reviews. */
  list(patientId: string, status: 'pending' | 'accepted' | 'declined' | 'all', role: Role): ReportedSubmission[] {
    const rows = this.rows.all<ItemRow>(
      `${SELECT} WHERE i.patient_id = ? AND i.deleted_at IS NULL ${status === 'all' ? '' : 'AND i.status = ?'} ORDER BY i.submitted_at DESC, i.submission_id, i.created_at, i.id`,
      ...(status === 'all' ? [patientId] : [patientId, status]),
    );
    const out = new Map<string, ReportedSubmission>();
    for (const r of rows) {
      if (!mayReview(role, r.kind)) continue;
      let s = out.get(r.submission_id);
      if (!s) {
        s = {
          submissionId: r.submission_id,
          formId: r.form_id,
          formTitle: r.form_title,
          submittedAt: r.submitted_at,
          submittedBy: r.submitted_by,
          appointmentId: r.appointment_id,
          items: [],
        };
        out.set(r.submission_id, s);
      }
      s.items.push(this.view(r));
    }
    return [...out.values()];
  }

  /** Refuses an item already reviewed, or one of a kind this role does not review. */
  private pending(r: ItemRow, role: Role, act: string): void {
    if (!mayReview(role, r.kind)) throw new CairnFailure('forbidden', `${act} a patient-reported ${KIND_WORD[r.kind]} needs a physician or nurse`);
    if (r.status !== 'pending') {
      const by = r.reviewer ?? r.reviewed_by ?? 'someone';
      throw new CairnFailure('conflict', `this item was already ${r.status} by ${by} at ${r.reviewed_at ?? '?'}: it is reviewed once`);
    }
  }

  /** Writes one item into the chart (see IntakeChart.accept) and marks it accepted, in one transaction. */
  accept(itemId: string, o: AcceptOptions & { note?: string | undefined }, actor: Actor, role: Role): ReportedItemView {
    this.repos.writer.write((at) => {
      const r = this.row(itemId);
      this.pending(r, role, 'accepting');
      const { record, detail } = this.chart.accept(
        at,
        { patientId: r.patient_id, kind: r.kind, itemId: r.item_id, id: r.id, appointmentId: r.appointment_id, submittedAt: r.submitted_at, label: r.label },
        parseValue(r.value),
        o,
        actor,
      );
      this.rows.update(
        at,
        actor,
        'patient_reported_item',
        r.id,
        { status: 'accepted', reviewed_by: actor.userId, reviewed_at: at, review_note: o.note ?? null, chart_record: record },
        r.patient_id,
        'portal.intake.accept',
        JSON.stringify({ kind: r.kind, chartRecord: record, ...detail }),
      );
    });
    return this.get(itemId);
  }

  /** Declines one item with the reason; the chart is not touched. */
  decline(itemId: string, reason: string, actor: Actor, role: Role): ReportedItemView {
    this.repos.writer.write((at) => {
      const r = this.row(itemId);
      this.pending(r, role, 'declining');
      this.rows.update(
        at,
        actor,
        'patient_reported_item',
        r.id,
        { status: 'declined', reviewed_by: actor.userId, reviewed_at: at, review_note: reason },
        r.patient_id,
        'portal.intake.decline',
        r.kind,
      );
    });
    return this.get(itemId);
  }
}

const KIND_WORD: Record<ReportedKind, string> = {
  demographics: 'demographic change',
  insurance: 'insurance',
  medication: 'medication',
  allergy: 'allergy',
  score: `${INSTRUMENTS.phq9.shortName}/${INSTRUMENTS.gad7.shortName} score`,
  answer: 'answer',
};
