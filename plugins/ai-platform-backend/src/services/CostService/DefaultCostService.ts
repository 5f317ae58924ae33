import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type {
  AllocationResponse,
  BudgetsResponse,
  CostEstimateRequest,
  CostEstimateResponse,
  InferenceEfficiencyResponse,
  ShowbackResponse,
  WorkloadCostResponse,
  WorkloadRef,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { TelemetrySource } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { CostDatabase } from '../../database/CostDatabase';
import { budgetStatus, type TeamBudgets } from '../../costs/budgets';
import { inferenceEfficiency } from '../../costs/inference';
import { formatMicros, intervalCost } from '../../costs/money';
import { allocation, DAY_MS, fleetIdle, HOUR_MS } from '../../costs/rollup';
import { parseWindow } from '../../costs/window';
import { workloadCost } from '../../costs/workloadCost';
import type { CostQuery, CostService, VisibleTeams } from './types';

/** Hourly rows only for windows up to this long: 168 rows per group. */
const maxHourlyWindow = 7 * DAY_MS;

const hourIso = (hour: string) => `${hour}:00:00Z`;

const sees = (teams: VisibleTeams, team: string | undefined) =>
  !teams || (team !== undefined && teams.has(team.toLocaleLowerCase('en-US')));

const yours = (teams: Set<string>) => [...teams].join(', ') || 'none';

/** Cost accounting over the ledger (CostDatabase), the prices, budgets and GPU telemetry. */
export class DefaultCostService implements CostService {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      db: CostDatabase;
      /** GPU utilization and token counts; without it they are unknown (never zero). */
      telemetry?: TelemetrySource;
      /** The workload as the controller knows it (team, expected run time), for a workload's cost. */
      lookupWorkload?: (ref: WorkloadRef) => Promise<WorkloadSummary | undefined>;
      budgets?: TeamBudgets;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  private get prices() {
    return this.deps.db.prices;
  }

  private window(query: Pick<CostQuery, 'window' | 'filter'>) {
    const now = this.now();
    return { ...parseWindow(query.window, now), filter: query.filter, now };
  }

  /** A user who may not see every team's costs must name one of their teams when grouping by anything else. */
  private requireOwnTeam(teams: VisibleTeams, query: CostQuery) {
    if (teams && query.aggregate !== 'team' && !(query.filter.team && sees(teams, query.filter.team))) {
      throw new NotAllowedError(
        `Grouping by ${query.aggregate} needs filter.team set to one of your teams (${yours(teams)})`,
      );
    }
  }

  async showback(query: CostQuery & { step: '1h' | '1d' }, teams: VisibleTeams): Promise<ShowbackResponse> {
    const q = { ...this.window(query), aggregate: query.aggregate, step: query.step };
    if (q.step === '1h' && q.to - q.from > maxHourlyWindow) {
      throw new InputError(
        `step=1h covers windows of at most 7 days and this one is ${((q.to - q.from) / DAY_MS).toFixed(
          1,
        )} days; use step=1d or a shorter window`,
      );
    }
    if (q.step === '1h' && q.from < q.now - this.deps.db.hourlyRetentionMs) {
      throw new InputError(
        `step=1h reaches back ${Math.round(
          this.deps.db.hourlyRetentionMs / DAY_MS,
        )} days (aiPlatform.costs.hourlyRetention) and this window starts earlier; use step=1d for it`,
      );
    }
    this.requireOwnTeam(teams, query);
    const rows = (await this.deps.db.showback(q)).filter(r => q.aggregate !== 'team' || sees(teams, r.key));
    return {
      currency: this.prices.currency,
      window: { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() },
      aggregate: q.aggregate,
      step: q.step,
      rows: rows.map(r => ({
        day: r.day,
        ...(r.hour ? { hour: hourIso(r.hour) } : {}),
        key: r.key,
        gpuHours: r.gpuMs / HOUR_MS,
        costMicros: r.costMicros,
        cost: formatMicros(r.costMicros),
      })),
      totalCostMicros: rows.reduce((s, r) => s + r.costMicros, 0),
    };
  }

  async allocation(query: CostQuery & { shareIdle: boolean }, teams: VisibleTeams): Promise<AllocationResponse> {
    const q = { ...this.window(query), aggregate: query.aggregate };
    this.requireOwnTeam(teams, query);
    const { db } = this.deps;
    // Fleet totals only for callers who see every team and ask about the whole fleet.
    const fleetView = !teams && Object.keys(q.filter).length === 0;
    const pods = await db.podUsage(q);
    const fleetPods = query.shareIdle && !fleetView ? await db.podUsage({ ...q, filter: {} }) : pods;
    let idle;
    if (fleetView || query.shareIdle) {
      const { capacity, since } = await db.capacityWithin(q);
      idle = fleetIdle(capacity, since, await db.intervalsWithin(q), q, this.prices);
    }
    const utilization = await this.deps.telemetry?.utilizationByPod(q.from, Math.min(q.to, q.now));
    const { data, shared } = allocation({
      pods: pods.filter(p => q.aggregate !== 'team' || sees(teams, p.key)),
      fleetPods,
      idle,
      shareIdle: query.shareIdle,
      fleetView,
      utilization,
    });
    return {
      code: 200,
      currency: this.prices.currency,
      utilizationKnown: utilization !== undefined,
      shareIdle: shared,
      data: [data],
    };
  }

  async inference(query: Omit<CostQuery, 'aggregate'>, teams: VisibleTeams): Promise<InferenceEfficiencyResponse> {
    const q = { ...this.window(query), aggregate: 'team' as const };
    if (teams && q.filter.team && !sees(teams, q.filter.team)) {
      throw new NotAllowedError(`filter.team=${q.filter.team} is not one of your teams (${yours(teams)})`);
    }
    const end = Math.min(q.to, q.now);
    const tokens = await this.deps.telemetry?.tokensByPod(q.from, end);
    const pods = tokens ? (await this.deps.db.podUsage(q)).filter(p => sees(teams, p.team)) : [];
    return {
      currency: this.prices.currency,
      window: { from: new Date(q.from).toISOString(), to: new Date(end).toISOString() },
      tokensKnown: tokens !== undefined,
      items: tokens ? inferenceEfficiency(pods, tokens, end - q.from) : [],
    };
  }

  async workloadCost(ref: WorkloadRef, window: string | undefined, teams: VisibleTeams): Promise<WorkloadCostResponse> {
    const { cluster, namespace, kind, name } = ref;
    const at = this.now();
    const lookback = parseWindow(window ?? '1h', at);
    const [intervals, summary] = await Promise.all([
      this.deps.db.workloadIntervals({ cluster, namespace, workload: name }),
      this.deps.lookupWorkload?.(ref),
    ]);
    if (intervals.length === 0 && !summary) {
      throw new NotFoundError(
        `No GPU usage is recorded for ${kind} ${namespace}/${name} in cluster ${cluster} and no such workload is known; check the cluster, namespace, kind and name`,
      );
    }
    const team = intervals.find(i => i.team)?.team ?? summary?.team;
    if (teams && !sees(teams, team)) {
      throw new NotAllowedError(
        `The costs of ${kind} ${namespace}/${name} belong to ${
          team ? `team ${team}` : 'no team'
        }; you may see those of ${[...teams].join(', ') || 'no team'}`,
      );
    }
    return workloadCost({
      prices: this.prices,
      intervals,
      summary,
      ref,
      at,
      inferenceWindowMs: lookback.to - lookback.from,
      telemetry: this.deps.telemetry,
    });
  }

  async budgets(teams: VisibleTeams, query: { team?: string } = {}): Promise<BudgetsResponse> {
    if (query.team !== undefined && !sees(teams, query.team)) {
      throw new NotAllowedError(
        `filter.team=${query.team} is not one of your teams (${yours(
          teams ?? new Set(),
        )}); you may see their budgets only`,
      );
    }
    const statuses = await budgetStatus(this.deps.db, this.deps.budgets?.current() ?? new Map(), this.now(), query);
    return { currency: this.prices.currency, items: statuses.filter(s => sees(teams, s.team)) };
  }

  estimate(request: CostEstimateRequest & { shareNum?: number; shareDen?: number }): CostEstimateResponse {
    const { gpus, hours, flavor, gpuProduct, shareNum = 1, shareDen = 1 } = request;
    const t = this.now();
    const ms = Math.round(hours * HOUR_MS);
    const micros = this.prices
      .segments(flavor, gpuProduct, t, t + ms)
      .reduce((s, seg) => s + intervalCost(seg.microsPerHour, gpus, seg.end - seg.start, shareNum, shareDen), 0);
    return { currency: this.prices.currency, costMicros: micros, cost: formatMicros(micros), priced: micros > 0 };
  }
}
