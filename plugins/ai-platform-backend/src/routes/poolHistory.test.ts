import type { AllocationResponse, ShowbackResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { CostQuery } from '../services/CostService';
import { poolHistory } from './poolHistory';

const now = Date.parse('2026-11-23T05:30:00Z');

function showbackOf(rows: Array<{ hour: string; key: string; gpuHours: number }>): ShowbackResponse {
  return {
    currency: 'USD',
    window: { from: '', to: '' },
    aggregate: 'flavor',
    step: '1h',
    rows: rows.map(r => ({ ...r, day: r.hour.slice(0, 10), costMicros: 0, cost: '0' })),
    totalCostMicros: 0,
  };
}

const allocationOf = (data: Record<string, number | null>, known = true): AllocationResponse => ({
  code: 200,
  currency: 'USD',
  utilizationKnown: known,
  shareIdle: false,
  data: [
    Object.fromEntries(
      Object.entries(data).map(([name, gpuEfficiency]) => [
        name,
        { name, gpuHours: 1, gpuCost: 0, gpuEfficiency, idleCost: null, totalCost: 0 },
      ]),
    ),
  ],
});

describe('poolHistory', () => {
  it('averages allocated GPUs per step (the step under way up to now) and takes utilization per step', async () => {
    const allocationWindows: string[] = [];
    const costs = {
      showback: jest.fn(async (q: CostQuery) =>
        q.aggregate === 'cluster'
          ? showbackOf([{ hour: '2026-11-23T01:00:00Z', key: 'gpu-east', gpuHours: 1 }])
          : showbackOf([
              { hour: '2026-11-23T00:00:00Z', key: 'h100', gpuHours: 8 },
              { hour: '2026-11-23T01:00:00Z', key: 'h100', gpuHours: 8 },
              { hour: '2026-11-23T04:00:00Z', key: 'h100', gpuHours: 4 },
              { hour: '2026-11-23T05:00:00Z', key: 'h100', gpuHours: 2 },
            ]),
      ),
      allocation: jest.fn(async (q: CostQuery) => {
        allocationWindows.push(q.window!);
        return allocationOf({ h100: q.window!.startsWith('2026-11-23T04') ? 0.5 : 0.25 });
      }),
    };
    const body = await poolHistory(costs, undefined, { window: '6h', now });
    // 6 h in 1 h steps ending at the next full hour: 00:00 to 06:00.
    expect(body.window).toEqual({ from: '2026-11-23T00:00:00.000Z', to: '2026-11-23T05:30:00.000Z' });
    expect(body.stepHours).toBe(1);
    expect(body.utilizationKnown).toBe(true);
    expect(body.points.map(p => [p.time.slice(11, 16), p.allocatedGpus, p.utilization])).toEqual([
      ['00:00', 8, 0.25],
      ['01:00', 8, 0.25],
      ['02:00', 0, 0.25],
      ['03:00', 0, 0.25],
      ['04:00', 4, 0.5],
      // 2 GPU-hours in the half hour so far: 4 GPUs.
      ['05:00', 4, 0.25],
    ]);
    expect(body.points.every(p => p.cluster === 'gpu-east' && p.flavor === 'h100')).toBe(true);
    expect(allocationWindows).toContain('2026-11-23T04:00:00.000Z,2026-11-23T05:00:00.000Z');
    expect(costs.showback).toHaveBeenCalledWith(
      expect.objectContaining({ aggregate: 'flavor', filter: { cluster: 'gpu-east' }, step: '1h' }),
      undefined,
    );
  });

  it('reports utilization as unknown without DCGM metrics, and asks only for the cluster named', async () => {
    const costs = {
      showback: jest.fn(async () => showbackOf([{ hour: '2026-11-23T04:00:00Z', key: 'a10g', gpuHours: 2 }])),
      allocation: jest.fn(async () => allocationOf({ a10g: null }, false)),
    };
    const teams = new Set(['ml-research']);
    const body = await poolHistory(costs, teams, { window: '24h', cluster: 'gpu-west', now });
    expect(body.stepHours).toBe(2);
    expect(body.utilizationKnown).toBe(false);
    expect(body.points.every(p => p.utilization === null && p.cluster === 'gpu-west')).toBe(true);
    expect(costs.showback).toHaveBeenCalledTimes(1);
    // The cost service decides what these teams may see.
    expect(costs.allocation.mock.calls.every(c => (c as unknown[])[1] === teams)).toBe(true);
  });
});
