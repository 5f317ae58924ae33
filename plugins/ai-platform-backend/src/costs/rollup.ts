/**
 * The ledger's arithmetic, apart from any database: splitting priced GPU
 * intervals at UTC hours and price changes, summing them per day, within a
 * window, per node for fleet idle, and per group for allocation. All amounts
 * are integer micro-units and milliseconds.
 */
import { idleAllocationName, type AllocationEntry } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { GpuInterval } from './intervals';
import { apportion, intervalCost } from './money';
import type { PriceBook } from './pricing';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** "YYYY-MM-DD" (UTC), the daily rollup's key. */
export const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/** "YYYY-MM-DDTHH" (UTC), the hourly rollup's key; memoised, as ingest asks for the same hours over and over. */
const hourKeys = new Map<number, string>();
export const hourOf = (t: number) => {
  const index = Math.floor(t / HOUR_MS);
  let key = hourKeys.get(index);
  if (key === undefined) {
    if (hourKeys.size >= 100_000) hourKeys.clear();
    key = new Date(index * HOUR_MS).toISOString().slice(0, 13);
    hourKeys.set(index, key);
  }
  return key;
};

/** What pricing an interval needs: devices, their share of a GPU, what they are, and when. */
export type PricedDevices = Pick<
  GpuInterval,
  'flavor' | 'gpuProduct' | 'count' | 'shareNum' | 'shareDen' | 'start' | 'end'
>;

export interface HourPart {
  hour: string;
  gpuMs: number;
  costMicros: number;
}

export interface DayPart {
  day: string;
  gpuMs: number;
  costMicros: number;
}

/**
 * GPU-milliseconds and cost of an interval, split at UTC hours and at price
 * changes. GPU-ms count whole-GPU equivalents (a 1g MIG slice is 1/7). Each
 * piece is rounded down once; daily figures are sums of these, so the hourly
 * and daily rollups agree to the micro-unit.
 */
export function hourlyParts(interval: PricedDevices, end: number, prices: PriceBook): HourPart[] {
  const parts = new Map<string, HourPart>();
  for (const seg of prices.segments(interval.flavor, interval.gpuProduct, interval.start, end)) {
    for (let t = seg.start; t < seg.end; ) {
      const next = Math.min(seg.end, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS);
      const span = next - t;
      const hour = hourOf(t);
      const part = parts.get(hour) ?? { hour, gpuMs: 0, costMicros: 0 };
      part.gpuMs += Math.floor((span * interval.count * interval.shareNum) / interval.shareDen);
      part.costMicros += intervalCost(seg.microsPerHour, interval.count, span, interval.shareNum, interval.shareDen);
      parts.set(hour, part);
      t = next;
    }
  }
  return [...parts.values()];
}

/** Hourly parts summed per UTC day. */
export function byDay(hours: HourPart[]): DayPart[] {
  const days = new Map<string, DayPart>();
  for (const h of hours) {
    const day = h.hour.slice(0, 10);
    const part = days.get(day) ?? { day, gpuMs: 0, costMicros: 0 };
    part.gpuMs += h.gpuMs;
    part.costMicros += h.costMicros;
    days.set(day, part);
  }
  return [...days.values()];
}

/** The hourly parts of an interval summed per UTC day. */
export function dailyParts(interval: PricedDevices, end: number, prices: PriceBook): DayPart[] {
  return byDay(hourlyParts(interval, end, prices));
}

/** GPU-ms and cost of an interval within [from, min(to, now)). */
export function usageWithin(
  interval: PricedDevices,
  from: number,
  to: number,
  now: number,
  prices: PriceBook,
): { gpuMs: number; costMicros: number } {
  const clipped = { ...interval, start: Math.max(interval.start, from) };
  const parts = hourlyParts(clipped, Math.min(interval.end ?? now, to, now), prices);
  return {
    gpuMs: parts.reduce((s, p) => s + p.gpuMs, 0),
    costMicros: parts.reduce((s, p) => s + p.costMicros, 0),
  };
}

/** What the still-open intervals cost per hour at `at`, micro-units. */
export function ratePerHour(intervals: PricedDevices[], at: number, prices: PriceBook): number {
  return intervals
    .filter(i => i.end === undefined && i.start <= at)
    .reduce((sum, i) => {
      const [seg] = prices.segments(i.flavor, i.gpuProduct, at, at + HOUR_MS);
      return sum + intervalCost(seg.microsPerHour, i.count, HOUR_MS, i.shareNum, i.shareDen);
    }, 0);
}

/** Fleet idle over a window: capacity not allocated to any pod. */
export interface FleetIdle {
  /** Whole-GPU milliseconds of capacity nobody held. */
  gpuMs: number;
  costMicros: number;
  capacityGpuMs: number;
  capacityCostMicros: number;
}

/** One node's GPU capacity over a time (a recorded capacity interval). */
export interface NodeCapacityInterval extends PricedDevices {
  cluster: string;
  node: string;
}

/**
 * Idle GPU time and cost within [from, min(to, now)): per node, its
 * capacity less what its pods held, never below zero (a pod on a node
 * without recorded capacity counts nowhere). Each cluster counts only from
 * when its capacity recording began (`since`).
 */
