import type { AllergyIntolerance, CarePlan, Condition, Procedure } from '@medplum/fhirtypes';
import { SYSTEMS, systemUri, type Row } from './systems';
import { clean, coding, concept, encounterRef, fhirDateTime, meta, note, own, parseJson, pick, str, subject } from './values';

// Condition, AllergyIntolerance, Procedure and CarePlan.

/** A problem-list row as a Condition. */
export function condition(row: Row): Condition {
  const status = pick(str(row['clinical_status']), ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'] as const, 'active');
  const display = str(row['display']);
  const ended = status === 'inactive' || status === 'resolved' || status === 'remission';
  const onset = fhirDateTime(row['onset_date']);
  const abatement = ended ? fhirDateTime(row['abatement_date']) : undefined;
  return clean<Condition>({
    resourceType: 'Condition',
    id: String(row['id']),
    ...meta(row),
    clinicalStatus: { coding: [{ system: SYSTEMS.conditionClinical, code: status }] },
    verificationStatus: { coding: [{ system: SYSTEMS.conditionVer, code: 'confirmed' }] },
    category: [{ coding: [{ system: SYSTEMS.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' }] }],
    code: concept([coding(SYSTEMS.icd10cm, str(row['icd10']), display), coding(SYSTEMS.snomed, str(row['snomed']), display)], display),
    ...subject(row),
    onsetDateTime: onset,
    abatementDateTime: abatement,
    recordedDate: fhirDateTime(row['created_at']),
    ...note(row),
  });
}

const ALLERGY_CATEGORY: Record<string, 'food' | 'medication' | 'environment' | 'biologic'> = {
  drug: 'medication',
  medication: 'medication',
  food: 'food',
  environment: 'environment',
  biologic: 'biologic',
};

/** An allergy row (or "no known allergies") as an AllergyIntolerance. */
export function allergy(row: Row): AllergyIntolerance {
  const nka = str(row['kind']) === 'nka';
  const status = pick(str(row['status']), ['active', 'inactive', 'resolved'] as const, 'active');
  const substance = str(row['substance']);
  const reactions = parseJson(row['reactions']);
  const manifestations = Array.isArray(reactions)
    ? reactions.filter((r): r is string => typeof r === 'string' && r.trim() !== '').map((r) => ({ text: r }))
    : [];
  const severity = pick(str(row['severity']), ['mild', 'moderate', 'severe'] as const, 'mild');
  const crit = str(row['criticality'])?.replace(/_/g, '-');
  const category = own(ALLERGY_CATEGORY, str(row['substance_type']) ?? '');
  return clean<AllergyIntolerance>({
    resourceType: 'AllergyIntolerance',
    id: String(row['id']),
    ...meta(row),
    clinicalStatus: { coding: [{ system: SYSTEMS.allergyClinical, code: status }] },
    verificationStatus: { coding: [{ system: SYSTEMS.allergyVer, code: 'confirmed' }] },
    type: nka ? undefined : 'allergy',
    category: category && !nka ? [category] : undefined,
    criticality: crit === 'low' || crit === 'high' || crit === 'unable-to-assess' ? crit : undefined,
    code: nka
      ? { coding: [{ system: SYSTEMS.snomed, code: '716186003', display: 'No known allergy' }], text: 'No known allergies' }
      : concept([str(row['substance_code']) ? { code: str(row['substance_code'])! } : null], substance),
    patient: { reference: `Patient/${String(row['patient_id'])}` },
    onsetDateTime: fhirDateTime(row['onset_date']),
    recordedDate: fhirDateTime(row['recorded_at']),
    reaction: manifestations.length > 0 ? [clean({ manifestation: manifestations, severity: str(row['severity']) ? severity : undefined })] : undefined,
    ...note(row),
  });
}

const PROCEDURE_STATUS = ['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown'] as const;

/** A procedure row as a Procedure. */
export function procedure(row: Row): Procedure {
  const display = str(row['display']);
  const start = fhirDateTime(row['performed_start']);
  const end = fhirDateTime(row['performed_end']);
  const reason = str(row['reason_code']);
  const reasonDisplay = str(row['reason_display']);
  return clean<Procedure>({
    resourceType: 'Procedure',
    id: String(row['id']),
    ...meta(row),
    status: pick(str(row['status']), PROCEDURE_STATUS, 'unknown'),
    code: concept([coding(systemUri(str(row['code_system'])) ?? SYSTEMS.snomed, str(row['code']), display)], display),
    ...subject(row),
    ...encounterRef(row),
    ...(end ? { performedPeriod: clean({ start, end }) } : start ? { performedDateTime: start } : {}),
    reasonCode: reason || reasonDisplay ? [concept([coding(SYSTEMS.snomed, reason, reasonDisplay)], reasonDisplay)] : undefined,
    ...note(row),
  });
}

const CARE_PLAN_STATUS = ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'] as const;
const CARE_PLAN_INTENT = ['proposal', 'plan', 'order', 'option'] as const;
const ACTIVITY_STATUS = ['not-started', 'scheduled', 'in-progress', 'on-hold', 'completed', 'cancelled', 'stopped', 'unknown', 'entered-in-error'] as const;

/** A care plan row as a CarePlan with its activities. */
export function carePlan(row: Row): CarePlan {
  const acts = parseJson(row['activities']);
  const activity = Array.isArray(acts)
    ? acts
        .filter((a): a is { code?: string; system?: string; display?: string; status?: string } => typeof a === 'object' && a !== null)
        .map((a) => ({
          detail: {
            code: concept([coding(systemUri(a.system) ?? SYSTEMS.snomed, a.code, a.display)], a.display),
            status: pick(a.status, ACTIVITY_STATUS, 'unknown'),
          },
        }))
    : [];
  const addr = parseJson(row['addresses']);
  const addresses = Array.isArray(addr) ? addr.filter((i): i is string => typeof i === 'string' && i !== '').map((i) => ({ reference: `Condition/${i}` })) : [];
  const start = fhirDateTime(row['period_start']);
  const end = fhirDateTime(row['period_end']);
  const catDisplay = str(row['category_display']);
  return clean<CarePlan>({
    resourceType: 'CarePlan',
    id: String(row['id']),
    ...meta(row),
    status: pick(str(row['status']), CARE_PLAN_STATUS, 'unknown'),
    intent: pick(str(row['intent']), CARE_PLAN_INTENT, 'plan'),
    category: str(row['category_code']) || catDisplay ? [concept([coding(SYSTEMS.snomed, str(row['category_code']), catDisplay)], catDisplay)] : undefined,
    title: str(row['title']),
    ...subject(row),
    ...encounterRef(row),
    period: start || end ? clean({ start, end }) : undefined,
    addresses: addresses.length > 0 ? addresses : undefined,
    activity: activity.length > 0 ? activity : undefined,
  });
}
