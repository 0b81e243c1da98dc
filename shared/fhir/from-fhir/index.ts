/**
 * FHIR R4 → Cairn: pure mappers from one resource to the rows it becomes. Ids are not made here:
 * a row names the resources it points at by source key (`{ ref }`) and the importer turns those
 * into the Cairn ids it assigned (or found from an earlier import).
 */

export { SYSTEMS, type ImportEntity, type Cell, type Draft, type MapContext, type MapOutcome, SKIP_REASONS, APPLY_ORDER } from './context';
export { instant } from './readers';
export { CAIRN_MRN_SYSTEM, visitTypeOf } from './patient-encounter';
export * from './map-resource';
