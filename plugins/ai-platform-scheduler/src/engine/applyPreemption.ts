import { admit, release } from './cache';
import type { EngineCore } from './core';
import { stillFits } from './nominate';
import { admissionBlockers } from './podsReady';
import { entry, Nomination, QueueState, workloadBefore } from './queueOrder';
import { enqueue } from './routing';
import type { Decision } from './types';

/** Evicts the victims of a nomination at `now`; the preemptor becomes its queue's next head. */
export function preempt(core: EngineCore, n: Nomination, decisions: Decision[], now: number) {
  for (const t of n.targets) {
    const victim = core.states.get(t.candidate.key)!;
    const clusterQueue = victim.clusterQueue!;
    release(core, victim);
    victim.status = 'pending';
    victim.evictions++;
    victim.lastReason = undefined;
    // Kueue's GetQueueOrderTimestamp: without priority sorting, a victim of reclaim while borrowing queues after its preemptor.
    if (!core.gates.PrioritySortingWithinCohort && t.reason === 'InCohortReclaimWhileBorrowing')
      victim.queueOrderTime = now + 1;
    enqueue(core, victim);
    decisions.push({
      type: 'Preempted',
      workload: t.candidate.key,
      clusterQueue,
      preemptor: n.state.workload.key,
      reason: t.reason,
      message: `Preempted to make room for ${n.state.workload.key} in ClusterQueue ${n.queue.spec.name} (${t.reason})`,
    });
  }
  n.state.isPreemptor = true;
  n.state.reserved = n.assignment;
  n.state.lastReason = {
    code: 'WaitingForPreemption',
    message: `Waiting for ${n.targets.length} preempted workload(s) to release quota`,
  };
  n.queue.preemptor = entry(n.state);
  core.activeQueues.add(n.queue);
}

/**
 * Admits, before anything else is nominated, every workload whose victims
 * are gone, with the assignment it preempted for. Handing the freed quota
 * to the preemptor by construction is what keeps a victim from taking it
 * back and being preempted again, forever (Kueue narrows that window with
 * PrioritizePreemptorWorkloads; here it is closed).
 */
export function admitPreemptors(core: EngineCore, now: number, decisions: Decision[]): boolean {
  const waiting: QueueState[] = [];
  for (const queue of core.queues.values()) {
    const head = queue.preemptor;
    if (head?.state.reserved && head.token === head.state.token && head.state.status === 'pending') waiting.push(queue);
  }
  // In queue order, so the outcome does not depend on the order the ClusterQueues were listed in.
  waiting.sort((a, b) => (workloadBefore(a.preemptor!.state.workload, b.preemptor!.state.workload) ? -1 : 1));
  let progress = false;
  for (const queue of waiting) {
    if (admissionBlockers(core) > 0) {
      core.podsReadyHold = true; // Kueue's scheduler stops at this preemptor, which fits now; it keeps its reservation
      break;
    }
    const state = queue.preemptor!.state;
    const n: Nomination = { queue, state, assignment: state.reserved!, targets: [] };
    state.reserved = undefined;
    if (!stillFits(core, n)) continue; // the inputs changed: it is nominated afresh
    queue.preemptor = undefined;
    decisions.push(admit(core, n, now));
    progress = true;
  }
  return progress;
}
