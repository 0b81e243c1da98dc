import { and, asc, eq, isNull } from 'drizzle-orm';
import { newId } from '../../common/ids';
import { CairnFailure } from '../../../shared/api/result';
import {
  labOrderStatus,
  labTest,
  transitionProblem,
  type LabOrder,
  type LabOrderRequest,
  type LabOrderStatus,
  type LabTest,
} from '../../../shared/domain/lab-orders';
import { buildOrmO01 } from '../../../shared/domain/lab-order-message';
import { displayName } from '../../../shared/domain/patient';
import { hl7Timestamp, writeMessage } from '../../../shared/hl7';
import { labOrders } from '../db/schema';
import { labRequisitionPdf } from '../documents/lab-requisition.pdf';
import type { Repos } from '../repos';
import { storedRow } from '../repos/stored-row';
import { created, updated, type Actor } from '../repos/writer';
import type { LabOrderCatalog } from './order-catalog';

type Row = typeof labOrders.$inferSelect;

function toOrder(r: Row): LabOrder {
  return {
    id: r.id,
    patientId: r.patientId,
    encounterId: r.encounterId,
    placerNumber: r.placerNumber,
    fillerNumber: r.fillerNumber,
    tests: labTest.array().parse(JSON.parse(r.tests)),
    status: labOrderStatus.parse(r.status),
    orderedBy: r.orderedBy,
    orderedAt: r.orderedAt,
    version: r.version,
  };
}

/**
 * Lab orders on the device: written through the ClinicalWriter (row, audit and sync outbox in one
 * transaction), so they sync and are audited. Results find their order by the placer number kept
 * whole (see labs/oru.ts).
 */
export class LabOrdersService {
  constructor(
    private readonly repos: Repos,
    private readonly catalog: LabOrderCatalog,
  ) {}

  /** The tests an order asks for: order sets' orderable codes, then single codes, each once. */
  resolveTests(orderSetIds: readonly string[], loincCodes: readonly string[]): LabTest[] {
    const tests = new Map<string, LabTest>();
    for (const id of orderSetIds) {
      const set = this.catalog.orderSets.find((s) => s.id === id);
      if (!set) throw new CairnFailure('invalid_input', `no order set "${id}"`, [{ path: 'orderSetIds', message: `no order set "${id}"` }]);
      tests.set(set.orderable.loinc, set.orderable);
    }
    for (const loinc of loincCodes) {
      const display = this.catalog.loinc.get(loinc);
      if (display === undefined)
        throw new CairnFailure('invalid_input', `LOINC ${loinc} is not in the lab catalogue`, [
          { path: 'loincCodes', message: `LOINC ${loinc} is not in the lab catalogue` },
        ]);
      if (!tests.has(loinc)) tests.set(loinc, { loinc, display });
    }
    return [...tests.values()];
  }

  create(input: LabOrderRequest, actor: Actor): LabOrder {
    const { sqlite, orm } = this.repos.store;
    this.repos.patients.peek(input.patientId);
    if (input.encounterId !== undefined && this.repos.patients.ownerOf('encounter', input.encounterId) !== input.patientId) {
      throw new CairnFailure('invalid_input', 'that visit is not one of this patient’s', [{ path: 'encounterId', message: 'not a visit of this patient' }]);
    }
    const tests = this.resolveTests(input.orderSetIds, input.loincCodes);
    return this.repos.writer.write((at) => {
      const placer = input.placerNumber ?? this.nextPlacerNumber();
      if (sqlite.prepare('SELECT 1 FROM lab_orders WHERE placer_number = ?').get(placer) !== undefined) {
        throw new CairnFailure('conflict', `placer number ${placer} is already used by another order`);
      }
      const id = newId();
      const row = orm
        .insert(labOrders)
        .values({
          id,
          patientId: input.patientId,
          encounterId: input.encounterId ?? null,
          placerNumber: placer,
          fillerNumber: null,
          tests: JSON.stringify(tests),
          status: input.status,
          orderedBy: actor.userId,
          orderedAt: at,
          ...created(at, actor),
        })
        .returning()
        .get();
      const order = toOrder(row);
      this.repos.writer.record(at, {
        action: 'lab_order.create',
        actor,
        patientId: order.patientId,
        entity: 'lab_order',
        id,
        op: 'insert',
        payload: storedRow(labOrders, row),
        detail: `${placer} ${tests.map((t) => t.loinc).join(',')}`,
      });
      return order;
    });
  }

  /** A patient's lab orders, oldest first (imaging orders, category 'imaging', are listed by imaging.list). */
  list(patientId: string): LabOrder[] {
    const { orm } = this.repos.store;
    return orm
      .select()
      .from(labOrders)
      .where(and(eq(labOrders.patientId, patientId), eq(labOrders.category, 'lab'), isNull(labOrders.deletedAt)))
      .orderBy(asc(labOrders.orderedAt), asc(labOrders.id))
      .all()
      .map(toOrder);
  }

