import { ConfigReader } from '@backstage/config';
import { TestDatabases } from '@backstage/backend-test-utils';
import { CostDatabase } from '../database/CostDatabase';
import { dailyParts, hourlyParts } from './rollup';
import { intervalKey, podIntervals, type GpuInterval, type PodLike } from './intervals';
import { intervalCost, toMicros } from './money';
import { PriceBook } from './pricing';
import { newBudgetAlerts } from './budgets';
import { readPricing } from '../config/pricing';

const H = 3_600_000;
const t0 = Date.parse('2026-11-01T00:00:00Z');

function interval(i: number, overrides: Partial<GpuInterval> = {}): GpuInterval {
  return {
    podUid: `uid-${i}`,
    resource: 'nvidia.com/gpu',
    cluster: 'gpu-east',
    namespace: 'ml-research',
    pod: `train-${i}-0`,
    workload: `train-${i}`,
    team: i % 2 ? 'ml-research' : 'llm-serving',
    flavor: 'h100',
    gpuProduct: 'NVIDIA-H100-80GB-HBM3',
    count: 1 + (i % 8),
    shareNum: 1,
    shareDen: 1,
    start: t0 + i * 7_919,
    end: t0 + i * 7_919 + 1 + ((i * 104_729) % (30 * H)),
    ...overrides,
  };
}

const prices = PriceBook.withDefaults(
  readPricing(
    new ConfigReader({
      aiPlatform: {
        pricing: {
          gpu: [
            { flavor: 'h100', perHour: '3.333333' },
            { flavor: 'h100', perHour: '4.10', effectiveFrom: '2026-11-02T12:00:00Z' },
          ],
        },
      },
    }),
  ),
);

describe('money', () => {
  it('parses prices exactly and rejects what is not one', () => {
    expect(toMicros('2.50')).toBe(2_500_000);
    expect(toMicros('3.333333')).toBe(3_333_333);
    expect(toMicros(0.8)).toBe(800_000);
    expect(() => toMicros('2,50')).toThrow('write a non-negative amount like 2.50');
  });

  it('prices MIG slices and time-sliced GPUs by their share', () => {
    expect(intervalCost(7_000_000, 1, H)).toBe(7_000_000);
    expect(intervalCost(7_000_000, 1, H, 1, 7)).toBe(1_000_000); // 1g of 7
    expect(intervalCost(7_000_000, 2, H, 3, 7)).toBe(6_000_000); // 2 x 3g
    expect(intervalCost(4_000_000, 1, H, 1, 4)).toBe(1_000_000); // 1 of 4 time-slice replicas
  });
});

describe('intervals from pods', () => {
  const pod = (status: PodLike['status'], deleted?: string): PodLike => ({
    metadata: {
      uid: 'p1',
      name: 'train-0',
      namespace: 'ml-research',
      labels: { 'job-name': 'train', 'kueue.x-k8s.io/queue-name': 'research' },
      deletionTimestamp: deleted,
    },
    spec: { nodeName: 'n1', containers: [{ resources: { requests: { 'nvidia.com/mig-3g.40gb': '2', cpu: '4' } } }] },
    status,
  });

  it('gives nothing for a pod that never started', () => {
    expect(podIntervals('c', pod({ phase: 'Pending' }), undefined)).toEqual([]);
  });

  it('runs from startTime to the last container termination, with the MIG share', () => {
    const [i] = podIntervals(
      'c',
      pod({
        phase: 'Succeeded',
        startTime: '2026-11-01T00:00:00Z',
        containerStatuses: [{ state: { terminated: { finishedAt: '2026-11-01T02:00:00Z' } } }],
      }),
      { flavor: 'a100-mig' },
      'ml-research',
    );
    expect(i).toMatchObject({
      workload: 'train',
      queue: 'research',
      team: 'ml-research',
      count: 2,
      shareNum: 3,
      shareDen: 7,
      start: t0,
      end: t0 + 2 * H,
    });
  });

  it("charges a Deployment's pods to the Deployment, not to its ReplicaSet", () => {
    const served = pod({ phase: 'Running', startTime: '2026-11-01T00:00:00Z' });
    served.metadata.labels = { 'pod-template-hash': '7d9f8c6b5' };
    served.metadata.ownerReferences = [{ kind: 'ReplicaSet', name: 'llama-serve-7d9f8c6b5', controller: true }];
    expect(podIntervals('c', served, undefined)[0].workload).toBe('llama-serve');
  });

  it('stays open while the pod runs and ends at its deletion', () => {
    expect(
      podIntervals('c', pod({ phase: 'Running', startTime: '2026-11-01T00:00:00Z' }), undefined)[0].end,
    ).toBeUndefined();
    expect(
      podIntervals(
        'c',
        pod({ phase: 'Running', startTime: '2026-11-01T00:00:00Z' }, '2026-11-01T01:00:00Z'),
        undefined,
      )[0].end,
    ).toBe(t0 + H);
  });
});

