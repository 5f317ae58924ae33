import createClient, { type Client } from 'openapi-fetch';
import { ResponseError } from '@backstage/errors';
import type { paths } from './schema/openapi.generated';

/** The routes of the ai-platform REST API, generated from its OpenAPI spec (src/schema/openapi.yaml of the backend). */
export type AiPlatformPaths = paths;

/** A typed client of the ai-platform REST API: `client.GET('/workloads', { params: { query } })`. */
export type AiPlatformApiClient = Client<paths>;

/** The plugin id the backend is served under (`/api/ai-platform`). */
export const aiPlatformPluginId = 'ai-platform';

// openapi-fetch needs an absolute base; the real one comes from discovery per request.
const placeholderBase = 'http://ai-platform.invalid';

/**
 * A client of the ai-platform REST API, typed by its OpenAPI spec. The base
 * URL comes from Backstage discovery on each request; `token` (a user's or a
 * service's) is sent as a bearer token. Every answer that is not 2xx throws
 * a ResponseError carrying the backend's error body, so callers get either
 * data or a Backstage error whose message says what to change.
 */
export function createAiPlatformApiClient(options: {
  discovery: { getBaseUrl(pluginId: string): Promise<string> };
  /**
   * Default globalThis.fetch; the frontend passes fetchApi.fetch, which adds the user's identity. It gets a URL and
   * an init, never a Request: Backstage's fetch middleware builds a Request of its own from each, and a Request
   * whose body was read once cannot be built again.
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  token?: () => Promise<string | undefined>;
}): AiPlatformApiClient {
  const send = options.fetch ?? ((url: string, init: RequestInit) => globalThis.fetch(url, init));
  const client = createClient<paths>({
    baseUrl: placeholderBase,
    fetch: async request => {
      const base = await options.discovery.getBaseUrl(aiPlatformPluginId);
      const token = await options.token?.();
      const headers = new Headers(request.headers);
      if (token) headers.set('Authorization', `Bearer ${token}`);
      const body = request.body === null ? undefined : await request.text();
      return send(`${base}${request.url.slice(placeholderBase.length)}`, { method: request.method, headers, body });
    },
  });
  client.use({
    async onResponse({ response }) {
      if (!response.ok) throw await ResponseError.fromResponse(response);
      return undefined;
    },
  });
  return client;
}

/**
 * The body of a successful answer as the shared types of this package name
 * it (the spec's schemas are its JSON shape, the shared types add the domain
 * unions such as WorkloadState); errors were thrown already.
 */
export async function bodyOf<T>(answer: Promise<{ data?: unknown }>): Promise<T> {
  return (await answer).data as T;
}
