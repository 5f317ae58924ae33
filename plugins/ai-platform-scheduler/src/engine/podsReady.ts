import type { WaitForPodsReadyConfig } from '../config/types';
import type { Decision } from './types';
import type { WorkloadState } from './workloadState';

/** When an admitted workload whose pods are not ready yet is evicted, or undefined. */
export function podsReadyDeadline(state: WorkloadState, config: WaitForPodsReadyConfig): number | undefined {
  if (!config.enable || state.status !== 'admitted' || state.podsReady) return undefined;
  return state.admittedAt! + config.timeout;
}

/** Kueue's requeue backoff after the n-th eviction: base × 2^(n-1) seconds, capped, in ms. */
export function requeueBackoff(config: WaitForPodsReadyConfig, requeueCount: number): number {
  return Math.min(config.backoffBaseSeconds * 2 ** (requeueCount - 1), config.backoffMaxSeconds) * 1000;
}

/**
 * A workload whose pods were not ready in time, already released: it is
 * requeued after a backoff, or deactivated once past backoffLimitCount.
 */
export function podsReadyTimeout(
  state: WorkloadState,
  config: WaitForPodsReadyConfig,
  clusterQueue: string,
  now: number,
): Extract<Decision, { type: 'Evicted' }> {
  state.requeueCount++;
  state.evictions++;
  const message = `Pods were not ready within ${config.timeout / 1000}s of admission`;
  const decision = {
    type: 'Evicted' as const,
    workload: state.workload.key,
    clusterQueue,
    reason: 'PodsReadyTimeout' as const,
    message,
  };
  if (config.backoffLimitCount !== undefined && state.requeueCount > config.backoffLimitCount) {
    state.status = 'inactive';
    state.lastReason = {
      code: 'RequeueBackoff',
      message: `${message}; deactivated after ${state.requeueCount} attempts`,
    };
    return { ...decision, deactivated: true };
  }
  const backoff = requeueBackoff(config, state.requeueCount);
  state.status = 'pending';
  state.requeueAt = now + backoff;
  state.lastReason = { code: 'RequeueBackoff', message: `${message}; requeued after a ${backoff / 1000}s backoff` };
  return { ...decision, requeueAt: state.requeueAt };
}
