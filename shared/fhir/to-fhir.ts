import type {
  AllergyIntolerance,
  CarePlan,
  CodeableConcept,
  Coding,
  Condition,
  DiagnosticReport,
  Encounter,
  Immunization,
  Meta,
  MedicationRequest,
  Observation,
  Patient,
  Practitioner,
  Procedure,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { storedNotes } from '../domain/lab-review';

/**
 * Pure mappers from Cairn rows (the device tables' snake_case columns, as synced) to FHIR R4 resources.
 * The clinic server's FHIR API and `cairn export fhir` both use them, so a resource looks the same
 * wherever it is read. A soft-deleted row maps to null: it is not served.
 */

/** One row as stored: column name → SQLite value (booleans are 0/1). */
export type Row = Record<string, string | number | null>;

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  mvx: 'http://hl7.org/fhir/sid/mvx',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  cpt: 'http://www.ama-assn.org/go/cpt',
  /** The clinic's own medical record numbers. */
  mrn: 'urn:cairn:mrn',
  /** Cairn user names (Practitioner identifiers). */
  username: 'urn:cairn:username',
  obsCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVer: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVer: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  diagnosticSection: 'http://terminology.hl7.org/CodeSystem/v2-0074',
} as const;

/** The Cairn entities the FHIR API serves, and the resource type each becomes. */
export const FHIR_TYPE_OF_ENTITY = {
  patient: 'Patient',
  user: 'Practitioner',
  encounter: 'Encounter',
  observation: 'Observation',
  condition: 'Condition',
  allergy: 'AllergyIntolerance',
  medication_event: 'MedicationRequest',
  prescription: 'MedicationRequest',
  immunization: 'Immunization',
  procedure: 'Procedure',
  diagnostic_report: 'DiagnosticReport',
  care_plan: 'CarePlan',
} as const;

export type FhirEntity = keyof typeof FHIR_TYPE_OF_ENTITY;

/** Roles whose users are served as Practitioners (the others never touch patients clinically). */
export const CLINICAL_ROLES: readonly string[] = ['physician', 'nurse'];

// ---- small value helpers -------------------------------------------------------------------

const str = (v: string | number | null | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v).trim() || undefined);
const num = (v: string | number | null | undefined): number | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
};

const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

/** A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD), or undefined when the value is not one. */
export function fhirDate(v: string | number | null | undefined): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (DATE.test(s)) return s;
  return DATE_TIME.test(s) ? s.slice(0, 10) : undefined;
}

/** A FHIR dateTime: a date, or a full instant; a time without seconds or zone is completed as UTC. */
export function fhirDateTime(v: string | number | null | undefined): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (DATE.test(s) || DATE_TIME.test(s)) return s;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(s);
  if (m) {
    const out = `${m[1]}T${m[2]}${m[3] ?? ':00'}Z`;
    return DATE_TIME.test(out) ? out : undefined;
  }
  return undefined;
}

/** A FHIR instant (time and zone required). */
export function fhirInstant(v: string | number | null | undefined): string | undefined {
  const s = fhirDateTime(v);
  return s && s.includes('T') ? s : undefined;
}

const meta = (row: Row): { meta?: Meta } => {
  const at = fhirInstant(row['updated_at']);
  return at ? { meta: { lastUpdated: at } } : {};
};
const ref = (type: string, id: string | number | null | undefined): Reference<never> | undefined => (str(id) ? { reference: `${type}/${str(id)}` } : undefined);
const subject = (row: Row): { subject: Reference<never> } => ({ subject: { reference: `Patient/${String(row['patient_id'])}` } });
const encounterRef = (row: Row): { encounter?: Reference<never> } => {
  const e = ref('Encounter', row['encounter_id']);
  return e ? { encounter: e } : {};
};
const text = (t: string | undefined): CodeableConcept | undefined => (t ? { text: t } : undefined);
const concept = (codings: (Coding | null)[], display?: string): CodeableConcept => {
  const coding = codings.filter((c): c is Coding => c !== null);
  return { ...(coding.length > 0 && { coding }), ...(display && { text: display }) };
};
const coding = (system: string, code: string | undefined, display?: string): Coding | null => (code ? { system, code, ...(display && { display }) } : null);
const note = (row: Row, col = 'note'): { note?: { text: string }[] } => {
  const t = str(row[col]);
  return t ? { note: [{ text: t }] } : {};
};
const parseJson = (v: string | number | null | undefined): unknown => {
  if (typeof v !== 'string' || v === '') return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
};
/** A map's own value (a stored code like `constructor` must not reach an inherited property). */
const own = <T>(map: Record<string, T>, key: string): T | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);
const pick = <T extends string>(v: string | undefined, allowed: readonly T[], fallback: T): T =>
  v && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
