import {
  engineFor,
  GPU,
  KueueObject,
  queue,
  resourceFlavor,
  run,
  topology,
  workload,
  workloadResult,
} from '../__testUtils__/builders';

const RACK = 'cloud.provider.com/rack';
const CLIQUE = 'nvidia.com/gpu.clique';
const HOST = 'kubernetes.io/hostname';

/** 2 racks x 2 NVLink cliques x 2 nodes of 4 GPUs = 32 GPUs, plus a CPU node the flavor does not select. */
const nodes: KueueObject[] = [
  ...['r1', 'r2'].flatMap(rack =>
    ['a', 'b'].flatMap(clique =>
      [1, 2].map(i => ({
        name: `${rack}-${clique}${i}`,
        labels: { pool: 'gpu', [RACK]: rack, [CLIQUE]: `${rack}-${clique}`, [HOST]: `${rack}-${clique}${i}` },
        allocatable: { [GPU]: '4', cpu: '64' },
      })),
    ),
  ),
  {
    name: 'cpu-1',
    labels: { pool: 'cpu', [RACK]: 'r1', [CLIQUE]: 'none', [HOST]: 'cpu-1' },
    allocatable: { [GPU]: 64, cpu: 64 },
  },
];

const objects = [
  topology('gpu-topology', [RACK, CLIQUE, HOST]),
  resourceFlavor('tas', { nodeLabels: { pool: 'gpu' }, topologyName: 'gpu-topology' }),
  ...queue('team', { flavors: { tas: { [GPU]: 64 } } }),
];

type Request = { required?: string; preferred?: string };

/** Submits the workloads one after the other; each entry gives where it was placed, or why not. */
function place(steps: Array<[count: number, request: Request]>) {
  const { engine, workloads } = engineFor({
    objects,
    nodes,
    workloads: steps.map(([count, request], i) =>
      workload(`w${i}`, 'team', { count, topology: request, arrival: i, duration: 10_000 }),
    ),
  });
  return steps.map((_, i) => {
    engine.submit(workloads[`w${i}`]);
    const admitted = engine.schedule(i).find(d => d.type === 'Admitted');
    if (admitted?.type === 'Admitted') {
      const t = admitted.admission.podSets[0].topology!;
      return `${t.level}=${t.domain} on ${Object.entries(t.nodes)
        .map(([n, pods]) => `${n}:${pods}`)
        .join(',')}`;
    }
    return engine.pending().find(p => p.workload === `default/w${i}`)!.reason.code;
  });
}

describe('topology-aware admission', () => {
  it.each<[string, Array<[number, Request]>, string[]]>([
    ['keeps a gang within one NVLink clique', [[8, { required: CLIQUE }]], [`${CLIQUE}=r1/r1-a on r1-a1:4,r1-a2:4`]],
    ['keeps a gang within one rack', [[16, { required: RACK }]], [`${RACK}=r1 on r1-a1:4,r1-a2:4,r1-b1:4,r1-b2:4`]],
    ['packs onto one node', [[3, { required: HOST }]], [`${HOST}=r1/r1-a/r1-a1 on r1-a1:3`]],
    ['refuses a gang larger than any clique', [[9, { required: CLIQUE }]], ['TopologyPlacementFailed']],
    ['widens a preferred level to the rack', [[9, { preferred: CLIQUE }]], [`${RACK}=r1 on r1-a1:4,r1-a2:4,r1-b1:1`]],
    [
      'widens a preferred level to all nodes of the flavor',
      [[20, { preferred: RACK }]],
      ['*=* on r1-a1:4,r1-a2:4,r1-b1:4,r1-b2:4,r2-a1:4'],
    ],
    [
      'picks the tightest domain that fits',
      [
        [2, { required: HOST }],
        [6, { required: CLIQUE }],
      ],
      [`${HOST}=r1/r1-a/r1-a1 on r1-a1:2`, `${CLIQUE}=r1/r1-a on r1-a2:4,r1-a1:2`],
    ],
    [
      'moves on to another domain when the first is partly used',
      [
        [2, { required: HOST }],
        [8, { required: CLIQUE }],
      ],
      [`${HOST}=r1/r1-a/r1-a1 on r1-a1:2`, `${CLIQUE}=r1/r1-b on r1-b1:4,r1-b2:4`],
    ],
    [
      'fails when free GPUs are split across racks although quota is free',
      [
        [12, { required: RACK }],
        [12, { required: RACK }],
        [8, { required: RACK }],
      ],
      [`${RACK}=r1 on r1-a1:4,r1-a2:4,r1-b1:4`, `${RACK}=r2 on r2-a1:4,r2-a2:4,r2-b1:4`, 'TopologyPlacementFailed'],
    ],
  ])('%s', (_, steps, expected) => {
    expect(place(steps)).toEqual(expected);
  });

  it('reports TopologyPlacementFailed from the simulator, and frees the nodes when a workload finishes', () => {
    const result = run({
      objects,
      nodes,
      workloads: [
        workload('rack-1', 'team', { count: 12, topology: { required: RACK } }),
        workload('rack-2', 'team', { count: 12, topology: { required: RACK }, arrival: 1 }),
        workload('third', 'team', { count: 8, topology: { required: RACK }, arrival: 2 }),
        workload('impossible', 'team', { count: 17, topology: { required: RACK }, arrival: 3 }),
      ],
    });
    expect(workloadResult(result, 'third').admittedAt).toBe(100);
    expect(workloadResult(result, 'impossible').pendingReason).toEqual({
      code: 'TopologyPlacementFailed',
      message: `No ${RACK} domain of tas has room for all 17 pods of pod set main together`,
    });
  });
});
