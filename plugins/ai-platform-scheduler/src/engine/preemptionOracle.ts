import type { FairSharingConfig, FeatureGates } from '../config/types';
import { Assignment, Granular, PreemptionOracle } from './assign';
import { Candidate, findTargets, PreemptionRequest, Target } from './preemption';
import type { FlavorResource, QuotaNode } from './quota';
import { orderTime, type QueueState } from './queueOrder';
import type { WorkloadState } from './workloadState';

/**
 * The engine's questions to preemption: the flavor assigner's oracle (could
 * preempting free this flavor?) and the cycle's (whom to preempt?). A memo
 * per nomination lets the second reuse what the first found.
 */
export class Preemptions {
  constructor(
    private readonly queue: (name: string) => QueueState,
    private readonly fairSharing: () => FairSharingConfig,
    private readonly gates: () => FeatureGates,
  ) {}

  private *candidatesIn(node: QuotaNode): Iterable<Candidate> {
    for (const s of this.queue(node.name).admitted.values()) yield s.candidate!;
  }

  private request(
    queue: QueueState,
    state: WorkloadState,
    usage: Map<FlavorResource, number>,
    keys: Set<FlavorResource>,
  ): PreemptionRequest {
    const w = state.workload;
    return {
      preemptor: {
        key: w.key,
        priority: w.priority,
        // Kueue's LowerOrNewerEqualPriority compares queue-order timestamps.
        creationTime: orderTime(state),
        node: queue.node,
        preemption: queue.spec.preemption,
      },
      keys,
      usage,
      admitted: node => this.candidatesIn(node),
      fairSharing: this.fairSharing(),
      gates: this.gates(),
    };
  }

  /** Kueue's preemption oracle: whether preempting could free `amount` of one flavor/resource for the workload. */
  oracle(queue: QueueState, state: WorkloadState, memo?: Map<string, Target[]>): PreemptionOracle {
    return (key, amount) => {
      const targets = findTargets(this.request(queue, state, new Map([[key, amount]]), new Set([key])));
      memo?.set(`${key}|${amount}`, targets);
      if (targets.length === 0)
        return { possibility: Granular.NoCandidates, borrow: queue.node.borrowLevel(key, amount).level };
      targets.forEach(t => t.candidate.usage.forEach((v, k) => t.candidate.node.addUsage(k, -v)));
      const borrow = queue.node.borrowLevel(key, amount).level;
      targets.forEach(t => t.candidate.usage.forEach((v, k) => t.candidate.node.addUsage(k, v)));
      const inQueue = targets.some(t => t.candidate.node === queue.node);
      return { possibility: inQueue ? Granular.Preempt : Granular.Reclaim, borrow };
    };
  }

  /** The victims for an assignment; what the oracle already found for the same single request is reused. */
  targetsFor(queue: QueueState, state: WorkloadState, a: Assignment, memo?: Map<string, Target[]>): Target[] {
    if (a.usage.size === 1 && a.preemptKeys.size === 1) {
      const [[key, amount]] = a.usage;
      const known = a.preemptKeys.has(key) ? memo?.get(`${key}|${amount}`) : undefined;
      if (known) return known;
    }
    return findTargets(this.request(queue, state, a.usage, a.preemptKeys));
  }
}
