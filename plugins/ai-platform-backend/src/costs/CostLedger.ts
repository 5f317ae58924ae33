import type { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { GpuInterval } from './intervals';
import { intervalCost } from './money';
import type { PriceBook } from './pricing';
import { bulkUpsert } from './bulkUpsert';
import { costAggregations, type CostAggregation } from '@ai-platform/backstage-plugin-ai-platform-common';

const DAY_MS = 86_400_000;
const HOURLY_KEY = ['hour', 'pod_uid', 'resource'];
const DAILY_KEY = ['day', 'pod_uid', 'resource'];
const HOUR_MS = 3_600_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
/** "YYYY-MM-DDTHH" (UTC), the hourly rollup's key; memoised, as ingest asks for the same hours over and over. */
const hourKeys = new Map<number, string>();
const hourOf = (t: number) => {
  const index = Math.floor(t / HOUR_MS);
  let key = hourKeys.get(index);
  if (key === undefined) {
    if (hourKeys.size >= 100_000) hourKeys.clear();
    key = new Date(index * HOUR_MS).toISOString().slice(0, 13);
    hourKeys.set(index, key);
  }
  return key;
};

export const aggregations = costAggregations;
export type Aggregation = CostAggregation;

/** Showback granularity: hourly rows (windows up to 7 days) or daily rows. */
export type ShowbackStep = '1h' | '1d';

export interface ShowbackQuery {
  from: number;
  to: number;
  aggregate: Aggregation;
  filter?: Partial<Record<Aggregation, string>>;
  /** Now, for intervals that are still open. */
  now: number;
  /** Default 1d. */
  step?: ShowbackStep;
}

export interface ShowbackRow {
  day: string;
  /** YYYY-MM-DDTHH (UTC), for step=1h. */
  hour?: string;
  key: string;
  gpuMs: number;
  costMicros: number;
}

interface Part {
  day: string;
  gpuMs: number;
  costMicros: number;
}

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
function byDay(hours: HourPart[]): Part[] {
  const days = new Map<string, Part>();
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
export function dailyParts(interval: GpuInterval, end: number, prices: PriceBook): Part[] {
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

/** The columns that price a stored interval (pods' and nodes' tables share them); bigints may come back as strings. */
export interface PricedRow {
  flavor: string | null;
  gpu_product: string | null;
  count: number | string;
  share_num: number | string;
  share_den: number | string;
  start_ms: number | string;
  end_ms: number | string | null;
}

/** The priced part of a stored interval row. */
export function pricedDevicesOf(r: PricedRow): PricedDevices {
  return {
    flavor: r.flavor ?? undefined,
    gpuProduct: r.gpu_product ?? undefined,
    count: Number(r.count),
    shareNum: Number(r.share_num),
    shareDen: Number(r.share_den),
    start: Number(r.start_ms),
    end: r.end_ms === null ? undefined : Number(r.end_ms),
  };
}

const dimColumns = (i: GpuInterval) => ({
  cluster: i.cluster,
  namespace: i.namespace,
  workload: i.workload,
  team: i.team ?? null,
  queue: i.queue ?? null,
  flavor: i.flavor ?? null,
  gpu_product: i.gpuProduct ?? null,
});

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
 * The usage ledger. Intervals are written idempotently (keyed by pod uid and
 * resource, derived from pod timestamps); a closed interval's cost is split
 * into daily rows once, so restarts, relists and watch reconnects neither
 * lose nor double-count anything.
 */
export class CostLedger {
  /** How far back hourly rows are kept (and written); daily rows are kept forever. */
  readonly hourlyRetentionMs: number;

  private constructor(private readonly db: Knex, readonly prices: PriceBook, hourlyRetentionDays: number) {
    this.hourlyRetentionMs = hourlyRetentionDays * DAY_MS;
  }

  static async create(
    db: Knex,
    prices: PriceBook,
    options: {
      skipMigrations?: boolean;
      /** For the hourly backfill; default Date.now(). */
      now?: number;
      /** Default 30 (aiPlatform.costs.hourlyRetentionDays). */
      hourlyRetentionDays?: number;
    } = {},
  ): Promise<CostLedger> {
    if (!options.skipMigrations) {
      await db.migrate.latest({
        directory: resolvePackagePath('@ai-platform/backstage-plugin-ai-platform-backend', 'costs-migrations'),
        tableName: 'ai_platform_costs_knex_migrations',
      });
    }
    const ledger = new CostLedger(db, prices, options.hourlyRetentionDays ?? 30);
    await ledger.backfillHourly(options.now ?? Date.now());
    return ledger;
  }

  /**
   * Hourly rows, within the retention before `now`, for intervals that
   * closed before the hourly rollup existed (they have daily rows only).
   * Idempotent.
   */
  async backfillHourly(now: number): Promise<number> {
    const since = now - this.hourlyRetentionMs;
    // The hourly table holds the retention only, so reading its keys is cheap.
    const covered = new Set(
      (await this.db('ai_platform_cost_hourly').distinct('pod_uid', 'resource')).map(r => `${r.pod_uid}|${r.resource}`),
    );
    const rows = (
      await this.db('ai_platform_gpu_intervals').whereNotNull('end_ms').andWhere('end_ms', '>', since)
    ).filter(r => !covered.has(`${r.pod_uid}|${r.resource}`));
    const parts = rows.flatMap(r => {
      const interval = this.fromRow(r);
      return this.hourlyRows(interval, hourlyParts(interval, interval.end!, this.prices), now);
    });
    await bulkUpsert(this.db, 'ai_platform_cost_hourly', HOURLY_KEY, parts, { ignore: true });
    return rows.length;
  }

  /** Deletes hourly rows older than the retention; showback at step=1h does not reach them. */
  async pruneHourly(now: number): Promise<number> {
    return this.db('ai_platform_cost_hourly')
      .where('hour', '<', hourOf(now - this.hourlyRetentionMs))
      .delete();
  }

  /** Rows for the parts within the retention before `now`. */
  private hourlyRows(i: GpuInterval, parts: HourPart[], now: number) {
    const first = hourOf(now - this.hourlyRetentionMs);
    return parts
      .filter(p => p.hour >= first)
      .map(p => ({
        pod_uid: i.podUid,
        resource: i.resource,
        hour: p.hour,
        ...dimColumns(i),
        gpu_ms: p.gpuMs,
        cost_micros: p.costMicros,
      }));
  }

  /** Records what pods showed at `seenAt`: new intervals, closings, and their hourly and daily cost. */
  async ingest(intervals: GpuInterval[], seenAt: number): Promise<void> {
    if (intervals.length === 0) return;
    const rows = intervals.map(i => ({
      pod_uid: i.podUid,
      resource: i.resource,
      ...dimColumns(i),
      pod: i.pod,
      node: i.node ?? null,
      count: i.count,
      share_num: i.shareNum,
      share_den: i.shareDen,
      start_ms: i.start,
      end_ms: i.end ?? null,
      last_seen_ms: seenAt,
    }));
    const byKey = new Map(intervals.map(i => [`${i.podUid}|${i.resource}`, i]));
    await this.db.transaction(async tx => {
      // A closed interval is left as it is: a late, stale view of the pod
      // cannot reopen or change it. Only new and still-open rows come back;
      // those that come back with an end closed just now and get their cost.
      const changed = await bulkUpsert(
        tx,
        'ai_platform_gpu_intervals',
        ['pod_uid', 'resource'],
        rows,
        {
          set: { end_ms: 'excluded.end_ms', last_seen_ms: 'excluded.last_seen_ms', node: 'excluded.node' },
          where: 'ai_platform_gpu_intervals.end_ms IS NULL',
        },
        ['pod_uid', 'resource', 'end_ms'],
      );
      const newlyClosed = changed.filter(r => r.end_ms !== null).map(r => byKey.get(`${r.pod_uid}|${r.resource}`)!);
      const hourly: Array<ReturnType<CostLedger['hourlyRows']>[number]> = [];
      const daily = [];
      for (const i of newlyClosed) {
        const parts = hourlyParts(i, i.end!, this.prices);
        hourly.push(...this.hourlyRows(i, parts, seenAt));
        for (const p of byDay(parts)) {
          daily.push({
            pod_uid: i.podUid,
            resource: i.resource,
            day: p.day,
            ...dimColumns(i),
            gpu_ms: p.gpuMs,
            cost_micros: p.costMicros,
          });
        }
      }
      await bulkUpsert(tx, 'ai_platform_cost_daily', DAILY_KEY, daily, { ignore: true });
      await bulkUpsert(tx, 'ai_platform_cost_hourly', HOURLY_KEY, hourly, { ignore: true });
    });
  }

  /**
   * After a full list of a cluster's pods: intervals still open in the
   * ledger whose pod is gone were deleted while nobody watched; they end
   * when the pod was last seen.
   */
  async closeVanished(cluster: string, present: Set<string>): Promise<number> {
    const open = await this.db('ai_platform_gpu_intervals').where({ cluster }).whereNull('end_ms');
    const gone = open.filter(r => !present.has(r.pod_uid));
    await this.ingest(
      gone.map(r => ({ ...this.fromRow(r), end: Number(r.last_seen_ms) })),
      Date.now(),
    );
    return gone.length;
  }

  private fromRow(r: Record<string, any>): GpuInterval {
    return {
      podUid: r.pod_uid,
      resource: r.resource,
      cluster: r.cluster,
      namespace: r.namespace,
      pod: r.pod,
      node: r.node ?? undefined,
      workload: r.workload,
      team: r.team ?? undefined,
      queue: r.queue ?? undefined,
      ...pricedDevicesOf(r as PricedRow),
    };
  }

  /**
   * GPU-ms and cost per day (or hour, step=1h) and group: closed intervals
   * from the rollup plus open ones up to now.
   */
  async showback(q: ShowbackQuery): Promise<ShowbackRow[]> {
    const hourly = q.step === '1h';
    const column = hourly ? 'hour' : 'day';
    const bucketOf = hourly ? hourOf : dayOf;
    const first = bucketOf(q.from);
    const last = bucketOf(q.to - 1);
    const filter = this.filterOf(q);
    const closed = await this.db(hourly ? 'ai_platform_cost_hourly' : 'ai_platform_cost_daily')
      .where(column, '>=', first)
      .andWhere(column, '<=', last)
      .andWhere(filter)
      .select({ bucket: column, key: q.aggregate })
      .sum({ gpu_ms: 'gpu_ms', cost_micros: 'cost_micros' })
      .groupBy(column, q.aggregate);
    const out = new Map<string, ShowbackRow>();
    const add = (bucket: string, key: string, gpuMs: number, costMicros: number) => {
      const id = `${bucket}|${key}`;
      const row = out.get(id) ?? {
        day: bucket.slice(0, 10),
        ...(hourly ? { hour: bucket } : {}),
        key,
        gpuMs: 0,
        costMicros: 0,
      };
      row.gpuMs += gpuMs;
      row.costMicros += costMicros;
      out.set(id, row);
    };
    for (const r of closed as unknown as Array<{
      bucket: string;
      key: string | null;
      gpu_ms: string | number;
      cost_micros: string | number;
    }>)
      add(r.bucket, r.key ?? '(none)', Number(r.gpu_ms), Number(r.cost_micros));
    const open = await this.db('ai_platform_gpu_intervals')
      .whereNull('end_ms')
      .andWhere(filter)
      .andWhere('start_ms', '<', q.to);
    for (const r of open) {
      const interval = this.fromRow(r);
      const end = Math.min(q.now, q.to);
      const parts = hourly
        ? hourlyParts(interval, end, this.prices).map(p => ({ ...p, bucket: p.hour }))
        : dailyParts(interval, end, this.prices).map(p => ({ ...p, bucket: p.day }));
      for (const p of parts) {
        if (p.bucket >= first && p.bucket <= last)
          add(p.bucket, (r[q.aggregate] as string) ?? '(none)', p.gpuMs, p.costMicros);
      }
    }
    return [...out.values()].sort(
      (a, b) => (a.hour ?? a.day).localeCompare(b.hour ?? b.day) || a.key.localeCompare(b.key),
    );
  }

  private filterOf(q: { filter?: Partial<Record<Aggregation, string>> }): Record<string, string> {
    return Object.fromEntries(Object.entries(q.filter ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
  }

  /**
   * Usage per pod within [from, to) (from the intervals themselves, for
   * joining utilization and token counts), with the grouping key of each.
   */
  async podUsage(q: ShowbackQuery): Promise<PodUsage[]> {
    const rows = await this.rowsWithin(q);
    return rows.map(r => {
      const interval = this.fromRow(r);
      return {
        podUid: interval.podUid,
        resource: interval.resource,
        cluster: interval.cluster,
        namespace: interval.namespace,
        pod: interval.pod,
        workload: interval.workload,
        team: interval.team,
        key: (r[q.aggregate] as string) ?? '(none)',
        ...usageWithin(interval, q.from, q.to, q.now, this.prices),
      };
    });
  }

  private rowsWithin(q: { from: number; to: number; filter?: Partial<Record<Aggregation, string>> }) {
    return this.db('ai_platform_gpu_intervals')
      .where(this.filterOf(q))
      .andWhere('start_ms', '<', q.to)
      .andWhere(b => b.whereNull('end_ms').orWhere('end_ms', '>', q.from));
  }

  /** Every GPU interval of the fleet (whatever else `q` holds) that overlaps [from, to). */
  async intervalsWithin(q: { from: number; to: number }): Promise<GpuInterval[]> {
    return (await this.rowsWithin({ from: q.from, to: q.to })).map(r => this.fromRow(r));
  }

  /** Every GPU interval of one workload (all its pods, running or ended). */
  async workloadIntervals(ref: { cluster: string; namespace: string; workload: string }): Promise<GpuInterval[]> {
    const rows = await this.db('ai_platform_gpu_intervals').where(ref).orderBy('start_ms');
    return rows.map(r => this.fromRow(r));
  }

  /** What the still-open intervals cost per hour at `at`, micro-units. */
  ratePerHour(intervals: GpuInterval[], at: number): number {
    return intervals
      .filter(i => i.end === undefined && i.start <= at)
      .reduce((sum, i) => {
        const [seg] = this.prices.segments(i.flavor, i.gpuProduct, at, at + HOUR_MS);
        return sum + intervalCost(seg.microsPerHour, i.count, HOUR_MS, i.shareNum, i.shareDen);
      }, 0);
  }
}
