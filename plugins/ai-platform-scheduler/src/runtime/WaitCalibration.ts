import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Workload } from '../engine/types';
import type { Quantiles } from './quantiles';
import { sizeBucket } from './RunTimeModel';

/** The last `capacity` ratios, sorted on demand. */
class RatioWindow {
  private readonly ratios: number[] = [];
  private next = 0;
  private sorted?: number[];

  constructor(private readonly capacity: number) {}

  get count(): number {
    return this.ratios.length;
  }

  push(ratio: number) {
    if (this.ratios.length < this.capacity) this.ratios.push(ratio);
    else {
      this.ratios[this.next] = ratio;
      this.next = (this.next + 1) % this.capacity;
    }
    this.sorted = undefined;
  }

  at(p: number): number {
    this.sorted ??= [...this.ratios].sort((a, b) => a - b);
    return percentile(this.sorted, p);
  }
}

/**
 * Calibrates the width of predicted wait ranges against what happened (split
 * conformal prediction on the ratio actual ÷ predicted median wait of
 * recently admitted workloads): a new prediction keeps its median and gets
 * p10 and p90 at its median wait times that ratio's p10 and p90 over its
 * p50. The forward simulation's own spread knows only run-time noise and the
 * arrivals it draws; the ratio's spread also carries what it cannot see.
 * The median is not moved by the ratio's median: a ratio is learned only
 * once a workload is admitted, so it describes the queue of one wait ago,
 * and where waits grow or shrink (a queue filling for a day) that shift
 * made ETAs worse than the simulation's own median. Until enough workloads
 * were admitted the prediction passes through unchanged.
 *
 * Ratios may be kept per group as well (e.g. the workload's size and queue,
 * most specific first): a prediction uses the first of its groups with
 * enough admitted workloads, else all of them, so the spread of one kind of
 * workload (small ones backfill at any moment, whole-quota gangs wait for
 * the queue to drain) is not spread over the others.
 */
export class WaitCalibration {
  private readonly all: RatioWindow;
  private readonly groups = new Map<string, RatioWindow>();

  constructor(private readonly window = 500, private readonly minSamples = 30) {
    this.all = new RatioWindow(window);
  }

  get samples(): number {
    return this.all.count;
  }

  /** Learns from one admitted workload: the median wait predicted at submission and the actual wait (ms). */
  record(predictedWait: number, actualWait: number, groups: readonly string[] = []) {
    if (!(predictedWait > 0) || !(actualWait > 0)) return;
    const ratio = actualWait / predictedWait;
    this.all.push(ratio);
    for (const g of groups) {
      let w = this.groups.get(g);
      if (!w) this.groups.set(g, (w = new RatioWindow(this.window)));
      w.push(ratio);
    }
  }

  /** The admission-time range (ms) for a workload predicted at `now` to be admitted at `p50`: the same p50, a calibrated p10 and p90. */
  adjust(now: number, range: Partial<Quantiles>, groups: readonly string[] = []): Partial<Quantiles> {
    if (this.all.count < this.minSamples || range.p50 === undefined) return range;
    const wait = range.p50 - now;
    if (wait <= 0) return range;
    const ratios =
      groups.map(g => this.groups.get(g)).find(w => w !== undefined && w.count >= this.minSamples) ?? this.all;
    const mid = ratios.at(50);
    if (!(mid > 0)) return range;
    return { p10: now + (wait * ratios.at(10)) / mid, p50: range.p50, p90: now + (wait * ratios.at(90)) / mid };
  }
}

/**
 * A workload's wait-calibration groups, most specific first: its LocalQueue,
 * priority and size (GPUs, or CPUs when it requests no GPU, in the run-time
 * model's size buckets), then its priority and size.
 */
export function waitGroupsOf(workload: Workload): string[] {
  let gpus = 0;
  let cpus = 0;
  for (const ps of workload.podSets)
    for (const [resource, milli] of Object.entries(ps.requests)) {
      if (/gpu/i.test(resource)) gpus += (ps.count * milli) / 1000;
      else if (resource === 'cpu') cpus += (ps.count * milli) / 1000;
    }
  const size = gpus > 0 ? `${sizeBucket(gpus)} GPUs` : `${sizeBucket(cpus)} CPUs`;
  const kind = `priority ${workload.priority}, ${size}`;
  return [`${workload.namespace}/${workload.queue}, ${kind}`, kind];
}
