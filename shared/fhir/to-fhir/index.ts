/**
 * Pure mappers from Cairn rows (the device tables' snake_case columns, as synced) to FHIR R4 resources.
 * The clinic server's FHIR API and `cairn export fhir` both use them, so a resource looks the same
 * wherever it is read. A soft-deleted row maps to null: it is not served.
 */

export * from './systems';
export { fhirDate, fhirDateTime, fhirInstant } from './values';
export { courseToFhir } from './medications';
export * from './row-to-fhir';
