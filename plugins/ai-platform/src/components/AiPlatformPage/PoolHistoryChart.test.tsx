import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { PoolHistoryResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import { PoolHistoryChart, poolSeries } from './PoolHistoryChart';

const history: PoolHistoryResponse = {
  window: { from: '2026-11-23T00:00:00Z', to: '2026-11-23T04:00:00Z' },
  stepHours: 2,
  utilizationKnown: true,
  points: [
    { time: '2026-11-23T00:00:00Z', cluster: 'gpu-west', flavor: 'h100', allocatedGpus: 7.96, utilization: 0.4123 },
    { time: '2026-11-23T02:00:00Z', cluster: 'gpu-west', flavor: 'h100', allocatedGpus: 16, utilization: null },
    { time: '2026-11-23T00:00:00Z', cluster: 'gpu-east', flavor: 'a10g', allocatedGpus: 0, utilization: null },
    { time: '2026-11-23T00:00:00Z', cluster: 'gpu-east', flavor: 'h100', allocatedGpus: 2, utilization: 0.9 },
  ],
};

describe('PoolHistoryChart', () => {
  it('groups the points per pool, in percent, leaving out pools that never had GPUs allocated', () => {
    const series = poolSeries(history);
    expect(series.map(s => `${s.cluster}/${s.flavor}`)).toEqual(['gpu-east/h100', 'gpu-west/h100']);
    expect(series[1].points).toEqual([
      { time: '2026-11-23T00:00:00Z', label: '11-23 00:00', allocated: 8, utilization: 41.2 },
      { time: '2026-11-23T02:00:00Z', label: '11-23 02:00', allocated: 16, utilization: null },
    ]);
    expect(poolSeries(history, 'gpu-west')).toHaveLength(1);
  });

  it('draws a chart per pool, or says none had GPUs allocated', async () => {
    await renderInTestApp(<PoolHistoryChart history={history} />);
    expect(
      screen.getByRole('figure', { name: 'Pool h100 on gpu-east: allocated GPUs and utilization' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'Pool h100 on gpu-west: allocated GPUs and utilization' }),
    ).toBeInTheDocument();
    await renderInTestApp(<PoolHistoryChart history={{ ...history, points: [] }} />);
    expect(screen.getByText('No pool had GPUs allocated in this window.')).toBeInTheDocument();
  });
});
