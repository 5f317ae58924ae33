import {
  clusterQueue,
  engineFor,
  KueueObject,
  localQueue,
  namespaceObject,
  resourceFlavor,
  workload,
} from '../__testUtils__/builders';

const flavor = resourceFlavor('default');

describe('routing: LocalQueue -> ClusterQueue, as the pending reason tells it', () => {
  it.each<[string, KueueObject[], string, string, string | undefined]>([
    [
      'no LocalQueue of that name',
      [flavor, clusterQueue('team')],
      'QueueNotFound',
      'LocalQueue team does not exist in namespace default',
      undefined,
    ],
    [
      'a LocalQueue pointing at no ClusterQueue',
      [flavor, localQueue('team', 'gone')],
      'QueueNotFound',
      'ClusterQueue gone (of LocalQueue default/team) does not exist',
      undefined,
    ],
    [
      'a ClusterQueue without namespaceSelector',
      [flavor, clusterQueue('team', { namespaceSelector: null }), localQueue('team', 'team')],
      'NamespaceNotAllowed',
      "ClusterQueue team's namespaceSelector does not select namespace default (it has no namespaceSelector; set namespaceSelector: {} to allow every namespace)",
      'team',
    ],
    [
      'a namespaceSelector that does not match the labels',
      [
        flavor,
        namespaceObject('default', { tier: 'dev' }),
        clusterQueue('team', { namespaceSelector: { matchLabels: { tier: 'prod' } } }),
        localQueue('team', 'team'),
      ],
      'NamespaceNotAllowed',
      "ClusterQueue team's namespaceSelector does not select namespace default",
      'team',
    ],
    [
      'a stopped LocalQueue',
      [flavor, clusterQueue('team'), localQueue('team', 'team', 'default', { stopPolicy: 'Hold' })],
      'QueueStopped',
      'LocalQueue default/team is stopped (Hold)',
      'team',
    ],
  ])('%s', (_, objects, code, message, cq) => {
    const { engine, workloads } = engineFor({ objects, workloads: [workload('job', 'team')] });
    engine.submit(workloads.job);
    expect(engine.schedule(0)).toEqual([]);
    const [pending] = engine.pending();
    expect([pending.reason.code, pending.reason.message, pending.clusterQueue]).toEqual([code, message, cq]);
  });

  it.each([
    ['a selector matching the namespace labels', { matchLabels: { tier: 'prod' } }],
    ['the empty selector', {}],
  ])('admits through %s', (_, namespaceSelector) => {
    const { engine, workloads } = engineFor({
      objects: [
        flavor,
        namespaceObject('default', { tier: 'prod' }),
        clusterQueue('team', { namespaceSelector }),
        localQueue('team', 'team'),
      ],
      workloads: [workload('job', 'team')],
    });
    engine.submit(workloads.job);
    expect(engine.schedule(0).map(d => [d.type, d.clusterQueue])).toEqual([['Admitted', 'team']]);
  });
});
