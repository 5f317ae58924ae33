import { clusterQueue, GPU, queue, resourceFlavor, run, timeline, workload } from '../__testUtils__/builders';

describe('fair-sharing preemption: whom a reclaiming queue takes from', () => {
  // "a" runs 5 and "c" runs 3 of lender's 8 GPUs (neither has quota); "b" then needs 2.
  it.each<[string, number, number, string]>([
    ['equal weights: a, whose share (5/8) is the highest', 1, 1, 'a1'],
    ['a weighs 4: c, whose share (3/8) is above a`s (5/8/4)', 4, 1, 'c1'],
  ])('%s', (_, weightA, weightC, victim) => {
    const result = run({
      config: { fairSharing: { enable: true } },
      objects: [
        resourceFlavor('default'),
        ...queue('a', { cohort: 'gpus', flavors: { default: { [GPU]: 0 } }, fairSharingWeight: weightA }),
        ...queue('c', { cohort: 'gpus', flavors: { default: { [GPU]: 0 } }, fairSharingWeight: weightC }),
        ...queue('b', {
          cohort: 'gpus',
          flavors: { default: { [GPU]: 0 } },
          preemption: { reclaimWithinCohort: 'Any' },
        }),
        clusterQueue('lender', { cohort: 'gpus', flavors: { default: { [GPU]: 8 } } }),
      ],
      workloads: [
        workload('a1', 'a', { count: 5, duration: 1000 }),
        workload('c1', 'c', { count: 3, duration: 1000 }),
        workload('b1', 'b', { count: 2, arrival: 10 }),
      ],
    });
    expect(timeline(result, ['Preempted'])).toEqual([`10 Preempted ${victim} by b1 (InCohortFairSharing)`]);
  });
});
