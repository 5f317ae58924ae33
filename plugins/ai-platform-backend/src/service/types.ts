/**
 * The seams inside the backend plugin. The controller (src/controller,
 * src/clusters, src/workloads) implements WorkloadService; the REST API
 * (src/routes) and the plugin wiring (src/plugin.ts) only use it. The
 * database layer (src/database) implements DecisionStore; the controller
 * records every admission decision through it.
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

export interface DecisionRecord {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  uid: string;
  /** Admitted, Preempted, Evicted, Suspended, Finished, Submitted, Cancelled */
  decision: string;
  clusterQueue?: string;
  reason?: string;
  message?: string;
  /** JSON of the assignment (flavors per pod set) for admissions. */
  assignment?: unknown;
  /** who: 'controller' or a user entity ref */
  actor: string;
  time: Date;
}

export interface DecisionStore {
  record(decision: DecisionRecord): Promise<void>;
  /** Most recent first. */
  list(filter: {
    cluster?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    limit?: number;
  }): Promise<DecisionRecord[]>;
  /** The admission currently recorded for a workload uid, to never admit twice after a restart. */
  lastDecision(uid: string): Promise<DecisionRecord | undefined>;
}
