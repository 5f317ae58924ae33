import { teamQuota } from './teamQuota';
import type { QueueListResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import teamFixtures from './__fixtures__/team.json';

const queues = teamFixtures.queues as QueueListResponse;

describe('teamQuota', () => {
  it('lists the GPU quota of the ClusterQueues the team’s LocalQueues point at', () => {
    const rows = teamQuota(queues, 'ml-research');
    expect(rows.map(r => [r.cluster, r.clusterQueue, r.flavor, r.resource, r.nominal, r.used, r.borrowed])).toEqual([
      ['gpu-east', 'research-a100', 'a100', 'nvidia.com/gpu', 8, 2, 0],
      ['gpu-west', 'research', 'h100', 'nvidia.com/gpu', 16, 10, 0],
    ]);
  });

  it('attributes what others in the cohort borrow to the queue that has idle quota to lend', () => {
    const [, research] = teamQuota(queues, 'ml-research');
    expect(research.lent).toBe(4);
  });

  it('lends nothing outside a cohort, and nothing from the queue that borrows', () => {
    expect(teamQuota(queues, 'ml-research')[0].lent).toBe(0);
    const [serving] = teamQuota(queues, 'llm-serving');
    expect(serving).toMatchObject({ borrowed: 4, lent: 0 });
  });

  it('splits cohort borrowing between lenders by their lendable idle quota, within lending limits', () => {
    const lender = (name: string, team: string, lendingLimit?: number) => ({
      ...queues.clusterQueues[0],
      name,
      localQueues: [{ namespace: team, name, team }],
      resources: [{ flavor: 'h100', resource: 'nvidia.com/gpu', nominal: 8, used: 0, borrowed: 0, lendingLimit }],
    });
    const borrower = {
      ...queues.clusterQueues[1],
      resources: [{ flavor: 'h100', resource: 'nvidia.com/gpu', nominal: 0, used: 6, borrowed: 6 }],
    };
    const cohort = { cohorts: [], clusterQueues: [lender('a', 'team-a'), lender('b', 'team-b', 4), borrower] };
    // a may lend 8, b only 4: 6 borrowed GPUs split 4 : 2.
    expect(teamQuota(cohort, 'team-a')[0].lent).toBe(4);
    expect(teamQuota(cohort, 'team-b')[0].lent).toBe(2);
  });

  it('has no rows for a team without LocalQueues', () => {
    expect(teamQuota(queues, 'nobody')).toEqual([]);
  });
});
