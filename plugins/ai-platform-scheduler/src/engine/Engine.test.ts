import { parseQueueObjects } from '../config/parse';
import {
  clusterQueue,
  engineFor,
  GPU,
  KueueObject,
  localQueue,
  namespaceObject,
  priorityClass,
  queue,
  resourceFlavor,
  run,
  timeline,
  workload,
  workloadResult,
} from '../__testUtils__/builders';

const flavor = resourceFlavor('default');

describe('queueing strategy', () => {
  // 6 of 8 GPUs are busy until 100; "big" (4 GPUs) is first in line, "small" (2 GPUs) behind it.
  it.each([
    [
      'BestEffortFIFO lets a smaller workload behind a blocked head go first',
      'BestEffortFIFO',
      ['0 Admitted busy', '2 Admitted small', '100 Admitted big'],
    ],
    [
      'StrictFIFO holds everything behind a head that does not fit',
      'StrictFIFO',
      ['0 Admitted busy', '100 Admitted big', '100 Admitted small'],
    ],
  ])('%s', (_, queueingStrategy, expected) => {
    const result = run({
      objects: [flavor, ...queue('team', { queueingStrategy })],
      workloads: [
        workload('busy', 'team', { count: 6 }),
        workload('big', 'team', { count: 4, arrival: 1 }),
        workload('small', 'team', { count: 2, arrival: 2 }),
      ],
    });
    expect(timeline(result)).toEqual(expected);
  });

  it('StrictFIFO lets a higher-priority workload overtake the blocked head', () => {
    const result = run({
      objects: [flavor, ...queue('team', { queueingStrategy: 'StrictFIFO' })],
      workloads: [
        workload('busy', 'team', { count: 6 }),
        workload('big', 'team', { count: 4, arrival: 1 }),
        workload('urgent', 'team', { count: 2, arrival: 2, priority: 10 }),
      ],
    });
    expect(timeline(result)).toEqual(['0 Admitted busy', '2 Admitted urgent', '100 Admitted big']);
  });
});

describe('queue order', () => {
  // One workload at a time fits; all wait behind "busy" until 100.
  const objects = [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } } }), priorityClass('production', 100)];
  const queued = (o: Parameters<typeof workload>[2]) => ({ count: 4, ...o });

  it('admits by priority, then creation time', () => {
    const result = run({
      objects,
      workloads: [
        workload('busy', 'team', { count: 4 }),
        workload('low-early', 'team', queued({ arrival: 1 })),
        workload('high-late', 'team', queued({ arrival: 3, priority: 10 })),
        workload('high-early', 'team', queued({ arrival: 2, priority: 10 })),
        workload('low-late', 'team', queued({ arrival: 4 })),
      ],
    });
    expect(timeline(result)).toEqual([
      '0 Admitted busy',
      '100 Admitted high-early',
      '200 Admitted high-late',
      '300 Admitted low-early',
      '400 Admitted low-late',
    ]);
  });

  it.each([
    [
      'a WorkloadPriorityClass above the explicit priority',
      'production',
      50,
      ['100 Admitted classed', '200 Admitted explicit'],
    ],
    [
      'an explicit priority above the class value',
      'production',
      150,
      ['100 Admitted explicit', '200 Admitted classed'],
    ],
  ])('takes the priority from %s', (_, priorityClassName, explicit, expected) => {
    const result = run({
      objects,
      workloads: [
        workload('busy', 'team', { count: 4 }),
        workload('explicit', 'team', queued({ arrival: 1, priority: explicit })),
        workload('classed', 'team', queued({ arrival: 2, priorityClass: priorityClassName })),
      ],
    });
    expect(timeline(result).slice(1)).toEqual(expected);
  });

  it('rejects a priorityClass that is not among the objects', () => {
    expect(() => run({ objects, workloads: [workload('w', 'team', { priorityClass: 'gold' })] })).toThrow(
      'test.yaml: workloads[0] (default/w).priorityClass: WorkloadPriorityClass "gold" is not among the objects',
    );
  });
});

