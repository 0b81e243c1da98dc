import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import type { LabOrder, OrderSet } from '../../shared/domain/lab-orders';
import type { Patient } from '../../shared/domain/patient';
import { field, get, parseMessageOrThrow, segments, writeField } from '../../shared/hl7';
import { openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

describe('lab orders over a real encrypted database, through the dispatcher', () => {
  const t = tempDir('cairn-laborders-');
  let c: Clinic;
  let patient: Patient;
  let order: LabOrder;
  let compound: LabOrder;
  const count = (sql: string, ...p: unknown[]): number => (c.session.repos.store.sqlite.prepare(sql).get(...p) as { n: number }).n;

  beforeAll(async () => {
    c = await openClinic(t.dir);
    patient = await c.ok<Patient>('patients.create', { givenName: 'Ana', familyName: 'Lima', birthDate: '1970-06-15', sex: 'female' });
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('lists the order sets', async () => {
    const sets = await c.ok<OrderSet[]>('labs.orderSets');
    expect(sets.map((s) => s.id)).toEqual(expect.arrayContaining(['cbc', 'cmp', 'bmp', 'lipid', 'hba1c', 'tsh', 'urinalysis']));
  });

  it('orders a CBC and a lipid panel with a placer number of this device, and lists it', async () => {
    order = await c.ok<LabOrder>('labs.order', { patientId: patient.id, orderSetIds: ['cbc', 'lipid'] });
    expect(order).toMatchObject({ patientId: patient.id, status: 'ordered', fillerNumber: null, version: 1 });
    expect(order.tests.map((x) => x.loinc)).toEqual(['58410-2', '24331-1']);
    expect(order.placerNumber).toMatch(/^[0-9A-F]{8}-000001$/);
    const second = await c.ok<LabOrder>('labs.order', { patientId: patient.id, loincCodes: ['4548-4'], status: 'draft' });
    expect(second.placerNumber).toMatch(/-000002$/);
    expect(second.tests).toEqual([{ loinc: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' }]);
    const list = await c.ok<LabOrder[]>('labs.orders', { patientId: patient.id });
    expect(list.map((o) => o.id)).toEqual([order.id, second.id]);
    expect(await c.call('labs.order', { patientId: patient.id, loincCodes: ['58410-2'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'LOINC 58410-2 is not in the lab catalogue' },
    });
    expect(await c.call('labs.order', { patientId: patient.id, orderSetIds: ['nope'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('keeps a caller-given compound placer number whole and refuses reusing it', async () => {
    compound = await c.ok<LabOrder>('labs.order', { patientId: patient.id, orderSetIds: ['cmp'], placerNumber: '123^LAB' });
    expect(compound.placerNumber).toBe('123^LAB');
    expect(await c.call('labs.order', { patientId: patient.id, orderSetIds: ['tsh'], placerNumber: '123^LAB' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'placer number 123^LAB is already used by another order' },
    });
  });

  it('moves the status along and refuses an illegal change with a clear message', async () => {
    const collected = await c.ok<LabOrder>('labs.orderStatus', { id: order.id, status: 'collected' });
    expect(collected).toMatchObject({ status: 'collected', version: 2 });
    const bad = await c.call('labs.orderStatus', { id: order.id, status: 'draft' });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'an order that is collected cannot become draft (it may become partial or final or cancelled)' },
    });
    expect(await c.ok<LabOrder>('labs.orderStatus', { id: order.id, status: 'partial' })).toMatchObject({ status: 'partial' });
    expect(await c.ok<LabOrder>('labs.orderStatus', { id: order.id, status: 'final' })).toMatchObject({ status: 'final', version: 4 });
    expect(await c.call('labs.orderStatus', { id: order.id, status: 'cancelled' })).toMatchObject({
      ok: false,
      error: { message: 'the order is final: its status can no longer change' },
    });
  });

  it('prints a requisition PDF that pdf-lib can read, naming the placer number', async () => {
    const pdf = await c.ok<{ fileName: string; base64: string }>('labs.requisitionPdf', { id: compound.id });
    const bytes = Buffer.from(pdf.base64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe('Lab requisition 123^LAB - Lima, Ana');
    expect(doc.getSubject()).toBe('Placer order number 123^LAB');
    expect(pdf.fileName).toBe(`lab-requisition-${patient.mrn}-123_LAB.pdf`);
  });

  it('writes an ORM^O01 our parser reads: ORC-2 the placer number whole, one OBR per test with its LOINC', async () => {
    const out = await c.ok<{ placerNumber: string; message: string }>('labs.orderMessage', { id: compound.id });
    const m = parseMessageOrThrow(out.message);
    expect([get(m, 'MSH-9.1'), get(m, 'MSH-9.2'), get(m, 'MSH-12'), get(m, 'PID-3.1'), get(m, 'ORC-1')]).toEqual(['ORM', 'O01', '2.5.1', patient.mrn, 'NW']);
    expect(writeField(field(segments(m, 'ORC')[0]!, 2), m.delimiters)).toBe('123^LAB');
    expect(get(m, 'ORC-2.2')).toBe('LAB');
    expect(segments(m, 'OBR').map((s) => [writeField(field(s, 2), m.delimiters), get(s, '4.1'), get(s, '4.3')])).toEqual([['123^LAB', '24323-8', 'LN']]);
    const two = parseMessageOrThrow((await c.ok<{ message: string }>('labs.orderMessage', { id: order.id })).message);
    expect(segments(two, 'OBR').map((s) => get(s, '4.1'))).toEqual(['58410-2', '24331-1']);
  });

  it('moves the order to partial when preliminary results arrive', () => {
    const oru = [
      'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20261126091500+0000||ORU^R01^ORU_R01|ORD-0|P|2.5.1',
      `PID|1||${patient.mrn}^^^^MR||Lima^Ana||19700615|F`,
      'OBR|1|123^LAB|F-77^ACME|24323-8^CMP^LN|||20261126080000+0000||||||||||||||||P',
      'OBX|1|NM|2345-7^Glucose^LN||97|mg/dL|70-99|N|||P',
    ].join('\r');
    expect(new Hl7Ingest(c.session.repos).receive(oru, 'ord-0.hl7')).toMatchObject({ ack: 'AA', patientId: patient.id, results: 1 });
    expect(c.session.repos.store.sqlite.prepare('SELECT status FROM lab_orders WHERE id = ?').get(compound.id)).toEqual({ status: 'partial' });
  });

  it('links an ORU whose OBR-2 carries the compound placer number to the order, and the final report makes the order final', () => {
    const oru = [
      'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20261126101500+0000||ORU^R01^ORU_R01|ORD-1|P|2.5.1',
      `PID|1||${patient.mrn}^^^^MR||Lima^Ana||19700615|F`,
      'OBR|1|123^LAB|F-77^ACME|24323-8^CMP^LN|||20261126080000+0000',
      'OBX|1|NM|2345-7^Glucose^LN||95|mg/dL|70-99|N|||F',
      'OBX|2|NM|2160-0^Creatinine^LN||0.9|mg/dL|0.6-1.2|N|||F',
    ].join('\r');
    const r = new Hl7Ingest(c.session.repos).receive(oru, 'ord-1.hl7');
    expect(r).toMatchObject({ ack: 'AA', patientId: patient.id, results: 2 });
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ? AND order_id = ?`, patient.id, compound.id)).toBe(3);
    // The final glucose supersedes the preliminary one; the order is final (the lab's report, audited as such).
    expect(count(`SELECT count(*) AS n FROM observations WHERE order_id = ? AND supersedes_id IS NOT NULL`, compound.id)).toBe(1);
    expect(c.session.repos.store.sqlite.prepare('SELECT status FROM lab_orders WHERE id = ?').get(compound.id)).toEqual({ status: 'final' });
    expect(
      count(
        `SELECT count(*) AS n FROM audit_log WHERE action = 'lab_order.status' AND record_id = ? AND detail LIKE 'partial -> final (results in message %'`,
        compound.id,
      ),
    ).toBe(1);
  });

  it('leaves a cancelled order cancelled when results arrive for it anyway', async () => {
    const cancelled = await c.ok<LabOrder>('labs.order', { patientId: patient.id, orderSetIds: ['tsh'], placerNumber: 'CX-1' });
    await c.ok('labs.orderStatus', { id: cancelled.id, status: 'cancelled' });
    const oru = [
      'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20261126111500+0000||ORU^R01^ORU_R01|ORD-2|P|2.5.1',
      `PID|1||${patient.mrn}^^^^MR||Lima^Ana||19700615|F`,
      'OBR|1|CX-1|F-78^ACME|3016-3^TSH^LN|||20261126080000+0000||||||||||||||||F',
      'OBX|1|NM|3016-3^TSH^LN||2.1|m[IU]/L|0.4-4.0|N|||F',
    ].join('\r');
    expect(new Hl7Ingest(c.session.repos).receive(oru, 'ord-2.hl7')).toMatchObject({ ack: 'AA', results: 1 });
    expect(c.session.repos.store.sqlite.prepare('SELECT status FROM lab_orders WHERE id = ?').get(cancelled.id)).toEqual({ status: 'cancelled' });
    expect(count(`SELECT count(*) AS n FROM observations WHERE order_id = ?`, cancelled.id)).toBe(1);
  });

  it('puts every order change in the sync outbox and the audit log', () => {
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'lab_order' AND entity_id = ? AND op = 'insert'`, order.id)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'lab_order' AND entity_id = ? AND op = 'update'`, order.id)).toBe(3);
    // Created, then moved to partial and to final by the lab's results.
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'lab_order' AND entity_id = ?`, compound.id)).toBe(3);
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'lab_order.create' AND patient_id = ?`, patient.id)).toBe(4);
    // One audit entry per result message (naming its tests), not one per result.
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'labs.results' AND patient_id = ?`, patient.id)).toBe(3);
    // That one entry also records the message's receipt and match, and names each result it stored.
    const { detail, messageId } = c.session.repos.store.sqlite
      .prepare(`SELECT detail, record_id AS messageId FROM audit_log WHERE action = 'labs.results' ORDER BY seq LIMIT 1 OFFSET 1`)
      .get() as { detail: string; messageId: string };
    const ids = (
      c.session.repos.store.sqlite.prepare('SELECT id FROM observations WHERE lab_message_id = ? ORDER BY rowid').all(messageId) as { id: string }[]
    ).map((r) => r.id);
    expect(ids).toHaveLength(2);
    expect(detail).toBe(
      `2 results stored: 2345-7 F, 2160-0 F; received ORU^R01 ORD-1 from ord-1.hl7; matched by mrn: MRN ${patient.mrn}; result ids ${ids.join(', ')}`,
    );
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action IN ('hl7.receive', 'hl7.match') AND record_id = ?`, messageId)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'lab_order.status' AND record_id = ?`, order.id)).toBe(3);
  });
});