/** Drops keys whose value is undefined so resources stay minimal (and JSON-equal after a round trip). */
const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

// ---- resources -----------------------------------------------------------------------------

function patient(row: Row): Patient {
  const given = [str(row['given_name']), str(row['middle_name'])].filter((g): g is string => Boolean(g));
  const ids = parseJson(row['identifiers']);
  const extra = Array.isArray(ids)
    ? ids
        .filter(
          (i): i is { system: string; value: string; type?: string } =>
            typeof (i as { system?: unknown })?.system === 'string' && typeof (i as { value?: unknown })?.value === 'string',
        )
        .map((i) => clean({ system: i.system, value: i.value, type: text(i.type ?? undefined) }))
    : [];
  const identifiers = [
    ...(str(row['mrn'])
      ? [
          {
            use: 'usual' as const,
            type: { coding: [{ system: SYSTEMS.identifierType, code: 'MR', display: 'Medical record number' }] },
            system: SYSTEMS.mrn,
            value: str(row['mrn'])!,
          },
        ]
      : []),
    ...extra,
  ];
  const telecom = [
    str(row['phone']) ? { system: 'phone' as const, value: str(row['phone'])!, use: 'home' as const } : null,
    str(row['email']) ? { system: 'email' as const, value: str(row['email'])! } : null,
  ].filter((t) => t !== null);
  const lines = [str(row['address_line1']), str(row['address_line2'])].filter((l): l is string => Boolean(l));
  const hasAddress = lines.length > 0 || ['city', 'state', 'postal_code', 'country'].some((c) => str(row[c]));
  const mergedInto = str(row['merged_into']);
  const preferred = str(row['preferred_name']);
  const sex = str(row['sex']);
  return clean<Patient>({
    resourceType: 'Patient',
    id: String(row['id']),
    ...meta(row),
    identifier: identifiers.length > 0 ? identifiers : undefined,
    active: !mergedInto,
    name: [
      clean({ use: 'official' as const, family: str(row['family_name']), given: given.length > 0 ? given : undefined }),
      ...(preferred ? [{ use: 'usual' as const, given: [preferred] }] : []),
    ],
    telecom: telecom.length > 0 ? telecom : undefined,
    gender: sex === 'female' || sex === 'male' || sex === 'other' ? sex : 'unknown',
    birthDate: fhirDate(row['birth_date']),
    deceasedDateTime: fhirDateTime(row['deceased_on']),
    address: hasAddress
      ? [
          clean({
            line: lines.length > 0 ? lines : undefined,
            city: str(row['city']),
            state: str(row['state']),
            postalCode: str(row['postal_code']),
            country: str(row['country']),
          }),
        ]
      : undefined,
    communication: str(row['preferred_language']) ? [{ language: { text: str(row['preferred_language'])! }, preferred: true }] : undefined,
    link: mergedInto ? [{ other: { reference: `Patient/${mergedInto}` }, type: 'replaced-by' }] : undefined,
  });
}

function practitioner(row: Row): Practitioner | null {
  if (!CLINICAL_ROLES.includes(String(row['role']))) return null;
  const name = str(row['display_name']);
  return clean<Practitioner>({
    resourceType: 'Practitioner',
    id: String(row['id']),
    ...meta(row),
    identifier: str(row['username']) ? [{ system: SYSTEMS.username, value: str(row['username'])! }] : undefined,
    active: !Number(row['disabled'] ?? 0),
    name: name ? [{ text: name }] : undefined,
    qualification: [{ code: { text: String(row['role']) } }],
  });
}

