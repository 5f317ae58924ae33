import type { Engine } from '../engine/Engine';
import type { FutureArrival } from '../runtime/ArrivalHistory';
import { Simulation } from './Simulation';

export interface EstimateOptions {
  /** Expected run time in ms of a workload (pending or running), e.g. from history or an annotation. */
  expectedDuration(key: string): number;
  /** Stop simulating this far ahead (ms). Default: 30 days. */
  horizon?: number;
  /** Only these pending workloads need an ETA: the simulation stops once they are admitted. Default: all. */
  only?: ReadonlySet<string>;
  /** Work that arrives while they wait: the next future arrival on each call, in time order. Default: none. */
  arrivals?: () => FutureArrival | undefined;
}

/**
 * ETAs by simulating forward from the current state with expected run times
 * and, unless `arrivals` draws some, no new arrivals: when each pending
 * workload would be admitted. A
 * running workload past its expected end is assumed to end after another
 * tenth of its expected run time (at least a minute). Workloads that would
 * not start within the horizon get no ETA.
 */
export function estimateAdmissions(engine: Engine, now: number, options: EstimateOptions): Map<string, number> {
  const copy = engine.clone();
  const etas = new Map<string, number>();
  const waiting = new Set<string>();
  const future = new Map<string, number>();
  const duration = (key: string) => future.get(key) ?? options.expectedDuration(key);
  const simulation = new Simulation(copy, { duration }, (time, decision) => {
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
  const next = options.arrivals;
  const arriveNext = () => {
    const a = next?.();
    if (!a) return;
    simulation.at(a.time, () => {
      future.set(a.workload.key, a.duration);
      copy.submit(a.workload);
      arriveNext();
    });
  };
  arriveNext();
  simulation.run(now + (options.horizon ?? 30 * 24 * 3_600_000), () => waiting.size === 0);
  return etas;
}
