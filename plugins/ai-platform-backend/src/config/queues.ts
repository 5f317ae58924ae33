import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ConfigError, parseEngineOptions, type EngineOptions } from '@ai-platform/scheduler';
import type { ClusterConnection } from '../clusters/connection';

/** Kueue objects from config: `aiPlatform.queues` for every cluster, and each cluster's own `aiPlatform.clusters.<name>.queues`. */
export interface QueueSettings {
  shared: unknown[];
  byCluster: Map<string, unknown[]>;
}

function queueList(config: Config, key: string): unknown[] {
  const list = config.getOptional(key) ?? [];
  if (!Array.isArray(list))
    throw new InputError(`${key} must be a list of Kueue objects (ResourceFlavor, ClusterQueue, LocalQueue, ...)`);
  return list;
}

export function readQueues(config: Config, clusters: ClusterConnection[]): QueueSettings {
  return {
    shared: queueList(config, 'aiPlatform.queues'),
    byCluster: new Map(clusters.map(c => [c.name, queueList(config, `aiPlatform.clusters.${c.name}.queues`)])),
  };
}

/** `aiPlatform.engine` (fair sharing, waitForPodsReady, ...), each problem naming its field. */
export function readEngineOptions(config: Config): EngineOptions {
  try {
    return parseEngineOptions(config.getOptional('aiPlatform.engine') as Record<string, unknown> | undefined);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new InputError(e.problems.map(p => p.replace(/^config\b/, 'aiPlatform.engine')).join('\n'));
  }
}
