/**
 * The engine's normalized view of Kueue's queue objects. Quantities are
 * milli-units (see quantity.ts); names keep Kueue's.
 */
import type { LabelSelector, Taint, Toleration } from '@ai-platform/backstage-plugin-ai-platform-common';

// Kubernetes' selector and taint shapes, and the functions that match them, are -common's (kube-sim shares them).
export type { LabelSelector, Taint, Toleration };

/** Kueue's preemption policies (withinClusterQueue, reclaimWithinCohort). */
export type PreemptionPolicy = 'Never' | 'LowerPriority' | 'LowerOrNewerEqualPriority' | 'Any';
export type QueueingStrategy = 'StrictFIFO' | 'BestEffortFIFO';
export type StopPolicy = 'None' | 'Hold' | 'HoldAndDrain';

export interface ResourceFlavor {
  name: string;
  nodeLabels: Record<string, string>;
  nodeTaints: Taint[];
  tolerations: Toleration[];
  topologyName?: string;
}

export interface ResourceQuota {
  nominal: number;
  borrowingLimit?: number;
  lendingLimit?: number;
}

export interface FlavorQuotas {
  flavor: string;
  resources: Record<string, ResourceQuota>;
}

export interface ResourceGroup {
  coveredResources: string[];
  flavors: FlavorQuotas[];
}

export interface ClusterQueuePreemption {
  withinClusterQueue: PreemptionPolicy;
  reclaimWithinCohort: PreemptionPolicy;
  borrowWithinCohort: { policy: PreemptionPolicy; maxPriorityThreshold?: number };
}

export interface ClusterQueue {
  name: string;
  cohort?: string;
  resourceGroups: ResourceGroup[];
  queueingStrategy: QueueingStrategy;
  /** undefined: no namespace is eligible (Kueue's null selector). */
  namespaceSelector?: LabelSelector;
  preemption: ClusterQueuePreemption;
  /**
   * Kueue's flavorFungibility. v1beta1's Borrow and Preempt are v1beta2's
   * MayStopSearch; both spellings are kept as written.
   */
  flavorFungibility: {
    whenCanBorrow: 'Borrow' | 'MayStopSearch' | 'TryNextFlavor';
    whenCanPreempt: 'Preempt' | 'MayStopSearch' | 'TryNextFlavor';
    preference?: 'BorrowingOverPreemption' | 'PreemptionOverBorrowing';
  };
  fairSharingWeight: number;
  stopPolicy: StopPolicy;
  /** Kueue's admissionScope: UsageBasedAdmissionFairSharing orders its LocalQueues by their usage. */
  admissionScope?: { admissionMode: 'UsageBasedAdmissionFairSharing' | 'NoAdmissionFairSharing' };
}

export interface Cohort {
  name: string;
  parent?: string;
  resourceGroups: ResourceGroup[];
  fairSharingWeight: number;
}

export interface LocalQueue {
  namespace: string;
  name: string;
  clusterQueue: string;
  stopPolicy: StopPolicy;
  /** spec.fairSharing.weight (admission fair sharing; default 1). */
  fairSharingWeight?: number;
  /** status.fairSharing.admissionFairSharingStatus: the usage history Kueue persisted, to resume from. */
  admissionFairSharingStatus?: LocalQueueUsage;
}

/** A LocalQueue's decayed usage history (admission fair sharing), milli-units per resource. */
export interface LocalQueueUsage {
  /** Decayed usage per resource. */
  consumedResources: Record<string, number>;
  /** ms; when consumedResources was last decayed */
  lastUpdate: number;
}

export interface Topology {
  name: string;
  /** Node label per level, from the widest (e.g. rack group) to the narrowest (hostname). */
  levels: string[];
}

export interface QueueConfig {
  flavors: Map<string, ResourceFlavor>;
  clusterQueues: Map<string, ClusterQueue>;
  cohorts: Map<string, Cohort>;
  /** key: namespace/name */
  localQueues: Map<string, LocalQueue>;
  priorityClasses: Map<string, number>;
  topologies: Map<string, Topology>;
  /** Namespace labels, for namespaceSelector. */
  namespaces: Map<string, Record<string, string>>;
}

export interface FairSharingConfig {
  enable: boolean;
  preemptionStrategies: Array<'LessThanOrEqualToFinalShare' | 'LessThanInitialShare'>;
}

/** Kueue Configuration's admissionFairSharing. */
export interface AdmissionFairSharingConfig {
  /** ms; 0 resets the usage at every sample */
  usageHalfLifeTime: number;
  /** ms; default 5 minutes */
  usageSamplingInterval: number;
  /** Weight of each resource in a LocalQueue's usage (default 1). */
  resourceWeights: Record<string, number>;
}

export interface WaitForPodsReadyConfig {
  enable: boolean;
  /** milliseconds */
  timeout: number;
  /** While an admitted workload's pods are not all ready, no other workload is admitted (default false). */
  blockAdmission: boolean;
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
  /** requeuingStrategy.timestamp: a workload evicted for its pods orders by its eviction (default) or its creation. */
  requeuingTimestamp: 'Eviction' | 'Creation';
  /** undefined: requeue forever */
  backoffLimitCount?: number;
}

/** Kueue feature gates that change scheduling semantics; defaults are Kueue 0.19's. */
export interface FeatureGates {
  /** Admit fewer pods, down to minCount, when the whole gang does not fit (default on). */
  PartialAdmission: boolean;
  /** Within a cohort, order heads by priority before creation time (default on). */
  PrioritySortingWithinCohort: boolean;
  /** Fair sharing: a queue within its nominal quota reclaims without the fair-share test (default on). */
  FairSharingPreemptWithinNominal: boolean;
  /** A workload that has preempted others goes before other heads in the next cycles (default off; alpha in 0.20). */
  PrioritizePreemptorWorkloads: boolean;
  /** Order a ClusterQueue's LocalQueues by their decayed usage, where config and admissionScope ask for it (default on; beta). */
  AdmissionFairSharing: boolean;
  /** An admitted workload may change its pod counts: shrinking frees quota at once, growing queues a workload slice (default on; beta since 0.18). */
  ElasticJobsViaWorkloadSlices: boolean;
}

export interface EngineOptions {
  fairSharing: FairSharingConfig;
  waitForPodsReady: WaitForPodsReadyConfig;
  /** Absent: admission fair sharing is off, as in Kueue without the config section. */
  admissionFairSharing?: AdmissionFairSharingConfig;
  /** Absent: Kueue 0.19's defaults. */
  featureGates?: FeatureGates;
  /** Kueue's `resources.deviceClassMappings`: DRA devices counted as quota; absent: none mapped. */
  deviceClassMappings?: DeviceClassMapping[];
}

/** A quota resource and the DRA DeviceClasses whose devices it counts, one unit per device. */
export interface DeviceClassMapping {
  /** The quota resource, as ClusterQueues name it in coveredResources. */
  name: string;
  /** The DeviceClasses whose devices count as it (at most 8). */
  deviceClassNames: string[];
}
