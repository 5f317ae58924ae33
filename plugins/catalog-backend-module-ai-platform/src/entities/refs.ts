import { entityNameFor } from './names';

/** Entity names of the platform objects; one place, so references and entities agree. */
export const platformEntityNames = {
  cluster: (cluster: string) => entityNameFor(cluster),
  localQueue: (cluster: string, namespace: string, queue: string) => entityNameFor('lq', cluster, namespace, queue),
  clusterQueue: (cluster: string, name: string) => entityNameFor('cq', cluster, name),
  cohort: (cluster: string, name: string) => entityNameFor('cohort', cluster, name),
  gpuPool: (cluster: string, gpuProduct: string) => entityNameFor('pool', cluster, gpuProduct),
  workload: (cluster: string, namespace: string, name: string) => entityNameFor(cluster, namespace, name),
};

/** `resource:default/<name>` */
export const resourceRef = (name: string) => `resource:default/${name}`;

/** Annotations this module writes besides the shared ones in ai-platform-common. */
export const moduleAnnotations = {
  ownerUnresolved: 'ai-platform.io/owner-unresolved',
  gpuCapacity: 'ai-platform.io/gpu-capacity',
  gpuProduct: 'ai-platform.io/gpu-product',
  flavors: 'ai-platform.io/flavors',
  cohort: 'ai-platform.io/cohort',
  clusterQueue: 'ai-platform.io/cluster-queue',
  workloadState: 'ai-platform.io/workload-state',
  modelServerType: 'ai-platform.io/model-server-type',
  modelServerUrl: 'ai-platform.io/model-server-url',
  models: 'ai-platform.io/models',
  kubernetesLabelSelector: 'backstage.io/kubernetes-label-selector',
  techdocsEntity: 'backstage.io/techdocs-entity',
  managedByLocation: 'backstage.io/managed-by-location',
  managedByOriginLocation: 'backstage.io/managed-by-origin-location',
  kubernetesApiServer: 'kubernetes.io/api-server',
} as const;

/** Location key and managed-by location of everything read from one cluster. */
export const locationFor = (cluster: string) => `ai-platform:${cluster}`;
