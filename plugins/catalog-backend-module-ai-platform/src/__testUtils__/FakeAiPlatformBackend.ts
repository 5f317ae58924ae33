import type {
  ClusterSummary,
  QueueListResponse,
  WorkloadListResponse,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server answering the ai-platform backend's read routes from
 * data the test or benchmark sets, for exercising the provider end to end.
 * Requests without a bearer token get 401, as from the real backend.
 */
export class FakeAiPlatformBackend {
  workloads: WorkloadSummary[] = [];
  queues: QueueListResponse = { clusterQueues: [], cohorts: [] };
  clusters: ClusterSummary[] = [];
  /** The `total` GET /workloads reports, when it should differ from the items sent (a paged answer). */
  reportedTotal?: number;
  /** Paths requested, with the Authorization header each carried. */
  readonly requests: Array<{ path: string; authorization?: string }> = [];
  private server?: Server;
  private baseUrl = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      this.requests.push({ path, authorization: req.headers.authorization });
      if (!req.headers.authorization?.startsWith('Bearer ')) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { name: 'AuthenticationError', message: 'Missing credentials' } }));
        return;
      }
      let body: unknown;
      if (req.method === 'GET' && path === '/api/ai-platform/workloads') {
        body = {
          items: this.workloads,
          total: this.reportedTotal ?? this.workloads.length,
        } satisfies WorkloadListResponse;
      } else if (req.method === 'GET' && path === '/api/ai-platform/queues') {
        body = this.queues;
      } else if (req.method === 'GET' && path === '/api/ai-platform/clusters') {
        body = this.clusters;
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { name: 'NotFoundError', message: `No route ${req.method} ${path}` } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}/api/ai-platform`;
    return this.baseUrl;
  }

  /** A discovery service that finds ai-platform at this server and other plugins under `backendBaseUrl()`. */
  discoveryFactory(backendBaseUrl: () => string) {
    return createServiceFactory({
      service: coreServices.discovery,
      deps: {},
      factory: () => ({
        getBaseUrl: async (pluginId: string) =>
          pluginId === 'ai-platform' ? this.baseUrl : `${backendBaseUrl()}/api/${pluginId}`,
        getExternalBaseUrl: async (pluginId: string) => `${backendBaseUrl()}/api/${pluginId}`,
      }),
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    }
  }
}
