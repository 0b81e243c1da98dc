import type Database from 'better-sqlite3';
import { and, asc, eq } from 'drizzle-orm';
import { newId } from '../../common/ids';
import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import type { MedAlert } from '../../../shared/domain/drugs';
import { checkNewAllergy, checkNewDrug, type CheckContext, type CheckResult } from '../../../shared/domain/med-checks';
import type { MedicationCourse, medicationAdd, medicationChange, prescribe, reconcile } from '../../../shared/domain/medications';
import { dosesPerDay, sig, sigText, type Sig } from '../../../shared/domain/sig';
import type { LoadedKnowledge } from '../drugs/knowledge';
import type { Orm } from '../db/open';
import { medicationEvents, medReconciliations, prescriptions, users } from '../db/schema';
import { created, type Actor, type ClinicalWriter } from './writer';
import { storedRow } from './stored-row';
import { applyOverrides } from './med-overrides';
import { medicationRequest } from '../pharmacy/medication-request';

export interface ActiveMedication {
  courseId: string;
  drugName: string;
  rxcui: string | null;
  dose: string | null;
  route: string | null;
  frequency: string | null;
  since: string;
  /** Structured directions as JSON when prescribed here (lets the checks count its dose). */
  sig?: string | null;
}

type EventRow = typeof medicationEvents.$inferSelect;
const WEIGHT_LOINC = '29463-7';

/** The dose a stored sig (JSON) describes, for adding an ingredient up across the list; null when there is none or it does not parse. */
function doseOf(stored: string | null): { amount: number; unit: Sig['doseUnit']; perDay: number | null } | null {
  if (!stored) return null;
  try {
    const s = sig.safeParse(JSON.parse(stored));
    return s.success ? { amount: s.data.doseAmount, unit: s.data.doseUnit, perDay: dosesPerDay(s.data) } : null;
  } catch {
    return null;
  }
}

/**
 * The medication list is derived from events (start, change, stop): a course is current while its
 * latest event is not a stop, and its history is always kept. Every start, change and
 * prescription runs the offline safety checks; a major or contraindicated alert needs a
 * clinician's override reason, which is stored and audited.
 */
export class MedicationsRepo {
  private readonly current: Database.Statement<[string], ActiveMedication>;
  private readonly latestWeight: Database.Statement<[string], { value: number; at: string }>;
  private readonly patientAge: Database.Statement<[string], { birthDate: string }>;
  private readonly activeAllergies: Database.Statement<[string], { substance: string | null; substanceCode: string | null; kind: string; status: string }>;

  constructor(
    sqlite: Database.Database,
    private readonly orm: Orm,
    private readonly writer: ClinicalWriter,
    private readonly drugs: () => LoadedKnowledge,
  ) {
    this.current = sqlite.prepare(
      `SELECT course_id AS courseId, drug_name AS drugName, rxcui, dose, route, frequency, since, sig FROM (
         SELECT *, row_number() OVER (PARTITION BY course_id ORDER BY effective_at DESC, created_at DESC, id DESC) AS rn,
                min(effective_at) OVER (PARTITION BY course_id) AS since
         FROM medication_events WHERE patient_id = ? AND deleted_at IS NULL)
       WHERE rn = 1 AND event != 'stop' ORDER BY drug_name`,
    );
    // Prepared once: the checks run on every keystroke of a prescription and must stay well under 2 ms.
    this.patientAge = sqlite.prepare('SELECT birth_date AS birthDate FROM patients WHERE id = ? AND deleted_at IS NULL');
    this.activeAllergies = sqlite.prepare(
      `SELECT substance, substance_code AS substanceCode, kind, status FROM allergies WHERE patient_id = ? AND status = 'active' AND deleted_at IS NULL`,
    );
    this.latestWeight = sqlite.prepare(
      `SELECT value_num AS value, effective_at AS at FROM observations
       WHERE patient_id = ? AND loinc = '${WEIGHT_LOINC}' AND deleted_at IS NULL ORDER BY effective_at DESC LIMIT 1`,
    );
  }

