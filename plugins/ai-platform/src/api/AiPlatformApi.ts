/* eslint-disable new-cap -- openapi-fetch's methods are named after the HTTP verbs (GET, POST) */
import { createApiRef, DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  bodyOf,
  createAiPlatformApiClient,
  type AiPlatformApiClient,
  type AllocationResponse,
  type BudgetsResponse,
  type ClusterSummary,
  type CostAggregation,
  type CostEstimateRequest,
  type CostEstimateResponse,
  type FleetNodesResponse,
  type InferenceEfficiencyResponse,
  type PlanResponse,
  type PoolHistoryResponse,
  type ShowbackResponse,
  type WorkloadCostResponse,
  type QueueListResponse,
  type SubmitWorkloadRequest,
  type WorkloadEvent,
  type WorkloadListResponse,
  type WorkloadQuery,
  type WorkloadRef,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** Window and grouping of a cost query; window is "7d", "30d", "24h" or "<ISO start>,<ISO end>". */
export interface CostQuery {
  window?: string;
  aggregate?: CostAggregation;
  /** Only this team (required when a non-admin groups by anything but team). */
  team?: string;
}

export type { WorkloadQuery };

/** The ai-platform backend, as the frontend uses it. */
export interface AiPlatformApi {
  listWorkloads(query?: WorkloadQuery): Promise<WorkloadListResponse>;
  getWorkload(ref: WorkloadRef): Promise<WorkloadSummary>;
  workloadEvents(ref: WorkloadRef): Promise<WorkloadEvent[]>;
  listQueues(): Promise<QueueListResponse>;
  listClusters(): Promise<ClusterSummary[]>;
  /** Every node (of one cluster, when given) with its flavors, GPUs allocated of capacity and DCGM utilization. */
  listNodes(query?: { cluster?: string }): Promise<FleetNodesResponse>;
  plan(request: SubmitWorkloadRequest): Promise<PlanResponse>;
  cancel(ref: WorkloadRef): Promise<void>;
  setSuspended(ref: WorkloadRef, suspended: boolean): Promise<void>;
  showback(query?: CostQuery): Promise<ShowbackResponse>;
  /** The same showback as CSV text (fetched with the user's credentials, so offer it as a Blob download). */
  showbackCsv(query?: CostQuery): Promise<string>;
  allocation(query?: CostQuery): Promise<AllocationResponse>;
  /** This month's budgets of the caller's teams; with `team`, that team's only, computed alone (403 if not the caller's). */
  budgets(query?: { team?: string }): Promise<BudgetsResponse>;
  /** Allocated GPUs and utilization per pool over time. */
  poolHistory(query?: PoolHistoryQuery): Promise<PoolHistoryResponse>;
  estimateCost(request: CostEstimateRequest): Promise<CostEstimateResponse>;
  inferenceEfficiency(query?: { window?: string; team?: string }): Promise<InferenceEfficiencyResponse>;
  workloadCost(ref: WorkloadRef): Promise<WorkloadCostResponse>;
}

/** The window (6h, 24h, 3d, 7d; default 24h) and, optionally, the one cluster of the pool history. */
export interface PoolHistoryQuery {
  window?: '6h' | '24h' | '3d' | '7d';
  cluster?: string;
}

export const aiPlatformApiRef = createApiRef<AiPlatformApi>({ id: 'plugin.ai-platform.api' });

type CostParams = { window?: string; aggregate?: CostAggregation; 'filter.team'?: string };

const costParams = (query: CostQuery): CostParams => ({
  window: query.window,
  aggregate: query.aggregate,
  'filter.team': query.team,
});

const path = (ref: WorkloadRef) => ({ path: { ...ref } });

/** Talks to `/api/ai-platform` with the signed-in user's credentials, through the client generated from its OpenAPI spec. */
export class AiPlatformClient implements AiPlatformApi {
  private readonly http: AiPlatformApiClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.http = createAiPlatformApiClient({
      discovery: deps.discoveryApi,
      fetch: (url, init) => deps.fetchApi.fetch(url, init),
    });
  }

  async listWorkloads(query: WorkloadQuery = {}) {
    return bodyOf<WorkloadListResponse>(this.http.GET('/workloads', { params: { query } }));
  }

  async getWorkload(ref: WorkloadRef) {
    return bodyOf<WorkloadSummary>(
      this.http.GET('/workloads/{cluster}/{namespace}/{kind}/{name}', { params: path(ref) }),
    );
  }

  async workloadEvents(ref: WorkloadRef) {
    return bodyOf<WorkloadEvent[]>(
      this.http.GET('/workloads/{cluster}/{namespace}/{kind}/{name}/events', {
        params: path(ref),
      }),
    );
  }

  async listQueues() {
    return bodyOf<QueueListResponse>(this.http.GET('/queues'));
  }

  async listClusters() {
    return bodyOf<ClusterSummary[]>(this.http.GET('/clusters'));
  }

  async listNodes(query: { cluster?: string } = {}) {
    return bodyOf<FleetNodesResponse>(this.http.GET('/fleet/nodes', { params: { query } }));
  }

  async plan(request: SubmitWorkloadRequest) {
    return bodyOf<PlanResponse>(this.http.POST('/plan', { body: request }));
  }

  async cancel(ref: WorkloadRef) {
    await this.http.POST('/workloads/{cluster}/{namespace}/{kind}/{name}/cancel', { params: path(ref) });
  }

  async setSuspended(ref: WorkloadRef, suspended: boolean) {
    await this.http.POST(
      suspended
        ? '/workloads/{cluster}/{namespace}/{kind}/{name}/suspend'
        : '/workloads/{cluster}/{namespace}/{kind}/{name}/resume',
      { params: path(ref) },
    );
  }

  async showback(query: CostQuery = {}) {
    return bodyOf<ShowbackResponse>(this.http.GET('/costs/showback', { params: { query: costParams(query) } }));
  }

  async showbackCsv(query: CostQuery = {}) {
    return bodyOf<string>(
      this.http.GET('/costs/showback', {
        params: { query: { ...costParams(query), format: 'csv' } },
        parseAs: 'text',
      }),
    );
  }

  async allocation(query: CostQuery = {}) {
    return bodyOf<AllocationResponse>(this.http.GET('/costs/allocation', { params: { query: costParams(query) } }));
  }

  async budgets(query: { team?: string } = {}) {
    return bodyOf<BudgetsResponse>(
      this.http.GET('/costs/budgets', { params: { query: { 'filter.team': query.team } } }),
    );
  }

  async poolHistory(query: PoolHistoryQuery = {}): Promise<PoolHistoryResponse> {
    return bodyOf<PoolHistoryResponse>(this.http.GET('/fleet/pools/history', { params: { query } }));
  }

  async estimateCost(request: CostEstimateRequest) {
    return bodyOf<CostEstimateResponse>(this.http.POST('/costs/estimate', { body: request }));
  }

  async inferenceEfficiency(query: { window?: string; team?: string } = {}) {
    return bodyOf<InferenceEfficiencyResponse>(
      this.http.GET('/costs/inference', {
        params: { query: { window: query.window, 'filter.team': query.team } },
      }),
    );
  }

  async workloadCost(ref: WorkloadRef) {
    return bodyOf<WorkloadCostResponse>(
      this.http.GET('/costs/workloads/{cluster}/{namespace}/{kind}/{name}', {
        params: path(ref),
      }),
    );
  }
}
