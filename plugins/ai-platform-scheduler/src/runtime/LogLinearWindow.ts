/** A fitted line log y = intercept + slope × log x, with the spread of log y around it. */
export interface LogLinearFit {
  count: number;
  intercept: number;
  slope: number;
  /** Residual standard deviation of log y (0 with fewer than three pairs). */
  sigma: number;
}

/**
 * The last `capacity` pairs (x, y), kept as running sums of their logs, and
 * the least-squares line log y = a + b log x through them with the slope
 * pulled towards 1 (a ridge penalty of `pull` on b − 1). With slope 1 the line
 * is a constant ratio y ÷ x; a smaller slope says x is only partly
 * informative (a noisy declaration, half way to the mean of the history);
 * with every x alike it stays at 1, the ratio.
 */
export class LogLinearWindow {
  private readonly pairs: Array<[number, number]> = [];
  private next = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;
  private syy = 0;

  constructor(private readonly capacity: number, private readonly pull = 1) {}

  get count(): number {
    return this.pairs.length;
  }

  private add([x, y]: [number, number], sign: 1 | -1) {
    this.sx += sign * x;
    this.sy += sign * y;
    this.sxx += sign * x * x;
    this.sxy += sign * x * y;
    this.syy += sign * y * y;
  }

  push(x: number, y: number) {
    const pair: [number, number] = [Math.log(x), Math.log(y)];
    if (this.pairs.length < this.capacity) this.pairs.push(pair);
    else {
      this.add(this.pairs[this.next], -1);
      this.pairs[this.next] = pair;
      this.next = (this.next + 1) % this.capacity;
    }
    this.add(pair, 1);
  }

  fit(): LogLinearFit {
    const n = this.count;
    if (n === 0) return { count: 0, intercept: 0, slope: 1, sigma: 0 };
    const mx = this.sx / n;
    const my = this.sy / n;
    const cxx = Math.max(0, this.sxx - n * mx * mx);
    const cxy = this.sxy - n * mx * my;
    const cyy = Math.max(0, this.syy - n * my * my);
    const slope = Math.min(1.5, Math.max(0, (cxy + this.pull) / (cxx + this.pull)));
    const residual = Math.max(0, cyy - 2 * slope * cxy + slope * slope * cxx);
    return { count: n, intercept: my - slope * mx, slope, sigma: n > 2 ? Math.sqrt(residual / (n - 2)) : 0 };
  }
}
