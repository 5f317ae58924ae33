interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

/** The parts of a Kubernetes object ownership is decided from. */
export interface OwnedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    uid?: string;
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
}

/** The API group of an apiVersion ("batch/v1" → "batch", "v1" → ""). */
export function apiGroup(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? '').indexOf('/');
  return slash < 0 ? '' : apiVersion!.slice(0, slash);
}

/** The owner reference marked as the object's controller, as Kubernetes' garbage collector reads it. */
export function controllerOwner(obj: OwnedObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find(o => o.controller === true);
}

/** A kind by API group and name; versions differ between a parent's ownerReference and its watch. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

/**
 * The set of workload kinds the platform manages. As in Kueue's job
 * framework, an object whose controller owner is one of these kinds is part
 * of that owner's workload: never queued, admitted, suspended or preempted on
 * its own, and never a catalog entity. A Job made by a CronJob, which nothing
 * here manages, stays a workload of its own.
 */
export class ManagedKinds {
  private readonly keys: Set<string>;

  constructor(kinds: Iterable<KindRef>) {
    // A Pod's children (a LeaderWorkerSet's worker StatefulSet is owned by its leader Pod) belong to the Pod's
    // workload, as under Kueue's pod integration: a Pod is never the top of a workload that owns objects.
    this.keys = new Set([...kinds, { apiVersion: 'v1', kind: 'Pod' }].map(k => `${apiGroup(k.apiVersion)}/${k.kind}`));
  }

  has(ref: { apiVersion?: string; kind: string }): boolean {
    return this.keys.has(`${apiGroup(ref.apiVersion)}/${ref.kind}`);
  }

  /** True when the object's controller owner is a managed kind. */
  ownsPartOf(obj: OwnedObject): boolean {
    const owner = controllerOwner(obj);
    return owner !== undefined && this.has(owner);
  }
}

interface Node {
  namespace: string;
  kind: string;
  name: string;
  ownerUid?: string;
}

/** The top-level workload an object belongs to. */
export interface TopLevelWorkload {
  namespace: string;
  kind: string;
  name: string;
}

/**
 * Every watched object's controller owner, so that a pod (or a child Job) can
 * be traced up to the top-level workload it belongs to: TrainJob → JobSet →
 * Job → Pod, InferenceService → Deployment → ReplicaSet → Pod. ReplicaSets are
 * not watched: a pod of one is traced through the Deployment the ReplicaSet
 * is named after (`<deployment>-<pod-template-hash>`).
 */
export class OwnerIndex {
  private readonly byUid = new Map<string, Node>();
  private readonly uidByName = new Map<string, string>();

  private static nameKey(namespace: string, kind: string, name: string) {
    return `${namespace}/${kind}/${name}`;
  }

  record(obj: OwnedObject) {
    const uid = obj.metadata?.uid;
    if (!uid || !obj.kind || !obj.metadata?.name) return;
    const namespace = obj.metadata.namespace ?? '';
    this.byUid.set(uid, { namespace, kind: obj.kind, name: obj.metadata.name, ownerUid: controllerOwner(obj)?.uid });
    this.uidByName.set(OwnerIndex.nameKey(namespace, obj.kind, obj.metadata.name), uid);
  }

  forget(obj: OwnedObject) {
    const uid = obj.metadata?.uid;
    const node = uid ? this.byUid.get(uid) : undefined;
    if (!uid || !node) return;
    this.byUid.delete(uid);
    const key = OwnerIndex.nameKey(node.namespace, node.kind, node.name);
    if (this.uidByName.get(key) === uid) this.uidByName.delete(key);
  }

  /**
   * The top-level object above `obj` among the watched ones; undefined when none of its owners is known.
   * `unwatched` holds owners the controller does not watch (the pods of a cost sync), to trace through them.
   */
  topLevelOf(obj: OwnedObject, unwatched?: Map<string, OwnedObject>): TopLevelWorkload | undefined {
    const owner = controllerOwner(obj);
    if (!owner) return undefined;
    let uid: string | undefined = owner.uid;
    if (!(uid && this.byUid.has(uid)) && owner.kind === 'ReplicaSet') {
      const hash = obj.metadata?.labels?.['pod-template-hash'];
      if (hash && owner.name.endsWith(`-${hash}`)) {
        const deployment = owner.name.slice(0, -hash.length - 1);
        uid = this.uidByName.get(OwnerIndex.nameKey(obj.metadata?.namespace ?? '', 'Deployment', deployment));
      }
    }
    let top: Node | undefined;
    // Bounded by the index size, so a malformed ownership cycle cannot loop forever.
    for (let steps = 0; uid && steps <= this.byUid.size + (unwatched?.size ?? 0); steps++) {
      const node = this.byUid.get(uid);
      if (node) {
        top = node;
        uid = node.ownerUid;
      } else {
        uid = unwatched?.get(uid) && controllerOwner(unwatched.get(uid)!)?.uid;
      }
    }
    return top && { namespace: top.namespace, kind: top.kind, name: top.name };
  }
}
