import { Mode } from './assign';
import { admitPreemptors, preempt } from './applyPreemption';
import { admit } from './cache';
import type { EngineCore } from './core';
import { stillFits } from './nominate';
import type { FlavorResource, QuotaNode } from './quota';
import { reservationOf } from './quotaUsage';
import { classicalOrder, fairOrder } from './queueOrder';
import { admissionBlockers, waitingForPodsReady } from './podsReady';
import { heads, requeue } from './queueManager';
import type { Decision } from './types';

/**
 * One Kueue scheduling cycle (scheduler.go's schedule): the head of every
 * ClusterQueue, in order. Returns whether anything changed.
 */
export function cycle(core: EngineCore, now: number, decisions: Decision[]): boolean {
  if (core.podsReadyHold) {
    if (admissionBlockers(core) > 0) return false;
    core.podsReadyHold = false;
  }
  // Quota held for this cycle: stalled StrictFIFO heads' reservations, preemptors', unreclaimable heads'.
  const held: Array<{ node: QuotaNode; usage: Map<FlavorResource, number> }> = [];
  const hold = (node: QuotaNode, usage: Map<FlavorResource, number>) => {
    for (const [key, amount] of usage) node.addUsage(key, amount);
    held.push({ node, usage });
  };
  for (const queue of core.queues.values()) {
    if (queue.stalled && queue.reservation) hold(queue.node, reservationOf(queue, queue.reservation));
  }
  const admitted = admitPreemptors(core, now, decisions);
  const release = () => {
    for (const { node, usage } of held) for (const [key, amount] of usage) node.addUsage(key, -amount);
  };
  if (core.podsReadyHold) {
    release();
    return admitted;
  }
  const { nominations, progress: parked } = heads(core);
  let progress = parked || admitted;
  const preempted = new Set<string>();
  const ordered = core.options.fairSharing.enable
    ? fairOrder(nominations, core.gates)
    : classicalOrder(nominations, core.gates);
  let blocked = false;
  for (const n of ordered) {
    const mode = n.assignment.mode;
    if (blocked) {
      requeue(core, n, false);
      continue;
    }
    if (mode === Mode.NoFit || (mode === Mode.Preempt && n.targets.length === 0)) {
      requeue(core, n, true);
      if (mode === Mode.Preempt && n.queue.spec.preemption.reclaimWithinCohort !== 'Any') {
        hold(n.queue.node, reservationOf(n.queue, n.assignment));
        if (n.queue.stalled) n.queue.reservation = n.assignment;
      }
      progress = true;
      continue;
    }
    if (n.targets.some(t => preempted.has(t.candidate.key)) || !stillFits(core, n)) {
      requeue(core, n, false);
      continue;
    }
    const blockers = mode === Mode.Fit ? admissionBlockers(core) : 0;
    if (blockers > 0) {
      // Kueue's scheduler stops at this entry (waitForPodsReadyIfNeeded) until the pods are ready: the rest of the cycle waits too.
      n.state.lastReason = waitingForPodsReady(blockers);
      requeue(core, n, false);
      blocked = core.podsReadyHold = true;
      continue;
    }
    progress = true;
    if (mode === Mode.Preempt) {
      n.targets.forEach(t => preempted.add(t.candidate.key));
      preempt(core, n, decisions, now);
      hold(n.queue.node, n.assignment.usage);
      continue;
    }
    decisions.push(admit(core, n, now));
  }
  release();
  return progress;
}
