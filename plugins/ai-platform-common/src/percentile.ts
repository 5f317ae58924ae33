/**
 * The p-th percentile (0–100) of the values by nearest rank: the smallest value that at least
 * p percent of the values do not exceed, so p95 of 20 samples is the 19th smallest. 0 for none.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
