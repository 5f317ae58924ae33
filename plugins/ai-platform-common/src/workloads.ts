/** Lifecycle states of an AI workload, as the platform reports them. */
export const workloadStates = [
  'Pending',
  'Admitted',
  'Running',
  'Preempted',
  'Succeeded',
  'Failed',
  'Cancelled',
] as const;

/** Lifecycle state of a workload. */
export type WorkloadState = (typeof workloadStates)[number];

/** Catalog `spec.type` values for AI workload components. */
export const workloadEntityTypes = [
  'training-job',
  'inference-service',
  'ai-agent',
  'data-pipeline',
  'ml-pipeline',
  'batch-job',
] as const;

/** Catalog `spec.type` of an AI workload component. */
export type WorkloadEntityType = (typeof workloadEntityTypes)[number];

/** Catalog `spec.type` values for platform resources. */
export const resourceEntityTypes = {
  queue: 'gpu-queue',
  cluster: 'kubernetes-cluster',
  gpuPool: 'gpu-pool',
} as const;

/** Labels and annotations this project reads and writes, Kueue's where they exist. */
export const labels = {
  queueName: 'kueue.x-k8s.io/queue-name',
  priorityClass: 'kueue.x-k8s.io/priority-class',
  team: 'ai-platform.io/team',
  kind: 'ai-platform.io/workload-type',
  system: 'ai-platform.io/system',
  kubernetesId: 'backstage.io/kubernetes-id',
  /** The GPU model on a node (NVIDIA's GPU feature discovery). */
  gpuProduct: 'nvidia.com/gpu.product',
} as const;

/** Annotations on Kubernetes objects and catalog entities. */
export const annotations = {
  expectedDuration: 'ai-platform.io/expected-duration-seconds',
  kubernetesId: 'backstage.io/kubernetes-id',
  kubernetesNamespace: 'backstage.io/kubernetes-namespace',
  kubernetesCluster: 'backstage.io/kubernetes-cluster',
  queue: 'ai-platform.io/queue',
  cluster: 'ai-platform.io/cluster',
  workload: 'ai-platform.io/workload',
  techdocsRef: 'backstage.io/techdocs-ref',
} as const;
