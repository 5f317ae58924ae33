import { dailyCost, groupTotals, maxSeries, otherSeries, seriesKeys } from './costData';
import type { AllocationResponse, ShowbackResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import costFixtures from './__fixtures__/costs.json';

const teamAllocation = costFixtures.teamAllocation as AllocationResponse;
const teamShowback = costFixtures.teamShowback as ShowbackResponse;

describe('cost data', () => {
  it('sums each group over the window and joins efficiency and idle cost from allocation', () => {
    expect(groupTotals(teamShowback, teamAllocation)).toEqual([
      { key: 'ml-research', gpuHours: 120, costMicros: 480_000_000, gpuEfficiency: 0.75, idleCostMicros: 120_000_000 },
      { key: 'llm-serving', gpuHours: 96, costMicros: 192_000_000, gpuEfficiency: 0.5, idleCostMicros: 96_000_000 },
    ]);
  });

  it('leaves efficiency unknown when allocation has no utilization', () => {
    const totals = groupTotals(teamShowback, { ...teamAllocation, utilizationKnown: false });
    expect(totals.map(t => [t.gpuEfficiency, t.idleCostMicros])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('has a point for every day of the window, zero on days without use', () => {
    const keys = seriesKeys(groupTotals(teamShowback));
    expect(dailyCost(teamShowback, keys)).toEqual([
      { day: '2026-11-20', 'ml-research': 384, 'llm-serving': 96 },
      { day: '2026-11-21', 'ml-research': 0, 'llm-serving': 0 },
      { day: '2026-11-22', 'ml-research': 96, 'llm-serving': 96 },
    ]);
  });

  it('folds the cheapest groups into "other" beyond the series limit', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({
      day: '2026-11-20',
      key: `ns-${i}`,
      gpuHours: 1,
      costMicros: (i + 1) * 1_000_000,
      cost: '',
    }));
    const showback = { ...teamShowback, rows };
    const keys = seriesKeys(groupTotals(showback));
    expect(keys).toHaveLength(maxSeries);
    expect(keys[0]).toBe('ns-11');
    expect(keys[maxSeries - 1]).toBe(otherSeries);
    const [first] = dailyCost(showback, keys);
    // ns-0..ns-4 cost 1+2+3+4+5.
    expect(first[otherSeries]).toBe(15);
  });
});
