import { Flex, Text } from '@backstage/ui';
import type { BudgetStatus } from '@ai-platform/backstage-plugin-ai-platform-common';
import { formatMicros, formatShare } from '../common/format';

const colors = {
  spent: '#4e79a7',
  forecast: '#a0cbe8',
  over: '#e15759',
  budget: 'var(--bui-fg-primary, #222)',
  track: 'var(--bui-bg-neutral-2, #e0e0e0)',
};

/** Spend this month against the budget, with the month-end forecast drawn beyond it and the budget as a line. */
export function BudgetBar({ budget, currency }: { budget: BudgetStatus; currency: string }) {
  const money = (micros: number) => formatMicros(micros, currency);
  const scale = Math.max(budget.budgetMicros, budget.forecastMicros, budget.spentMicros, 1);
  const pct = (v: number) => `${(100 * Math.max(0, v)) / scale}%`;
  const over = budget.forecastMicros > budget.budgetMicros;
  const spent = `Spent ${money(budget.spentMicros)} of ${money(budget.budgetMicros)} (${formatShare(
    budget.spentRatio,
  )})`;
  const forecast = `month-end forecast ${money(budget.forecastMicros)} (${formatShare(budget.forecastRatio)})`;
  return (
    <Flex direction="column" gap="1">
      <div
        role="meter"
        aria-label={`Budget ${budget.month}`}
        aria-valuemin={0}
        aria-valuemax={budget.budgetMicros}
        aria-valuenow={budget.spentMicros}
        aria-valuetext={`${spent}; ${forecast}`}
        style={{ position: 'relative', height: 14, borderRadius: 4, background: colors.track, overflow: 'hidden' }}
      >
        <div
          title={forecast}
          style={{
            position: 'absolute',
            left: 0,
            top: 0,
            bottom: 0,
            width: pct(budget.forecastMicros),
            background: over ? colors.over : colors.forecast,
            opacity: 0.45,
          }}
        />
        <div
          title={spent}
          style={{
            position: 'absolute',
            left: 0,
            top: 0,
            bottom: 0,
            width: pct(budget.spentMicros),
            background: colors.spent,
          }}
        />
        <div
          title={`Budget ${money(budget.budgetMicros)}`}
          style={{
            position: 'absolute',
            left: pct(budget.budgetMicros),
            top: 0,
            bottom: 0,
            width: 2,
            marginLeft: -2,
            background: colors.budget,
          }}
        />
      </div>
      <Text variant="body-small">
        {spent} in {budget.month}; {forecast}.
      </Text>
      {over && (
        <Text variant="body-small" color="danger">
          At this rate the team will exceed its budget by {money(budget.forecastMicros - budget.budgetMicros)} by the
          end of the month.
        </Text>
      )}
    </Flex>
  );
}
