import request from 'supertest';
import knexFactory, { type Knex } from 'knex';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { TelemetrySource } from '@ai-platform/backstage-plugin-ai-platform-node';
import { CostDatabase } from '../database/CostDatabase';
import { PriceBook } from '../costs/pricing';
import { toMicros } from '../costs/money';
import { parseWindow } from '../costs/window';
import { TeamBudgets } from '../costs/budgets';
import type { NodeSnapshot } from '../costs/NodeCapacity';
import type { GpuInterval } from '../costs/intervals';
import { PrometheusUtilization } from '../costs/PrometheusUtilization';
import { PrometheusInference } from '../costs/PrometheusInference';
import { DefaultCostService } from '../services/CostService';
import { costRoutesApp } from './__testUtils__/costRoutesApp';
import type { WorkloadRef, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';

// The first request loads the OpenAPI validator, slow on a busy machine.
jest.setTimeout(30_000);

const H = 3_600_000;
const now = Date.parse('2026-11-23T00:00:00Z');

function usage(team: string, pod: string, hours: number): GpuInterval {
  return {
    podUid: `${team}-${pod}`,
    resource: 'nvidia.com/gpu',
    cluster: 'gpu-east',
    namespace: team,
    pod,
    node: 'n1',
    workload: pod,
    team,
    gpuProduct: 'NVIDIA-L4',
    count: 2,
    shareNum: 1,
    shareDen: 1,
    start: now - 2 * 86_400_000,
    end: now - 2 * 86_400_000 + hours * H,
  };
}

/** The fleet's GPU telemetry from whichever of the two Prometheus readers a test gives. */
function telemetryOf(o: { utilization?: PrometheusUtilization; inference?: PrometheusInference }) {
  if (!o.utilization && !o.inference) return undefined;
  const telemetry: TelemetrySource = {
    utilizationByPod: async (from, to) => o.utilization?.byPod(from, to),
    utilizationSeries: async (pods, from, to) => o.utilization?.series(pods, from, to),
    tokensByPod: async (from, to) => o.inference?.tokensByPod(from, to),
    timeToFirstTokenP95: async (pods, from, to) => o.inference?.ttftP95(pods, from, to),
  };
  return telemetry;
}

async function app(options: {
  /** Alice is in ml-research; as an admin she is in platform-admins too, and the policy allows ai-platform.admin. */
  admin: boolean;
  utilization?: PrometheusUtilization;
  inference?: PrometheusInference;
  more?: GpuInterval[];
  lookupWorkload?: (ref: WorkloadRef) => Promise<WorkloadSummary | undefined>;
  db?: Knex;
  /** Lists of cluster gpu-east's nodes: when, and what they showed. */
  nodeLists?: Array<[number, NodeSnapshot[]]>;
}) {
  const knex = options.db ?? knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  const db = await CostDatabase.create(
    knex,
    new PriceBook([{ match: 'NVIDIA-L4', microsPerHour: toMicros('0.80'), from: 0 }]),
  );
  await db.ingest(
    [usage('ml-research', 'train-a', 10), usage('llm-serving', 'serve-b', 5), ...(options.more ?? [])],
    now,
  );
  for (const [at, list] of options.nodeLists ?? []) await db.recordNodes('gpu-east', list, at);
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result:
          r.permission.name === 'ai-platform.admin' && !options.admin ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      })),
  });
  const costs = new DefaultCostService({
    db,
    telemetry: telemetryOf(options),
    lookupWorkload: options.lookupWorkload,
    budgets: new TeamBudgets(
      new Map([
        ['ml-research', 20_000_000],
        ['llm-serving', 1_000_000],
      ]),
    ),
    now: () => now,
  });
  return costRoutesApp({
    costs,
    permissions,
    ownership: [
      'user:default/alice',
      'group:default/ml-research',
      ...(options.admin ? ['group:default/platform-admins'] : []),
    ],
  });
}

