import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { aiPlatformApiRef, type AiPlatformApi } from '../../api/AiPlatformApi';
import { TeamCard } from './TeamCard';
import type {
  AllocationResponse,
  BudgetsResponse,
  QueueListResponse,
  ShowbackResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import teamFixtures from './__fixtures__/team.json';

const budgets = teamFixtures.budgets as BudgetsResponse;
const queues = teamFixtures.queues as QueueListResponse;
const teamEntity = teamFixtures.teamEntity;
const workloadAllocation = teamFixtures.workloadAllocation as AllocationResponse;
const workloadShowback = teamFixtures.workloadShowback as ShowbackResponse;

function mockApi(overrides: Partial<AiPlatformApi> = {}) {
  return {
    listQueues: jest.fn(async () => queues),
    budgets: jest.fn(async () => budgets),
    showback: jest.fn(async () => workloadShowback),
    allocation: jest.fn(async () => workloadAllocation),
    ...overrides,
  };
}

const renderCard = (api: Partial<AiPlatformApi>) =>
  renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <EntityProvider entity={teamEntity}>
        <TeamCard />
      </EntityProvider>
    </TestApiProvider>,
  );

const items = (list: HTMLElement) =>
  within(list)
    .getAllByRole('listitem')
    .map(li => li.textContent);

describe('TeamCard', () => {
  it('shows spend against budget with the month-end forecast and warns before it is exceeded', async () => {
    const api = mockApi();
    await renderCard(api);
    const meter = await screen.findByRole('meter', { name: 'Budget 2026-11' });
    expect(meter).toHaveAttribute('aria-valuenow', '6000000000');
    expect(meter).toHaveAttribute(
      'aria-valuetext',
      'Spent $6,000.00 of $10,000.00 (60 %); month-end forecast $11,500.00 (115 %)',
    );
    expect(screen.getByText(/exceed its budget by \$1,500.00/)).toBeInTheDocument();
    // The card asks for its own team's budget only.
    expect(api.budgets).toHaveBeenCalledWith({ team: teamEntity.metadata.name });
  });

  it('shows the team’s GPU quota per flavor: nominal, in use, borrowed and lent', async () => {
    await renderCard(mockApi());
    const table = await screen.findByRole('grid', { name: 'GPU quota per flavor' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(r => Array.from((r as HTMLTableRowElement).cells, c => c.textContent));
    expect(rows).toEqual([
      ['research-a100 (gpu-east)', 'a100 gpu', '8', '2', '0', '—'],
      ['research (gpu-west)', 'h100 gpu', '16', '10', '0', '4'],
    ]);
  });

  it('lists the five costliest and the most idle workloads of the team, and its GPU efficiency', async () => {
    const api = mockApi();
    await renderCard(api);
    const byCost = await screen.findByRole('list', { name: 'Top workloads by cost' });
    expect(items(byCost)).toEqual([
      'train-llama: $2,000.00 (500 GPU-hours)',
      'finetune-a: $800.00 (200 GPU-hours)',
      'eval-nightly: $400.00 (100 GPU-hours)',
      'notebook-jo: $320.00 (80 GPU-hours)',
      'sweep-42: $200.00 (50 GPU-hours)',
    ]);
    expect(items(screen.getByRole('list', { name: 'Top workloads by idle cost' }))).toEqual([
      'notebook-jo: $304.00 (5 % efficient)',
      'finetune-a: $240.00 (70 % efficient)',
      'train-llama: $200.00 (90 % efficient)',
    ]);
    // (500·0.9 + 200·0.7 + 80·0.05) / 780 GPU-hours.
    expect(screen.getByRole('region', { name: 'GPU efficiency' })).toHaveTextContent(
      '76 % of allocated GPU time used in the last 30 days',
    );
    expect(api.showback).toHaveBeenCalledWith({ window: '30d', aggregate: 'workload', team: 'ml-research' });
    expect(api.allocation).toHaveBeenCalledWith({ window: '30d', aggregate: 'workload', team: 'ml-research' });
  });

  it('says efficiency is unknown and leaves out the idle list without utilization', async () => {
    await renderCard(mockApi({ allocation: async () => ({ ...workloadAllocation, utilizationKnown: false }) }));
    expect(await screen.findByText(/GPU efficiency is unknown/)).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Top workloads by idle cost' })).not.toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Top workloads by cost' })).toBeInTheDocument();
  });

  it('says when the team has no budget and no queues', async () => {
    await renderCard(
      mockApi({
        budgets: async () => ({ currency: 'USD', items: [] }),
        listQueues: async () => ({ clusterQueues: [], cohorts: [] }),
      }),
    );
    expect(await screen.findByText(/No GPU budget is set for ml-research/)).toBeInTheDocument();
    expect(await screen.findByText(/No LocalQueue is labelled with team ml-research/)).toBeInTheDocument();
  });

  it('shows a section’s backend error with a retry and keeps the others', async () => {
    await renderCard(mockApi({ budgets: async () => Promise.reject(new Error('budgets unavailable')) }));
    expect(await screen.findByText(/budgets unavailable/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(await screen.findByRole('grid', { name: 'GPU quota per flavor' })).toBeInTheDocument();
  });
});
