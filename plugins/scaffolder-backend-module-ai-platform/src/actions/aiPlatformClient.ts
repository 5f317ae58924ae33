import type { AuthService, BackstageCredentials, DiscoveryService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError, ResponseError } from '@backstage/errors';
import type {
  PlanResponse,
  SubmitWorkloadRequest,
  SubmitWorkloadResponse,
  WorkloadListResponse,
  WorkloadRef,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** The ai-platform backend's REST API, called on behalf of the user who runs the template. */
export class AiPlatformClient {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
    private readonly credentials: BackstageCredentials,
  ) {}

  plan(request: SubmitWorkloadRequest): Promise<PlanResponse> {
    return this.request<PlanResponse>('/plan', { method: 'POST', body: JSON.stringify(request) });
  }

  /** Creates the workload; answers created: false when it already exists. Throws ConflictError when it cannot be placed. */
  submit(request: SubmitWorkloadRequest): Promise<SubmitWorkloadResponse> {
    return this.request<SubmitWorkloadResponse>('/workloads', { method: 'POST', body: JSON.stringify(request) });
  }

  /** The workload, or undefined when the backend does not know it. */
  async getWorkload(ref: WorkloadRef): Promise<WorkloadSummary | undefined> {
    const path = [ref.cluster, ref.namespace, ref.kind, ref.name].map(encodeURIComponent).join('/');
    try {
      return await this.request<WorkloadSummary>(`/workloads/${path}`);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  listWorkloads(query: { cluster?: string; namespace?: string }): Promise<WorkloadListResponse> {
    const params = new URLSearchParams(
      Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])),
    );
    return this.request<WorkloadListResponse>(`/workloads${params.size ? `?${params}` : ''}`);
  }

  private async request<T>(route: string, init: RequestInit = {}): Promise<T> {
    const baseUrl = await this.deps.discovery.getBaseUrl('ai-platform');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: this.credentials,
      targetPluginId: 'ai-platform',
    });
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${route}`, {
        ...init,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      });
    } catch (error) {
      throw new Error(
        `Could not reach the ai-platform backend at ${baseUrl}: ${
          (error as Error).message
        }. Check that the ai-platform backend plugin is installed and running.`,
      );
    }
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      const detail = error.body?.error?.message ?? error.message;
      if (response.status === 409) throw new ConflictError(detail);
      if (response.status === 404) throw new NotFoundError(detail);
      throw new Error(
        `The ai-platform backend refused ${init.method ?? 'GET'} ${route} (HTTP ${response.status}): ${detail}`,
      );
    }
    return (await response.json()) as T;
  }
}
