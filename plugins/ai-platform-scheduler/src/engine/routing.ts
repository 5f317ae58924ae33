import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { QueueConfig } from '../config/types';
import { budgetVerdict, type BudgetStandings } from './budgets';
import { selects } from './labelSelector';
import type { EngineCore } from './core';
import { unmappedDeviceClass } from './devices';
import { entry, type QueueState } from './queueOrder';
import type { Workload } from './types';
import type { WorkloadState } from './workloadState';

/** Where a pending workload queues: its ClusterQueue, or why it cannot reach one. */
export interface Route {
  queue?: QueueState;
  /** Set as soon as the LocalQueue names an existing ClusterQueue. */
  clusterQueue?: string;
  problem?: Reason;
  /** Queued below work within budget (budget policy Deprioritize). */
  deprioritized: boolean;
}

/**
 * Routes a workload through its LocalQueue to its ClusterQueue, checking the
 * ClusterQueue's namespaceSelector, the LocalQueue's stopPolicy and the
 * team's budget.
 */
export function routeOf(
  config: QueueConfig,
  queues: Map<string, QueueState>,
  w: Workload,
  budgets: BudgetStandings,
): Route {
  const lq = config.localQueues.get(`${w.namespace}/${w.queue}`);
  if (!lq) {
    return {
      deprioritized: false,
      problem: { code: 'QueueNotFound', message: `LocalQueue ${w.queue} does not exist in namespace ${w.namespace}` },
    };
  }
  const queue = queues.get(lq.clusterQueue);
  if (!queue) {
    return {
      deprioritized: false,
      problem: {
        code: 'QueueNotFound',
        message: `ClusterQueue ${lq.clusterQueue} (of LocalQueue ${w.namespace}/${w.queue}) does not exist`,
      },
    };
  }
  const clusterQueue = queue.spec.name;
  if (!selects(queue.spec.namespaceSelector, config.namespaces.get(w.namespace))) {
    return {
      clusterQueue,
      deprioritized: false,
      problem: {
        code: 'NamespaceNotAllowed',
        message: `ClusterQueue ${clusterQueue}'s namespaceSelector does not select namespace ${w.namespace}${
          queue.spec.namespaceSelector
            ? ''
            : ' (it has no namespaceSelector; set namespaceSelector: {} to allow every namespace)'
        }`,
      },
    };
  }
  if (lq.stopPolicy !== 'None') {
    return {
      clusterQueue,
      deprioritized: false,
      problem: { code: 'QueueStopped', message: `LocalQueue ${w.namespace}/${w.queue} is stopped (${lq.stopPolicy})` },
    };
  }
  const budget = budgetVerdict(w, config, budgets);
  if (budget.hold) return { clusterQueue, deprioritized: false, problem: budget.hold };
  return { queue, clusterQueue, deprioritized: budget.deprioritized };
}

/** Puts a pending workload into its ClusterQueue's queue, or records why it has none. */
export function enqueue(core: EngineCore, state: WorkloadState) {
  const w = state.workload;
  state.token++;
  state.routeProblem = undefined;
  state.clusterQueue = undefined;
  const route = routeOf(core.config, core.queues, w, core.budgets);
  state.clusterQueue = route.clusterQueue;
  state.routeProblem = unmappedDeviceClass(w, core.options.deviceClassMappings ?? []) ?? route.problem;
  if (state.routeProblem || !route.queue) return;
  const queue = route.queue;
  state.deprioritized = route.deprioritized;
  if (state.requeueAt !== undefined) return; // waits for its backoff; runTimers queues it
  queue.active.push(entry(state));
  queue.unstall();
  core.activeQueues.add(queue);
}
