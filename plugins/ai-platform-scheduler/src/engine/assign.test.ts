import {
  admittedFlavors,
  clusterQueue,
  GPU,
  localQueue,
  queue,
  resourceFlavor,
  run,
  timeline,
  workload,
  workloadResult,
} from '../__testUtils__/builders';

const h100 = resourceFlavor('h100', { nodeLabels: { 'nvidia.com/gpu.product': 'H100' } });
const a100 = resourceFlavor('a100', { nodeLabels: { 'nvidia.com/gpu.product': 'A100' } });

describe('flavor assignment tries flavors in the order the ClusterQueue lists them', () => {
  it.each([
    ['the first flavor while it has room', 0, 4, 'h100'],
    ['the next flavor once the first is full', 6, 4, 'a100'],
    ['the first flavor again for what still fits there', 6, 2, 'h100'],
  ])('uses %s', (_, alreadyUsed, gpus, expected) => {
    const result = run({
      objects: [h100, a100, ...queue('team', { flavors: { h100: { [GPU]: 8 }, a100: { [GPU]: 8 } } })],
      workloads: [
        ...(alreadyUsed ? [workload('first', 'team', { count: alreadyUsed, duration: 1000 })] : []),
        workload('second', 'team', { count: gpus, arrival: 1 }),
      ],
    });
    expect(admittedFlavors(result, 'second')).toEqual({ [GPU]: expected });
    expect(workloadResult(result, 'second').admittedAt).toBe(1);
  });
});

describe('flavor fungibility whenCanBorrow', () => {
  // "team" has 2 H100s of its own and can borrow 4 from "lender"; its A100s fit without borrowing.
  it.each([
    ['Borrow', 'borrows the first flavor', 'h100'],
    ['TryNextFlavor', 'takes the next flavor that fits without borrowing', 'a100'],
  ])('%s %s', (whenCanBorrow, _, expected) => {
    const result = run({
      objects: [
        h100,
        a100,
        ...queue('team', {
          cohort: 'gpus',
          flavors: { h100: { [GPU]: 2 }, a100: { [GPU]: 4 } },
          flavorFungibility: { whenCanBorrow },
        }),
        clusterQueue('lender', { cohort: 'gpus', flavors: { h100: { [GPU]: 4 } } }),
      ],
      workloads: [workload('job', 'team', { count: 3 })],
    });
    expect(admittedFlavors(result, 'job')).toEqual({ [GPU]: expected });
  });

  it('borrows with TryNextFlavor when no later flavor fits without borrowing', () => {
    const result = run({
      objects: [
        h100,
        a100,
        ...queue('team', {
          cohort: 'gpus',
          flavors: { h100: { [GPU]: 2 }, a100: { [GPU]: 1 } },
          flavorFungibility: { whenCanBorrow: 'TryNextFlavor' },
        }),
        clusterQueue('lender', { cohort: 'gpus', flavors: { h100: { [GPU]: 4 } } }),
      ],
      workloads: [workload('job', 'team', { count: 3 })],
    });
    expect(admittedFlavors(result, 'job')).toEqual({ [GPU]: 'h100' });
    expect(workloadResult(result, 'job').admittedAt).toBe(0);
  });
});

describe('flavor fungibility whenCanPreempt', () => {
  // The H100s are full with a low-priority job; the A100s are free.
  it.each([
    [
      'Preempt',
      'preempts on the first flavor',
      ['10 Preempted low by high (InClusterQueue)', '10 Admitted high'],
      'h100',
    ],
    ['TryNextFlavor', 'moves on to the free flavor', ['10 Admitted high'], 'a100'],
  ])('%s %s', (whenCanPreempt, _, expectedTimeline, expectedFlavor) => {
    const result = run({
      objects: [
        h100,
        a100,
        ...queue('team', {
          flavors: { h100: { [GPU]: 4 }, a100: { [GPU]: 4 } },
          preemption: { withinClusterQueue: 'LowerPriority' },
          flavorFungibility: { whenCanPreempt },
        }),
      ],
      workloads: [
        workload('low', 'team', { count: 4, duration: 1000 }),
        workload('high', 'team', { count: 4, arrival: 10, priority: 100 }),
      ],
    });
    expect(timeline(result).slice(1, 1 + expectedTimeline.length)).toEqual(expectedTimeline);
    expect(admittedFlavors(result, 'high')).toEqual({ [GPU]: expectedFlavor });
  });
});

