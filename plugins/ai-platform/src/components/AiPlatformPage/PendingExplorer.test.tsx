import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { PendingExplorer } from './PendingExplorer';
import { pendingWorkload } from '../../testing/workloads';

describe('PendingExplorer', () => {
  // jsdom has no layout; give the scroll area the size a browser would.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 480 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
  });
  afterAll(() => {
    // The stubs shadow Element.prototype's getters; removing them restores jsdom's.
    Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
    Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  });

  const workloads = Array.from({ length: 10_000 }, (_, i) => pendingWorkload(i));

  it('renders 10,000 pending workloads as a window of rows, not 10,000 DOM rows', async () => {
    await renderInTestApp(<PendingExplorer workloads={workloads} />);
    expect(screen.getByText('10000 of 10000 pending')).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'Pending workloads' })).getAllByRole('row');
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.length).toBeLessThan(60);
    expect(screen.getByText('llm-serving/train-0')).toBeInTheDocument();
  });

  it('filters by search text and by reason, and links each reason to its runbook', async () => {
    await renderInTestApp(<PendingExplorer workloads={workloads.slice(0, 50)} />);
    await userEvent.selectOptions(screen.getByLabelText('Reason'), 'QuotaExhausted');
    expect(screen.getByText('25 of 50 pending')).toBeInTheDocument();
    await userEvent.type(screen.getByRole('searchbox'), 'train-13');
    expect(screen.getByText('1 of 50 pending')).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'Runbook for QuotaExhausted' });
    expect(link.getAttribute('href')).toContain(
      '/docs/default/component/ai-platform-runbooks/runbooks/QuotaExhausted/',
    );
  });

  it('sorts by GPUs when the column header is clicked', async () => {
    const mixed = [pendingWorkload(0, { gpus: 2, name: 'small' }), pendingWorkload(1, { gpus: 64, name: 'huge' })];
    await renderInTestApp(<PendingExplorer workloads={mixed} />);
    await userEvent.click(screen.getByRole('button', { name: 'GPUs' }));
    const cells = screen
      .getAllByRole('row')
      .slice(1)
      .map(r => r.textContent);
    expect(cells[0]).toContain('huge');
  });
});
