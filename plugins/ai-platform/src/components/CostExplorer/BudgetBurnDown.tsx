import { CartesianGrid, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Flex, Text } from '@backstage/ui';
import type { BudgetsResponse, ShowbackResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import { formatAmount, formatMicros } from '../common/format';
import { burnDown } from './burnDown';
import { actualAndForecastLines, seriesColors } from './CostCharts';

const tick = { fill: 'var(--bui-fg-secondary, #666)', fontSize: 12 };

/** One burn-down chart per team with a budget: budget left after each day, and the forecast to month end. */
export function BudgetBurnDowns({ budgets, month }: { budgets: BudgetsResponse; month: ShowbackResponse }) {
  if (budgets.items.length === 0)
    return <Text>No team has a GPU budget. Set monthly budgets under aiPlatform.budgets in app-config.</Text>;
  const today = month.window.to.slice(0, 10);
  const money = (v: number) => formatAmount(v, budgets.currency, { compact: true });
  return (
    <Flex gap="4" style={{ flexWrap: 'wrap' }}>
      {budgets.items.map(b => {
        const summary = `${b.team}: ${formatMicros(b.budgetMicros - b.spentMicros, budgets.currency)} of ${formatMicros(
          b.budgetMicros,
          budgets.currency,
        )} left; month-end forecast ${formatMicros(b.budgetMicros - b.forecastMicros, budgets.currency)} left`;
        return (
          <figure key={b.team} aria-label={`Budget burn-down ${b.team}`} style={{ margin: 0, flex: 1, minWidth: 260 }}>
            <Text as="p" variant="body-small">
              {summary}
            </Text>
            <ResponsiveContainer width="100%" height={180}>
              <LineChart data={burnDown(b, month.rows, today)} margin={{ left: 8, right: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--bui-border-1, #ccc)" />
                <XAxis dataKey="day" tick={tick} tickFormatter={(d: string) => d.slice(8)} />
                <YAxis tick={tick} tickFormatter={money} width={72} />
                <Tooltip formatter={(v: number) => money(v)} />
                <ReferenceLine y={0} stroke={seriesColors[2]} strokeDasharray="4 2" />
                {actualAndForecastLines({ key: 'left', name: 'Left' }, { key: 'forecast', name: 'Forecast' })}
              </LineChart>
            </ResponsiveContainer>
          </figure>
        );
      })}
    </Flex>
  );
}
