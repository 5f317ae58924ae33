import type { WorkloadKindAdapter, WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';

/** A workload object the controller follows, with its kind's adapter. */
export interface TrackedWorkload {
  key: string;
  adapter: WorkloadKindAdapter;
  obj: WorkloadObject;
}

/** Whether `a` is at least as new as `b` (by resourceVersion; a copy whose version is not a number counts as newer). */
export function newer(a: WorkloadObject, b: WorkloadObject | undefined): boolean {
  if (!b) return true;
  const ra = Number(a.metadata.resourceVersion);
  const rb = Number(b.metadata.resourceVersion);
  return Number.isNaN(ra) || Number.isNaN(rb) || ra >= rb;
}
