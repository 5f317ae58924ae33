import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError, ServiceUnavailableError } from '@backstage/errors';
import {
  aiPlatformPluginId,
  bodyOf,
  createAiPlatformApiClient,
  type ClusterSummary,
  type QueueListResponse,
  type WorkloadListResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { AiPlatformSource } from './types';

/**
 * Reads the ai-platform backend's REST API, through the client generated
 * from its OpenAPI spec, with the catalog's own service token, found
 * through discovery.
 */
export function aiPlatformBackendSource(deps: { discovery: DiscoveryService; auth: AuthService }): AiPlatformSource {
  const client = createAiPlatformApiClient({
    discovery: deps.discovery,
    token: async () =>
      (
        await deps.auth.getPluginRequestToken({
          onBehalfOf: await deps.auth.getOwnServiceCredentials(),
          targetPluginId: aiPlatformPluginId,
        })
      ).token,
  });

  async function read<T>(route: string, answer: () => Promise<{ data?: unknown }>): Promise<T> {
    try {
      return await bodyOf<T>(answer());
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      const baseUrl = await deps.discovery.getBaseUrl(aiPlatformPluginId);
      throw new ServiceUnavailableError(
        `Could not reach the ai-platform backend at ${baseUrl}${route}; check that the ai-platform plugin is installed and discovery points at it`,
        error,
      );
    }
  }

  return {
    async listWorkloads() {
      const body = await read<WorkloadListResponse>('/workloads', () => client.GET('/workloads'));
      if (!Array.isArray(body.items)) {
        throw new ServiceUnavailableError(
          `GET /api/${aiPlatformPluginId}/workloads returned no "items" array; is the ai-platform backend a matching version?`,
        );
      }
      // A partial list would read as removals, so refuse it rather than empty the catalog.
      if (typeof body.total === 'number' && body.total > body.items.length) {
        throw new ServiceUnavailableError(
          `GET /api/${aiPlatformPluginId}/workloads returned ${body.items.length} of ${body.total} workloads; ` +
            'the catalog module needs the whole list, so the backend must not page this request',
        );
      }
      return body.items;
    },
    listQueues: () => read<QueueListResponse>('/queues', () => client.GET('/queues')),
    listClusters: () => read<ClusterSummary[]>('/clusters', () => client.GET('/clusters')),
  };
}
