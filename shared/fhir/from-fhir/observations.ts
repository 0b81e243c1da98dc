import type { CodeableConcept, DiagnosticReport, Observation, Quantity } from '@medplum/fhirtypes';
import { toUcum, VITAL_KINDS, type VitalKind } from '../../domain/vitals';
import type { SourceKey } from '../bundle';
import { SYSTEMS, type Cell, type Draft, type Issues, type MapContext } from './context';
import { coding, ref, textOf, when } from './readers';

// Observation (vital signs, labs, social history) and DiagnosticReport mappers.

// ---------------------------------------------------------------- Observation

function categoryOf(o: { category?: CodeableConcept[] }): string {
  return o.category?.flatMap((c) => c.coding ?? []).find((c) => c.code)?.code ?? 'other';
}

const VITAL_BY_LOINC = new Map<string, VitalKind>(Object.entries(VITAL_KINDS).map(([k, v]) => [v.loinc, k as VitalKind]));

/** A quantity in the unit Cairn stores that vital in (converted when the kind allows the unit), else as given. */
function quantityCells(loinc: string, q: Quantity): { value_num: number | null; unit: string | null; entered_as: string | null } {
  const unit = q.code ?? q.unit ?? null;
  const value = typeof q.value === 'number' && Number.isFinite(q.value) ? q.value : null;
  const kind = VITAL_BY_LOINC.get(loinc);
  if (kind && value !== null && unit !== null && (VITAL_KINDS[kind].units as readonly string[]).includes(unit)) {
    // Same conversion and rounding as vitals typed in here.
    const stored = toUcum(kind, value, unit as never);
    // entered_as keeps a value given in another unit (lb, [degF]); rounding alone is not worth a note.
    return { value_num: stored, unit: VITAL_KINDS[kind].unit, entered_as: unit === VITAL_KINDS[kind].unit ? null : `${value} ${unit}` };
  }
  return { value_num: value, unit, entered_as: null };
}

interface ValueCarrier {
  code?: CodeableConcept;
  valueQuantity?: Quantity;
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
  valueDateTime?: string;
  interpretation?: CodeableConcept[];
  referenceRange?: { low?: Quantity; high?: Quantity; text?: string }[];
}

function valueCells(loinc: string, v: ValueCarrier): Record<string, Cell> {
  const range = v.referenceRange?.[0];
  const base: Record<string, Cell> = {
    value_num: null,
    value_text: null,
    unit: null,
    value_code: null,
    value_system: null,
    entered_as: null,
    ref_low: typeof range?.low?.value === 'number' ? range.low.value : null,
    ref_high: typeof range?.high?.value === 'number' ? range.high.value : null,
    ref_text: range?.text ?? null,
    interpretation: coding(v.interpretation?.[0])?.code ?? null,
  };
  if (v.valueQuantity) return { ...base, ...quantityCells(loinc, v.valueQuantity) };
  if (v.valueCodeableConcept) {
    const c = coding(v.valueCodeableConcept);
    return { ...base, value_text: textOf(v.valueCodeableConcept), value_code: c?.code ?? null, value_system: c?.system ?? null };
  }
  if (v.valueString !== undefined) return { ...base, value_text: v.valueString };
  if (v.valueBoolean !== undefined) return { ...base, value_text: String(v.valueBoolean) };
  if (v.valueInteger !== undefined) return { ...base, value_num: v.valueInteger };
  if (v.valueDateTime !== undefined) return { ...base, value_text: v.valueDateTime };
  return base;
}

function codeOf(cc: CodeableConcept | undefined): { loinc: string | null; display: string | null } {
  const c = coding(cc, SYSTEMS.loinc) ?? coding(cc);
  return { loinc: c?.code ?? null, display: textOf(cc) };
}

/** Observation → observation rows (a blood pressure panel becomes one row per component). */
export function mapObservation(o: Observation, issues: Issues, ctx: MapContext): Draft[] | string {
  if (o.status === 'entered-in-error' || o.status === 'cancelled') return `observation marked ${o.status} at the source`;
  const { loinc, display } = codeOf(o.code);
  if (!loinc) issues.add('code', 'the observation has no code');
  const effective =
    when(issues, 'effectiveDateTime', o.effectiveDateTime) ??
    when(issues, 'effectivePeriod.start', o.effectivePeriod?.start) ??
    when(issues, 'issued', o.issued);
  if (effective === null && issues.list.length === 0) issues.add('effectiveDateTime', 'the observation has no effective time (effective[x] or issued)');
  const category = categoryOf(o);
  const common: Record<string, Cell> = {
    patient_id: ref(ctx, o.subject),
    encounter_id: ref(ctx, o.encounter),
    category,
    status: o.status,
    effective_at: effective ?? '',
    order_id: null,
    supersedes_id: null,
  };
  const vitalSet = category === 'vital-signs' ? `${o.encounter?.reference ?? ''}|${effective ?? ''}` : undefined;
  const hasValue = Object.keys(o).some((k) => k.startsWith('value'));
  if (o.component?.length && !hasValue) {
    // A panel (blood pressure): one row per component, as vitals typed here are kept.
    return o.component.map((c, i) => {
      const code = codeOf(c.code);
      if (!code.loinc) issues.add(`component[${i}].code`, 'the component has no code');
      return {
        entity: 'observation',
        table: 'observations',
        key: `#${code.loinc ?? i}`,
        row: { ...common, loinc: code.loinc ?? '', display: code.display, ...valueCells(code.loinc ?? '', c) },
        ...(vitalSet !== undefined && { vitalSet }),
      };
    });
  }
  // Comments on the result (a lab's "specimen hemolyzed") are kept as the results views show them.
  const notes = (o.note ?? []).map((n) => n.text?.trim()).filter((t): t is string => !!t);
  const noted: Record<string, Cell> = notes.length > 0 ? { lab_notes: JSON.stringify(notes) } : {};
  return [
    {
      entity: 'observation',
      table: 'observations',
      key: '',
      row: { ...common, loinc: loinc ?? '', display, ...valueCells(loinc ?? '', o), ...noted },
      ...(vitalSet !== undefined && { vitalSet }),
    },
  ];
}

// ---------------------------------------------------------------- DiagnosticReport

/** DiagnosticReport → diagnostic report row, pointing at its results. */
export function mapDiagnosticReport(d: DiagnosticReport, issues: Issues, ctx: MapContext): Draft[] {
  const { loinc, display } = codeOf(d.code);
  if (!display) issues.add('code', 'the report has no code or text');
  const results = (d.result ?? []).map((r) => ctx.resolve(r.reference)).filter((k): k is SourceKey => k !== null);
  return [
    {
      entity: 'diagnostic_report',
      table: 'diagnostic_reports',
      key: '',
      row: {
        patient_id: ref(ctx, d.subject),
        encounter_id: ref(ctx, d.encounter),
        category: coding(d.category?.[0])?.code ?? null,
        loinc,
        display: display ?? '',
        status: d.status,
        effective_at: when(issues, 'effectiveDateTime', d.effectiveDateTime) ?? when(issues, 'effectivePeriod.start', d.effectivePeriod?.start),
        issued_at: when(issues, 'issued', d.issued),
        result_ids: { refs: results },
        conclusion: d.conclusion ?? null,
      },
    },
  ];
}
