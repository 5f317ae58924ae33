import type {
  AllocationResponse,
  BudgetsResponse,
  CostAggregation,
  CostEstimateRequest,
  CostEstimateResponse,
  InferenceEfficiencyResponse,
  ShowbackResponse,
  WorkloadCostResponse,
  WorkloadRef,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** The teams whose costs a caller may see (lower case); undefined: every team. */
export type VisibleTeams = Set<string> | undefined;

/** A window of time and how to group and filter the cost in it. */
export interface CostQuery {
  /** "7d", "30d", "24h" or "<ISO start>,<ISO end>"; default 7d. */
  window?: string;
  aggregate: CostAggregation;
  filter: Partial<Record<CostAggregation, string>>;
}

/** GPU cost accounting as the REST API and the budget alerts use it. */
export interface CostService {
  /** Cost per day (or hour) per group. */
  showback(query: CostQuery & { step: '1h' | '1d' }, teams: VisibleTeams): Promise<ShowbackResponse>;
  /** OpenCost-style allocation per group, with the fleet's idle cost listed or shared. */
  allocation(query: CostQuery & { shareIdle: boolean }, teams: VisibleTeams): Promise<AllocationResponse>;
  /** Tokens per second per dollar and cost per million tokens of each inference service. */
  inference(query: Omit<CostQuery, 'aggregate'>, teams: VisibleTeams): Promise<InferenceEfficiencyResponse>;
  /** One workload's cost to date, rate, projection and GPU use; `window` bounds its token figures (default 1h). */
  workloadCost(ref: WorkloadRef, window: string | undefined, teams: VisibleTeams): Promise<WorkloadCostResponse>;
  /** This month's spend against each visible team's budget; with `team`, that one team's only (computed alone). */
  budgets(teams: VisibleTeams, query?: { team?: string }): Promise<BudgetsResponse>;
  /** What GPUs × hours cost at a flavor's or GPU product's price. */
  estimate(request: CostEstimateRequest & { shareNum?: number; shareDen?: number }): CostEstimateResponse;
}
