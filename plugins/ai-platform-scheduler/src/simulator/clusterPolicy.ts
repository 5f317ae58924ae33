import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Engine } from '../engine/Engine';
import type { Workload } from '../engine/types';
import { estimateAdmissionRange, type EtaRange, type EtaRangeOptions } from './etaRange';

/** How plan and submit pick a cluster: the earliest start, or the lowest price among those that start soon enough. */
export type ClusterPolicy = 'FastestStart' | 'Cheapest';

export const clusterPolicies: readonly ClusterPolicy[] = ['FastestStart', 'Cheapest'];

/** One cluster's figures for a workload: when it would start there and what a GPU-hour costs there. */
export interface ClusterCandidate {
  cluster: string;
  /** Why the workload cannot run there at all. */
  problem?: Reason;
  eta?: EtaRange;
  /** Price per GPU-hour of the flavor it would run on (micro-units); undefined when not priced. */
  pricePerGpuHourMicros?: number;
  /** Its p90 start is within the tolerance (Cheapest only). */
  withinTolerance?: boolean;
}

export interface ClusterPolicyOptions {
  policy: ClusterPolicy;
  /** Cheapest: only clusters whose p90 start is at most this long from now (ms); undefined: any that would start. */
  tolerance?: number;
  runTime: EtaRangeOptions['runTime'];
  /** Price per GPU-hour (micro-units) of the flavor the workload would get in this cluster's engine. */
  priceOf(cluster: string, engine: Engine): number | undefined;
  samples?: number;
}

/**
 * Picks a cluster for a workload by policy. FastestStart: the earliest median
 * start. Cheapest: the lowest price per GPU-hour among clusters whose p90
 * start is within the tolerance (ties: earlier median start); when none is
 * within it, the fastest. Ties go to the earlier cluster in the list. Every
 * candidate's figures are returned, so a user sees what was weighed.
 */
export function chooseClusterByPolicy(
  workload: Workload,
  clusters: Array<{ name: string; engine: Engine }>,
  now: number,
  options: ClusterPolicyOptions,
): { cluster?: string; candidates: ClusterCandidate[]; fellBack: boolean } {
  const candidates: ClusterCandidate[] = clusters.map(({ name, engine }) => {
    const copy = engine.clone();
    const state = copy.submit(workload);
    if (state.routeProblem) return { cluster: name, problem: state.routeProblem };
    const eta = estimateAdmissionRange(copy, now, {
      runTime: options.runTime,
      samples: options.samples,
      only: [workload.key],
    }).get(workload.key);
    return { cluster: name, eta, pricePerGpuHourMicros: options.priceOf(name, engine) };
  });
  const starts = candidates.filter(c => c.eta?.p50 !== undefined);
  const fastest = starts.reduce<ClusterCandidate | undefined>(
    (a, c) => (!a || c.eta!.p50! < a.eta!.p50! ? c : a),
    undefined,
  );
  if (options.policy === 'FastestStart') return { cluster: fastest?.cluster, candidates, fellBack: false };
  for (const c of starts)
    c.withinTolerance =
      c.eta!.p90 !== undefined && (options.tolerance === undefined || c.eta!.p90 - now <= options.tolerance);
  const price = (c: ClusterCandidate) => c.pricePerGpuHourMicros ?? Infinity;
  const cheapest = starts
    .filter(c => c.withinTolerance)
    .reduce<ClusterCandidate | undefined>(
      (a, c) => (!a || price(c) < price(a) || (price(c) === price(a) && c.eta!.p50! < a.eta!.p50!) ? c : a),
      undefined,
    );
  return { cluster: (cheapest ?? fastest)?.cluster, candidates, fellBack: !cheapest && !!fastest };
}
