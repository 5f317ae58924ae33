/**
 * Machine-readable reasons the platform gives for a workload that waits or was
 * evicted. Every code has a runbook page at `docs/runbooks/<code>.md`; a test
 * in the docs checks that.
 */
export const pendingReasonCodes = [
  /** The flavors this workload fits are fully used; it waits for quota to free up. */
  'QuotaExhausted',
  /** No flavor of the ClusterQueue covers a requested resource, or none matches its node selector. */
  'NoMatchingFlavor',
  /** The request is larger than the ClusterQueue can ever provide, even borrowing. */
  'ExceedsQueueMaximum',
  /** The workload is behind others in a StrictFIFO queue. */
  'WaitingInQueue',
  /** Fits, but needs preemption of workloads that are still terminating. */
  'WaitingForPreemption',
  /** No topology domain (NVLink domain, rack) can hold the gang. */
  'TopologyPlacementFailed',
  /** The ClusterQueue or LocalQueue is stopped (stopPolicy Hold / HoldAndDrain). */
  'QueueStopped',
  /** The LocalQueue or ClusterQueue named by the workload does not exist. */
  'QueueNotFound',
  /** The namespace is not selected by the ClusterQueue's namespaceSelector. */
  'NamespaceNotAllowed',
  /** Requeued after an eviction; waiting for its backoff to expire. */
  'RequeueBackoff',
  /** This backend only observes the cluster (Kueue runs there) and Kueue has not admitted it yet. */
  'ObservedOnly',
] as const;

/** Reasons a workload was evicted after admission. Preemption reasons keep Kueue's names. */
export const evictionReasonCodes = [
  'InClusterQueue',
  'InCohortReclamation',
  'InCohortFairSharing',
  'InCohortReclaimWhileBorrowing',
  'PodsReadyTimeout',
  'ClusterQueueStopped',
] as const;

/** Operational problems the platform reports on a running workload. */
export const healthReasonCodes = [
  'GpuOutOfMemory',
  'GpuXidError',
  'IdleGpus',
  'BudgetExceeded',
  'InferenceLatencyAboveTarget',
  'AgentEgressDenied',
] as const;

/**
 * Kueue 0.19's reasons for a workload's `QuotaReserved=False` condition
 * (KEP-10852, feature gate UnadmittedWorkloadsObservability, on by default
 * since 0.19), in Kueue's order of precedence: the workload-wide reasons
 * first, then the nominated flavor's, then PendingEvaluation. A lower index
 * is the more severe reason, which wins when several apply.
 */
export const kueuePendingReasons = [
  // Workload-wide: independent of any flavor assignment.
  'Deactivated',
  'Misconfigured',
  'NoMatchingFlavor',
  'Suspended',
  'AdmissionGated',
  'WaitingForPodsReady',
  // The nominated flavor assignment. (KEP-10852's draft also had BorrowingLimitReached; it was dropped
  // before 0.19: a request over nominal + borrowingLimit is ExceedsMaxQuota, a reached limit WaitingForQuota.)
  'ExceedsMaxQuota',
  'WaitingForQuota',
  'TopologyPlacementFailed',
  'WaitingForPreemptedWorkloads',
  // Not evaluated yet.
  'PendingEvaluation',
] as const;

/** A reason Kueue 0.19 gives for QuotaReserved=False. */
export type KueuePendingReason = (typeof kueuePendingReasons)[number];

/** Why a workload is not admitted. */
export type PendingReasonCode = (typeof pendingReasonCodes)[number];
/** Why a workload was evicted. */
export type EvictionReasonCode = (typeof evictionReasonCodes)[number];
/** A health finding about a running workload. */
export type HealthReasonCode = (typeof healthReasonCodes)[number];
/** Any reason code; each one has a runbook. */
export type ReasonCode = PendingReasonCode | EvictionReasonCode | HealthReasonCode;

/** Every reason code the API can return. */
export const allReasonCodes: readonly ReasonCode[] = [
  ...pendingReasonCodes,
  ...evictionReasonCodes,
  ...healthReasonCodes,
];

/** A reason with the detail a user needs to act on it. */
export interface Reason {
  code: ReasonCode;
  /** One sentence, for people. */
  message: string;
  /** The reason Kueue 0.19 gives for the same state on its QuotaReserved condition (KEP-10852), for pending ones. */
  kueueReason?: KueuePendingReason;
  /** Which resource of which flavor is short and by how much, when that is the cause. */
  shortfall?: Array<{
    flavor: string;
    resource: string;
    requested: number;
    available: number;
  }>;
}

/**
 * The entity whose TechDocs hold the runbooks, unless `aiPlatform.runbooks.entityRef` names another: the
 * Component the backend package ships in `runbooks/catalog-info.yaml`, so reason links work in any app that
 * registers it.
 */
export const defaultRunbookEntityRef = 'component:default/ai-platform-runbooks';

/** Path of a reason's runbook, relative to the TechDocs site root. */
export function runbookPath(code: ReasonCode): string {
  return `runbooks/${code}/`;
}
