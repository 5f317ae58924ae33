import { screen, within } from '@testing-library/react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { aiPlatformApiRef, type AiPlatformApi } from '../../api/AiPlatformApi';
import { pendingWorkload } from '../../testing/workloads';
import type { BudgetsResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import teamFixtures from '../TeamCard/__fixtures__/team.json';
import { MyTeamsCard } from './MyTeamsCard';

const budgets = teamFixtures.budgets as BudgetsResponse;

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

const workloads = [
  pendingWorkload(1, { team: 'ml-research', name: 'later', eta: inMinutes(110) }),
  pendingWorkload(2, { team: 'ml-research', name: 'sooner', eta: inMinutes(20) }),
  pendingWorkload(3, { team: 'ml-research', name: 'training', state: 'Running' }),
  pendingWorkload(4, { team: 'agents', name: 'not-mine', state: 'Running' }),
];

function render(teams: string[], api: Partial<AiPlatformApi> = {}) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          aiPlatformApiRef,
          {
            budgets: async () => budgets,
            listWorkloads: async () => ({ items: workloads, total: workloads.length }),
            ...api,
          },
        ],
        [identityApiRef, mockApis.identity({ userEntityRef: 'user:default/ada', ownershipEntityRefs: teams })],
      ]}
    >
      <MyTeamsCard />
    </TestApiProvider>,
  );
}

describe("My teams' GPU work", () => {
  it("shows each of the user's teams: spend against budget, what runs and what waits, soonest first", async () => {
    await render(['user:default/ada', 'group:default/ml-research', 'group:default/data-eng']);
    const team = await screen.findByRole('region', { name: 'Team ml-research' });
    expect(within(team).getByRole('meter', { name: /^Budget / })).toBeInTheDocument();
    expect(await within(team).findByText('1 running · 2 waiting')).toBeInTheDocument();
    const waiting = within(team)
      .getAllByRole('listitem')
      .map(li => li.textContent);
    expect(waiting[0]).toMatch(/sooner starts in 20 min/);
    expect(waiting[1]).toMatch(/later starts in 2 h/);
    expect(screen.queryByText(/not-mine/)).not.toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Team data-eng' })).toHaveTextContent(
      'No GPU budget is set for data-eng',
    );
  });

  it('tells a user in no team what to do', async () => {
    await render(['user:default/ada']);
    expect(await screen.findByText(/You are in no team/)).toBeInTheDocument();
  });

  it('says what failed when the budgets cannot be loaded', async () => {
    await render(['group:default/ml-research'], {
      budgets: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { statusCode: 503 })),
    });
    expect(
      await screen.findByText(/Could not load your teams' budgets from the AI platform backend: connect ECONNREFUSED/),
    ).toBeInTheDocument();
    expect(screen.getByText(/retry in a moment/)).toBeInTheDocument();
  });
});
