import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMllpListener } from '../../../electron/services/labs/mllp.listener';
import { DocumentStore } from '../../../electron/services/records/document-store';
import type { Patient } from '../../../shared/domain/patient';
import { frameMllp, get, parseMessageOrThrow } from '../../../shared/hl7';
import { pdfLines } from '../../helpers/pdf-text';
import { addOrder, addPatient, inbound, openInbound, type InboundDb } from './inbound.helpers';
import { exchange, fixture } from './labs.helpers';

interface DocRow {
  id: string;
  patient_id: string | null;
  status: string;
  category: string | null;
  title: string;
  document_date: string | null;
  source: string;
  mime_type: string;
  origin: string;
  origin_ref: string;
  order_id: string | null;
  note: string | null;
}

describe('MDM^T02 and imaging ORU reports become documents, through Hl7Ingest over an encrypted database', () => {
  let db: InboundDb;
  let grace: Patient;
  let harold: Patient;
  let docs: DocumentStore;
  const docsOf = (controlId: string): DocRow[] => db.rows<DocRow>(`SELECT * FROM documents WHERE origin_ref = ? ORDER BY created_at`, controlId);
  const text = (id: string): string[] => pdfLines(Buffer.from(docs.bytes(id)!));

  beforeAll(async () => {
    db = await openInbound('cairn-inbound-docs-');
    grace = addPatient(db.repos, 'grace');
    harold = addPatient(db.repos, 'harold');
    docs = new DocumentStore(db.repos);
  });
  afterAll(() => db.close());

  it('a v2.3 TX consultation: a filed consult letter on the matched chart, its escaped text read as the sender wrote it', async () => {
    const o = db.ingest.receive(inbound('MDM-T02-tx-v2.3.hl7'), 'file');
    expect(o).toMatchObject({ ack: 'AA', type: 'MDM^T02', patientId: grace.id, queued: false, duplicate: false });
    const [doc, ...more] = docsOf('MDM23-0001');
    expect(more).toEqual([]);
    expect(doc).toMatchObject({
      patient_id: grace.id,
      status: 'filed',
      category: 'consult_letter',
      title: 'Consultation',
      document_date: '2026-03-09',
      source: 'HL7 MDM from MERCY HOSPITAL',
      mime_type: 'application/pdf',
      origin: 'hl7',
      order_id: null,
    });
    const lines = text(doc!.id);
    expect(lines).toContain('Reason: palpitations & exertional dyspnea; BP 142/88.');
    expect(lines).toContain('Holter 24h: sinus rhythm, rare PVCs (| burden < 1%). Echo EF 60^65%.');
    expect(lines).toContain('Dr. L. Abernathy, Cardiology');
    // A real PDF: another reader opens it.
    expect((await PDFDocument.load(docs.bytes(doc!.id)!)).getPageCount()).toBe(1);
    // Row, audit and outbox together.
    expect(db.count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'document' AND entity_id = ?`, doc!.id)).toBe(1);
    expect(db.count(`SELECT count(*) AS n FROM audit_log WHERE action = 'document.added' AND record_id = ?`, doc!.id)).toBe(1);
  });

  it('a v2.5.1 FT discharge summary: formatting commands become lines; CRLF line ends are read', () => {
    const o = db.ingest.receive(inbound('MDM-T02-ft-v2.5.1.hl7'), 'file');
    expect(o).toMatchObject({ ack: 'AA', patientId: harold.id });
    const [doc] = docsOf('SMH-MDM-88231');
    expect(doc).toMatchObject({ category: 'outside_records', title: 'Discharge summary', document_date: '2026-04-02' });
    const lines = text(doc!.id);
    expect(lines).toContain('DISCHARGE SUMMARY');
    expect(lines).toContain('Admitted 03/29 for community-acquired pneumonia.');
    expect(lines).toContain('Follow-up: PCP within 7 days; repeat chest X-ray in 6 weeks.');
    expect(lines.some((l) => l.includes('\\'))).toBe(false);
  });

  it('an imaging report with its PDF in an ED: the PDF itself is the document, tied to the imaging order TXA-14 names', () => {
    const orderId = addOrder(db, grace.id, 'IMG-2026-0007^CAIRN', 'imaging');
    const o = db.ingest.receive(inbound('MDM-T02-pdf-v2.5.1.hl7'), 'file');
    expect(o).toMatchObject({ ack: 'AA', patientId: grace.id });
    const [doc] = docsOf('MIC-T02-40017');
    expect(doc).toMatchObject({ category: 'imaging_report', title: 'CT head without contrast', order_id: orderId, document_date: '2026-04-15' });
    expect(Buffer.from(docs.bytes(doc!.id)!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(text(doc!.id)).toContain('IMPRESSION: No acute intracranial abnormality.');
    // The report closes its order, as a report filed by hand does (ImagingService.attachReport): final, audited, synced.
    expect(db.row(`SELECT status, version FROM lab_orders WHERE id = ?`, orderId)).toEqual({ status: 'final', version: 2 });
    expect(db.count(`SELECT count(*) AS n FROM audit_log WHERE action = 'imaging_order.report' AND record_id = ?`, orderId)).toBe(1);
    expect(db.count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'lab_order' AND entity_id = ?`, orderId)).toBe(1);
    expect(get(parseMessageOrThrow(o.ackMessage), 'MSA-3')).toMatch(/imaging order IMG-2026-0007\^CAIRN resulted \(final\)$/);
  });

  it('a report for a cancelled imaging order is filed on the chart, not attached to it; a lab order it names keeps its status', () => {
    const cancelled = addOrder(db, grace.id, 'IMG-2026-0009^CAIRN', 'imaging');
    db.store.sqlite.prepare(`UPDATE lab_orders SET status = 'cancelled' WHERE id = ?`).run(cancelled);
    const raw = inbound('MDM-T02-pdf-v2.5.1.hl7').replace('MIC-T02-40017', 'MIC-T02-40018').replaceAll('IMG-2026-0007^CAIRN', 'IMG-2026-0009^CAIRN');
    const o = db.ingest.receive(raw, 'file');
    expect(o).toMatchObject({ ack: 'AA', patientId: grace.id });
    expect(docsOf('MIC-T02-40018')).toMatchObject([{ status: 'filed', category: 'imaging_report', order_id: null }]);
    expect(db.row(`SELECT status FROM lab_orders WHERE id = ?`, cancelled)).toEqual({ status: 'cancelled' });
    expect(get(parseMessageOrThrow(o.ackMessage), 'MSA-3')).toMatch(/was cancelled: the report is filed in the chart, not attached to it$/);

    const lab = addOrder(db, grace.id, 'LAB-2026-0010^CAIRN', 'lab');
    const forLab = inbound('MDM-T02-pdf-v2.5.1.hl7').replace('MIC-T02-40017', 'MIC-T02-40019').replaceAll('IMG-2026-0007^CAIRN', 'LAB-2026-0010^CAIRN');
    expect(db.ingest.receive(forLab, 'file')).toMatchObject({ ack: 'AA', patientId: grace.id });
    expect(docsOf('MIC-T02-40019')).toMatchObject([{ order_id: lab }]);
    expect(db.row(`SELECT status FROM lab_orders WHERE id = ?`, lab)).toEqual({ status: 'ordered' });
  });

  it('a patient no chart matches: an UNFILED document in the inbox (no patient), never a guess; AA', () => {
    const raw = inbound('MDM-T02-tx-v2.3.hl7').replace('MDM23-0001', 'MDM23-0002').replace('OKAFOR^GRACE^ADAEZE||19680423', 'OKAFOR^GRACE^ADAEZE||19680424');
    const o = db.ingest.receive(raw, 'file');
    expect(o).toMatchObject({ ack: 'AA', patientId: null, queued: true });
    expect(o.error).toBeUndefined();
    const [doc] = docsOf('MDM23-0002');
    expect(doc).toMatchObject({ patient_id: null, status: 'unfiled', category: null, source: 'HL7 MDM from MERCY HOSPITAL' });
    expect(doc!.note).toMatch(/^suggested category: consult_letter\nnot filed: no chart has/);
    expect(docs.inbox().map((d) => d.id)).toContain(doc!.id);
    const message = (): { status: string; patient_id: string | null } =>
      db.rows<{ status: string; patient_id: string | null }>(`SELECT status, patient_id FROM hl7_messages WHERE control_id = 'MDM23-0002'`)[0]!;
    expect(message()).toEqual({ status: 'queued', patient_id: null });
    // Staff file it into the chart they chose: the held message is processed and names that chart.
    db.repos.writer.write((at) =>
      docs.file(at, { userId: 'u-desk' }, doc!.id, { patientId: grace.id, category: 'consult_letter', title: 'Consult', documentDate: null }),
    );
    expect(message()).toEqual({ status: 'processed', patient_id: grace.id });
  });

  it('the existing MDM-T02-01 fixture (v2.8, an HD study reference and an ED sent empty) is processed: unfiled, nothing guessed', () => {
    const o = db.ingest.receive(fixture('MDM-T02-01.hl7'), 'file');
    expect(o).toMatchObject({ ack: 'AA', type: 'MDM^T02', queued: true, patientId: null });
    const [doc] = docsOf('PS1-20080131160038');
    expect(doc).toMatchObject({ status: 'unfiled', title: 'TransthoracicEcho', source: 'HL7 MDM from XYZHOSPITAL' });
    const lines = text(doc!.id);
    expect(lines).toContain('DICOM Study: 1.2.840.317.5947431.51');
    expect(lines).toContain('[OBX 2: an attachment (application/pdf) was announced but sent empty]');
  });

  it('malformed: no TXA, an ED that is not a PDF, no content at all: AE naming segment and field, nothing stored', () => {
    const before = db.count(`SELECT count(*) AS n FROM documents`);
    const noTxa = inbound('MDM-T02-tx-v2.3.hl7')
      .replace('MDM23-0001', 'BAD-1')
      .split('\n')
      .filter((l) => !l.startsWith('TXA'))
      .join('\n');
    const a = db.ingest.receive(noTxa, 'file');
    expect(a).toMatchObject({ ack: 'AE', error: 'TXA #1: the MDM message has no TXA segment (the document header)' });
    // A v2.3 ACK names the place in ERR-1 (ERR-2 from v2.5).
    expect(get(parseMessageOrThrow(a.ackMessage), 'ERR-1.1')).toBe('TXA');

    const notPdf = inbound('MDM-T02-pdf-v2.5.1.hl7')
      .replace('MIC-T02-40017', 'BAD-2')
      .replace(/Base64\^[^|]*/, `Base64^${Buffer.from('MZ this is an exe').toString('base64')}`);
    const b = db.ingest.receive(notPdf, 'file');
    expect(b).toMatchObject({ ack: 'AE' });
    expect(b.error).toBe('OBX #1 field 5: this file says it is a PDF but is not one: it does not begin with %PDF-');
    const err = parseMessageOrThrow(b.ackMessage);
    expect([get(err, 'ERR-2.1'), get(err, 'ERR-2.2'), get(err, 'ERR-2.3')]).toEqual(['OBX', '1', '5']);

    const empty = inbound('MDM-T02-tx-v2.3.hl7')
      .replace('MDM23-0001', 'BAD-3')
      .split('\n')
      .filter((l) => !l.startsWith('OBX'))
      .join('\n');
    expect(db.ingest.receive(empty, 'file')).toMatchObject({
      ack: 'AE',
      error: 'OBX #1 field 5: the MDM^T02 carries no document content (no OBX with text or an attachment)',
    });
    expect(db.count(`SELECT count(*) AS n FROM documents`)).toBe(before);
    expect(db.count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id IN ('BAD-1', 'BAD-2', 'BAD-3') AND status = 'error'`)).toBe(3);
  });

  it('a duplicate control id is acknowledged again, not filed twice', () => {
    const o = db.ingest.receive(inbound('MDM-T02-tx-v2.3.hl7'), 'again');
    expect(o).toMatchObject({ ack: 'AA', duplicate: true, patientId: grace.id });
    expect(docsOf('MDM23-0001')).toHaveLength(1);
  });

  it('an ORU^R01 for an IMAGING order with its PDF in an ED: the observations as today, plus an imaging_report document on the order', () => {
    const orderId = addOrder(db, grace.id, 'IMG-2026-0008^CAIRN', 'imaging');
    const o = db.ingest.receive(inbound('ORU-R01-imaging-pdf-v2.5.1.hl7'), 'file');
    expect(o).toMatchObject({ ack: 'AA', patientId: grace.id, results: 2 });
    expect(db.count(`SELECT count(*) AS n FROM observations WHERE order_id = ?`, orderId)).toBe(2);
    const [doc, ...more] = docsOf('MIC-R01-40101');
    expect(more).toEqual([]);
    expect(doc).toMatchObject({
      patient_id: grace.id,
      status: 'filed',
      category: 'imaging_report',
      order_id: orderId,
      title: 'XR chest 2 views',
      document_date: '2026-04-16',
    });
    expect(text(doc!.id)).toContain('EXAM: CT head without contrast');
    // The same message for a LAB order (or no order here) makes no document: text and ED stay observations.
    addOrder(db, harold.id, 'LAB-77^CAIRN', 'lab');
    const lab = inbound('ORU-R01-imaging-pdf-v2.5.1.hl7')
      .replace('MIC-R01-40101', 'MIC-R01-40102')
      .replaceAll('IMG-2026-0008^CAIRN', 'LAB-77^CAIRN')
      .replace(/^PID.*$/m, 'PID|1||MRN-77120^^^STMARY^MR||Bjornson^Harold^T^^Mr.||19441130|M');
    expect(db.ingest.receive(lab, 'file')).toMatchObject({ ack: 'AA', patientId: harold.id, results: 2 });
    expect(docsOf('MIC-R01-40102')).toEqual([]);
  });

  it('MDM over the MLLP listener on a real socket: AA back, the document filed', async () => {
    const listener = await startMllpListener(db.ingest, { port: 0 });
    try {
      const raw = inbound('MDM-T02-ft-v2.5.1.hl7').replace('SMH-MDM-88231', 'SMH-MDM-MLLP');
      const [ack] = await exchange(listener.port, 1, (socket) => socket.write(frameMllp(raw)));
      const m = parseMessageOrThrow(ack!.toString('utf8'));
      expect([get(m, 'MSA-1'), get(m, 'MSA-2')]).toEqual(['AA', 'SMH-MDM-MLLP']);
      expect(docsOf('SMH-MDM-MLLP')).toMatchObject([{ patient_id: harold.id, status: 'filed' }]);
    } finally {
      await listener.close();
    }
  });
});
