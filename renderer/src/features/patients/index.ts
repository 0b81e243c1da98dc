export { ChartPage } from './ChartPage';
export { PatientSearch } from './PatientSearch';
export { RegisterPatient } from './RegisterPatient';
