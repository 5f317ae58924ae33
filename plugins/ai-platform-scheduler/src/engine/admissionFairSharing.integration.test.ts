import { clusterQueue, engineFor, localQueue, resourceFlavor, run, workload } from '../__testUtils__/builders';

/**
 * Kueue's narrative specs for admission fair sharing,
 * test/integration/singlecluster/scheduler/fairsharing/fair_sharing_test.go
 * "Using AdmissionFairSharing at ClusterQueue level", as simulations: each
 * keeps its upstream name; upstream finishes workloads by hand, here they
 * run for a set time (5 s, so that usage with a 1 s half-life has caught up,
 * as upstream waits for it to before releasing quota).
 */
const cq1 = clusterQueue('cq1', { flavors: { default: { cpu: 8 } } });
cq1.spec.admissionScope = { admissionMode: 'UsageBasedAdmissionFairSharing' };
const objects = [
  resourceFlavor('default'),
  cq1,
  ...['lq-a', 'lq-b', 'lq-c'].map(lq => localQueue(lq, 'cq1', 'default', { fairSharing: { weight: '1' } })),
];
const config = { admissionFairSharing: { usageHalfLifeTime: '1s', usageSamplingInterval: '1s' } };
/** A 4-CPU workload of a LocalQueue, created at `arrival` s, running `duration` s. */
const wl = (name: string, lq: string, arrival: number, duration = 100) =>
  workload(name, lq, { requests: { cpu: 4 }, arrival, duration });
/** The simulation of these workloads in cq1. */
const runCq1 = (workloads: ReturnType<typeof wl>[]) => run({ objects, config, workloads });
const admittedAt = (result: ReturnType<typeof run>, name: string) => result.workloads[`default/${name}`].admittedAt;

describe('test/integration/singlecluster/scheduler/fairsharing/fair_sharing_test.go (AdmissionFairSharing at ClusterQueue level)', () => {
  it('admits one workload from each LocalQueue when quota is limited', () => {
    const result = runCq1([wl('a1', 'lq-a', 0), wl('a2', 'lq-a', 0), wl('b1', 'lq-b', 0), wl('b2', 'lq-b', 0)]);
    const atStart = ['a1', 'a2', 'b1', 'b2'].filter(n => admittedAt(result, n) === 0);
    expect(atStart.filter(n => n.startsWith('a'))).toHaveLength(1);
    expect(atStart.filter(n => n.startsWith('b'))).toHaveLength(1);
  });

  it('prioritizes workloads from less active LocalQueues to maintain fairness', () => {
    const result = runCq1([
      wl('a1', 'lq-a', 0, 5),
      wl('a2', 'lq-a', 0, 5),
      wl('a3', 'lq-a', 1),
      wl('a4', 'lq-a', 1),
      wl('b', 'lq-b', 2),
    ]);
    expect(admittedAt(result, 'b')).toBe(5);
    expect([admittedAt(result, 'a3'), admittedAt(result, 'a4')].filter(t => t === 5)).toHaveLength(1);
  });

  it('admits workload from new LocalQueue when all others have high usage', () => {
    const result = runCq1([
      wl('a1', 'lq-a', 0, 5),
      wl('b1', 'lq-b', 0, 5),
      ...['a2', 'a3'].map(n => wl(n, 'lq-a', 1)),
      ...['b2', 'b3'].map(n => wl(n, 'lq-b', 1)),
      wl('c', 'lq-c', 2),
    ]);
    expect(admittedAt(result, 'c')).toBe(5);
  });

  it('admits workloads from less active LocalQueues after quota is released', () => {
    const result = runCq1([
      wl('wl1', 'lq-a', 0, 5),
      wl('wl2', 'lq-a', 0, 10),
      wl('b1', 'lq-b', 1),
      wl('b2', 'lq-b', 1),
      wl('c', 'lq-c', 2),
    ]);
    // wl1's quota goes to one of lq-b's, wl2's to lq-c's, which has used nothing, rather than lq-b's second.
    expect([admittedAt(result, 'b1'), admittedAt(result, 'b2')].filter(t => t !== undefined && t <= 10)).toHaveLength(
      1,
    );
    expect(admittedAt(result, 'c')).toBe(10);
  });

  it('should update consumed resources and subtract entry penalties on workload admission', () => {
    const { engine, workloads } = engineFor({ objects, config, workloads: [wl('a1', 'lq-a', 0), wl('a2', 'lq-a', 0)] });
    engine.submit(workloads.a1);
    engine.schedule(0);
    expect(engine.localQueueUsage().get('default/lq-a')!.consumedResources.cpu).toBeGreaterThan(0);
    engine.submit(workloads.a2);
    engine.schedule(0);
    expect(engine.get('default/a2')!.status).toBe('admitted');
    // The penalty is folded into the consumed resources as the workload is admitted: nothing stays pending.
    expect(engine.localQueueUsage().get('default/lq-a')!.consumedResources.cpu).toBeGreaterThan(3_900);
  });
});

