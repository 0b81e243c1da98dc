export { CcdaDocumentViewer } from './CcdaDocumentViewer';
export { ReconcileTab } from './ReconcileTab';
