import type { CcdaImportView, ReconcileItemView, ReconcileSectionView } from '../../../shared/api/ccda.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { CcdaSection } from '../../../shared/ccda/model';
import { RECONCILE_SECTIONS } from '../../../shared/domain/records';
import { statementsFor, type StatementCache } from '../db/statement-cache';
import { selectIn } from '../repos/multi-row';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Actor } from '../repos/writer';
import { ChartRows } from './ccda-chart';
import type { ChartDraft } from './ccda-drafts';

interface ItemRow {
  id: string;
  patient_id: string;
  import_id: string | null;
  section: ReconcileItemView['section'];
  source_label: string;
  match: ReconcileItemView['match'];
  match_type: string | null;
  match_id: string | null;
  summary: string;
  code_system: string | null;
  code: string | null;
  item_date: string | null;
  payload: string;
  status: ReconcileItemView['status'];
  decided_by: string | null;
  decided_at: string | null;
  chart_record: string | null;
  version: number;
}

function toView(r: ItemRow): ReconcileItemView {
  return {
    id: r.id,
    patientId: r.patient_id,
    importId: r.import_id,
    section: r.section,
    sourceLabel: r.source_label,
    match: r.match,
    matchType: r.match_type,
    matchId: r.match_id,
    summary: r.summary,
    codeSystem: r.code_system,
    code: r.code,
    itemDate: r.item_date,
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    chartRecord: r.chart_record,
    version: r.version,
  };
}

/**
 * The clinician's side of a received C-CDA: its items by section, and the decision on each. An
 * accepted item is written into the chart as imported history (the same rows and rules as a
 * migration: row, audit and sync entry together); a `same` item accepted writes nothing (it is
 * there already); a `different` one adds the document's version beside the chart's, never
 * changing or deleting what the chart holds.
 */
export class CcdaReconcile {
  private readonly st: StatementCache;

  constructor(private readonly repos: Repos) {
    this.st = statementsFor(repos.store.sqlite);
  }

  items(patientId: string, status: ReconcileItemView['status'] | 'all', importId?: string): ReconcileSectionView[] {
    const rows = this.st
      .get(
        `SELECT * FROM reconcile_items WHERE patient_id = ? AND deleted_at IS NULL AND (? = 'all' OR status = ?) AND (? IS NULL OR import_id = ?)
         ORDER BY created_at, rowid`,
      )
      .all(patientId, status, status, importId ?? null, importId ?? null) as ItemRow[];
    const out: ReconcileSectionView[] = [];
    for (const section of RECONCILE_SECTIONS) {
      const items = rows.filter((r) => r.section === section).map(toView);
      if (items.length > 0) out.push({ section, items });
    }
    return out;
  }

  imports(patientId: string): CcdaImportView[] {
    const rows = this.st
      .get(
        `SELECT i.*, (SELECT count(*) FROM reconcile_items r WHERE r.import_id = i.id AND r.status = 'pending' AND r.deleted_at IS NULL) AS pending
           FROM ccda_imports i WHERE i.patient_id = ? AND i.deleted_at IS NULL ORDER BY i.imported_at DESC, i.rowid DESC`,
      )
      .all(patientId) as (Record<string, string | number | null> & { pending: number })[];
    return rows.map((r) => ({
      id: String(r['id']),
      patientId: String(r['patient_id']),
      documentId: r['document_id'] === null ? null : String(r['document_id']),
      docType: String(r['doc_type']),
      title: String(r['title']),
      sourceName: String(r['source_name']),
      effectiveTime: r['effective_time'] === null ? null : String(r['effective_time']),
      mode: String(r['mode']),
      counts: JSON.parse(String(r['counts'])) as CcdaImportView['counts'],
      skipped: JSON.parse(String(r['skipped'])) as CcdaImportView['skipped'],
      importedAt: String(r['imported_at']),
      importedBy: String(r['created_by']),
      pending: r.pending,
    }));
  }

  /** Accepts or ignores the items (all of one chart), in one transaction: all are decided or none. */
  decide(itemIds: readonly string[], decision: 'accept' | 'ignore', actor: Actor): ReconcileItemView[] {
    const repos = this.repos;
    return repos.writer.write((at) => {
      const found = selectIn<ItemRow>(
        (sql) => this.st.get(sql),
        (marks) => `SELECT * FROM reconcile_items WHERE deleted_at IS NULL AND id IN (${marks})`,
        itemIds,
      );
      const byId = new Map(found.map((r) => [r.id, r]));
      const missing = itemIds.filter((id) => !byId.has(id));
      if (missing.length > 0) throw new CairnFailure('not_found', `no reconciliation item with id ${missing[0]!}`);
      const patients = new Set(found.map((r) => r.patient_id));
      if (patients.size > 1) throw new CairnFailure('invalid_input', 'decide the items of one chart at a time');
      const decided = found.find((r) => r.status !== 'pending');
      if (decided) throw new CairnFailure('conflict', `"${decided.summary}" was already ${decided.status}: reload the list`);
      const patientId = found[0]!.patient_id;
      const rows = new ChartRows(repos, actor, at, patientId, 'ccda.accept', at);
      const update = this.st.get(
        `UPDATE reconcile_items SET status = ?, decided_by = ?, decided_at = ?, chart_record = ?, updated_at = ?, updated_by = ?, version = version + 1
          WHERE id = ? RETURNING *`,
      );
      const ordered = itemIds.map((id) => byId.get(id)!);
      const changes = [...new Set(ordered)].map((item) => {
        let record: string | null = null;
        if (decision === 'accept' && item.match !== 'same') {
          const { draft } = JSON.parse(item.payload) as { draft: ChartDraft };
          const w = rows.write(draft);
          record = `${w.entity}:${w.id}`;
        }
        const row = update.get(decision === 'accept' ? 'accepted' : 'ignored', actor.userId, at, record, at, actor.userId, item.id) as StoredRow & ItemRow;
        return { id: item.id, row, patientId, action: `reconcile.${decision}`, detail: record ?? item.match };
      });
      rows.finish(`accepted from a C-CDA`);
      repos.writer.recordMany(at, 'reconcile_item', actor, changes);
      return changes.map((c) => toView(c.row));
    });
  }

  /** The section an item belongs to, as the C-CDA model names it (demographics items are not C-CDA entries). */
  static isCcdaSection(s: string): s is CcdaSection {
    return s !== 'demographics';
  }
}