describe('test/integration/singlecluster/scheduler/fairsharing/fair_sharing_test.go (AdmissionFairSharing at Cohort level)', () => {
  const usageBased = clusterQueue('cq1', {
    cohort: 'all',
    flavors: { default: { cpu: 16 } },
    preemption: { withinClusterQueue: 'Never' },
    queueingStrategy: 'StrictFIFO',
  });
  usageBased.spec.admissionScope = { admissionMode: 'UsageBasedAdmissionFairSharing' };
  const weighted = (lq: string, cq: string, weight = '1') => localQueue(lq, cq, 'default', { fairSharing: { weight } });
  const cohortObjects = [
    resourceFlavor('default'),
    usageBased,
    clusterQueue('cq2', {
      cohort: 'all',
      flavors: { default: { cpu: 16 } },
      preemption: { reclaimWithinCohort: 'Any', withinClusterQueue: 'LowerPriority' },
    }),
    weighted('lq-a', 'cq1'),
    weighted('lq-b', 'cq1'),
    weighted('lq-c', 'cq2'),
  ];
  const cohortConfig = { admissionFairSharing: { usageHalfLifeTime: '2s', usageSamplingInterval: '1s' } };
  const cpuWl = (
    name: string,
    lq: string,
    cpu: number,
    arrival: number,
    o: { duration?: number; priority?: number } = {},
  ) => workload(name, lq, { requests: { cpu }, arrival, duration: o.duration ?? 100, priority: o.priority ?? 0 });

  const runCohort = (workloads: ReturnType<typeof cpuWl>[], changes?: object[]) =>
    run({ objects: cohortObjects, config: cohortConfig, workloads, changes });

  it('should promote a workload from LQ with lower recent usage', () => {
    const result = runCohort([
      cpuWl('wl', 'lq-a', 32, 0, { duration: 5 }),
      cpuWl('wl-a', 'lq-a', 32, 1),
      cpuWl('wl-b', 'lq-b', 32, 2),
    ]);
    expect(admittedAt(result, 'wl-b')).toBe(5);
    expect(admittedAt(result, 'wl-a')).toBeGreaterThan(5);
  });

  it('should preempt a workload from LQ with higher recent usage', () => {
    const result = runCohort([
      cpuWl('high-a', 'lq-a', 20, 0, { priority: 10 }),
      cpuWl('low-b', 'lq-b', 12, 0, { priority: 1 }),
      cpuWl('reclaim-c', 'lq-c', 10, 5),
    ]);
    // Both borrow from cq2; lq-a has used more lately, so its workload goes despite its higher priority.
    expect(result.workloads['default/high-a'].preemptions).toBe(1);
    expect(result.workloads['default/low-b'].preemptions).toBe(0);
    expect(admittedAt(result, 'reclaim-c')).toBe(5);
  });

  it('admits from the LocalQueue whose weight is raised through the API', () => {
    const result = runCohort(
      [
        cpuWl('usage-b', 'lq-b', 32, 0, { duration: 5 }),
        cpuWl('blocker', 'lq-a', 32, 5, { duration: 5 }),
        cpuWl('wl-b', 'lq-b', 32, 6),
        cpuWl('wl-a', 'lq-a', 32, 7),
      ],
      [{ at: 8, apply: weighted('lq-a', 'cq1', '1000000') }],
    );
    expect(admittedAt(result, 'wl-a')).toBe(10);
    expect(admittedAt(result, 'wl-b')).toBeGreaterThan(10);
  });
});
