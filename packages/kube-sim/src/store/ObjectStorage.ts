import { apiVersionOf } from './resourceTypes';
import { StoreError, type KubeObject, type ResourceType, type StoreEvent, type WatchEventType } from './types';

/** namespace ('' when cluster-scoped) -> name -> frozen object */
type Bucket = Map<string, Map<string, KubeObject>>;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

/** Versions of one resource share a bucket, so a write through v1beta1 is read through v1beta2. */
function storageKey(type: ResourceType): string {
  return `${type.group}/${type.plural}`;
}

/**
 * The storage layer under the registry, as etcd is under kube-apiserver: frozen objects per
 * group/resource and namespace, a global monotonic resourceVersion and a bounded event history
 * for watch resume. It knows nothing of kinds: defaulting, validation and deletion rules live
 * in the registry and its strategies, cascades in the garbage collector.
 */
export class ObjectStorage {
  private readonly buckets = new Map<string, Bucket>();
  private readonly typesByApiVersionKind = new Map<string, ResourceType>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly history: StoreEvent[];
  private historyStart = 0;
  private historyLength = 0;
  /** resourceVersion of the newest event that has left the history */
  private evictedUpTo = 0;
  private resourceVersion = 0;
  /** Events committed while listeners were being told of an earlier one; see `deliver`. */
  private readonly undelivered: StoreEvent[] = [];

  constructor(resourceTypes: ResourceType[], historySize: number) {
    for (const type of resourceTypes) {
      this.typesByApiVersionKind.set(`${apiVersionOf(type)}/${type.kind}`, type);
      if (!this.buckets.has(storageKey(type))) this.buckets.set(storageKey(type), new Map());
    }
    this.history = new Array(Math.max(1, historySize));
  }

  /** The served type of this apiVersion and kind, if any. */
  servedType(apiVersion: string, kind: string): ResourceType | undefined {
    return this.typesByApiVersionKind.get(`${apiVersion}/${kind}`);
  }

  servedApiVersionKinds(): string[] {
    return [...this.typesByApiVersionKind.keys()];
  }

  currentResourceVersion(): number {
    return this.resourceVersion;
  }

  /** The stored (frozen) object, as written through whichever version wrote it last. */
  lookup(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(type)
      .get(type.namespaced ? namespace ?? '' : '')
      ?.get(name);
  }

  /** Every stored object of the resource, or of one namespace of it. */
  *objects(type: ResourceType, namespace?: string): Iterable<KubeObject> {
    const bucket = this.bucket(type);
    if (type.namespaced && namespace) yield* bucket.get(namespace)?.values() ?? [];
    else for (const objects of bucket.values()) yield* objects.values();
  }

  /** Stamps a new resourceVersion, freezes and stores the object, and tells every listener. */
  put(type: ResourceType, object: KubeObject, old?: KubeObject): KubeObject {
    object.metadata.resourceVersion = String(++this.resourceVersion);
    const stored = deepFreeze(object);
    const bucket = this.bucket(type);
    const namespace = stored.metadata.namespace ?? '';
    let objects = bucket.get(namespace);
    if (!objects) {
      objects = new Map();
      bucket.set(namespace, objects);
    }
    objects.set(stored.metadata.name!, stored);
    this.emit(old ? 'MODIFIED' : 'ADDED', type, stored, old);
    return stored;
  }

  /** Removes a stored object; the DELETED event carries it at a new resourceVersion. */
  remove(type: ResourceType, old: KubeObject): KubeObject {
    const namespace = old.metadata.namespace ?? '';
    const bucket = this.bucket(type);
    const objects = bucket.get(namespace)!;
    objects.delete(old.metadata.name!);
    if (objects.size === 0) bucket.delete(namespace);
    const gone: KubeObject = { ...old, metadata: { ...old.metadata } };
    gone.metadata.resourceVersion = String(++this.resourceVersion);
    const final = deepFreeze(gone);
    this.emit('DELETED', type, final);
    return final;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  eventsSince(resourceVersion: number): StoreEvent[] {
    if (resourceVersion < this.evictedUpTo) {
      throw new StoreError(410, 'Expired', `too old resource version: ${resourceVersion} (${this.resourceVersion})`);
    }
    // The history is sorted by resourceVersion: binary-search the first newer event.
    let lo = 0;
    let hi = this.historyLength;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.eventRv(this.historyAt(mid)) <= resourceVersion) lo = mid + 1;
      else hi = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < this.historyLength; i++) out.push(this.historyAt(i));
    return out;
  }

  private historyAt(i: number): StoreEvent {
    return this.history[(this.historyStart + i) % this.history.length];
  }

  private eventRv(event: StoreEvent): number {
    return Number(event.object.metadata.resourceVersion);
  }

  private bucket(type: ResourceType): Bucket {
    const bucket = this.buckets.get(storageKey(type));
    if (!bucket) {
      throw new StoreError(
        404,
        'NotFound',
        `the server could not find the requested resource (${type.plural}.${type.group || 'core'} is not served)`,
      );
    }
    return bucket;
  }

  private emit(eventType: WatchEventType, type: ResourceType, object: KubeObject, oldObject?: KubeObject): void {
    const resource = this.servedType(object.apiVersion, object.kind) ?? type;
    const event: StoreEvent = oldObject
      ? { type: eventType, resource, object, oldObject }
      : { type: eventType, resource, object };
    if (this.historyLength === this.history.length) {
      this.evictedUpTo = this.eventRv(this.history[this.historyStart]);
      this.historyStart = (this.historyStart + 1) % this.history.length;
      this.historyLength--;
    }
    this.history[(this.historyStart + this.historyLength) % this.history.length] = event;
    this.historyLength++;
    this.deliver(event);
  }

  /**
   * Tells every listener of every event in resourceVersion order. A listener may write (the
   * garbage collector deletes dependents while hearing of their owner's deletion): what it
   * writes is told to everyone after the event at hand, never in the middle of it.
   */
  private deliver(event: StoreEvent): void {
    this.undelivered.push(event);
    if (this.undelivered.length > 1) return;
    for (let i = 0; i < this.undelivered.length; i++) {
      for (const listener of this.listeners) {
        try {
          listener(this.undelivered[i]);
        } catch (error) {
          // A failing listener must not undo or hide a committed write from the others; surface it loudly.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
    this.undelivered.length = 0;
  }
}
