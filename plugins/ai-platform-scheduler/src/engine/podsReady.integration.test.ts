import { engineFor, queue, resourceFlavor, run, timeline, workload } from '../__testUtils__/builders';
import { before, cpu, long } from '../__testUtils__/integrationSpecs';

// Kueue's test/integration/singlecluster/scheduler/podsready/scheduler_test.go
// (notation in __testUtils__/integrationSpecs.ts): upstream sets PodsReady on
// a workload by hand or deletes it; here its pods are ready `podsReadyAfter`
// seconds after admission, or it finishes.
const objects = [
  resourceFlavor('default'),
  ...queue('prod-cq', { cohort: 'all', flavors: { default: { cpu: 5 } } }),
  ...queue('dev-cq', { cohort: 'all', flavors: { default: { cpu: 5 } } }),
];
const waitForPodsReady = (blockAdmission: boolean, timeout = '300s', timestamp = 'Eviction') => ({
  waitForPodsReady: { enable: true, blockAdmission, timeout, requeuingStrategy: { timestamp, backoffBaseSeconds: 1 } },
});
const never = { podsReadyAfter: 'never' as const, ...long };
/** Upstream's standalone-cq: room for one 1-CPU workload at a time; wl-1..3 created a second apart, pods never ready. */
const standalone = (blockAdmission: boolean, timestamp: string) =>
  run({
    objects: [resourceFlavor('default'), ...queue('standalone-cq', { flavors: { default: { cpu: 1 } } })],
    config: waitForPodsReady(blockAdmission, '10s', timestamp),
    until: 25,
    workloads: [1, 2, 3].map(i => workload(`wl-${i}`, 'standalone-cq', { ...cpu(1), arrival: i - 1, ...never })),
  });
const requeuedFirst = [
  '0 Admitted wl-1',
  '10 Requeued wl-1 (PodsReadyTimeout)',
  '10 Admitted wl-2',
  '20 Requeued wl-2 (PodsReadyTimeout)',
];

describe('test/integration/singlecluster/scheduler/podsready/scheduler_test.go SchedulerWithWaitForPodsReady', () => {
  // Upstream has two specs of this name; they differ only in the reason of the PodsReady condition set by hand.
  it('Should unblock admission of new workloads in other ClusterQueues once the admitted workload exceeds timeout', () => {
    const result = run({
      objects,
      config: waitForPodsReady(true),
      workloads: [
        workload('prod-wl', 'prod-cq', { ...cpu(2), podsReadyAfter: 5, ...long }),
        workload('dev-wl', 'dev-cq', { ...cpu(2), arrival: 1, ...long }),
      ],
    });
    expect(before(timeline(result))).toEqual(['0 Admitted prod-wl', '5 Admitted dev-wl']);
  });

  it('Should unblock admission of new workloads once the admitted workload is deleted', () => {
    const result = run({
      objects,
      config: waitForPodsReady(true),
      until: 100,
      workloads: [
        workload('prod-wl', 'prod-cq', { ...cpu(2), podsReadyAfter: 'never', duration: 5 }),
        workload('dev-wl', 'dev-cq', { ...cpu(2), arrival: 1, ...long }),
      ],
    });
    expect(before(timeline(result))).toEqual(['0 Admitted prod-wl', '5 Admitted dev-wl']);
  });

  it('Should block admission of one new workload if two are considered in the same scheduling cycle', () => {
    const { engine, workloads } = engineFor({
      objects: [
        ...objects,
        ...queue('test-cq', { cohort: 'all', flavors: { default: { cpu: { nominal: 25, borrowingLimit: 0 } } } }),
      ],
      config: waitForPodsReady(true),
      workloads: [workload('prod-wl', 'prod-cq', cpu(11)), workload('dev-wl', 'dev-cq', { ...cpu(11), arrival: 1 })],
    });
    engine.submit({ ...workloads['prod-wl'], creationTime: 0 });
    engine.submit({ ...workloads['dev-wl'], creationTime: 1000 });
    expect(engine.schedule(2000).map(d => `${d.type} ${d.workload}`)).toEqual(['Admitted default/prod-wl']);
    const [dev] = engine.pending();
    expect(dev).toMatchObject({ workload: 'default/dev-wl', reason: { kueueReason: 'WaitingForPodsReady' } });
    expect(dev.reason.message).toContain('1 workload(s) not ready yet');
    engine.podsReady('default/prod-wl');
    expect(engine.schedule(3000).map(d => `${d.type} ${d.workload}`)).toEqual(['Admitted default/dev-wl']);
  });

  it('Should requeue a workload which exceeded the timeout to reach PodsReady=True (Short PodsReady timeout)', () => {
    const result = run({
      objects,
      config: {
        waitForPodsReady: {
          ...waitForPodsReady(true, '10s').waitForPodsReady,
          requeuingStrategy: { backoffBaseSeconds: 1, backoffLimitCount: 2 },
        },
      },
      workloads: [
        workload('prod1', 'prod-cq', { priority: 100, ...cpu(2), ...never }),
        workload('prod2', 'prod-cq', { priority: 0, ...cpu(2), ...never }),
      ],
    });
    expect(before(timeline(result), 11)).toEqual([
      '0 Admitted prod1',
      '10 Requeued prod1 (PodsReadyTimeout)',
      '10 Admitted prod2',
    ]);
  });

  it('Should unblock admission of new workloads in other ClusterQueues once the admitted workload exceeds timeout (Tiny PodsReady timeout)', () => {
    const result = run({
      objects,
      config: waitForPodsReady(true, '10s'),
      until: 30,
      workloads: [
        workload('prod', 'prod-cq', { ...cpu(2), ...never }),
        workload('dev', 'dev-cq', { ...cpu(2), arrival: 1, ...long }),
      ],
    });
    expect(before(timeline(result), 11)).toEqual([
      '0 Admitted prod',
      '10 Requeued prod (PodsReadyTimeout)',
      '10 Admitted dev',
    ]);
  });

  it('Should prioritize workloads submitted earlier (Requeuing timestamp set to Creation)', () => {
    expect(before(timeline(standalone(true, 'Creation')), 21)).toEqual([...requeuedFirst, '20 Admitted wl-1']);
  });

  // Not an upstream spec: the default requeuing timestamp, Eviction, under the same load puts wl-1 behind wl-3.
  it('with the default requeuing timestamp (Eviction) the evicted workload goes behind those created before its eviction', () => {
    expect(before(timeline(standalone(true, 'Eviction')), 21)).toEqual([...requeuedFirst, '20 Admitted wl-3']);
  });
});

