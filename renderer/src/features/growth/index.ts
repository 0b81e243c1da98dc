export { GrowthPage } from './GrowthPage';
export { AssessmentNote } from './AssessmentNote';
