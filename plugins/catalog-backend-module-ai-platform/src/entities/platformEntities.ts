import type { Entity } from '@backstage/catalog-model';
import {
  annotations,
  resourceEntityTypes,
  type ClusterSummary,
  type QueueListResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { ownerFor, type MappingContext } from './owner';
import { locationFor, moduleAnnotations, platformEntityNames, resourceRef } from './refs';

/** `spec.type` of Kueue cohorts, which have no type in ai-platform-common. */
export const cohortEntityType = 'gpu-cohort';

function resource(
  cluster: string,
  name: string,
  spec: { type: string; owner: string; dependsOn?: string[] },
  meta: { title: string; description: string; annotations?: Record<string, string> },
): Entity {
  const location = locationFor(cluster);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      title: meta.title,
      description: meta.description,
      annotations: {
        [moduleAnnotations.managedByLocation]: location,
        [moduleAnnotations.managedByOriginLocation]: location,
        [annotations.cluster]: cluster,
        ...meta.annotations,
      },
    },
    spec: {
      type: spec.type,
      owner: spec.owner,
      ...(spec.dependsOn?.length ? { dependsOn: spec.dependsOn } : {}),
    },
  };
}

function clean(entity: Entity): Entity {
  // JSON drops undefined fields, so the entity hashes the same as what the catalog stores.
  return JSON.parse(JSON.stringify(entity));
}

/** Resources for LocalQueues, ClusterQueues and cohorts. */
export function queueEntities(queues: QueueListResponse, context: MappingContext): Entity[] {
  const entities: Entity[] = [];
  const cohorts = new Map<string, { cluster: string; name: string; parent?: string }>();
  for (const cohort of queues.cohorts) {
    cohorts.set(`${cohort.cluster}/${cohort.name}`, cohort);
  }
  for (const cq of queues.clusterQueues) {
    // Kueue creates cohorts implicitly when a ClusterQueue names one.
    if (cq.cohort && !cohorts.has(`${cq.cluster}/${cq.cohort}`)) {
      cohorts.set(`${cq.cluster}/${cq.cohort}`, { cluster: cq.cluster, name: cq.cohort });
    }
  }
  for (const cohort of cohorts.values()) {
    if (cohort.parent && !cohorts.has(`${cohort.cluster}/${cohort.parent}`)) {
      cohorts.set(`${cohort.cluster}/${cohort.parent}`, { cluster: cohort.cluster, name: cohort.parent });
    }
  }
  for (const cohort of cohorts.values()) {
    entities.push(
      resource(
        cohort.cluster,
        platformEntityNames.cohort(cohort.cluster, cohort.name),
        {
          type: cohortEntityType,
          owner: context.platformOwner,
          dependsOn: [
            resourceRef(platformEntityNames.cluster(cohort.cluster)),
            ...(cohort.parent ? [resourceRef(platformEntityNames.cohort(cohort.cluster, cohort.parent))] : []),
          ],
        },
        {
          title: `Cohort ${cohort.name} (${cohort.cluster})`,
          description: `Kueue cohort ${cohort.name} on cluster ${cohort.cluster}: ClusterQueues that lend each other unused quota`,
          annotations: { [moduleAnnotations.cohort]: cohort.name },
        },
      ),
    );
  }
  for (const cq of queues.clusterQueues) {
    const cqName = platformEntityNames.clusterQueue(cq.cluster, cq.name);
    const cohortRef = cq.cohort ? [resourceRef(platformEntityNames.cohort(cq.cluster, cq.cohort))] : [];
    entities.push(
      resource(
        cq.cluster,
        cqName,
        {
          type: resourceEntityTypes.queue,
          owner: context.platformOwner,
          dependsOn: [resourceRef(platformEntityNames.cluster(cq.cluster)), ...cohortRef],
        },
        {
          title: `ClusterQueue ${cq.name} (${cq.cluster})`,
          description: `Kueue ClusterQueue ${cq.name} on cluster ${cq.cluster} (${cq.queueingStrategy})`,
          annotations: {
            [moduleAnnotations.clusterQueue]: cq.name,
            ...(cq.cohort ? { [moduleAnnotations.cohort]: cq.cohort } : {}),
          },
        },
      ),
    );
    for (const lq of cq.localQueues) {
      const subject = `LocalQueue ${cq.cluster}/${lq.namespace}/${lq.name}`;
      const { owner, unresolved } = ownerFor(lq.team, subject, context);
      entities.push(
        resource(
          cq.cluster,
          platformEntityNames.localQueue(cq.cluster, lq.namespace, lq.name),
          { type: resourceEntityTypes.queue, owner, dependsOn: [resourceRef(cqName), ...cohortRef] },
          {
            title: `Queue ${lq.namespace}/${lq.name} (${cq.cluster})`,
            description: `Kueue LocalQueue ${lq.namespace}/${lq.name} on cluster ${cq.cluster}, feeding ClusterQueue ${cq.name}`,
            annotations: {
              [annotations.queue]: lq.name,
              [annotations.kubernetesNamespace]: lq.namespace,
              [moduleAnnotations.clusterQueue]: cq.name,
              ...(unresolved ? { [moduleAnnotations.ownerUnresolved]: 'true' } : {}),
            },
          },
        ),
      );
    }
  }
  return entities.map(clean);
}

const isGpuResource = (resourceName: string) => /gpu/i.test(resourceName);

/** Resources for clusters and, per cluster and GPU product, GPU pools. */
export function clusterEntities(clusters: ClusterSummary[], context: MappingContext): Entity[] {
  const entities: Entity[] = [];
  for (const cluster of clusters) {
    const clusterName = platformEntityNames.cluster(cluster.name);
    entities.push(
      resource(
        cluster.name,
        clusterName,
        { type: resourceEntityTypes.cluster, owner: context.platformOwner },
        {
          title: cluster.name,
          description: `Kubernetes cluster ${cluster.name} (${
            cluster.mode === 'admit'
              ? 'the AI platform admits workloads'
              : 'Kueue admits workloads; the AI platform observes'
          })`,
        },
      ),
    );
    const pools = new Map<string, { capacity: number; flavors: string[] }>();
    for (const flavor of cluster.flavors) {
      if (!flavor.gpuProduct) {
        continue;
      }
      const pool = pools.get(flavor.gpuProduct) ?? { capacity: 0, flavors: [] };
      pool.flavors.push(flavor.name);
      for (const [resourceName, amount] of Object.entries(flavor.capacity)) {
        if (isGpuResource(resourceName)) {
          pool.capacity += amount;
        }
      }
      pools.set(flavor.gpuProduct, pool);
    }
    for (const [product, pool] of [...pools.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      entities.push(
        resource(
          cluster.name,
          platformEntityNames.gpuPool(cluster.name, product),
          { type: resourceEntityTypes.gpuPool, owner: context.platformOwner, dependsOn: [resourceRef(clusterName)] },
          {
            title: `${product} on ${cluster.name}`,
            description: `The ${product} GPUs of cluster ${cluster.name}`,
            annotations: {
              [moduleAnnotations.gpuProduct]: product,
              [moduleAnnotations.gpuCapacity]: String(pool.capacity),
              [moduleAnnotations.flavors]: pool.flavors.sort().join(','),
            },
          },
        ),
      );
    }
  }
  return entities.map(clean);
}
