import type Database from 'better-sqlite3';
import { newId } from '../../common/ids';
import { CairnFailure } from '../../../shared/api/result';
import { displayValue } from '../../../shared/domain/display-units';
import {
  type CumulativeView,
  flagSeverity,
  type InboxItem,
  type InboxPage,
  type InboxScope,
  type LabResultView,
  type LabTrend,
  SEVERITY_RANK,
  storedNotes,
} from '../../../shared/domain/lab-review';
import type { StoredRow } from '../repos/stored-row';
import type { Actor, ClinicalWriter } from '../repos/writer';

interface Row {
  id: string;
  patientId: string;
  loinc: string;
  display: string | null;
  valueNum: number | null;
  valueText: string | null;
  /** The value as the lab sent it (OBX-5), for results from a message. */
  sent: string | null;
  unit: string | null;
  refLow: number | null;
  refHigh: number | null;
  refText: string | null;
  flag: string | null;
  status: string;
  effectiveAt: string;
  receivedAt: string;
  orderDisplay: string | null;
  notes: string | null;
  orderNotes: string | null;
  supersedesId: string | null;
  prevValueNum: number | null;
  prevValueText: string | null;
  prevSent: string | null;
  prevUnit: string | null;
  prevFlag: string | null;
  prevStatus: string | null;
  prevReceivedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedNote: string | null;
}

/** Who may see a restricted chart's values (the signed-in user broke the glass for it). */
export type MayOpen = (patientId: string) => boolean;

const COLUMNS = `o.id, o.patient_id AS patientId, o.loinc, o.display, o.value_num AS valueNum, o.value_text AS valueText, o.entered_as AS sent, o.unit,
  o.ref_low AS refLow, o.ref_high AS refHigh, o.ref_text AS refText, o.interpretation AS flag, o.status, o.effective_at AS effectiveAt,
  o.created_at AS receivedAt, o.lab_order_display AS orderDisplay, o.lab_notes AS notes, o.lab_order_notes AS orderNotes, o.supersedes_id AS supersedesId,
  prev.value_num AS prevValueNum, prev.value_text AS prevValueText, prev.entered_as AS prevSent, prev.unit AS prevUnit, prev.interpretation AS prevFlag, prev.status AS prevStatus, prev.created_at AS prevReceivedAt,
  (SELECT a.created_at FROM result_acknowledgements a WHERE a.observation_id = o.id AND a.deleted_at IS NULL ORDER BY a.created_at LIMIT 1) AS acknowledgedAt,
  (SELECT coalesce(u.display_name, a.created_by) FROM result_acknowledgements a LEFT JOIN users u ON u.id = a.created_by
    WHERE a.observation_id = o.id AND a.deleted_at IS NULL ORDER BY a.created_at LIMIT 1) AS acknowledgedBy,
  (SELECT a.note FROM result_acknowledgements a WHERE a.observation_id = o.id AND a.deleted_at IS NULL ORDER BY a.created_at LIMIT 1) AS acknowledgedNote`;

/** The version a result replaces (COLUMNS reads it as prev). */
const PREVIOUS = `LEFT JOIN observations prev ON prev.id = o.supersedes_id`;

/** Current lab results: not deleted, not entered in error, not replaced by a correction, and with a value to read. */
const CURRENT = `o.category = 'laboratory' AND o.deleted_at IS NULL AND o.status NOT IN ('entered-in-error', 'registered')
  AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.supersedes_id = o.id AND n.deleted_at IS NULL)`;

/**
 * Whose inbox a result is in: the provider of the order it answers (linked at ingest, or by its
 * placer number when the order arrived later, e.g. by sync). No order, or a provider whose account
 * is disabled: the shared queue (null), which every physician sees.
 */
const ROUTE = `LEFT JOIN lab_orders lo ON lo.deleted_at IS NULL AND lo.id = coalesce(o.order_id,
    (SELECT l2.id FROM lab_orders l2 WHERE l2.placer_number = o.lab_placer_number AND l2.patient_id = o.patient_id AND l2.deleted_at IS NULL))
  LEFT JOIN users ou ON ou.id = lo.ordered_by`;
const ROUTED_TO = `CASE WHEN ou.id IS NOT NULL AND ou.disabled = 0 THEN ou.id END`;

/** Current, unacknowledged, on a chart not deleted, in the scope (named parameters: scope, userId). */
const WAITING = `${CURRENT} AND p.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM result_acknowledgements a WHERE a.observation_id = o.id AND a.deleted_at IS NULL)
  AND (@scope = 'all' OR ${ROUTED_TO} IS NULL OR ${ROUTED_TO} = @userId)`;

type InboxRow = Row & { patientName: string; mrn: string | null; restricted: number; orderedById: string | null; orderedBy: string | null };

/** The value as a clinician reads it (display-units): the lab's own string, a comparator's text, or a number rounded by its test. */
function shown(loinc: string, r: { valueNum: number | null; valueText: string | null; sent: string | null }): string {
  return displayValue({ loinc, value: r.valueNum, text: r.valueText, sent: r.sent });
}

