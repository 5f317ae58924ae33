import { cloneElement, type ReactElement } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { aiPlatformApiRef, type AiPlatformApi, type CostQuery } from '../../api/AiPlatformApi';
import { CostExplorer } from './CostExplorer';
import type {
  AllocationResponse,
  BudgetsResponse,
  ShowbackResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import costFixtures from './__fixtures__/costs.json';

const flavorShowback = costFixtures.flavorShowback as ShowbackResponse;
const productShowback = costFixtures.productShowback as ShowbackResponse;
const teamAllocation = costFixtures.teamAllocation as AllocationResponse;
const teamBudgets = costFixtures.teamBudgets as BudgetsResponse;
const teamShowback = costFixtures.teamShowback as ShowbackResponse;

/** The window the explorer asks for: the last `days` days, ending at the minute of the request, so all its views agree. */
const lastDays = (days: number) => ({
  asymmetricMatch: (window: string) => {
    const [from, to] = window.split(',').map(Date.parse);
    return to - from === days * 86_400_000 && Math.abs(Date.now() - to) < 120_000;
  },
  toString: () => `the last ${days} days`,
});

// jsdom has no layout, so ResponsiveContainer would measure 0 × 0 and draw nothing; the chart test gives charts a browser's width.
let mockChartWidth = 0;
jest.mock('recharts', () => {
  const actual = jest.requireActual('recharts');
  return {
    ...actual,
    ResponsiveContainer: ({ children, height }: { children: ReactElement; height: number }) =>
      mockChartWidth ? cloneElement(children, { width: mockChartWidth, height }) : null,
  };
});

// The machine running tests is shared; react-aria's select and recharts are slow under load.
jest.setTimeout(20_000);

const byAggregate = { flavor: flavorShowback, gpu_product: productShowback };

function mockApi(overrides: Partial<AiPlatformApi> = {}) {
  return {
    showback: jest.fn(async (q?: CostQuery) => byAggregate[q?.aggregate as keyof typeof byAggregate] ?? teamShowback),
    allocation: jest.fn(async () => teamAllocation),
    budgets: jest.fn(async () => teamBudgets),
    showbackCsv: jest.fn(async () => 'day,team,gpu_hours,cost_usd\n2026-11-20,ml-research,96,384.00\n'),
    ...overrides,
  };
}

const renderExplorer = (api: Partial<AiPlatformApi>) =>
  renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <CostExplorer />
    </TestApiProvider>,
  );

