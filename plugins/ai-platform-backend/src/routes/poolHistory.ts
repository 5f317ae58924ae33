import type { PoolHistoryPoint, PoolHistoryResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { CostService, VisibleTeams } from '../services/CostService';

const HOUR_MS = 3_600_000;

/** The windows the pool history covers, and the length of their steps in hours (6 to 14 points). */
export const poolHistoryWindows = {
  '6h': { hours: 6, step: 1 },
  '24h': { hours: 24, step: 2 },
  '3d': { hours: 72, step: 6 },
  '7d': { hours: 168, step: 12 },
} as const;
export type PoolHistoryWindow = keyof typeof poolHistoryWindows;

const iso = (t: number) => new Date(t).toISOString();

/**
 * Allocated GPUs and DCGM utilization of each pool (cluster and flavor) per
 * step, from the cost ledger through the cost service: the hourly showback's
 * GPU-hours of a step over its length (up to now, for the step under way),
 * and the allocation's GPU efficiency of that step's pods. The cost service
 * applies the caller's visibility (grouping by flavor needs every team's).
 */
export async function poolHistory(
  costs: Pick<CostService, 'showback' | 'allocation'>,
  teams: VisibleTeams,
  options: { window: PoolHistoryWindow; cluster?: string; now: number },
): Promise<PoolHistoryResponse> {
  const { hours, step } = poolHistoryWindows[options.window];
  const stepMs = step * HOUR_MS;
  const to = Math.ceil(options.now / stepMs) * stepMs;
  const from = to - Math.ceil(hours / step) * stepMs;
  const window = `${iso(from)},${iso(to)}`;
  const clusters = options.cluster
    ? [options.cluster]
    : [
        ...new Set(
          (await costs.showback({ window, aggregate: 'cluster', filter: {}, step: '1d' }, teams)).rows.map(r => r.key),
        ),
      ].sort();
  const starts = Array.from({ length: (to - from) / stepMs }, (_, i) => from + i * stepMs);
  let utilizationKnown = false;
  const perCluster = await Promise.all(
    clusters.map(async cluster => {
      const filter = { cluster };
      const [showback, allocations] = await Promise.all([
        costs.showback({ window, aggregate: 'flavor', filter, step: '1h' }, teams),
        Promise.all(
          starts.map(start =>
            costs.allocation(
              { window: `${iso(start)},${iso(start + stepMs)}`, aggregate: 'flavor', filter, shareIdle: false },
              teams,
            ),
          ),
        ),
      ]);
      const gpuHours = new Map<string, number>();
      for (const row of showback.rows) {
        const start = Math.floor(Date.parse(row.hour ?? row.day) / stepMs) * stepMs;
        const key = `${row.key}|${start}`;
        gpuHours.set(key, (gpuHours.get(key) ?? 0) + row.gpuHours);
      }
      const flavors = [...new Set(showback.rows.map(r => r.key))].sort();
      const points: PoolHistoryPoint[] = [];
      starts.forEach((start, i) => {
        const allocation = allocations[i];
        utilizationKnown ||= allocation.utilizationKnown;
        const entries = Object.assign({}, ...allocation.data) as Record<string, { gpuEfficiency: number | null }>;
        // The step under way has lasted until now only.
        const lengthHours = Math.max(0, Math.min(stepMs, options.now - start)) / HOUR_MS;
        if (lengthHours === 0) return;
        for (const flavor of flavors) {
          points.push({
            time: iso(start),
            cluster,
            flavor,
            allocatedGpus: (gpuHours.get(`${flavor}|${start}`) ?? 0) / lengthHours,
            utilization: allocation.utilizationKnown ? entries[flavor]?.gpuEfficiency ?? null : null,
          });
        }
      });
      return points;
    }),
  );
  return {
    window: { from: iso(from), to: iso(Math.min(to, options.now)) },
    stepHours: step,
    utilizationKnown,
    points: perCluster.flat(),
  };
}
