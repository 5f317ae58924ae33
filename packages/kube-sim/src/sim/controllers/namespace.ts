import type { ObjectStore, StoreEvent } from '../../store/types';
import { deleteIfPresent } from './garbageCollector';

/**
 * Kubernetes' namespace controller: a deleted namespace takes everything in it along, in the
 * same delete (as the garbage collector does for dependents).
 */
export class NamespaceController {
  private unsubscribe?: () => void;

  constructor(private readonly ctx: { store: ObjectStore }) {}

  start(): void {
    this.unsubscribe = this.ctx.store.subscribe(e => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private onEvent(e: StoreEvent): void {
    if (e.type !== 'DELETED' || e.resource.group !== '' || e.resource.kind !== 'Namespace') return;
    const { store } = this.ctx;
    const namespace = e.object.metadata.name!;
    const seen = new Set<string>();
    for (const type of store.resourceTypes) {
      // Versions of one resource share their objects: empty each resource once.
      const resource = `${type.group}/${type.plural}`;
      if (!type.namespaced || seen.has(resource)) continue;
      seen.add(resource);
      for (const object of store.list(type, { namespace })) {
        deleteIfPresent(store, type, namespace, object.metadata.name!);
      }
    }
  }
}
