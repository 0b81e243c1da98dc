export { MedicationsPanel } from './MedicationsPanel';
export { AlertList } from './AlertList';