describe('daily parts', () => {
  it('splits at midnight and at a price change, to the micro-unit', () => {
    const i = interval(0, {
      count: 1,
      start: Date.parse('2026-11-02T11:00:00Z'),
      end: Date.parse('2026-11-03T01:00:00Z'),
    });
    const parts = dailyParts(i, i.end!, prices);
    expect(parts).toEqual([
      { day: '2026-11-02', gpuMs: 13 * H, costMicros: 3_333_333 + 12 * 4_100_000 },
      { day: '2026-11-03', gpuMs: H, costMicros: 4_100_000 },
    ]);
  });
});

describe('CostLedger', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'is exact to the micro-unit over thousands of intervals, across a restart mid-ingestion (%p)',
    async id => {
      const knex = await databases.init(id);
      const all = Array.from({ length: 3000 }, (_, i) => interval(i));
      const expected = all.reduce(
        (sum, i) => sum + dailyParts(i, i.end!, prices).reduce((s, p) => s + p.costMicros, 0),
        0,
      );
      const first = await CostDatabase.create(knex, prices);
      await first.ingest(
        all.slice(0, 1800).map(i => ({ ...i, end: undefined })),
        t0,
      ); // seen running
      await first.ingest(all.slice(0, 1200), t0 + H); // some finished
      // "Restart": a new ledger instance relists everything, including what it already had.
      const second = await CostDatabase.create(knex, prices);
      await second.ingest(all, t0 + 40 * H);
      await second.ingest(all.slice(500, 900), t0 + 41 * H); // a watch reconnect replays some
      const rows = await second.showback({ from: t0, to: t0 + 60 * H, aggregate: 'team', now: t0 + 60 * H });
      expect(rows.reduce((s, r) => s + r.costMicros, 0)).toBe(expected);
      const teams = new Set(rows.map(r => r.key));
      expect(teams).toEqual(new Set(['ml-research', 'llm-serving']));
    },
    30_000,
  );

  it.each(databases.eachSupportedId())(
    'charges a pod first seen without a flavor to the flavor a later pass finds (%p)',
    async id => {
      const knex = await databases.init(id);
      const ledger = await CostDatabase.create(knex, prices);
      const running = interval(1, { end: undefined });
      await ledger.ingest([{ ...running, flavor: undefined }], t0 + H);
      await ledger.ingest([running], t0 + 2 * H);
      // Still running: its cost so far comes from the stored interval.
      const rows = await ledger.showback({ from: t0, to: t0 + 4 * H, aggregate: 'flavor', now: t0 + 2 * H });
      expect([...new Set(rows.map(r => r.key))]).toEqual(['h100']);
    },
  );

  it.each(databases.eachSupportedId())(
    'takes clusters side by side, as the ingestor syncs them, and still counts each interval once (%p)',
    async id => {
      const knex = await databases.init(id);
      const ledger = await CostDatabase.create(knex, prices);
      const all = Array.from({ length: 2000 }, (_, i) => interval(i, { cluster: i % 2 ? 'gpu-east' : 'gpu-west' }));
      const expected = all.reduce(
        (sum, i) => sum + dailyParts(i, i.end!, prices).reduce((s, p) => s + p.costMicros, 0),
        0,
      );
      const of = (cluster: string, list: GpuInterval[]) => list.filter(i => i.cluster === cluster);
      for (const seenAt of [t0 + H, t0 + 40 * H, t0 + 41 * H]) {
        // First seen running, then finished, then a relist of both clusters at once.
        const view = seenAt === t0 + H ? all.map(i => ({ ...i, end: undefined })) : all;
        await Promise.all(['gpu-east', 'gpu-west'].map(c => ledger.ingest(of(c, view), seenAt)));
      }
      const rows = await ledger.showback({ from: t0, to: t0 + 60 * H, aggregate: 'cluster', now: t0 + 60 * H });
      expect(rows.reduce((s, r) => s + r.costMicros, 0)).toBe(expected);
      expect(new Set(rows.map(r => r.key))).toEqual(new Set(['gpu-east', 'gpu-west']));
    },
    30_000,
  );

  it.each(databases.eachSupportedId())(
    'keeps every row and total when the rollup keys are reordered and back (migration 05) (%p)',
    async id => {
      const knex = await databases.init(id);
      const all = Array.from({ length: 400 }, (_, i) => interval(i));
      const ledger = await CostDatabase.create(knex, prices, { now: t0 + 40 * H });
      await ledger.ingest(all, t0 + 40 * H);
      const window = { from: t0, to: t0 + 60 * H, aggregate: 'workload' as const, now: t0 + 60 * H };
      const counts = async () =>
        Promise.all(
          ['ai_platform_gpu_intervals', 'ai_platform_cost_daily', 'ai_platform_cost_hourly'].map(async t =>
            Number((await knex(t).count({ n: '*' }))[0].n),
          ),
        );
      const before = {
        rows: await counts(),
        daily: await ledger.showback(window),
        hourly: await ledger.showback({ ...window, from: t0 + 30 * H, step: '1h' }),
      };
      const migrations = {
        directory: `${__dirname}/../../migrations`,
        tableName: 'ai_platform_knex_migrations',
      };
      const [, undone] = await knex.migrate.down({ ...migrations, name: '20261123_05_keys_by_time.js' });
      expect(undone).toEqual(['20261123_05_keys_by_time.js']);
      expect(await counts()).toEqual(before.rows);
      await knex.migrate.latest(migrations);
      await ledger.ingest(all, t0 + 41 * H); // a relist after the upgrade adds nothing
      expect({
        rows: await counts(),
        daily: await ledger.showback(window),
        hourly: await ledger.showback({ ...window, from: t0 + 30 * H, step: '1h' }),
      }).toEqual(before);
    },
    30_000,
  );

  it.each(databases.eachSupportedId())(
    'closes intervals of pods deleted while the backend was down, and counts open ones up to now (%p)',
    async id => {
      const knex = await databases.init(id);
      const ledger = await CostDatabase.create(knex, prices);
      const running = [
        interval(1, { start: t0, end: undefined, count: 2 }),
        interval(2, { start: t0, end: undefined, count: 1 }),
      ];
      await ledger.ingest(running, t0 + H);
      // After the restart, only pod 2 is still there.
      expect(await ledger.closeVanished('gpu-east', new Set([intervalKey(running[1])]))).toBe(1);
      const rows = await ledger.showback({ from: t0, to: t0 + 24 * H, aggregate: 'workload', now: t0 + 3 * H });
      const byWorkload = Object.fromEntries(rows.map(r => [r.key, r]));
      expect(byWorkload['train-1'].gpuMs).toBe(2 * H); // ended when last seen
      expect(byWorkload['train-2'].gpuMs).toBe(3 * H); // still running: up to now
      expect(byWorkload['train-1'].costMicros).toBe(2 * 3_333_333);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a closed interval closed when a late, stale view of its pod arrives (%p)',
    async id => {
      const knex = await databases.init(id);
      const ledger = await CostDatabase.create(knex, prices);
      const pod = interval(7, {
        start: t0,
        end: t0 + 2 * H,
        count: 4,
        team: undefined,
        queue: undefined,
        node: 'node-a',
      });
      await ledger.ingest([pod], t0 + 2 * H);
      await ledger.ingest([{ ...pod, end: undefined, node: 'node-b' }], t0 + 5 * H); // an informer's cached copy
      const rows = await ledger.showback({ from: t0, to: t0 + 24 * H, aggregate: 'workload', now: t0 + 10 * H });
      expect(rows).toEqual([expect.objectContaining({ key: 'train-7', gpuMs: 8 * H, costMicros: 8 * 3_333_333 })]);
      const stored = await knex('ai_platform_gpu_intervals').where({ pod_uid: 'uid-7' }).first();
      expect(Number(stored.end_ms)).toBe(t0 + 2 * H);
      // The closed interval is left as it was recorded, node included.
      expect(stored).toMatchObject({ team: null, queue: null, node: 'node-a', flavor: 'h100' });
    },
  );
});

