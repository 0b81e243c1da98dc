export { DoctorPage } from './DoctorPage';
