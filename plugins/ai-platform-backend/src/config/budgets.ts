import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { budgetPolicies, type BudgetPolicy } from '@ai-platform/scheduler';
import { toMicros } from '../costs/money';

/** Monthly budgets per team from `aiPlatform.budgets: [{ team, monthly: "5000.00" }]`. */
export function readBudgets(config: Config): Map<string, number> {
  const budgets = new Map<string, number>();
  for (const [i, b] of (config.getOptionalConfigArray('aiPlatform.budgets') ?? []).entries()) {
    try {
      budgets.set(b.getString('team'), toMicros(b.getString('monthly')));
    } catch (e) {
      throw new Error(`aiPlatform.budgets[${i}]: ${(e as Error).message}`);
    }
  }
  return budgets;
}

/** Budget policies per team from `aiPlatform.budgets[].policy` (Warn when absent). */
export function readBudgetPolicies(config: Config): Map<string, BudgetPolicy> {
  const policies = new Map<string, BudgetPolicy>();
  for (const [i, b] of (config.getOptionalConfigArray('aiPlatform.budgets') ?? []).entries()) {
    const policy = b.getOptionalString('policy') ?? 'Warn';
    if (!budgetPolicies.includes(policy as BudgetPolicy))
      throw new InputError(
        `aiPlatform.budgets[${i}].policy: must be one of ${budgetPolicies.join(', ')}, got ${JSON.stringify(policy)}`,
      );
    policies.set(b.getString('team'), policy as BudgetPolicy);
  }
  return policies;
}
