import type { ResourceType } from './types';

function kueue(version: string): ResourceType[] {
  const group = 'kueue.x-k8s.io';
  return [
    {
      group,
      version,
      kind: 'ResourceFlavor',
      plural: 'resourceflavors',
      shortNames: ['flavor', 'flavors', 'rf'],
      namespaced: false,
    },
    {
      group,
      version,
      kind: 'ClusterQueue',
      plural: 'clusterqueues',
      shortNames: ['cq'],
      namespaced: false,
      hasStatus: true,
    },
    {
      group,
      version,
      kind: 'LocalQueue',
      plural: 'localqueues',
      shortNames: ['queue', 'queues', 'lq'],
      namespaced: true,
      hasStatus: true,
    },
    {
      group,
      version,
      kind: 'Cohort',
      plural: 'cohorts',
      namespaced: false,
      hasStatus: true,
    },
    {
      group,
      version,
      kind: 'WorkloadPriorityClass',
      plural: 'workloadpriorityclasses',
      namespaced: false,
    },
    {
      group,
      version,
      kind: 'Workload',
      plural: 'workloads',
      shortNames: ['wl'],
      namespaced: true,
      hasStatus: true,
    },
  ];
}

/** resource.k8s.io/v1: DRA's device classes, the devices nodes publish, and the claims pods make. */
function dynamicResourceAllocation(): ResourceType[] {
  const group = 'resource.k8s.io';
  const version = 'v1';
  return [
    { group, version, kind: 'DeviceClass', plural: 'deviceclasses', namespaced: false },
    { group, version, kind: 'ResourceSlice', plural: 'resourceslices', namespaced: false },
    { group, version, kind: 'ResourceClaimTemplate', plural: 'resourceclaimtemplates', namespaced: true },
    { group, version, kind: 'ResourceClaim', plural: 'resourceclaims', namespaced: true, hasStatus: true },
  ];
}

/** Every type kube-sim serves: the Kubernetes built-ins an AI platform touches plus the batch/serving CRDs. */
export const builtinResourceTypes: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    shortNames: ['ns'],
    namespaced: false,
    hasStatus: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Node',
    plural: 'nodes',
    shortNames: ['no'],
    namespaced: false,
    hasStatus: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    shortNames: ['po'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    shortNames: ['ev'],
    namespaced: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    shortNames: ['cm'],
    namespaced: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    shortNames: ['svc'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    shortNames: ['sa'],
    namespaced: true,
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    plural: 'jobs',
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    shortNames: ['deploy'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    shortNames: ['sts'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
  },
  {
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    shortNames: ['pc'],
    namespaced: false,
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    shortNames: ['ev'],
    namespaced: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    shortNames: ['netpol'],
    namespaced: true,
  },
  // The rest of the types the Backstage Kubernetes plugin fetches by default, so it finds no gaps.
  {
    group: '',
    version: 'v1',
    kind: 'LimitRange',
    plural: 'limitranges',
    shortNames: ['limits'],
    namespaced: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    shortNames: ['quota'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    shortNames: ['rs'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    shortNames: ['ds'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'CronJob',
    plural: 'cronjobs',
    shortNames: ['cj'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    shortNames: ['hpa'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    shortNames: ['ing'],
    namespaced: true,
    hasStatus: true,
  },
  ...dynamicResourceAllocation(),
  ...kueue('v1beta1'),
  ...kueue('v1beta2'),
  {
    group: 'jobset.x-k8s.io',
    version: 'v1alpha2',
    kind: 'JobSet',
    plural: 'jobsets',
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'kubeflow.org',
    version: 'v1',
    kind: 'PyTorchJob',
    plural: 'pytorchjobs',
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'trainer.kubeflow.org',
    version: 'v1alpha1',
    kind: 'TrainJob',
    plural: 'trainjobs',
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'ray.io',
    version: 'v1',
    kind: 'RayJob',
    plural: 'rayjobs',
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'ray.io',
    version: 'v1',
    kind: 'RayCluster',
    plural: 'rayclusters',
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'leaderworkerset.x-k8s.io',
    version: 'v1',
    kind: 'LeaderWorkerSet',
    plural: 'leaderworkersets',
    shortNames: ['lws'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'serving.kserve.io',
    version: 'v1beta1',
    kind: 'InferenceService',
    plural: 'inferenceservices',
    shortNames: ['isvc'],
    namespaced: true,
    hasStatus: true,
  },
  {
    group: 'sparkoperator.k8s.io',
    version: 'v1beta2',
    kind: 'SparkApplication',
    plural: 'sparkapplications',
    shortNames: ['sparkapp'],
    namespaced: true,
    hasStatus: true,
  },
  // Argo's Workflow CRD declares no status subresource: .status is written through the main resource.
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Workflow',
    plural: 'workflows',
    shortNames: ['wf'],
    namespaced: true,
  },
  {
    group: 'keda.sh',
    version: 'v1alpha1',
    kind: 'ScaledObject',
    plural: 'scaledobjects',
    shortNames: ['so'],
    namespaced: true,
    hasStatus: true,
  },
].map(t => ({ ...t, singular: t.kind.toLowerCase() }));

/** 'v1' for the core group, '<group>/<version>' otherwise. */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** How Kubernetes names a resource in messages: 'pods', 'clusterqueues.kueue.x-k8s.io'. */
export function qualifiedResource(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** The 404 message Kubernetes gives for a missing object: `pods "web" not found`. */
export function notFoundMessage(type: ResourceType, name: string): string {
  return `${qualifiedResource(type)} "${name}" not found`;
}

/** API groups built into Kubernetes; every other group is served by a CustomResourceDefinition. */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'coordination.k8s.io',
  'events.k8s.io',
  'networking.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
]);

/** True for CRD-backed types, which Kubernetes does not strategic-merge-patch. */
export function isCustomResource(type: ResourceType): boolean {
  return !BUILTIN_GROUPS.has(type.group);
}
