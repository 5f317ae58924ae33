import type { GpuInterval } from './intervals';
import { PriceBook } from './pricing';
import { allocation, fleetIdle, ratePerHour, usageWithin, type PodUsage } from './rollup';

const H = 3_600_000;
const t0 = Date.parse('2026-11-01T00:00:00Z');
// L4 at 0.80 per GPU-hour; H100 at 4.00 until 12:00, then 5.00.
const prices = new PriceBook([
  { match: 'NVIDIA-L4', microsPerHour: 800_000, from: 0 },
  { match: 'h100', microsPerHour: 4_000_000, from: 0 },
  { match: 'h100', microsPerHour: 5_000_000, from: t0 + 12 * H },
]);

const devices = (overrides: Partial<GpuInterval>): GpuInterval => ({
  podUid: 'p',
  resource: 'nvidia.com/gpu',
  cluster: 'gpu-east',
  namespace: 'ml',
  pod: 'train-0',
  node: 'n1',
  workload: 'train',
  gpuProduct: 'NVIDIA-L4',
  count: 1,
  shareNum: 1,
  shareDen: 1,
  start: t0,
  end: t0 + H,
  ...overrides,
});

describe('usageWithin', () => {
  it.each([
    ['counts a closed interval inside the window whole', devices({ count: 2 }), [t0, t0 + 2 * H], 2 * H, 1_600_000],
    ['clips to the window', devices({ end: t0 + 4 * H }), [t0 + H, t0 + 2 * H], H, 800_000],
    ['counts an open interval up to now', devices({ end: undefined }), [t0, t0 + 10 * H], 3 * H, 2_400_000],
    ['prices a MIG slice by its share', devices({ shareNum: 1, shareDen: 7, count: 7 }), [t0, t0 + H], H, 800_000],
    [
      'splits at a price change',
      devices({ flavor: 'h100', start: t0 + 11 * H, end: t0 + 13 * H }),
      [t0, t0 + 24 * H],
      2 * H,
      9_000_000,
    ],
  ])('%s', (_name, interval, [from, to], gpuMs, costMicros) => {
    // Now is 03:00: an open interval counts up to it.
    const now = interval.end === undefined ? t0 + 3 * H : to;
    expect(usageWithin(interval, from, to, now, prices)).toEqual({ gpuMs, costMicros });
  });
});

describe('ratePerHour', () => {
  it('sums the current price of the still-open intervals only', () => {
    const open = [devices({ end: undefined, count: 2 }), devices({ flavor: 'h100', end: undefined })];
    expect(ratePerHour([...open, devices({})], t0 + 13 * H, prices)).toBe(2 * 800_000 + 5_000_000);
  });
});

describe('fleetIdle', () => {
  const q = { from: t0, to: t0 + 2 * H, now: t0 + 2 * H };
  const node = (n: string, count: number) => ({
    cluster: 'gpu-east',
    node: n,
    gpuProduct: 'NVIDIA-L4',
    count,
    shareNum: 1,
    shareDen: 1,
    start: t0,
    end: undefined,
  });

  it.each([
    ['is all the capacity when no pod runs', [], 8 * H, 6_400_000],
    ['is capacity less what pods held on each node', [devices({ count: 3 })], 5 * H, 4_000_000],
    ['never goes below zero on a node', [devices({ count: 9, end: t0 + 2 * H })], 4 * H, 3_200_000],
    ['ignores pods on nodes without recorded capacity', [devices({ node: 'elsewhere', count: 4 })], 8 * H, 6_400_000],
  ])('%s', (_name, pods, gpuMs, costMicros) => {
    const idle = fleetIdle([node('n1', 2), node('n2', 2)], new Map([['gpu-east', t0]]), pods, q, prices);
    expect(idle).toEqual({ gpuMs, costMicros, capacityGpuMs: 8 * H, capacityCostMicros: 6_400_000 });
  });

  it('counts pods only from when the cluster recording began', () => {
    const idle = fleetIdle([node('n1', 1)], new Map([['gpu-east', t0 + H]]), [devices({ end: t0 + 2 * H })], q, prices);
    expect(idle.gpuMs).toBe(H);
  });
});

describe('allocation', () => {
  const pod = (key: string, podUid: string, costMicros: number): PodUsage => ({
    podUid,
    resource: 'nvidia.com/gpu',
    cluster: 'gpu-east',
    namespace: key,
    pod: podUid,
    workload: podUid,
    team: key,
    key,
    gpuMs: (costMicros / 800_000) * H,
    costMicros,
  });
  const pods = [pod('a', 'a-0', 1_600_000), pod('b', 'b-0', 800_000)];
  const idle = { gpuMs: 3 * H, costMicros: 2_400_000, capacityGpuMs: 6 * H, capacityCostMicros: 4_800_000 };

  it('lists the fleet idle as __idle__ in the fleet view', () => {
    const { data, shared } = allocation({ pods, fleetPods: pods, idle, shareIdle: false, fleetView: true });
    expect(shared).toBe(false);
    expect(Object.keys(data)).toEqual(['a', 'b', '__idle__']);
    expect(data.__idle__).toMatchObject({ gpuHours: 3, totalCostMicros: 2_400_000, gpuEfficiency: 0 });
  });

  it('shares the idle cost in proportion to GPU cost, to the micro-unit, over the whole fleet', () => {
    const { data, shared } = allocation({ pods: [pods[1]], fleetPods: pods, idle, shareIdle: true, fleetView: false });
    expect(shared).toBe(true);
    expect(data).toEqual({ b: expect.objectContaining({ sharedIdleCostMicros: 800_000, totalCostMicros: 1_600_000 }) });
  });

  it('gives efficiency and idle cost from utilization, and null where it is unknown', () => {
    const utilization = new Map([['a/a-0', 0.25]]);
    const { data } = allocation({ pods, fleetPods: pods, shareIdle: false, fleetView: false, utilization });
    expect(data.a).toMatchObject({ gpuEfficiency: 0.25, idleCost: 1.2 });
    expect(data.b).toMatchObject({ gpuEfficiency: null, idleCost: null });
  });
});
