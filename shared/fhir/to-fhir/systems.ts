// Code systems and identifiers Cairn writes, which entity becomes which resource type, and who is served as a Practitioner.

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
