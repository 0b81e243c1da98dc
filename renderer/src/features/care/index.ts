/** Care coordination (hospital admissions and discharges): the only door other features and the app shell use. */
export { CareScreen } from './CareScreen';
export { HospitalStaysCard } from './HospitalStaysCard';
