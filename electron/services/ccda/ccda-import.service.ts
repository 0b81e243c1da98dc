import type { CcdaImportResult } from '../../../shared/api/ccda.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { CcdaPatient, SectionCounts, Skipped } from '../../../shared/ccda/model';
import { newId } from '../../common/ids';
import { statementsFor } from '../db/statement-cache';
import { loadSnomedIcd10 } from '../fhir/import';
import { DocumentStore } from '../records/document-store';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Actor } from '../repos/writer';
import { ChartIndex } from './ccda-chart';
import { dayOf } from './ccda-drafts';
import { draftsOf, patientName, readDocument, sourceLabel, type ReadDocument } from './ccda-read';

/** Where a document's patient stands against a chart: what differs (empty: the same person as far as the header says). */
export function patientMismatch(p: CcdaPatient, chart: { givenName: string; familyName: string; birthDate: string; sex: string }): string[] {
  const out: string[] = [];
  const n = (s: string | undefined): string => (s ?? '').trim().toLowerCase();
  if (n(p.family) !== n(chart.familyName) || n(p.given[0]) !== n(chart.givenName))
    out.push(`name ${patientName(p) || 'not given'} (the chart: ${chart.givenName} ${chart.familyName})`);
  if (p.birthDate !== chart.birthDate) out.push(`birth date ${p.birthDate ?? 'not given'} (the chart: ${chart.birthDate})`);
  if (p.sex !== 'unknown' && p.sex !== chart.sex) out.push(`sex ${p.sex} (the chart: ${chart.sex})`);
  return out;
}

/** The ccda_imports row and its audit and sync entries, inside the caller's transaction. */
export function recordImport(
  repos: Repos,
  at: string,
  actor: Actor,
  r: { patientId: string; documentId: string; read: ReadDocument; mode: 'reconcile' | 'migration'; counts: SectionCounts; skipped: Skipped[] },
): string {
  const id = newId();
  const h = r.read.doc.header;
  const row = statementsFor(repos.store.sqlite)
    .get(
      `INSERT INTO ccda_imports (id, patient_id, document_id, doc_type, title, source_name, effective_time, mode, counts, skipped, imported_at,
         created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    )
    .get(
      id,
      r.patientId,
      r.documentId,
      h.docType,
      h.title || h.docType,
      h.sourceName || 'unnamed source',
      h.effectiveTime,
      r.mode,
      JSON.stringify(r.counts),
      JSON.stringify(r.skipped),
      at,
      at,
      actor.userId,
      at,
      actor.userId,
    ) as StoredRow;
  repos.writer.record(at, {
    action: `ccda.import.${r.mode}`,
    actor,
    patientId: r.patientId,
    entity: 'ccda_import',
    id,
    op: 'insert',
    payload: row,
    detail: `${h.docType} from ${h.sourceName}`,
  });
  return id;
}

/** Keeps the whole XML in the chart (category outside records), inside the caller's transaction. */
export function keepXml(repos: Repos, at: string, actor: Actor, patientId: string, read: ReadDocument, fileName: string): string {
  const h = read.doc.header;
  return new DocumentStore(repos).add(at, actor, {
    patientId,
    status: 'filed',
    category: 'outside_records',
    title: (h.title || `${h.docType} (C-CDA)`).slice(0, 200),
    documentDate: dayOf(h.effectiveTime),
    source: `C-CDA from ${h.sourceName || 'an unnamed source'} (${fileName})`.slice(0, 300),
    mimeType: 'application/xml',
    bytes: read.bytes,
    origin: 'ccda',
    originRef: read.key,
  }).id;
}

/**
 * C-CDA received for a chart (reconcile mode): the document is checked against the chart's
 * patient, kept whole, and each entry offered as a pending reconciliation item classified against
 * the chart, all in one transaction. Nothing is written into the chart itself until a clinician
 * accepts (ccda-reconcile.ts).
 */
export class CcdaImportService {
  constructor(private readonly repos: Repos) {}

  importForChart(input: { patientId: string; fileName: string; bytes: Uint8Array; confirmPatient: boolean }, actor: Actor): CcdaImportResult {
    const repos = this.repos;
    const chart = repos.patients.peek(input.patientId);
    const read = readDocument(input.bytes);
    const differs = patientMismatch(read.doc.header.patient!, chart);
    if (differs.length > 0 && !input.confirmPatient)
      throw new CairnFailure(
        'conflict',
        `this document is about ${patientName(read.doc.header.patient!)}, not this chart's patient: ${differs.join('; ')}. Filing someone else's record in this chart would be a safety error: check the document, and confirm only if it is this patient's`,
        [{ path: 'confirmPatient', message: differs.join('; ') }],
      );
    const label = sourceLabel(read.doc.header);
    const { drafted, skipped } = draftsOf(read.doc, {
      provenance: `imported from ${read.doc.header.sourceName || 'an outside record'}`,
      snomedToIcd10: loadSnomedIcd10(repos.resources),
    });
    const index = new ChartIndex(repos, input.patientId);
    const matches = { new: 0, same: 0, different: 0 };
    return repos.writer.write((at) => {
      const documentId = keepXml(repos, at, actor, input.patientId, read, input.fileName);
      const importId = recordImport(repos, at, actor, { patientId: input.patientId, documentId, read, mode: 'reconcile', counts: read.counts, skipped });
      const insert = statementsFor(repos.store.sqlite).get(
        `INSERT INTO reconcile_items (id, patient_id, import_id, source, source_label, section, match, match_type, match_id, summary, code_system, code,
           item_date, payload, status, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, 'ccda', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING *`,
      );
      const changes = drafted.map(({ section, index: i, draft }) => {
        const c = index.classify(section, draft);
        matches[c.match]++;
        const summary = c.differs ? `${draft.summary} — differs from the chart: ${c.differs}` : draft.summary;
        const id = newId();
        const row = insert.get(
          id,
          input.patientId,
          importId,
          label,
          section,
          c.match,
          c.matchType,
          c.matchId,
          summary.slice(0, 2000),
          draft.codeSystem,
          draft.code,
          draft.date,
          JSON.stringify({ entry: read.doc[section][i], draft }),
          at,
          actor.userId,
          at,
          actor.userId,
        ) as StoredRow;
        return { id, row, patientId: input.patientId, action: 'reconcile.offer' };
      });
      repos.writer.recordMany(at, 'reconcile_item', actor, changes);
      return { importId, documentId, counts: read.counts, skipped, matches };
    });
  }
}
