import {
  clusterQueue,
  cohort,
  GPU,
  queue,
  resourceFlavor,
  run,
  scenario,
  timeline,
  workload,
} from '../__testUtils__/builders';

const flavor = resourceFlavor('default');

describe('scenario changes during a run', () => {
  it('stopPolicy HoldAndDrain applied mid-run evicts what runs and admits nothing until lifted', () => {
    const result = run({
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
      workloads: [
        workload('running', 'team', { count: 4, duration: 100 }),
        workload('next', 'team', { count: 4, arrival: 20 }),
      ],
      changes: [
        { at: 10, apply: clusterQueue('team', { flavors: { default: { [GPU]: 4 } }, stopPolicy: 'HoldAndDrain' }) },
        { at: 50, apply: clusterQueue('team', { flavors: { default: { [GPU]: 4 } } }) },
      ],
    });
    expect(timeline(result)).toEqual([
      '0 Admitted running',
      '10 Requeued running (ClusterQueueStopped)',
      '50 Admitted running',
      '150 Admitted next',
    ]);
  });

  it('a quota raised mid-run admits what waited for it', () => {
    const result = run({
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
      workloads: [workload('a', 'team', { count: 4 }), workload('b', 'team', { count: 4, arrival: 1 })],
      changes: [{ at: 30, apply: clusterQueue('team', { flavors: { default: { [GPU]: 8 } } }) }],
    });
    expect(timeline(result)).toEqual(['0 Admitted a', '30 Admitted b']);
  });

  it('a lending limit lowered mid-run stops the borrowing it no longer allows, without evicting', () => {
    const lender = (lendingLimit: number) =>
      clusterQueue('lender', { cohort: 'pool', flavors: { default: { [GPU]: { nominal: 4, lendingLimit } } } });
    const result = run({
      objects: [flavor, lender(4), ...queue('borrower', { cohort: 'pool', flavors: { default: { [GPU]: 0 } } })],
      workloads: [
        workload('first', 'borrower', { count: 2, duration: 100 }),
        workload('second', 'borrower', { count: 2, arrival: 20, duration: 100 }),
      ],
      changes: [{ at: 10, apply: lender(2) }],
    });
    expect(timeline(result)).toEqual(['0 Admitted first', '100 Admitted second']);
  });

  it('a ClusterQueue moved to another cohort borrows from its new cohort', () => {
    const mover = (cohortName: string) =>
      clusterQueue('mover', { cohort: cohortName, flavors: { default: { [GPU]: 0 } } });
    const result = run({
      objects: [
        flavor,
        cohort('empty'),
        cohort('rich', { flavors: { default: { [GPU]: 4 } } }),
        mover('empty'),
        ...queue('mover').slice(1),
      ],
      workloads: [workload('job', 'mover', { count: 4 })],
      changes: [{ at: 30, apply: mover('rich') }],
    });
    expect(timeline(result)).toEqual(['30 Admitted job']);
  });

  it('names the change and the field of a bad change', () => {
    expect(() =>
      scenario({
        objects: [flavor, ...queue('team')],
        changes: [
          { at: -1, apply: clusterQueue('team') },
          { at: 5 },
          { at: 6, delete: { kind: 'ClusterQueue', name: 'nobody' } },
          { at: 7, apply: clusterQueue('team', { stopPolicy: 'Sometimes' }) },
        ],
      }),
    ).toThrow(
      [
        'test.yaml: changes[0].at: must be a non-negative number of seconds, got -1',
        'test.yaml: changes[1]: needs exactly one of apply (an object or a list of objects) or delete ({kind, name, namespace})',
        'test.yaml: changes[2].delete: no ClusterQueue named nobody to delete at 6 s',
        'test.yaml: changes[3]: ClusterQueue/team: spec.stopPolicy: must be one of None, Hold, HoldAndDrain, got "Sometimes"',
      ].join('\n'),
    );
  });
});

describe('workloads seeded as admitted', () => {
  it('hold their quota from the start and finish after their run time', () => {
    const result = run({
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
      workloads: [
        {
          ...workload('seeded', 'team', { count: 4, duration: 50 }),
          admitted: { clusterQueue: 'team', flavors: { [GPU]: 'default' } },
        },
        workload('new', 'team', { count: 2 }),
      ],
    });
    expect(timeline(result)).toEqual(['0 Admitted seeded', '50 Admitted new']);
  });

  it('name what is wrong with a seeded admission', () => {
    expect(() =>
      scenario({
        objects: [flavor, ...queue('team')],
        workloads: [{ ...workload('w', 'team'), admitted: { clusterQueue: 'elsewhere', flavors: { [GPU]: 'gold' } } }],
      }),
    ).toThrow(
      [
        'test.yaml: workloads[0].admitted.clusterQueue: ClusterQueue "elsewhere" is not among the objects',
        'test.yaml: workloads[0].admitted: ResourceFlavor "gold" (for nvidia.com/gpu of pod set main) is not among the objects',
      ].join('\n'),
    );
  });
});

describe('pod sets that request nothing', () => {
  it('are admitted alongside the pod sets that do, taking no quota', () => {
    const result = run({
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
      workloads: [
        workload('lws', 'team', {
          podSets: [
            { name: 'leader', count: 1, requests: {} },
            { name: 'workers', count: 4, requests: { [GPU]: 1 } },
          ],
        }),
      ],
    });
    expect(result.events.find(e => e.type === 'Admitted')?.assignment).toEqual({
      leader: { count: 1, flavors: {} },
      workers: { count: 4, flavors: { [GPU]: 'default' } },
    });
  });
});
