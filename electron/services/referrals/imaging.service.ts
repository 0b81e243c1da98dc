import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import { imagingOrderDetail, imagingProceduresFile, type ImagingOrder, type ImagingProcedure, type imagingOrderInput } from '../../../shared/domain/imaging';
import { labOrderStatus, labTest } from '../../../shared/domain/lab-orders';
import { displayName } from '../../../shared/domain/patient';
import { newId } from '../../common/ids';
import { imagingRequisitionPdf } from '../documents/imaging-requisition.pdf';
import type { LabOrdersService } from '../labs/orders';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Actor } from '../repos/writer';
import { checkedDiagnoses, diagnosesView, userName } from './coding';

interface OrderRow {
  id: string;
  patient_id: string;
  encounter_id: string | null;
  placer_number: string;
  tests: string;
  status: string;
  ordered_by: string | null;
  ordered_at: string;
  category: string;
  detail?: string | null;
  deleted_at: string | null;
  version: number;
}

/** The shipped study list (resources/imaging/imaging-procedures.json), validated once per session. */
export function loadImagingCatalog(repos: Repos): readonly ImagingProcedure[] {
  return repos.resources.derived('imaging-catalog', () => repos.resources.json('imaging/imaging-procedures.json', imagingProceduresFile).procedures);
}

/**
 * Imaging orders: a lab order of category 'imaging' (one placer-number counter with labs, so the
 * imaging center's ORU report finds its order as a lab's does), with the clinical indication,
 * priority and diagnoses in `lab_orders.detail`. A report closes the order: HL7 ORU through the
 * labs path, or a filed document attached here.
 */
export class ImagingService {
  constructor(
    private readonly repos: Repos,
    private readonly labOrders: LabOrdersService,
  ) {}

  private get sqlite(): Repos['store']['sqlite'] {
    return this.repos.store.sqlite;
  }

  /**
   * Important: the indication, priority and diagnoses need `lab_orders.detail` (asked of the
   * schema for issue #22). Without it an order would lose them, so ordering is refused instead.
   */
  private hasDetailColumn(): boolean {
    return this.repos.resources.derived('lab-orders-detail-column', () =>
      (this.sqlite.prepare('SELECT name FROM pragma_table_info(?)').all('lab_orders') as { name: string }[]).some((c) => c.name === 'detail'),
    );
  }

  private view(r: OrderRow): ImagingOrder {
    const catalog = loadImagingCatalog(this.repos);
    const tests = labTest.array().parse(JSON.parse(r.tests));
    const detail = r.detail ? imagingOrderDetail.safeParse(JSON.parse(r.detail)) : null;
    const d = detail?.success ? detail.data : null;
    const report = this.sqlite
      .prepare<[string], { id: string }>(
        `SELECT id FROM documents WHERE order_id = ? AND deleted_at IS NULL AND status = 'filed' ORDER BY filed_at DESC, id DESC LIMIT 1`,
      )
      .get(r.id);
    const results = this.sqlite
      .prepare<[string, string, string], { n: number }>(
        `SELECT count(*) AS n FROM observations WHERE deleted_at IS NULL AND patient_id = ? AND (order_id = ? OR lab_placer_number = ?)`,
      )
      .get(r.patient_id, r.id, r.placer_number)!.n;
    const status = labOrderStatus.parse(r.status);
    return {
      id: r.id,
      patientId: r.patient_id,
      encounterId: r.encounter_id,
      placerNumber: r.placer_number,
      studies: tests.map((t) => ({ ...t, modality: catalog.find((p) => p.loinc === t.loinc)?.modality ?? null })),
      indication: d?.indication ?? null,
      priority: d?.priority ?? null,
      diagnoses: diagnosesView(this.repos, d?.diagnoses ?? []),
      status,
      orderedBy: r.ordered_by,
      orderedByName: userName(this.repos, r.ordered_by),
      orderedAt: r.ordered_at,
      reported: report !== undefined || results > 0 || status === 'final' || status === 'partial',
      reportDocumentId: report?.id ?? null,
      version: r.version,
    };
  }

  private row(id: string): OrderRow {
    const r = this.sqlite.prepare<[string], OrderRow>('SELECT * FROM lab_orders WHERE id = ? AND deleted_at IS NULL').get(id);
    if (!r || r.category !== 'imaging') throw new CairnFailure('not_found', `no imaging order with id ${id}`);
    return r;
  }

  get(id: string): ImagingOrder {
    return this.view(this.row(id));
  }

  /** A chart's imaging orders, newest first. */
  list(patientId: string): ImagingOrder[] {
    return this.sqlite
      .prepare<[string], OrderRow>(
        `SELECT * FROM lab_orders WHERE patient_id = ? AND category = 'imaging' AND deleted_at IS NULL ORDER BY ordered_at DESC, id DESC`,
      )
      .all(patientId)
      .map((r) => this.view(r));
  }

