/**
 * The REST API of the ai-platform backend plugin (`/api/ai-platform`): the
 * shapes the frontend plugin, the catalog module and the scaffolder actions
 * read. Quantities are plain numbers of units (GPUs, cores, bytes); times are
 * ISO 8601 strings; money is integer micro-units of `currency`.
 */
import { z } from 'zod/v4';
import type { Reason } from './reasons';
import type { paths } from './schema/openapi.generated';
import type { WorkloadEntityType, WorkloadState } from './workloads';

/** Identifies a workload across clusters. */
export interface WorkloadRef {
  cluster: string;
  namespace: string;
  /** The Kubernetes object's kind, e.g. Job, JobSet, PyTorchJob, InferenceService. */
  kind: string;
  name: string;
}

export interface PodSetSummary {
  name: string;
  count: number;
  minCount?: number;
  /** Per pod, in units: { "nvidia.com/gpu": 1, cpu: 8, memory: 68719476736 } */
  requests: Record<string, number>;
}

export interface WorkloadAssignment {
  clusterQueue: string;
  podSets: Array<{ name: string; count: number; flavors: Record<string, string>; nodes?: string[] }>;
}

export interface WorkloadCondition {
  type: 'Queued' | 'Admitted' | 'PodsReady' | 'Preempted' | 'Evicted' | 'Finished';
  status: boolean;
  reason?: string;
  message?: string;
  time: string;
}

export interface WorkloadSummary extends WorkloadRef {
  apiVersion: string;
  uid: string;
  entityType: WorkloadEntityType;
  /** Team (group entity name) that owns the workload. */
  team?: string;
  /** LocalQueue name. */
  queue?: string;
  clusterQueue?: string;
  priority: number;
  state: WorkloadState;
  createdAt: string;
  admittedAt?: string;
  finishedAt?: string;
  podSets: PodSetSummary[];
  /** GPUs requested in total (all pod sets, all GPU resources). */
  gpus: number;
  assignment?: WorkloadAssignment;
  /** Why it waits (pending) or why it was evicted. */
  reason?: Reason;
  /** 1 = next in its ClusterQueue. */
  positionInClusterQueue?: number;
  positionInLocalQueue?: number;
  /** Expected admission time (the median), from simulating the queues forward with learned run times. */
  eta?: string;
  /** The range around `eta`: admitted by this time in 10 % / 90 % of the simulated futures. */
  etaP10?: string;
  etaP90?: string;
  /** Run time in seconds the user declares (annotation ai-platform.io/expected-duration-seconds). */
  expectedDurationSeconds?: number;
  /** The run time the learned model predicts for it, and what that rests on. */
  expectedRunTime?: RunTimeEstimate;
  conditions: WorkloadCondition[];
  /** Catalog entity this workload belongs to (from backstage.io/kubernetes-id), if any. */
  entityRef?: string;
  /** True when this backend only observes (Kueue admits in that cluster). */
  observedOnly?: boolean;
}

/** Predicted run-time quantiles of a workload. */
export interface RunTimeEstimate {
  p10Seconds: number;
  p50Seconds: number;
  p90Seconds: number;
  /** calibrated-declaration: the declaration × the team's actual ÷ declared; history: finished runs like it; fallback: no data. */
  source: 'calibrated-declaration' | 'declaration' | 'history' | 'fallback';
  /** One sentence: what the prediction rests on. */
  basis: string;
}

/** A core/v1 Event about a workload, as kubectl describe shows it. */
export interface WorkloadEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  time: string;
  count: number;
  source?: string;
}

/** Filters of `GET /workloads` (from the OpenAPI spec); every field given must match. */
export type WorkloadQuery = Omit<NonNullable<paths['/workloads']['get']['parameters']['query']>, 'limit' | 'offset'>;

export interface WorkloadListResponse {
  items: WorkloadSummary[];
  total: number;
}

export interface QueueResourceUsage {
  flavor: string;
  resource: string;
  nominal: number;
  borrowingLimit?: number;
  lendingLimit?: number;
  used: number;
  borrowed: number;
}

export interface ClusterQueueSummary {
  cluster: string;
  name: string;
  cohort?: string;
  queueingStrategy: 'StrictFIFO' | 'BestEffortFIFO';
  stopPolicy: 'None' | 'Hold' | 'HoldAndDrain';
  resources: QueueResourceUsage[];
  /** Weighted dominant resource share (fair sharing). */
  fairShare: number;
  pending: number;
  admitted: number;
  localQueues: Array<{ namespace: string; name: string; team?: string }>;
}