const ENCOUNTER_STATUS: Record<string, Encounter['status']> = {
  planned: 'planned',
  checked_in: 'arrived',
  in_progress: 'in-progress',
  finished: 'finished',
  cancelled: 'cancelled',
};

function encounter(row: Row): Encounter {
  const visit = str(row['visit_type']);
  const virtual = visit === 'telehealth' || visit === 'phone';
  const start = fhirDateTime(row['start_at']);
  const end = fhirDateTime(row['end_at']);
  const provider = ref('Practitioner', row['provider_id']);
  return clean<Encounter>({
    resourceType: 'Encounter',
    id: String(row['id']),
    ...meta(row),
    status: own(ENCOUNTER_STATUS, String(row['status'])) ?? 'unknown',
    class: { system: SYSTEMS.actCode, code: virtual ? 'VR' : 'AMB', display: virtual ? 'virtual' : 'ambulatory' },
    type: visit ? [{ text: visit.replace(/_/g, ' ') }] : undefined,
    ...subject(row),
    participant: provider ? [{ individual: provider }] : undefined,
    period: start || end ? clean({ start, end }) : undefined,
    reasonCode: str(row['reason']) ? [{ text: str(row['reason'])! }] : undefined,
  });
}

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

function observation(row: Row): Observation {
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

function condition(row: Row): Condition {
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

function allergy(row: Row): AllergyIntolerance {
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

function prescription(row: Row): MedicationRequest {
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

function immunization(row: Row): Immunization {
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

/** A code system as a URI: imported rows may hold a URI already, or a short name. */
export function systemUri(s: string | undefined): string | undefined {
  if (!s) return undefined;
  if (/^(https?:|urn:)/i.test(s)) return s;
  const k = s.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (k === 'snomed' || k === 'snomedct' || k === 'sct') return SYSTEMS.snomed;
  if (k === 'cpt') return SYSTEMS.cpt;
  if (k === 'loinc') return SYSTEMS.loinc;
  if (k === 'icd10' || k === 'icd10cm') return SYSTEMS.icd10cm;
  return `urn:cairn:code-system:${k || 'unknown'}`;
}

const PROCEDURE_STATUS = ['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown'] as const;

function procedure(row: Row): Procedure {
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

function diagnosticReport(row: Row): DiagnosticReport {
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

const CARE_PLAN_STATUS = ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'] as const;
const CARE_PLAN_INTENT = ['proposal', 'plan', 'order', 'option'] as const;
const ACTIVITY_STATUS = ['not-started', 'scheduled', 'in-progress', 'on-hold', 'completed', 'cancelled', 'stopped', 'unknown', 'entered-in-error'] as const;

function carePlan(row: Row): CarePlan {
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

/**
 * Maps one Cairn row to its FHIR R4 resource, or null when it is not served: a soft-deleted row, a
 * non-clinical user, or an entity FHIR has no resource for. A `medication_event` maps as a course of
 * that one event (use {@link courseToFhir} with all of a course's events).
 */
export function rowToFhir(entity: string, row: Record<string, string | number | null>): Resource | null {
  if (row['deleted_at'] || row['id'] === null || row['id'] === undefined) return null;
  switch (entity) {
    case 'patient':
      return patient(row);
    case 'user':
      return practitioner(row);
    case 'encounter':
      return encounter(row);
    case 'observation':
      return observation(row);
    case 'condition':
      return condition(row);
    case 'allergy':
      return allergy(row);
    case 'medication_event':
      return courseToFhir([row]);
    case 'prescription':
      return prescription(row);
    case 'immunization':
      return immunization(row);
    case 'procedure':
      return procedure(row);
    case 'diagnostic_report':
      return diagnosticReport(row);
    case 'care_plan':
      return carePlan(row);
    default:
      return null;
  }
}
