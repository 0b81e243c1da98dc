import type { Resource } from '@medplum/fhirtypes';
import type { SourceEntry } from '../bundle';
import { mapAllergy, mapCarePlan, mapCondition, mapProcedure } from './clinical';
import { Issues, SKIP_REASONS, type Draft, type MapContext, type MapOutcome } from './context';
import { mapImmunization, mapMedicationRequest } from './medications';
import { mapDiagnosticReport, mapObservation } from './observations';
import { mapEncounter, mapPatient } from './patient-encounter';

// Dispatch: one bundle entry to its mapper, with the checks every resource gets.

// ---------------------------------------------------------------- dispatch

type Mapped = Draft[] | string | { drafts: Draft[]; notes: string[] };

/** The resource types imported, each with its mapper. */
const MAPPERS: Record<string, (r: never, issues: Issues, ctx: MapContext) => Mapped> = {
  Patient: mapPatient,
  Encounter: mapEncounter,
  Condition: mapCondition,
  AllergyIntolerance: mapAllergy,
  Observation: mapObservation,
  DiagnosticReport: mapDiagnosticReport,
  MedicationRequest: mapMedicationRequest,
  Immunization: mapImmunization,
  Procedure: mapProcedure,
  CarePlan: mapCarePlan,
};

/** Maps one bundle entry to the rows it becomes, a reason it is skipped, or its problems (with JSON paths). */
export function mapResource(entry: SourceEntry, ctx: MapContext): MapOutcome {
  try {
    return mapChecked(entry, ctx);
  } catch (e) {
    // Important: a value of the wrong JSON type (a name that is a string, a coding that is a number)
    // is an error of this entry, never a crash of the import.
    const message = e instanceof Error ? e.message : String(e);
    return {
      kind: 'error',
      issues: [
        {
          index: entry.index,
          path: `entry[${entry.index}].resource`,
          resourceType: String(entry.resource.resourceType),
          message: `malformed ${String(entry.resource.resourceType)}: ${message}`,
        },
      ],
    };
  }
}

function mapChecked(entry: SourceEntry, ctx: MapContext): MapOutcome {
  const issues = new Issues(entry);
  const r: Resource = entry.resource;
  // Important: own keys only, so a resourceType such as "constructor" is just not imported.
  if (!Object.hasOwn(MAPPERS, r.resourceType))
    return {
      kind: 'skipped',
      reason: Object.hasOwn(SKIP_REASONS, r.resourceType) ? SKIP_REASONS[r.resourceType]! : `${String(r.resourceType)} is not imported`,
    };
  const mapper = MAPPERS[r.resourceType] as (r: Resource, issues: Issues, ctx: MapContext) => Mapped;
  const out = mapper(r, issues, ctx);
  if (typeof out === 'string') return { kind: 'skipped', reason: out };
  const { drafts, notes } = Array.isArray(out) ? { drafts: out, notes: [] } : out;
  if (r.resourceType !== 'Patient') {
    const patientPath = r.resourceType === 'AllergyIntolerance' || r.resourceType === 'Immunization' ? 'patient' : 'subject';
    if (drafts.some((d) => d.row['patient_id'] === null)) issues.add(`${patientPath}.reference`, 'the resource does not point at a patient in this bundle');
  }
  for (const d of drafts) {
    for (const [column, v] of Object.entries(d.row)) {
      if (!bindable(v)) issues.add('', `a value of the wrong JSON type where Cairn's ${d.table}.${column} comes from (${JSON.stringify(v).slice(0, 60)})`);
    }
  }
  if (issues.list.length > 0) return { kind: 'error', issues: issues.list };
  return { kind: 'rows', drafts, notes };
}

/** A value SQLite can store, or a reference the importer resolves. */
function bindable(v: unknown): boolean {
  if (v === null || typeof v === 'string') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object') return false;
  if ('ref' in v) return typeof v.ref === 'string';
  return 'refs' in v && Array.isArray(v.refs) && v.refs.every((r) => typeof r === 'string');
}

/** Parses the shipped SNOMED → ICD-10-CM map (TSV with # comments and a header line). */
export function parseSnomedIcd10Map(tsv: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of tsv.split(/\r?\n/)) {
    if (line.startsWith('#') || line.startsWith('snomed\t') || line.trim() === '') continue;
    const [snomed, icd10] = line.split('\t');
    if (snomed && icd10) map.set(snomed, icd10);
  }
  return map;
}