function view(r: Row): LabResultView {
  // A version kept as history supersedes itself (see storeResults in oru.ts): it replaced nothing.
  const replaced = r.supersedesId !== null && r.supersedesId !== r.id;
  return {
    id: r.id,
    patientId: r.patientId,
    loinc: r.loinc,
    display: r.display ?? r.loinc,
    value: shown(r.loinc, r),
    valueNum: r.valueNum,
    unit: r.unit,
    refLow: r.refLow,
    refHigh: r.refHigh,
    refText: r.refText,
    flag: r.flag,
    severity: flagSeverity(r.flag),
    status: r.status,
    effectiveAt: r.effectiveAt,
    receivedAt: r.receivedAt,
    orderDisplay: r.orderDisplay,
    notes: storedNotes(r.notes),
    orderNotes: storedNotes(r.orderNotes),
    corrected: replaced,
    previous:
      replaced && r.prevStatus !== null
        ? {
            value: shown(r.loinc, { valueNum: r.prevValueNum, valueText: r.prevValueText, sent: r.prevSent }),
            unit: r.prevUnit,
            flag: r.prevFlag,
            status: r.prevStatus,
            receivedAt: r.prevReceivedAt ?? '',
          }
        : null,
    acknowledgedAt: r.acknowledgedAt,
    acknowledgedBy: r.acknowledgedBy,
    acknowledgedNote: r.acknowledgedNote,
  };
}

/**
 * Lab results as a clinician reviews them: the inbox of unacknowledged results across patients,
 * one patient's results, the cumulative table and trends. Acknowledgements are append-only synced
 * rows written through the ClinicalWriter (row, audit and outbox in one transaction).
 */
export class LabResultsRepo {
  private readonly unacknowledged: Database.Statement<[{ scope: InboxScope; userId: string; limit: number }], InboxRow>;
  private readonly unacknowledgedCount: Database.Statement<[{ scope: InboxScope; userId: string }], { n: number }>;
  private readonly forPatient: Database.Statement<[string], Row>;
  private readonly versionsOf: Database.Statement<[{ patientId: string; id: string }], Row & { current: number }>;
  private readonly observation: Database.Statement<[string], { patientId: string; category: string; acked: number }>;
  private readonly insertAck: Database.Statement<[string, string, string, string | null, string, string, string, string], StoredRow>;

