import type { KubeObject, ObjectStore, ResourceType, StoreEvent } from '../../store/types';
import { StoreError } from '../../store/types';

interface Dependent {
  type: ResourceType;
  namespace?: string;
  name: string;
}

const dependentKey = (type: ResourceType, o: KubeObject) =>
  `${type.group}/${type.plural}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * Kubernetes' garbage collector: when an object goes, so do the objects that name it in their
 * ownerReferences (every propagationPolicy cascades in the background). It deletes while it
 * hears of the owner's deletion, so a delete returns with its dependents gone; watchers still
 * see the owner's DELETED first.
 */
export class GarbageCollector {
  /** owner uid -> its dependents */
  private readonly dependents = new Map<string, Map<string, Dependent>>();
  private unsubscribe?: () => void;

  constructor(private readonly ctx: { store: ObjectStore }) {}

  start(): void {
    const { store } = this.ctx;
    this.unsubscribe = store.subscribe(e => this.onEvent(e));
    for (const type of store.resourceTypes) {
      for (const o of store.list(type)) this.index(type, undefined, o);
    }
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private onEvent(e: StoreEvent): void {
    if (e.type !== 'DELETED') {
      this.index(e.resource, e.oldObject, e.object);
      return;
    }
    this.index(e.resource, e.object, undefined);
    const uid = e.object.metadata.uid;
    const dependents = uid ? this.dependents.get(uid) : undefined;
    if (!dependents) return;
    this.dependents.delete(uid!);
    for (const d of dependents.values()) deleteIfPresent(this.ctx.store, d.type, d.namespace, d.name);
  }

  private index(type: ResourceType, before: KubeObject | undefined, after: KubeObject | undefined): void {
    const was = before?.metadata.ownerReferences ?? [];
    const is = after?.metadata.ownerReferences ?? [];
    if (was.length === 0 && is.length === 0) return;
    const object = (after ?? before)!;
    const key = dependentKey(type, object);
    for (const ref of was) {
      const set = this.dependents.get(ref.uid);
      set?.delete(key);
      if (set?.size === 0) this.dependents.delete(ref.uid);
    }
    for (const ref of is) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Map()));
      set.set(key, { type, namespace: object.metadata.namespace, name: object.metadata.name! });
    }
  }
}

/** Deletes an object unless something else (another cascade, a namespace going) already has. */
export function deleteIfPresent(store: ObjectStore, type: ResourceType, namespace: string | undefined, name: string) {
  try {
    store.delete(type, namespace, name);
  } catch (error) {
    if (!(error instanceof StoreError && error.code === 404)) throw error;
  }
}
