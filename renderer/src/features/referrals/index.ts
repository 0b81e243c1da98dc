/** Referrals and the clinic address book: the only door other features and the app shell use. */
export { ChartDocument } from './ChartDocument';
export { DiagnosesInput, type Dx } from './DiagnosesInput';
export { DocumentSelect } from './DocumentSelect';
export { ReferralsScreen, REFERRALS_TABS, type ReferralsTabName } from './ReferralsScreen';
export { ReferralsTab } from './ReferralsTab';
export { dateTime, day, localToIso, overdueWords } from './labels';
