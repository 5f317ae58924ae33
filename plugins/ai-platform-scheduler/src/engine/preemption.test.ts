import {
  clusterQueue,
  GPU,
  KueueObject,
  queue,
  resourceFlavor,
  run,
  timeline,
  workload,
  WorkloadOptions,
} from '../__testUtils__/builders';
import { join } from 'node:path';
import { expectedOutcome, readKueueCases, runKueueCase } from '../__testUtils__/kueueCases';

const flavor = resourceFlavor('default');

describe('preemption withinClusterQueue', () => {
  // "victim" fills the queue's 4 GPUs; "preemptor" arrives at 10 and needs all 4.
  it.each([
    ['LowerPriority', 0, 10, true],
    ['LowerPriority', 10, 10, false],
    ['LowerPriority', 20, 10, false],
    ['LowerOrNewerEqualPriority', 0, 10, true],
    ['LowerOrNewerEqualPriority', 10, 10, false],
    ['Never', 0, 10, false],
  ])(
    '%s: a victim of priority %d and a preemptor of %d: preempts=%s',
    (withinClusterQueue, victimPriority, preemptorPriority, preempts) => {
      const result = run({
        objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } }, preemption: { withinClusterQueue } })],
        workloads: [
          workload('victim', 'team', { count: 4, priority: victimPriority, duration: 1000 }),
          workload('preemptor', 'team', { count: 4, priority: preemptorPriority, arrival: 10 }),
        ],
      });
      expect(timeline(result)).toEqual(
        preempts
          ? [
              '0 Admitted victim',
              '10 Preempted victim by preemptor (InClusterQueue)',
              '10 Admitted preemptor',
              '110 Admitted victim',
            ]
          : ['0 Admitted victim', '1000 Admitted preemptor'],
      );
    },
  );

  it.each([
    [
      'LowerOrNewerEqualPriority',
      ['0 Admitted blocker', '10 Admitted newer', '50 Preempted newer by older (InClusterQueue)', '50 Admitted older'],
    ],
    ['LowerPriority', ['0 Admitted blocker', '10 Admitted newer', '1000 Admitted older']],
  ])('%s and an equal-priority workload created after the preemptor', (withinClusterQueue, expected) => {
    // "older" is created at 1 but blocked by "blocker"; "newer" (created at 10) fits in the gap.
    const result = run({
      objects: [flavor, ...queue('team', { flavors: { default: { [GPU]: 4 } }, preemption: { withinClusterQueue } })],
      workloads: [
        workload('blocker', 'team', { count: 2, duration: 50 }),
        workload('older', 'team', { count: 4, arrival: 1 }),
        workload('newer', 'team', { count: 2, arrival: 10, duration: 990 }),
      ],
    });
    expect(timeline(result).slice(0, expected.length)).toEqual(expected);
  });
});

describe('preemption victim choice', () => {
  // The queue holds 4 GPUs; the preemptor (priority 100) arrives at 10.
  const scenario = (running: Array<[string, WorkloadOptions]>, preemptorGpus: number) =>
    run({
      objects: [
        flavor,
        ...queue('team', { flavors: { default: { [GPU]: 4 } }, preemption: { withinClusterQueue: 'LowerPriority' } }),
      ],
      workloads: [
        ...running.map(([name, o]) => workload(name, 'team', { duration: 1000, ...o })),
        workload('preemptor', 'team', { count: preemptorGpus, priority: 100, arrival: 10 }),
      ],
    });
  const victims = (result: ReturnType<typeof run>) =>
    result.events.filter(e => e.type === 'Preempted').map(e => e.workload.replace('default/', ''));

  it.each<[string, Array<[string, WorkloadOptions]>, number, string[]]>([
    [
      'the lowest priority first',
      [
        ['p1', { count: 2, priority: 1 }],
        ['p2', { count: 2, priority: 2, arrival: 1 }],
      ],
      2,
      ['p1'],
    ],
    [
      'the most recently admitted among equal priorities',
      [
        ['early', { count: 2 }],
        ['late', { count: 2, arrival: 1 }],
      ],
      2,
      ['late'],
    ],
    [
      'the fewest: a victim that turns out unnecessary is spared',
      [
        ['small', { count: 1, priority: 0 }],
        ['large', { count: 2, priority: 1, arrival: 1 }],
        ['other', { count: 1, priority: 1 }],
      ],
      2,
      ['large'],
    ],
    [
      'as many as needed',
      [
        ['a', { count: 1 }],
        ['b', { count: 1, arrival: 1 }],
        ['c', { count: 2, arrival: 2 }],
      ],
      4,
      ['c', 'b', 'a'],
    ],
  ])('takes %s', (_, running, preemptorGpus, expected) => {
    expect(victims(scenario(running, preemptorGpus)).sort()).toEqual([...expected].sort());
  });
});