  order(input: z.output<typeof imagingOrderInput>, actor: Actor): ImagingOrder {
    this.repos.patients.peek(input.patientId);
    if (input.encounterId !== undefined && this.repos.patients.ownerOf('encounter', input.encounterId) !== input.patientId) {
      throw new CairnFailure('invalid_input', 'that visit is not one of this patient’s', [{ path: 'encounterId', message: 'not a visit of this patient' }]);
    }
    const catalog = loadImagingCatalog(this.repos);
    const tests = [...new Set(input.loincCodes)].map((code, i) => {
      const p = catalog.find((c) => c.loinc === code);
      if (!p)
        throw new CairnFailure('invalid_input', `LOINC ${code} is not in the imaging list`, [{ path: `loincCodes.${i}`, message: 'not in the imaging list' }]);
      return { loinc: p.loinc, display: p.display };
    });
    const diagnoses = checkedDiagnoses(this.repos, input.diagnoses);
    if (!this.hasDetailColumn()) {
      throw new CairnFailure('conflict', 'this database cannot keep an imaging order’s indication yet (lab_orders.detail is missing): update Cairn');
    }
    return this.repos.writer.write((at) => {
      const id = newId();
      const placer = this.labOrders.nextPlacerNumber();
      const detail = JSON.stringify({ indication: input.indication, priority: input.priority, diagnoses });
      const row = this.sqlite
        .prepare(
          `INSERT INTO lab_orders (id, created_at, created_by, updated_at, updated_by, version, patient_id, encounter_id, placer_number, filler_number, tests, status, ordered_by, ordered_at, category, detail)
           VALUES (@id, @at, @by, @at, @by, 1, @patientId, @encounterId, @placer, NULL, @tests, 'ordered', @by, @at, 'imaging', @detail) RETURNING *`,
        )
        .get({
          id,
          at,
          by: actor.userId,
          patientId: input.patientId,
          encounterId: input.encounterId ?? null,
          placer,
          tests: JSON.stringify(tests),
          detail,
        }) as StoredRow;
      this.repos.writer.record(at, {
        action: 'imaging_order.create',
        actor,
        patientId: input.patientId,
        entity: 'lab_order',
        id,
        op: 'insert',
        payload: row,
        detail: `${placer} ${tests.map((t) => t.loinc).join(',')} ${input.priority}`,
      });
      return this.view(row as unknown as OrderRow);
    });
  }

  /**
   * Files a chart document as the order's report: the document names the order and the order is
   * final (a report means the study was done, as an ORU result does: see orderStatusFromResults).
   */
  attachReport(orderId: string, documentId: string, actor: Actor): ImagingOrder {
    return this.repos.writer.write((at) => {
      const order = this.row(orderId);
      if (order.status === 'cancelled')
        throw new CairnFailure('conflict', 'this imaging order was cancelled: file the report in the chart without attaching it to the order');
      const doc = this.sqlite
        .prepare<[string], { patient_id: string | null; status: string; order_id: string | null }>(
          'SELECT patient_id, status, order_id FROM documents WHERE id = ? AND deleted_at IS NULL',
        )
        .get(documentId);
      if (!doc)
        throw new CairnFailure('not_found', 'no such document: file the report in the chart first', [{ path: 'documentId', message: 'no such document' }]);
      if (doc.status !== 'filed' || doc.patient_id !== order.patient_id) {
        throw new CairnFailure('invalid_input', 'the report must be a document filed in this patient’s chart', [
          { path: 'documentId', message: 'not in this chart' },
        ]);
      }
      if (doc.order_id !== null && doc.order_id !== orderId) {
        throw new CairnFailure('conflict', 'this document is already the report of another order', [{ path: 'documentId', message: 'reports another order' }]);
      }
      if (doc.order_id !== orderId) {
        const docRow = this.sqlite
          .prepare('UPDATE documents SET order_id = @orderId, updated_at = @at, updated_by = @by, version = version + 1 WHERE id = @id RETURNING *')
          .get({ orderId, at, by: actor.userId, id: documentId }) as StoredRow;
        this.repos.writer.record(at, {
          action: 'document.order',
          actor,
          patientId: order.patient_id,
          entity: 'document',
          id: documentId,
          op: 'update',
          payload: docRow,
          detail: orderId,
        });
      }
      if (order.status !== 'final') {
        const row = this.sqlite
          .prepare(`UPDATE lab_orders SET status = 'final', updated_at = @at, updated_by = @by, version = version + 1 WHERE id = @id RETURNING *`)
          .get({ at, by: actor.userId, id: orderId }) as StoredRow;
        this.repos.writer.record(at, {
          action: 'imaging_order.report',
          actor,
          patientId: order.patient_id,
          entity: 'lab_order',
          id: orderId,
          op: 'update',
          payload: row,
          detail: `${order.status} -> final; document ${documentId}`,
        });
      }
      return this.get(orderId);
    });
  }

  /** The requisition the imaging center receives: patient, studies with codes, indication, diagnoses, priority, ordering physician. */
  async requisition(id: string, clinicName: string, now: Date): Promise<{ fileName: string; base64: string }> {
    const o = this.get(id);
    const p = this.repos.patients.peek(o.patientId);
    const catalog = loadImagingCatalog(this.repos);
    const npi = o.orderedBy ? this.repos.users.prescriberIds(o.orderedBy).npi : null;
    const bytes = await imagingRequisitionPdf({
      clinicName,
      patient: { name: displayName(p), birthDate: p.birthDate, sex: p.sex, mrn: p.mrn, phone: p.phone ?? null },
      provider: o.orderedByName ?? 'unknown',
      providerNpi: npi,
      orderedAt: o.orderedAt,
      placerNumber: o.placerNumber,
      priority: o.priority ?? 'routine',
      indication: o.indication ?? 'not recorded',
      diagnoses: o.diagnoses,
      studies: o.studies.map((s) => ({ ...s, preparation: catalog.find((c) => c.loinc === s.loinc)?.preparation ?? null })),
      printedAt: now.toISOString(),
    });
    const safe = o.placerNumber.replace(/[^A-Za-z0-9-]/g, '_');
    return { fileName: `imaging-requisition-${p.mrn}-${safe}.pdf`, base64: Buffer.from(bytes).toString('base64') };
  }
}
