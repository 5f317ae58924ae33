import type { EngineCore } from './core';
import type { Nomination, QueueState } from './queueOrder';
import type { Admission, Decision } from './types';
import type { WorkloadState } from './workloadState';

/**
 * Kueue's cache: charges (or refunds) a workload's quota and, unless told
 * otherwise, its nodes under topology-aware admission.
 */
export function charge(core: EngineCore, queue: QueueState, state: WorkloadState, sign: 1 | -1, nodes = true) {
  queue.node.root().version++;
  for (const [key, amount] of state.usage!) queue.node.addUsage(key, sign * amount);
  if (core.inventory && nodes) {
    for (const ps of state.admission!.podSets) {
      if (!ps.topology) continue;
      const spec = state.workload.podSets.find(p => p.name === ps.name)!;
      core.inventory.apply(ps.topology, spec.requests, sign);
    }
  }
  if (sign === 1) {
    const w = state.workload;
    const ledger = queue.usesLocalQueueOrder ? core.ledger : undefined;
    state.candidate = {
      ...w,
      admittedAt: state.admittedAt!,
      node: queue.node,
      usage: state.usage!,
      ...(ledger && { localQueueUsage: () => ledger.usageOf(w) }),
    };
    queue.admitted.set(w.key, state);
  } else {
    state.candidate = undefined;
    queue.admitted.delete(state.workload.key);
  }
}

/** Frees a workload's quota and gives every inadmissible workload of the cohort tree another chance. */
export function release(core: EngineCore, state: WorkloadState) {
  const queue = core.queues.get(state.clusterQueue ?? '');
  state.token++;
  if (!queue) return;
  charge(core, queue, state, -1);
  state.admission = undefined;
  state.usage = undefined;
  wake(core, queue);
}

/** Quota was freed in the queue's cohort tree: every inadmissible workload there gets another chance. */
export function wake(core: EngineCore, queue: QueueState) {
  for (const node of queue.node.root().clusterQueues()) {
    const q = core.queues.get(node.name)!;
    q.unpark();
    q.unstall();
    if (q.hasCandidates) core.activeQueues.add(q);
  }
}

/**
 * Runs `fn` as if the admitted slice a pending workload slice replaces held
 * no quota in its ClusterQueue: the new slice counts the old one's usage as
 * its own (Kueue's ReplacedWorkloadSlice, removed from the snapshot).
 */
export function withoutReplaced<T>(core: EngineCore, state: WorkloadState, fn: () => T): T {
  const old = state.replaces;
  const queue =
    old?.status === 'admitted' && old.clusterQueue === state.clusterQueue
      ? core.queues.get(old.clusterQueue ?? '')
      : undefined;
  if (!old || !queue) return fn();
  const root = queue.node.root();
  const version = root.version;
  charge(core, queue, old, -1, false);
  try {
    return fn();
  } finally {
    charge(core, queue, old, 1, false);
    root.version = version;
  }
}

/** An admitted workload slice takes the place of the one it replaces (Kueue's replaceWorkloadSlice); returns its admission. */
function replaceSlice(core: EngineCore, slice: WorkloadState): Admission | undefined {
  const old = slice.replaces;
  if (!old) return undefined;
  slice.replaces = undefined;
  core.slices.delete(slice.workload.key);
  const replaced = old.admission;
  const queue = core.queues.get(old.clusterQueue ?? '');
  if (old.status === 'admitted' && queue) charge(core, queue, old, -1, false);
  old.status = 'finished';
  old.token++;
  core.timed.delete(old);
  slice.firstAdmittedAt = old.firstAdmittedAt;
  core.states.set(slice.workload.key, slice);
  return replaced;
}

/** Admits a nomination with its assignment: the workload's quota is charged, its pods-ready timer started. */
export function admit(core: EngineCore, n: Nomination, now: number): Decision {
  const { queue, state, assignment } = n;
  const replaced = replaceSlice(core, state);
  state.status = 'admitted';
  state.token++;
  state.admission = { clusterQueue: queue.spec.name, podSets: assignment.podSets };
  state.usage = assignment.usage;
  state.admittedAt = now;
  state.firstAdmittedAt ??= now;
  state.podsReady = false;
  state.isPreemptor = undefined;
  state.queueOrderTime = undefined;
  state.reserved = undefined;
  state.lastReason = undefined;
  charge(core, queue, state, 1);
  if (core.ledger && queue.usesLocalQueueOrder) core.ledger.admitted(state, now, queue.admitted.values());
  if (core.options.waitForPodsReady.enable) core.timed.add(state);
  return {
    type: 'Admitted',
    workload: state.workload.key,
    clusterQueue: queue.spec.name,
    admission: state.admission,
    borrowing: assignment.borrowing,
    ...(replaced && { replaced }),
  };
}
