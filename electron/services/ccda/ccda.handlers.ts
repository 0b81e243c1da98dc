import type { ccdaChannels, CcdaDocumentView } from '../../../shared/api/ccda.contract';
import { CairnFailure } from '../../../shared/api/result';
import { readCcda } from '../../../shared/ccda';
import { writeCcda } from '../../../shared/ccda/write';
import { statementsFor } from '../db/statement-cache';
import type { AreaHandlers, HandlerContext } from '../handler-context';
import { DocumentStore } from '../records/document-store';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import { CcdaImportService } from './ccda-import.service';
import { patientName } from './ccda-read';
import { CcdaReconcile } from './ccda-reconcile';
import { chartToCcda } from './chart-snapshot';

/** A received C-CDA for the viewer: read again from the kept XML (the narrative is the document's own). */
export function viewDocument(repos: Repos, documentId: string, importId: string | null): CcdaDocumentView {
  const store = new DocumentStore(repos);
  const meta = store.require(documentId);
  if (meta.mimeType !== 'application/xml' || meta.origin !== 'ccda') throw new CairnFailure('invalid_input', `"${meta.title}" is not a C-CDA document`);
  const bytes = store.bytes(documentId);
  if (bytes === null) throw new CairnFailure('offline', `"${meta.title}" has not reached this device yet: connect to the clinic server and open it again`);
  const read = readCcda(bytes);
  if (!read.ok) throw new CairnFailure('invalid_input', `this C-CDA cannot be read: ${read.error.message}`);
  const h = read.value.header;
  return {
    importId,
    documentId,
    header: {
      docType: h.docType,
      title: h.title,
      effectiveTime: h.effectiveTime,
      sourceName: h.sourceName,
      author: h.author,
      patient: h.patient ? { name: patientName(h.patient), birthDate: h.patient.birthDate, sex: h.patient.sex } : null,
    },
    sections: read.value.sections.map((s) => ({ key: s.key, title: s.title, code: s.code, narrativeHtml: s.narrativeHtml })),
  };
}

/** The chart as a CCD (XML) and the patient's MRN (for the file name); audited as a disclosure of the chart. */
export function exportCcd(repos: Repos, patientId: string, actor: Actor, now: Date): { mrn: string; xml: string } {
  const snapshot = chartToCcda(repos, patientId, actor, now);
  const xml = writeCcda(snapshot);
  repos.writer.read('ccda.export.disclosure', actor, patientId, 'patient', patientId);
  return { mrn: snapshot.patient.mrn, xml };
}

/** The handlers of shared/api/ccda.contract.ts, one per channel. */
export function ccdaHandlers(ctx: HandlerContext): AreaHandlers<typeof ccdaChannels> {
  const { session, now, reading, today } = ctx;
  return {
    'ccda.import': (i, me) =>
      new CcdaImportService(session.repos).importForChart(
        { patientId: i.patientId, fileName: i.fileName, bytes: Buffer.from(i.dataBase64, 'base64'), confirmPatient: i.confirmPatient },
        me.actor,
      ),
    'ccda.imports': (i, me) => {
      session.repos.patients.peek(i.patientId);
      reading(me, 'ccda.imports.read', i.patientId);
      return new CcdaReconcile(session.repos).imports(i.patientId);
    },
    'ccda.items': (i, me) => {
      session.repos.patients.peek(i.patientId);
      reading(me, 'ccda.items.read', i.patientId);
      return new CcdaReconcile(session.repos).items(i.patientId, i.status, i.importId);
    },
    'ccda.decide': (i, me) => new CcdaReconcile(session.repos).decide(i.itemIds, i.decision, me.actor),
    'ccda.view': (i, me) => {
      const repos = session.repos;
      let documentId = i.documentId;
      let importId: string | null = null;
      if (i.importId !== undefined) {
        const row = statementsFor(repos.store.sqlite).get(`SELECT document_id FROM ccda_imports WHERE id = ?`).get(i.importId) as
          { document_id: string | null } | undefined;
        if (!row) throw new CairnFailure('not_found', `no C-CDA import with id ${i.importId}`);
        if (row.document_id === null) throw new CairnFailure('not_found', 'this import kept no document');
        documentId = row.document_id;
        importId = i.importId;
      }
      const view = viewDocument(repos, documentId!, importId);
      const owner = repos.patients.ownerOf('document', documentId!);
      if (owner) reading(me, 'ccda.view', owner);
      return view;
    },
    'ccda.export': (i, me) => {
      const { mrn, xml } = exportCcd(session.repos, i.patientId, me.actor, now());
      // Named by the clinic's day, as the person saving it reads the date.
      return { fileName: `ccd-${mrn}-${today()}.xml`, xml };
    },
  };
}
