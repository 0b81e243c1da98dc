/** The desk side of the patient portal: the only door other features and the app shell use. */
export { ChartReported } from './ChartReported';
export { ConfidentialMark, useConfidentialMarks } from './ConfidentialMark';
export { IntakeReview, PendingReportedBadge } from './IntakeReview';
export { PortalAccessCard } from './PortalAccessCard';
export { PortalInbox, PortalNavButton } from './PortalInbox';
