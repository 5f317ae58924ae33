/** What to watch: cluster-wide list+watch of one resource. */
export interface WatchTarget {
  apiVersion: string;
  kind: string;
  /** URL resource name, e.g. "jobs". */
  plural: string;
}

export const podKind: WatchTarget = { apiVersion: 'v1', kind: 'Pod', plural: 'pods' };
export const nodeKind: WatchTarget = { apiVersion: 'v1', kind: 'Node', plural: 'nodes' };
export const namespaceKind: WatchTarget = { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces' };

const kueue = (kind: string, plural: string): WatchTarget => ({ apiVersion: 'kueue.x-k8s.io/v1beta1', kind, plural });

export const resourceFlavorKind = kueue('ResourceFlavor', 'resourceflavors');
export const localQueueKind = kueue('LocalQueue', 'localqueues');

/** The Kueue objects (and Namespaces, for namespaceSelector) the queue configuration is built from. */
export const queueObjectKinds: WatchTarget[] = [
  resourceFlavorKind,
  kueue('ClusterQueue', 'clusterqueues'),
  localQueueKind,
  kueue('Cohort', 'cohorts'),
  kueue('WorkloadPriorityClass', 'workloadpriorityclasses'),
  kueue('Topology', 'topologies'),
  namespaceKind,
];

/** DRA's ResourceClaimTemplates, whose device requests a pod set's quota counts. */
export const resourceClaimTemplateKind: WatchTarget = {
  apiVersion: 'resource.k8s.io/v1',
  kind: 'ResourceClaimTemplate',
  plural: 'resourceclaimtemplates',
};

/** DRA's ResourceClaims: the devices allocated to pods, which the cost ledger counts. */
export const resourceClaimKind: WatchTarget = {
  apiVersion: 'resource.k8s.io/v1',
  kind: 'ResourceClaim',
  plural: 'resourceclaims',
};

/** DRA's ResourceSlices: each node's devices with their attributes (a MIG partition's profile). */
export const resourceSliceKind: WatchTarget = {
  apiVersion: 'resource.k8s.io/v1',
  kind: 'ResourceSlice',
  plural: 'resourceslices',
};

/** Kueue's own Workload objects, whose status holds its admissions (read in observe mode). */
export const kueueWorkloadKind = kueue('Workload', 'workloads');
