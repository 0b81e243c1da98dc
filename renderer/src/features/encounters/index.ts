export { EncounterWorkspace, VISIT_LABELS } from './EncounterWorkspace';
