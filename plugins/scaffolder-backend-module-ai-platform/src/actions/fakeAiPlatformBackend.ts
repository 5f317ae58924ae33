import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlanResponse, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';

/** One request the fake backend received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  authorization?: string;
  body?: any;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', chunk => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/**
 * A real HTTP server standing in for the ai-platform backend in unit tests:
 * answers /plan with the configured plan, and is idempotent on name for
 * /workloads the way the backend is (409 for a name it already holds).
 */
export class FakeAiPlatformBackend {
  readonly requests: ReceivedRequest[] = [];
  readonly workloads = new Map<string, WorkloadSummary>();
  plan: (manifest: any) => PlanResponse = () => ({ admissible: true, etasByCluster: {} });
  /** Answer every POST with this error. */
  failWith?: { status: number; message: string };
  /** How a repeated name is answered: 409 (a backend that cannot read it back) or 200 with created: false. */
  onExisting: 'conflict' | 'existing' = 'conflict';
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const raw = await readBody(req);
      const body = raw ? JSON.parse(raw) : undefined;
      this.requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (this.failWith && req.method === 'POST') {
        send(this.failWith.status, { error: { name: 'Error', message: this.failWith.message } });
        return;
      }
      const url = new URL(req.url!, 'http://localhost');
      if (req.method === 'POST' && url.pathname === '/plan') {
        send(200, this.plan(body.manifest));
      } else if (req.method === 'POST' && url.pathname === '/workloads') {
        const m = body.manifest;
        const key = `${m.metadata.namespace ?? 'default'}/${m.kind}/${m.metadata.name}`;
        const existing = this.workloads.get(key);
        if (existing && this.onExisting === 'existing') {
          send(200, { workload: existing, plan: this.plan(m), created: false });
          return;
        }
        if (existing) {
          send(409, { error: { name: 'ConflictError', message: `${m.kind} ${key} already exists` } });
          return;
        }
        const workload = this.summary(m, body.cluster ?? 'gpu-east');
        this.workloads.set(key, workload);
        send(201, { workload, plan: this.plan(m), created: true });
      } else if (req.method === 'GET' && url.pathname === '/workloads') {
        const namespace = url.searchParams.get('namespace');
        const items = [...this.workloads.values()].filter(w => !namespace || w.namespace === namespace);
        send(200, { items, total: items.length });
      } else if (req.method === 'GET' && url.pathname.startsWith('/workloads/')) {
        const [, , cluster, namespace, kind, name] = url.pathname.split('/').map(decodeURIComponent);
        const workload = this.workloads.get(`${namespace}/${kind}/${name}`);
        if (workload && workload.cluster === cluster) send(200, workload);
        else send(404, { error: { name: 'NotFoundError', message: 'no such workload' } });
      } else {
        send(404, { error: { name: 'NotFoundError', message: `no route ${req.method} ${url.pathname}` } });
      }
    });
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private summary(m: any, cluster: string): WorkloadSummary {
    return {
      cluster,
      namespace: m.metadata.namespace ?? 'default',
      kind: m.kind,
      name: m.metadata.name,
      apiVersion: m.apiVersion,
      uid: `uid-${m.metadata.name}`,
      entityType: 'training-job',
      queue: m.metadata.labels?.['kueue.x-k8s.io/queue-name'],
      priority: 0,
      state: 'Pending',
      createdAt: '2026-11-23T10:00:00Z',
      podSets: [],
      gpus: 32,
      conditions: [],
      entityRef: `component:${m.metadata.namespace ?? 'default'}/${m.metadata.labels?.['backstage.io/kubernetes-id']}`,
    };
  }
}
