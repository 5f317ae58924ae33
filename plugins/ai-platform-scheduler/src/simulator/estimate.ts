import type { Engine } from '../engine/Engine';
import { Simulation } from './Simulation';

export interface EstimateOptions {
  /** Expected run time in ms of a workload (pending or running), e.g. from history or an annotation. */
  expectedDuration(key: string): number;
  /** Stop simulating this far ahead (ms). Default: 30 days. */
  horizon?: number;
  /** Only these pending workloads need an ETA: the simulation stops once they are admitted. Default: all. */
  only?: ReadonlySet<string>;
}

/**
 * ETAs by simulating forward from the current state with expected run times
 * and no new arrivals: when each pending workload would be admitted. A
 * running workload past its expected end is assumed to end after another
 * tenth of its expected run time (at least a minute). Workloads that would
 * not start within the horizon get no ETA.
 */
export function estimateAdmissions(engine: Engine, now: number, options: EstimateOptions): Map<string, number> {
  const copy = engine.clone();
  const etas = new Map<string, number>();
  const waiting = new Set<string>();
  const simulation = new Simulation(copy, { duration: key => options.expectedDuration(key) }, (time, decision) => {
    if (decision.type === 'Admitted' && waiting.delete(decision.workload)) etas.set(decision.workload, time);
  });
  for (const state of copy.workloads()) {
    if (state.status === 'pending' && (!options.only || options.only.has(state.workload.key)))
      waiting.add(state.workload.key);
    if (state.status === 'admitted') {
      const expected = options.expectedDuration(state.workload.key);
      const end = state.admittedAt! + expected;
      simulation.expectFinish(state.workload.key, end > now ? end : now + Math.max(60_000, expected / 10));
    }
  }
  // Whatever fits right now is admitted at `now`.
  for (const decision of copy.schedule(now)) {
    if (decision.type === 'Admitted' && waiting.delete(decision.workload)) {
      etas.set(decision.workload, now);
      simulation.expectFinish(decision.workload, now + options.expectedDuration(decision.workload));
    }
  }
  simulation.run(now + (options.horizon ?? 30 * 24 * 3_600_000), () => waiting.size === 0);
  return etas;
}
