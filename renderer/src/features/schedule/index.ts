export { FlowBoard } from './FlowBoard';
export { ScheduleScreen } from './ScheduleScreen';
