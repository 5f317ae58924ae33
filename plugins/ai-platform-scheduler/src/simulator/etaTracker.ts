import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Engine } from '../engine/Engine';
import { ArrivalHistory } from '../runtime/ArrivalHistory';
import { RunTimeModel } from '../runtime/RunTimeModel';
import { WaitCalibration, waitGroupsOf } from '../runtime/WaitCalibration';
import { estimateAdmissions } from './estimate';
import { estimateAdmissionRange, type EtaRange } from './etaRange';
import type { EtaSettings, EtaWorkload } from './etaSettings';

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
  /** The figures at submission per team and per workload kind, beside declared-only's median. */
  byTeam: Record<string, ErrorFigures & { declaredOnlyMedianRelativeError?: number }>;
  byKind: Record<string, ErrorFigures & { declaredOnlyMedianRelativeError?: number }>;
  settings: EtaSettings;
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
  /** What arrived so far, per queue: the forward simulations draw later arrivals from it. */
  readonly arrivalHistory = new ArrivalHistory();
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
  /** Admissions, finishes and arrivals seen: while it stays the same, the last tick's ranges still hold. */
  private changes = 0;
  private lastTick?: { changes: number; ranges: Map<string, EtaRange> };

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

  private readonly groupsOf = new Map<string, string[]>();
  /** The wait-calibration groups of a workload (kept from when the engine first had it). */
  private groups = (key: string): string[] => {
    let g = this.groupsOf.get(key);
    const workload = this.engine.get(key)?.workload;
    if (!g && workload) this.groupsOf.set(key, (g = waitGroupsOf(workload)));
    return g ?? [];
  };

  private runTime = (key: string) => {
    const w = this.byKey.get(key);
    return this.model.predict(w?.facts ?? { queue: '', gpus: 0 });
  };

  admitted(key: string, time: number) {
    this.changes++;
    this.lastAdmission.set(key, time);
    if (this.firstAdmission.has(key)) return;
    this.firstAdmission.set(key, time);
    const raw = this.atSubmit.get(key)?.raw;
    const arrival = this.byKey.get(key)?.arrival;
    if (raw !== undefined && arrival !== undefined)
      this.calibration.record(raw - arrival, time - arrival, this.groups(key));
  }

  finished(key: string, time: number) {
    this.changes++;
    const w = this.byKey.get(key);
    const since = this.lastAdmission.get(key);
    if (w && since !== undefined) this.model.record({ ...w.facts, actualSeconds: (time - since) / 1000 });
  }

  /** After every simulated instant: predicts for workloads submitted in it and, on the tick, for all pending ones. */
  afterInstant(now: number) {
    const fresh: string[] = [];
    while (this.cursor < this.arrivals.length && this.arrivals[this.cursor].arrival <= now) {
      const key = this.arrivals[this.cursor++].key;
      const state = this.engine.get(key);
      this.changes++;
      if (state) this.arrivalHistory.record(state.workload, now, this.runTime(key));
      if (state?.status === 'pending') fresh.push(key);
    }
    const warm = this.model.runs >= this.settings.warmUpRuns;
    if (fresh.length > 0) {
      const only = new Set(fresh);
      const ranges = estimateAdmissionRange(this.engine, now, {
        runTime: this.runTime,
        samples: this.settings.samples,
        only,
        arrivals: this.arrivalHistory,
      });
      const declared = estimateAdmissions(this.engine, now, {
        only,
        expectedDuration: key => 1000 * (this.byKey.get(key)?.facts.declaredSeconds ?? 3600),
      });
      for (const key of fresh) {
        const range = ranges.get(key) ?? {};
        this.atSubmit.set(key, {
          ...this.calibration.adjust(now, range, this.groups(key)),
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
        const ranges = this.tickRanges(
          now,
          pending.map(s => s.workload.key),
        );
        for (const [key, range] of ranges) {
          this.predictions++;
          const p50 = this.calibration.adjust(now, range, this.groups(key)).p50;
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

  /**
   * The ranges of the pending workloads at a tick: the last tick's when
   * nothing was admitted, finished or submitted since and none of them is
   * overdue (a backend caches them the same way), else simulated afresh.
   */
  private tickRanges(now: number, keys: string[]): Map<string, EtaRange> {
    const last = this.lastTick;
    if (
      last?.changes === this.changes &&
      keys.every(key => last.ranges.has(key) && (last.ranges.get(key)!.p50 ?? Infinity) > now)
    )
      return new Map(keys.map(key => [key, last.ranges.get(key)!]));
    const ranges = estimateAdmissionRange(this.engine, now, {
      runTime: this.runTime,
      samples: this.settings.samples,
      only: keys,
      arrivals: this.arrivalHistory,
    });
    this.lastTick = { changes: this.changes, ranges };
    return ranges;
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
    const byTeam = new Map<string, { learned: number[]; declared: number[] }>();
    const byKind = new Map<string, { learned: number[]; declared: number[] }>();
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
      const facts = this.byKey.get(key)!.facts;
      for (const [map, group] of [
        [byTeam, facts.team ?? '(none)'],
        [byKind, facts.kind ?? '(none)'],
      ] as const) {
        const g = map.get(group) ?? map.set(group, { learned: [], declared: [] }).get(group)!;
        g.learned.push(learned[learned.length - 1]);
        g.declared.push(declared[declared.length - 1]);
      }
    }
    const breakdown = (map: typeof byTeam) =>
      Object.fromEntries(
        [...map].map(([group, g]) => [
          group,
          {
            ...errorFigures(g.learned),
            declaredOnlyMedianRelativeError: errorFigures(g.declared).medianRelativeError,
          },
        ]),
      );
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
      method: `Predictions of each waiting workload's admission at submission and every ${this.settings.everySeconds} s after, by ${this.settings.samples} Monte Carlo forward simulations with run times from the learned model (which sees declared run times and finished workloads only) and later arrivals drawn per LocalQueue from its last 30 arrivals (their rate, sizes and predicted run times; a tick's ranges reused while nothing was admitted, finished or submitted), the p10 and p90 then set at the median wait times the p10 and p90 over the p50 of actual ÷ predicted wait over the last 500 admitted workloads of the same LocalQueue, priority and size (else priority and size, else all; a group counts once 30 were admitted). Relative error is |predicted − actual wait| ÷ actual wait of the p50, over workloads admitted after waiting at least ${this.settings.minWaitSeconds} s and submitted after ${this.settings.warmUpRuns} workloads had finished. Coverage is the share of those workloads (any wait) admitted between the p10 and p90 predicted at submission. A prediction with no ETA within the horizon counts as infinitely wrong.`,
      predictions: this.predictions,
      measured: figures.count,
      medianRelativeError: figures.medianRelativeError,
      p90RelativeError: figures.p90RelativeError,
      intervalCoverage: coverable ? round(covered / coverable) : undefined,
      declaredOnly: errorFigures(declared),
      allPredictions: errorFigures(all),
      byTeam: breakdown(byTeam),
      byKind: breakdown(byKind),
      settings: this.settings,
    };
  }
}
