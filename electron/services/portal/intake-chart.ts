import { CairnFailure } from '../../../shared/api/result';
import { coverageInput } from '../../../shared/domain/billing/model';
import { addDays } from '../../../shared/domain/dates';
import type { SUBSTANCE_TYPES } from '../../../shared/domain/clinical';
import { INSTRUMENTS, scoreInstrument, type InstrumentAnswer } from '../../../shared/domain/instruments';
import { medicationAdd } from '../../../shared/domain/medications';
import { patientUpdate } from '../../../shared/domain/patient';
import type { ReportedKind } from '../../../shared/domain/portal';
import type { BillingService } from '../billing/billing.service';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import type { PortalRows } from './portal-rows';
import { addressText, readAllergies, readDemographic, readInsurance, readMedications, readScore } from './reported-values';

/** What a reviewer may add when accepting: the allergy's type, the insurance's payer from the directory. */
export interface AcceptOptions {
  substanceType?: (typeof SUBSTANCE_TYPES)[number] | undefined;
  payerId?: string | undefined;
}

export interface ItemRef {
  id: string;
  patientId: string;
  kind: ReportedKind;
  itemId: string;
  label: string;
  appointmentId: string | null;
  submittedAt: string;
}

/** LOINC codes of the instruments' total scores, as the patient reported them. */
export const SCORE_LOINC = {
  phq9: { loinc: '44261-6', display: 'PHQ-9 total score' },
  gad7: { loinc: '70274-6', display: 'GAD-7 total score' },
} as const;

const unreadable = (kind: string): CairnFailure =>
  new CairnFailure('invalid_input', `this ${kind} answer cannot be read as one: decline it (with the reason) and record it by hand`);
const same = (a: string | null | undefined, b: string | null | undefined): boolean => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/**
 * Where each kind of patient-reported item goes in the chart, through the chart's own repositories
 * (so the same rules, audit and sync apply as when staff type it): allergy → the allergy list;
 * medication → the medication list as patient-reported (or a reported stop of one listed);
 * demographics → the patient's phone, email or address (the previous value kept in the audit);
 * insurance → the primary coverage (confirmed, or ended and replaced); score → a survey observation;
 * answer → the visit's check-in record. Nothing already in the chart is changed without saying so.
 */
export class IntakeChart {
  constructor(
    private readonly repos: Repos,
    private readonly rows: PortalRows,
    private readonly billing: () => BillingService,
    private readonly now: () => Date,
  ) {}

  /** What the chart holds now for the same thing, in plain words (null: nothing to compare). */
  chartNow(patientId: string, kind: ReportedKind, itemId: string, value: unknown): string | null {
    switch (kind) {
      case 'demographics': {
        const d = readDemographic(itemId, value);
        if (!d) return null;
        const p = this.repos.patients.peek(patientId);
        if (d.field === 'address') return addressText(p.address) || 'no address on the chart';
        return p[d.field] ?? `no ${d.field} on the chart`;
      }
      case 'insurance': {
        const c = this.billing().coverage.inForce(patientId, 1, this.billing().today());
        return c ? `${c.payerName}, member ${c.memberId}${c.groupNumber ? `, group ${c.groupNumber}` : ''}` : 'no primary coverage on file';
      }
      case 'allergy': {
        const names = (readAllergies(value) ?? []).map((a) => a.substance);
        const listed = this.repos.allergies.list(patientId).filter((a) => a.status === 'active' && names.some((n) => same(n, a.substance)));
        return listed.length ? `already on the allergy list: ${listed.map((a) => a.substance).join(', ')}` : null;
      }
      case 'medication': {
        const names = (readMedications(value) ?? []).map((m) => m.name);
        const listed = this.activeCourses(patientId).filter((c) => names.some((n) => same(n, c.drugName)));
        return listed.length ? `on the medication list: ${listed.map((c) => [c.drugName, c.dose].filter((s) => s).join(' ')).join(', ')}` : null;
      }
      case 'score': {
        const s = readScore(value);
        if (!s) return null;
        const last = this.rows.get<{ value_num: number; effective_at: string }>(
          `SELECT value_num, effective_at FROM observations WHERE patient_id = ? AND loinc = ? AND deleted_at IS NULL AND status != 'entered-in-error' ORDER BY effective_at DESC LIMIT 1`,
          patientId,
          SCORE_LOINC[s.instrument].loinc,
        );
        return last ? `last ${INSTRUMENTS[s.instrument].shortName}: ${last.value_num} on ${last.effective_at.slice(0, 10)}` : null;
      }
      case 'answer':
        return null;
    }
  }

  private activeCourses(patientId: string): { courseId: string; drugName: string; dose: string | null }[] {
    return this.repos.medications.history(patientId).filter((c) => c.status === 'active');
  }

