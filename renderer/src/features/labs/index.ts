export { LabsScreen } from './LabsScreen';
export { PatientResults } from './PatientResults';
export { ResultsInbox, ResultsNavButton } from './ResultsInbox';
export { UnmatchedQueue } from './UnmatchedQueue';
