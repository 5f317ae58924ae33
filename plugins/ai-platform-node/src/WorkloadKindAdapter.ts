import type { KubernetesObject } from '@kubernetes/client-node';
import type { WorkloadEntityType } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Admission, ResourceFlavor, Workload } from '@ai-platform/scheduler';

/** A Kubernetes object of a workload kind, as read from the API server. */
export interface WorkloadObject extends KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: NonNullable<KubernetesObject['metadata']> & { name: string; namespace: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** What an adapter needs besides the object to build the engine's view of it. */
export interface WorkloadContext {
  /** WorkloadPriorityClass name to value. */
  priorityClasses: Map<string, number>;
  /** The ResourceClaimTemplate of that namespace and name (resource.k8s.io/v1), for pods that claim DRA devices. */
  resourceClaimTemplate?: (namespace: string, name: string) => unknown | undefined;
}

/** How a finished workload ended; undefined while it runs or waits. */
export type WorkloadOutcome = 'Succeeded' | 'Failed' | undefined;

/**
 * Binds one Kubernetes workload kind to the admission engine: how to read its
 * pod sets, and how to hold it back (suspend) and let it start (admit).
 * Patch methods return a changed copy of the object, which the controller
 * writes back with a resourceVersion precondition.
 */
export interface WorkloadKindAdapter {
  apiVersion: string;
  kind: string;
  /** Resource name in URLs, e.g. "jobs". */
  plural: string;
  entityType: WorkloadEntityType;
  /** False for objects of this kind the platform leaves alone (e.g. a Deployment without a queue label). */
  handles(obj: WorkloadObject): boolean;
  toWorkload(obj: WorkloadObject, context: WorkloadContext): Workload;
  isSuspended(obj: WorkloadObject): boolean;
  suspendPatch(obj: WorkloadObject): WorkloadObject;
  /** Unsuspends and pins each pod set to its flavors' node labels and tolerations. */
  admitPatch(obj: WorkloadObject, admission: Admission, flavors: Map<string, ResourceFlavor>): WorkloadObject;
  outcome(obj: WorkloadObject): WorkloadOutcome;
  podsReady(obj: WorkloadObject): boolean;
}