describe('test/integration/singlecluster/scheduler/podsready/scheduler_test.go SchedulerWithWaitForPodsReadyNonblockingMode', () => {
  it('Should not block admission of one new workload if two are considered in the same scheduling cycle', () => {
    const result = run({
      objects: [
        ...objects,
        ...queue('test-cq', { cohort: 'all', flavors: { default: { cpu: { nominal: 25, borrowingLimit: 0 } } } }),
      ],
      config: waitForPodsReady(false),
      until: 100,
      workloads: [
        workload('prod-wl', 'prod-cq', { ...cpu(11), podsReadyAfter: 'never', ...long }),
        workload('dev-wl', 'dev-cq', { ...cpu(11), podsReadyAfter: 'never', ...long }),
      ],
    });
    expect(before(timeline(result), 1).sort()).toEqual(['0 Admitted dev-wl', '0 Admitted prod-wl']);
  });

  it('Should re-admit a timed out workload (Tiny PodsReady timeout)', () => {
    const result = run({
      objects,
      config: waitForPodsReady(false, '10s'),
      until: 22,
      workloads: [workload('prod', 'prod-cq', { ...cpu(2), ...never })],
    });
    expect(before(timeline(result), 22)).toEqual([
      '0 Admitted prod',
      '10 Requeued prod (PodsReadyTimeout)',
      '11 Admitted prod',
      '21 Requeued prod (PodsReadyTimeout)',
    ]);
    expect(result.workloads['default/prod'].evictions).toBe(2);
  });

  it('Should keep the evicted workload at the front of the queue (Requeuing timestamp set to Creation)', () => {
    expect(before(timeline(standalone(false, 'Creation')), 21)).toEqual([...requeuedFirst, '20 Admitted wl-1']);
  });
});

describe('waitForPodsReady.blockAdmission, beyond the upstream specs', () => {
  it('while admissions wait for pods, nothing is preempted either, as Kueue waits inside its scheduling cycle', () => {
    const result = run({
      objects: [
        resourceFlavor('default'),
        ...queue('cq', { flavors: { default: { cpu: 6 } }, preemption: { withinClusterQueue: 'LowerPriority' } }),
      ],
      config: waitForPodsReady(true),
      workloads: [
        workload('low', 'cq', { priority: 0, ...cpu(2), ...long }),
        workload('slow', 'cq', { priority: 0, ...cpu(2), arrival: 1, podsReadyAfter: 50, ...long }),
        workload('fits', 'cq', { priority: 0, ...cpu(1), arrival: 2, ...long }),
        workload('high', 'cq', { priority: 10, ...cpu(3), arrival: 3, ...long }),
      ],
    });
    expect(before(timeline(result))).toEqual([
      '0 Admitted low',
      '1 Admitted slow',
      '51 Preempted slow by high (InClusterQueue)', // the most recently admitted of the lower priority
      '51 Admitted high',
      '51 Admitted fits',
    ]);
  });
});

describe('waitForPodsReady requeuing timestamp and LowerOrNewerEqualPriority', () => {
  // A's pods never get ready; B, created at 5, takes its place when A times out at 10; A may queue again at 11.
  it.each([
    ['Eviction', ['0 Admitted a', '10 Requeued a (PodsReadyTimeout)', '10 Admitted b']],
    [
      'Creation',
      [
        '0 Admitted a',
        '10 Requeued a (PodsReadyTimeout)',
        '10 Admitted b',
        '11 Preempted b by a (InClusterQueue)',
        '11 Admitted a',
      ],
    ],
  ])('with timestamp %s, the timed-out workload is newer than B or older', (timestamp, expected) => {
    const result = run({
      objects: [
        resourceFlavor('default'),
        ...queue('cq', {
          flavors: { default: { cpu: 2 } },
          preemption: { withinClusterQueue: 'LowerOrNewerEqualPriority' },
        }),
      ],
      config: waitForPodsReady(false, '10s', timestamp),
      until: 15,
      workloads: [
        workload('a', 'cq', { ...cpu(2), ...never }),
        workload('b', 'cq', { ...cpu(2), arrival: 5, ...long }),
      ],
    });
    expect(before(timeline(result), 12)).toEqual(expected);
  });
});
