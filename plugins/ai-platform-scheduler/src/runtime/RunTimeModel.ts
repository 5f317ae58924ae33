import { LogLinearWindow } from './LogLinearWindow';
import { lognormalQuantiles, LogWindow, normalCdf, normalQuantile, type Quantiles } from './quantiles';

/** What is known about a workload before it runs. */
export interface RunTimeFacts {
  team?: string;
  /** Workload kind, e.g. PyTorchJob. */
  kind?: string;
  /** LocalQueue name. */
  queue: string;
  gpus: number;
  /** Seconds the user declares (`ai-platform.io/expected-duration-seconds`). */
  declaredSeconds?: number;
  /** Kueue's `kueue.x-k8s.io/max-exec-time-seconds`: the workload is stopped by then. */
  maxExecSeconds?: number;
  /** A service (an inference server, an agent): it runs until someone deletes it, not to an end of its own. */
  serves?: boolean;
}

/** A workload that ran to its end, with the seconds it ran. */
export interface FinishedRun extends RunTimeFacts {
  actualSeconds: number;
}

/** Where a prediction came from, in the model's order of preference. */
export type RunTimeSource = 'calibrated-declaration' | 'declaration' | 'history' | 'fallback';

/** Run-time quantiles (seconds) of one workload: a lognormal with this median and log-space sigma, capped. */
export interface RunTimePrediction extends Quantiles {
  source: RunTimeSource;
  /** One sentence saying what the prediction rests on. */
  basis: string;
  median: number;
  sigma: number;
  /** No run lasts longer (max-exec-time). */
  cap?: number;
}

export interface RunTimeModelOptions {
  /** Median when neither a declaration nor history exists. Default 3600 s. */
  fallbackSeconds?: number;
  /** Spread of the fallback. Default 1.0 (p10..p90 spans a factor of 13). */
  fallbackSigma?: number;
  /** Spread of a declaration before the team has calibration history. Default 0.5. */
  declaredSigma?: number;
  /** Finished runs with a declaration a team needs before its declarations are calibrated. Default 5. */
  minCalibration?: number;
  /** Finished runs a history group needs before it predicts. Default 5. */
  minHistory?: number;
  /** Most recent runs kept per calibration or history group. Default 200. */
  window?: number;
}

/** Size buckets by GPUs per workload: 0, 1, 2, ≤4, ≤8, ≤16, ... */
export function sizeBucket(gpus: number): string {
  if (gpus <= 0) return '0';
  if (gpus <= 1) return '1';
  return `≤${2 ** Math.ceil(Math.log2(gpus))}`;
}

const historyKey = (f: RunTimeFacts) => `${f.team ?? ''}|${f.kind ?? ''}|${f.queue}|${sizeBucket(f.gpus)}`;
const teamKindKey = (f: RunTimeFacts) => `${f.team ?? ''}|${f.kind ?? ''}`;
const describe = (f: RunTimeFacts) =>
  `team ${f.team ?? '(none)'}, ${f.kind ?? 'any kind'}, queue ${f.queue}, ${sizeBucket(f.gpus)} GPUs`;

/** Sample sigma understates the spread of the next run; the predictive spread grows with 1/n. */
const predictive = (w: LogWindow) => w.sigma * Math.sqrt(1 + 1 / w.count);

/**
 * Learns run times from finished workloads and predicts quantiles, from, in
 * order: the user's declaration calibrated by the team's history of actual
 * against declared run time (a line in log space whose slope is pulled
 * towards 1, a constant ratio: below 1 when declarations are noisy, so a
 * declaration far from the team's usual is trusted only part of the way);
 * the bare declaration; history of finished runs by team × kind ×
 * queue × size bucket, then by team × kind; a stated fallback. Kueue's
 * max-exec-time caps every quantile. Pure and deterministic.
 */
export class RunTimeModel {
  private readonly calibration = new Map<string, LogLinearWindow>();
  private readonly history = new Map<string, LogWindow>();
  private readonly byTeamKind = new Map<string, LogWindow>();
  private readonly o: Required<RunTimeModelOptions>;

  constructor(options: RunTimeModelOptions = {}) {
    this.o = {
      fallbackSeconds: 3600,
      fallbackSigma: 1.0,
      declaredSigma: 0.5,
      minCalibration: 5,
      minHistory: 5,
      window: 200,
      ...options,
    };
  }

  /** Finished runs learned so far. */
  runs = 0;