  /**
   * Inside writer.write: records the item in the chart. Returns the chart record (`entity:id`, null
   * when accepting changes nothing, e.g. a stop of a medication that is not listed) and what the
   * audit entry should say (the previous value of a changed field).
   */
  accept(at: string, item: ItemRef, value: unknown, o: AcceptOptions, actor: Actor): { record: string | null; detail: Record<string, unknown> } {
    switch (item.kind) {
      case 'allergy':
        return this.allergy(item, value, o, actor);
      case 'medication':
        return this.medication(item, value, actor);
      case 'demographics':
        return this.demographics(item, value, actor);
      case 'insurance':
        return this.insurance(at, item, value, o, actor);
      case 'score':
        return this.score(at, item, value, actor);
      case 'answer':
        return this.answer(at, item, value, actor);
    }
  }

  private allergy(item: ItemRef, value: unknown, o: AcceptOptions, actor: Actor): { record: string; detail: Record<string, unknown> } {
    const list = readAllergies(value);
    if (!list) throw unreadable('allergy');
    const ids = list.map(
      (a) =>
        this.repos.allergies.add(
          {
            kind: 'allergy',
            patientId: item.patientId,
            substance: a.substance,
            substanceType: o.substanceType ?? 'other',
            reactions: a.reaction ? [a.reaction] : [],
            criticality: 'unable_to_assess',
            note: 'Reported by the patient on the portal',
          },
          actor,
        ).id,
    );
    return { record: ids.map((id) => `allergy:${id}`).join(','), detail: {} };
  }

  private medication(item: ItemRef, value: unknown, actor: Actor): { record: string | null; detail: Record<string, unknown> } {
    const list = readMedications(value);
    if (!list) throw unreadable('medication');
    const today = this.billing().today();
    const records: string[] = [];
    const stopped: string[] = [];
    for (const m of list) {
      const listed = this.activeCourses(item.patientId).find((c) => same(c.drugName, m.name));
      if (m.stopped) {
        if (!listed) continue;
        this.repos.medications.stop(listed.courseId, 'the patient reports no longer taking it (portal intake form)', actor);
        records.push(`medication_course:${listed.courseId}`);
        stopped.push(listed.drugName);
        continue;
      }
      if (listed) {
        const dose = listed.dose ? ` (${listed.dose})` : '';
        throw new CairnFailure(
          'conflict',
          `${listed.drugName}${dose} is already on the medication list: change it there if the dose differs, and decline this item`,
        );
      }
      const input = medicationAdd.parse({
        patientId: item.patientId,
        name: m.name,
        ...(m.dose && { dose: m.dose }),
        ...(m.howOften && { frequency: m.howOften }),
        source: 'patient-reported',
      });
      records.push(`medication_course:${this.repos.medications.add(input, actor, today, 'portal intake').course.courseId}`);
    }
    return { record: records.length ? records.join(',') : null, detail: stopped.length ? { stopped } : {} };
  }