describe('hourly rollups', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it('splits at hours and at a price change, and sums to the daily figures', () => {
    const i = interval(0, {
      count: 3,
      start: Date.parse('2026-11-02T10:30:00Z'),
      end: Date.parse('2026-11-02T13:15:00Z'),
    });
    expect(hourlyParts(i, i.end!, prices)).toEqual([
      { hour: '2026-11-02T10', gpuMs: 1.5 * H, costMicros: Math.floor((3_333_333 * 3) / 2) },
      { hour: '2026-11-02T11', gpuMs: 3 * H, costMicros: 3 * 3_333_333 },
      { hour: '2026-11-02T12', gpuMs: 3 * H, costMicros: 3 * 4_100_000 }, // the new price from 12:00
      { hour: '2026-11-02T13', gpuMs: 0.75 * H, costMicros: (3 * 4_100_000) / 4 },
    ]);
    expect(dailyParts(i, i.end!, prices)).toEqual([
      { day: '2026-11-02', gpuMs: 8.25 * H, costMicros: 4_999_999 + 9_999_999 + 12_300_000 + 3_075_000 },
    ]);
  });

  it.each(databases.eachSupportedId())(
    'are exact to the micro-unit per hour and unchanged by re-ingestion (%p)',
    async id => {
      const knex = await databases.init(id);
      const all = Array.from({ length: 1500 }, (_, i) => interval(i));
      const expected = new Map<string, number>();
      for (const i of all)
        for (const p of hourlyParts(i, i.end!, prices))
          expected.set(`${p.hour}|${i.team}`, (expected.get(`${p.hour}|${i.team}`) ?? 0) + p.costMicros);
      const window = {
        from: t0,
        to: t0 + 7 * 24 * H,
        aggregate: 'team' as const,
        now: t0 + 7 * 24 * H,
        step: '1h' as const,
      };

      const first = await CostDatabase.create(knex, prices);
      await first.ingest(
        all.slice(0, 1000).map(i => ({ ...i, end: undefined })),
        t0,
      );
      await first.ingest(all.slice(0, 700), t0 + H);
      const second = await CostDatabase.create(knex, prices);
      await second.ingest(all, t0 + 40 * H);
      const stored = Number((await knex('ai_platform_cost_hourly').count({ n: '*' }))[0].n);
      const once = await second.showback(window);
      await second.ingest(all, t0 + 41 * H); // a relist replays everything
      await second.ingest(all.slice(200, 400), t0 + 42 * H); // and a watch reconnect some
      const twice = await second.showback(window);

      expect(Number((await knex('ai_platform_cost_hourly').count({ n: '*' }))[0].n)).toBe(stored);
      expect(twice).toEqual(once);
      expect(new Map(twice.map(r => [`${r.hour}|${r.key}`, r.costMicros]))).toEqual(expected);
      const daily = await second.showback({ ...window, step: '1d' });
      expect(daily.reduce((s, r) => s + r.costMicros, 0)).toBe(twice.reduce((s, r) => s + r.costMicros, 0));
      expect(twice[0]).toMatchObject({ day: '2026-11-01', hour: '2026-11-01T00' });
    },
    30_000,
  );

  it.each(databases.eachSupportedId())(
    'count a running pod up to now, hour by hour, and backfill hours of intervals closed before they existed (%p)',
    async id => {
      const knex = await databases.init(id);
      const ledger = await CostDatabase.create(knex, prices);
      await ledger.ingest(
        [
          interval(1, { start: t0 + H / 2, end: undefined, count: 2 }),
          interval(2, { start: t0, end: t0 + 2 * H, count: 1 }),
        ],
        t0 + 2 * H,
      );
      const rows = await ledger.showback({
        from: t0,
        to: t0 + 24 * H,
        aggregate: 'workload',
        now: t0 + 3 * H,
        step: '1h',
      });
      expect(rows.filter(r => r.key === 'train-1').map(r => [r.hour, r.gpuMs])).toEqual([
        ['2026-11-01T00', H],
        ['2026-11-01T01', 2 * H],
        ['2026-11-01T02', 2 * H],
      ]);
      // An interval closed before the hourly table existed has daily rows only.
      await knex('ai_platform_cost_hourly').where({ workload: 'train-2' }).delete();
      await CostDatabase.create(knex, prices, { now: t0 + 5 * H });
      const again = await ledger.showback({
        from: t0,
        to: t0 + 24 * H,
        aggregate: 'workload',
        now: t0 + 3 * H,
        step: '1h',
      });
      expect(again.filter(r => r.key === 'train-2').map(r => r.costMicros)).toEqual([3_333_333, 3_333_333]);
    },
  );
});

