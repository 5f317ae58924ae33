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
import { before, cpu, high, long, low, mid } from '../__testUtils__/integrationSpecs';

// Kueue's test/integration/singlecluster/scheduler/preemption_test.go: the Contexts on borrowing, lending limits, hierarchical cohorts and elastic jobs
// (notation in __testUtils__/integrationSpecs.ts).
describe('test/integration/singlecluster/scheduler/preemption_test.go', () => {
  describe('When most quota is in a shared ClusterQueue in a cohort', () => {
    it('should allow preempting workloads while borrowing', () => {
      const cq = (name: string, threshold?: number) =>
        queue(name, {
          cohort: 'all',
          flavors: {
            one: { cpu: { nominal: 1, borrowingLimit: 10 } },
            fallback: { cpu: { nominal: 10, borrowingLimit: 0 } },
          },
          flavorFungibility: { whenCanBorrow: 'MayStopSearch', whenCanPreempt: 'MayStopSearch' },
          preemption: {
            reclaimWithinCohort: 'LowerPriority',
            borrowWithinCohort: {
              policy: 'LowerPriority',
              ...(threshold !== undefined && { maxPriorityThreshold: threshold }),
            },
          },
        });
      const [lowest, middle, higher, highest] = [-1, 0, 1, 2]; // upstream's low, mid, high and veryHigh
      const result = run({
        objects: [
          resourceFlavor('one'),
          resourceFlavor('fallback'),
          ...cq('a-standard-cq', middle),
          ...cq('a-best-effort-cq'),
          ...cq('b-best-effort-cq'),
          ...cq('b-standard-cq', middle),
          clusterQueue('shared-cq', { cohort: 'all', flavors: { one: { cpu: 10 } } }),
        ],
        workloads: [
          workload('a-best-effort-low', 'a-best-effort-cq', { priority: lowest, ...cpu(5), ...long }),
          workload('b-best-effort-low', 'b-best-effort-cq', { priority: lowest, ...cpu(1), arrival: 1, ...long }),
          workload('b-standard-high', 'b-standard-cq', { priority: higher, ...cpu(5), arrival: 2, ...long }),
          workload('a-standard-very-high', 'a-standard-cq', { priority: highest, ...cpu(7), arrival: 3, ...long }),
        ],
      });
      const flavorOf = (name: string, at: number) =>
        result.events.find(e => e.type === 'Admitted' && e.workload === `default/${name}` && e.time === at)?.assignment
          ?.main.flavors.cpu;
      expect(timeline(result).filter(l => l.startsWith('3 '))).toEqual([
        '3 Preempted a-best-effort-low by a-standard-very-high (InCohortReclaimWhileBorrowing)',
        '3 Admitted a-standard-very-high',
        '3 Admitted a-best-effort-low',
      ]);
      expect([flavorOf('a-standard-very-high', 3), flavorOf('a-best-effort-low', 3)]).toEqual(['one', 'fallback']);
      expect([flavorOf('b-standard-high', 2), flavorOf('b-best-effort-low', 1)]).toEqual(['one', 'one']);
    });
  });

  describe('With lending limit', () => {
    it('Should be able to preempt when lending limit enabled', () => {
      const result = run({
        objects: [
          resourceFlavor('alpha'),
          ...queue('prod-cq', {
            cohort: 'all',
            flavors: { alpha: { cpu: { nominal: 5, lendingLimit: 4 } } },
            preemption: { reclaimWithinCohort: 'Any' },
          }),
          ...queue('dev-cq', { cohort: 'all', flavors: { alpha: { cpu: 5 } } }),
        ],
        workloads: [
          workload('wl-1', 'dev-cq', { priority: 0, ...cpu(4), ...long }),
          workload('wl-2', 'dev-cq', { priority: 1, ...cpu(5), ...long }),
          workload('wl-3', 'prod-cq', { ...cpu(4), arrival: 1, ...long }),
        ],
      });
      expect(before(timeline(result))).toEqual([
        '0 Admitted wl-2',
        '0 Admitted wl-1',
        '1 Preempted wl-1 by wl-3 (InCohortReclamation)',
        '1 Admitted wl-3',
      ]);
    });
  });

  describe('When borrowWithinCohort is used and PrioritySortingWithinCohort disabled', () => {
    it('should allow preempting workloads while borrowing', () => {
      const policy = { reclaimWithinCohort: 'Any', withinClusterQueue: 'LowerPriority' };
      const fungibility = { whenCanBorrow: 'MayStopSearch', whenCanPreempt: 'MayStopSearch' };
      const result = run({
        objects: [
          resourceFlavor('default'),
          ...queue('a-cq', {
            cohort: 'all',
            flavors: { default: { cpu: { nominal: 0, borrowingLimit: 10 } } },
            flavorFungibility: fungibility,
            preemption: policy,
          }),
          ...queue('b-cq', {
            cohort: 'all',
            flavors: { default: { cpu: { nominal: 5, borrowingLimit: 5 } } },
            flavorFungibility: fungibility,
            preemption: { ...policy, borrowWithinCohort: { policy: 'LowerPriority', maxPriorityThreshold: 2 } },
          }),
          clusterQueue('c-cq', {
            cohort: 'all',
            flavors: { default: { cpu: 5 } },
            flavorFungibility: fungibility,
            preemption: policy,
          }),
        ],
        workloads: [
          workload('a-low', 'a-cq', { priority: 0, ...cpu(4), ...long }),
          workload('b1-high', 'b-cq', { priority: 1, ...cpu(4), arrival: 1, ...long }),
          workload('b2-high', 'b-cq', { priority: 1, ...cpu(4), arrival: 2, ...long }),
        ],
        config: { featureGates: { PrioritySortingWithinCohort: false } },
      });
      expect(before(timeline(result))).toEqual([
        '0 Admitted a-low',
        '1 Admitted b1-high',
        '2 Preempted a-low by b2-high (InCohortReclaimWhileBorrowing)',
        '2 Admitted b2-high',
      ]);
    });
  });

  describe('ElasticJobs In a single ClusterQueue', () => {
    it('Should preempt on-scale-up Workloads with lower priority when there is not enough quota', () => {
      const result = run({
        objects: [
          resourceFlavor('alpha'),
          ...queue('cq', {
            flavors: { alpha: { cpu: 2 } },
            preemption: { withinClusterQueue: 'LowerOrNewerEqualPriority' },
          }),
        ],
        workloads: [
          workload('low', 'cq', { priority: low, ...cpu(1), ...long }),
          {
            ...workload('high', 'cq', { priority: high, ...cpu(1), arrival: 1, ...long }),
            resizes: [
              { at: 2, podSets: { main: 2 } },
              { at: 3, podSets: { main: 1 } },
            ],
          },
        ],
      });
      expect(before(timeline(result, ['Admitted', 'Preempted', 'Resized']))).toEqual([
        '0 Admitted low',
        '1 Admitted high',
        '2 Preempted low by high (InClusterQueue)',
        '2 Resized high',
        '3 Resized high',
        '3 Admitted low',
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
      expect(before(timeline(result))).toEqual([
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
