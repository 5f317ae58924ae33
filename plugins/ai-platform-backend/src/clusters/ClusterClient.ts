import type { Agent } from 'node:http';
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';

/** HTTP status of a failed API call, if it was one. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return typeof e?.code === 'number' ? e.code : undefined;
}

type AgentFactory = { createAgent(cluster: { server?: string } | null, options: Record<string, unknown>): Agent };
const pools = new WeakMap<KubeConfig, Map<string, Agent>>();

/**
 * client-node 1.x builds a new http(s) Agent for every request, so every call
 * opens a new connection (and a TLS handshake against a real API server).
 * This makes the KubeConfig reuse one keep-alive agent per server and TLS
 * identity: the same agent client-node would build, with keepAlive on. The
 * real-time Kueue benchmark admits about twice as fast with it.
 */
export function poolConnections(kubeConfig: KubeConfig): Map<string, Agent> {
  const existing = pools.get(kubeConfig);
  if (existing) return existing;
  const agents = new Map<string, Agent>();
  const target = kubeConfig as unknown as AgentFactory;
  if (typeof target.createAgent !== 'function') return agents; // a client-node without it: leave it alone
  const build = target.createAgent.bind(kubeConfig);
  target.createAgent = (cluster, options) => {
    const tls = ['ca', 'cert', 'key', 'pfx', 'rejectUnauthorized', 'servername'].map(k => String(options[k] ?? ''));
    const key = JSON.stringify([cluster?.server, ...tls]);
    let agent = agents.get(key);
    if (!agent) {
      agent = build(cluster, { ...options, keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
  pools.set(kubeConfig, agents);
  return agents;
}

/** One namespaced object of the API. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** The one place that builds API clients for a cluster. */
export class ClusterClient {
  readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;
  readonly coordination: CoordinationV1Api;
  readonly custom: CustomObjectsApi;

  constructor(readonly kubeConfig: KubeConfig) {
    poolConnections(kubeConfig);
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.coordination = kubeConfig.makeApiClient(CoordinationV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /** The current object, or undefined when it is gone. */
  async read(ref: ObjectRef): Promise<WorkloadObject | undefined> {
    try {
      return (await this.objects.read({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      })) as WorkloadObject;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  /**
   * Lets `change` compute the object's new version and replaces it with a
   * resourceVersion precondition; on 409 Conflict reads and applies again.
   * `known` (a recent copy, e.g. from a watch) saves the first read; a stale
   * copy only costs the conflict. `change` returning undefined means nothing
   * to do.
   */
  async update(
    ref: ObjectRef,
    change: (current: WorkloadObject) => WorkloadObject | undefined,
    options: { known?: WorkloadObject; attempts?: number } = {},
  ): Promise<WorkloadObject | undefined> {
    return this.replaceWithRetry(ref, change, options, next => this.objects.replace(next));
  }

  /**
   * As `update`, through the status subresource of a custom resource (`plural` its URL name): only `.status` is
   * written, as a controller writes the status it owns.
   */
  async updateStatus(
    ref: ObjectRef & { plural: string },
    change: (current: WorkloadObject) => WorkloadObject | undefined,
    options: { known?: WorkloadObject; attempts?: number } = {},
  ): Promise<WorkloadObject | undefined> {
    const [group, version] = ref.apiVersion.split('/');
    return this.replaceWithRetry(ref, change, options, body =>
      this.custom.replaceNamespacedCustomObjectStatus({
        group,
        version,
        namespace: ref.namespace,
        plural: ref.plural,
        name: ref.name,
        body,
      }),
    );
  }

  private async replaceWithRetry(
    ref: ObjectRef,
    change: (current: WorkloadObject) => WorkloadObject | undefined,
    options: { known?: WorkloadObject; attempts?: number },
    put: (next: WorkloadObject) => Promise<unknown>,
  ): Promise<WorkloadObject | undefined> {
    const attempts = options.attempts ?? 5;
    let current = options.known ? structuredClone(options.known) : await this.read(ref);
    let fresh = !options.known;
    for (let attempt = 1; ; attempt++) {
      if (!current) return undefined;
      const next = change(current);
      if (!next && fresh) return current;
      if (next) {
        next.metadata.resourceVersion = current.metadata.resourceVersion;
        try {
          return (await put(next)) as WorkloadObject;
        } catch (e) {
          if (statusOf(e) !== 409 || attempt >= attempts) throw e;
        }
      }
      // A conflict, or nothing to do according to a copy that may be stale: look at the object itself.
      current = await this.read(ref);
      fresh = true;
    }
  }

  /** Closes the pooled connections (idle ones never keep the process alive). */
  close() {
    for (const agent of pools.get(this.kubeConfig)?.values() ?? []) agent.destroy();
    pools.get(this.kubeConfig)?.clear();
  }
}