  private demographics(item: ItemRef, value: unknown, actor: Actor): { record: string | null; detail: Record<string, unknown> } {
    const d = readDemographic(item.itemId, value);
    if (!d) throw unreadable('phone, email or address');
    const p = this.repos.patients.peek(item.patientId);
    const previous = d.field === 'address' ? p.address : p[d.field];
    const next = d.field === 'address' ? { ...d.value, country: p.address.country ?? undefined } : d.value;
    const unchanged = d.field === 'address' ? addressText(p.address) === addressText(d.value) : same(p[d.field], d.value);
    if (unchanged) return { record: null, detail: { field: d.field, unchanged: true } };
    const parsed = patientUpdate.safeParse({ id: p.id, expectedVersion: p.version, [d.field]: next });
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? 'not valid';
      throw new CairnFailure('invalid_input', `the reported ${d.field} cannot go on the chart (${why}): decline it, or correct it on the chart by hand`);
    }
    this.repos.patients.update(parsed.data, actor);
    return { record: `patient:${p.id}`, detail: { field: d.field, previous: previous ?? null } };
  }

  private insurance(at: string, item: ItemRef, value: unknown, o: AcceptOptions, actor: Actor): { record: string; detail: Record<string, unknown> } {
    const ins = readInsurance(value);
    if (!ins) throw unreadable('insurance');
    const b = this.billing();
    const p = this.repos.patients.peek(item.patientId);
    if (ins.subscriberName && !same(ins.subscriberName, `${p.givenName} ${p.familyName}`))
      throw new CairnFailure(
        'invalid_input',
        `the subscriber is ${ins.subscriberName}, not the patient: add this coverage on the coverage form with the subscriber's birth date and sex, then decline this item`,
      );
    const payerRef = o.payerId ?? this.payerNamed(ins.payerName);
    const today = at.slice(0, 10);
    const current = b.coverage.inForce(item.patientId, 1, today);
    if (current && current.payerRef === payerRef && same(current.memberId, ins.memberId) && (!ins.groupNumber || same(current.groupNumber, ins.groupNumber))) {
      b.coverage.change(current.id, { confirm: true }, actor);
      return { record: `coverage:${current.id}`, detail: { confirmed: current.id } };
    }
    const parsed = coverageInput.safeParse({
      patientId: item.patientId,
      payerRef,
      rank: 'primary',
      memberId: ins.memberId,
      ...(ins.groupNumber && { groupNumber: ins.groupNumber }),
      relationship: 'self',
      effectiveFrom: today,
    });
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? 'not valid';
      throw new CairnFailure('invalid_input', `the reported insurance cannot be recorded (${why}): decline it, or enter it on the coverage form`);
    }
    const previous = current ? { coverageId: current.id, payer: current.payerName, memberId: current.memberId, groupNumber: current.groupNumber } : null;
    // The old primary ends yesterday (it covered visits until now); the new one starts today.
    if (current) b.coverage.change(current.id, { effectiveTo: addDays(today, -1) }, actor);
    const added = b.coverage.add(parsed.data, actor);
    return { record: `coverage:${added.id}`, detail: { previous } };
  }

  /** The directory's payer with exactly the reported name (case aside), else the reviewer must choose. */
  private payerNamed(name: string): string {
    const matches = this.billing()
      .payers.list()
      .filter((p) => same(p.name, name));
    if (matches.length === 1) return matches[0]!.id;
    throw new CairnFailure(
      'invalid_input',
      matches.length === 0
        ? `no payer named "${name}" in the directory: choose the payer (or add it first)`
        : `${matches.length} payers are named "${name}": choose which one`,
      [{ path: 'payerId', message: 'choose the payer from the directory' }],
    );
  }

  private score(at: string, item: ItemRef, value: unknown, actor: Actor): { record: string; detail: Record<string, unknown> } {
    const s = readScore(value);
    if (!s) throw unreadable('questionnaire');
    // Scored again here from the answers: the total on the chart is Cairn's, not what was sent.
    const scored = scoreInstrument(s.instrument, s.answers as InstrumentAnswer[]);
    if (!scored.complete || scored.score === null)
      throw new CairnFailure(
        'invalid_input',
        `this ${INSTRUMENTS[s.instrument].shortName} is incomplete: it cannot be scored (decline it and ask again at the visit)`,
      );
    const code = SCORE_LOINC[s.instrument];
    const encounterId = item.appointmentId
      ? (this.rows.get<{ encounter_id: string | null }>('SELECT encounter_id FROM appointments WHERE id = ?', item.appointmentId)?.encounter_id ?? null)
      : null;
    const stored = this.rows.insert(
      at,
      actor,
      'observation',
      {
        patient_id: item.patientId,
        encounter_id: encounterId,
        category: 'survey',
        loinc: code.loinc,
        display: code.display,
        value_num: scored.score,
        value_text: scored.severity,
        unit: '{score}',
        interpretation: scored.flags.length ? scored.flags.join('; ') : null,
        status: 'final',
        effective_at: item.submittedAt,
        entered_as: `patient-reported on the portal (${s.answers.join(',')})`,
      },
      item.patientId,
      'observation.record',
      `${code.display} ${scored.score} (patient-reported)`,
    );
    return { record: `observation:${String(stored['id'])}`, detail: { score: scored.score, reportedTotal: s.total } };
  }

  private answer(at: string, item: ItemRef, value: unknown, actor: Actor): { record: string | null; detail: Record<string, unknown> } {
    const a = item.appointmentId
      ? this.rows.get<{ id: string; check_in: string | null }>('SELECT id, check_in FROM appointments WHERE id = ? AND deleted_at IS NULL', item.appointmentId)
      : undefined;
    // Only a visit already checked in has a check-in record to add to (checking in writes the
    // checklist whole); otherwise the answer stays on the reviewed item itself.
    if (!a?.check_in) return { record: null, detail: { kept: 'reviewed item' } };
    const checkIn = JSON.parse(a.check_in) as Record<string, unknown>;
    const answers = Array.isArray(checkIn['portalAnswers']) ? (checkIn['portalAnswers'] as unknown[]) : [];
    answers.push({ itemId: item.id, question: item.label, answer: value, acceptedAt: at, acceptedBy: actor.userId });
    this.rows.update(
      at,
      actor,
      'appointment',
      a.id,
      { check_in: JSON.stringify({ ...checkIn, portalAnswers: answers }) },
      item.patientId,
      'appointment.check_in_answer',
    );
    return { record: `appointment:${a.id}`, detail: {} };
  }
}
