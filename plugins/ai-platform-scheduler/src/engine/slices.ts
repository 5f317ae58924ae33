import { toUnits, type Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { perPod } from './assign';
import { charge, wake, withoutReplaced } from './cache';
import type { EngineCore } from './core';
import { usageOf } from './quotaUsage';
import { enqueue } from './routing';
import type { Workload } from './types';
import type { WorkloadState } from './workloadState';

/** What a resize did: nothing, freed quota at once, or queued a workload slice for the larger size. */
export type ResizeOutcome = 'Unchanged' | 'ScaledDown' | 'SlicePending';

function admittedCounts(state: WorkloadState): Map<string, number> {
  return new Map(state.admission!.podSets.map(ps => [ps.name, ps.count]));
}

function checkedCounts(state: WorkloadState, counts: Record<string, number>): Map<string, number> {
  const { key, podSets } = state.workload;
  const names = podSets.map(ps => ps.name);
  const given = Object.keys(counts);
  if (given.length !== names.length || given.some(n => !names.includes(n)))
    throw new Error(`workload ${key}: counts: must name its pod sets (${names.join(', ')}), got ${given.join(', ')}`);
  for (const [name, count] of Object.entries(counts))
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`workload ${key}: counts.${name}: must be a whole number of pods, at least 1, got ${count}`);
  return new Map(Object.entries(counts));
}

function withCounts(w: Workload, counts: Map<string, number>): Workload {
  return { ...w, podSets: w.podSets.map(({ minCount: _min, ...ps }) => ({ ...ps, count: counts.get(ps.name)! })) };
}

/** Forgets the pending workload slice of a workload, if it has one. */
export function dropSlice(core: EngineCore, key: string) {
  const slice = core.slices.get(key);
  if (!slice) return;
  slice.token++;
  slice.status = 'finished';
  core.slices.delete(key);
}

/**
 * Kueue's elastic jobs via workload slices (EnsureWorkloadSlices): an
 * admitted workload changes its pod counts. A scale-down (no pod set grows)
 * updates the admission in place and frees the quota at once. A scale-up
 * queues a new slice of the larger size that counts the admitted slice's
 * quota as its own, so it needs only the extra; once admitted it replaces the
 * old slice in one step. Until then the workload keeps running as it is.
 */
export function resize(core: EngineCore, key: string, counts: Record<string, number>): ResizeOutcome {
  if (!core.gates.ElasticJobsViaWorkloadSlices)
    throw new Error(`workload ${key} cannot be resized: feature gate ElasticJobsViaWorkloadSlices is off`);
  const state = core.states.get(key);
  if (state?.status !== 'admitted')
    throw new Error(`workload ${key} cannot be resized: it is not admitted (a pending workload is submitted again)`);
  if (state.workload.podSets.some(ps => ps.topology))
    throw new Error(
      `workload ${key} cannot be resized: it uses topology-aware admission (Kueue's ElasticJobsViaWorkloadSlicesWithTAS, not implemented)`,
    );
  const wanted = checkedCounts(state, counts);
  const current = admittedCounts(state);
  dropSlice(core, key);
  const grows = [...wanted].some(([name, n]) => n > current.get(name)!);
  if (!grows) {
    if ([...wanted].every(([name, n]) => n === current.get(name))) return 'Unchanged';
    const workload = withCounts(state.workload, wanted);
    const admission = {
      ...state.admission!,
      podSets: state.admission!.podSets.map(ps => ({ ...ps, count: wanted.get(ps.name)! })),
    };
    const next: WorkloadState = { ...state, workload, admission, usage: usageOf(workload, admission) };
    const queue = core.queues.get(state.clusterQueue ?? '');
    if (queue) charge(core, queue, state, -1, false);
    state.status = 'finished';
    state.token++;
    core.states.set(key, next);
    if (core.timed.delete(state)) core.timed.add(next);
    if (queue) {
      charge(core, queue, next, 1, false);
      wake(core, queue);
    }
    return 'ScaledDown';
  }
  const slice: WorkloadState = {
    workload: withCounts(state.workload, wanted),
    status: 'pending',
    podsReady: false,
    requeueCount: 0,
    evictions: 0,
    token: 0,
    replaces: state,
  };
  core.slices.set(key, slice);
  enqueue(core, slice);
  return 'SlicePending';
}

/** What a pending slice needs beyond its admitted slice, e.g. "4 more nvidia.com/gpu". */
function extraOf(slice: WorkloadState): string {
  const current = admittedCounts(slice.replaces!);
  const extra = new Map<string, number>();
  for (const ps of slice.workload.podSets) {
    const more = ps.count - (current.get(ps.name) ?? 0);
    for (const resource of Object.keys(ps.requests))
      extra.set(resource, (extra.get(resource) ?? 0) + more * perPod(ps, resource));
  }
  return [...extra]
    .filter(([, amount]) => amount > 0)
    .map(([resource, amount]) => `${toUnits(amount)} more ${resource}`)
    .join(', ');
}

function pods(counts: Iterable<number>): number {
  return [...counts].reduce((a, b) => a + b, 0);
}

/** The reason of a pending workload; for a slice, found with the old slice's quota as its own, and naming what it waits for. */
export function sliceReason(core: EngineCore, state: WorkloadState, reason: () => Reason): Reason {
  if (!state.replaces || state.replaces.status !== 'admitted') return reason();
  const found = withoutReplaced(core, state, reason);
  if (found.code === 'WaitingInQueue') return found;
  const from = pods(admittedCounts(state.replaces).values());
  const to = pods(state.workload.podSets.map(ps => ps.count));
  return {
    ...found,
    message: `Growing from ${from} to ${to} pods (the ${from} running keep their quota); waits for ${extraOf(state)}: ${
      found.message
    }`,
  };
}
