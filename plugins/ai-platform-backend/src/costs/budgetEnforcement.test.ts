import { BudgetEnforcement } from './budgets';

describe('BudgetEnforcement', () => {
  const status = (team: string, spentMicros: number) => ({
    team,
    month: '2026-12',
    budgetMicros: 100_000_000,
    source: 'config' as const,
    spentMicros,
    forecastMicros: spentMicros,
    spentRatio: spentMicros / 100_000_000,
    forecastRatio: spentMicros / 100_000_000,
  });

  it('a team is over budget once it has spent all of it, under its own policy', () => {
    const budgets = new BudgetEnforcement(new Map([['vision', 'Deprioritize']]));
    const standings = budgets.update([status('vision', 100_000_000), status('speech', 99_000_000)]);
    expect(standings.get('vision')).toEqual({
      policy: 'Deprioritize',
      exceeded: true,
      spent: '100.00 of 100.00 in 2026-12',
    });
    expect(standings.get('speech')).toMatchObject({ policy: 'Warn', exceeded: false });
  });

  it('flags a workload whose projected cost is more than what is left', () => {
    const budgets = new BudgetEnforcement(new Map());
    budgets.update([status('vision', 90_000_000)]);
    expect(budgets.check('vision', 12_000_000)).toMatchObject({
      left: '10.00',
      projectedCost: '12.00',
      exceedsBudget: true,
    });
    expect(budgets.check('vision', 8_000_000)).toMatchObject({ exceedsBudget: false });
    expect(budgets.check('nobody', 8_000_000)).toBeUndefined();
  });
});
