/** The standard normal's 90th percentile: p10 and p90 of a lognormal lie this many sigmas from its median. */
export const z90 = 1.2815515655446004;

/** Run-time quantiles in seconds. */
export interface Quantiles {
  p10: number;
  p50: number;
  p90: number;
}

/** p10/p50/p90 of a lognormal with this median and log-space standard deviation. */
export function lognormalQuantiles(median: number, sigma: number): Quantiles {
  return { p10: median * Math.exp(-z90 * sigma), p50: median, p90: median * Math.exp(z90 * sigma) };
}

/**
 * The standard normal quantile at `u` in (0, 1), by Acklam's rational
 * approximation (relative error below 1.2e-9), for sampling lognormal run times.
 */
export function normalQuantile(u: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (u <= 0) return -Infinity;
  if (u >= 1) return Infinity;
  if (u < low || u > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(u < low ? u : 1 - u));
    const x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return u < low ? x : -x;
  }
  const q = u - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * Mean and standard deviation of the logs of the last `capacity` values
 * pushed, kept as running sums so reading them is O(1).
 */
export class LogWindow {
  private readonly logs: number[] = [];
  private next = 0;
  private sum = 0;
  private sumSquares = 0;

  constructor(private readonly capacity: number) {}

  get count(): number {
    return this.logs.length;
  }

  push(value: number) {
    const x = Math.log(value);
    if (this.logs.length < this.capacity) {
      this.logs.push(x);
    } else {
      const old = this.logs[this.next];
      this.sum -= old;
      this.sumSquares -= old * old;
      this.logs[this.next] = x;
      this.next = (this.next + 1) % this.capacity;
    }
    this.sum += x;
    this.sumSquares += x * x;
  }

  /** Mean of the logs. */
  get mean(): number {
    return this.count ? this.sum / this.count : 0;
  }

  /** Sample standard deviation of the logs (0 with fewer than two values). */
  get sigma(): number {
    const n = this.count;
    if (n < 2) return 0;
    return Math.sqrt(Math.max(0, (this.sumSquares - (this.sum * this.sum) / n) / (n - 1)));
  }
}

/** The standard normal's cumulative distribution (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
