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
const waitForPodsReady = (blockAdmission: boolean) => ({
  waitForPodsReady: { enable: true, blockAdmission, timeout: '300s' },
});

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
