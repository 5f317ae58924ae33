import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WaitForPodsReadyConfig } from '../config/types';
import { release } from './cache';
import type { EngineCore } from './core';
import { enqueue } from './routing';
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
  if (config.requeuingTimestamp === 'Eviction') state.queueOrderTime = now;
  const backoff = requeueBackoff(config, state.requeueCount);
  state.status = 'pending';
  state.requeueAt = now + backoff;
  state.lastReason = { code: 'RequeueBackoff', message: `${message}; requeued after a ${backoff / 1000}s backoff` };
  return { ...decision, requeueAt: state.requeueAt };
}

/** The next time at which a timer (requeue backoff, pods-ready timeout) needs schedule() to run. */
export function nextWakeup(core: EngineCore): number | undefined {
  let next: number | undefined;
  for (const state of core.timed) {
    const t =
      state.status === 'pending' && state.requeueAt !== undefined
        ? state.requeueAt
        : podsReadyDeadline(state, core.options.waitForPodsReady);
    if (t === undefined) core.timed.delete(state);
    else if (next === undefined || t < next) next = t;
  }
  return next;
}

/** Requeues workloads whose backoff is over and evicts admitted ones whose pods were not ready in time. */
export function runTimers(core: EngineCore, now: number, decisions: Decision[]) {
  const wfpr = core.options.waitForPodsReady;
  for (const state of core.timed) {
    if (state.status === 'pending' && state.requeueAt !== undefined && state.requeueAt <= now) {
      state.requeueAt = undefined;
      enqueue(core, state);
    } else if ((podsReadyDeadline(state, wfpr) ?? Infinity) <= now) {
      const clusterQueue = state.clusterQueue!;
      release(core, state);
      decisions.push(podsReadyTimeout(state, wfpr, clusterQueue, now));
    }
  }
}

/**
 * Kueue's waitForPodsReady.blockAdmission: how many admitted workloads'
 * pods are not all ready yet, while no other workload may be admitted (0:
 * admissions go ahead, or blocking is off).
 */
export function admissionBlockers(core: EngineCore): number {
  const wfpr = core.options.waitForPodsReady;
  if (!wfpr.enable || !wfpr.blockAdmission) return 0;
  let blockers = 0;
  for (const state of core.timed) if (state.status === 'admitted' && !state.podsReady) blockers++;
  return blockers;
}

/** The reason of a workload that fits but waits for other workloads' pods (Kueue's WaitingForPodsReady). */
export function waitingForPodsReady(blockers: number): Reason {
  return {
    code: 'WaitingInQueue',
    kueueReason: 'WaitingForPodsReady',
    message: `Fits, but admissions wait until the pods of every admitted workload are ready (waitForPodsReady.blockAdmission): ${blockers} workload(s) not ready yet`,
  };
}
