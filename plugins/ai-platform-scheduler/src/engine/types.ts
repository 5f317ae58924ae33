import type { EvictionReasonCode, Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { NodeSelectorTerm } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Toleration } from '../config/types';

/** Requests are milli-units per pod (see config/quantity.ts). */
export interface PodSet {
  name: string;
  count: number;
  /** Partial admission: the gang may start with as few as this many pods. */
  minCount?: number;
  requests: Record<string, number>;
  /** DRA devices each pod claims (from its ResourceClaimTemplates), per DeviceClass; counted through deviceClassMappings. */
  devices?: Record<string, number>;
  nodeSelector?: Record<string, string>;
  /** The pods' required node affinity (requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms): one term must match. */
  nodeAffinity?: NodeSelectorTerm[];
  tolerations?: Toleration[];
  /** Topology-aware admission: all pods within one domain of this node label level. */
  topology?: { required?: string; preferred?: string };
}

export interface Workload {
  /** namespace/name */
  key: string;
  namespace: string;
  name: string;
  /** LocalQueue name in the workload's namespace. */
  queue: string;
  priority: number;
  /** Milliseconds (any epoch, consistently used). */
  creationTime: number;
  podSets: PodSet[];
}

export interface PodSetAssignment {
  name: string;
  count: number;
  /** resource -> flavor */
  flavors: Record<string, string>;
  /** Present under topology-aware admission: pods per node. */
  topology?: { level: string; domain: string; nodes: Record<string, number> };
}

export interface Admission {
  clusterQueue: string;
  podSets: PodSetAssignment[];
}

export type Decision =
  | {
      type: 'Admitted';
      workload: string;
      clusterQueue: string;
      admission: Admission;
      borrowing: boolean;
      /** A workload slice was admitted: it replaced this admission of the same (running) workload. */
      replaced?: Admission;
    }
  | {
      type: 'Preempted';
      workload: string;
      clusterQueue: string;
      preemptor: string;
      reason: Extract<
        EvictionReasonCode,
        'InClusterQueue' | 'InCohortReclamation' | 'InCohortFairSharing' | 'InCohortReclaimWhileBorrowing'
      >;
      message: string;
    }
  | {
      type: 'Evicted';
      workload: string;
      clusterQueue: string;
      reason: Extract<EvictionReasonCode, 'PodsReadyTimeout' | 'ClusterQueueStopped'>;
      message: string;
      /** When the workload may be admitted again (backoff); absent when deactivated. */
      requeueAt?: number;
      deactivated?: boolean;
    };

export interface PendingWorkloadInfo {
  workload: string;
  localQueue: string;
  clusterQueue?: string;
  priority: number;
  /** 1-based position among the pending workloads of its ClusterQueue, in admission order. */
  positionInClusterQueue?: number;
  /** 1-based position among the pending workloads of its LocalQueue. */
  positionInLocalQueue?: number;
  reason: Reason;
  requeueAt?: number;
}
