import type { Resource } from '@medplum/fhirtypes';
import { allergy, carePlan, condition, procedure } from './clinical';
import { courseToFhir, immunization, prescription } from './medications';
import { diagnosticReport, observation } from './observations';
import { encounter, patient, practitioner } from './patient-encounter';

// One row to its resource, by entity.

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