// The first request builds the OpenAPI router and migrates the database: seconds on a busy machine.
jest.setTimeout(30_000);
describe('cost routes', () => {
  it('parses OpenCost-style windows and rejects others with a hint', () => {
    expect(parseWindow('7d', now)).toEqual({ from: now - 7 * 86_400_000, to: now });
    expect(() => parseWindow('last week', now)).toThrow('use 7d, 30d, 24h');
  });

  it('shows a user only the costs of their own teams, exactly', async () => {
    const res = await request(await app({ admin: false })).get('/costs/showback?window=7d&aggregate=team');
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      { day: '2026-11-21', key: 'ml-research', gpuHours: 20, costMicros: 16_000_000, cost: '16.00' },
    ]);
    const other = await request(await app({ admin: false })).get(
      '/costs/showback?aggregate=namespace&filter.team=llm-serving',
    );
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain('one of your teams (ml-research)');
  });

  it("grants nothing for a group of the team's name in another namespace, as for workloads", async () => {
    const costs = new DefaultCostService({
      db: await CostDatabase.create(
        knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true }),
        PriceBook.withDefaults(),
      ),
      now: () => now,
    });
    const elsewhere = await costRoutesApp({ costs, ownership: ['user:default/alice', 'group:ops/ml-research'] });
    const res = await request(elsewhere).get('/costs/showback?aggregate=team');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/belongs to no team.*group:default\/<team>/);
    const admin = await costRoutesApp({ costs, ownership: ['user:default/alice', 'group:default/platform-admins'] });
    expect((await request(admin).get('/costs/showback?aggregate=namespace')).status).toBe(200);
  });

  it('shows admins every team and exports CSV', async () => {
    const res = await request(await app({ admin: true })).get('/costs/showback?window=7d&aggregate=team&format=csv');
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.text.trim().split('\n')).toEqual([
      'day,team,gpu_hours,cost_usd',
      '2026-11-21,"llm-serving",10.0000,8.000000',
      '2026-11-21,"ml-research",20.0000,16.000000',
    ]);
  });

  it('reports idle cost from utilization, and unknown (not zero) efficiency when Prometheus is down', async () => {
    const up = new PrometheusUtilization(
      'http://prometheus',
      (async () =>
        new Response(
          JSON.stringify({
            data: { result: [{ metric: { namespace: 'ml-research', pod: 'train-a' }, value: [0, '0.25'] }] },
          }),
        )) as typeof fetch,
    );
    const res = await request(await app({ admin: true, utilization: up })).get(
      '/costs/allocation?window=7d&aggregate=workload',
    );
    expect(res.body.data[0]['train-a']).toMatchObject({
      gpuHours: 20,
      gpuCost: 16,
      gpuEfficiency: 0.25,
      idleCost: 12,
      totalCost: 16,
    });
    const down = new PrometheusUtilization('http://127.0.0.1:1');
    const res2 = await request(await app({ admin: true, utilization: down })).get(
      '/costs/allocation?window=7d&aggregate=workload',
    );
    expect(res2.body.utilizationKnown).toBe(false);
    expect(res2.body.data[0]['train-a']).toMatchObject({ gpuCost: 16, gpuEfficiency: null, idleCost: null });
  });

  it('estimates the cost of a planned workload and explains bad input', async () => {
    const a = await app({ admin: false });
    const res = await request(a).post('/costs/estimate').send({ gpus: 8, hours: 2.5, gpuProduct: 'NVIDIA-L4' });
    expect(res.body).toMatchObject({ costMicros: 16_000_000, cost: '16.00', currency: 'USD' });
    const bad = await request(a).post('/costs/estimate').send({ gpus: 'eight', hours: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('request/body/gpus must be number');
    const none = await request(a).post('/costs/estimate').send({ gpus: 0, hours: 1 });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('request/body/gpus must be > 0');
  });

  it("reports spend against budget with a month-end forecast, for the caller's teams", async () => {
    const res = await request(await app({ admin: false })).get('/costs/budgets');
    expect(res.body.items).toEqual([
      expect.objectContaining({
        team: 'ml-research',
        month: '2026-11',
        budgetMicros: 20_000_000,
        source: 'config',
        spentMicros: 16_000_000,
        spentRatio: 0.8,
      }),
    ]);
    // 16.00 in the last 7 days -> 16/7 per day for the 8 days left in November.
    expect(res.body.items[0].forecastMicros).toBe(16_000_000 + Math.round((16_000_000 / 7) * 8));
  });

  it("gives one team's budget on filter.team, and refuses a team the caller may not see", async () => {
    const a = await app({ admin: false });
    const all = await request(a).get('/costs/budgets');
    const mine = await request(a).get('/costs/budgets?filter.team=ml-research');
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(all.body);
    const other = await request(a).get('/costs/budgets?filter.team=llm-serving');
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain('filter.team=llm-serving is not one of your teams (ml-research)');
    const asAdmin = await request(await app({ admin: true })).get('/costs/budgets?filter.team=llm-serving');
    expect(asAdmin.body.items).toEqual([
      expect.objectContaining({ team: 'llm-serving', budgetMicros: 1_000_000, spentMicros: 8_000_000 }),
    ]);
  });

  it('gives hourly showback for windows up to 7 days, and says what to do for longer ones', async () => {
    const a = await app({ admin: false });
    const res = await request(a).get('/costs/showback?window=3d&aggregate=team&step=1h');
    expect(res.status).toBe(200);
    expect(res.body.step).toBe('1h');
    expect(res.body.rows).toHaveLength(10); // train-a ran 10 hours from 2026-11-21T00:00
    expect(res.body.rows[0]).toEqual({
      day: '2026-11-21',
      hour: '2026-11-21T00:00:00Z',
      key: 'ml-research',
      gpuHours: 2,
      costMicros: 1_600_000,
      cost: '1.60',
    });
    expect(res.body.totalCostMicros).toBe(16_000_000);
    const long = await request(a).get('/costs/showback?window=30d&step=1h');
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe(
      'step=1h covers windows of at most 7 days and this one is 30.0 days; use step=1d or a shorter window',
    );
    expect((await request(a).get('/costs/showback?step=2h')).body.error.message).toContain(
      'request/query/step must be equal to one of the allowed values: 1d, 1h',
    );
    const old = await request(a).get('/costs/showback?window=2026-10-01T00:00:00Z,2026-10-03T00:00:00Z&step=1h');
    expect(old.status).toBe(400);
    expect(old.body.error.message).toContain('step=1h reaches back 30 days (aiPlatform.costs.hourlyRetention)');
    const csvText = (await request(a).get('/costs/showback?window=1d&step=1h&format=csv')).text;
    expect(csvText.split('\n')[0]).toBe('hour,team,gpu_hours,cost_usd');
  });

  /** A Prometheus that answers vLLM token counters for serve-b, and for a namesake in another cluster the ledger does not have. */
  const tokenPrometheus = () =>
    new PrometheusInference('http://prometheus', (async (url: string) => {
      const promql = new URL(url).searchParams.get('query')!;
      const series = (value: string) => [
        { metric: { cluster: 'gpu-west', namespace: 'llm-serving', pod: 'serve-b' }, value: [0, '999999'] },
        { metric: { cluster: 'gpu-east', namespace: 'llm-serving', pod: 'serve-b' }, value: [0, value] },
      ];
      let result: ReturnType<typeof series> = [];
      if (promql.includes('vllm:generation_tokens_total')) result = series('1800000.4');
      else if (promql.includes('vllm:prompt_tokens_total')) result = series('5400000');
      return new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    }) as typeof fetch);

  it('reports tokens per second per dollar and the cost of a million tokens per inference service', async () => {
    const res = await request(await app({ admin: true, inference: tokenPrometheus() })).get(
      '/costs/inference?window=7d',
    );
    expect(res.status).toBe(200);
    expect(res.body.tokensKnown).toBe(true);
    // serve-b: 2 L4 x 5 h at 0.80 = 8.00; 1.8 M tokens over the week.
    expect(res.body.items).toEqual([
      {
        cluster: 'gpu-east',
        namespace: 'llm-serving',
        workload: 'serve-b',
        team: 'llm-serving',
        generationTokens: 1_800_000,
        promptTokens: 5_400_000,
        gpuHours: 10,
        costMicros: 8_000_000,
        tokensPerSecondPerDollar: 1_800_000 / (7 * 86_400) / (8 / (7 * 24)), // = 62.5
        costPerMillionTokensMicros: 4_444_444,
      },
    ]);
    expect(res.body.items[0].tokensPerSecondPerDollar).toBeCloseTo(62.5, 9);
  });

  it("keeps other teams' inference services from a user, and says tokens are unknown (not zero) without Prometheus", async () => {
    const mine = await request(await app({ admin: false, inference: tokenPrometheus() })).get(
      '/costs/inference?window=7d',
    );
    expect(mine.body).toMatchObject({ tokensKnown: true, items: [] });
    const other = await request(await app({ admin: false, inference: tokenPrometheus() })).get(
      '/costs/inference?window=7d&filter.team=llm-serving',
    );
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe('filter.team=llm-serving is not one of your teams (ml-research)');
    const down = await request(
      await app({ admin: true, inference: new PrometheusInference('http://127.0.0.1:1') }),
    ).get('/costs/inference?window=7d');
    expect(down.body).toMatchObject({ tokensKnown: false, items: [] });
    const unconfigured = await request(await app({ admin: true })).get('/costs/inference?window=7d');
    expect(unconfigured.body.tokensKnown).toBe(false);
  });

  describe('one workload', () => {
    const running: GpuInterval = {
      ...usage('ml-research', 'train-c', 0),
      count: 4,
      start: now - H / 2,
      end: undefined,
    };
    const summary = (name: string, state: WorkloadSummary['state'], expectedDurationSeconds?: number) =>
      ({
        cluster: 'gpu-east',
        namespace: 'ml-research',
        kind: 'JobSet',
        name,
        team: 'ml-research',
        state,
        expectedDurationSeconds,
      } as WorkloadSummary);
    const known = new Map([
      ['train-c', summary('train-c', 'Running', 7200)],
      ['train-d', summary('train-d', 'Pending', 3600)],
    ]);
    const lookupWorkload = async (ref: WorkloadRef) => known.get(ref.name);

    it('gives cost to date, the current rate and the cost at completion from the expected run time', async () => {
      const res = await request(await app({ admin: false, more: [running], lookupWorkload })).get(
        '/costs/workloads/gpu-east/ml-research/JobSet/train-c',
      );
      expect(res.status).toBe(200);
      // 4 L4 at 0.80 for 30 min; 1.5 h of the expected 2 h left at 3.20/h.
      expect(res.body).toEqual({
        currency: 'USD',
        costToDateMicros: 1_600_000,
        gpuHoursToDate: 2,
        ratePerHourMicros: 3_200_000,
        projectedMicros: 1_600_000 + 4_800_000,
        utilization: null,
      });
    });

    it('ends the projection at what a finished workload cost, and knows none for a workload without an expected run time', async () => {
      const a = await app({ admin: true, more: [running] });
      const done = await request(a).get('/costs/workloads/gpu-east/ml-research/Job/train-a');
      expect(done.body).toMatchObject({
        costToDateMicros: 16_000_000,
        ratePerHourMicros: 0,
        projectedMicros: 16_000_000,
      });
      const service = await request(a).get('/costs/workloads/gpu-east/ml-research/JobSet/train-c');
      expect(service.body).toMatchObject({
        costToDateMicros: 1_600_000,
        ratePerHourMicros: 3_200_000,
        projectedMicros: null,
      });
    });

    it('answers for a known workload that has not run yet, and 404 for one nobody knows', async () => {
      const a = await app({ admin: false, lookupWorkload });
      const pending = await request(a).get('/costs/workloads/gpu-east/ml-research/JobSet/train-d');
      expect(pending.body).toMatchObject({ costToDateMicros: 0, ratePerHourMicros: 0, projectedMicros: null });
      const missing = await request(a).get('/costs/workloads/gpu-east/ml-research/JobSet/train-x');
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        'No GPU usage is recorded for JobSet ml-research/train-x in cluster gpu-east and no such workload is known; check the cluster, namespace, kind and name',
      );
    });

    it("refuses another team's workload", async () => {
      const res = await request(await app({ admin: false })).get(
        '/costs/workloads/gpu-east/llm-serving/Deployment/serve-b',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('belong to team llm-serving; you may see those of ml-research');
    });

    it('adds token figures for inference services, unknown when Prometheus is down', async () => {
      const served = await request(await app({ admin: true, inference: tokenPrometheus() })).get(
        '/costs/workloads/gpu-east/llm-serving/Deployment/serve-b?window=7d',
      );
      expect(served.body.inference).toMatchObject({ costPerMillionTokensMicros: 4_444_444 });
      // serve-b ran 5 h of the window: its rate is over the time it ran.
      expect(served.body.inference.tokensPerSecond).toBeCloseTo(1_800_000 / (5 * 3600), 9);
      const down = await request(
        await app({ admin: true, inference: new PrometheusInference('http://127.0.0.1:1') }),
      ).get('/costs/workloads/gpu-east/llm-serving/InferenceService/serve-b');
      expect(down.body.inference).toEqual({
        tokensPerSecond: null,
        timeToFirstTokenP95Seconds: null,
        costPerMillionTokensMicros: null,
      });
      const training = await request(await app({ admin: true, inference: tokenPrometheus() })).get(
        '/costs/workloads/gpu-east/ml-research/Job/train-a',
      );
      expect(training.body.inference).toBeUndefined();
    });
  });
});