describe('preemption reclaimWithinCohort', () => {
  // "borrower" uses its own 4 GPUs plus the 4 of "owner"; owner's job arrives at 10 and needs its 4 back.
  const scenario = (reclaimWithinCohort: string, borrowerPriority = 0) =>
    run({
      objects: [
        flavor,
        ...queue('borrower', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
        ...queue('owner', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } }, preemption: { reclaimWithinCohort } }),
      ],
      workloads: [
        workload('big', 'borrower', { count: 8, priority: borrowerPriority, duration: 1000 }),
        workload('mine', 'owner', { count: 4, priority: 10, arrival: 10 }),
      ],
    });

  it.each([
    ['Any', 0, true],
    ['Any', 50, true],
    ['LowerPriority', 0, true],
    ['LowerPriority', 10, false],
    ['LowerOrNewerEqualPriority', 10, false],
    ['Never', 0, false],
  ])('%s against a borrower of priority %d: reclaims=%s', (policy, borrowerPriority, reclaims) => {
    const result = scenario(policy, borrowerPriority);
    expect(result.workloads['default/big'].preemptions).toBe(reclaims ? 1 : 0);
    expect(timeline(result)).toEqual(
      reclaims
        ? ['0 Admitted big', '10 Preempted big by mine (InCohortReclamation)', '10 Admitted mine', '110 Admitted big']
        : ['0 Admitted big', '1000 Admitted mine'],
    );
  });

  it("takes from borrowers in other queues before the preemptor's own lower-priority workloads", () => {
    const result = run({
      objects: [
        flavor,
        ...queue('borrower', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
        ...queue('owner', {
          cohort: 'gpus',
          flavors: { default: { [GPU]: 4 } },
          preemption: { reclaimWithinCohort: 'Any', withinClusterQueue: 'LowerPriority' },
        }),
      ],
      workloads: [
        workload('own-low', 'owner', { count: 2, duration: 1000 }),
        workload('big', 'borrower', { count: 6, duration: 1000, arrival: 1 }),
        workload('mine', 'owner', { count: 2, priority: 10, arrival: 10 }),
      ],
    });
    expect(timeline(result).slice(0, 4)).toEqual([
      '0 Admitted own-low',
      '1 Admitted big',
      '10 Preempted big by mine (InCohortReclamation)',
      '10 Admitted mine',
    ]);
  });

  it('does not reclaim when the preemptor would itself need to borrow', () => {
    const result = run({
      objects: [
        flavor,
        ...queue('borrower', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
        ...queue('owner', {
          cohort: 'gpus',
          flavors: { default: { [GPU]: 4 } },
          preemption: { reclaimWithinCohort: 'Any' },
        }),
      ],
      workloads: [
        workload('big', 'borrower', { count: 6, duration: 1000 }),
        workload('mine', 'owner', { count: 5, priority: 10, arrival: 10 }),
      ],
    });
    expect(timeline(result)).toEqual(['0 Admitted big', '1000 Admitted mine']);
  });
});

describe('preemption borrowWithinCohort', () => {
  // Three queues of 4 GPUs: "other" borrows 4 (job "low"), "full" uses its own 4, "team" needs 6, i.e. to borrow 2.
  const scenario = (preemption: KueueObject, lowPriority = 0) =>
    run({
      objects: [
        flavor,
        ...queue('team', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } }, preemption }),
        ...queue('other', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
        ...queue('full', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
      ],
      workloads: [
        workload('low', 'other', { count: 8, priority: lowPriority, duration: 1000 }),
        workload('own', 'full', { count: 4, priority: 0, duration: 1000 }),
        workload('job', 'team', { count: 6, priority: 10, arrival: 10 }),
      ],
    });
  const reclaimAndBorrow = (maxPriorityThreshold?: number) => ({
    reclaimWithinCohort: 'Any',
    borrowWithinCohort: {
      policy: 'LowerPriority',
      ...(maxPriorityThreshold !== undefined && { maxPriorityThreshold }),
    },
  });

  it.each<[string, KueueObject, number, boolean]>([
    ['LowerPriority without threshold', reclaimAndBorrow(), 0, true],
    ['a threshold at the victim priority', reclaimAndBorrow(5), 5, true],
    ['a threshold below the victim priority', reclaimAndBorrow(4), 5, false],
    ['a victim of equal priority', reclaimAndBorrow(), 10, false],
    ['borrowWithinCohort Never', { reclaimWithinCohort: 'Any' }, 0, false],
  ])('%s: preempts a borrowing victim of priority %d: %s', (_, preemption, lowPriority, preempts) => {
    expect(timeline(scenario(preemption, lowPriority)).slice(0, 4)).toEqual(
      preempts
        ? [
            '0 Admitted own',
            '0 Admitted low',
            '10 Preempted low by job (InCohortReclaimWhileBorrowing)',
            '10 Admitted job',
          ]
        : ['0 Admitted own', '0 Admitted low', '1000 Admitted job'],
    );
  });
});

