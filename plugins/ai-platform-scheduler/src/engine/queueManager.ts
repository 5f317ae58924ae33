import type { QueueConfig } from '../config/types';
import { release } from './cache';
import type { EngineCore } from './core';
import { nominate } from './nominate';
import { entry, Nomination, shapeOf } from './queueOrder';
import { enqueue } from './routing';
import type { Decision } from './types';

/**
 * Kueue's queue manager: puts a head that was not admitted back, parked
 * (BestEffortFIFO) or at the front, stalling its queue (StrictFIFO).
 */
export function requeue(core: EngineCore, n: Nomination, inadmissible: boolean) {
  const { queue, state } = n;
  if (inadmissible && queue.spec.queueingStrategy === 'BestEffortFIFO') {
    if (queue.spec.preemption.withinClusterQueue !== 'LowerOrNewerEqualPriority') {
      queue.inadmissibleShapes.set(shapeOf(state.workload), queue.node.root().version);
    }
    queue.parked.push(entry(state));
  } else {
    queue.active.push(entry(state));
    if (inadmissible) queue.stalled = true;
    core.activeQueues.add(queue);
  }
}

/** The heads of the active ClusterQueues, nominated (parking known-inadmissible shapes on the way). */
export function heads(core: EngineCore): { nominations: Nomination[]; progress: boolean } {
  const nominations: Nomination[] = [];
  let progress = false;
  for (const queue of [...core.activeQueues]) {
    if (queue.stalled || queue.spec.stopPolicy !== 'None') {
      core.activeQueues.delete(queue);
      continue;
    }
    const version = queue.node.root().version;
    let head = queue.popHead();
    if (queue.spec.queueingStrategy === 'BestEffortFIFO') {
      while (head && queue.inadmissibleShapes.get(shapeOf(head.state.workload)) === version) {
        queue.parked.push(head);
        progress = true;
        head = queue.popHead();
      }
    }
    if (!queue.hasCandidates) core.activeQueues.delete(queue);
    if (head) nominations.push(nominate(core, queue, head.state));
  }
  return { nominations, progress };
}

const drainedCache = new WeakMap<QueueConfig, Set<string>>();

/** The LocalQueues (namespace/name) stopped with HoldAndDrain, once per configuration. */
function drainedLocalQueues(config: QueueConfig): Set<string> {
  let drained = drainedCache.get(config);
  if (!drained) {
    drained = new Set([...config.localQueues].filter(([, lq]) => lq.stopPolicy === 'HoldAndDrain').map(([key]) => key));
    drainedCache.set(config, drained);
  }
  return drained;
}

/**
 * Evicts everything a ClusterQueue stopped with HoldAndDrain has admitted,
 * and what was admitted through a LocalQueue stopped so (Kueue's
 * ClusterQueueStopped and LocalQueueStopped; the platform's code is
 * ClusterQueueStopped for both); the workloads queue again.
 */
export function drainStopped(core: EngineCore, decisions: Decision[]) {
  const drainedLocal = drainedLocalQueues(core.config);
  for (const queue of core.queues.values()) {
    const drained = queue.spec.stopPolicy === 'HoldAndDrain';
    if (!drained && drainedLocal.size === 0) continue;
    for (const state of [...queue.admitted.values()]) {
      const lq = `${state.workload.namespace}/${state.workload.queue}`;
      const message = drained
        ? `ClusterQueue ${queue.spec.name} is stopped with HoldAndDrain`
        : drainedLocal.has(lq) && `LocalQueue ${lq} is stopped with HoldAndDrain`;
      if (!message) continue;
      release(core, state);
      state.evictions++;
      state.status = 'pending';
      enqueue(core, state);
      decisions.push({
        type: 'Evicted',
        workload: state.workload.key,
        clusterQueue: queue.spec.name,
        reason: 'ClusterQueueStopped',
        message,
      });
    }
  }
}
