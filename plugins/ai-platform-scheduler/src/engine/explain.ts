import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { appendTo } from './appendTo';
import { assignFlavors, AssignContext, Mode } from './assign';
import { waitingForPodsReady } from './podsReady';
import type { QueueState } from './queueOrder';
import type { PendingWorkloadInfo } from './types';
import type { WorkloadState } from './workloadState';

function info(state: WorkloadState, reason: Reason): PendingWorkloadInfo {
  return {
    workload: state.workload.key,
    localQueue: `${state.workload.namespace}/${state.workload.queue}`,
    clusterQueue: state.clusterQueue,
    priority: state.workload.priority,
    reason,
    requeueAt: state.requeueAt,
  };
}

/**
 * Why a routed, pending workload is not admitted, with `ahead` workloads
 * before it in its ClusterQueue and `blockers` admitted workloads whose pods
 * hold up every admission (waitForPodsReady.blockAdmission).
 */
export function reasonFor(
  queue: QueueState,
  state: WorkloadState,
  ahead: number,
  ctx: AssignContext,
  blockers = 0,
): Reason {
  if (queue.spec.stopPolicy !== 'None') {
    return { code: 'QueueStopped', message: `ClusterQueue ${queue.spec.name} is stopped (${queue.spec.stopPolicy})` };
  }
  if (state.status === 'inactive' || state.requeueAt !== undefined)
    return state.lastReason ?? { code: 'RequeueBackoff', message: 'Waiting for requeue backoff' };
  if (state.lastReason?.code === 'WaitingForPreemption') return state.lastReason;
  const assignment = assignFlavors(ctx, state.workload);
  if (assignment.mode === Mode.Fit) {
    if (blockers > 0) return waitingForPodsReady(blockers);
    return ahead === 0
      ? { code: 'WaitingInQueue', message: `Fits; admitted in the next scheduling cycle` }
      : {
          code: 'WaitingInQueue',
          message: `Fits now, but ${ahead} workload(s) are ahead of it in ClusterQueue ${queue.spec.name}`,
        };
  }
  return assignment.reason!;
}

/**
 * Every pending workload with its reason and its position in its
 * ClusterQueue and LocalQueue (1 = next).
 */
export function explainPending(
  states: Iterable<WorkloadState>,
  queues: Map<string, QueueState>,
  contextFor: (queue: QueueState, state: WorkloadState) => AssignContext,
  evaluate: (state: WorkloadState, reason: () => Reason) => Reason = (_, reason) => reason(),
  blockers = 0,
): PendingWorkloadInfo[] {
  const byQueue = new Map<string, WorkloadState[]>();
  const out: PendingWorkloadInfo[] = [];
  for (const state of states) {
    if (state.status !== 'pending' && state.status !== 'inactive') continue;
    if (state.routeProblem || !state.clusterQueue) {
      out.push(info(state, state.routeProblem ?? { code: 'QueueNotFound', message: 'No ClusterQueue' }));
      continue;
    }
    if (state.status === 'inactive') {
      // Deactivated: out of the queue (as in Kueue), so it has no position and is ahead of no one.
      out.push(info(state, state.lastReason ?? { code: 'RequeueBackoff', message: 'Deactivated' }));
      continue;
    }
    appendTo(byQueue, state.clusterQueue!, state);
  }
  for (const [name, waiting] of byQueue) {
    const queue = queues.get(name)!;
    waiting.sort((a, b) => (queue.workloadBefore(a.workload, b.workload) ? -1 : 1));
    const perLocal = new Map<string, number>();
    for (const [i, state] of waiting.entries()) {
      const lq = `${state.workload.namespace}/${state.workload.queue}`;
      perLocal.set(lq, (perLocal.get(lq) ?? 0) + 1);
      const pending = info(
        state,
        evaluate(state, () => reasonFor(queue, state, i, contextFor(queue, state), blockers)),
      );
      pending.positionInClusterQueue = i + 1;
      pending.positionInLocalQueue = perLocal.get(lq);
      out.push(pending);
    }
  }
  return out;
}