  constructor(
    sqlite: Database.Database,
    private readonly writer: ClinicalWriter,
  ) {
    this.unacknowledged = sqlite.prepare(
      `SELECT ${COLUMNS}, p.family_name || ', ' || p.given_name AS patientName, p.mrn, p.restricted, ${ROUTED_TO} AS orderedById, ou.display_name AS orderedBy
       FROM observations o JOIN patients p ON p.id = o.patient_id ${PREVIOUS} ${ROUTE}
       WHERE ${WAITING}
       ORDER BY CASE WHEN o.interpretation IN ('HH', 'LL', 'AA') THEN 0 WHEN coalesce(o.interpretation, 'N') IN ('N', '') THEN 2 ELSE 1 END, o.created_at DESC
       LIMIT @limit`,
    );
    this.unacknowledgedCount = sqlite.prepare(`SELECT count(*) AS n FROM observations o JOIN patients p ON p.id = o.patient_id ${ROUTE} WHERE ${WAITING}`);
    this.forPatient = sqlite.prepare(
      `SELECT ${COLUMNS} FROM observations o ${PREVIOUS}
       WHERE o.patient_id = ? AND ${CURRENT} ORDER BY o.effective_at DESC, o.loinc`,
    );
    // Every version of the result: the rows with its key (order number, test, sub-id), and the rows a
    // chain of supersedes_id reaches either way (a FHIR import's corrections have no key). UNION, not
    // UNION ALL: a version kept as history supersedes itself, and the walk must stop there.
    this.versionsOf = sqlite.prepare(
      `WITH RECURSIVE v(id) AS (
         SELECT o.id FROM observations o WHERE o.patient_id = @patientId
           AND (o.id = @id OR o.lab_result_key = (SELECT k.lab_result_key FROM observations k WHERE k.id = @id AND k.patient_id = @patientId))
         UNION
         SELECT o.id FROM v JOIN observations o ON o.supersedes_id = v.id OR o.id = (SELECT s.supersedes_id FROM observations s WHERE s.id = v.id)
       )
       SELECT ${COLUMNS}, (${CURRENT}) AS current FROM observations o ${PREVIOUS}
       WHERE o.id IN (SELECT id FROM v) AND o.patient_id = @patientId AND o.category = 'laboratory' AND o.deleted_at IS NULL
       ORDER BY o.created_at, o.id`,
    );
    this.insertAck = sqlite.prepare(
      `INSERT INTO result_acknowledgements (id, observation_id, patient_id, note, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    );
    this.observation = sqlite.prepare(
      `SELECT o.patient_id AS patientId, o.category,
         EXISTS (SELECT 1 FROM result_acknowledgements a WHERE a.observation_id = o.id AND a.deleted_at IS NULL) AS acked
       FROM observations o WHERE o.id = ? AND o.deleted_at IS NULL`,
    );
  }

  /**
   * Unacknowledged results in a scope: critical first, then abnormal, then normal; newest first
   * within each. `total` counts every result waiting in the scope, not only the page.
   */
  inbox(viewer: { userId: string; mayOpen: MayOpen }, scope: InboxScope, limit = 500): InboxPage {
    // Ordered in SQL (the same rank as flagSeverity) so the limit never drops an older critical value.
    const items = this.unacknowledged.all({ scope, userId: viewer.userId, limit }).map((r): InboxItem => {
      const restricted = r.restricted === 1 && !viewer.mayOpen(r.patientId);
      const base = view(r);
      // Important: a restricted chart's results are listed by the patient's name only, as search does.
      const hidden = restricted
        ? {
            loinc: '',
            display: 'Restricted chart: break the glass to see',
            value: '',
            valueNum: null,
            unit: null,
            refLow: null,
            refHigh: null,
            refText: null,
            orderDisplay: null,
            notes: [],
            orderNotes: [],
            previous: null,
          }
        : {};
      return {
        ...base,
        ...hidden,
        patientName: r.patientName,
        mrn: restricted ? null : r.mrn,
        restricted,
        orderedById: r.orderedById,
        orderedBy: r.orderedById === null ? null : r.orderedBy,
      };
    });
    const total = this.unacknowledgedCount.get({ scope, userId: viewer.userId })?.n ?? 0;
    return {
      items: items.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.receivedAt.localeCompare(a.receivedAt)).slice(0, limit),
      total,
      scope,
    };
  }

  /** Marks results as reviewed; one already acknowledged is left as it is. Returns the ids acknowledged now. */
  acknowledge(observationIds: readonly string[], note: string | undefined, actor: Actor): string[] {
    return this.writer.write((at) => {
      const done: string[] = [];
      for (const observationId of new Set(observationIds)) {
        const o = this.observation.get(observationId);
        if (!o || o.category !== 'laboratory') throw new CairnFailure('not_found', `no lab result with id ${observationId}`);
        if (o.acked === 1) continue;
        const id = newId();
        // Important: the row first, then its audit and outbox entries (built from the row written).
        const row = this.insertAck.get(id, observationId, o.patientId, note ?? null, at, actor.userId, at, actor.userId)!;
        this.writer.record(at, {
          action: 'labs.acknowledge',
          actor,
          patientId: o.patientId,
          entity: 'result_ack',
          id,
          op: 'insert',
          payload: row,
          detail: observationId,
        });
        done.push(observationId);
      }
      return done;
    });
  }

  /** A patient's current results, newest first. */
  results(patientId: string): LabResultView[] {
    return this.forPatient.all(patientId).map(view);
  }

  /**
   * Every version of one result, oldest first, and which of them is current (null when none is: the
   * result was entered in error, say). Versions that are not current stay here: a preliminary that
   * arrived after its final is listed, never lost.
   */
  versions(patientId: string, id: string): { currentId: string | null; versions: LabResultView[] } {
    const rows = this.versionsOf.all({ patientId, id });
    if (rows.length === 0) throw new CairnFailure('not_found', `no lab result with id ${id} on this chart`);
    return { currentId: rows.find((r) => r.current === 1)?.id ?? null, versions: rows.map(view) };
  }

  /** Rows = tests, columns = collection times (newest first), cells = value and flag. */
  cumulative(patientId: string): CumulativeView {
    const results = this.results(patientId);
    const columns = [...new Set(results.map((r) => r.effectiveAt))].sort((a, b) => b.localeCompare(a));
    const rows = new Map<string, CumulativeView['rows'][number]>();
    for (const r of results) {
      let row = rows.get(r.loinc);
      if (!row) {
        // Results are newest first: the first seen carries the current unit and range.
        row = { loinc: r.loinc, display: r.display, unit: r.unit, refLow: r.refLow, refHigh: r.refHigh, refText: r.refText, cells: columns.map(() => null) };
        rows.set(r.loinc, row);
      }
      const col = columns.indexOf(r.effectiveAt);
      row.cells[col] ??= { id: r.id, value: r.value, flag: r.flag, severity: r.severity, notes: [...r.notes, ...r.orderNotes] };
    }
    return { columns, rows: [...rows.values()].sort((a, b) => a.display.localeCompare(b.display)) };
  }

  /** One test's numeric values over time, oldest first, with the reference range of the latest result. */
  trend(patientId: string, loinc: string): LabTrend {
    const results = this.results(patientId).filter((r) => r.loinc === loinc);
    if (results.length === 0) throw new CairnFailure('not_found', `no results for LOINC ${loinc} on this chart`);
    const latest = results[0]!;
    const withRange = results.find((r) => r.refLow !== null || r.refHigh !== null) ?? latest;
    const points = results
      .filter((r) => r.valueNum !== null)
      .map((r) => ({ id: r.id, at: r.effectiveAt, value: r.valueNum!, flag: r.flag, severity: r.severity }))
      .reverse();
    return { loinc, display: latest.display, unit: latest.unit, refLow: withRange.refLow, refHigh: withRange.refHigh, points };
  }
}
