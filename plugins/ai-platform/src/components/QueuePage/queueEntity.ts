import type { Entity } from '@backstage/catalog-model';
import { annotations } from '@ai-platform/backstage-plugin-ai-platform-common';

/**
 * Annotations the catalog module writes on queue Resources in addition to the
 * shared ones (plugins/catalog-backend-module-ai-platform, entities/refs.ts).
 */
export const queueAnnotations = {
  clusterQueue: 'ai-platform.io/cluster-queue',
  cohort: 'ai-platform.io/cohort',
} as const;

/** Which Kueue queue a gpu-queue Resource stands for. */
export interface QueueEntityTarget {
  cluster: string;
  clusterQueue: string;
  /** Set when the entity is a LocalQueue feeding `clusterQueue`. */
  localQueue?: { namespace: string; name: string };
}

/** Reads the ClusterQueue (and LocalQueue, if any) a gpu-queue entity names; an error sentence when it names none. */
export function queueEntityTarget(entity: Entity): QueueEntityTarget | { error: string } {
  const a = entity.metadata.annotations ?? {};
  const cluster = a[annotations.cluster];
  const clusterQueue = a[queueAnnotations.clusterQueue];
  if (!cluster || !clusterQueue) {
    return {
      error: `This queue entity has no ${
        !cluster ? annotations.cluster : queueAnnotations.clusterQueue
      } annotation; the AI platform catalog module sets it on the queues it emits, so add it or re-ingest the entity.`,
    };
  }
  const lqName = a[annotations.queue];
  const lqNamespace = a[annotations.kubernetesNamespace];
  return {
    cluster,
    clusterQueue,
    ...(lqName && lqNamespace ? { localQueue: { namespace: lqNamespace, name: lqName } } : {}),
  };
}
