import { wallTime } from '../../../shared/domain/dates';
import type { LabOrderDraft, OruDrafts } from '../../../shared/domain/lab-results';
import { readHeader } from '../../../shared/hl7';
import { statementsFor } from '../db/statement-cache';
import { DocumentStore } from '../records/document-store';
import type { HandlerContext } from './context';
import { decodeEd } from './ed-attachment';

/**
 * An imaging report sent as an ORU^R01 whose OBX carries the report as an ED (a PDF, or an image)
 * for an IMAGING order of this chart (lab_orders.category imaging, found by placer number as the
 * results are): besides its observation (kept as every result is), the attachment becomes a filed
 * document (category imaging_report, order_id set), so it syncs and the chart's viewer shows it.
 * Text reports (TX/FT) stay observations only. An ED whose bytes are not what it claims is left as
 * the observation's attachment, and the audit entry says why no document was made.
 * Runs inside storeResults' transaction; returns the ids of the documents made.
 */
export function fileImagingReports(ctx: HandlerContext, patientId: string, drafts: OruDrafts, orderIds: readonly (string | null)[]): string[] {
  const imaging = new Set<number>();
  const category = statementsFor(ctx.repos.store.sqlite).get(`SELECT category FROM lab_orders WHERE id = ?`);
  for (const [k, id] of orderIds.entries()) if (id !== null && (category.get(id) as { category: string } | undefined)?.category === 'imaging') imaging.add(k);
  if (imaging.size === 0) return [];
  const h = readHeader(ctx.message);
  const store = new DocumentStore(ctx.repos);
  const made: string[] = [];
  for (const r of drafts.results) {
    if (!r.attachment || !imaging.has(r.orderIndex)) continue;
    const order: LabOrderDraft = drafts.orders[r.orderIndex]!;
    const got = decodeEd(r.attachment, ctx.message.delimiters);
    if (got === null || 'problem' in got) {
      ctx.repos.audit.append(
        {
          action: 'labs.imaging_report',
          userId: ctx.actor.userId,
          patientId,
          recordType: 'hl7_message',
          recordId: ctx.messageId,
          detail: `OBX #${r.occurrence}: no document made: ${got === null ? 'the attachment was sent empty' : got.problem}`,
        },
        ctx.at,
      );
      continue;
    }
    const doc = store.add(ctx.at, ctx.actor, {
      patientId,
      status: 'filed',
      category: 'imaging_report',
      title: order.display || r.display || 'Imaging report',
      documentDate: wallTime(Date.parse(r.effectiveAt), ctx.timeZone).date,
      source: `HL7 ORU from ${h.sendingFacility || h.sendingApplication || 'an unnamed sender'}`,
      mimeType: got.mimeType,
      bytes: got.bytes,
      origin: 'hl7',
      originRef: h.controlId,
      orderId: orderIds[r.orderIndex]!,
    });
    made.push(doc.id);
  }
  return made;
}
