import { percentile, type Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Engine } from '../engine/Engine';
import { RunTimeModel, runTimeAt, type RunTimeFacts, type RunTimePrediction } from '../runtime/RunTimeModel';
import { estimateAdmissions } from './estimate';
import { WaitCalibration } from '../runtime/WaitCalibration';
import type { Workload } from '../engine/types';
import { gpusOf } from '../engine/budgets';

/** When a pending workload is expected to be admitted (ms): p10, p50, p90; undefined past the horizon. */
export interface EtaRange {
  p10?: number;
  p50?: number;
  p90?: number;
}

export interface EtaRangeOptions {
  /** Run-time quantiles of a pending or running workload. */
  runTime(key: string): RunTimePrediction;
  /** Forward simulations with sampled run times. Default 16. */
  samples?: number;
  /** Stop simulating this far ahead (ms). Default: 30 days. */
  horizon?: number;
  /** Only these workloads need an ETA (the simulation stops once they are admitted). Default: all pending. */
  only?: Iterable<string>;
}

/** A per-workload, per-sample stratum in [0, samples): each workload sees every stratum once, in its own order. */
function stratum(key: string, sample: number, samples: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  const offset = (h >>> 0) % samples;
  // A step coprime to `samples` so the workload walks all strata.
  let step = 1 + (((h >>> 8) >>> 0) % Math.max(1, samples - 1));
  while (gcd(step, samples) !== 1) step++;
  return (offset + sample * step) % samples;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * ETAs as a range, by Monte Carlo: simulate forward from the current state
 * `samples` times, each time with every workload's run time drawn from its
 * predicted distribution (running ones conditioned on the time they have
 * already run; draws stratified per workload so few samples cover the tails),
 * and take the p10, p50 and p90 of each pending workload's admission time.
 * Deterministic: the same engine and predictions give the same range.
 */
export function estimateAdmissionRange(engine: Engine, now: number, options: EtaRangeOptions): Map<string, EtaRange> {
  const samples = Math.max(1, options.samples ?? 16);
  const wanted = new Set(
    options.only ?? [...engine.workloads()].filter(s => s.status === 'pending').map(s => s.workload.key),
  );
  const predictions = new Map<string, RunTimePrediction>();
  const prediction = (key: string) => {
    let p = predictions.get(key);
    if (!p) predictions.set(key, (p = options.runTime(key)));
    return p;
  };
  const times = new Map<string, number[]>();
  for (const key of wanted) times.set(key, []);
  for (let sample = 0; sample < samples; sample++) {
    const etas = estimateAdmissions(engine, now, {
      horizon: options.horizon,
      only: wanted,
      expectedDuration: key => {
        const state = engine.get(key);
        const elapsed =
          state?.status === 'admitted' && state.admittedAt !== undefined ? (now - state.admittedAt) / 1000 : 0;
        const u = (stratum(key, sample, samples) + 0.5) / samples;
        return 1000 * runTimeAt(prediction(key), u, elapsed);
      },
    });
    for (const [key, list] of times) list.push(etas.get(key) ?? Infinity);
  }
  const out = new Map<string, EtaRange>();
  for (const [key, list] of times) {
    const finite = (p: number) => {
      const v = percentile(list, p);
      return v === Infinity ? undefined : v;
    };
    out.set(key, { p10: finite(10), p50: finite(50), p90: finite(90) });
  }
  return out;
}

/** How the simulator measures ETA accuracy. */
export interface EtaSettings {
  /** Monte Carlo samples per prediction. */
  samples: number;
  /** Seconds between the predictions made after submission. */
  everySeconds: number;
  /** Only workloads that waited at least this long count in the relative errors (seconds). */
  minWaitSeconds: number;
  /** Predictions made before this many workloads finished (the model still learning) are left out of the figures. */
  warmUpRuns: number;
}

export const defaultEtaSettings: EtaSettings = { samples: 16, everySeconds: 60, minWaitSeconds: 60, warmUpRuns: 50 };

/** Error figures over a set of predictions; undefined when the set is empty. */
export interface ErrorFigures {
  count: number;
  medianRelativeError?: number;
  p90RelativeError?: number;
}

/** ETA accuracy as `yarn simulate` reports it in `summary.eta`. */
export interface EtaSummary {
  method: string;
  /** Predictions recorded: at submission and every `everySeconds` after, until admission. */
  predictions: number;
  /** Workloads whose prediction at submission counts (after warm-up, admitted, waited at least minWaitSeconds). */
  measured: number;
  /** |predicted − actual wait| ÷ actual wait of the p50 predicted at submission, median over measured workloads. */
  medianRelativeError?: number;
  p90RelativeError?: number;
  /** Share of admitted workloads (after warm-up) whose admission fell between the p10 and p90 predicted at submission. */
  intervalCoverage?: number;
  /** The same workloads predicted from declared run times alone (undeclared: 3,600 s), as before the learned model. */
  declaredOnly: ErrorFigures;
  /** Every prediction after warm-up, not only at submission. */
  allPredictions: ErrorFigures;
  settings: EtaSettings;
}

/** What the simulator knows of a workload before it runs: never its true duration. */
export interface EtaWorkload {
  key: string;
  arrival: number;
  facts: RunTimeFacts;
}

interface AtSubmit {
  /** The forward simulation's median before calibration, which the calibration learns from. */
  raw?: number;
  p10?: number;
  p50?: number;
  p90?: number;
  declared?: number;
  warm: boolean;
}

const round = (x: number | undefined, digits = 3) =>
  x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits;

function errorFigures(errors: number[]): ErrorFigures {
  if (errors.length === 0) return { count: 0 };
  return {
    count: errors.length,
    medianRelativeError: round(percentile(errors, 50)),
    p90RelativeError: round(percentile(errors, 90)),
  };
}

/**
 * Measures the ETAs a real backend would give, in simulation: the run-time
 * model learns only from workloads that finished (their run time from
 * admission to end) and from what users declared, never from the scenario's
 * true durations. Predictions are made at submission and every
 * `everySeconds` after, and compared with the actual first admission.
 */
export class EtaTracker {
  readonly model = new RunTimeModel();
  readonly calibration = new WaitCalibration();
  private readonly byKey: Map<string, EtaWorkload>;
  private readonly arrivals: EtaWorkload[];
  private cursor = 0;
  private nextTick = 0;
  private readonly lastAdmission = new Map<string, number>();
  private readonly firstAdmission = new Map<string, number>();
  private readonly atSubmit = new Map<string, AtSubmit>();
  /** Later predictions: workload, p50 (ms), made after warm-up. */
  private readonly later: Array<{ key: string; p50: number }> = [];
  private predictions = 0;

  constructor(
    private readonly engine: Engine,
    workloads: EtaWorkload[],
    readonly settings: EtaSettings,
    /** Asks the simulation for an instant at this time (ms), so a prediction can be made then. */
    private readonly wakeAt: (time: number) => void,
  ) {
    this.byKey = new Map(workloads.map(w => [w.key, w]));
    this.arrivals = [...workloads].sort((a, b) => a.arrival - b.arrival);
  }

  private runTime = (key: string) => {
    const w = this.byKey.get(key);
    return this.model.predict(w?.facts ?? { queue: '', gpus: 0 });
  };

  admitted(key: string, time: number) {
    this.lastAdmission.set(key, time);
    if (this.firstAdmission.has(key)) return;
    this.firstAdmission.set(key, time);
    const raw = this.atSubmit.get(key)?.raw;
    const arrival = this.byKey.get(key)?.arrival;
    if (raw !== undefined && arrival !== undefined) this.calibration.record(raw - arrival, time - arrival);
  }

  finished(key: string, time: number) {
    const w = this.byKey.get(key);
    const since = this.lastAdmission.get(key);
    if (w && since !== undefined) this.model.record({ ...w.facts, actualSeconds: (time - since) / 1000 });
  }

  /** After every simulated instant: predicts for workloads submitted in it and, on the tick, for all pending ones. */
  afterInstant(now: number) {
    const fresh: string[] = [];
    while (this.cursor < this.arrivals.length && this.arrivals[this.cursor].arrival <= now) {
      const key = this.arrivals[this.cursor++].key;
      if (this.engine.get(key)?.status === 'pending') fresh.push(key);
    }
    const warm = this.model.runs >= this.settings.warmUpRuns;
    if (fresh.length > 0) {
      const only = new Set(fresh);
      const ranges = estimateAdmissionRange(this.engine, now, {
        runTime: this.runTime,
        samples: this.settings.samples,
        only,
      });
      const declared = estimateAdmissions(this.engine, now, {
        only,
        expectedDuration: key => 1000 * (this.byKey.get(key)?.facts.declaredSeconds ?? 3600),
      });
      for (const key of fresh) {
        const range = ranges.get(key) ?? {};
        this.atSubmit.set(key, {
          ...this.calibration.adjust(now, range),
          raw: range.p50,
          declared: declared.get(key),
          warm,
        });
        this.predictions++;
      }
    }
    if (now >= this.nextTick) {
      const tick = this.settings.everySeconds * 1000;
      this.nextTick = (Math.floor(now / tick) + 1) * tick;
      const pending = [...this.engine.workloads()].filter(
        s => s.status === 'pending' && this.byKey.has(s.workload.key) && !fresh.includes(s.workload.key),
      );
      if (pending.length > 0) {
        const ranges = estimateAdmissionRange(this.engine, now, {
          runTime: this.runTime,
          samples: this.settings.samples,
          only: pending.map(s => s.workload.key),
        });
        for (const [key, range] of ranges) {
          this.predictions++;
          const p50 = this.calibration.adjust(now, range).p50;
          if (warm && p50 !== undefined) this.later.push({ key, p50 });
        }
      }
      // Without running workloads, arrivals to come or engine timers, nothing changes: no instant to ask for.
      const changing =
        this.cursor < this.arrivals.length ||
        this.engine.nextWakeup() !== undefined ||
        [...this.engine.workloads()].some(st => st.status === 'admitted');
      if ((pending.length > 0 || fresh.length > 0) && changing) this.wakeAt(this.nextTick);
    }
  }

  /** Seconds (as the simulator's other times) of the p10/p50/p90 admission predicted at submission. */
  submitted(key: string): { etaAtSubmit?: number; etaP10AtSubmit?: number; etaP90AtSubmit?: number } {
    const s = this.atSubmit.get(key);
    if (!s) return {};
    const seconds = (ms: number | undefined) => (ms === undefined ? undefined : round(ms / 1000));
    return { etaAtSubmit: seconds(s.p50), etaP10AtSubmit: seconds(s.p10), etaP90AtSubmit: seconds(s.p90) };
  }

  summary(): EtaSummary {
    const learned: number[] = [];
    const declared: number[] = [];
    let covered = 0;
    let coverable = 0;
    const error = (key: string, predicted: number | undefined) => {
      const w = this.byKey.get(key)!;
      const actual = this.firstAdmission.get(key)! - w.arrival;
      return predicted === undefined ? Infinity : Math.abs(predicted - w.arrival - actual) / actual;
    };
    for (const [key, s] of this.atSubmit) {
      const admitted = this.firstAdmission.get(key);
      if (!s.warm || admitted === undefined) continue;
      coverable++;
      if (s.p10 !== undefined && s.p90 !== undefined && admitted >= s.p10 && admitted <= s.p90) covered++;
      if (admitted - this.byKey.get(key)!.arrival < this.settings.minWaitSeconds * 1000) continue;
      learned.push(error(key, s.p50));
      declared.push(error(key, s.declared));
    }
    const all = this.later
      .filter(p => {
        const admitted = this.firstAdmission.get(p.key);
        return (
          admitted !== undefined && admitted - this.byKey.get(p.key)!.arrival >= this.settings.minWaitSeconds * 1000
        );
      })
      .map(p => error(p.key, p.p50));
    const figures = errorFigures(learned);
    return {
      method: `Predictions of each waiting workload's admission at submission and every ${this.settings.everySeconds} s after, by ${this.settings.samples} Monte Carlo forward simulations with run times from the learned model (which sees declared run times and finished workloads only), the median wait then scaled by the p10/p50/p90 of actual ÷ predicted wait over the last 500 admitted workloads (once 30 were). Relative error is |predicted − actual wait| ÷ actual wait of the p50, over workloads admitted after waiting at least ${this.settings.minWaitSeconds} s and submitted after ${this.settings.warmUpRuns} workloads had finished. Coverage is the share of those workloads (any wait) admitted between the p10 and p90 predicted at submission. A prediction with no ETA within the horizon counts as infinitely wrong.`,
      predictions: this.predictions,
      measured: figures.count,
      medianRelativeError: figures.medianRelativeError,
      p90RelativeError: figures.p90RelativeError,
      intervalCoverage: coverable ? round(covered / coverable) : undefined,
      declaredOnly: errorFigures(declared),
      allPredictions: errorFigures(all),
      settings: this.settings,
    };
  }
}

/** The scenario's `eta:` block: positive numbers for any of the settings' fields. */
export function parseEtaSettings(raw: unknown, problems: string[]): Partial<EtaSettings> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`eta: must be a map of ${Object.keys(defaultEtaSettings).join(', ')}`);
    return undefined;
  }
  const out: Partial<EtaSettings> = {};
  for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(field in defaultEtaSettings)) {
      problems.push(`eta.${field}: unknown; use ${Object.keys(defaultEtaSettings).join(', ')}`);
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`eta.${field}: must be a non-negative number, got ${JSON.stringify(value)}`);
    } else {
      out[field as keyof EtaSettings] = value;
    }
  }
  return out;
}

/** What the ETA may know of a scenario workload (a ScenarioWorkload is one): its declaration, never its `duration`. */
export interface DeclaredWorkload {
  workload: Workload;
  arrival: number;
  declaredDuration?: number;
  maxExecTime?: number;
  team?: string;
  kind?: string;
}

/** The ETA's view of a declared workload. */
export function etaWorkloadOf(w: DeclaredWorkload): EtaWorkload {
  return {
    key: w.workload.key,
    arrival: w.arrival,
    facts: {
      team: w.team ?? w.workload.namespace,
      kind: w.kind,
      queue: w.workload.queue,
      gpus: gpusOf(w.workload),
      declaredSeconds: w.declaredDuration === undefined ? undefined : w.declaredDuration / 1000,
      maxExecSeconds: w.maxExecTime === undefined ? undefined : w.maxExecTime / 1000,
    },
  };
}

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
