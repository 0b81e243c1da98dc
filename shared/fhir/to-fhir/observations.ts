import type { DiagnosticReport, Observation } from '@medplum/fhirtypes';
import { storedNotes } from '../../domain/lab-review';
import { SYSTEMS, type Row } from './systems';
import { clean, coding, concept, encounterRef, fhirDateTime, fhirInstant, meta, num, own, parseJson, pick, str, subject } from './values';

// Observation and DiagnosticReport.

const OBS_STATUS = ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'] as const;
const OBS_CATEGORY_DISPLAY: Record<string, string> = {
  'vital-signs': 'Vital Signs',
  laboratory: 'Laboratory',
  'social-history': 'Social History',
  survey: 'Survey',
  exam: 'Exam',
  imaging: 'Imaging',
  procedure: 'Procedure',
  therapy: 'Therapy',
  activity: 'Activity',
};
const INTERPRETATION_DISPLAY: Record<string, string> = {
  N: 'Normal',
  L: 'Low',
  H: 'High',
  LL: 'Critical low',
  HH: 'Critical high',
  A: 'Abnormal',
  AA: 'Critical abnormal',
};

/** An observation row (vital sign, lab result) as an Observation. */
export function observation(row: Row): Observation {
  const category = str(row['category']);
  const value = num(row['value_num']);
  const unit = str(row['unit']);
  const valueText = str(row['value_text']);
  const valueCode = str(row['value_code']);
  const low = num(row['ref_low']);
  const high = num(row['ref_high']);
  const refText = str(row['ref_text']);
  const quantity = (v: number): { value: number; unit?: string; system?: string; code?: string } =>
    unit ? { value: v, unit, system: SYSTEMS.ucum, code: unit } : { value: v };
  const flag = str(row['interpretation']);
  const effective = fhirDateTime(row['effective_at']);
  // The lab's NTE comments: the result's own, then its order's.
  const labNotes = [...storedNotes(row['lab_notes']), ...storedNotes(row['lab_order_notes']).map((t) => `Order: ${t}`)];
  let valueX: Partial<Observation> = {};
  if (value !== undefined) valueX = { valueQuantity: quantity(value) };
  else if (valueCode) valueX = { valueCodeableConcept: concept([coding(str(row['value_system']) ?? SYSTEMS.loinc, valueCode, valueText)], valueText) };
  else if (valueText) valueX = { valueString: valueText };
  return clean<Observation>({
    resourceType: 'Observation',
    id: String(row['id']),
    ...meta(row),
    status: pick(str(row['status']), OBS_STATUS, 'unknown'),
    category: category
      ? [
          own(OBS_CATEGORY_DISPLAY, category)
            ? { coding: [{ system: SYSTEMS.obsCategory, code: category, display: own(OBS_CATEGORY_DISPLAY, category) }] }
            : { text: category },
        ]
      : undefined,
    code: concept([coding(SYSTEMS.loinc, str(row['loinc']), str(row['display']))], str(row['display'])),
    ...subject(row),
    ...encounterRef(row),
    effectiveDateTime: effective,
    ...valueX,
    // obs-6: no value without a reason for its absence; a row with neither is rare (a pending result).
    ...(Object.keys(valueX).length === 0 && {
      dataAbsentReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown', display: 'Unknown' }] },
    }),
    interpretation: flag
      ? [
          own(INTERPRETATION_DISPLAY, flag)
            ? { coding: [{ system: SYSTEMS.interpretation, code: flag, display: own(INTERPRETATION_DISPLAY, flag) }] }
            : { text: flag },
        ]
      : undefined,
    referenceRange:
      low !== undefined || high !== undefined || refText
        ? [clean({ low: low !== undefined ? quantity(low) : undefined, high: high !== undefined ? quantity(high) : undefined, text: refText })]
        : undefined,
    note: labNotes.length > 0 ? labNotes.map((text) => ({ text })) : undefined,
  });
}

const REPORT_STATUS = [
  'registered',
  'partial',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'appended',
  'cancelled',
  'entered-in-error',
  'unknown',
] as const;

/** A diagnostic report row as a DiagnosticReport. */
export function diagnosticReport(row: Row): DiagnosticReport {
  const display = str(row['display']);
  const ids = parseJson(row['result_ids']);
  const results = Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string' && i !== '').map((i) => ({ reference: `Observation/${i}` })) : [];
  const category = str(row['category']);
  return clean<DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    id: String(row['id']),
    ...meta(row),
    status: pick(str(row['status']), REPORT_STATUS, 'unknown'),
    category: category ? [{ coding: [{ system: SYSTEMS.diagnosticSection, code: category }] }] : undefined,
    code: concept([coding(SYSTEMS.loinc, str(row['loinc']), display)], display),
    ...subject(row),
    ...encounterRef(row),
    effectiveDateTime: fhirDateTime(row['effective_at']),
    issued: fhirInstant(row['issued_at']),
    result: results.length > 0 ? results : undefined,
    conclusion: str(row['conclusion']),
  });
}
