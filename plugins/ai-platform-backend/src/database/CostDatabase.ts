import type { Knex } from 'knex';
import { costAggregations, type CostAggregation } from '@ai-platform/backstage-plugin-ai-platform-common';
import { bulkUpsert } from '../costs/bulkUpsert';
import { intervalKey, type GpuInterval } from '../costs/intervals';
import type { NodeSnapshot } from '../costs/NodeCapacity';
import type { PriceBook } from '../costs/pricing';
import {
  byDay,
  dailyParts,
  DAY_MS,
  dayOf,
  hourlyParts,
  hourOf,
  usageWithin,
  type HourPart,
  type PodUsage,
} from '../costs/rollup';
import { migratePluginDatabase } from './migrations';
import { dimColumns, filterOf, fromRow } from './costRows';
import { capacityWithin, recordNodes } from './nodeCapacityRows';

const HOURLY_KEY = ['hour', 'pod_uid', 'resource'];
const DAILY_KEY = ['day', 'pod_uid', 'resource'];

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

/**
 * The cost ledger's persistence: pods' GPU intervals, their hourly and daily
 * cost rollups, nodes' GPU capacity and sent budget alerts. Intervals are
 * written idempotently (keyed by pod uid and resource, derived from pod
 * timestamps); a closed interval's cost is split into rollup rows once, so
 * restarts, relists and watch reconnects neither lose nor double-count
 * anything.
 */
export class CostDatabase {
  /** How far back hourly rows are kept (and written); daily rows are kept forever. */
  readonly hourlyRetentionMs: number;

  private constructor(private readonly db: Knex, readonly prices: PriceBook, hourlyRetentionMs: number) {
    this.hourlyRetentionMs = hourlyRetentionMs;
  }

  static async create(
    db: Knex,
    prices: PriceBook,
    options: {
      /** database.migrations.skip: the schema is managed elsewhere. */
      skipMigrations?: boolean;
      /** For the hourly backfill; default Date.now(). */
      now?: number;
      /** Default 30 days (aiPlatform.costs.hourlyRetention). */
      hourlyRetentionMs?: number;
    } = {},
  ): Promise<CostDatabase> {
    if (!options.skipMigrations) await migratePluginDatabase(db);
    const ledger = new CostDatabase(db, prices, options.hourlyRetentionMs ?? 30 * DAY_MS);
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
      const interval = fromRow(r);
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
          set: {
            end_ms: 'excluded.end_ms',
            last_seen_ms: 'excluded.last_seen_ms',
            node: 'excluded.node',
            // A pod first seen before its node's flavor was known (queues still loading) gets it on a later pass,
            // instead of charging its whole run to no flavor.
            flavor: 'COALESCE(excluded.flavor, ai_platform_gpu_intervals.flavor)',
          },
          where: 'ai_platform_gpu_intervals.end_ms IS NULL',
        },
        ['pod_uid', 'resource', 'end_ms'],
      );
      const newlyClosed = changed.filter(r => r.end_ms !== null).map(r => byKey.get(`${r.pod_uid}|${r.resource}`)!);
      const hourly: Array<ReturnType<CostDatabase['hourlyRows']>[number]> = [];
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
   * ledger that the list no longer shows (`present`: the intervals it shows,
   * by `intervalKey`) end when they were last seen: their pod was deleted
   * while nobody watched, or the DRA claim that held the devices went.
   */
  async closeVanished(cluster: string, present: Set<string>): Promise<number> {
    const open = await this.db('ai_platform_gpu_intervals').where({ cluster }).whereNull('end_ms');
    const gone = open.filter(r => !present.has(intervalKey({ podUid: r.pod_uid, resource: r.resource })));
    await this.ingest(
      gone.map(r => ({ ...fromRow(r), end: Number(r.last_seen_ms) })),
      Date.now(),
    );
    return gone.length;
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
    const filter = filterOf(q);
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
      const interval = fromRow(r);
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

  /**
   * Usage per pod within [from, to) (from the intervals themselves, for
   * joining utilization and token counts), with the grouping key of each.
   */
  async podUsage(q: ShowbackQuery): Promise<PodUsage[]> {
    const rows = await this.rowsWithin(q);
    return rows.map(r => {
      const interval = fromRow(r);
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
      .where(filterOf(q))
      .andWhere('start_ms', '<', q.to)
      .andWhere(b => b.whereNull('end_ms').orWhere('end_ms', '>', q.from));
  }

  /** Every GPU interval of the fleet (whatever else `q` holds) that overlaps [from, to). */
  async intervalsWithin(q: { from: number; to: number }): Promise<GpuInterval[]> {
    return (await this.rowsWithin({ from: q.from, to: q.to })).map(fromRow);
  }

  /** Every GPU interval of one workload (all its pods, running or ended). */
  async workloadIntervals(ref: { cluster: string; namespace: string; workload: string }): Promise<GpuInterval[]> {
    const rows = await this.db('ai_platform_gpu_intervals').where(ref).orderBy('start_ms');
    return rows.map(fromRow);
  }

  /** Records a full list of a cluster's nodes as seen at `seenAt` (see nodeCapacityRows' recordNodes). */
  recordNodes(cluster: string, nodes: NodeSnapshot[], seenAt: number): Promise<void> {
    return recordNodes(this.db, cluster, nodes, seenAt);
  }

  /** Node GPU capacity overlapping [from, min(to, now)), and since when each cluster's capacity is recorded. */
  capacityWithin(q: { from: number; to: number; now: number }) {
    return capacityWithin(this.db, q);
  }

  /** Records that a team's budget alert for a month and threshold was sent; false when it already was. */
  async markBudgetAlert(alert: { team: string; month: string; threshold: number }, sentAt: number): Promise<boolean> {
    if (await this.db('ai_platform_budget_alerts').where(alert).first()) return false;
    await this.db('ai_platform_budget_alerts')
      .insert({ ...alert, sent_ms: sentAt })
      .onConflict(['team', 'month', 'threshold'])
      .ignore();
    return true;
  }
}