  active(patientId: string): ActiveMedication[] {
    return this.current.all(patientId).map(({ sig: _sig, ...m }) => m);
  }

  /** Every course with its events, active first. */
  history(patientId: string): MedicationCourse[] {
    const rows = this.orm
      .select({ e: medicationEvents, by: users.displayName })
      .from(medicationEvents)
      .leftJoin(users, eq(users.id, medicationEvents.createdBy))
      .where(eq(medicationEvents.patientId, patientId))
      .orderBy(asc(medicationEvents.effectiveAt), asc(medicationEvents.createdAt), asc(medicationEvents.id))
      .all();
    const courses = new Map<string, MedicationCourse>();
    for (const { e, by } of rows) {
      let c = courses.get(e.courseId);
      if (!c) {
        c = {
          courseId: e.courseId,
          patientId,
          rxcui: e.rxcui,
          drugName: e.drugName,
          uncoded: e.rxcui === null,
          status: 'active',
          dose: null,
          route: null,
          frequency: null,
          since: e.effectiveAt,
          events: [],
        };
        courses.set(e.courseId, c);
      }
      c.events.push({
        id: e.id,
        event: e.event,
        dose: e.dose,
        route: e.route,
        frequency: e.frequency,
        source: e.source,
        reason: e.reason,
        at: e.effectiveAt,
        by,
      });
      c.status = e.event === 'stop' ? 'stopped' : 'active';
      if (e.event !== 'stop') Object.assign(c, { dose: e.dose, route: e.route, frequency: e.frequency });
    }
    return [...courses.values()].sort((a, b) => (a.status === b.status ? a.drugName.localeCompare(b.drugName) : a.status === 'active' ? -1 : 1));
  }

  /** What the checks read: the current list, allergies, age and the latest weight. */
  context(patientId: string, today: string, exceptCourseId?: string): CheckContext & { index: LoadedKnowledge['index'] } {
    const p = this.patientAge.get(patientId);
    if (!p) throw new CairnFailure('not_found', `no patient with id ${patientId}`);
    const weight = this.latestWeight.get(patientId);
    const { knowledge, index } = this.drugs();
    return {
      knowledge,
      index,
      // Each listed drug with the dose it is taken at (from its sig), so an ingredient is added up across products;
      // a course being changed is left out (its new dose is the one checked).
      medications: this.current
        .all(patientId)
        .filter((m) => m.courseId !== exceptCourseId)
        .map((m) => ({ rxcui: m.rxcui, name: m.drugName, dose: doseOf(m.sig ?? null) })),
      allergies: this.activeAllergies.all(patientId).map((a) => ({ ...a, kind: a.kind === 'nka' ? ('nka' as const) : ('allergy' as const) })),
      patient: { birthDate: p.birthDate, today, weightKg: weight?.value ?? null, weightDate: weight?.at.slice(0, 10) ?? null },
    };
  }

  check(
    patientId: string,
    rxcui: string,
    today: string,
    dose?: { amount: number; unit: Sig['doseUnit']; perDay: number | null },
    exceptCourseId?: string,
  ): CheckResult {
    return checkNewDrug(this.context(patientId, today, exceptCourseId), rxcui, dose);
  }

  /** Alerts that a newly recorded allergy raises against the current list. */
  checkAllergy(patientId: string, substance: string, substanceCode: string | null, today: string): MedAlert[] {
    return checkNewAllergy(this.context(patientId, today), { substance, substanceCode });
  }

  private insertEvent(
    at: string,
    actor: Actor,
    e: Omit<typeof medicationEvents.$inferInsert, 'id' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>,
  ): EventRow {
    const row = this.orm
      .insert(medicationEvents)
      .values({ id: newId(), ...e, ...created(at, actor) })
      .returning()
      .get();
    this.writer.record(at, {
      action: `med.${e.event}`,
      actor,
      patientId: e.patientId,
      entity: 'medication_event',
      id: row.id,
      op: 'insert',
      payload: storedRow(medicationEvents, row),
      detail: `${e.drugName}${e.reason ? `: ${e.reason}` : ''}`,
    });
    return row;
  }