  private window(map: Map<string, LogWindow>, key: string): LogWindow {
    let w = map.get(key);
    if (!w) map.set(key, (w = new LogWindow(this.o.window)));
    return w;
  }

  /** Learns from one finished run. Runs of zero seconds or without a finite length are ignored. */
  record(run: FinishedRun) {
    if (!(run.actualSeconds > 0) || !Number.isFinite(run.actualSeconds)) return;
    this.runs++;
    if (run.declaredSeconds && run.declaredSeconds > 0) {
      const team = run.team ?? '';
      let w = this.calibration.get(team);
      if (!w) this.calibration.set(team, (w = new LogLinearWindow(this.o.window)));
      w.push(run.declaredSeconds, run.actualSeconds);
    }
    this.window(this.history, historyKey(run)).push(run.actualSeconds);
    this.window(this.byTeamKind, teamKindKey(run)).push(run.actualSeconds);
  }

  predict(facts: RunTimeFacts): RunTimePrediction {
    const cap = facts.maxExecSeconds && facts.maxExecSeconds > 0 ? facts.maxExecSeconds : undefined;
    const make = (source: RunTimeSource, median: number, sigma: number, basis: string): RunTimePrediction => {
      const { p10, p90 } = lognormalQuantiles(median, sigma);
      const capped = (x: number) => (cap === undefined ? x : Math.min(x, cap));
      return {
        source,
        basis: cap === undefined ? basis : `${basis}; at most ${cap} s (max-exec-time)`,
        median,
        sigma,
        cap,
        p10: capped(p10),
        p50: capped(median),
        p90: capped(p90),
      };
    };
    if (facts.declaredSeconds && facts.declaredSeconds > 0) {
      const team = this.calibration.get(facts.team ?? '');
      if (team && team.count >= this.o.minCalibration) {
        const fit = team.fit();
        const median = Math.exp(fit.intercept + fit.slope * Math.log(facts.declaredSeconds));
        return make(
          'calibrated-declaration',
          median,
          fit.sigma * Math.sqrt(1 + 1 / fit.count),
          `declared ${facts.declaredSeconds} s × ${(median / facts.declaredSeconds).toFixed(
            2,
          )}, from actual against declared run time over team ${facts.team ?? '(none)'}'s last ${
            fit.count
          } runs (log-linear, slope ${fit.slope.toFixed(2)})`,
        );
      }
      return make(
        'declaration',
        facts.declaredSeconds,
        this.o.declaredSigma,
        `declared ${facts.declaredSeconds} s, not yet calibrated (team ${facts.team ?? '(none)'} has ${
          team?.count ?? 0
        } of ${this.o.minCalibration} finished runs with a declaration)`,
      );
    }
    for (const [map, key, what] of [
      [this.history, historyKey(facts), describe(facts)],
      [this.byTeamKind, teamKindKey(facts), `team ${facts.team ?? '(none)'}, ${facts.kind ?? 'any kind'}`],
    ] as const) {
      const w = map.get(key);
      if (w && w.count >= this.o.minHistory)
        return make('history', Math.exp(w.mean), predictive(w), `the last ${w.count} finished runs of ${what}`);
    }
    // A service ends when someone deletes it: without a declaration or history of its kind no guess beats "it stays".
    if (facts.serves)
      return make(
        'fallback',
        Infinity,
        0,
        `a service without a declaration and fewer than ${this.o.minHistory} ended like it; assumed to keep running`,
      );
    return make(
      'fallback',
      this.o.fallbackSeconds,
      this.o.fallbackSigma,
      `no declaration and fewer than ${this.o.minHistory} finished runs like it; assumed ${this.o.fallbackSeconds} s`,
    );
  }
}

/**
 * A run time (seconds) drawn at `u` in (0, 1) from the prediction, given the
 * workload has already run `elapsed` seconds: the lognormal conditioned on
 * lasting past `elapsed`, capped. Feed it evenly spread or random `u`s.
 */
export function runTimeAt(p: RunTimePrediction, u: number, elapsed = 0): number {
  let floor = 0;
  if (elapsed > 0 && p.sigma > 0) floor = normalCdf(Math.log(elapsed / p.median) / p.sigma);
  const v = Math.min(1 - 1e-9, Math.max(1e-9, floor + u * (1 - floor)));
  const t = p.sigma > 0 ? p.median * Math.exp(p.sigma * normalQuantile(v)) : Math.max(p.median, elapsed);
  const bounded = Math.max(t, elapsed);
  return p.cap === undefined ? bounded : Math.min(bounded, Math.max(p.cap, elapsed));
}
