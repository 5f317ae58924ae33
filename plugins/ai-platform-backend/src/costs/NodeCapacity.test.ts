import { TestDatabases } from '@backstage/backend-test-utils';
import { CostDatabase } from '../database/CostDatabase';
import { fleetIdle } from './rollup';
import type { GpuInterval } from './intervals';
import { apportion, toMicros } from './money';
import { nodeSnapshot, type NodeLike, type NodeSnapshot } from './NodeCapacity';
import { PriceBook } from './pricing';
import fleetNodes from './__fixtures__/fleet-nodes.json';

const H = 3_600_000;
const t0 = Date.parse('2026-11-01T00:00:00Z');
const prices = new PriceBook([
  { match: 'NVIDIA-L4', microsPerHour: toMicros('0.80'), from: 0 },
  { match: 'NVIDIA-H100-80GB-HBM3', microsPerHour: toMicros('4.00'), from: 0 },
]);

type FixtureNode = NodeLike & { metadata: { labels?: Record<string, string> } };
const nodes = fleetNodes as Record<keyof typeof fleetNodes, FixtureNode>;

/** A node of the fixture as a list shows it, optionally being deleted. */
function listed(
  name: keyof typeof fleetNodes,
  overrides: { deleted?: number; allocatable?: Record<string, string> } = {},
): NodeSnapshot {
  const n = nodes[name];
  const node: FixtureNode = {
    metadata: {
      ...n.metadata,
      ...(overrides.deleted ? { deletionTimestamp: new Date(overrides.deleted).toISOString() } : {}),
    },
    status: { allocatable: overrides.allocatable ?? n.status?.allocatable },
  };
  return nodeSnapshot(node, { gpuProduct: n.metadata.labels?.['nvidia.com/gpu.product'] })!;
}

function pod(name: string, node: string, overrides: Partial<GpuInterval>): GpuInterval {
  return {
    podUid: `uid-${name}`,
    resource: 'nvidia.com/gpu',
    cluster: 'gpu-east',
    namespace: 'ml-research',
    pod: name,
    node,
    workload: name,
    team: 'ml-research',
    gpuProduct: 'NVIDIA-L4',
    count: 1,
    shareNum: 1,
    shareDen: 1,
    start: t0,
    ...overrides,
  };
}

/**
 * Lists every hour from t0 (when recording begins): l4-b disappears after
 * the t0+3h list, h100-mig (created at t0+1h30) is first listed at t0+2h,
 * l4-a is deleted at t0+4h30 and gone from the t0+6h list.
 */
const passes: Array<[number, NodeSnapshot[]]> = [
  [t0, [listed('l4-a'), listed('l4-b'), listed('cpu-only')]],
  [t0 + H, [listed('l4-a'), listed('l4-b'), listed('cpu-only')]],
  [t0 + 2 * H, [listed('l4-a'), listed('l4-b'), listed('h100-mig'), listed('cpu-only')]],
  [t0 + 3 * H, [listed('l4-a'), listed('l4-b'), listed('h100-mig'), listed('cpu-only')]],
  [t0 + 4 * H, [listed('l4-a'), listed('h100-mig'), listed('cpu-only')]],
  [t0 + 5 * H, [listed('l4-a', { deleted: t0 + 4.5 * H }), listed('h100-mig'), listed('cpu-only')]],
  [t0 + 6 * H, [listed('h100-mig'), listed('cpu-only')]],
];

const pods = [
  pod('train-a', 'l4-a', { count: 2, start: t0 + H, end: t0 + 3 * H }), // 4 GPU-h
  pod('notebook', 'h100-mig', {
    resource: 'nvidia.com/mig-1g.10gb',
    gpuProduct: 'NVIDIA-H100-80GB-HBM3',
    shareNum: 1,
    shareDen: 7,
    start: t0 + 2 * H,
    end: t0 + 5.5 * H,
  }), // 0.5 GPU-h
  pod('early', 'l4-b', { start: t0 - 2 * H, end: t0 + H }), // 3 GPU-h, 1 of them since recording began
  pod('elsewhere', 'no-such-node', { start: t0, end: t0 + 6 * H }), // on a node without recorded capacity
];

