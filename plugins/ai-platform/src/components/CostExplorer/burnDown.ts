import type { BudgetStatus, ShowbackResponse } from '@ai-platform/backstage-plugin-ai-platform-common';

/** One day of a team's month: budget left after the day's spend, or as the forecast expects it. */
export interface BurnDownPoint {
  day: string;
  /** Budget left at the end of the day, whole currency units; undefined after today. */
  left?: number;
  /** Forecast budget left, from today to the month's end; undefined before today. */
  forecast?: number;
}

const DAY = 86_400_000;

/** Days of the month `month` (YYYY-MM) as YYYY-MM-DD, UTC. */
function daysOf(month: string): string[] {
  const start = Date.parse(`${month}-01T00:00:00Z`);
  const days: string[] = [];
  for (let t = start; new Date(t).toISOString().slice(0, 7) === month; t += DAY) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * The budget burn-down of one team for its budget's month: what is left
 * after each day's spend (from showback rows of that team), then a straight
 * forecast line from today's figure to the month-end forecast.
 */
export function burnDown(budget: BudgetStatus, rows: ShowbackResponse['rows'], today: string): BurnDownPoint[] {
  const spentByDay = new Map<string, number>();
  for (const r of rows) if (r.key === budget.team) spentByDay.set(r.day, (spentByDay.get(r.day) ?? 0) + r.costMicros);
  const days = daysOf(budget.month);
  const todayIndex = days.indexOf(today);
  let spent = 0;
  return days.map((day, i) => {
    const past = todayIndex === -1 || i <= todayIndex;
    if (past) spent += spentByDay.get(day) ?? 0;
    const point: BurnDownPoint = { day };
    if (past) point.left = (budget.budgetMicros - spent) / 1_000_000;
    if (todayIndex !== -1 && i >= todayIndex) {
      const remainingDays = days.length - 1 - todayIndex;
      const share = remainingDays === 0 ? 1 : (i - todayIndex) / remainingDays;
      const forecastSpent = spent + (budget.forecastMicros - spent) * share;
      point.forecast = (budget.budgetMicros - (i === todayIndex ? spent : forecastSpent)) / 1_000_000;
    }
    return point;
  });
}
