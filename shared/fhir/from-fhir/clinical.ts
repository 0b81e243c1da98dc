import type { AllergyIntolerance, CarePlan, Condition, Procedure } from '@medplum/fhirtypes';
import type { SourceKey } from '../bundle';
import { SYSTEMS, type Draft, type Issues, type MapContext } from './context';
import { annotationText, coding, dateOnly, ref, textOf, when } from './readers';

// Problem list and history mappers: Condition, AllergyIntolerance, Procedure, CarePlan.

// ---------------------------------------------------------------- Condition

const PROBLEM_STATUS: Record<string, string> = {
  active: 'active',
  recurrence: 'active',
  relapse: 'active',
  inactive: 'inactive',
  remission: 'inactive',
  resolved: 'resolved',
};

/** Condition → problem-list row, with a note when it has no ICD-10-CM code (SNOMED mapped where the map has it). */
export function mapCondition(c: Condition, issues: Issues, ctx: MapContext): { drafts: Draft[]; notes: string[] } | string {
  const verification = coding(c.verificationStatus)?.code;
  if (verification === 'entered-in-error' || verification === 'refuted') return `condition marked ${verification} at the source`;
  const snomed = coding(c.code, SYSTEMS.snomed)?.code ?? null;
  const icdCoded = coding(c.code, SYSTEMS.icd10cm)?.code ?? null;
  const icd10 = icdCoded ?? (snomed ? (ctx.snomedToIcd10.get(snomed) ?? null) : null);
  const display = textOf(c.code);
  if (!display) issues.add('code', 'the condition has no code or text');
  const clinical = coding(c.clinicalStatus)?.code;
  const notes = icd10 === null ? [`uncoded to ICD-10: ${snomed ? `SNOMED ${snomed}` : 'no SNOMED code'} (${display ?? '?'})`] : [];
  const onset = when(issues, 'onsetDateTime', c.onsetDateTime);
  const abatement = when(issues, 'abatementDateTime', c.abatementDateTime);
  return {
    drafts: [
      {
        entity: 'condition',
        table: 'conditions',
        key: '',
        row: {
          patient_id: ref(ctx, c.subject),
          icd10,
          snomed,
          display: display ?? '',
          clinical_status: (clinical && PROBLEM_STATUS[clinical]) ?? (c.abatementDateTime ? 'resolved' : 'active'),
          onset_date: dateOnly(onset),
          abatement_date: dateOnly(abatement),
          chronic: 0,
          note: annotationText(c.note),
        },
      },
    ],
    notes,
  };
}

// ---------------------------------------------------------------- AllergyIntolerance

const SUBSTANCE_TYPE: Record<string, string> = { medication: 'drug', food: 'food', environment: 'environment', biologic: 'other' };

/** AllergyIntolerance → allergy row. */
export function mapAllergy(a: AllergyIntolerance, issues: Issues, ctx: MapContext): Draft[] | string {
  const verification = coding(a.verificationStatus)?.code;
  if (verification === 'entered-in-error' || verification === 'refuted') return `allergy marked ${verification} at the source`;
  const substance = textOf(a.code);
  if (!substance) issues.add('code', 'the allergy names no substance');
  const rx = coding(a.code, SYSTEMS.rxnorm)?.code ?? null;
  const other = rx ? undefined : coding(a.code);
  const reactions = (a.reaction ?? []).flatMap((r) => (r.manifestation ?? []).map((m) => textOf(m))).filter((s): s is string => !!s);
  const severity = a.reaction?.find((r) => r.severity)?.severity ?? null;
  const clinical = coding(a.clinicalStatus)?.code ?? 'active';
  const recorded = when(issues, 'recordedDate', a.recordedDate);
  const onset = when(issues, 'onsetDateTime', a.onsetDateTime);
  const sourceCode = other?.code ? `coded at the source as ${other.system ?? '?'}|${other.code}` : null;
  return [
    {
      entity: 'allergy',
      table: 'allergies',
      key: '',
      row: {
        patient_id: ref(ctx, a.patient),
        kind: 'allergy',
        substance: substance ?? '',
        // Important: substance_code is an RxNorm code (the drug checks read it); other codes are kept in the note.
        substance_code: rx,
        reactions: JSON.stringify(reactions),
        severity,
        criticality: a.criticality === 'unable-to-assess' ? 'unable_to_assess' : (a.criticality ?? 'unable_to_assess'),
        status: ['active', 'inactive', 'resolved'].includes(clinical) ? clinical : 'active',
        recorded_at: recorded ?? onset ?? ctx.importedAt,
        substance_type: SUBSTANCE_TYPE[a.category?.[0] ?? ''] ?? (rx ? 'drug' : 'other'),
        onset_date: dateOnly(onset),
        note: [annotationText(a.note), sourceCode].filter(Boolean).join('\n') || null,
      },
    },
  ];
}

// ---------------------------------------------------------------- Procedure

/** Procedure → procedure row. */
export function mapProcedure(p: Procedure, issues: Issues, ctx: MapContext): Draft[] | string {
  if (p.status === 'entered-in-error') return 'procedure marked entered-in-error at the source';
  const c = coding(p.code);
  const display = textOf(p.code);
  if (!display) issues.add('code', 'the procedure has no code or text');
  const reason = p.reasonCode?.[0];
  return [
    {
      entity: 'procedure',
      table: 'procedures',
      key: '',
      row: {
        patient_id: ref(ctx, p.subject),
        encounter_id: ref(ctx, p.encounter),
        code_system: c?.system ?? null,
        code: c?.code ?? null,
        display: display ?? '',
        status: p.status,
        performed_start: when(issues, 'performedDateTime', p.performedDateTime) ?? when(issues, 'performedPeriod.start', p.performedPeriod?.start),
        performed_end: when(issues, 'performedPeriod.end', p.performedPeriod?.end),
        reason_code: coding(reason)?.code ?? null,
        reason_display: reason ? textOf(reason) : (p.reasonReference?.[0]?.display ?? null),
        note: annotationText(p.note),
      },
    },
  ];
}

// ---------------------------------------------------------------- CarePlan

/** CarePlan → care plan row. */
export function mapCarePlan(cp: CarePlan, issues: Issues, ctx: MapContext): Draft[] | string {
  if (cp.status === 'entered-in-error') return 'care plan marked entered-in-error at the source';
  const cat = cp.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === SYSTEMS.snomed) ?? coding(cp.category?.[0]);
  const activities = (cp.activity ?? []).map((a) => {
    const c = coding(a.detail?.code);
    return { code: c?.code ?? null, system: c?.system ?? null, display: a.detail?.code ? textOf(a.detail.code) : null, status: a.detail?.status ?? null };
  });
  const addresses = (cp.addresses ?? []).map((r) => ctx.resolve(r.reference)).filter((k): k is SourceKey => k !== null);
  return [
    {
      entity: 'care_plan',
      table: 'care_plans',
      key: '',
      row: {
        patient_id: ref(ctx, cp.subject),
        encounter_id: ref(ctx, cp.encounter),
        status: cp.status,
        intent: cp.intent,
        category_code: cat?.code ?? null,
        category_display: cat?.display ?? (cp.category?.[0] ? textOf(cp.category[0]) : null),
        title: cp.title ?? null,
        period_start: when(issues, 'period.start', cp.period?.start),
        period_end: when(issues, 'period.end', cp.period?.end),
        activities: JSON.stringify(activities),
        addresses: { refs: addresses },
      },
    },
  ];
}
