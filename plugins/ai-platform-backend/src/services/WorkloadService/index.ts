export type { WorkloadService, WorkloadChange, WorkloadFilter, WorkloadEvent } from './types';
