import { createApiRef, DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AllocationResponse,
  BudgetsResponse,
  ClusterSummary,
  CostAggregation,
  CostEstimateRequest,
  CostEstimateResponse,
  InferenceEfficiencyResponse,
  PlanResponse,
  ShowbackResponse,
  WorkloadCostResponse,
  QueueListResponse,
  SubmitWorkloadRequest,
  WorkloadEvent,
  WorkloadListResponse,
  WorkloadQuery,
  WorkloadRef,
  WorkloadSummary,
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
  plan(request: SubmitWorkloadRequest): Promise<PlanResponse>;
  cancel(ref: WorkloadRef): Promise<void>;
  setSuspended(ref: WorkloadRef, suspended: boolean): Promise<void>;
  showback(query?: CostQuery): Promise<ShowbackResponse>;
  /** The same showback as CSV text (fetched with the user's credentials, so offer it as a Blob download). */
  showbackCsv(query?: CostQuery): Promise<string>;
  allocation(query?: CostQuery): Promise<AllocationResponse>;
  budgets(): Promise<BudgetsResponse>;
  estimateCost(request: CostEstimateRequest): Promise<CostEstimateResponse>;
  inferenceEfficiency(query?: { window?: string; team?: string }): Promise<InferenceEfficiencyResponse>;
  workloadCost(ref: WorkloadRef): Promise<WorkloadCostResponse>;
}

export const aiPlatformApiRef = createApiRef<AiPlatformApi>({ id: 'plugin.ai-platform.api' });

function costParams(query: CostQuery & { format?: string }): string {
  const params = new URLSearchParams();
  if (query.window) params.set('window', query.window);
  if (query.aggregate) params.set('aggregate', query.aggregate);
  if (query.team) params.set('filter.team', query.team);
  if (query.format) params.set('format', query.format);
  return params.size ? `?${params}` : '';
}

const path = (ref: WorkloadRef) => [ref.cluster, ref.namespace, ref.kind, ref.name].map(encodeURIComponent).join('/');

/** Talks to `/api/ai-platform` with the signed-in user's credentials. */
export class AiPlatformClient implements AiPlatformApi {
  constructor(private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  private async request<T>(route: string, init?: RequestInit): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('ai-platform');
    const response = await this.deps.fetchApi.fetch(`${base}${route}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...init?.headers },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  listWorkloads(query: WorkloadQuery = {}) {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]);
    return this.request<WorkloadListResponse>(`/workloads${params.size ? `?${params}` : ''}`);
  }

  getWorkload(ref: WorkloadRef) {
    return this.request<WorkloadSummary>(`/workloads/${path(ref)}`);
  }

  workloadEvents(ref: WorkloadRef) {
    return this.request<WorkloadEvent[]>(`/workloads/${path(ref)}/events`);
  }

  listQueues() {
    return this.request<QueueListResponse>('/queues');
  }

  listClusters() {
    return this.request<ClusterSummary[]>('/clusters');
  }

  plan(request: SubmitWorkloadRequest) {
    return this.request<PlanResponse>('/plan', { method: 'POST', body: JSON.stringify(request) });
  }

  async cancel(ref: WorkloadRef) {
    await this.request(`/workloads/${path(ref)}/cancel`, { method: 'POST' });
  }

  async setSuspended(ref: WorkloadRef, suspended: boolean) {
    await this.request(`/workloads/${path(ref)}/${suspended ? 'suspend' : 'resume'}`, { method: 'POST' });
  }

  showback(query: CostQuery = {}) {
    return this.request<ShowbackResponse>(`/costs/showback${costParams(query)}`);
  }

  async showbackCsv(query: CostQuery = {}) {
    const base = await this.deps.discoveryApi.getBaseUrl('ai-platform');
    const response = await this.deps.fetchApi.fetch(`${base}/costs/showback${costParams({ ...query, format: 'csv' })}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.text();
  }

  allocation(query: CostQuery = {}) {
    return this.request<AllocationResponse>(`/costs/allocation${costParams(query)}`);
  }

  budgets() {
    return this.request<BudgetsResponse>('/costs/budgets');
  }

  estimateCost(request: CostEstimateRequest) {
    return this.request<CostEstimateResponse>('/costs/estimate', { method: 'POST', body: JSON.stringify(request) });
  }

  inferenceEfficiency(query: { window?: string; team?: string } = {}) {
    return this.request<InferenceEfficiencyResponse>(`/costs/inference${costParams(query)}`);
  }

  workloadCost(ref: WorkloadRef) {
    return this.request<WorkloadCostResponse>(`/costs/workloads/${path(ref)}`);
  }
}