describe('waitForPodsReady', () => {
  const config = (requeuingStrategy: KueueObject) => ({
    waitForPodsReady: { enable: true, timeout: '60s', requeuingStrategy },
  });

  it('requeues with exponential backoff and deactivates after backoffLimitCount', () => {
    const result = run({
      config: config({ backoffBaseSeconds: 10, backoffLimitCount: 2 }),
      objects: [flavor, ...queue('team')],
      workloads: [workload('stuck', 'team', { podsReadyAfter: 'never', duration: 1000 })],
    });
    expect(timeline(result)).toEqual([
      '0 Admitted stuck',
      '60 Requeued stuck (PodsReadyTimeout)',
      '70 Admitted stuck', // backoff 10s
      '130 Requeued stuck (PodsReadyTimeout)',
      '150 Admitted stuck', // backoff 20s
      '210 Requeued stuck (PodsReadyTimeout)', // third timeout: deactivated
    ]);
    expect(workloadResult(result, 'stuck')).toMatchObject({
      evictions: 3,
      preemptions: 0,
      pendingReason: { code: 'RequeueBackoff', message: expect.stringContaining('deactivated after 3 attempts') },
    });
  });

  it.each([
    [
      'caps the backoff at backoffMaxSeconds',
      { backoffBaseSeconds: 10, backoffMaxSeconds: 15, backoffLimitCount: 3 },
      undefined,
      [0, 60, 70, 130, 145, 205, 220, 280],
    ],
    [
      'requeues until the scenario ends without backoffLimitCount',
      { backoffBaseSeconds: 1 },
      320,
      [0, 60, 61, 121, 123, 183, 187, 247, 255, 315],
    ],
  ])('%s', (_, requeuingStrategy, until, times) => {
    const result = run({
      config: config(requeuingStrategy),
      objects: [flavor, ...queue('team')],
      workloads: [workload('stuck', 'team', { podsReadyAfter: 'never', duration: 10_000 })],
      until,
    });
    expect(result.events.map(e => e.time)).toEqual(times);
  });

  it('refuses a scenario that would requeue a never-ready workload forever', () => {
    expect(() =>
      run({
        config: config({ backoffBaseSeconds: 1 }),
        objects: [flavor, ...queue('team')],
        workloads: [workload('stuck', 'team', { podsReadyAfter: 'never' })],
      }),
    ).toThrow(
      'test.yaml: workloads[0] (default/stuck).podsReadyAfter: "never" with waitForPodsReady and no backoff limit requeues the workload forever; set config.waitForPodsReady.requeuingStrategy.backoffLimitCount or the scenario\'s until (seconds)',
    );
  });

  it('leaves a workload whose pods become ready in time alone, and frees quota for others on timeout', () => {
    const result = run({
      config: config({ backoffBaseSeconds: 1000 }),
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
      until: 1100,
      workloads: [
        workload('ready', 'team', { count: 2, podsReadyAfter: 30 }),
        workload('stuck', 'team', { count: 2, podsReadyAfter: 'never', arrival: 1 }),
        workload('waiting', 'team', { count: 2, arrival: 2 }),
      ],
    });
    expect(timeline(result)).toEqual([
      '0 Admitted ready',
      '1 Admitted stuck',
      '61 Requeued stuck (PodsReadyTimeout)',
      '61 Admitted waiting',
      '1061 Admitted stuck', // after the 1000s backoff
    ]);
  });
});

