export { DocumentsTab } from './DocumentsTab';
export { DocumentViewer } from './DocumentViewer';
export { InboxNavButton } from './InboxNavButton';
export { InboxScreen } from './InboxScreen';
export { useDocuments } from './documents.store';
