import { defaultFeatureGates } from '../config/parse';
import type { FeatureGates } from '../config/types';
import { classicalOrder, Nomination, workloadBefore } from './queueOrder';
import type { Workload } from './types';
import { clusterQueue, queue, resourceFlavor, run, timeline, workload } from '../__testUtils__/builders';

const w = (key: string, priority: number, creationTime: number): Workload => ({
  key,
  namespace: 'ns',
  name: key,
  queue: 'q',
  priority,
  creationTime,
  podSets: [],
});

describe("workloadBefore: Kueue's queue order", () => {
  it.each([
    ['higher priority first', w('b', 10, 5), w('a', 0, 1), true],
    ['then older first', w('b', 0, 1), w('a', 0, 5), true],
    ['then by key', w('a', 0, 1), w('b', 0, 1), true],
    ['a newer workload of equal priority waits', w('a', 0, 5), w('b', 0, 1), false],
  ])('%s', (_, a, b, before) => {
    expect(workloadBefore(a, b)).toBe(before);
  });
});

const nomination = (key: string, priority: number, creationTime: number, borrowLevel: number, isPreemptor = false) =>
  ({
    state: { workload: w(key, priority, creationTime), isPreemptor },
    assignment: { borrowLevel },
  } as unknown as Nomination);

describe('classicalOrder: the order heads of different ClusterQueues are tried in', () => {
  it.each<[string, Nomination[], Partial<FeatureGates>, string[]]>([
    [
      'heads that borrow from fewer cohort levels first',
      [nomination('borrows', 10, 0, 1), nomination('within-quota', 0, 5, 0)],
      {},
      ['within-quota', 'borrows'],
    ],
    [
      'then higher priority (PrioritySortingWithinCohort)',
      [nomination('old-low', 0, 0, 0), nomination('new-high', 10, 5, 0)],
      {},
      ['new-high', 'old-low'],
    ],
    [
      'then older, with PrioritySortingWithinCohort off',
      [nomination('new-high', 10, 5, 0), nomination('old-low', 0, 0, 0)],
      { PrioritySortingWithinCohort: false },
      ['old-low', 'new-high'],
    ],
    [
      'preemptors first under PrioritizePreemptorWorkloads',
      [nomination('head', 10, 0, 0), nomination('preemptor', 0, 5, 1, true)],
      { PrioritizePreemptorWorkloads: true },
      ['preemptor', 'head'],
    ],
    [
      'preemptors in line without PrioritizePreemptorWorkloads',
      [nomination('preemptor', 0, 5, 1, true), nomination('head', 10, 0, 0)],
      {},
      ['head', 'preemptor'],
    ],
  ])('%s', (_, nominations, gates, order) => {
    const sorted = classicalOrder(nominations, { ...defaultFeatureGates, ...gates });
    expect(sorted.map(n => n.state.workload.key)).toEqual(order);
  });
});

describe("Kueue's GetQueueOrderTimestamp: a victim of reclaim while borrowing, without priority sorting", () => {
  // V (created 0) borrows; P (at 10) reclaims it while borrowing; W was created at 8. When P finishes, W is ahead.
  it.each([
    [false, '20 Admitted w'],
    [true, '20 Admitted v'],
  ])('PrioritySortingWithinCohort %s: %s', (sorting, next) => {
    const result = run({
      objects: [
        resourceFlavor('default'),
        ...queue('cq-a', { cohort: 'all', flavors: { default: { cpu: { nominal: 0, borrowingLimit: 10 } } } }),
        ...queue('cq-b', {
          cohort: 'all',
          flavors: { default: { cpu: { nominal: 4, borrowingLimit: 4 } } },
          preemption: { reclaimWithinCohort: 'Any', borrowWithinCohort: { policy: 'LowerPriority' } },
        }),
        clusterQueue('cq-c', { cohort: 'all', flavors: { default: { cpu: 4 } } }),
      ],
      config: { featureGates: { PrioritySortingWithinCohort: sorting } },
      workloads: [
        workload('v', 'cq-a', { priority: 0, requests: { cpu: 6 }, duration: 1000 }),
        workload('w', 'cq-a', { priority: 0, requests: { cpu: 6 }, arrival: 8, duration: 1000 }),
        workload('p', 'cq-b', { priority: 1, requests: { cpu: 6 }, arrival: 10, duration: 10 }),
      ],
    });
    expect(timeline(result).filter(l => Number(l.split(' ')[0]) <= 20)).toEqual([
      '0 Admitted v',
      '10 Preempted v by p (InCohortReclaimWhileBorrowing)',
      '10 Admitted p',
      next,
    ]);
  });
});
