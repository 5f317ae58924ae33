import { percentile, type Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { Engine, usageOf } from '../engine/Engine';
import type { Admission } from '../engine/types';
import type { Scenario } from './scenario';
import { Simulation } from './Simulation';
import { appendTo } from '../engine/appendTo';
import { defaultEtaSettings, EtaTracker, etaWorkloadOf, type EtaSummary } from './eta';
import { BudgetMeter, type BudgetOutcome } from '../engine/budgets';

export interface SimulationEvent {
  /** seconds */
  time: number;
  /** Resized: a grown workload slice of a running workload was admitted in its place. */
  type: 'Admitted' | 'Resized' | 'Preempted' | 'Requeued' | 'Finished';
  workload: string;
  clusterQueue?: string;
  assignment?: Record<string, { count: number; flavors: Record<string, string> }>;
  preemptor?: string;
  reason?: string;
}

export interface WorkloadResult {
  arrival: number;
  admittedAt?: number;
  finishedAt?: number;
  preemptions: number;
  evictions: number;
  timeToAdmission?: number;
  pendingReason?: Reason;
  /** Seconds: the p50, p10 and p90 of the admission time predicted at submission (when it had to wait). */
  etaAtSubmit?: number;
  etaP10AtSubmit?: number;
  etaP90AtSubmit?: number;
}

export interface Stats {
  count: number;
  mean: number;
  p95: number;
}

export interface SimulationResult {
  events: SimulationEvent[];
  workloads: Record<string, WorkloadResult>;
  summary: {
    /** seconds from start until the last workload finished */
    makespan: number;
    admitted: number;
    finished: number;
    neverAdmitted: number;
    /** Average used / nominal quota over the makespan, per resource, over all ClusterQueues (percent). */
    usage: Record<string, number>;
    clusterQueues: Record<
      string,
      { nominal: Record<string, number>; averageUsed: Record<string, number>; usagePercent: Record<string, number> }
    >;
    /** Seconds from arrival to first admission. */
    timeToAdmission: { byPriority: Record<string, Stats>; byClass?: Record<string, Stats> };
    /** GPU-hours each budgeted team used, and when it went over (seconds), when the scenario has budgets. */
    budgets?: Record<string, BudgetOutcome>;
    /** ETA accuracy, when measured (SimulateOptions.eta). */
    eta?: EtaSummary;
    /** Wall-clock milliseconds the simulation took. */
    wallMs: number;
  };
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function stats(values: number[]): Stats {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { count: values.length, mean: round(mean), p95: round(percentile(values, 95)) };
}

function assignmentOf(admission: Admission): SimulationEvent['assignment'] {
  return Object.fromEntries(admission.podSets.map(ps => [ps.name, { count: ps.count, flavors: ps.flavors }]));
}

export interface SimulateOptions {
  /** Record every event (default true; benchmarks turn it off to save memory). */
  events?: boolean;
  /** Measure the wall time of every scheduling cycle. */
  measureCycles?: boolean;
  /** Predict every waiting workload's admission and measure the predictions (summary.eta); default false. */
  eta?: boolean;
}

/** Runs a scenario to the end in virtual time and reports what happened. */
export function simulate(
  scenario: Scenario,
  options: SimulateOptions = {},
): SimulationResult & { cycleTimes?: number[] } {
  const started = performance.now();
  const engine = new Engine(scenario.config, scenario.options, scenario.nodes);
  if (options.measureCycles) engine.cycleTimes = [];
  const byKey = new Map(scenario.workloads.map(w => [w.workload.key, w]));
  const results: Record<string, WorkloadResult> = {};
  const events: SimulationEvent[] = [];
  const record = options.events !== false;
  /** milli-unit-milliseconds used, per ClusterQueue per flavor/resource */
  const used = new Map<string, Map<string, number>>();
  const running = new Map<string, { since: number; clusterQueue: string; usage: Map<string, number> }>();
  let makespan = 0;

  const stopRunning = (key: string, time: number) => {
    const run = running.get(key);
    if (!run) return;
    running.delete(key);
    const perCq = used.get(run.clusterQueue) ?? new Map<string, number>();
    for (const [fr, amount] of run.usage) perCq.set(fr, (perCq.get(fr) ?? 0) + amount * (time - run.since));
    used.set(run.clusterQueue, perCq);
  };

  for (const w of scenario.workloads)
    results[w.workload.key] = { arrival: w.arrival / 1000, preemptions: 0, evictions: 0 };

  const eta = options.eta
    ? new EtaTracker(engine, scenario.workloads.map(etaWorkloadOf), { ...defaultEtaSettings, ...scenario.eta }, t =>
        // eslint-disable-next-line @typescript-eslint/no-use-before-define -- called only once the simulation runs
        simulation.wakeAt(t),
      )
    : undefined;
  const budgets = scenario.budgets && new BudgetMeter(scenario.budgets);
  let nextCrossing: number | undefined;
  const simulation = new Simulation(
    engine,
    {
      duration: key => byKey.get(key)!.duration,
      podsReadyAfter: key => byKey.get(key)!.podsReadyAfter,
    },
    (time, d) => {
      const result = results[d.workload];
      if (d.type === 'Admitted') {
        // A grown workload slice (replaced) keeps the run going: only what it holds changes.
        if (d.replaced) stopRunning(d.workload, time);
        else {
          eta?.admitted(d.workload, time);
          budgets?.start(d.workload, byKey.get(d.workload)!.workload, scenario.config, time);
          result.admittedAt ??= time / 1000;
          result.timeToAdmission ??= (time - byKey.get(d.workload)!.arrival) / 1000;
        }
        running.set(d.workload, {
          since: time,
          clusterQueue: d.clusterQueue,
          usage: usageOf(byKey.get(d.workload)!.workload, d.admission),
        });
        if (record)
          events.push({
            time: time / 1000,
            type: d.replaced ? 'Resized' : 'Admitted',
            workload: d.workload,
            clusterQueue: d.clusterQueue,
            assignment: assignmentOf(d.admission),
          });
      } else {
        stopRunning(d.workload, time);
        budgets?.stop(d.workload, time);
        result.evictions++;
        if (d.type === 'Preempted') result.preemptions++;
        if (record) {
          events.push({
            time: time / 1000,
            type: d.type === 'Preempted' ? 'Preempted' : 'Requeued',
            workload: d.workload,
            clusterQueue: d.clusterQueue,
            preemptor: d.type === 'Preempted' ? d.preemptor : undefined,
            reason: d.reason,
          });
        }
      }
    },
    (time, key) => {
      eta?.finished(key, time);
      budgets?.stop(key, time);
      stopRunning(key, time);
      results[key].finishedAt = time / 1000;
      makespan = Math.max(makespan, time);
      if (record)
        events.push({
          time: time / 1000,
          type: 'Finished',
          workload: key,
          clusterQueue: engine.get(key)?.clusterQueue,
        });
    },
  );
  for (const w of scenario.workloads) simulation.arrive(w.arrival, w.workload, w.admitted);
  for (const w of scenario.workloads)
    for (const r of w.resizes ?? []) simulation.resizeAt(r.at, w.workload.key, r.counts);
  for (const change of scenario.changes ?? []) simulation.at(change.at, () => engine.setConfig(change.config));
  simulation.run(
    scenario.until,
    (eta || budgets) &&
      (() => {
        const standings = budgets?.changed(simulation.now);
        if (standings) {
          engine.setBudgets(standings);
          simulation.wakeAt(simulation.now);
        }
        // An instant when the next team runs out, so its standing changes then and not at the next event.
        const crossing = budgets?.nextCrossing(simulation.now);
        if (crossing !== undefined && crossing !== nextCrossing) simulation.wakeAt((nextCrossing = crossing));
        eta?.afterInstant(simulation.now);
        return false;
      }),
  );
  if (eta) for (const key of Object.keys(results)) Object.assign(results[key], eta.submitted(key));
  for (const key of [...running.keys()]) stopRunning(key, simulation.now);

  for (const info of engine.pending()) results[info.workload].pendingReason = info.reason;

  const clusterQueues: SimulationResult['summary']['clusterQueues'] = {};
  const totals = new Map<string, { used: number; nominal: number }>();
  for (const cq of scenario.config.clusterQueues.values()) {
    const nominal: Record<string, number> = {};
    const averageUsed: Record<string, number> = {};
    const usagePercent: Record<string, number> = {};
    for (const g of cq.resourceGroups) {
      for (const f of g.flavors) {
        for (const [resource, q] of Object.entries(f.resources)) {
          const key = `${f.flavor}/${resource}`;
          const u = makespan > 0 ? (used.get(cq.name)?.get(key) ?? 0) / makespan : 0;
          nominal[key] = q.nominal / 1000;
          averageUsed[key] = round(u / 1000);
          usagePercent[key] = q.nominal > 0 ? round((100 * u) / q.nominal, 2) : 0;
          const t = totals.get(resource) ?? { used: 0, nominal: 0 };
          t.used += u;
          t.nominal += q.nominal;
          totals.set(resource, t);
        }
      }
    }
    clusterQueues[cq.name] = { nominal, averageUsed, usagePercent };
  }
  const usage = Object.fromEntries(
    [...totals].map(([r, t]) => [r, t.nominal > 0 ? round((100 * t.used) / t.nominal, 2) : 0]),
  );

  const byPriority = new Map<string, number[]>();
  const byClass = new Map<string, number[]>();
  for (const w of scenario.workloads) {
    const tta = results[w.workload.key].timeToAdmission;
    if (tta === undefined) continue;
    appendTo(byPriority, String(w.workload.priority), tta);
    if (w.className) appendTo(byClass, w.className, tta);
  }
  const values = Object.values(results);
  return {
    events,
    workloads: results,
    summary: {
      makespan: makespan / 1000,
      admitted: values.filter(r => r.admittedAt !== undefined).length,
      finished: values.filter(r => r.finishedAt !== undefined).length,
      neverAdmitted: values.filter(r => r.admittedAt === undefined).length,
      usage,
      clusterQueues,
      timeToAdmission: {
        byPriority: Object.fromEntries([...byPriority].map(([k, v]) => [k, stats(v)])),
        byClass: byClass.size ? Object.fromEntries([...byClass].map(([k, v]) => [k, stats(v)])) : undefined,
      },
      budgets: budgets?.outcome(simulation.now),
      eta: eta?.summary(),
      wallMs: Math.round(performance.now() - started),
    },
    cycleTimes: engine.cycleTimes,
  };
}
