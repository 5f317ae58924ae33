import {
  clusterQueue,
  cohort,
  localQueue,
  queue,
  resourceFlavor,
  run,
  timeline,
  workload,
} from '../__testUtils__/builders';

/**
 * Kueue's narrative integration specs, test/integration/singlecluster/scheduler/preemption_test.go,
 * as simulations: each spec keeps its upstream name; workloads are created one
 * second apart in upstream's order and run long enough to still be running
 * when the next one arrives. Evictions finish at once here (upstream finishes
 * them by hand), so a preemptor is admitted in the same instant.
 */
const low = -10;
const mid = 0;
const high = 10_000;
const cpu = (n: number) => ({ requests: { cpu: n } });
const long = { duration: 1000 };

describe('test/integration/singlecluster/scheduler/preemption_test.go', () => {
  describe('In a single ClusterQueue', () => {
    const objects = [
      resourceFlavor('alpha'),
      ...queue('cq', {
        flavors: { alpha: { cpu: 4 } },
        preemption: { withinClusterQueue: 'LowerOrNewerEqualPriority' },
      }),
    ];

    it('Should preempt Workloads with lower priority when there is not enough quota', () => {
      const result = run({
        objects,
        workloads: [
          workload('low-wl-1', 'cq', { priority: low, ...cpu(1), ...long }),
          workload('low-wl-2', 'cq', { priority: low, ...cpu(1), ...long }),
          workload('mid-wl', 'cq', { priority: mid, ...cpu(1), ...long }),
          workload('high-wl-1', 'cq', { priority: high, ...cpu(1), ...long }),
          workload('low-wl-3', 'cq', { priority: low, ...cpu(1), arrival: 1, ...long }),
          workload('high-wl-2', 'cq', { priority: high, ...cpu(2), arrival: 2, ...long }),
        ],
      });
      expect(timeline(result).filter(l => l.startsWith('2 '))).toEqual([
        '2 Preempted low-wl-1 by high-wl-2 (InClusterQueue)',
        '2 Preempted low-wl-2 by high-wl-2 (InClusterQueue)',
        '2 Admitted high-wl-2',
      ]);
      expect(result.workloads['default/low-wl-3'].admittedAt).toBeGreaterThan(2);
    });
  });

  describe('In a ClusterQueue that is part of a cohort', () => {
    const reclaimer = { withinClusterQueue: 'LowerPriority', reclaimWithinCohort: 'Any' };
    const objects = [
      resourceFlavor('alpha'),
      ...queue('alpha-cq', { cohort: 'all', flavors: { alpha: { cpu: 2 } }, preemption: reclaimer }),
      ...queue('beta-cq', { cohort: 'all', flavors: { alpha: { cpu: 2 } } }),
      ...queue('gamma-cq', { cohort: 'all', flavors: { alpha: { cpu: 2 } }, preemption: reclaimer }),
    ];

    it('Should preempt Workloads in the cohort borrowing quota, when the ClusterQueue is using less than nominal quota', () => {
      const result = run({
        objects,
        workloads: [
          workload('alpha-low', 'alpha-cq', { priority: low, ...cpu(1), ...long }),
          workload('beta-mid', 'beta-cq', { priority: mid, ...cpu(1), arrival: 1, ...long }),
          workload('beta-high', 'beta-cq', { priority: high, ...cpu(4), arrival: 2, ...long }),
          workload('alpha-mid', 'alpha-cq', { priority: mid, ...cpu(2), arrival: 3, ...long }),
        ],
      });
      expect(timeline(result).filter(l => l.startsWith('3 '))).toEqual([
        '3 Preempted beta-mid by alpha-mid (InCohortReclamation)',
        '3 Preempted alpha-low by alpha-mid (InClusterQueue)',
        '3 Admitted alpha-mid',
      ]);
    });

    it('Should not preempt Workloads in the cohort, if the ClusterQueue requires borrowing', () => {
      const result = run({
        objects,
        workloads: [
          workload('alpha-high-1', 'alpha-cq', { priority: high, ...cpu(2), ...long }),
          workload('beta-low', 'beta-cq', { priority: low, ...cpu(4), arrival: 1, ...long }),
          workload('alpha-high-2', 'alpha-cq', { priority: high, ...cpu(2), arrival: 2, ...long }),
        ],
      });
      expect(timeline(result).filter(l => Number(l.split(' ')[0]) < 1000)).toEqual([
        '0 Admitted alpha-high-1',
        '1 Admitted beta-low',
      ]);
    });
  });

  describe('In a multi-level cohort', () => {
    it('workloads in guaranteed cq should have preferential access to the resources', () => {
      const policy = { withinClusterQueue: 'LowerPriority', reclaimWithinCohort: 'Any' };
      const result = run({
        objects: [
          resourceFlavor('default'),
          cohort('root'),
          cohort('guaranteed', { parent: 'root', flavors: { default: { cpu: 3 } } }),
          clusterQueue('best-effort', { cohort: 'root', flavors: { default: { cpu: 0 } }, preemption: policy }),
          clusterQueue('guaranteed', { cohort: 'guaranteed', flavors: { default: { cpu: 0 } }, preemption: policy }),
          localQueue('best-effort-lq', 'best-effort'),
          localQueue('guaranteed-lq', 'guaranteed'),
        ],
        workloads: [
          workload('best-effort-wl', 'best-effort-lq', { priority: high, ...cpu(3), ...long }),
          workload('guaranteed-wl', 'guaranteed-lq', { priority: mid, ...cpu(3), arrival: 1, ...long }),
        ],
      });
      expect(timeline(result).slice(0, 3)).toEqual([
        '0 Admitted best-effort-wl',
        '1 Preempted best-effort-wl by guaranteed-wl (InCohortReclamation)',
        '1 Admitted guaranteed-wl',
      ]);
    });
  });

  describe('In a cohort with multiple queues', () => {
    it('Should prevent other workloads from stealing quota when a preemptor is waiting for multiple evictions', () => {
      const borrowing = (reclaimWithinCohort: string) => ({
        withinClusterQueue: 'LowerPriority',
        reclaimWithinCohort,
        borrowWithinCohort: { policy: 'LowerPriority' },
      });
      const result = run({
        objects: [
          resourceFlavor('one'),
          clusterQueue('alpha-cq', { cohort: 'all', flavors: { one: { cpu: 2 } }, preemption: borrowing('Any') }),
          clusterQueue('beta-cq', {
            cohort: 'all',
            flavors: { one: { cpu: 1 } },
            preemption: borrowing('LowerPriority'),
          }),
          clusterQueue('gamma-cq', {
            cohort: 'all',
            flavors: { one: { cpu: 1 } },
            preemption: borrowing('LowerPriority'),
          }),
          localQueue('alpha-lq', 'alpha-cq'),
          localQueue('beta-lq', 'beta-cq'),
          localQueue('gamma-lq', 'gamma-cq'),
        ],
        workloads: [
          workload('wl-a', 'alpha-lq', { priority: mid, ...cpu(1), ...long }),
          workload('wl-b', 'beta-lq', { priority: mid, ...cpu(3), ...long }),
          workload('wl-c', 'gamma-lq', { priority: low, ...cpu(1), arrival: 1, ...long }),
          workload('preemptor', 'alpha-lq', { priority: high, ...cpu(4), arrival: 2, ...long }),
        ],
        config: { featureGates: { PrioritizePreemptorWorkloads: true } },
      });
      expect(timeline(result).filter(l => Number(l.split(' ')[0]) < 1000)).toEqual([
        '0 Admitted wl-a',
        '0 Admitted wl-b',
        '2 Preempted wl-b by preemptor (InCohortReclaimWhileBorrowing)',
        '2 Preempted wl-a by preemptor (InClusterQueue)',
        '2 Admitted preemptor',
      ]);
      expect(result.workloads['default/wl-c'].admittedAt).toBeGreaterThanOrEqual(1002);
    });
  });
});