describe('stopPolicy', () => {
  const objects = (stopPolicy: string) => [flavor, ...queue('team', { stopPolicy })];

  it.each(['Hold', 'HoldAndDrain'])('%s on the ClusterQueue admits nothing new and says QueueStopped', stopPolicy => {
    const result = run({ objects: objects(stopPolicy), workloads: [workload('w', 'team')] });
    expect(result.events).toEqual([]);
    expect(workloadResult(result, 'w').pendingReason).toEqual({
      code: 'QueueStopped',
      message: `ClusterQueue team is stopped (${stopPolicy})`,
    });
  });

  it('Hold on a LocalQueue stops only that LocalQueue', () => {
    const result = run({
      objects: [
        flavor,
        clusterQueue('team'),
        localQueue('held', 'team', 'default', { stopPolicy: 'Hold' }),
        localQueue('open', 'team'),
      ],
      workloads: [workload('w-held', 'held'), workload('w-open', 'open')],
    });
    expect(timeline(result)).toEqual(['0 Admitted w-open']);
    expect(workloadResult(result, 'w-held').pendingReason).toEqual({
      code: 'QueueStopped',
      message: 'LocalQueue default/held is stopped (Hold)',
    });
  });

  it.each([
    ['Hold keeps admitted workloads running', 'Hold', []],
    ['HoldAndDrain evicts admitted workloads', 'HoldAndDrain', [['Evicted', 'default/running', 'ClusterQueueStopped']]],
  ])('%s', (_, stopPolicy, expected) => {
    const { engine, workloads } = engineFor({
      objects: objects('None'),
      workloads: [workload('running', 'team'), workload('later', 'team', { arrival: 10 })],
    });
    engine.submit(workloads.running);
    expect(engine.schedule(0).map(d => d.type)).toEqual(['Admitted']);
    engine.setConfig(parseQueueObjects(objects(stopPolicy)));
    engine.submit(workloads.later);
    const decisions = engine.schedule(10);
    expect(decisions.map(d => [d.type, d.workload, 'reason' in d ? d.reason : undefined])).toEqual(expected);
    expect(engine.get('default/running')!.status).toBe(stopPolicy === 'Hold' ? 'admitted' : 'pending');
    expect(engine.pending().find(p => p.workload === 'default/later')!.reason.code).toBe('QueueStopped');
  });
});

describe('pending reasons', () => {
  it('QuotaExhausted names the flavor, resource and shortfall', () => {
    const { engine, workloads } = engineFor({
      objects: [flavor, ...queue('team')],
      workloads: [workload('busy', 'team', { count: 6 }), workload('waiting', 'team', { count: 4 })],
    });
    engine.submit(workloads.busy);
    engine.schedule(0);
    engine.submit(workloads.waiting);
    engine.schedule(1);
    expect(engine.pending()).toEqual([
      expect.objectContaining({
        workload: 'default/waiting',
        reason: {
          code: 'QuotaExhausted',
          message: `Waiting for quota in ClusterQueue team: ${GPU} on flavor default: requested 4, available 2`,
          shortfall: [{ flavor: 'default', resource: GPU, requested: 4, available: 2 }],
        },
      }),
    ]);
  });

  it.each<[string, KueueObject[], KueueObject, string, string]>([
    [
      'ExceedsQueueMaximum',
      [flavor, ...queue('team')],
      workload('w', 'team', { count: 9 }),
      'ExceedsQueueMaximum',
      'needs more than ClusterQueue team can ever provide',
    ],
    [
      'a missing LocalQueue',
      [flavor, ...queue('team')],
      workload('w', 'nope'),
      'QueueNotFound',
      'LocalQueue nope does not exist in namespace default',
    ],
    [
      'a LocalQueue of a missing ClusterQueue',
      [flavor, localQueue('orphan', 'gone')],
      workload('w', 'orphan'),
      'QueueNotFound',
      'ClusterQueue gone (of LocalQueue default/orphan) does not exist',
    ],
    [
      'a ClusterQueue without namespaceSelector',
      [flavor, clusterQueue('team', { namespaceSelector: null }), localQueue('team', 'team')],
      workload('w', 'team'),
      'NamespaceNotAllowed',
      'set namespaceSelector: {} to allow every namespace',
    ],
  ])('%s', (_, objects, w, code, message) => {
    const result = run({ objects, workloads: [w] });
    expect(result.events).toEqual([]);
    expect(workloadResult(result, 'w').pendingReason).toMatchObject({
      code,
      message: expect.stringContaining(message),
    });
  });

  it.each([
    ['matchLabels', { matchLabels: { team: 'ml' } }],
    ['matchExpressions In', { matchExpressions: [{ key: 'team', operator: 'In', values: ['ml', 'infra'] }] }],
    [
      'matchExpressions NotIn',
      {
        matchExpressions: [
          { key: 'team', operator: 'NotIn', values: ['sales'] },
          { key: 'team', operator: 'Exists' },
        ],
      },
    ],
  ])('namespaceSelector with %s admits only selected namespaces (NamespaceNotAllowed)', (_, namespaceSelector) => {
    const result = run({
      objects: [
        flavor,
        clusterQueue('team', { namespaceSelector }),
        namespaceObject('ml-research', { team: 'ml' }),
        namespaceObject('sales', { team: 'sales' }),
        localQueue('team', 'team', 'ml-research'),
        localQueue('team', 'team', 'sales'),
      ],
      workloads: [
        workload('in', 'team', { namespace: 'ml-research' }),
        workload('out', 'team', { namespace: 'sales' }),
      ],
    });
    expect(timeline(result)).toEqual(['0 Admitted ml-research/in']);
    expect(workloadResult(result, 'out', 'sales').pendingReason).toEqual({
      code: 'NamespaceNotAllowed',
      message: "ClusterQueue team's namespaceSelector does not select namespace sales",
    });
  });
});