/** Fleet idle over a window, as the cost service computes it from the ledger. */
async function idleOf(db: CostDatabase, q: { from: number; to: number; now: number }) {
  const { capacity, since } = await db.capacityWithin(q);
  return fleetIdle(capacity, since, await db.intervalsWithin(q), q, db.prices);
}
describe('node capacity', () => {
  it('reads GPU capacity from allocatable, MIG slices as shares of a GPU, and skips nodes without GPUs', () => {
    expect(listed('h100-mig')).toMatchObject({
      nodeUid: 'uid-h100-mig',
      gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      created: t0 + 1.5 * H,
      devices: [{ resource: 'nvidia.com/mig-1g.10gb', count: 7, shareNum: 1, shareDen: 7 }],
    });
    expect(listed('cpu-only').devices).toEqual([]);
  });

  it('apportions an amount exactly by largest remainder', () => {
    expect(apportion(200_800_000, [16_000_000, 8_000_000, 5_600_000])).toEqual([108_540_541, 54_270_270, 37_989_189]);
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [0, 0])).toEqual([0, 0]);
    const weights = Array.from({ length: 997 }, (_, i) => (i * 7_919) % 104_729);
    expect(apportion(123_456_789, weights).reduce((s, x) => s + x, 0)).toBe(123_456_789);
  });

  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'gives idle = capacity − allocated per node, with nodes added and removed mid-window, across a restart (%p)',
    async id => {
      const knex = await databases.init(id);
      const ledger = await CostDatabase.create(knex, prices);
      const first = ledger;
      for (const [at, list] of passes.slice(0, 4)) await first.recordNodes('gpu-east', list, at);
      // "Restart": a new instance relists what the old one had already seen, then carries on.
      const second = await CostDatabase.create(knex, prices);
      for (const [at, list] of passes.slice(3)) await second.recordNodes('gpu-east', list, at);
      await second.recordNodes('gpu-east', passes[6][1], t0 + 6 * H); // a relist of the same nodes

      const rows = await knex('ai_platform_node_capacity').orderBy('node').select('node', 'start_ms', 'end_ms');
      expect(
        rows.map(r => [r.node, Number(r.start_ms) - t0, r.end_ms === null ? null : Number(r.end_ms) - t0]),
      ).toEqual([
        ['h100-mig', 1.5 * H, null], // since its creation
        ['l4-a', 0, 4.5 * H], // from when recording began to its deletion
        ['l4-b', 0, 3 * H], // to the last list that showed it
      ]);

      await ledger.ingest(pods, t0 + 6 * H);
      const whole = { from: t0 - 2 * H, to: t0 + 6 * H, now: t0 + 6 * H };
      const idle = await idleOf(second, whole);
      // Capacity: l4-a 8 × 4.5 h + l4-b 4 × 3 h at 0.80, h100-mig 1 GPU × 4.5 h at 4.00.
      expect(idle.capacityGpuMs).toBe((36 + 12 + 4.5) * H);
      expect(idle.capacityCostMicros).toBe(28_800_000 + 9_600_000 + 18_000_000);
      // Allocated: 4 + 1 (early, since recording began) GPU-h of L4, and the 1/7 slice's 3.5 h, which the
      // ledger rounds down per hour (3 × ⌊H/7⌋ + ⌊H/14⌋ ms, 3 × ⌊4.00/7⌋ + ⌊2.00/7⌋): 3 ms and 2 micro-units short of 0.5 GPU-h.
      expect(idle.gpuMs).toBe(47 * H + 3);
      expect(idle.costMicros).toBe((36 - 4) * 800_000 + (12 - 1) * 800_000 + 18_000_000 - 1_999_998);

      const middle = { from: t0 + 2 * H, to: t0 + 4 * H, now: t0 + 6 * H };
      const part = await idleOf(second, middle);
      // 8 × 2 + 4 × 1 + 1 × 2 GPU-h of capacity; train-a 2 GPU-h, the 1/7 slice 2 h rounded down per hour.
      expect(part.gpuMs).toBe(20 * H - 2 * Math.floor(H / 7));
      expect(part.costMicros).toBe(12_800_000 - 1_600_000 + 3_200_000 + 8_000_000 - 2 * Math.floor(4_000_000 / 7));
    },
  );

  it.each(databases.eachSupportedId())(
    'closes an interval when capacity changes and opens another, and keeps a deleted node closed (%p)',
    async id => {
      const knex = await databases.init(id);
      const capacity = await CostDatabase.create(knex, prices);
      await capacity.recordNodes('gpu-east', [listed('l4-b')], t0);
      await capacity.recordNodes('gpu-east', [listed('l4-b', { allocatable: { 'nvidia.com/gpu': '2' } })], t0 + H); // two GPUs failed
      await capacity.recordNodes('gpu-east', [listed('l4-b', { allocatable: { 'nvidia.com/gpu': '2' } })], t0 + 2 * H);
      await capacity.recordNodes('gpu-east', [listed('l4-b', { allocatable: {} })], t0 + 3 * H); // device plugin gone
      await capacity.recordNodes('gpu-east', [listed('l4-b', { deleted: t0 + 4 * H })], t0 + 4 * H);
      await capacity.recordNodes('gpu-east', [listed('l4-b', { deleted: t0 + 4 * H })], t0 + 5 * H);
      const rows = await knex('ai_platform_node_capacity').orderBy('start_ms').select('count', 'start_ms', 'end_ms');
      expect(rows.map(r => [Number(r.count), Number(r.start_ms) - t0, Number(r.end_ms) - t0])).toEqual([
        [4, 0, H],
        [2, H, 3 * H], // a node still listed without GPUs has none from then on
      ]); // listed again, being deleted, it opens nothing
      const idle = await idleOf(capacity, { from: t0, to: t0 + 6 * H, now: t0 + 6 * H });
      expect(idle.capacityGpuMs).toBe(4 * H + 4 * H);
    },
  );
});
