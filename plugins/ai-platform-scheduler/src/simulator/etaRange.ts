import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Engine } from '../engine/Engine';
import type { ArrivalHistory } from '../runtime/ArrivalHistory';
import { runTimeAt, type RunTimePrediction } from '../runtime/RunTimeModel';
import { estimateAdmissions } from './estimate';

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
  /** Recent arrivals per queue: each forward simulation draws the work that arrives meanwhile from them. Default: none arrives. */
  arrivals?: ArrivalHistory;
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
 * already run; draws stratified per workload so few samples cover the tails)
 * and, given `arrivals`, the work that arrives meanwhile drawn afresh,
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
      arrivals: options.arrivals?.future(now, sample),
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
