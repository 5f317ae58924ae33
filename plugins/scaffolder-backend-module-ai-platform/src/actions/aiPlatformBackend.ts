import type { AuthService, BackstageCredentials, DiscoveryService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError, ResponseError } from '@backstage/errors';
import {
  aiPlatformPluginId,
  bodyOf,
  createAiPlatformApiClient,
  type PlanResponse,
  type SubmitWorkloadRequest,
  type SubmitWorkloadResponse,
  type WorkloadListResponse,
  type WorkloadRef,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** A failed call as the template's log shows it: 409 and 404 as their Backstage errors, the rest with the backend's message. */
async function explained(what: string, error: unknown, discovery: DiscoveryService): Promise<Error> {
  if (!(error instanceof ResponseError)) {
    return new Error(
      `Could not reach the ai-platform backend at ${await discovery.getBaseUrl(aiPlatformPluginId)}: ${
        (error as Error).message
      }. Check that the ai-platform backend plugin is installed and running.`,
    );
  }
  const detail = error.body?.error?.message ?? error.message;
  if (error.statusCode === 409) return new ConflictError(detail);
  if (error.statusCode === 404) return new NotFoundError(detail);
  return new Error(`The ai-platform backend refused ${what} (HTTP ${error.statusCode}): ${detail}`);
}

/**
 * The ai-platform backend's REST API, through the client generated from
 * its OpenAPI spec, called on behalf of the user who runs the template.
 */
export function aiPlatformBackend(
  deps: { discovery: DiscoveryService; auth: AuthService },
  credentials: BackstageCredentials,
) {
  const client = createAiPlatformApiClient({
    discovery: deps.discovery,
    token: async () =>
      (await deps.auth.getPluginRequestToken({ onBehalfOf: credentials, targetPluginId: aiPlatformPluginId })).token,
  });
  const call = async <T>(what: string, answer: () => Promise<{ data?: unknown }>): Promise<T> => {
    try {
      return await bodyOf<T>(answer());
    } catch (error) {
      throw await explained(what, error, deps.discovery);
    }
  };
  return {
    plan: (request: SubmitWorkloadRequest) =>
      call<PlanResponse>('POST /plan', () => client.POST('/plan', { body: request })),
    /** Creates the workload; answers created: false when it already exists. Throws ConflictError when it cannot be placed. */
    submit: (request: SubmitWorkloadRequest) =>
      call<SubmitWorkloadResponse>('POST /workloads', () => client.POST('/workloads', { body: request })),
    /** The workload, or undefined when the backend does not know it. */
    async getWorkload(ref: WorkloadRef): Promise<WorkloadSummary | undefined> {
      try {
        return await call<WorkloadSummary>('GET /workloads/…', () =>
          client.GET('/workloads/{cluster}/{namespace}/{kind}/{name}', { params: { path: { ...ref } } }),
        );
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    listWorkloads: (query: { cluster?: string; namespace?: string }) =>
      call<WorkloadListResponse>('GET /workloads', () => client.GET('/workloads', { params: { query } })),
  };
}

/** The backend as the template actions use it. */
export type AiPlatformBackend = ReturnType<typeof aiPlatformBackend>;