describe('fleet idle in allocation', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  // Node n1 (4 L4) is listed from 3 days ago until now: 288 GPU-h, 230.40.
  const n1: NodeSnapshot = {
    node: 'n1',
    nodeUid: 'uid-n1',
    gpuProduct: 'NVIDIA-L4',
    created: 0,
    devices: [{ resource: 'nvidia.com/gpu', count: 4, shareNum: 1, shareDen: 1 }],
  };
  const nodeLists: Array<[number, NodeSnapshot[]]> = [
    [now - 3 * 86_400_000, [n1]],
    [now, [n1]],
  ];
  // Teams hold 20 (16.00), 10 (8.00) and 7 (5.60) GPU-h of it: 251 GPU-h (200.80) idle.
  const vision = { ...usage('vision', 'detect', 7), count: 1 };
  const fleet = (db: Knex, admin: boolean) => app({ admin, db, nodeLists, more: [vision] });

  it.each(databases.eachSupportedId())(
    'lists unallocated capacity as __idle__ for the whole fleet only (%p)',
    async id => {
      const a = await fleet(await databases.init(id), true);
      const res = await request(a).get('/costs/allocation?window=7d&aggregate=team');
      expect(res.status).toBe(200);
      expect(res.body.data[0].__idle__).toEqual({
        name: '__idle__',
        gpuHours: 251,
        gpuCost: 200.8,
        gpuEfficiency: 0,
        idleCost: 200.8,
        totalCost: 200.8,
        gpuCostMicros: 200_800_000,
        totalCostMicros: 200_800_000,
      });
      expect(res.body.data[0]['ml-research']).toMatchObject({ gpuCostMicros: 16_000_000, totalCostMicros: 16_000_000 });
      expect(res.body.shareIdle).toBe(false);
      const filtered = await request(a).get('/costs/allocation?window=7d&aggregate=workload&filter.team=ml-research');
      expect(Object.keys(filtered.body.data[0])).toEqual(['train-a']);
    },
  );

  it.each(databases.eachSupportedId())(
    'shares idle cost in proportion to GPU cost, summing exactly to the idle cost (%p)',
    async id => {
      const a = await fleet(await databases.init(id), true);
      const res = await request(a).get('/costs/allocation?window=7d&aggregate=team&shareIdle=true');
      const data = res.body.data[0];
      expect(res.body.shareIdle).toBe(true);
      expect(data.__idle__).toBeUndefined();
      // 200.80 × 16/29.6, × 8/29.6, × 5.6/29.6: floors 108_540_540, 54_270_270, 37_989_189; the micro-unit left goes to the largest remainder.
      expect(
        Object.fromEntries(
          Object.values(data as Record<string, { name: string; sharedIdleCostMicros: number }>).map(e => [
            e.name,
            e.sharedIdleCostMicros,
          ]),
        ),
      ).toEqual({
        'ml-research': 108_540_541,
        'llm-serving': 54_270_270,
        vision: 37_989_189,
      });
      expect(data['ml-research']).toMatchObject({
        gpuHours: 20,
        gpuCostMicros: 124_540_541,
        totalCostMicros: 124_540_541,
        totalCost: 124.540541,
        sharedIdleCost: 108.540541,
      });
      const total = Object.values(data as Record<string, { totalCostMicros: number }>).reduce(
        (s, e) => s + e.totalCostMicros,
        0,
      );
      expect(total).toBe(16_000_000 + 8_000_000 + 5_600_000 + 200_800_000);
      expect((await request(a).get('/costs/allocation?shareIdle=yes')).body.error.message).toBe(
        'request/query/shareIdle must be boolean',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    "shows a team-scoped user no fleet idle, only their teams' share of it (%p)",
    async id => {
      const a = await fleet(await databases.init(id), false);
      const plain = await request(a).get('/costs/allocation?window=7d&aggregate=team');
      expect(Object.keys(plain.body.data[0])).toEqual(['ml-research']);
      const shared = await request(a).get('/costs/allocation?window=7d&aggregate=team&shareIdle=true');
      expect(Object.keys(shared.body.data[0])).toEqual(['ml-research']);
      // The same share as in the admin's view of the whole fleet.
      expect(shared.body.data[0]['ml-research']).toMatchObject({
        sharedIdleCostMicros: 108_540_541,
        totalCostMicros: 124_540_541,
      });
      const byWorkload = await request(a).get(
        '/costs/allocation?window=7d&aggregate=workload&filter.team=ml-research&shareIdle=true',
      );
      expect(byWorkload.body.data[0]).toEqual({
        'train-a': expect.objectContaining({ sharedIdleCostMicros: 108_540_541 }),
      });
    },
  );
});
