/**
 * Exact money: amounts are integer micro-units of the currency (1 USD =
 * 1,000,000), durations integer milliseconds. Products are computed in
 * BigInt and rounded down once per interval, so any sum of stored amounts is
 * exact.
 */

const MS_PER_HOUR = 3_600_000n;

/** Parses "2.50" or 2.5 (currency units) into micro-units, exactly for up to 6 decimals. */
export function toMicros(value: string | number): number {
  const text = typeof value === 'number' ? value.toFixed(6) : value.trim();
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text.replace(/0+$/, '').replace(/\.$/, '') || '0');
  if (!match) throw new Error(`"${value}" is not a price; write a non-negative amount like 2.50 (at most 6 decimals)`);
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/** Micro-units as a decimal string of currency units, e.g. 2500000 -> "2.50". */
export function formatMicros(micros: number, digits = 2): string {
  return (micros / 1_000_000).toFixed(digits);
}

/**
 * Cost of `count` devices for `ms` milliseconds at `microsPerHour` per
 * device, each device counting `shareNum/shareDen` of a whole GPU (MIG
 * slices, time-slicing). Rounded down to a micro-unit.
 */
export function intervalCost(microsPerHour: number, count: number, ms: number, shareNum = 1, shareDen = 1): number {
  const numerator = BigInt(microsPerHour) * BigInt(count) * BigInt(ms) * BigInt(shareNum);
  return Number(numerator / (MS_PER_HOUR * BigInt(shareDen)));
}

/**
 * Splits `total` micro-units in proportion to `weights` (largest remainder):
 * each share is the floor of its exact part, and the micro-units left over
 * go to the largest fractional parts (ties to the earlier weight), so the
 * shares sum to `total` exactly. All zero weights: all zero shares.
 */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const exact = weights.map(w => BigInt(total) * BigInt(w));
  const shares = exact.map(e => e / sum);
  let left = total - Number(shares.reduce((s, x) => s + x, 0n));
  const order = exact
    .map((e, i) => ({ i, rem: e % sum }))
    .sort((a, b) => {
      if (a.rem === b.rem) return a.i - b.i;
      return a.rem > b.rem ? -1 : 1;
    });
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] += 1n;
    left--;
  }
  return shares.map(Number);
}
