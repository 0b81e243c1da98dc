export { LabOrders } from './LabOrders';
export { LabsScreen } from './LabsScreen';
export { PatientResults } from './PatientResults';
export { ResultsInbox, ResultsNavButton } from './ResultsInbox';
export { ReviewQueue } from './ReviewQueue';
export { UnmatchedQueue } from './UnmatchedQueue';
