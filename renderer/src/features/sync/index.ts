export { ChartSyncNotices } from './ChartSyncNotices';
export { ConflictsScreen } from './ConflictsScreen';
export { ConflictsNavButton, SyncIndicator } from './SyncIndicator';
