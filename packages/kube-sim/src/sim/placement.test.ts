import path from 'node:path';
import { loadFleetFile } from '../fleet/parseFleet';
import { buildNodes } from '../fleet/nodes';
import { KubeObject } from '../store/types';
import { NodeCapacity, placePod } from './placement';
import { toAmounts } from './quantity';

const fleet = loadFleetFile(path.resolve(__dirname, '../../../../examples/fleet/demo.yaml'));
const east = buildNodes(fleet.clusters.find(c => c.name === 'gpu-east')!, '2026-01-01T00:00:00Z');

const capacities = (): NodeCapacity[] =>
  east.map(node => ({ node, allocatable: toAmounts(node.status!.allocatable), used: new Map() }));

const gpuToleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

function pod(spec: Record<string, unknown>, requests: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'team-ml-research' },
    spec: { containers: [{ name: 'main', image: 'x', resources: { requests, limits: requests } }], ...spec },
  };
}

const poolOf = (nodeName: string) =>
  east.find(n => n.metadata.name === nodeName)!.metadata.labels!['kube-sim.io/node-pool'];

describe('placePod', () => {
  it.each([
    ['keeps pods without a GPU toleration off tainted GPU nodes', pod({}, { cpu: '1' }), 'cpu'],
    [
      'puts a tolerating H100 pod on an H100 node',
      pod({ tolerations: [gpuToleration] }, { 'nvidia.com/gpu': '8' }),
      'h100',
    ],
    [
      'places a MIG slice request on the A100 MIG pool',
      pod({ tolerations: [gpuToleration] }, { 'nvidia.com/mig-1g.10gb': '1' }),
      'a100-mig',
    ],
    [
      'places a 3g.40gb MIG request on the A100 MIG pool',
      pod({ tolerations: [gpuToleration] }, { 'nvidia.com/mig-3g.40gb': '2' }),
      'a100-mig',
    ],
    [
      'places a time-sliced GPU share on the L4 pool',
      pod({ tolerations: [gpuToleration] }, { 'nvidia.com/gpu.shared': '1' }),
      'l4-shared',
    ],
    [
      'honours a required node affinity In term',
      pod(
        {
          tolerations: [gpuToleration],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-L4'] }] },
                ],
              },
            },
          },
        },
        { cpu: '1' },
      ),
      'l4-shared',
    ],
    [
      'honours NotIn and DoesNotExist together',
      pod(
        {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['us-east-1a'] },
                      { key: 'nvidia.com/gpu.present', operator: 'DoesNotExist' },
                    ],
                  },
                ],
              },
            },
          },
        },
        { cpu: '1' },
      ),
      'cpu',
    ],
    [
      'honours an Exists term on the NVLink domain label',
      pod(
        {
          tolerations: [gpuToleration],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'ai-platform.io/nvlink-domain', operator: 'Exists' }] },
                ],
              },
            },
          },
        },
        { cpu: '1' },
      ),
      'h100',
    ],
  ])('%s', (_, p, expectedPool) => {
    const placement = placePod(p, capacities());
    expect(placement).toHaveProperty('nodeName');
    expect(poolOf((placement as { nodeName: string }).nodeName)).toBe(expectedPool);
  });

  it('reports untolerated taints when a GPU pod has no toleration', () => {
    const placement = placePod(pod({}, { 'nvidia.com/gpu': '1' }), capacities());
    expect(placement).toEqual({
      unschedulable: expect.stringContaining('untolerated taint {nvidia.com/gpu: present}'),
    });
    expect((placement as { unschedulable: string }).unschedulable).toMatch(/^0\/22 nodes are available/);
  });

  it('reports insufficient GPUs when a pod asks for more than a node has', () => {
    const placement = placePod(pod({ tolerations: [gpuToleration] }, { 'nvidia.com/gpu': '9' }), capacities());
    expect(placement).toEqual({ unschedulable: expect.stringContaining('22 Insufficient nvidia.com/gpu') });
  });

  it('subtracts what bound pods use from allocatable', () => {
    const nodes = capacities().filter(c => c.node.metadata.labels!['kube-sim.io/node-pool'] === 'a100-mig');
    for (const n of nodes) n.used.set('nvidia.com/mig-3g.40gb', 8);
    const placement = placePod(pod({ tolerations: [gpuToleration] }, { 'nvidia.com/mig-3g.40gb': '1' }), nodes);
    expect(placement).toEqual({ unschedulable: expect.stringContaining('4 Insufficient nvidia.com/mig-3g.40gb') });
    nodes[2].used.set('nvidia.com/mig-3g.40gb', 7);
    expect(placePod(pod({ tolerations: [gpuToleration] }, { 'nvidia.com/mig-3g.40gb': '1' }), nodes)).toEqual({
      nodeName: nodes[2].node.metadata.name,
    });
  });

  it('bin-packs GPU pods onto the fullest node that fits', () => {
    const nodes = capacities();
    const h100 = nodes.filter(c => c.node.metadata.labels!['kube-sim.io/node-pool'] === 'h100');
    h100[5].used.set('nvidia.com/gpu', 6);
    expect(placePod(pod({ tolerations: [gpuToleration] }, { 'nvidia.com/gpu': '2' }), nodes)).toEqual({
      nodeName: h100[5].node.metadata.name,
    });
  });

  it('matches a nodeSelector on the GPU product label', () => {
    const placement = placePod(
      pod(
        { tolerations: [gpuToleration], nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' } },
        { cpu: '4' },
      ),
      capacities(),
    );
    expect(poolOf((placement as { nodeName: string }).nodeName)).toBe('a100-mig');
  });

  it('ignores a toleration for a different taint value', () => {
    const placement = placePod(
      pod(
        { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'absent', effect: 'NoSchedule' }] },
        { 'nvidia.com/gpu': '1' },
      ),
      capacities(),
    );
    expect(placement).toHaveProperty('unschedulable');
  });
});
