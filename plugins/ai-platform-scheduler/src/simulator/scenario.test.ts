import { queue, resourceFlavor, scenario, workload, GPU, KueueObject } from '../__testUtils__/builders';
import { ScenarioError } from './scenario';

const objects = [resourceFlavor('default'), ...queue('team')];

function problemsOf(doc: KueueObject): string[] {
  try {
    scenario({ objects, ...doc });
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  throw new Error('expected a ScenarioError, the scenario was accepted');
}

describe('scenario files are validated, naming the section, the entry and the field', () => {
  it.each<[string, KueueObject, string]>([
    ['workloads that are not a list', { workloads: { w: {} } }, 'workloads: must be a list'],
    ['nodes that are not a list', { nodes: { n: {} } }, 'nodes: must be a list of {name, labels, allocatable}'],
    [
      'a pod set with a null topology beside a bad one',
      { workloads: [workload('w', 'team', { podSets: [{ topology: null }, { topology: 'rack' }] })] },
      'workloads[0] (default/w).podSets[1].topology: must be {required: <node label>} or {preferred: <node label>}',
    ],
    [
      'a negative request',
      { workloads: [workload('w', 'team', { requests: { [GPU]: -1 } })] },
      `workloads[0] (default/w).podSets[0].requests.${GPU}: must not be negative, got -1`,
    ],
    [
      'a minCount above the count',
      { workloads: [workload('w', 'team', { count: 2, minCount: 3 })] },
      'workloads[0] (default/w).podSets[0].minCount: must be an integer between 1 and count (2), got 3',
    ],
    [
      'a node with a bad quantity',
      { nodes: [{ name: 'n1', allocatable: { cpu: 'lots' } }] },
      'nodes[0] (n1).allocatable.cpu: "lots" is not a Kubernetes quantity',
    ],
    ['a workload that is not a map', { workloads: ['train'] }, 'workloads[0]: must be a map of fields'],
  ])('rejects %s', (_, doc, expected) => {
    expect(problemsOf(doc)).toContainEqual(expect.stringContaining(expected));
  });

  it('lists every problem of every section at once', () => {
    const problems = problemsOf({
      workloads: [{ ...workload('a', 'team', { arrival: -1 }), admitted: {} }, workload('a', 'team', { count: 0 })],
      nodes: [{ allocatable: {} }],
      changes: [{ at: 5 }],
      until: 'later',
      eta: { sample: 3 },
      budgets: [{ team: 'a', gpuHours: 0, policy: 'Warn' }],
    });
    expect(problems).toEqual([
      'workloads[0] (default/a).arrival: must be a non-negative number of seconds, got -1',
      'workloads[1] (default/a).podSets[0].count: must be a positive integer, got 0',
      'workloads[1] (default/a).name: default/a appears twice',
      'nodes[0].name: is required',
      'workloads[0].admitted.clusterQueue: is required (the ClusterQueue that admitted it)',
      'changes[0]: needs exactly one of apply (an object or a list of objects) or delete ({kind, name, namespace})',
      'until: must be a non-negative number of seconds, got "later"',
      'eta.sample: unknown; use samples, everySeconds, minWaitSeconds, warmUpRuns',
      'budgets[0].gpuHours: must be a positive number, got 0',
    ]);
  });

  it('reads a workload with every optional field the way the engine and the ETA see it', () => {
    const { workloads } = scenario({
      objects,
      workloads: [
        {
          ...workload('w', 'team', {
            arrival: 1.5,
            podsReadyAfter: 'never',
            tolerations: [{ key: 'k', operator: 'Exists' }],
          }),
          declaredDuration: 30,
          team: 'vision',
          kind: 'Job',
        },
      ],
    });
    expect(workloads[0]).toEqual({
      workload: {
        key: 'default/w',
        namespace: 'default',
        name: 'w',
        queue: 'team',
        priority: 0,
        creationTime: 1500,
        podSets: [
          { name: 'main', count: 1, requests: { [GPU]: 1000 }, tolerations: [{ key: 'k', operator: 'Exists' }] },
        ],
      },
      arrival: 1500,
      duration: 100_000,
      declaredDuration: 30_000,
      team: 'vision',
      kind: 'Job',
      podsReadyAfter: undefined,
    });
  });
});
