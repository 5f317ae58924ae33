import type { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterClient } from './ClusterClient';
import {
  namespaceKind,
  nodeKind,
  podKind,
  queueObjectKinds,
  resourceClaimKind,
  resourceFlavorKind,
  resourceSliceKind,
  type WatchTarget,
} from './kinds';
import type { ClusterConnection } from './connection';
import { Watch } from './Watch';

const keyOf = (t: WatchTarget) => `${t.apiVersion}/${t.kind}`;

/**
 * One cluster's connection and its informers: one list, then a watch, per
 * kind, shared by every reader (the admission controller, the cost ingestor,
 * the fleet summaries). Pods, nodes, namespaces, the Kueue queue objects and
 * the DRA claims and slices every cost pass reads (a cluster without
 * resource.k8s.io has none) are always watched; other kinds (workload kinds, Kueue Workloads) from the
 * first `informer` call for them.
 */
export class ClusterCache {
  readonly name: string;
  readonly client: ClusterClient;
  private readonly informers = new Map<string, Watch>();
  private readonly logger: LoggerService;
  private running = false;

  constructor(readonly connection: ClusterConnection, logger: LoggerService, private readonly maxBackoffMs?: number) {
    this.name = connection.name;
    this.client = new ClusterClient(connection.kubeConfig);
    this.logger = logger.child({ cluster: this.name });
    for (const target of [podKind, nodeKind, ...queueObjectKinds, resourceClaimKind, resourceSliceKind])
      this.informer(target);
  }

  /** The informer of one kind, created (and started, when the cache runs) on first use. */
  informer(target: WatchTarget): Watch {
    let watch = this.informers.get(keyOf(target));
    if (!watch) {
      watch = new Watch(this.connection.kubeConfig, target, this.logger, this.maxBackoffMs);
      this.informers.set(keyOf(target), watch);
      if (this.running) void watch.start();
    }
    return watch;
  }

  get pods(): Watch {
    return this.informer(podKind);
  }

  get nodes(): Watch {
    return this.informer(nodeKind);
  }

  get namespaces(): Watch {
    return this.informer(namespaceKind);
  }

  get resourceFlavors(): Watch {
    return this.informer(resourceFlavorKind);
  }

  /** The Kueue queue objects and the Namespaces the queue configuration is built from. */
  get queueObjects(): Watch[] {
    return queueObjectKinds.map(t => this.informer(t));
  }

  /** The first error of the given informers (all of them by default), cleared once they list or watch again. */
  lastError(watches: Iterable<Watch> = this.informers.values()): string | undefined {
    for (const w of watches) if (w.lastError) return w.lastError;
    return undefined;
  }

  /** Lists made so far, per kind: one each, plus one per 410 Gone; never one per reader or per minute. */
  listCounts(): Record<string, number> {
    return Object.fromEntries([...this.informers.values()].map(w => [w.target.kind, w.lists]));
  }

  /** Starts every informer; resolves once each has listed once (or failed, and retries in the background). */
  async start(): Promise<void> {
    this.running = true;
    await Promise.all([...this.informers.values()].map(w => w.start()));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.informers.values()].map(w => w.stop()));
    this.client.close();
  }
}
