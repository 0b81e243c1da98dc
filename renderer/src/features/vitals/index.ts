export { VitalsPanel } from './VitalsPanel';
export { VitalsTrends } from './VitalsTrends';
