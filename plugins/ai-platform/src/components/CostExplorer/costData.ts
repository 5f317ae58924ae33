import { errorMessage } from '../common/Loadable';
import type { AllocationResponse, ShowbackResponse } from '@ai-platform/backstage-plugin-ai-platform-common';

/** One group's totals over the window, with efficiency from allocation when Prometheus knew it. */
export interface GroupTotal {
  key: string;
  gpuHours: number;
  costMicros: number;
  /** Used share of allocated GPU time; null when unknown. */
  gpuEfficiency: number | null;
  /** Cost of allocated but unused GPU time, micro-units; null when unknown. */
  idleCostMicros: number | null;
}

/** Series beyond this many groups are summed into "other", so the stacked chart stays readable. */
export const maxSeries = 8;
export const otherSeries = 'other';

/** Totals per group, most expensive first, joined with allocation's efficiency and idle cost by group name. */
export function groupTotals(showback: ShowbackResponse, allocation?: AllocationResponse): GroupTotal[] {
  const totals = new Map<string, { gpuHours: number; costMicros: number }>();
  for (const row of showback.rows) {
    const t = totals.get(row.key) ?? { gpuHours: 0, costMicros: 0 };
    t.gpuHours += row.gpuHours;
    t.costMicros += row.costMicros;
    totals.set(row.key, t);
  }
  const entries = allocation?.utilizationKnown ? Object.assign({}, ...allocation.data) : {};
  return [...totals]
    .map(([key, t]) => {
      const entry: AllocationResponse['data'][number][string] | undefined = entries[key];
      return {
        key,
        ...t,
        gpuEfficiency: entry?.gpuEfficiency ?? null,
        idleCostMicros:
          entry?.idleCost === null || entry?.idleCost === undefined ? null : Math.round(entry.idleCost * 1_000_000),
      };
    })
    .sort((a, b) => b.costMicros - a.costMicros || a.key.localeCompare(b.key));
}

/** The groups the stacked chart draws, most expensive first; the rest are folded into "other". */
export function seriesKeys(totals: GroupTotal[]): string[] {
  const keys = totals.map(t => t.key);
  return keys.length <= maxSeries ? keys : [...keys.slice(0, maxSeries - 1), otherSeries];
}

/** One point per day with each series' cost in whole currency units (what recharts stacks). */
export function dailyCost(showback: ShowbackResponse, keys: string[]): Array<Record<string, number | string>> {
  return dailySeries(showback, keys, row => row.costMicros / 1_000_000);
}

/** One point per day with each series' value of the rows (cost, GPU-hours); groups beyond `keys` are summed as "other". */
export function dailySeries(
  showback: ShowbackResponse,
  keys: string[],
  valueOf: (row: ShowbackResponse['rows'][number]) => number,
): Array<Record<string, number | string>> {
  const shown = new Set(keys);
  const days = new Map<string, Record<string, number | string>>();
  const empty = (day: string): Record<string, number | string> => ({
    day,
    ...Object.fromEntries(keys.map(k => [k, 0])),
  });
  // Days without GPU use are zero, not gaps the chart would interpolate across.
  const last = Date.parse(showback.window.to);
  for (let t = Date.parse(showback.window.from.slice(0, 10)); t < last; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, empty(day));
  }
  for (const row of showback.rows) {
    const point = days.get(row.day) ?? empty(row.day);
    const series = shown.has(row.key) ? row.key : otherSeries;
    point[series] = (point[series] as number) + valueOf(row);
    days.set(row.day, point);
  }
  return [...days.values()].sort((a, b) => String(a.day).localeCompare(String(b.day)));
}

/** A request whose failure should not hide the rest of a view. */
export type Settled<T> = { value: T } | { error: Error };

export function settle<T>(request: Promise<T>): Promise<Settled<T>> {
  return request.then(
    value => ({ value }),
    (error: Error) => ({ error }),
  );
}

/** Why efficiency and idle cost are missing, or undefined when allocation has them. */
export function efficiencyNoteOf(allocation: Settled<AllocationResponse>): string | undefined {
  if ('error' in allocation) return `GPU efficiency is unavailable: ${errorMessage(allocation.error)}`;
  if (!allocation.value.utilizationKnown)
    return 'GPU efficiency is unknown: the backend has no DCGM utilization from Prometheus for this window.';
  return undefined;
}
