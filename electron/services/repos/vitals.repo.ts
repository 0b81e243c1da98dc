import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { newId } from '../../common/ids';
import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import type { ChartSummary, VitalObservation, VitalTrend } from '../../../shared/domain/chart';
import { displayValue } from '../../../shared/domain/display-units';
import { flagSeverity } from '../../../shared/domain/lab-review';
import { type TREND } from '../../../shared/domain/chart';
import { interpretVital, normalBand, normalizeVitals, VITAL_KINDS, type VitalKind, type vitalsInput } from '../../../shared/domain/vitals';
import type { Orm } from '../db/open';
import { encounters, observations, patients } from '../db/schema';
import { created, type Actor, type ClinicalWriter } from './writer';
import { storedRow } from './stored-row';
import type { GrowthAssessor } from '../growth/assessor';
import type { VitalAssessment } from '../../../shared/domain/growth-view';
import { VITAL_REFERENCES } from '../../../shared/domain/vitals/sources';

/** A child's heart and respiratory rate are flagged from Fleming 2011's centiles; the UI says whether those were verified. */
function rateReference(kind: string, birthDate: string, at: string): VitalAssessment['reference'] {
  if (kind !== 'heartRate' && kind !== 'respiratoryRate') return null;
  if (ageDays(birthDate, at.slice(0, 10)) >= Math.floor(18 * 365.25)) return null;
  const { name, verified, note } = VITAL_REFERENCES.fleming2011;
  return { name, verified, note };
}

type Row = typeof observations.$inferSelect;
interface ResultRow {
  id: string;
  loinc: string;
  display: string;
  valueNum: number | null;
  valueText: string | null;
  sent: string | null;
  unit: string | null;
  flag: string | null;
  at: string;
  acked: number;
}
const VITALS = 'vital-signs';
const byLoinc = new Map<string, VitalKind>(Object.entries(VITAL_KINDS).map(([kind, v]): [string, VitalKind] => [v.loinc, kind as VitalKind]));

/** The value as typed with its unit ("154 lb"), kept beside the UCUM value; null for computed BMI. */
function enteredAs(input: z.output<typeof vitalsInput>, kind: VitalKind): string | null {
  if (kind === 'bmi') return null;
  const value = input[kind];
  if (value === undefined) return null;
  const unit = kind === 'weight' || kind === 'height' || kind === 'temperature' || kind === 'headCircumference' ? input.units[kind] : VITAL_KINDS[kind].unit;
  return `${value} ${unit}`;
}

function ageDays(birthDate: string, on: string): number {
  return Math.floor((Date.parse(on) - Date.parse(birthDate)) / 86_400_000);
}

function toVital(r: Row): VitalObservation {
  const kind = byLoinc.get(r.loinc) ?? r.loinc;
  return {
    id: r.id,
    kind,
    loinc: r.loinc,
    display: r.display ?? kind,
    value: r.valueNum ?? 0,
    unit: r.unit ?? '',
    enteredAs: r.enteredAs,
    interpretation: r.interpretation,
    effectiveAt: r.effectiveAt,
    setId: r.setId,
    encounterId: r.encounterId,
  };
}

/**
 * Vital signs as observations in UCUM units. A set taken together shares a set id; the value as
 * typed is kept beside the converted one; each is flagged by the patient's age at the time.
 */
export class VitalsRepo {
  private readonly latestTwo: Database.Statement<[string, string], Row>;
  private readonly results: Database.Statement<[string, number], ResultRow>;
  private readonly patientRow: Database.Statement<[string], { id: string; sex: string; birthDate: string }>;

  constructor(
    sqlite: Database.Database,
    private readonly orm: Orm,
    private readonly writer: ClinicalWriter,
    private readonly growth: GrowthAssessor,
  ) {
    // Two indexed lookups per vital kind (patient, loinc, time DESC LIMIT 2) instead of ranking the
    // patient's whole history: a ten-year chart holds thousands of observations.
    this.latestTwo = sqlite.prepare(
      `SELECT id, loinc, display, value_num AS valueNum, unit, interpretation, effective_at AS effectiveAt, set_id AS setId
       FROM observations WHERE patient_id = ? AND loinc = ? AND category = '${VITALS}' AND deleted_at IS NULL AND status != 'entered-in-error'
       ORDER BY effective_at DESC LIMIT 2`,
    );
    this.patientRow = sqlite.prepare(`SELECT id, sex, birth_date AS birthDate FROM patients WHERE id = ?`);
    // Current results only (not replaced by a correction, not entered in error, not still awaiting a
    // value); a critical one nobody has acknowledged comes first whatever its age.
    this.results = sqlite.prepare(
      `SELECT o.id, o.loinc, coalesce(o.display, o.loinc) AS display, o.value_num AS valueNum, o.value_text AS valueText, o.entered_as AS sent, o.unit,
              o.interpretation AS flag, o.effective_at AS at,
              EXISTS (SELECT 1 FROM result_acknowledgements a WHERE a.observation_id = o.id AND a.deleted_at IS NULL) AS acked
       FROM observations o WHERE o.patient_id = ? AND o.category = 'laboratory' AND o.deleted_at IS NULL AND o.status NOT IN ('entered-in-error', 'registered')
         AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.supersedes_id = o.id AND n.deleted_at IS NULL)
       ORDER BY (o.interpretation IN ('HH', 'LL', 'AA') AND NOT acked) DESC, o.effective_at DESC LIMIT ?`,
    );
  }

