/**
 * The contract between kube-sim's API server (src/store, src/api) and its
 * simulation (src/sim: controllers, pod scheduler, kubelet, telemetry).
 * Controllers never speak HTTP: they read and write the same store the API
 * server serves, so a change made by kubectl and a change made by a
 * controller look identical to every watcher.
 */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/** One served resource, e.g. { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true }. */
export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular?: string;
  shortNames?: string[];
  namespaced: boolean;
  /** true when the resource has a status subresource (writes to the main resource keep the stored status). */
  hasStatus?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceType;
  object: KubeObject;
  /** For MODIFIED: the object as it was before, so watchers with selectors can tell "left the selection" from "changed". */
  oldObject?: KubeObject;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * An error the API server turns into a Kubernetes Status object
 * (reason NotFound/AlreadyExists/Conflict/Invalid/Gone, code 404/409/422/410).
 */
export class StoreError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
  }
}

export interface ObjectStore {
  readonly resourceTypes: ResourceType[];
  /** Finds a served type by kind and apiVersion ('v1', 'batch/v1', ...). */
  typeFor(apiVersion: string, kind: string): ResourceType;
  /** The current global resourceVersion (monotonic across all types). */
  currentResourceVersion(): number;

  /** A private copy the caller may change and write back. */
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Read-only (frozen) snapshots, so listing 100,000 pods copies nothing: structuredClone one before changing it. */
  list(type: ResourceType, options?: ListOptions): KubeObject[];
  /** Assigns uid, creationTimestamp, resourceVersion, name from generateName; 409 AlreadyExists. */
  create(type: ResourceType, object: KubeObject): KubeObject;
  /** 409 Conflict when object.metadata.resourceVersion is set and stale. Keeps stored status when type.hasStatus. */
  update(type: ResourceType, object: KubeObject): KubeObject;
  /** Replaces only .status. */
  updateStatus(type: ResourceType, object: KubeObject): KubeObject;
  /** Deletes and cascades to dependents through ownerReferences. Returns the deleted object. */
  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject;

  /** Every change, synchronously after it is applied, in resourceVersion order. Returns an unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void;

  /**
   * The retained events with resourceVersion > the given one, oldest first, for watch resume.
   * Throws StoreError 410 Expired when events after it have already left the history.
   * Optional: without it the API server can only start watches at the current resourceVersion.
   */
  eventsSince?(resourceVersion: number): StoreEvent[];
}
