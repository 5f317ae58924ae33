import type { EngineOptions, FeatureGates, QueueConfig } from '../config/types';
import type { UsageLedger } from './admissionFairSharing';
import type { BudgetStandings } from './budgets';
import type { Preemptions } from './preemptionOracle';
import type { QueueState } from './queueOrder';
import type { NodeInventory } from './topology';
import type { WorkloadState } from './workloadState';

/**
 * What the engine's units share: the queues (Kueue's queue manager), the
 * workloads and their timers, the quota and node bookkeeping (Kueue's cache).
 * The Engine owns one; each unit works on it through plain functions.
 */
export interface EngineCore {
  config: QueueConfig;
  queues: Map<string, QueueState>;
  readonly states: Map<string, WorkloadState>;
  /** Pending workload slices (elastic workloads growing), by the key of the workload they grow. */
  readonly slices: Map<string, WorkloadState>;
  /** Queues with something in their active heap. */
  readonly activeQueues: Set<QueueState>;
  /** Workloads with a timer: waiting out a requeue backoff, or admitted and not yet ready under waitForPodsReady. */
  readonly timed: Set<WorkloadState>;
  budgets: BudgetStandings;
  /**
   * waitForPodsReady.blockAdmission stopped scheduling at a workload that
   * fits: nothing is admitted or preempted until every admitted workload's
   * pods are ready (Kueue's scheduler waits inside its cycle).
   */
  podsReadyHold: boolean;
  readonly inventory?: NodeInventory;
  readonly options: EngineOptions;
  readonly gates: FeatureGates;
  /** Answers the flavor assigner's and the cycle's questions about victims. */
  readonly preemptions: Preemptions;
  /** Admission fair sharing's LocalQueue usage, when the config section is set and the gate on. */
  readonly ledger?: UsageLedger;
}
