import { wallTime } from '../../../shared/domain/dates';
import { hl7TimeToIso } from '../../../shared/domain/lab-results';
import type { DocumentCategory } from '../../../shared/domain/records';
import { field, get, type Hl7Delimiters, type Hl7Segment, readHeader, segment, segments, writeField } from '../../../shared/hl7';
import { statementsFor } from '../db/statement-cache';
import { DocumentStore } from '../records/document-store';
import type { StoredRow } from '../repos/stored-row';
import { auditMatch, type Decision, type HandlerContext } from './context';
import { decodeEd, type EdContent, formattedText } from './ed-attachment';
import { codedText, isDecision, patientFacts, refuse } from './inbound-common';
import { textReportPdf } from './text-report.pdf';

/**
 * MDM^T02 (a transcribed or imaging report, with its content): a document. On the chart the
 * message's PID matches (filed, category from TXA-2, tied to the order TXA-14/OBR-2 names when it is
 * one of that chart's, and an imaging order so named is closed: final, as a report filed by hand
 * closes it); otherwise an UNFILED document in the scan/fax inbox (no patient, source
 * "HL7 MDM from <facility>"), never attached to a guessed chart. The content is the first ED
 * attachment (a PDF or an image, checked by its bytes), else the report's text (TX, FT, ST… OBX
 * lines, formatting commands applied) written as a PDF, so the chart's viewer shows either.
 */

/** TXA-2 (table 0270) → the chart's document category. */
const CATEGORY: Record<string, DocumentCategory> = {
  DI: 'imaging_report',
  CD: 'imaging_report',
  SP: 'outside_lab',
  AR: 'outside_lab',
  CN: 'consult_letter',
  PC: 'consult_letter',
};
/** TXA-2 in words, a title when the message gives none. */
const TYPE_NAME: Record<string, string> = {
  AR: 'Autopsy report',
  CD: 'Cardiodiagnostics report',
  CN: 'Consultation',
  DI: 'Diagnostic imaging report',
  DS: 'Discharge summary',
  ED: 'Emergency department report',
  HP: 'History and physical',
  OP: 'Operative report',
  PC: 'Psychiatric consultation',
  PH: 'Psychiatric history',
  PN: 'Procedure note',
  PR: 'Progress note',
  SP: 'Surgical pathology report',
  TS: 'Transfer summary',
};
const TEXT_TYPES = new Set(['TX', 'FT', 'ST']);

type Attachment = EdContent;

/** ED data (OBX-5.5) decoded, or the AE naming the OBX. */
function readEd(obx: Hl7Segment, occurrence: number, d: Hl7Delimiters): Attachment | Decision | null {
  const got = decodeEd({ type: get(obx, '5.2'), subtype: get(obx, '5.3'), encoding: get(obx, '5.4'), data: get(obx, '5.5') }, d);
  if (got === null || !('problem' in got)) return got;
  return refuse(`OBX #${occurrence} field 5: ${got.problem}`, { segment: 'OBX', occurrence, field: 5, condition: got.condition });
}

/** What the message's OBX say: attachments, and the report's text lines. */
function readContent(ctx: HandlerContext): { attachments: Attachment[]; text: string[] } | Decision {
  const d = ctx.message.delimiters;
  const attachments: Attachment[] = [];
  const text: string[] = [];
  for (const [k, obx] of segments(ctx.message, 'OBX').entries()) {
    const occurrence = k + 1;
    const type = get(obx, '2').toUpperCase();
    if (type === 'ED') {
      const got = readEd(obx, occurrence, d);
      if (isDecision(got)) return got;
      if (got) attachments.push(got);
      else text.push(`[OBX ${occurrence}: an attachment (${get(obx, '5.2')}/${get(obx, '5.3')}) was announced but sent empty]`);
      continue;
    }
    // TX repeats for lines; FT carries its own line breaks.
    const values = field(obx, 5).map((rep) =>
      TEXT_TYPES.has(type)
        ? (rep[0]?.[0] ?? '')
        : rep
            .map((c) => c[0] ?? '')
            .filter(Boolean)
            .join(' '),
    );
    const value = values.map((v) => formattedText(v, d)).join('\n');
    if (value.trim() === '' && !TEXT_TYPES.has(type)) continue;
    text.push(TEXT_TYPES.has(type) ? value : `${codedText(obx, 3) || get(obx, '3.1')}: ${value}`);
  }
  return { attachments, text };
}

interface NamedOrder {
  id: string;
  category: string;
  status: string;
  placer: string;
}

/** The order of this chart TXA-14, OBR-2 or ORC-2 names (its placer number), if any. */
function orderFor(ctx: HandlerContext, patientId: string, txa: Hl7Segment): NamedOrder | null {
  const d = ctx.message.delimiters;
  const obr = segment(ctx.message, 'OBR');
  const orc = segment(ctx.message, 'ORC');
  const candidates = [writeField(field(txa, 14), d), obr ? writeField(field(obr, 2), d) : '', orc ? writeField(field(orc, 2), d) : ''].filter((c) => c !== '');
  const find = statementsFor(ctx.repos.store.sqlite).get(
    `SELECT id, category, status, placer_number AS placer FROM lab_orders WHERE placer_number = ? AND patient_id = ? AND deleted_at IS NULL`,
  );
  for (const placer of candidates) {
    const row = find.get(placer, patientId) as NamedOrder | undefined;
    if (row) return row;
  }
  return null;
}