describe('queue positions', () => {
  it('numbers pending workloads in admission order per ClusterQueue and per LocalQueue', () => {
    const { engine, workloads } = engineFor({
      objects: [
        flavor,
        clusterQueue('team', { flavors: { default: { [GPU]: 4 } } }),
        localQueue('a', 'team'),
        localQueue('b', 'team'),
      ],
      workloads: [
        workload('busy', 'a', { count: 4 }),
        workload('a-first', 'a', { arrival: 1, count: 4 }),
        workload('b-urgent', 'b', { arrival: 2, count: 4, priority: 5 }),
        workload('a-second', 'a', { arrival: 3 }),
      ],
    });
    engine.submit(workloads.busy);
    engine.schedule(0);
    for (const name of ['a-first', 'b-urgent', 'a-second']) engine.submit(workloads[name]);
    engine.schedule(3);
    const positions = Object.fromEntries(
      engine.pending().map(p => [p.workload, [p.positionInClusterQueue, p.positionInLocalQueue, p.reason.code]]),
    );
    expect(positions).toEqual({
      'default/b-urgent': [1, 1, 'QuotaExhausted'],
      'default/a-first': [2, 1, 'QuotaExhausted'],
      'default/a-second': [3, 2, 'QuotaExhausted'],
    });
  });

  it('does not count a deactivated workload as ahead of anyone', () => {
    const { engine, workloads } = engineFor({
      config: { waitForPodsReady: { enable: true, timeout: '60s', requeuingStrategy: { backoffLimitCount: 0 } } },
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
      workloads: [
        workload('stuck', 'team', { count: 4 }),
        workload('busy', 'team', { count: 4, arrival: 1 }),
        workload('waiting', 'team', { count: 4, arrival: 2 }),
      ],
    });
    engine.submit(workloads.stuck);
    engine.schedule(0);
    engine.submit(workloads.busy);
    engine.submit(workloads.waiting);
    expect(engine.schedule(60_000).map(d => [d.type, d.workload])).toEqual([
      ['Evicted', 'default/stuck'],
      ['Admitted', 'default/busy'],
    ]);
    engine.podsReady('default/busy');
    const pending = Object.fromEntries(
      engine.pending().map(p => [p.workload, [p.positionInClusterQueue, p.positionInLocalQueue, p.reason.code]]),
    );
    expect(pending).toEqual({
      'default/stuck': [undefined, undefined, 'RequeueBackoff'],
      'default/waiting': [1, 1, 'QuotaExhausted'],
    });
  });

  it('says a workload that fits is waiting for the ones ahead of it', () => {
    const { engine, workloads } = engineFor({
      objects: [flavor, ...queue('team')],
      workloads: [workload('first', 'team'), workload('second', 'team')],
    });
    engine.submit(workloads.first);
    engine.submit(workloads.second);
    expect(engine.pending().map(p => [p.workload, p.positionInClusterQueue, p.reason.message])).toEqual([
      ['default/first', 1, 'Fits; admitted in the next scheduling cycle'],
      ['default/second', 2, 'Fits now, but 1 workload(s) are ahead of it in ClusterQueue team'],
    ]);
  });
});
