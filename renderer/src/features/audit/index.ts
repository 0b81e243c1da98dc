export { AuditViewer } from './AuditViewer';
