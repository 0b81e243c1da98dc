export { AllergiesPanel } from './AllergiesPanel';
export { FaceSheet } from './FaceSheet';
export { ImmunizationsPanel } from './ImmunizationsPanel';
export { ProblemsPanel } from './ProblemsPanel';
