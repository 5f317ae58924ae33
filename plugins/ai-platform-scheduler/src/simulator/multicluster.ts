import type { Engine } from '../engine/Engine';
import type { Workload } from '../engine/types';
import { estimateAdmissions, EstimateOptions } from './estimate';

export interface ClusterChoice {
  /** The cluster where the workload is expected to start first; undefined when none can run it. */
  cluster?: string;
  /** Expected admission time per cluster (ms); undefined where it would not start within the horizon or cannot run. */
  etas: Record<string, number | undefined>;
}

/**
 * MultiKueue-style dispatch: among clusters whose queues offer what the
 * workload needs, the one where it is expected to be admitted first (ties go
 * to the earlier cluster in the list).
 */
export function chooseCluster(
  workload: Workload,
  clusters: Array<{ name: string; engine: Engine }>,
  now: number,
  options: EstimateOptions,
): ClusterChoice {
  const etas: ClusterChoice['etas'] = {};
  let best: { name: string; eta: number } | undefined;
  for (const { name, engine } of clusters) {
    const copy = engine.clone();
    const state = copy.submit(workload);
    if (state.routeProblem) {
      etas[name] = undefined;
      continue;
    }
    const eta = estimateAdmissions(copy, now, options).get(workload.key);
    etas[name] = eta;
    if (eta !== undefined && (!best || eta < best.eta)) best = { name, eta };
  }
  return { cluster: best?.name, etas };
}