  private courseRow(courseId: string): EventRow {
    const last = this.orm
      .select()
      .from(medicationEvents)
      .where(eq(medicationEvents.courseId, courseId))
      .orderBy(asc(medicationEvents.effectiveAt), asc(medicationEvents.createdAt), asc(medicationEvents.id))
      .all()
      .at(-1);
    if (!last) throw new CairnFailure('not_found', `no medication with id ${courseId}`);
    if (last.event === 'stop') throw new CairnFailure('conflict', `${last.drugName} was already stopped`);
    return last;
  }

  /** Adds a medication the patient reports (or an import brings); free text is kept, marked uncoded. */
  add(input: z.output<typeof medicationAdd>, actor: Actor, today: string, context = 'add'): { course: MedicationCourse; alerts: MedAlert[] } {
    const drug = input.rxcui ? this.drugs().index.byRxcui.get(input.rxcui)?.drug : undefined;
    if (input.rxcui && !drug)
      throw new CairnFailure('invalid_input', `RXCUI ${input.rxcui} is not in Cairn's drug list: enter it by name to record it uncoded`, [
        { path: 'rxcui', message: 'unknown RXCUI' },
      ]);
    const alerts = drug ? this.check(input.patientId, drug.rxcui, today).alerts : [];
    const courseId = newId();
    this.writer.write((at) => {
      applyOverrides(this.orm, this.writer, at, actor, input.patientId, context, drug?.rxcui ?? null, courseId, alerts, input.overrides);
      this.insertEvent(at, actor, {
        patientId: input.patientId,
        courseId,
        event: 'start',
        rxcui: drug?.rxcui ?? null,
        drugName: drug?.name ?? input.name ?? '',
        dose: input.dose ?? null,
        route: input.route ?? drug?.route ?? null,
        frequency: input.frequency ?? null,
        source: input.source,
        effectiveAt: at,
        encounterId: input.encounterId ?? null,
      });
    });
    return { course: this.history(input.patientId).find((c) => c.courseId === courseId)!, alerts };
  }

  change(input: z.output<typeof medicationChange>, actor: Actor, today: string): MedicationCourse {
    const last = this.courseRow(input.courseId);
    const dose = input.sig && last.rxcui ? { amount: input.sig.doseAmount, unit: input.sig.doseUnit, perDay: dosesPerDay(input.sig) } : undefined;
    // The course's own drug is on the list: check the new dose against the others, not against itself.
    const alerts = last.rxcui && dose ? this.check(last.patientId, last.rxcui, today, dose, last.courseId).alerts.filter((a) => a.kind === 'dose') : [];
    this.writer.write((at) => {
      applyOverrides(this.orm, this.writer, at, actor, last.patientId, 'change', last.rxcui, last.courseId, alerts, input.overrides);
      this.insertEvent(at, actor, {
        patientId: last.patientId,
        courseId: last.courseId,
        event: 'change',
        rxcui: last.rxcui,
        drugName: last.drugName,
        dose: input.sig ? `${input.sig.doseAmount} ${input.sig.doseUnit}` : (input.dose ?? last.dose),
        route: input.sig?.route ?? last.route,
        frequency: input.sig?.frequency ?? last.frequency,
        sig: input.sig ? JSON.stringify(input.sig) : null,
        source: 'prescribed',
        reason: input.reason,
        effectiveAt: at,
      });
    });
    return this.history(last.patientId).find((c) => c.courseId === last.courseId)!;
  }

