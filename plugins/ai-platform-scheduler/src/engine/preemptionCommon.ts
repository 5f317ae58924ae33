import type { FairSharingConfig, FeatureGates, PreemptionPolicy } from '../config/types';
import type { FlavorResource, QuotaNode } from './quota';
import type { Decision } from './types';

export type PreemptionReason = Extract<Decision, { type: 'Preempted' }>['reason'];

/** What preemption needs to know about an admitted workload. */
export interface Candidate {
  key: string;
  priority: number;
  creationTime: number;
  admittedAt: number;
  node: QuotaNode;
  usage: Map<FlavorResource, number>;
  /** Its LocalQueue (namespace and name). */
  namespace?: string;
  queue?: string;
  /** Admission fair sharing: its LocalQueue's usage now, when its ClusterQueue orders by it. */
  localQueueUsage?: () => number;
}

export interface Preemptor {
  key: string;
  priority: number;
  creationTime: number;
  node: QuotaNode;
  preemption: {
    withinClusterQueue: PreemptionPolicy;
    reclaimWithinCohort: PreemptionPolicy;
    borrowWithinCohort: { policy: PreemptionPolicy; maxPriorityThreshold?: number };
  };
}

export interface Target {
  candidate: Candidate;
  reason: PreemptionReason;
}

/** One question to the preemptor: whom to evict so that `usage` fits, freeing the flavor/resources `keys`. */
export interface PreemptionRequest {
  preemptor: Preemptor;
  /** The flavor/resource pairs that need preemption. */
  keys: Set<FlavorResource>;
  /** Everything the preemptor would use. */
  usage: Map<FlavorResource, number>;
  /** The admitted workloads of a ClusterQueue. */
  admitted: (clusterQueue: QuotaNode) => Iterable<Candidate>;
  fairSharing: FairSharingConfig;
  gates: FeatureGates;
}

/** Kueue's SatisfiesPreemptionPolicy. */
export function allowedBy(policy: PreemptionPolicy, p: Preemptor, c: Candidate): boolean {
  switch (policy) {
    case 'Any':
      return true;
    case 'LowerPriority':
      return c.priority < p.priority;
    case 'LowerOrNewerEqualPriority':
      return c.priority < p.priority || (c.priority === p.priority && c.creationTime > p.creationTime);
    default:
      return false;
  }
}

export function apply(c: Candidate, sign: 1 | -1) {
  for (const [key, amount] of c.usage) c.node.addUsage(key, sign * amount);
}

export function usesAny(c: Candidate, keys: Set<FlavorResource>) {
  for (const key of c.usage.keys()) if (keys.has(key)) return true;
  return false;
}

/** Kueue's workloadFits: within what the ClusterQueue can use now, and within nominal unless borrowing is allowed. */
export function fits(r: PreemptionRequest, allowBorrowing: boolean): boolean {
  const node = r.preemptor.node;
  for (const [key, need] of r.usage) {
    if (!allowBorrowing && node.borrowing(key, need)) return false;
    if (need > node.available(key)) return false;
  }
  return true;
}

/** Kueue's resourceUsagePreemptionEnabled: same ClusterQueue, other LocalQueues, both ordered by usage. */
function byLocalQueueUsage(a: Candidate, b: Candidate): number {
  if (a.node !== b.node || !a.localQueueUsage || !b.localQueueUsage) return 0;
  if (a.namespace === b.namespace && a.queue === b.queue) return 0;
  const ua = a.localQueueUsage();
  const ub = b.localQueueUsage();
  if (ua === ub) return 0; // also two infinite usages (weight 0)
  return ub < ua ? -1 : 1;
}

/**
 * Kueue's CandidatesOrdering: other ClusterQueues' workloads first, then
 * (admission fair sharing) those of the LocalQueue with more usage, then
 * lower priority, then the most recently admitted.
 */
export function candidateOrder(preemptorQueue: QuotaNode) {
  return (a: Candidate, b: Candidate) =>
    Number(a.node === preemptorQueue) - Number(b.node === preemptorQueue) ||
    byLocalQueueUsage(a, b) ||
    a.priority - b.priority ||
    b.admittedAt - a.admittedAt ||
    Number(a.key > b.key) - Number(a.key < b.key);
}

/** Adds back, newest removal first, every victim the preemptor can do without (Kueue's fillBackWorkloads). */
export function fillBack(r: PreemptionRequest, targets: Target[], allowBorrowing: boolean): Target[] {
  const kept = [...targets];
  for (let i = kept.length - 2; i >= 0; i--) {
    apply(kept[i].candidate, 1);
    if (fits(r, allowBorrowing)) kept.splice(i, 1);
    else apply(kept[i].candidate, -1);
  }
  return kept;
}
