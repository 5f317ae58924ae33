import {
  clusterQueue,
  cohort,
  GPU,
  Quota,
  queue,
  resourceFlavor,
  run,
  timeline,
  workload,
  workloadResult,
} from '../__testUtils__/builders';

const flavor = resourceFlavor('default');

describe('nominal quota', () => {
  it('admits what fits and holds the rest until quota is released', () => {
    const result = run({
      objects: [flavor, ...queue('team')],
      workloads: [
        workload('first', 'team', { count: 6 }),
        workload('second', 'team', { count: 4, arrival: 1 }),
        workload('third', 'team', { count: 2, arrival: 2 }),
      ],
    });
    expect(timeline(result)).toEqual(['0 Admitted first', '2 Admitted third', '100 Admitted second']);
  });

  it('counts fractional requests exactly', () => {
    const result = run({
      objects: [flavor, ...queue('team', { flavors: { default: { cpu: '1' } } })],
      workloads: [0, 1, 2, 3].map(i => workload(`w${i}`, 'team', { requests: { cpu: '300m' }, arrival: i })),
    });
    expect(timeline(result)).toEqual(['0 Admitted w0', '1 Admitted w1', '2 Admitted w2', '100 Admitted w3']);
  });
});

describe('borrowing from the cohort', () => {
  // "team" (4 GPUs) and "lender" (4 GPUs, idle) share cohort "gpus"; the job needs 6.
  const scenario = (team: Quota, lender: Quota, count = 6) =>
    run({
      objects: [
        flavor,
        ...queue('team', { cohort: 'gpus', flavors: { default: { [GPU]: team } } }),
        clusterQueue('lender', { cohort: 'gpus', flavors: { default: { [GPU]: lender } } }),
      ],
      workloads: [workload('job', 'team', { count })],
    });

  it.each<[string, Quota, Quota]>([
    ['borrows the idle quota of the cohort', 4, 4],
    ['borrows up to a borrowingLimit that covers the need', { nominal: 4, borrowingLimit: 2 }, 4],
    ["borrows up to the lender's lendingLimit", 4, { nominal: 4, lendingLimit: 2 }],
  ])('%s', (_, team, lender) => {
    expect(workloadResult(scenario(team, lender), 'job').admittedAt).toBe(0);
  });

  it.each<[string, Quota, Quota, number]>([
    ['a borrowingLimit below the need', { nominal: 4, borrowingLimit: 1 }, 4, 5],
    ["the lender's lendingLimit", 4, { nominal: 4, lendingLimit: 1 }, 5],
    ['a borrowingLimit of zero', { nominal: 4, borrowingLimit: 0 }, 4, 4],
  ])('refuses beyond %s with ExceedsQueueMaximum', (_, team, lender, atMost) => {
    const job = workloadResult(scenario(team, lender), 'job');
    expect(job.admittedAt).toBeUndefined();
    expect(job.pendingReason).toEqual({
      code: 'ExceedsQueueMaximum',
      message: expect.stringContaining(`requested 6, at most ${atMost}`),
      shortfall: [{ flavor: 'default', resource: GPU, requested: 6, available: atMost }],
    });
  });

  it('keeps the part of the quota above the lendingLimit for its own queue', () => {
    // team borrows the 2 GPUs lender may lend; lender's other 2 stay available to lender at once.
    const result = run({
      objects: [
        flavor,
        ...queue('team', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
        ...queue('lender', { cohort: 'gpus', flavors: { default: { [GPU]: { nominal: 4, lendingLimit: 2 } } } }),
      ],
      workloads: [
        workload('borrower', 'team', { count: 6, duration: 1000 }),
        workload('small', 'lender', { count: 2, arrival: 10 }),
        workload('large', 'lender', { count: 3, arrival: 20 }),
      ],
    });
    expect(timeline(result)).toEqual(['0 Admitted borrower', '10 Admitted small', '1000 Admitted large']);
  });
});

describe('admission order within a cycle', () => {
  it('admits a workload within nominal quota before a higher-priority one that would borrow', () => {
    const result = run({
      objects: [
        flavor,
        ...queue('borrower', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
        ...queue('owner', { cohort: 'gpus', flavors: { default: { [GPU]: 4 } } }),
      ],
      workloads: [workload('big', 'borrower', { count: 6, priority: 100 }), workload('own', 'owner', { count: 4 })],
    });
    expect(timeline(result)).toEqual(['0 Admitted own', '100 Admitted big']);
  });
});

describe('hierarchical cohorts', () => {
  // org (own quota) <- research (no quota) <- team (2 GPUs); sibling queue "ops" (2 GPUs) sits directly under org.
  const scenario = (orgQuota: number | undefined, count: number) =>
    run({
      objects: [
        flavor,
        cohort('org', orgQuota === undefined ? {} : { flavors: { default: { [GPU]: orgQuota } } }),
        cohort('research', { parent: 'org' }),
        ...queue('team', {
          cohort: 'research',
          apiVersion: 'kueue.x-k8s.io/v1beta2',
          flavors: { default: { [GPU]: 2 } },
        }),
        clusterQueue('ops', { cohort: 'org', flavors: { default: { [GPU]: 2 } } }),
      ],
      workloads: [workload('job', 'team', { count })],
    });

  it.each([
    ['borrows from a sibling through the parent cohort', undefined, 4],
    ["uses the parent cohort's own quota", 4, 8],
  ])('%s', (_, orgQuota, count) => {
    expect(workloadResult(scenario(orgQuota, count), 'job').admittedAt).toBe(0);
  });

  it.each([
    ['without the parent cohort quota', undefined, 5, 4],
    ['beyond everything the tree holds', 4, 9, 8],
  ])('refuses %s', (_, orgQuota, count, atMost) => {
    expect(workloadResult(scenario(orgQuota, count), 'job').pendingReason).toMatchObject({
      code: 'ExceedsQueueMaximum',
      shortfall: [{ requested: count, available: atMost }],
    });
  });
});