export interface CohortSummary {
  cluster: string;
  name: string;
  parent?: string;
  clusterQueues: string[];
}

export interface QueueListResponse {
  clusterQueues: ClusterQueueSummary[];
  cohorts: CohortSummary[];
}

export interface FlavorSummary {
  cluster: string;
  name: string;
  nodeLabels: Record<string, string>;
  /** e.g. NVIDIA-H100-80GB-HBM3, from nodeLabels or the nodes it selects. */
  gpuProduct?: string;
  /** GPUs on the nodes this flavor selects. */
  capacity: Record<string, number>;
  allocated: Record<string, number>;
}

export interface ClusterSummary {
  name: string;
  /** "admit": this backend admits; "observe": Kueue runs there. */
  mode: 'admit' | 'observe';
  connected: boolean;
  leader: boolean;
  lastError?: string;
  nodes: number;
  flavors: FlavorSummary[];
  /** Free gang slots per flavor, GPU resource and topology domain. */
  gangSlots?: GangSlotSummary[];
}

/** How many gangs of a size fit now in one topology domain of one flavor. */
export interface GangSlotSummary {
  cluster: string;
  flavor: string;
  resource: string;
  /** Node label of the topology level (zone, rack, NVLink domain). */
  level: string;
  domain: string;
  nodes: number;
  freeGpus: number;
  gangs: Array<{
    size: number;
    /** On the domain's free GPUs now. */
    physical: number;
    /** Per ClusterQueue: physically and within its unused quota plus idle cohort quota it may borrow. */
    withinQuota: Record<string, number>;
  }>;
}

/** POST /workloads: submit a manifest (the backend adds the queue label and creates it suspended). */
export const submitWorkloadRequestSchema = z.object({
  /** The Kubernetes object to create (Job, JobSet, PyTorchJob, InferenceService, ...). */
  manifest: z.record(z.string(), z.unknown()),
  /** Target cluster; omitted: the cluster where it is expected to start first. */
  cluster: z.string().optional(),
  /** LocalQueue; omitted: the manifest's kueue.x-k8s.io/queue-name label. */
  queue: z.string().optional(),
  dryRun: z.boolean().optional(),
  /** FastestStart (default): the earliest start; Cheapest: the lowest GPU-hour price among clusters starting within the tolerance. */
  clusterPolicy: z.enum(['FastestStart', 'Cheapest']).optional(),
  /** Cheapest: only clusters where the workload starts within this many seconds in 90 % of simulated futures. */
  etaToleranceSeconds: z.number().positive().optional(),
});
export type SubmitWorkloadRequest = z.infer<typeof submitWorkloadRequestSchema>;

export interface PlanResponse {
  cluster?: string;
  queue?: string;
  clusterQueue?: string;
  flavors?: Record<string, string>;
  admissible: boolean;
  /** Why not (or why it would wait). */
  reason?: Reason;
  eta?: string;
  estimatedWaitSeconds?: number;
  etasByCluster: Record<string, string | null>;
  /** How the cluster was picked. */
  clusterPolicy?: 'FastestStart' | 'Cheapest';
  /** Every cluster weighed: when the workload would start there and what a GPU-hour costs there. */
  candidates?: PlanCandidate[];
  /** Cheapest: no cluster starts within the tolerance, so the fastest was taken. */
  toleranceMissed?: boolean;
  /** The team's monthly budget against this workload's projected cost (median run time × GPUs × price). */
  budget?: PlanBudget;
}

/** A plan's budget check, money as decimal strings in the price book's currency. */
export interface PlanBudget {
  team: string;
  policy: 'Warn' | 'Deprioritize' | 'Hold';
  month: string;
  budget: string;
  left: string;
  projectedCost: string;
  /** The projected cost is more than what is left. */
  exceedsBudget: boolean;
}

/** One cluster's figures in a plan. */
export interface PlanCandidate {
  cluster: string;
  /** Median and p90 start time there; absent when it would not start within the horizon. */
  eta?: string;
  etaP90?: string;
  /** Price per GPU-hour of the flavor it would run on, in the price book's currency (e.g. "3.10"). */
  pricePerGpuHour?: string;
  currency?: string;
  withinTolerance?: boolean;
  /** Why it cannot run there. */
  reason?: Reason;
}

export interface SubmitWorkloadResponse {
  workload: WorkloadSummary;
  plan: PlanResponse;
  created: boolean;
}