describe('CostExplorer', () => {
  afterEach(() => {
    mockChartWidth = 0;
  });

  it('shows cost per group with GPU-hours, efficiency and idle cost in the table', async () => {
    const api = mockApi();
    await renderExplorer(api);
    const table = await screen.findByRole('grid', { name: 'Cost by Team' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(r => Array.from((r as HTMLTableRowElement).cells, c => c.textContent));
    expect(rows).toEqual([
      ['ml-research', '120', '$480.00', '75 %', '$120.00'],
      ['llm-serving', '96', '$192.00', '50 %', '$96.00'],
    ]);
    expect(screen.getByLabelText('Total cost')).toHaveTextContent('Total $672.00 from 2026-11-20 to 2026-11-23');
    expect(api.showback).toHaveBeenCalledWith({ window: lastDays(30), aggregate: 'team', team: undefined });
    expect(api.allocation).toHaveBeenCalledWith({ window: lastDays(30), aggregate: 'team', team: undefined });
  });

  it('draws the stacked daily chart per group and the flavor bars from the responses', async () => {
    mockChartWidth = 800;
    await renderExplorer(mockApi());
    const daily = await screen.findByRole('figure', { name: 'Cost per day by group' });
    expect(daily.querySelectorAll('.recharts-area')).toHaveLength(2);
    expect(within(daily).getByText('2026-11-21')).toBeInTheDocument();
    expect(within(daily).getByText('ml-research')).toBeInTheDocument();
    const flavors = screen.getByRole('figure', { name: 'Cost by flavor' });
    expect(within(flavors).getByText('h100')).toBeInTheDocument();
    expect(within(flavors).getByText('a100')).toBeInTheDocument();
    expect(flavors.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(2);
  });

  it('shows spend by flavor and by GPU product, each adding up to the window total', async () => {
    mockChartWidth = 800;
    await renderExplorer(mockApi());
    const products = await screen.findByRole('figure', { name: 'Cost by GPU product' });
    expect(within(products).getByText('NVIDIA-A100-SXM4-80GB')).toBeInTheDocument();
    expect(screen.getAllByText('Total $672.00')).toHaveLength(3);
    expect(screen.queryByText(/This view adds up to/)).not.toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'Budget burn-down ml-research' })).toHaveTextContent(
      'ml-research: $120.00 of $600.00 left; month-end forecast -$120.00 left',
    );
  });

  it('says so when a view does not add up to the window total', async () => {
    const short = { ...flavorShowback, rows: flavorShowback.rows.slice(1) };
    await renderExplorer(
      mockApi({
        showback: async q => {
          if (q?.aggregate === 'flavor') return short;
          return q?.aggregate === 'team' ? teamShowback : productShowback;
        },
      }),
    );
    expect(await screen.findByText(/This view adds up to \$288.00, not the window's \$672.00/)).toBeInTheDocument();
  });

  it('reloads for another window and grouping', async () => {
    const api = mockApi();
    await renderExplorer(api);
    await screen.findByRole('grid', { name: 'Cost by Team' });
    await userEvent.click(screen.getByRole('radio', { name: '7 days' }));
    await waitFor(() =>
      expect(api.showback).toHaveBeenCalledWith({ window: lastDays(7), aggregate: 'team', team: undefined }),
    );
    await userEvent.click(screen.getByRole('button', { name: /Group by/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Namespace' }));
    await waitFor(() =>
      expect(api.showback).toHaveBeenCalledWith({ window: lastDays(7), aggregate: 'namespace', team: undefined }),
    );
  });

  it('downloads the CSV as showback-<aggregate>-<window>.csv', async () => {
    const api = mockApi();
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:showback');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        clicked.push(this);
      });
    await renderExplorer(api);
    await screen.findByRole('grid', { name: 'Cost by Team' });
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(api.showbackCsv).toHaveBeenCalledWith({ window: '30d', aggregate: 'team', team: undefined });
    expect(clicked[0].download).toBe('showback-team-30d.csv');
    expect(clicked[0].href).toBe('blob:showback');
    const blob = createObjectURL.mock.calls[0][0];
    expect(blob.type).toBe('text/csv');
    expect(await blob.text()).toContain('2026-11-20,ml-research,96,384.00');
    await waitFor(() => expect(revokeObjectURL).toHaveBeenCalledWith('blob:showback'));
    click.mockRestore();
  });

  it('names the CSV after the chosen grouping and window, and filters by the team typed in', async () => {
    const api = mockApi();
    Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} });
    const names: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        names.push(this.download);
      });
    await renderExplorer(api);
    await screen.findByRole('grid', { name: 'Cost by Team' });
    await userEvent.click(screen.getByRole('radio', { name: '90 days' }));
    await userEvent.click(screen.getByRole('button', { name: /Group by/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'GPU product' }));
    await userEvent.type(screen.getByRole('textbox', { name: /Team/ }), 'ml-research{Enter}');
    await waitFor(() =>
      expect(api.showback).toHaveBeenCalledWith({
        window: lastDays(90),
        aggregate: 'gpu_product',
        team: 'ml-research',
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));
    await waitFor(() => expect(names).toEqual(['showback-gpu_product-90d.csv']));
    expect(api.showbackCsv).toHaveBeenCalledWith({ window: '90d', aggregate: 'gpu_product', team: 'ml-research' });
    click.mockRestore();
  });

  it('says when the CSV could not be downloaded', async () => {
    await renderExplorer(mockApi({ showbackCsv: async () => Promise.reject(new Error('backend down')) }));
    await screen.findByRole('grid', { name: 'Cost by Team' });
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));
    expect(await screen.findByText('The CSV could not be downloaded: backend down')).toBeInTheDocument();
  });

  it('says efficiency is unknown when allocation has no utilization, and still shows costs', async () => {
    await renderExplorer(mockApi({ allocation: async () => ({ ...teamAllocation, utilizationKnown: false }) }));
    // Both the used/idle chart and the table say why they have no efficiency.
    expect(await screen.findAllByText(/GPU efficiency is unknown/)).toHaveLength(2);
    expect(screen.getByRole('grid', { name: 'Cost by Team' })).toHaveTextContent('$480.00');
  });

  it('shows an empty state when nothing was spent', async () => {
    await renderExplorer(mockApi({ showback: async () => ({ ...teamShowback, rows: [], totalCostMicros: 0 }) }));
    expect(await screen.findByText(/No GPU cost recorded in the last 30d/)).toBeInTheDocument();
  });

  it('shows the backend error with a retry', async () => {
    await renderExplorer(
      mockApi({ showback: async () => Promise.reject(new Error('Grouping by namespace needs filter.team set')) }),
    );
    expect(await screen.findByText(/Grouping by namespace needs filter.team set/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
