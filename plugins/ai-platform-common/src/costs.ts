/**
 * Shapes of the backend's /costs routes, shared by the backend, the frontend
 * and the scaffolder. Money is integer micro-units of `currency` (`*Micros`);
 * the formatted decimal strings are for display only.
 */

/** What showback and allocation can group by. */
export const costAggregations = ['team', 'namespace', 'queue', 'workload', 'cluster', 'flavor', 'gpu_product'] as const;
export type CostAggregation = (typeof costAggregations)[number];

/** GET /costs/showback?window=30d&aggregate=team[&step=1d|1h][&format=csv][&filter.team=a] */
export interface ShowbackResponse {
  currency: string;
  window: { from: string; to: string };
  aggregate: string;
  /** Row granularity; 1h is allowed for windows of at most 7 days. */
  step?: '1h' | '1d';
  /** One row per day (or hour, with step=1h) and group, days as YYYY-MM-DD (UTC); `hour` is the hour's start (ISO, UTC). */
  rows: Array<{ day: string; hour?: string; key: string; gpuHours: number; costMicros: number; cost: string }>;
  totalCostMicros: number;
}

/** One group of GET /costs/allocation (OpenCost's allocation fields). */
export interface AllocationEntry {
  name: string;
  gpuHours: number;
  gpuCost: number;
  /** Used share of allocated GPU time from DCGM; null when Prometheus had no data. */
  gpuEfficiency: number | null;
  idleCost: number | null;
  totalCost: number;
  /** gpuCost in exact micro-units. */
  gpuCostMicros?: number;
  /** totalCost in exact micro-units. */
  totalCostMicros?: number;
  /** With shareIdle=true: this group's share of the fleet's idle GPU cost, included in gpuCost and totalCost (OpenCost's semantics). */
  sharedIdleCost?: number;
  sharedIdleCostMicros?: number;
}

/** The allocation entry for unallocated GPU capacity (OpenCost's name). */
export const idleAllocationName = '__idle__';

/** GET /costs/allocation?window=7d&aggregate=namespace, shaped like OpenCost's /allocation. */
export interface AllocationResponse {
  code: number;
  currency: string;
  utilizationKnown: boolean;
  /** True when the fleet's idle cost was shared over the groups (shareIdle=true) instead of listed as `__idle__`. */
  shareIdle?: boolean;
  data: Array<Record<string, AllocationEntry>>;
}

/** A team's spend this month against its budget. */
export interface BudgetStatus {
  team: string;
  /** YYYY-MM */
  month: string;
  budgetMicros: number;
  /** Where the budget comes from: aiPlatform.budgets, or the team's Group entity annotation ai-platform.io/monthly-gpu-budget. */
  source?: 'config' | 'group';
  spentMicros: number;
  /** Month-end spend if the last 7 days' rate continues. */
  forecastMicros: number;
  spentRatio: number;
  forecastRatio: number;
}

/** GET /costs/budgets */
export interface BudgetsResponse {
  currency: string;
  items: BudgetStatus[];
}

/** POST /costs/estimate */
export interface CostEstimateRequest {
  gpus: number;
  hours: number;
  flavor?: string;
  gpuProduct?: string;
}

export interface CostEstimateResponse {
  currency: string;
  costMicros: number;
  cost: string;
  /** False when no price applies to the flavor or product. */
  priced: boolean;
}

/** One inference service's efficiency over a window (GET /costs/inference). */
export interface InferenceEfficiency {
  cluster: string;
  namespace: string;
  /** The workload (InferenceService, Deployment, LeaderWorkerSet) serving the model. */
  workload: string;
  team?: string;
  generationTokens: number;
  promptTokens: number;
  gpuHours: number;
  costMicros: number;
  /** Generated tokens per second of the window, per dollar per hour of the service: higher is better. */
  tokensPerSecondPerDollar: number | null;
  /** Cost of a million generated tokens, micro-units; null without tokens. */
  costPerMillionTokensMicros: number | null;
}

export interface InferenceEfficiencyResponse {
  currency: string;
  window: { from: string; to: string };
  /** False when Prometheus is not configured or did not answer: token counts unknown. */
  tokensKnown: boolean;
  items: InferenceEfficiency[];
}

/** GET /costs/workloads/:cluster/:namespace/:kind/:name: one workload's cost and GPU use. */
export interface WorkloadCostResponse {
  currency: string;
  /** Cost of the GPU time allocated so far (running pods up to now). */
  costToDateMicros: number;
  gpuHoursToDate: number;
  /** Current spend rate of its running pods, per hour. */
  ratePerHourMicros: number;
  /** Cost at completion at the current rate, from its expected run time; null when unknown (e.g. services). */
  projectedMicros: number | null;
  /** Mean GPU utilization (0..1) of its pods over time from DCGM; null when Prometheus is not available. */
  utilization: Array<{ time: string; value: number }> | null;
  /** For inference services, from vLLM/SGLang counters; absent for other workloads. */
  inference?: {
    tokensPerSecond: number | null;
    timeToFirstTokenP95Seconds: number | null;
    costPerMillionTokensMicros: number | null;
  };
}
