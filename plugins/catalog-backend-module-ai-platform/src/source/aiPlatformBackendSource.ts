import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError, ServiceUnavailableError } from '@backstage/errors';
import type {
  ClusterSummary,
  QueueListResponse,
  WorkloadListResponse,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { AiPlatformSource } from './types';

const pluginId = 'ai-platform';

/** Reads the ai-platform backend's REST API with a service token, found through discovery. */
export class HttpAiPlatformSource implements AiPlatformSource {
  constructor(private readonly deps: { discovery: DiscoveryService; auth: AuthService }) {}

  async listWorkloads(): Promise<WorkloadSummary[]> {
    const body = await this.get<WorkloadListResponse>('/workloads');
    if (!Array.isArray(body.items)) {
      throw new ServiceUnavailableError(
        `GET /api/${pluginId}/workloads returned no "items" array; is the ai-platform backend a matching version?`,
      );
    }
    // A partial list would read as removals, so refuse it rather than empty the catalog.
    if (typeof body.total === 'number' && body.total > body.items.length) {
      throw new ServiceUnavailableError(
        `GET /api/${pluginId}/workloads returned ${body.items.length} of ${body.total} workloads; ` +
          'the catalog module needs the whole list, so the backend must not page this request',
      );
    }
    return body.items;
  }

  listQueues(): Promise<QueueListResponse> {
    return this.get<QueueListResponse>('/queues');
  }

  listClusters(): Promise<ClusterSummary[]> {
    return this.get<ClusterSummary[]>('/clusters');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.deps.discovery.getBaseUrl(pluginId);
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Could not reach the ai-platform backend at ${baseUrl}${path}; check that the ai-platform plugin is installed and discovery points at it`,
        error,
      );
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
