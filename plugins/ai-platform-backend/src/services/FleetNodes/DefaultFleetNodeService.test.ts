import type { TelemetrySource } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { FlavorLike } from '../../costs/CostIngestor';
import cluster from './__fixtures__/cluster.json';
import { DefaultFleetNodeService, nodeUtilizationWindowMs, type NodeInformers } from './DefaultFleetNodeService';

const informers = (name: string): NodeInformers => ({
  name,
  nodes: { list: () => cluster.nodes },
  pods: { list: () => cluster.pods },
});

const flavors = { flavorsOf: () => cluster.flavors as FlavorLike[] };

function telemetry(byPod: Record<string, number> | undefined) {
  const calls: Array<[number, number]> = [];
  const source = {
    async utilizationByPod(from: number, to: number) {
      calls.push([from, to]);
      return byPod && new Map(Object.entries(byPod));
    },
  } as unknown as TelemetrySource;
  return { source, calls };
}

describe('DefaultFleetNodeService', () => {
  it('gives each node its GPU resources, what bound unfinished pods hold of them, and the flavors it matches', async () => {
    const service = new DefaultFleetNodeService({ clusters: [informers('gpu-east')], flavors });
    const { nodes, utilizationKnown } = await service.listNodes();
    expect(utilizationKnown).toBe(false);
    expect(nodes.map(n => n.name)).toEqual(['a100-mig-0', 'cpu-0', 'h100-1', 'l4-0']);
    const byName = new Map(nodes.map(n => [n.name, n]));
    // 4 requested + 2 as limits only; the finished pod and the unbound one hold nothing.
    expect(byName.get('h100-1')).toEqual({
      cluster: 'gpu-east',
      name: 'h100-1',
      flavors: ['h100', 'default'],
      gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      ready: true,
      unschedulable: false,
      gpus: [{ resource: 'nvidia.com/gpu', capacity: 8, allocated: 6 }],
      utilization: null,
    });
    expect(byName.get('a100-mig-0')).toMatchObject({
      flavors: ['a100-mig', 'default'],
      unschedulable: true,
      gpus: [
        { resource: 'nvidia.com/mig-1g.10gb', capacity: 14, allocated: 3 },
        { resource: 'nvidia.com/mig-3g.40gb', capacity: 4, allocated: 0 },
      ],
    });
    expect(byName.get('l4-0')).toMatchObject({
      ready: false,
      gpus: [{ resource: 'nvidia.com/gpu.shared', capacity: 16, allocated: 5 }],
    });
    expect(byName.get('cpu-0')).toMatchObject({ flavors: ['default'], gpus: [] });
  });

  it("weighs each pod's DCGM utilization by its GPUs, over the last five minutes", async () => {
    const { source, calls } = telemetry({ 'team-a/train-0': 0.9, 'team-b/eval-0': 0.3, 'team-b/chat-0': 0.5 });
    const service = new DefaultFleetNodeService({
      clusters: [informers('gpu-east')],
      flavors,
      telemetry: source,
      now: () => 1_000_000_000,
    });
    const { nodes, utilizationKnown } = await service.listNodes();
    expect(calls).toEqual([[1_000_000_000 - nodeUtilizationWindowMs, 1_000_000_000]]);
    expect(utilizationKnown).toBe(true);
    const byName = new Map(nodes.map(n => [n.name, n.utilization]));
    expect(byName.get('h100-1')).toBeCloseTo((0.9 * 4 + 0.3 * 2) / 6);
    expect(byName.get('l4-0')).toBe(0.5);
    // Telemetry knows none of its pods.
    expect(byName.get('a100-mig-0')).toBeNull();
  });

  it('says utilization is unknown when the telemetry source has no data', async () => {
    const { source } = telemetry(undefined);
    const service = new DefaultFleetNodeService({ clusters: [informers('gpu-east')], flavors, telemetry: source });
    const { utilizationKnown, nodes } = await service.listNodes();
    expect(utilizationKnown).toBe(false);
    expect(nodes.every(n => n.utilization === null)).toBe(true);
  });

  it("lists only the asked cluster's nodes", async () => {
    const service = new DefaultFleetNodeService({
      clusters: [informers('gpu-east'), { ...informers('gpu-west'), nodes: { list: () => cluster.nodes.slice(0, 1) } }],
      flavors,
    });
    const { nodes } = await service.listNodes({ cluster: 'gpu-west' });
    expect(nodes.map(n => `${n.cluster}/${n.name}`)).toEqual(['gpu-west/h100-1']);
    expect((await service.listNodes()).nodes).toHaveLength(5);
  });
});