  record(input: z.output<typeof vitalsInput> & { patientId: string; encounterId?: string }, actor: Actor): VitalObservation[] {
    const patient = this.orm
      .select({ id: patients.id, sex: patients.sex, birthDate: patients.birthDate, deletedAt: patients.deletedAt })
      .from(patients)
      .where(eq(patients.id, input.patientId))
      .get();
    if (!patient || patient.deletedAt) throw new CairnFailure('not_found', `no patient with id ${input.patientId}`);
    if (input.encounterId) {
      const e = this.orm.select({ patientId: encounters.patientId }).from(encounters).where(eq(encounters.id, input.encounterId)).get();
      if (!e || e.patientId !== input.patientId) throw new CairnFailure('invalid_input', 'that encounter does not belong to this patient');
    }
    const values = normalizeVitals(input);
    const age = ageDays(patient.birthDate, input.takenAt.slice(0, 10));
    const valueOf = (kind: VitalKind): number | null => values.find((v) => v.kind === kind)?.value ?? null;
    const [systolic, diastolic] = [valueOf('systolic'), valueOf('diastolic')];
    // Blood pressure is judged by category (AAP 2017 by height percentile for a child, the clinic's
    // guideline for an adult), not by the fixed band; low and critical flags still come from the band.
    const bp = systolic !== null && diastolic !== null ? this.growth.bpWithFlags(patient, input.takenAt, systolic, diastolic, valueOf('height')) : null;
    const stored = this.writer.write((at) => {
      const setId = newId();
      return values.map((v) => {
        let interp = interpretVital(v.kind, v.value, age);
        const component = v.kind === 'systolic' || v.kind === 'diastolic' ? bp?.[v.kind] : undefined;
        if (component && (interp.flag === 'N' || interp.flag === 'H')) interp = { ...interp, flag: component.high ? 'H' : 'N', high: component.threshold };
        const row = this.orm
          .insert(observations)
          .values({
            id: newId(),
            patientId: input.patientId,
            encounterId: input.encounterId ?? null,
            category: VITALS,
            loinc: v.loinc,
            display: VITAL_KINDS[v.kind].display,
            valueNum: v.value,
            unit: v.unit,
            refLow: interp.low,
            refHigh: interp.high,
            interpretation: interp.flag,
            status: 'final',
            effectiveAt: input.takenAt,
            setId,
            enteredAs: enteredAs(input, v.kind),
            ...created(at, actor),
          })
          .returning()
          .get();
        const o = toVital(row);
        this.writer.record(at, {
          action: 'vitals.record',
          actor,
          patientId: input.patientId,
          entity: 'observation',
          id: o.id,
          op: 'insert',
          payload: storedRow(observations, row),
          detail: v.kind,
        });
        return o;
      });
    });
    return this.assess(patient, stored, bp?.reading ?? null);
  }

  /** Adds growth percentiles (a child's weight, height, head, BMI) and the BP category (on the systolic) to stored vitals. */
  private assess(patient: { id: string; sex: string; birthDate: string }, vitals: VitalObservation[], bp?: VitalAssessment['bp']): VitalObservation[] {
    const growthKinds = new Set(['weight', 'height', 'headCircumference', 'bmi']);
    const history = vitals.some((v) => growthKinds.has(v.kind)) ? this.growth.history(patient).byObservation : new Map<string, never>();
    return vitals.map((v) => {
      let bpReading = v.kind === 'systolic' ? (bp ?? null) : null;
      if (v.kind === 'systolic' && bp === undefined) {
        const d = vitals.find((o) => o.kind === 'diastolic' && o.setId === v.setId);
        const h = vitals.find((o) => o.kind === 'height' && o.setId === v.setId);
        bpReading = d ? this.growth.bp(patient, v.effectiveAt, v.value, d.value, h?.value ?? null) : null;
      }
      const growth = history.get(v.id) ?? [];
      const reference = rateReference(v.kind, patient.birthDate, v.effectiveAt);
      return growth.length > 0 || bpReading || reference ? { ...v, assessment: { growth, bp: bpReading, reference } } : v;
    });
  }

