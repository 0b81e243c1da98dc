import type { ImportIssue, SourceEntry, SourceKey } from '../bundle';

// What a mapper takes and returns: the rows (drafts) a resource becomes, and the issues it collects.

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  ucum: 'http://unitsofmeasure.org',
} as const;

/** The Cairn records an import writes (the synced entity names). */
export type ImportEntity =
  'patient' | 'encounter' | 'observation' | 'condition' | 'allergy' | 'medication_event' | 'immunization' | 'procedure' | 'diagnostic_report' | 'care_plan';

/** A column value: plain, or a reference to one (`ref`) or several (`refs`, stored as a JSON array) imported resources. */
export type Cell = string | number | null | { ref: SourceKey } | { refs: SourceKey[] };

/** One row a resource becomes. `key` tells apart several rows of one resource (blood pressure components, a course's start and stop). */
export interface Draft {
  entity: ImportEntity;
  table: string;
  key: string;
  row: Record<string, Cell>;
  /** Vital signs taken together (same encounter, same time) share a set id. */
  vitalSet?: string;
  /** Medication events of one request share a course id. */
  course?: boolean;
}

export interface MapContext {
  /** SNOMED CT → ICD-10-CM (resources/codesets/snomed-icd10-synthea.tsv). */
  snomedToIcd10: ReadonlyMap<string, string>;
  /** The import's time: used where the source leaves a required time out. */
  importedAt: string;
  resolve: (reference: string | undefined) => SourceKey | null;
}

export type MapOutcome = { kind: 'rows'; drafts: Draft[]; notes: string[] } | { kind: 'skipped'; reason: string } | { kind: 'error'; issues: ImportIssue[] };

/** Resource types not imported, with the reason the summary gives. */
export const SKIP_REASONS: Record<string, string> = {
  Claim: 'billing data is not imported',
  ExplanationOfBenefit: 'billing data is not imported',
  Coverage: 'billing data is not imported',
  Organization: 'directory data (organizations) is not imported',
  Practitioner: 'directory data (practitioners) is not imported',
  PractitionerRole: 'directory data (practitioners) is not imported',
  Location: 'directory data (locations) is not imported',
  Provenance: 'provenance is not imported',
  Goal: 'goals are not imported yet',
  ImagingStudy: 'imaging studies are not imported yet',
  Device: 'devices are not imported yet',
  SupplyDelivery: 'supply deliveries are not imported',
  MedicationAdministration: 'medication administrations are not imported yet',
  Medication: 'used only through a MedicationRequest',
  DocumentReference: 'documents are not imported yet',
};

/** The order resources are applied in, so references point back at rows already written. */
export const APPLY_ORDER = [
  'Patient',
  'Encounter',
  'Condition',
  'AllergyIntolerance',
  'Observation',
  'DiagnosticReport',
  'MedicationRequest',
  'Immunization',
  'Procedure',
  'CarePlan',
];

/** Collects one entry's problems with their JSON paths (internal to from-fhir/). */
export class Issues {
  readonly list: ImportIssue[] = [];
  constructor(private readonly entry: SourceEntry) {}
  add(path: string, message: string): void {
    this.list.push({
      index: this.entry.index,
      path: `entry[${this.entry.index}].resource${path === '' ? '' : `.${path}`}`,
      resourceType: this.entry.resource.resourceType,
      message,
    });
  }
}