describe('hourly retention', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())('keeps hourly rows for the retention and daily rows for ever (%p)', async id => {
    const knex = await databases.init(id);
    const ledger = await CostDatabase.create(knex, prices, { hourlyRetentionMs: 86_400_000, now: t0 });
    await ledger.ingest([interval(1, { start: t0, end: t0 + 48 * H, count: 1 })], t0 + 48 * H);
    const hours = async () => (await knex('ai_platform_cost_hourly').orderBy('hour').select('hour')).map(r => r.hour);
    expect(await hours()).toHaveLength(24); // 2026-11-02T00 .. T23: the last day before it was seen closed
    expect((await hours())[0]).toBe('2026-11-02T00');
    const daily = await ledger.showback({ from: t0, to: t0 + 48 * H, aggregate: 'team', now: t0 + 48 * H });
    expect(daily.map(r => r.gpuMs)).toEqual([24 * H, 24 * H]);
    expect(await ledger.pruneHourly(t0 + 60 * H)).toBe(12);
    expect((await hours())[0]).toBe('2026-11-02T12');
  });
});

describe('budget alerts', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())('notifies each crossed threshold once per month (%p)', async id => {
    const knex = await databases.init(id);
    const db = await CostDatabase.create(knex, prices);
    const status = {
      team: 'ml-research',
      month: '2026-11',
      budgetMicros: 100,
      spentMicros: 85,
      forecastMicros: 120,
      spentRatio: 0.85,
      forecastRatio: 1.2,
    };
    const first = await newBudgetAlerts(db, [status], t0, 'USD');
    expect(first.map(a => a.threshold)).toEqual([50, 80]);
    expect(first[1].title).toBe('ml-research has used 85 % of its 2026-11 GPU budget');
    expect(await newBudgetAlerts(db, [status], t0 + H, 'USD')).toEqual([]);
    expect(
      (await newBudgetAlerts(db, [{ ...status, spentRatio: 1.01 }], t0 + 2 * H, 'USD')).map(a => a.threshold),
    ).toEqual([100]);
  });
});
