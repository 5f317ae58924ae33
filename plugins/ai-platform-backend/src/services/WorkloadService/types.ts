/**
 * The seam between the controller and everything that reads or changes
 * workloads. The controller (src/controller, src/clusters, src/workloads)
 * implements WorkloadService; the REST API (src/routes) and the plugin wiring
 * (src/plugin.ts) only use it.
 */
import type {
  ClusterSummary,
  PlanResponse,
  QueueListResponse,
  SubmitWorkloadRequest,
  SubmitWorkloadResponse,
  WorkloadEvent,
  WorkloadQuery,
  WorkloadRef,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** The REST API's workload filters, shared with the frontend client. */
export type WorkloadFilter = WorkloadQuery;

export type { WorkloadEvent } from '@ai-platform/backstage-plugin-ai-platform-common';

export interface WorkloadChange {
  type: 'upsert' | 'delete';
  workload: WorkloadSummary;
}

export interface WorkloadService {
  listWorkloads(filter?: WorkloadFilter): Promise<WorkloadSummary[]>;
  getWorkload(ref: WorkloadRef): Promise<WorkloadSummary | undefined>;
  listQueues(): Promise<QueueListResponse>;
  listClusters(): Promise<ClusterSummary[]>;
  /** What would happen if the manifest were submitted (no side effects). */
  plan(request: SubmitWorkloadRequest): Promise<PlanResponse>;
  /** Creates the workload suspended with its queue label; idempotent on the manifest's name. */
  submit(request: SubmitWorkloadRequest, actor: { userEntityRef: string }): Promise<SubmitWorkloadResponse>;
  /** Deletes the workload. */
  cancel(ref: WorkloadRef, actor: { userEntityRef: string }): Promise<void>;
  /** Suspends (true) or releases (false) a workload; a released one queues again. */
  setSuspended(ref: WorkloadRef, suspended: boolean, actor: { userEntityRef: string }): Promise<void>;
  events(ref: WorkloadRef): Promise<WorkloadEvent[]>;
  /** Every change to any workload, for signals and the catalog. Returns an unsubscribe function. */
  subscribe(listener: (change: WorkloadChange) => void): () => void;
}
