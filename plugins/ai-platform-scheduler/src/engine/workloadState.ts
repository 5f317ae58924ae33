import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Assignment } from './assign';
import type { Candidate } from './preemption';
import type { FlavorResource } from './quota';
import type { Admission, Workload } from './types';

export type WorkloadStatus = 'pending' | 'admitted' | 'finished' | 'inactive';

/** What the engine knows about one workload. */
export interface WorkloadState {
  readonly workload: Workload;
  status: WorkloadStatus;
  clusterQueue?: string;
  /** Why the workload cannot reach a ClusterQueue at all. */
  routeProblem?: Reason;
  admission?: Admission;
  usage?: Map<FlavorResource, number>;
  admittedAt?: number;
  firstAdmittedAt?: number;
  podsReady: boolean;
  requeueCount: number;
  requeueAt?: number;
  evictions: number;
  /** It preempted others and waits for the quota they free (Kueue's IsPreemptor). */
  isPreemptor?: boolean;
  /** The admission it preempted for: admitted first in the next cycle, so no one else takes the freed quota. */
  reserved?: Assignment;
  /** While admitted: what preemption needs to know of it (made once per admission, not per question). */
  candidate?: Candidate;
  /** Its team is over budget under policy Deprioritize: it queues below work within budget. */
  deprioritized?: boolean;
  /** The reason found the last time the engine tried it. */
  lastReason?: Reason;
  /** A pending workload slice: the admitted slice of the same workload it replaces once admitted (Kueue's replacement-for). */
  replaces?: WorkloadState;
  /**
   * Kueue's queue-order timestamp when it is not the creation time (ms): the
   * pods-ready timeout that evicted it (requeuingStrategy.timestamp
   * Eviction), or just after a preemption while borrowing with
   * PrioritySortingWithinCohort off. Cleared when it is admitted.
   */
  queueOrderTime?: number;
  /** Bumped whenever the workload is queued, so stale heap entries are skipped. */
  token: number;
}
