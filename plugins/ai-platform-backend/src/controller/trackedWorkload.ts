import type { WorkloadKindAdapter, WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';

/** A workload object the controller follows, with its kind's adapter. */
export interface TrackedWorkload {
  key: string;
  adapter: WorkloadKindAdapter;
  obj: WorkloadObject;
}
