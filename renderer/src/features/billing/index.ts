/** Practice management's screens: the only door other features and the app shell use. */
export { BillingScreen } from './BillingScreen';
export { CheckInCoverage } from './CheckInCoverage';
export { CoveragePanel } from './CoveragePanel';
export { PatientAccount } from './PatientAccount';
export { SuperbillPanel } from './SuperbillPanel';