describe('flavor assignment per resource group', () => {
  it('assigns each resource group its own flavor', () => {
    const cq = clusterQueue('team');
    cq.spec.resourceGroups = [
      {
        coveredResources: ['cpu', 'memory'],
        flavors: [
          {
            name: 'cpu-nodes',
            resources: [
              { name: 'cpu', nominalQuota: 64 },
              { name: 'memory', nominalQuota: '256Gi' },
            ],
          },
        ],
      },
      {
        coveredResources: [GPU],
        flavors: ['h100', 'a100'].map(name => ({ name, resources: [{ name: GPU, nominalQuota: 8 }] })),
      },
    ];
    const result = run({
      objects: [resourceFlavor('cpu-nodes'), h100, a100, cq, localQueue('team', 'team')],
      workloads: [
        workload('first', 'team', { count: 8, requests: { cpu: 4, memory: '16Gi', [GPU]: 1 } }),
        workload('second', 'team', { count: 4, requests: { cpu: 4, memory: '16Gi', [GPU]: 1 }, arrival: 1 }),
        workload('third', 'team', { count: 1, requests: { cpu: 4, memory: '128Gi', [GPU]: 1 }, arrival: 2 }),
      ],
    });
    expect(admittedFlavors(result, 'first')).toEqual({ cpu: 'cpu-nodes', memory: 'cpu-nodes', [GPU]: 'h100' });
    expect(admittedFlavors(result, 'second')).toEqual({ cpu: 'cpu-nodes', memory: 'cpu-nodes', [GPU]: 'a100' });
    // 192Gi of memory are taken: the third waits for memory although GPUs are free.
    expect(workloadResult(result, 'third').admittedAt).toBe(100);
  });
});

