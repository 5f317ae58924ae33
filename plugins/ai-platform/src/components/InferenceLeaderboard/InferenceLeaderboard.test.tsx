import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { aiPlatformApiRef, type AiPlatformApi } from '../../api/AiPlatformApi';
import { InferenceLeaderboard } from './InferenceLeaderboard';
import { inferenceResponse } from './fixtures';

const render = (inferenceEfficiency: AiPlatformApi['inferenceEfficiency']) =>
  renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, { inferenceEfficiency }]]}>
      <InferenceLeaderboard />
    </TestApiProvider>,
  );

const cellsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => Array.from((r as HTMLTableRowElement).cells, c => c.textContent));

describe('InferenceLeaderboard', () => {
  it('ranks services by tokens per second per dollar, with cost per million tokens, tokens, GPU-hours and team', async () => {
    const load = jest.fn(async () => inferenceResponse);
    await render(load);
    const table = await screen.findByRole('grid', { name: 'Inference services by tokens per second per dollar' });
    expect(cellsOf(table)).toEqual([
      ['1', 'chat/mistral-7b (gpu-west)', 'chat', '281.9', '$0.84', '800M generated · 1B prompt', '336', '$672.00'],
      [
        '2',
        'llm-serving/llama-70b (gpu-west)',
        'llm-serving',
        '62.5',
        '$4.48',
        '1.2B generated · 3.4B prompt',
        '1,344',
        '$5,376.00',
      ],
      ['3', 'search/embedder (gpu-east)', '—', '—', '—', '0 generated · 900M prompt', '168', '$336.00'],
    ]);
    expect(load).toHaveBeenCalledWith({ window: '7d', team: undefined });
    await userEvent.click(screen.getByRole('radio', { name: '30 days' }));
    await waitFor(() => expect(load).toHaveBeenCalledWith({ window: '30d', team: undefined }));
  });

  it('says token counts are unknown when Prometheus did not answer', async () => {
    await render(async () => ({ ...inferenceResponse, tokensKnown: false, items: [] }));
    expect(await screen.findByText(/Token counts unknown/)).toBeInTheDocument();
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
  });

  it('says the ranking is not available when the backend has no inference route (404)', async () => {
    await render(async () =>
      Promise.reject(
        Object.assign(new Error('Request failed with 404 Not Found'), { name: 'ResponseError', statusCode: 404 }),
      ),
    );
    expect(await screen.findByText(/no \/costs\/inference route yet/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });

  it('shows an empty state when no service served tokens', async () => {
    await render(async () => ({ ...inferenceResponse, items: [] }));
    expect(await screen.findByText('No inference services served tokens in the last 7d.')).toBeInTheDocument();
  });

  it('shows other backend errors with a retry', async () => {
    await render(async () =>
      Promise.reject(Object.assign(new Error('filter.team=x is not one of your teams'), { statusCode: 403 })),
    );
    expect(await screen.findByText(/filter.team=x is not one of your teams/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