export function fleetIdle(
  capacity: NodeCapacityInterval[],
  since: Map<string, number>,
  pods: GpuInterval[],
  q: { from: number; to: number; now: number },
  prices: PriceBook,
): FleetIdle {
  const nodes = new Map<string, { gpuMs: number; costMicros: number; usedMs: number; usedMicros: number }>();
  for (const c of capacity) {
    const key = `${c.cluster}|${c.node}`;
    const n = nodes.get(key) ?? { gpuMs: 0, costMicros: 0, usedMs: 0, usedMicros: 0 };
    nodes.set(key, n);
    const u = usageWithin(c, q.from, q.to, q.now, prices);
    n.gpuMs += u.gpuMs;
    n.costMicros += u.costMicros;
  }
  for (const p of pods) {
    const from = since.get(p.cluster);
    const n = p.node !== undefined && from !== undefined ? nodes.get(`${p.cluster}|${p.node}`) : undefined;
    if (!n) continue;
    const u = usageWithin(p, Math.max(q.from, from!), q.to, q.now, prices);
    n.usedMs += u.gpuMs;
    n.usedMicros += u.costMicros;
  }
  const out: FleetIdle = { gpuMs: 0, costMicros: 0, capacityGpuMs: 0, capacityCostMicros: 0 };
  for (const n of nodes.values()) {
    out.capacityGpuMs += n.gpuMs;
    out.capacityCostMicros += n.costMicros;
    out.gpuMs += Math.max(0, n.gpuMs - n.usedMs);
    out.costMicros += Math.max(0, n.costMicros - n.usedMicros);
  }
  return out;
}

/** One pod's (one GPU resource's) usage within a window. */
export interface PodUsage {
  podUid: string;
  resource: string;
  cluster: string;
  namespace: string;
  pod: string;
  workload: string;
  team?: string;
  /** The value of the query's grouping column. */
  key: string;
  gpuMs: number;
  costMicros: number;
}

/**
 * OpenCost-style allocation entries per group of `pods`. With `idle` and
 * `shareIdle`, the idle cost is apportioned per pod over `fleetPods` (the
 * whole fleet, so a group's share is the same in every view); otherwise,
 * for a `fleetView`, it is listed as `__idle__`. `utilization` (0..1 per
 * "namespace/pod") gives efficiency and idle cost within the allocation.
 */
export function allocation(options: {
  pods: PodUsage[];
  fleetPods: PodUsage[];
  idle?: FleetIdle;
  shareIdle: boolean;
  fleetView: boolean;
  utilization?: Map<string, number>;
}): { data: Record<string, AllocationEntry>; shared: boolean } {
  const { pods, fleetPods, idle, utilization } = options;
  const shares = new Map<string, number>();
  if (options.shareIdle && idle) {
    const split = apportion(
      idle.costMicros,
      fleetPods.map(p => p.costMicros),
    );
    fleetPods.forEach((p, i) => shares.set(`${p.podUid}|${p.resource}`, split[i]));
  }
  const groups = new Map<
    string,
    { gpuMs: number; costMicros: number; sharedMicros: number; usedMs: number; knownMs: number }
  >();
  for (const p of pods) {
    const g = groups.get(p.key) ?? { gpuMs: 0, costMicros: 0, sharedMicros: 0, usedMs: 0, knownMs: 0 };
    g.gpuMs += p.gpuMs;
    g.costMicros += p.costMicros;
    g.sharedMicros += shares.get(`${p.podUid}|${p.resource}`) ?? 0;
    const u = utilization?.get(`${p.namespace}/${p.pod}`);
    if (u !== undefined) {
      g.usedMs += p.gpuMs * u;
      g.knownMs += p.gpuMs;
    }
    groups.set(p.key, g);
  }
  const shared = shares.size > 0 && fleetPods.some(p => p.costMicros > 0);
  const data: Record<string, AllocationEntry> = Object.fromEntries(
    [...groups].map(([name, g]) => {
      const efficiency = g.knownMs > 0 ? g.usedMs / g.knownMs : null;
      const total = g.costMicros + g.sharedMicros;
      const entry: AllocationEntry = {
        name,
        gpuHours: g.gpuMs / HOUR_MS,
        gpuCost: total / 1_000_000,
        gpuEfficiency: efficiency,
        idleCost: efficiency === null ? null : (g.costMicros * (1 - efficiency)) / 1_000_000,
        totalCost: total / 1_000_000,
        gpuCostMicros: total,
        totalCostMicros: total,
        ...(shared ? { sharedIdleCost: g.sharedMicros / 1_000_000, sharedIdleCostMicros: g.sharedMicros } : {}),
      };
      return [name, entry];
    }),
  );
  // Idle that could not be shared (nothing was allocated) stays visible as __idle__.
  if (options.fleetView && idle && idle.capacityGpuMs > 0 && !shared) {
    data[idleAllocationName] = {
      name: idleAllocationName,
      gpuHours: idle.gpuMs / HOUR_MS,
      gpuCost: idle.costMicros / 1_000_000,
      gpuEfficiency: 0,
      idleCost: idle.costMicros / 1_000_000,
      totalCost: idle.costMicros / 1_000_000,
      gpuCostMicros: idle.costMicros,
      totalCostMicros: idle.costMicros,
    };
  }
  return { data, shared };
}