  get(id: string): LabOrder {
    const row = this.repos.store.orm.select().from(labOrders).where(eq(labOrders.id, id)).get();
    if (!row || row.deletedAt) throw new CairnFailure('not_found', `no lab order with id ${id}`);
    return toOrder(row);
  }

  /** Moves an order along draft → ordered → collected → partial → final (or cancelled); refuses anything else. */
  setStatus(id: string, status: LabOrderStatus, actor: Actor): LabOrder {
    return this.repos.writer.write((at) => {
      const current = this.get(id);
      const problem = transitionProblem(current.status, status);
      if (problem !== null) throw new CairnFailure('conflict', problem);
      const row = this.repos.store.orm
        .update(labOrders)
        .set({ status, ...updated(at, actor, current.version) })
        .where(eq(labOrders.id, id))
        .returning()
        .get();
      const order = toOrder(row);
      this.repos.writer.record(at, {
        action: 'lab_order.status',
        actor,
        patientId: order.patientId,
        entity: 'lab_order',
        id,
        op: 'update',
        payload: storedRow(labOrders, row),
        detail: `${current.status} -> ${status}`,
      });
      return order;
    });
  }

  /**
   * The next placer number of this device: `<last 8 hex digits of the device id>-<6-digit counter>`.
   * Important: devices order while apart, so the device part keeps two devices' numbers apart; the
   * counter lives in `meta` and never goes back, so a number is never reused. Runs inside the write
   * (imaging orders, services/referrals/imaging.service.ts, take theirs from the same counter).
   */
  nextPlacerNumber(): string {
    const sqlite = this.repos.store.sqlite;
    const prefix = this.repos.store.deviceId.replace(/-/g, '').slice(-8).toUpperCase();
    let n = Number((sqlite.prepare(`SELECT value FROM meta WHERE key = 'lab_placer_next'`).get() as { value: string } | undefined)?.value ?? 1);
    const taken = sqlite.prepare('SELECT 1 FROM lab_orders WHERE placer_number = ?');
    let placer: string;
    do placer = `${prefix}-${String(n++).padStart(6, '0')}`;
    while (taken.get(placer) !== undefined);
    sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('lab_placer_next', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(n));
    return placer;
  }

  /** The printable requisition: patient, provider, placer number and the tests with their LOINC codes. */
  async requisitionPdf(id: string, clinicName: string, now: Date): Promise<{ fileName: string; base64: string }> {
    const order = this.get(id);
    const patient = this.repos.patients.peek(order.patientId);
    const bytes = await labRequisitionPdf({
      clinicName,
      patient: { name: displayName(patient), birthDate: patient.birthDate, sex: patient.sex, mrn: patient.mrn },
      provider: this.providerName(order.orderedBy),
      orderedAt: order.orderedAt,
      placerNumber: order.placerNumber,
      status: order.status,
      tests: order.tests.map((t) => ({ ...t, specimen: this.catalog.orderSets.find((s) => s.orderable.loinc === t.loinc)?.specimen ?? null })),
      printedAt: now.toISOString(),
    });
    const safe = order.placerNumber.replace(/[^A-Za-z0-9-]/g, '_');
    return { fileName: `lab-requisition-${patient.mrn}-${safe}.pdf`, base64: Buffer.from(bytes).toString('base64') };
  }

  /** The ORM^O01 (v2.5.1) for the lab interface: NW for an order, CA once it is cancelled. */
  orderMessage(id: string, clinicName: string, now: Date): { placerNumber: string; controlId: string; message: string } {
    const order = this.get(id);
    if (order.status === 'draft') throw new CairnFailure('conflict', 'a draft order is not sent to the lab: mark it ordered first');
    const p = this.repos.patients.peek(order.patientId);
    const controlId = newId().replace(/-/g, '').slice(0, 20);
    const message = buildOrmO01({
      controlId,
      timestamp: hl7Timestamp(now.getTime()),
      clinicName,
      patient: { mrn: p.mrn, familyName: p.familyName, givenName: p.givenName, middleName: p.middleName, birthDate: p.birthDate, sex: p.sex },
      provider: { id: order.orderedBy ?? '', name: this.providerName(order.orderedBy) },
      placerNumber: order.placerNumber,
      tests: order.tests,
      control: order.status === 'cancelled' ? 'CA' : 'NW',
    });
    return { placerNumber: order.placerNumber, controlId, message: writeMessage(message) };
  }

  private providerName(userId: string | null): string {
    if (userId === null) return 'unknown';
    const row = this.repos.store.sqlite.prepare<[string], { name: string }>('SELECT display_name AS name FROM users WHERE id = ?').get(userId);
    return row?.name ?? 'unknown';
  }
}
