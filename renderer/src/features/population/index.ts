export { PopulationScreen } from './PopulationScreen';
export { PreventivePanel } from './PreventivePanel';