/**
 * A filed report closes its imaging order, by the rule ImagingService.attachReport applies to a
 * report filed by hand (the order becomes final, audited as imaging_order.report), written here
 * inside the message's transaction. Returns what to say in the ACK.
 */
function closeImagingOrder(ctx: HandlerContext, patientId: string, order: NamedOrder, documentIds: readonly string[]): string {
  if (order.status === 'final') return `; imaging order ${order.placer} was already final`;
  const row = statementsFor(ctx.repos.store.sqlite)
    .get(`UPDATE lab_orders SET status = 'final', updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? RETURNING *`)
    .get(ctx.at, ctx.actor.userId, order.id) as StoredRow;
  ctx.repos.writer.record(ctx.at, {
    action: 'imaging_order.report',
    actor: ctx.actor,
    patientId,
    entity: 'lab_order',
    id: order.id,
    op: 'update',
    payload: row,
    detail: `${order.status} -> final; document ${documentIds.join(', ')} (MDM message ${ctx.messageId})`,
  });
  return `; imaging order ${order.placer} resulted (final)`;
}

export function handleMdm(ctx: HandlerContext): Decision {
  const txa = segment(ctx.message, 'TXA');
  if (!txa) return refuse('TXA #1: the MDM message has no TXA segment (the document header)', { segment: 'TXA' });
  const facts = patientFacts(ctx);
  if (isDecision(facts)) return facts;
  const content = readContent(ctx);
  if (isDecision(content)) return content;
  const h = readHeader(ctx.message);
  const obr = segment(ctx.message, 'OBR');
  const docType = get(txa, '2.1').toUpperCase();
  const title = (obr && codedText(obr, 4)) || TYPE_NAME[docType] || get(txa, '2.2') || 'Transcribed report';
  // A placeholder for an attachment sent empty is not content (the message must carry some).
  const substantive = content.text.filter((l) => !l.startsWith('[OBX ') && l.trim() !== '');
  if (content.attachments.length === 0 && substantive.length === 0)
    return refuse('OBX #1 field 5: the MDM^T02 carries no document content (no OBX with text or an attachment)', {
      segment: 'OBX',
      field: 5,
      condition: '101',
    });
  const when = get(txa, '4') || get(txa, '6') || (obr ? get(obr, '7') : '') || h.dateTime;
  const at = hl7TimeToIso(when, ctx.timeZone);
  const documentDate = at === null ? null : wallTime(Date.parse(at), ctx.timeZone).date;
  const facility = h.sendingFacility || h.sendingApplication || 'an unnamed sender';
  const source = `HL7 MDM from ${facility}`;
  const category = CATEGORY[docType] ?? 'outside_records';
  const bodyText = content.text.join('\n');
  const header = [
    `From: ${facility}${get(txa, '9.2') ? `; dictated by ${[get(txa, '9.3'), get(txa, '9.2')].filter(Boolean).join(' ')}` : ''}`,
    `Date: ${documentDate ?? 'not stated'}; status: ${get(txa, '17') || 'not stated'}; document ${get(txa, '12.1') || 'without a number'}`,
    '',
  ].join('\n');
  const docs: Attachment[] =
    content.attachments.length > 0 ? content.attachments : [{ bytes: textReportPdf(title, header + bodyText), mimeType: 'application/pdf' }];
  // The text beside an attachment is kept with it (the report's words are searchable and shown).
  const note = content.attachments.length > 0 && bodyText.trim() !== '' ? bodyText.slice(0, 4000) : null;

  const decision = ctx.matcher.match(facts);
  const store = new DocumentStore(ctx.repos);
  if (decision.kind !== 'matched') {
    auditMatch(ctx, null, `${decision.kind}: ${decision.reason}; kept as an unfiled document`);
    for (const doc of docs)
      store.add(ctx.at, ctx.actor, {
        patientId: null,
        status: 'unfiled',
        category: null,
        title,
        documentDate,
        source,
        ...doc,
        origin: 'hl7',
        originRef: h.controlId,
        note: [`suggested category: ${category}`, `not filed: ${decision.reason}`, note].filter(Boolean).join('\n'),
      });
    return {
      status: 'queued',
      ack: 'AA',
      text: `kept as an unfiled document in the inbox, not attached to any chart: ${decision.reason}`,
      patientId: null,
      results: 0,
    };
  }
  auditMatch(ctx, decision.patientId, `matched by ${decision.by}: ${decision.detail}`);
  const order = orderFor(ctx, decision.patientId, txa);
  // As attachReport refuses: a cancelled imaging order is not reopened by a report; it is filed on the chart alone.
  const cancelledImaging = order !== null && order.category === 'imaging' && order.status === 'cancelled';
  const orderId = order === null || cancelledImaging ? null : order.id;
  const ids = docs.map(
    (doc) =>
      store.add(ctx.at, ctx.actor, {
        patientId: decision.patientId,
        status: 'filed',
        category,
        title,
        documentDate,
        source,
        ...doc,
        origin: 'hl7',
        originRef: h.controlId,
        orderId,
        note,
      }).id,
  );
  const closed =
    order === null || order.category !== 'imaging'
      ? ''
      : cancelledImaging
        ? `; imaging order ${order.placer} was cancelled: the report is filed in the chart, not attached to it`
        : closeImagingOrder(ctx, decision.patientId, order, ids);
  return { status: 'processed', ack: 'AA', text: `filed as document ${ids.join(', ')} (${category})${closed}`, patientId: decision.patientId, results: 0 };
}
