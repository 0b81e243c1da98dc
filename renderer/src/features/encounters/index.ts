export { EncounterWorkspace } from './EncounterWorkspace';