  forEncounter(encounterId: string): VitalObservation[] {
    const rows = this.orm
      .select()
      .from(observations)
      .where(eq(observations.encounterId, encounterId))
      .all()
      .filter((r) => r.category === VITALS);
    const patient = rows[0] && this.patient(rows[0].patientId);
    return patient ? this.assess(patient, rows.map(toVital)) : rows.map(toVital);
  }

  private patient(id: string): { id: string; sex: string; birthDate: string } | undefined {
    return this.patientRow.get(id);
  }

  /** Each vital's series over time with the normal band for the patient's age today. */
  trends(patientId: string, birthDate: string, today: string): VitalTrend[] {
    const rows = this.orm
      .select()
      .from(observations)
      .where(eq(observations.patientId, patientId))
      .all()
      .filter((r) => r.category === VITALS && !r.deletedAt);
    const byKind = new Map<string, VitalTrend>();
    for (const r of rows.sort((a, b) => a.effectiveAt.localeCompare(b.effectiveAt))) {
      const v = toVital(r);
      let t = byKind.get(v.kind);
      if (!t) {
        const band = byLoinc.has(v.loinc) ? normalBand(v.kind as VitalKind, ageDays(birthDate, today)) : null;
        t = { kind: v.kind, display: v.display, unit: v.unit, points: [], band };
        byKind.set(v.kind, t);
      }
      t.points.push({ at: v.effectiveAt, value: v.value, flag: v.interpretation });
    }
    const order = Object.keys(VITAL_KINDS);
    return [...byKind.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  }

  /** The latest value of each vital with the one before it, for trend arrows on the face sheet. */
  latest(patientId: string): {
    kind: string;
    loinc: string;
    display: string;
    value: number;
    unit: string;
    flag: string | null;
    at: string;
    previous: number | null;
    trend: (typeof TREND)[number] | null;
    assessment?: VitalAssessment;
  }[] {
    const out = [];
    const latestIds = new Map<string, { id: string; setId: string | null }>();
    for (const [kind, info] of Object.entries(VITAL_KINDS)) {
      const [last, before] = this.latestTwo.all(patientId, info.loinc);
      if (!last) continue;
      latestIds.set(kind, { id: last.id, setId: last.setId });
      const value = last.valueNum ?? 0;
      const prev = before?.valueNum ?? null;
      const trend = prev === null ? null : Math.abs(value - prev) <= Math.abs(prev) * 0.02 ? 'steady' : value > prev ? 'up' : 'down';
      out.push({
        kind,
        loinc: info.loinc,
        display: last.display ?? info.display,
        value,
        unit: last.unit ?? info.unit,
        flag: last.interpretation,
        at: last.effectiveAt,
        previous: prev,
        trend,
      } as const);
    }
    return this.assessLatest(patientId, out, latestIds);
  }

  /** The face sheet's growth percentiles and BP category, for a child's latest measurements and anyone's latest BP. */
  private assessLatest<T extends { kind: string; value: number; at: string }>(
    patientId: string,
    latest: T[],
    ids: Map<string, { id: string; setId: string | null }>,
  ): (T & { assessment?: VitalAssessment })[] {
    const patient = this.patient(patientId);
    if (!patient || latest.length === 0) return latest;
    const asStored = latest.map((v) => ({ ...v, id: ids.get(v.kind)?.id ?? '', setId: ids.get(v.kind)?.setId ?? null, effectiveAt: v.at }));
    const sys = asStored.find((v) => v.kind === 'systolic');
    const dia = asStored.find((v) => v.kind === 'diastolic' && v.setId === sys?.setId);
    const height = asStored.find((v) => v.kind === 'height' && v.setId === sys?.setId);
    const bp = sys && dia ? this.growth.bp(patient, sys.at, sys.value, dia.value, height?.value ?? null) : null;
    const growthKinds = new Set(['weight', 'height', 'headCircumference', 'bmi']);
    const history =
      this.growth.charted(patient, latest[0]!.at.slice(0, 10)) && latest.some((v) => growthKinds.has(v.kind))
        ? this.growth.history(patient).byObservation
        : null;
    return latest.map((v) => {
      const growth = history?.get(ids.get(v.kind)?.id ?? '') ?? [];
      const bpReading = v.kind === 'systolic' ? bp : null;
      const reference = rateReference(v.kind, patient.birthDate, v.at);
      return growth.length > 0 || bpReading || reference ? { ...v, assessment: { growth, bp: bpReading, reference } } : v;
    });
  }

  /** The face sheet's results: values as read (display-units), critical unacknowledged ones first. */
  recentResults(patientId: string, limit: number): ChartSummary['recentResults'] {
    return this.results.all(patientId, limit).map((r) => ({
      id: r.id,
      loinc: r.loinc,
      display: r.display,
      value: displayValue({ loinc: r.loinc, value: r.valueNum, text: r.valueText, sent: r.sent }),
      unit: r.unit,
      flag: r.flag,
      severity: flagSeverity(r.flag),
      acknowledged: r.acked === 1,
      at: r.at,
    }));
  }
}