  stop(courseId: string, reason: string, actor: Actor): MedicationCourse {
    const last = this.courseRow(courseId);
    this.writer.write((at) => {
      this.insertEvent(at, actor, {
        patientId: last.patientId,
        courseId,
        event: 'stop',
        rxcui: last.rxcui,
        drugName: last.drugName,
        dose: last.dose,
        route: last.route,
        frequency: last.frequency,
        source: 'prescribed',
        reason,
        effectiveAt: at,
      });
    });
    return this.history(last.patientId).find((c) => c.courseId === courseId)!;
  }

  /** A signed prescription: the checks, the overrides, the MedicationRequest and the start event in one transaction. */
  prescribe(
    input: Omit<z.output<typeof prescribe>, 'password'>,
    actor: Actor & { name: string },
    today: string,
  ): { prescriptionId: string; courseId: string; alerts: MedAlert[] } {
    const drug = this.drugs().index.byRxcui.get(input.rxcui)?.drug;
    if (!drug) throw new CairnFailure('invalid_input', `RXCUI ${input.rxcui} is not in Cairn's drug list`, [{ path: 'rxcui', message: 'unknown RXCUI' }]);
    const alerts = this.check(input.patientId, drug.rxcui, today, {
      amount: input.sig.doseAmount,
      unit: input.sig.doseUnit,
      perDay: dosesPerDay(input.sig),
    }).alerts;
    const courseId = newId();
    const id = newId();
    this.writer.write((at) => {
      applyOverrides(this.orm, this.writer, at, actor, input.patientId, 'prescribe', drug.rxcui, courseId, alerts, input.overrides);
      const text = sigText(input.sig, drug.name, drug.strength);
      const request = medicationRequest({
        id,
        patientId: input.patientId,
        encounterId: input.encounterId ?? null,
        rxcui: drug.rxcui,
        drugName: drug.name,
        sig: input.sig,
        text,
        at,
        prescriber: actor,
      });
      const row = this.orm
        .insert(prescriptions)
        .values({
          id,
          patientId: input.patientId,
          encounterId: input.encounterId ?? null,
          courseId,
          rxcui: drug.rxcui,
          drugName: drug.name,
          sig: JSON.stringify(input.sig),
          status: 'active',
          prescriberId: actor.userId,
          signedAt: at,
          medicationRequest: JSON.stringify(request),
          transmission: 'printed',
          ...created(at, actor),
        })
        .returning()
        .get();
      this.writer.record(at, {
        action: 'med.prescribe',
        actor,
        patientId: input.patientId,
        entity: 'prescription',
        id,
        op: 'insert',
        payload: storedRow(prescriptions, row),
        detail: text,
      });
      this.insertEvent(at, actor, {
        patientId: input.patientId,
        courseId,
        event: 'start',
        rxcui: drug.rxcui,
        drugName: drug.name,
        dose: `${input.sig.doseAmount} ${input.sig.doseUnit}`,
        route: input.sig.route,
        frequency: input.sig.frequency,
        sig: JSON.stringify(input.sig),
        prescriptionId: id,
        encounterId: input.encounterId ?? null,
        source: 'prescribed',
        effectiveAt: at,
      });
    });
    return { prescriptionId: id, courseId, alerts };
  }

  prescription(id: string): typeof prescriptions.$inferSelect & { prescriber: string | null } {
    const row = this.orm
      .select({ p: prescriptions, prescriber: users.displayName })
      .from(prescriptions)
      .leftJoin(users, eq(users.id, prescriptions.prescriberId))
      .where(eq(prescriptions.id, id))
      .get();
    if (!row) throw new CairnFailure('not_found', `no prescription with id ${id}`);
    return { ...row.p, prescriber: row.prescriber };
  }

