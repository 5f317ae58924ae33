import { Engine, parseQueueObjects } from '@ai-platform/scheduler';
import { gangSlots, gangsThatFit } from './gangSlots';

const GPU = 'nvidia.com/gpu';
const RACK = 'cloud.provider.com/topology-rack';

describe('gangsThatFit', () => {
  it.each([
    {
      name: 'a rack of eight idle 8-GPU nodes takes one 64-GPU gang',
      free: [8, 8, 8, 8, 8, 8, 8, 8],
      perNode: 8,
      size: 64,
      fits: 1,
    },
    { name: 'or two 32-GPU gangs', free: [8, 8, 8, 8, 8, 8, 8, 8], perNode: 8, size: 32, fits: 2 },
    {
      name: 'one busy GPU spoils that node for a whole-node pod',
      free: [8, 8, 8, 8, 8, 8, 8, 7],
      perNode: 8,
      size: 64,
      fits: 0,
    },
    {
      name: 'an 8-GPU gang needs 8 free GPUs on one node, not spread',
      free: [4, 4, 4, 4],
      perNode: 8,
      size: 8,
      fits: 0,
    },
    { name: 'on 4-GPU nodes an 8-GPU gang is two pods', free: [4, 4, 4], perNode: 4, size: 8, fits: 1 },
  ])('$name', ({ free, perNode, size, fits }) => {
    expect(gangsThatFit(free, perNode, size)).toBe(fits);
  });
});

describe('gangSlots', () => {
  const objects = [
    {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ResourceFlavor',
      metadata: { name: 'h100' },
      spec: { nodeLabels: { pool: 'h100' } },
    },
    ...['research', 'serving'].flatMap(name => [
      {
        apiVersion: 'kueue.x-k8s.io/v1beta1',
        kind: 'ClusterQueue',
        metadata: { name },
        spec: {
          cohort: 'gpus',
          namespaceSelector: {},
          resourceGroups: [
            {
              coveredResources: [GPU],
              flavors: [
                {
                  name: 'h100',
                  resources: [{ name: GPU, nominalQuota: 16, ...(name === 'serving' ? { lendingLimit: 0 } : {}) }],
                },
              ],
            },
          ],
        },
      },
      {
        apiVersion: 'kueue.x-k8s.io/v1beta1',
        kind: 'LocalQueue',
        metadata: { name, namespace: name },
        spec: { clusterQueue: name },
      },
    ]),
  ];
  // Two racks of four 8-GPU nodes; one 8-GPU pod runs on node 0 of rack a.
  const nodes = Array.from({ length: 8 }, (_, i) => ({
    metadata: {
      name: `n${i}`,
      labels: { pool: 'h100', [RACK]: i < 4 ? 'rack-a' : 'rack-b', 'topology.kubernetes.io/zone': 'z1' },
    },
    status: { allocatable: { [GPU]: '8', cpu: '192' } },
  }));
  const pods = [
    {
      kind: 'Pod',
      spec: { nodeName: 'n0', containers: [{ resources: { requests: { [GPU]: '8' } } }] },
      status: { phase: 'Running' },
    },
    {
      kind: 'Pod',
      spec: { nodeName: 'n4', containers: [{ resources: { requests: { [GPU]: '8' } } }] },
      status: { phase: 'Succeeded' },
    },
  ];

  function slots() {
    const engine = new Engine(parseQueueObjects(objects));
    engine.restoreAdmitted(
      {
        key: 'research/train',
        namespace: 'research',
        name: 'train',
        queue: 'research',
        priority: 0,
        creationTime: 0,
        podSets: [{ name: 'main', count: 1, requests: { [GPU]: 8000 } }],
      },
      { clusterQueue: 'research', podSets: [{ name: 'main', count: 1, flavors: { [GPU]: 'h100' } }] },
      0,
    );
    return gangSlots('east', engine, nodes, pods);
  }
  const slot = (domain: string, size: number) => {
    const s = slots().find(x => x.domain === domain)!;
    return { freeGpus: s.freeGpus, ...s.gangs.find(g => g.size === size)! };
  };

  it('counts free GPUs per rack and zone by the pods bound there (finished pods hold nothing)', () => {
    expect(slot('rack-a', 8).freeGpus).toBe(24);
    expect(slot('rack-b', 8).freeGpus).toBe(32);
    expect(slot('z1', 8).freeGpus).toBe(56);
  });

  it.each([
    { domain: 'rack-b', size: 32, physical: 1, research: 0, serving: 0 },
    { domain: 'rack-a', size: 32, physical: 0, research: 0, serving: 0 },
    { domain: 'z1', size: 16, physical: 3, research: 0, serving: 1 },
    { domain: 'z1', size: 8, physical: 7, research: 1, serving: 3 },
    { domain: 'z1', size: 64, physical: 0, research: 0, serving: 0 },
  ])(
    '$size-GPU gangs in $domain: $physical physically, within quota research $research, serving $serving',
    ({ domain, size, physical, research, serving }) => {
      // research: 8 of its 16 left, serving lends nothing; serving: its 16 plus 8 research can lend = 24.
      expect(slot(domain, size)).toMatchObject({ physical, withinQuota: { research, serving } });
    },
  );
});
