import { KubeObject, ObjectStore, ResourceType, StoreError, StoreEvent } from '../../store/types';
import { SimClock } from '../clock';
import { EventRecorder } from '../events';

/** What every controller gets: the store it reconciles, simulated time, events and randomness. */
export interface ControllerContext {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
  random: () => number;
  children: OwnerIndex;
}

const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/** Children of each owner uid, kept from store events so a reconcile costs O(children). */
export class OwnerIndex {
  private readonly byOwner = new Map<string, Map<string, { type: ResourceType; namespace?: string; name: string }>>();
  private unsubscribe?: () => void;

  constructor(private readonly store: ObjectStore) {}

  start(): void {
    this.unsubscribe = this.store.subscribe(e => this.onEvent(e));
    for (const type of this.store.resourceTypes) {
      if (type.kind === 'Event') continue;
      for (const o of this.store.list(type)) this.add(type, o);
    }
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private onEvent(e: StoreEvent): void {
    if (e.type === 'DELETED') this.remove(e.resource, e.object);
    else this.add(e.resource, e.object);
  }

  private entryKey(type: ResourceType, o: KubeObject): string {
    return `${type.group}/${type.kind}/${objectKey(o.metadata.namespace, o.metadata.name!)}`;
  }

  private add(type: ResourceType, o: KubeObject): void {
    for (const ref of o.metadata.ownerReferences ?? []) {
      let m = this.byOwner.get(ref.uid);
      if (!m) this.byOwner.set(ref.uid, (m = new Map()));
      m.set(this.entryKey(type, o), { type, namespace: o.metadata.namespace, name: o.metadata.name! });
    }
  }

  private remove(type: ResourceType, o: KubeObject): void {
    for (const ref of o.metadata.ownerReferences ?? []) {
      const m = this.byOwner.get(ref.uid);
      m?.delete(this.entryKey(type, o));
      if (m?.size === 0) this.byOwner.delete(ref.uid);
    }
    if (o.metadata.uid) this.byOwner.delete(o.metadata.uid);
  }

  /** Current objects of `kind` owned by `ownerUid`. */
  of(ownerUid: string | undefined, kind: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const entry of this.byOwner.get(ownerUid ?? '')?.values() ?? []) {
      if (entry.type.kind !== kind) continue;
      const o = this.store.get(entry.type, entry.namespace, entry.name);
      if (o) out.push(o);
    }
    return out.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }
}

/**
 * A level-triggered controller for one kind: changes to objects of the kind,
 * and to objects they own, queue the object; `reconcile` runs outside the
 * store's listener so it may write.
 */
export abstract class Controller {
  abstract readonly apiVersion: string;
  abstract readonly kind: string;
  protected type!: ResourceType;
  private readonly queue = new Set<string>();
  private readonly retries = new Map<string, number>();
  private scheduled = false;
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(protected readonly ctx: ControllerContext) {}

  protected get store(): ObjectStore {
    return this.ctx.store;
  }

  start(): void {
    this.type = this.store.typeFor(this.apiVersion, this.kind);
    this.unsubscribe = this.store.subscribe(e => this.onEvent(e));
    for (const o of this.store.list(this.type)) this.enqueue(o.metadata.namespace, o.metadata.name!);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === this.type || (e.resource.kind === this.kind && e.resource.group === this.type.group)) {
      if (e.type !== 'DELETED') this.enqueue(e.object.metadata.namespace, e.object.metadata.name!);
      return;
    }
    for (const ref of e.object.metadata.ownerReferences ?? []) {
      if (ref.kind === this.kind && ref.apiVersion.split('/')[0] === this.apiVersion.split('/')[0]) {
        this.enqueue(e.object.metadata.namespace, ref.name);
      }
    }
  }

  protected enqueue(namespace: string | undefined, name: string): void {
    this.queue.add(objectKey(namespace, name));
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const keys = [...this.queue];
    this.queue.clear();
    for (const k of keys) {
      if (this.stopped) return;
      const slash = k.indexOf('/');
      const namespace = k.slice(0, slash) || undefined;
      const name = k.slice(slash + 1);
      const object = this.store.get(this.type, namespace, name);
      if (!object) continue;
      try {
        this.reconcile(object);
        this.retries.delete(k);
      } catch (e) {
        if (e instanceof StoreError && (e.code === 409 || e.code === 404)) {
          // Someone wrote first or the object went away: look again with fresh state, backing off
          // so a conflict that does not go away (a pod name taken by someone else) cannot spin.
          const attempt = this.retries.get(k) ?? 0;
          this.retries.set(k, attempt + 1);
          setTimeout(() => this.enqueue(namespace, name), Math.min(5000, 5 * 2 ** attempt)).unref?.();
        } else {
          // eslint-disable-next-line no-console
          console.error(`kube-sim: ${this.kind} ${k}: ${(e as Error).stack ?? e}`);
        }
      }
    }
  }

  /** Brings the world in line with the object's spec and writes its status. */
  protected abstract reconcile(object: KubeObject): void;

  /** Writes the status when it changed (so a status write does not loop). */
  protected writeStatus(object: KubeObject, status: Record<string, unknown>): void {
    if (JSON.stringify(object.status ?? {}) === JSON.stringify(status)) return;
    this.store.updateStatus(this.type, { ...object, status });
  }

  /** Writes the spec when it changed. */
  protected writeSpec(type: ResourceType, object: KubeObject, spec: unknown): void {
    if (JSON.stringify(object.spec) === JSON.stringify(spec)) return;
    this.store.update(type, { ...object, spec });
  }
}
