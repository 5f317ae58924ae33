/**
 * Shapes of the backend's /costs routes, shared by the backend, the frontend
 * and the scaffolder, as the OpenAPI spec defines them. Money is integer
 * micro-units of `currency` (`*Micros`); the formatted decimal strings are
 * for display only.
 */
import type { components } from './schema/openapi.generated';

type Schemas = components['schemas'];

/** What showback and allocation can group by. */
export const costAggregations = ['team', 'namespace', 'queue', 'workload', 'cluster', 'flavor', 'gpu_product'] as const;
export type CostAggregation = (typeof costAggregations)[number];

/** GET /costs/showback?window=30d&aggregate=team[&step=1d|1h][&format=csv][&filter.team=a] */
export type ShowbackResponse = Schemas['ShowbackResponse'];

/** One group of GET /costs/allocation (OpenCost's allocation fields). */
export type AllocationEntry = Schemas['AllocationEntry'];

/** The allocation entry for unallocated GPU capacity (OpenCost's name). */
export const idleAllocationName = '__idle__';

/** GET /costs/allocation?window=7d&aggregate=namespace, shaped like OpenCost's /allocation. */
export type AllocationResponse = Schemas['AllocationResponse'];

/** A team's spend this month against its budget. */
export type BudgetStatus = Schemas['BudgetStatus'];

/** GET /costs/budgets */
export type BudgetsResponse = Schemas['BudgetsResponse'];

/** GET /fleet/pools/history?window=24h[&cluster=c]: allocated GPUs and utilization per pool and step. */
export type PoolHistoryResponse = Schemas['PoolHistoryResponse'];
/** One pool's average allocated GPUs and utilization over one step. */
export type PoolHistoryPoint = Schemas['PoolHistoryPoint'];

/** GET /fleet/nodes[?cluster=c]: every node with its flavors, GPUs allocated of capacity and DCGM utilization. */
export type FleetNodesResponse = Schemas['FleetNodesResponse'];
/** One node of the fleet: its flavors and, per GPU resource (whole GPUs, MIG slices, shares), allocated and capacity. */
export type FleetNode = Schemas['FleetNode'];

/** POST /costs/estimate */
export type CostEstimateRequest = Schemas['CostEstimateRequest'];

export type CostEstimateResponse = Schemas['CostEstimateResponse'];

/** One inference service's efficiency over a window (GET /costs/inference). */
export type InferenceEfficiency = Schemas['InferenceEfficiency'];

export type InferenceEfficiencyResponse = Schemas['InferenceEfficiencyResponse'];

/** GET /costs/workloads/:cluster/:namespace/:kind/:name: one workload's cost and GPU use. */
export type WorkloadCostResponse = Schemas['WorkloadCostResponse'];