describe('fair sharing admission order', () => {
  // "lender" holds the cohort's 5 GPUs; "a" and "b" have none; a runs 2, b runs 1. At 10 each submits 2 more; 2 are free.
  const scenario = (weights: [number, number], enable = true) =>
    run({
      config: { fairSharing: { enable } },
      objects: [
        flavor,
        ...queue('a', { cohort: 'gpus', flavors: { default: { [GPU]: 0 } }, fairSharingWeight: weights[0] }),
        ...queue('b', { cohort: 'gpus', flavors: { default: { [GPU]: 0 } }, fairSharingWeight: weights[1] }),
        clusterQueue('lender', { cohort: 'gpus', flavors: { default: { [GPU]: 5 } } }),
      ],
      workloads: [
        workload('a1', 'a', { count: 2, duration: 1000 }),
        workload('b1', 'b', { count: 1, duration: 1000 }),
        workload('a2', 'a', { count: 2, arrival: 10 }),
        workload('b2', 'b', { count: 2, arrival: 10 }),
      ],
    });

  it.each<[string, [number, number], boolean, string]>([
    ['equal weights: b, whose share would be 3/5 against 4/5', [1, 1], true, 'b2'],
    ['weight 3 on a: a, whose share would be 4/5/3 against 3/5', [3, 1], true, 'a2'],
    ['fair sharing off: queue order (creation, then name)', [1, 1], false, 'a2'],
  ])('%s: %s goes first', (_, weights, enable, first) => {
    const result = scenario(weights, enable);
    const admittedAt10 = result.events.filter(e => e.type === 'Admitted' && e.time === 10).map(e => e.workload);
    expect(admittedAt10).toEqual([`default/${first}`]);
  });
});

describe('fair sharing preemption', () => {
  // "a" (no quota) runs 6 of lender's 8 GPUs; "b" (no quota) submits 4: it must take 2 from a.
  const scenario = (preemptionStrategies?: string[]) =>
    run({
      config: { fairSharing: { enable: true, ...(preemptionStrategies && { preemptionStrategies }) } },
      objects: [
        flavor,
        ...queue('a', { cohort: 'gpus', flavors: { default: { [GPU]: 0 } } }),
        ...queue('b', {
          cohort: 'gpus',
          flavors: { default: { [GPU]: 0 } },
          preemption: { reclaimWithinCohort: 'Any' },
        }),
        clusterQueue('lender', { cohort: 'gpus', flavors: { default: { [GPU]: 8 } } }),
      ],
      workloads: [workload('a1', 'a', { count: 6, duration: 1000 }), workload('b1', 'b', { count: 4, arrival: 10 })],
    });

  it.each([
    // b's share with b1 is 4/8; a's is 6/8 before and 0 after preemption.
    ['LessThanOrEqualToFinalShare alone refuses (4/8 > 0 after)', ['LessThanOrEqualToFinalShare'], false],
    ['LessThanInitialShare allows (4/8 < 6/8 before)', ['LessThanInitialShare'], true],
    ['the default tries both', undefined, true],
  ])('%s', (_, strategies, preempts) => {
    expect(timeline(scenario(strategies))).toEqual(
      preempts
        ? ['0 Admitted a1', '10 Preempted a1 by b1 (InCohortFairSharing)', '10 Admitted b1', '110 Admitted a1']
        : ['0 Admitted a1', '1000 Admitted b1'],
    );
  });

  it('reclaims nominal quota from the queue with the highest share', () => {
    const result = run({
      config: { fairSharing: { enable: true } },
      objects: [
        flavor,
        ...queue('a', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
        ...queue('b', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
        ...queue('owner', {
          cohort: 'gpus',
          flavors: { default: { [GPU]: 4 } },
          preemption: { reclaimWithinCohort: 'Any' },
        }),
      ],
      workloads: [
        workload('a-big', 'a', { count: 7, duration: 1000 }),
        workload('b-small', 'b', { count: 5, duration: 1000 }),
        workload('mine', 'owner', { count: 2, arrival: 10 }),
      ],
    });
    expect(timeline(result).slice(0, 4)).toEqual([
      // b-small's share (1/12) is below a-big's (3/12), so it is admitted first.
      '0 Admitted b-small',
      '0 Admitted a-big',
      // Within its nominal quota the owner reclaims without the fair-share test (FairSharingPreemptWithinNominal).
      '10 Preempted a-big by mine (InCohortReclamation)',
      '10 Admitted mine',
    ]);
  });
});

describe("the Kueue benchmark's large workload, decided as Kueue's classicalPreemptions decides", () => {
  const file = readKueueCases(join(__dirname, 'cases', 'benchmark_preemption.yaml'));
  it.each(file.cases.map(c => [c.name, c] as const))('%s', (_, c) => {
    expect(runKueueCase(file, c)).toMatchObject(expectedOutcome(file, c));
  });
});
