import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { CostDatabase } from '../database/CostDatabase';
import { formatMicros, toMicros } from './money';
import type { BudgetStatus } from '@ai-platform/backstage-plugin-ai-platform-common';
import { type BudgetPolicy, type BudgetStandings } from '@ai-platform/scheduler';

export type { BudgetStatus };

/** Thresholds (percent of budget) that notify the team. */
export const budgetThresholds = [50, 80, 100] as const;

const DAY = 86_400_000;

/** The Group entity annotation that sets a team's monthly GPU budget, e.g. "5000.00". */
export const monthlyBudgetAnnotation = 'ai-platform.io/monthly-gpu-budget';

/** A team's monthly budget in micro-units and where it is set. */
export interface TeamBudget {
  micros: number;
  source: 'config' | 'group';
}

/**
 * Monthly budgets per team: `aiPlatform.budgets`, and the
 * `ai-platform.io/monthly-gpu-budget` annotation of Group entities (the
 * team is the group's name), read from the catalog on `refresh()`.
 * Config wins when both set one. An invalid annotation is logged with the
 * entity ref and ignored; a failed refresh keeps the last good groups.
 */
export class TeamBudgets {
  private fromGroups = new Map<string, number>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly fromConfig: Map<string, number>,
    private readonly catalog?: { catalog: CatalogService; auth: AuthService; logger: LoggerService },
  ) {}

  /** Budgets now, config over groups. */
  current(): Map<string, TeamBudget> {
    const out = new Map<string, TeamBudget>();
    for (const [team, micros] of this.fromGroups) out.set(team, { micros, source: 'group' });
    for (const [team, micros] of this.fromConfig) out.set(team, { micros, source: 'config' });
    return out;
  }

  /** Re-reads the Group annotations through the catalog with the plugin's own credentials. */
  async refresh(): Promise<void> {
    if (!this.catalog) return;
    const { catalog, auth, logger } = this.catalog;
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'Group', [`metadata.annotations.${monthlyBudgetAnnotation}`]: CATALOG_FILTER_EXISTS },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.annotations'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const groups = new Map<string, number>();
    for (const entity of items) {
      const value = entity.metadata.annotations?.[monthlyBudgetAnnotation];
      if (value === undefined) continue;
      const ref = stringifyEntityRef(entity);
      try {
        groups.set(entity.metadata.name, toMicros(value));
      } catch (e) {
        const key = `${ref}|${value}`;
        if (!this.reported.has(key)) {
          this.reported.add(key);
          logger.warn(
            `${ref}: annotation ${monthlyBudgetAnnotation} ${
              (e as Error).message
            }; the group's budget is ignored until it is fixed`,
          );
        }
        continue;
      }
      if (this.fromConfig.has(entity.metadata.name) && !this.reported.has(ref)) {
        this.reported.add(ref);
        logger.info(
          `${ref}: annotation ${monthlyBudgetAnnotation} is overridden by aiPlatform.budgets for team ${entity.metadata.name}`,
        );
      }
    }
    this.fromGroups = groups;
  }
}

/**
 * Spend against budget for the month containing `now`, with a forecast that
 * extends the last seven days' daily rate to the end of the month. With
 * `team`, only that team's budget, from the ledger's rows of that team only.
 */
