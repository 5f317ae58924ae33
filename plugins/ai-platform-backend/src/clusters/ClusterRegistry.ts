import type { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterCache } from './ClusterCache';
import type { ClusterConnection } from './connection';

export { ClusterCache } from './ClusterCache';

/**
 * Every configured cluster's connection and informers, one set per cluster
 * for the whole backend. The admission controller, the cost ingestor and the
 * fleet summaries read the same caches: each kind is listed once per cluster
 * and then watched, never re-listed on a timer.
 */
export class ClusterRegistry {
  readonly clusters: ClusterCache[];
  private readonly byName: Map<string, ClusterCache>;
  private starting?: Promise<void>;

  constructor(connections: ClusterConnection[], logger: LoggerService, options: { maxBackoffMs?: number } = {}) {
    this.clusters = connections.map(c => new ClusterCache(c, logger, options.maxBackoffMs));
    this.byName = new Map(this.clusters.map(c => [c.name, c]));
  }

  get(name: string): ClusterCache | undefined {
    return this.byName.get(name);
  }

  /** Starts every cluster's informers (once, however often it is called); resolves when each has listed once. */
  start(): Promise<void> {
    this.starting ??= Promise.all(this.clusters.map(c => c.start())).then(() => undefined);
    return this.starting;
  }

  async stop(): Promise<void> {
    this.starting = undefined;
    await Promise.all(this.clusters.map(c => c.stop()));
  }
}