  /** Reconciliation at a visit: each current medication continued, changed or stopped, plus what the patient reports. */
  reconcile(input: z.output<typeof reconcile>, actor: Actor, today: string): { id: string; reconciledAt: string } {
    const active = new Map(this.active(input.patientId).map((m) => [m.courseId, m]));
    const unknown = input.items.find((i) => !active.has(i.courseId));
    if (unknown) throw new CairnFailure('invalid_input', `medication ${unknown.courseId} is not on the current list`);
    const missing = [...active.keys()].filter((c) => !input.items.some((i) => i.courseId === c));
    if (missing.length > 0)
      throw new CairnFailure(
        'invalid_input',
        `decide on every current medication before reconciling: ${missing.map((c) => active.get(c)!.drugName).join(', ')}`,
      );
    const index = this.drugs().index;
    const additionAlerts = input.additions.flatMap((a) => (a.rxcui && index.byRxcui.has(a.rxcui) ? this.check(input.patientId, a.rxcui, today).alerts : []));
    const id = newId();
    let reconciledAt = '';
    this.writer.write((at) => {
      reconciledAt = at;
      applyOverrides(this.orm, this.writer, at, actor, input.patientId, 'reconcile', null, null, additionAlerts, input.overrides);
      const items: { courseId: string; drugName: string; action: string; detail: string | null }[] = [];
      for (const item of input.items) {
        const m = active.get(item.courseId)!;
        const base = {
          patientId: input.patientId,
          courseId: m.courseId,
          rxcui: m.rxcui,
          drugName: m.drugName,
          route: m.route,
          frequency: m.frequency,
          source: 'prescribed',
          effectiveAt: at,
          encounterId: input.encounterId ?? null,
        };
        if (item.action === 'change') this.insertEvent(at, actor, { ...base, event: 'change', dose: item.dose, reason: item.reason });
        if (item.action === 'stop') this.insertEvent(at, actor, { ...base, event: 'stop', dose: m.dose, reason: item.reason });
        items.push({
          courseId: m.courseId,
          drugName: m.drugName,
          action: item.action,
          detail: item.action === 'change' ? `${item.dose}: ${item.reason}` : item.action === 'stop' ? item.reason : null,
        });
      }
      for (const a of input.additions) {
        const drug = a.rxcui ? index.byRxcui.get(a.rxcui)?.drug : undefined;
        const courseId = newId();
        const name = drug?.name ?? a.name ?? '';
        this.insertEvent(at, actor, {
          patientId: input.patientId,
          courseId,
          event: 'start',
          rxcui: drug?.rxcui ?? null,
          drugName: name,
          dose: a.dose ?? null,
          route: a.route ?? drug?.route ?? null,
          frequency: a.frequency ?? null,
          source: a.source,
          effectiveAt: at,
          encounterId: input.encounterId ?? null,
        });
        items.push({ courseId, drugName: name, action: 'added', detail: drug ? null : 'uncoded: no checks ran' });
      }
      const row = this.orm
        .insert(medReconciliations)
        .values({
          id,
          patientId: input.patientId,
          encounterId: input.encounterId ?? null,
          reconciledBy: actor.userId,
          reconciledAt: at,
          items: JSON.stringify(items),
          ...created(at, actor),
        })
        .returning()
        .get();
      this.writer.record(at, {
        action: 'med.reconcile',
        actor,
        patientId: input.patientId,
        entity: 'med_reconciliation',
        id,
        op: 'insert',
        payload: storedRow(medReconciliations, row),
        detail: `${items.length} medications`,
      });
    });
    return { id, reconciledAt };
  }

  lastReconciliation(
    patientId: string,
  ): { id: string; reconciledBy: string; reconciledAt: string; items: { courseId: string; drugName: string; action: string; detail: string | null }[] } | null {
    const row = this.orm
      .select({ r: medReconciliations, by: users.displayName })
      .from(medReconciliations)
      .leftJoin(users, eq(users.id, medReconciliations.reconciledBy))
      .where(and(eq(medReconciliations.patientId, patientId)))
      .orderBy(asc(medReconciliations.reconciledAt))
      .all()
      .at(-1);
    return row
      ? {
          id: row.r.id,
          reconciledBy: row.by ?? row.r.reconciledBy,
          reconciledAt: row.r.reconciledAt,
          items: JSON.parse(row.r.items) as { courseId: string; drugName: string; action: string; detail: string | null }[],
        }
      : null;
  }
}