export async function budgetStatus(
  ledger: Pick<CostDatabase, 'showback'>,
  budgets: Map<string, TeamBudget>,
  now: number,
  options: { team?: string } = {},
): Promise<BudgetStatus[]> {
  const { team: only } = options;
  const wanted = only === undefined ? [...budgets] : [...budgets].filter(([team]) => team === only);
  if (wanted.length === 0) return [];
  const d = new Date(now);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  const month = new Date(monthStart).toISOString().slice(0, 7);
  const rows = await ledger.showback({
    from: Math.min(monthStart, now - 7 * DAY),
    to: now,
    aggregate: 'team',
    now,
    ...(only === undefined ? {} : { filter: { team: only } }),
  });
  const out: BudgetStatus[] = [];
  for (const [team, { micros: budgetMicros, source }] of wanted) {
    const mine = rows.filter(r => r.key === team);
    const spent = mine.filter(r => r.day >= month).reduce((s, r) => s + r.costMicros, 0);
    const lastWeek = mine
      .filter(r => Date.parse(`${r.day}T00:00:00Z`) >= now - 7 * DAY)
      .reduce((s, r) => s + r.costMicros, 0);
    const forecast = spent + Math.round((lastWeek / 7) * ((monthEnd - now) / DAY));
    out.push({
      team,
      month,
      budgetMicros,
      source,
      spentMicros: spent,
      forecastMicros: forecast,
      spentRatio: budgetMicros ? spent / budgetMicros : 0,
      forecastRatio: budgetMicros ? forecast / budgetMicros : 0,
    });
  }
  return out;
}

/** A notification to send: the team crossed a threshold this month. */
export interface BudgetAlert {
  team: string;
  threshold: number;
  title: string;
  description: string;
}

/** Thresholds newly crossed (recorded so each notifies once per month). */
export async function newBudgetAlerts(
  db: Pick<CostDatabase, 'markBudgetAlert'>,
  statuses: BudgetStatus[],
  now: number,
  currency: string,
): Promise<BudgetAlert[]> {
  const alerts: BudgetAlert[] = [];
  for (const s of statuses) {
    for (const threshold of budgetThresholds) {
      if (s.spentRatio * 100 < threshold) continue;
      if (!(await db.markBudgetAlert({ team: s.team, month: s.month, threshold }, now))) continue;
      alerts.push({
        team: s.team,
        threshold,
        title: `${s.team} has used ${Math.round(s.spentRatio * 100)} % of its ${s.month} GPU budget`,
        description: `Spent ${formatMicros(s.spentMicros)} of ${formatMicros(
          s.budgetMicros,
        )} ${currency}; at the last 7 days' rate the month ends at ${formatMicros(s.forecastMicros)} ${currency}.`,
      });
    }
  }
  return alerts;
}

/** What a plan says about the team's budget: what is left and what this workload is projected to cost. */
export interface PlanBudgetCheck {
  team: string;
  policy: BudgetPolicy;
  month: string;
  budget: string;
  left: string;
  projectedCost: string;
  /** The projected cost is more than what is left. */
  exceedsBudget: boolean;
}

/**
 * Keeps the teams' latest budget standings for admission: the engine holds
 * or deprioritizes a team's new work per its policy once it has spent its
 * month's budget, and plan checks a workload's projected cost against what
 * is left.
 */
export class BudgetEnforcement {
  private statuses = new Map<string, BudgetStatus>();

  constructor(private readonly policies: Map<string, BudgetPolicy>) {}

  /** Takes the ledger's statuses; returns the standings for the engines. */
  update(statuses: BudgetStatus[]): BudgetStandings {
    this.statuses = new Map(statuses.map(s => [s.team, s]));
    return new Map(
      statuses.map(s => [
        s.team,
        {
          policy: this.policies.get(s.team) ?? 'Warn',
          exceeded: s.spentMicros >= s.budgetMicros,
          spent: `${formatMicros(s.spentMicros)} of ${formatMicros(s.budgetMicros)} in ${s.month}`,
        },
      ]),
    );
  }

  /** The plan's budget check for a workload of `team` projected to cost `projectedMicros`; undefined without a budget. */
  check(team: string | undefined, projectedMicros: number | undefined): PlanBudgetCheck | undefined {
    const status = team === undefined ? undefined : this.statuses.get(team);
    if (!status || projectedMicros === undefined) return undefined;
    const left = Math.max(0, status.budgetMicros - status.spentMicros);
    return {
      team: status.team,
      policy: this.policies.get(status.team) ?? 'Warn',
      month: status.month,
      budget: formatMicros(status.budgetMicros),
      left: formatMicros(left),
      projectedCost: formatMicros(projectedMicros),
      exceedsBudget: projectedMicros > left,
    };
  }
}
