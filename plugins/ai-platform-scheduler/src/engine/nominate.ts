import { assignFlavors, AssignContext, Mode, reduceCounts } from './assign';
import { withoutReplaced } from './cache';
import type { EngineCore } from './core';
import type { Target } from './preemption';
import type { Nomination, QueueState } from './queueOrder';
import type { WorkloadState } from './workloadState';

/** What the flavor assigner needs to place a workload in a ClusterQueue, with the preemption oracle. */
export function contextFor(
  core: EngineCore,
  queue: QueueState,
  state: WorkloadState,
  memo?: Map<string, Target[]>,
): AssignContext {
  return {
    config: core.config,
    cq: queue.spec,
    node: queue.node,
    inventory: core.inventory,
    oracle: core.preemptions.oracle(queue, state, memo),
    fairSharing: core.options.fairSharing.enable,
    replaced: state.replaces?.status === 'admitted' ? state.replaces.admission : undefined,
  };
}

/** Kueue's getInitialAssignments: the whole gang by fit or preemption, else (PartialAdmission) fewer pods. */
export function nominate(core: EngineCore, queue: QueueState, state: WorkloadState): Nomination {
  return withoutReplaced(core, state, () => nominateNow(core, queue, state));
}

function nominateNow(core: EngineCore, queue: QueueState, state: WorkloadState): Nomination {
  const w = state.workload;
  const memo = new Map<string, Target[]>();
  const ctx = contextFor(core, queue, state, memo);
  const assignment = assignFlavors(ctx, w);
  if (assignment.mode === Mode.Fit) return { queue, state, assignment, targets: [] };
  if (assignment.mode === Mode.Preempt) {
    const targets = core.preemptions.targetsFor(queue, state, assignment, memo);
    if (targets.length > 0) return { queue, state, assignment, targets };
  }
  if (core.gates.PartialAdmission) {
    const partial = reduceCounts(w, counts => {
      const a = assignFlavors(ctx, w, counts);
      if (a.mode === Mode.Fit) return { assignment: a, targets: [] };
      const targets = a.mode === Mode.Preempt ? core.preemptions.targetsFor(queue, state, a, memo) : [];
      return targets.length > 0 ? { assignment: a, targets } : undefined;
    });
    if (partial) return { queue, state, ...partial };
  }
  return { queue, state, assignment, targets: [] };
}

/** Kueue's fits check: the nomination still fits once its victims are gone, after what this cycle admitted. */
export function stillFits(core: EngineCore, n: Nomination): boolean {
  return withoutReplaced(core, n.state, () => stillFitsNow(core, n));
}

function stillFitsNow(core: EngineCore, n: Nomination): boolean {
  const apply = (sign: 1 | -1) =>
    n.targets.forEach(t => t.candidate.usage.forEach((v, k) => t.candidate.node.addUsage(k, sign * v)));
  apply(-1);
  try {
    if (n.state.workload.podSets.some(ps => ps.topology)) {
      const again = assignFlavors(
        contextFor(core, n.queue, n.state),
        n.state.workload,
        n.assignment.podSets.map(p => p.count),
      );
      if (again.mode !== Mode.Fit) return false;
      if (n.targets.length === 0) n.assignment = again;
      return true;
    }
    for (const [key, need] of n.assignment.usage) if (need > n.queue.node.available(key)) return false;
    return true;
  } finally {
    apply(1);
  }
}
