export { WorkloadMetrics } from './WorkloadMetrics';