describe('flavor assignment skips flavors the pods cannot run on', () => {
  const spot = resourceFlavor('spot', {
    nodeLabels: { pool: 'spot' },
    nodeTaints: [{ key: 'spot', value: 'true', effect: 'NoSchedule' }],
  });
  const soft = resourceFlavor('soft', { nodeTaints: [{ key: 'maintenance', effect: 'PreferNoSchedule' }] });
  const tolerant = resourceFlavor('tolerant', {
    nodeTaints: [{ key: 'spot', value: 'true', effect: 'NoSchedule' }],
    tolerations: [{ key: 'spot', operator: 'Exists' }],
  });

  it.each([
    [
      'a nodeSelector matching a later flavor',
      [h100, a100],
      { nodeSelector: { 'nvidia.com/gpu.product': 'A100' } },
      'a100',
    ],
    ['a nodeSelector on a label the flavors do not set', [h100, a100], { nodeSelector: { zone: 'eu-1' } }, 'h100'],
    [
      'a toleration for the taint',
      [spot],
      { tolerations: [{ key: 'spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] },
      'spot',
    ],
    ['an Exists toleration without key', [spot], { tolerations: [{ operator: 'Exists' }] }, 'spot'],
    ['a PreferNoSchedule taint only', [soft], {}, 'soft'],
    ["the flavor's own toleration", [tolerant], {}, 'tolerant'],
  ])('admits with %s', (_, flavors, podSpec, expected) => {
    const result = run({
      objects: [
        ...flavors,
        ...queue('team', { flavors: Object.fromEntries(flavors.map(f => [f.metadata.name, { [GPU]: 8 }])) }),
      ],
      workloads: [workload('job', 'team', podSpec)],
    });
    expect(admittedFlavors(result, 'job')).toEqual({ [GPU]: expected });
  });

  it.each([
    [
      'a nodeSelector no flavor matches',
      [h100, a100],
      { nodeSelector: { 'nvidia.com/gpu.product': 'B200' } },
      'flavor h100 has nvidia.com/gpu.product=H100',
    ],
    ['an untolerated taint', [spot], {}, 'flavor spot has the untolerated taint spot=true:NoSchedule'],
    [
      'a toleration for another value',
      [spot],
      { tolerations: [{ key: 'spot', operator: 'Equal', value: 'false' }] },
      'untolerated taint spot=true:NoSchedule',
    ],
    [
      'a resource the ClusterQueue has no quota for',
      [h100],
      { requests: { 'amd.com/gpu': 1 } },
      'ClusterQueue team has no quota for amd.com/gpu',
    ],
  ])('reports NoMatchingFlavor for %s', (_, flavors, podSpec, message) => {
    const result = run({
      objects: [
        ...flavors,
        ...queue('team', { flavors: Object.fromEntries(flavors.map(f => [f.metadata.name, { [GPU]: 8 }])) }),
      ],
      workloads: [workload('job', 'team', podSpec)],
    });
    const job = workloadResult(result, 'job');
    expect(job.admittedAt).toBeUndefined();
    expect(job.pendingReason).toEqual({ code: 'NoMatchingFlavor', message: expect.stringContaining(message) });
  });
});

describe('gangs are admitted all or nothing', () => {
  const objects = [resourceFlavor('default'), ...queue('team')];

  it.each([
    ['without minCount, the whole gang waits for room', undefined, 100, 6],
    ['with minCount 2, it starts now with the pods that fit', 2, 1, 4],
    ['with minCount 4, exactly the free room is enough', 4, 1, 4],
    ['with minCount 5, it waits for room for the whole gang', 5, 100, 6],
  ])('%s', (_, minCount, admittedAt, count) => {
    const result = run({
      objects,
      workloads: [
        workload('running', 'team', { count: 4 }),
        workload('gang', 'team', { count: 6, minCount, arrival: 1 }),
      ],
    });
    const admitted = result.events.filter(e => e.type === 'Admitted' && e.workload === 'default/gang');
    expect(admitted).toEqual([
      expect.objectContaining({ time: admittedAt, assignment: { main: { count, flavors: { [GPU]: 'default' } } } }),
    ]);
  });

  it.each([
    [
      'preempts for the whole gang rather than shrinking it when it may preempt',
      'LowerPriority',
      ['0 Admitted low', '1 Preempted low by gang (InClusterQueue)', '1 Admitted gang'],
      8,
    ],
    ['shrinks the gang when it may not preempt', 'Never', ['0 Admitted low', '1 Admitted gang'], 4],
  ])('%s', (_, withinClusterQueue, expected, count) => {
    const result = run({
      objects: [resourceFlavor('default'), ...queue('team', { preemption: { withinClusterQueue } })],
      workloads: [
        workload('low', 'team', { count: 4, duration: 1000 }),
        workload('gang', 'team', { count: 8, minCount: 2, priority: 10, arrival: 1 }),
      ],
    });
    expect(timeline(result).slice(0, expected.length)).toEqual(expected);
    expect(
      result.events.find(e => e.type === 'Admitted' && e.workload === 'default/gang')!.assignment!.main.count,
    ).toBe(count);
  });

  it('needs every pod set of the gang to fit', () => {
    const result = run({
      objects: [resourceFlavor('default'), ...queue('team', { flavors: { default: { cpu: 4, [GPU]: 8 } } })],
      workloads: [
        workload('running', 'team', { requests: { cpu: 2 } }),
        workload('gang', 'team', {
          arrival: 1,
          podSets: [
            { name: 'launcher', count: 1, requests: { cpu: 3 } },
            { name: 'workers', count: 8, requests: { [GPU]: 1, cpu: '100m' } },
          ],
        }),
      ],
    });
    expect(workloadResult(result, 'gang').admittedAt).toBe(100);
  });

  it('keeps a gang that can never fit out entirely, with ExceedsQueueMaximum', () => {
    const result = run({
      objects: [resourceFlavor('default'), clusterQueue('team'), localQueue('team', 'team')],
      workloads: [workload('gang', 'team', { count: 9 })],
    });
    expect(result.events).toEqual([]);
    expect(workloadResult(result, 'gang').pendingReason).toMatchObject({
      code: 'ExceedsQueueMaximum',
      shortfall: [{ flavor: 'default', resource: GPU, requested: 9, available: 8 }],
    });
  });
});
