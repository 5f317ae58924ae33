import { defaultFeatureGates } from '../config/parse';
import type { FeatureGates } from '../config/types';
import { classicalOrder, Nomination, workloadBefore } from './queueOrder';
import type { Workload } from './types';

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
