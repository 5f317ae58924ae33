export { WorkloadCard, WorkloadContent } from './WorkloadCard';
