import type { BudgetStatus } from '@ai-platform/backstage-plugin-ai-platform-common';
import { burnDown } from './burnDown';

const budget: BudgetStatus = {
  team: 'ml-research',
  month: '2026-11',
  budgetMicros: 3_000_000_000,
  spentMicros: 1_000_000_000,
  forecastMicros: 3_600_000_000,
  spentRatio: 1 / 3,
  forecastRatio: 1.2,
};
const row = (day: string, key: string, costMicros: number) => ({ day, key, gpuHours: 1, costMicros, cost: '' });

describe('budget burn-down', () => {
  it("subtracts each day's spend of the team from its budget, up to today", () => {
    const points = burnDown(
      budget,
      [
        row('2026-11-01', 'ml-research', 400_000_000),
        row('2026-11-02', 'ml-research', 600_000_000),
        row('2026-11-02', 'agents', 9e9),
      ],
      '2026-11-10',
    );
    expect(points).toHaveLength(30);
    expect(points[0]).toEqual({ day: '2026-11-01', left: 2600 });
    expect(points[1].left).toBe(2000);
    expect(points[9].left).toBe(2000);
    expect(points[10].left).toBeUndefined();
  });

  it('draws the forecast from today to a month-end figure of budget minus forecast spend', () => {
    const points = burnDown(budget, [row('2026-11-01', 'ml-research', 1_000_000_000)], '2026-11-10');
    expect(points[9].forecast).toBe(2000);
    expect(points[29].forecast).toBeCloseTo(-600, 6);
    expect(points[5].forecast).toBeUndefined();
  });
});
