import type {
  WorkloadCostResponse,
  WorkloadRef,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { TelemetrySource } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { GpuInterval } from './intervals';
import { intervalCost } from './money';
import { costPerMillionTokensMicros } from './inference';
import type { PriceBook } from './pricing';
import { ratePerHour, usageWithin } from './rollup';

/** Kinds that serve models; their cost view carries an inference block even without token counters. */
export const servingKinds = new Set(['InferenceService', 'LeaderWorkerSet', 'ServingRuntime', 'RayService']);

/** States after which a workload holds no more GPUs. */
const finishedStates = new Set(['Succeeded', 'Failed']);

/**
 * Projected cost at completion: cost so far plus the current hourly rate for
 * the rest of the expected run time. Without an expected run time (services,
 * jobs without annotation or history) it is unknown; a finished workload's
 * projection is what it cost.
 */
export function projectedCost(options: {
  costToDateMicros: number;
  ratePerHourMicros: number;
  startedAt?: number;
  expectedDurationSeconds?: number;
  finished: boolean;
  at: number;
}): number | null {
  if (options.finished) return options.costToDateMicros;
  if (!options.expectedDurationSeconds || options.startedAt === undefined || options.ratePerHourMicros === 0)
    return null;
  const remainingMs = Math.max(0, options.startedAt + options.expectedDurationSeconds * 1000 - options.at);
  return options.costToDateMicros + intervalCost(options.ratePerHourMicros, 1, Math.round(remainingMs));
}

/** One workload's cost, rate, projection, GPU utilization and (for servers) token figures. */
export async function workloadCost(options: {
  prices: PriceBook;
  intervals: GpuInterval[];
  summary?: WorkloadSummary;
  ref: WorkloadRef;
  at: number;
  /** Window for token rates and TTFT, ending now (or when the workload's last pod ended). */
  inferenceWindowMs: number;
  telemetry?: TelemetrySource;
}): Promise<WorkloadCostResponse> {
  const { prices, intervals, summary, at, telemetry } = options;
  const usage = intervals.map(i => usageWithin(i, 0, at, at, prices));
  const costToDateMicros = usage.reduce((s, u) => s + u.costMicros, 0);
  const gpuMs = usage.reduce((s, u) => s + u.gpuMs, 0);
  const ratePerHourMicros = ratePerHour(intervals, at, prices);
  const running = intervals.some(i => i.end === undefined);
  const admittedAt = summary?.admittedAt ? Date.parse(summary.admittedAt) : undefined;
  const startedAt = intervals.length ? Math.min(...intervals.map(i => i.start)) : admittedAt;
  const endedAt = running || intervals.length === 0 ? at : Math.max(...intervals.map(i => i.end!));
  const finished = !running && (summary ? finishedStates.has(summary.state) : intervals.length > 0);

  const pods = [...new Set(intervals.map(i => i.pod))];
  const where = { cluster: options.ref.cluster, namespace: options.ref.namespace, pods };
  let utilization: WorkloadCostResponse['utilization'] = null;
  if (telemetry && startedAt !== undefined) {
    utilization = (await telemetry.utilizationSeries(where, startedAt, endedAt)) ?? null;
  }

  const response: WorkloadCostResponse = {
    currency: prices.currency,
    costToDateMicros,
    gpuHoursToDate: gpuMs / 3_600_000,
    ratePerHourMicros,
    projectedMicros: projectedCost({
      costToDateMicros,
      ratePerHourMicros,
      startedAt,
      expectedDurationSeconds: summary?.expectedDurationSeconds,
      finished,
      at,
    }),
    utilization,
  };

  if (telemetry && pods.length) {
    const to = endedAt;
    const from = Math.max(startedAt ?? to, to - options.inferenceWindowMs);
    const tokens = await telemetry.tokensByPod(from, to);
    const mine = pods.map(p => tokens?.get(where.cluster, where.namespace, p)).filter(t => t !== undefined);
    if (mine.length || servingKinds.has(options.ref.kind)) {
      const known = tokens !== undefined && mine.length > 0;
      const generation = mine.reduce((s, t) => s + t.generation, 0);
      const windowCost = intervals.reduce((s, i) => s + usageWithin(i, from, to, at, prices).costMicros, 0);
      const ttft = known ? await telemetry.timeToFirstTokenP95(where, from, to) : undefined;
      response.inference = {
        tokensPerSecond: known && to > from ? generation / ((to - from) / 1000) : null,
        timeToFirstTokenP95Seconds: ttft ?? null,
        costPerMillionTokensMicros: known ? costPerMillionTokensMicros(windowCost, generation) : null,
      };
    }
  } else if (servingKinds.has(options.ref.kind)) {
    response.inference = { tokensPerSecond: null, timeToFirstTokenP95Seconds: null, costPerMillionTokensMicros: null };
  }
  return response;
}
