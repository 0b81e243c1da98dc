import type { Immunization, MedicationRequest } from '@medplum/fhirtypes';
import { SYSTEMS, type Row } from './systems';
import { clean, coding, concept, encounterRef, fhirDate, fhirDateTime, meta, note, num, parseJson, pick, ref, str, subject, text } from './values';

// Medication courses, prescriptions and immunizations.

/**
 * A medication course (all `medication_event` rows sharing a course id, in any order) as one
 * MedicationRequest with the course id as its id: the latest event gives drug, dose and status, the
 * first one the date it was authored.
 */
export function courseToFhir(events: readonly Row[]): MedicationRequest | null {
  const live = events.filter((e) => !e['deleted_at']);
  if (live.length === 0) return null;
  const sorted = [...live].sort((a, b) => String(a['effective_at']).localeCompare(String(b['effective_at'])) || String(a['id']).localeCompare(String(b['id'])));
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const drug = str(last['drug_name']) ?? str(first['drug_name']);
  const rxcui = str(last['rxcui']) ?? str(first['rxcui']);
  const dosage = [str(last['dose']), str(last['route']), str(last['frequency'])].filter(Boolean).join(' ');
  const stopped = str(last['event']) === 'stop';
  const reason = str(last['reason']) ?? str(first['reason']);
  return clean<MedicationRequest>({
    resourceType: 'MedicationRequest',
    id: String(first['course_id']),
    ...meta(last),
    status: stopped ? 'stopped' : 'active',
    // A medication-list entry (what the patient takes), not an order: orders are the prescriptions.
    intent: 'plan',
    reportedBoolean: str(first['source']) !== 'prescribed' ? true : undefined,
    medicationCodeableConcept: concept([coding(SYSTEMS.rxnorm, rxcui, drug)], drug),
    ...subject(first),
    ...encounterRef(first),
    authoredOn: fhirDateTime(first['effective_at']),
    reasonCode: reason && !stopped ? [{ text: reason }] : undefined,
    statusReason: reason && stopped ? { text: reason } : undefined,
    dosageInstruction: dosage ? [{ text: dosage }] : undefined,
  });
}

const RX_STATUS = ['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'] as const;

/** A prescription row as a MedicationRequest (order). */
export function prescription(row: Row): MedicationRequest {
  const stored = parseJson(row['medication_request']);
  const base = stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as MedicationRequest) : null;
  const drug = str(row['drug_name']);
  return clean<MedicationRequest>({
    ...(base ?? {}),
    resourceType: 'MedicationRequest',
    id: String(row['id']),
    ...meta(row),
    // The row's status wins: the stored JSON is the form as signed.
    status: pick(str(row['status']), RX_STATUS, 'unknown'),
    intent: 'order',
    medicationCodeableConcept: base?.medicationCodeableConcept ?? concept([coding(SYSTEMS.rxnorm, str(row['rxcui']), drug)], drug),
    ...subject(row),
    ...encounterRef(row),
    authoredOn: fhirDateTime(row['signed_at']),
    requester: base?.requester ?? ref('Practitioner', row['prescriber_id']),
    dosageInstruction: base?.dosageInstruction ?? (str(row['sig']) && !str(row['sig'])!.startsWith('{') ? [{ text: str(row['sig'])! }] : undefined),
  });
}

/** An immunization row as an Immunization. */
export function immunization(row: Row): Immunization {
  const dose = num(row['dose_number']);
  const mvx = str(row['mvx']);
  return clean<Immunization>({
    resourceType: 'Immunization',
    id: String(row['id']),
    ...meta(row),
    status: pick(str(row['status']), ['completed', 'entered-in-error', 'not-done'] as const, 'completed'),
    vaccineCode: concept([coding(SYSTEMS.cvx, str(row['cvx']))], undefined),
    patient: { reference: `Patient/${String(row['patient_id'])}` },
    ...encounterRef(row),
    occurrenceDateTime: fhirDateTime(row['administered_on']) ?? fhirDateTime(row['created_at']),
    primarySource: str(row['source']) !== 'historical',
    manufacturer: mvx ? { identifier: { system: SYSTEMS.mvx, value: mvx } } : undefined,
    lotNumber: str(row['lot']),
    expirationDate: fhirDate(row['expiration_date']),
    site: text(str(row['site'])),
    route: text(str(row['route'])),
    ...note(row),
    protocolApplied: dose !== undefined && Number.isInteger(dose) && dose > 0 ? [{ doseNumberPositiveInt: dose }] : undefined,
  });
}
