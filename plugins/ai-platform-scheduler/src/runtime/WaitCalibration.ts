import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Quantiles } from './quantiles';

/**
 * Calibrates predicted waits against what happened (split conformal
 * prediction): keeps the ratio actual ÷ predicted wait of recently admitted
 * workloads and scales a new prediction's median wait by that ratio's
 * p10/p50/p90. The forward simulation assumes no new arrivals and knows
 * only run-time noise; this ratio also carries what it cannot see (work
 * that arrives later and goes first, reclaimed quota). Until enough
 * workloads were admitted the prediction passes through unchanged.
 */
export class WaitCalibration {
  private readonly ratios: number[] = [];
  private next = 0;
  private sorted?: number[];

  constructor(private readonly window = 500, private readonly minSamples = 30) {}

  get samples(): number {
    return this.ratios.length;
  }

  /** Learns from one admitted workload: the median wait predicted at submission and the actual wait (ms). */
  record(predictedWait: number, actualWait: number) {
    if (!(predictedWait > 0) || !(actualWait > 0)) return;
    const ratio = actualWait / predictedWait;
    if (this.ratios.length < this.window) this.ratios.push(ratio);
    else {
      this.ratios[this.next] = ratio;
      this.next = (this.next + 1) % this.window;
    }
    this.sorted = undefined;
  }

  /** The admission-time range (ms) for a workload predicted to be admitted at `p50`, predicted at `now`. */
  adjust(now: number, range: Partial<Quantiles>): Partial<Quantiles> {
    if (this.ratios.length < this.minSamples || range.p50 === undefined) return range;
    const wait = range.p50 - now;
    if (wait <= 0) return range;
    this.sorted ??= [...this.ratios].sort((a, b) => a - b);
    const at = (p: number) => now + wait * percentile(this.sorted!, p);
    return { p10: at(10), p50: at(50), p90: at(90) };
  }
}
