import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { KubeObject, ObjectStore, StoreError } from '../store/types';

/** What `--state` saves: every cluster's objects and the simulated time. */
export interface SavedState {
  version: 1;
  savedAt: string;
  simulatedTime: number;
  clusters: Record<string, KubeObject[]>;
}

/** Every object of a store worth keeping (events are not). */
export function snapshotObjects(store: ObjectStore): KubeObject[] {
  const seen = new Set<string>();
  const out: KubeObject[] = [];
  for (const type of store.resourceTypes) {
    if (type.kind === 'Event') continue;
    const key = `${type.group}/${type.plural}`;
    if (seen.has(key)) continue; // several versions of one resource share objects
    seen.add(key);
    out.push(...store.list(type));
  }
  return out;
}

/** Writes the state atomically (a crash mid-write leaves the old file). */
export function saveState(path: string, simulatedTime: number, clusters: Record<string, ObjectStore>): void {
  const state: SavedState = {
    version: 1,
    savedAt: new Date().toISOString(),
    simulatedTime,
    clusters: Object.fromEntries(Object.entries(clusters).map(([name, store]) => [name, snapshotObjects(store)])),
  };
  writeFileSync(`${path}.tmp`, JSON.stringify(state));
  renameSync(`${path}.tmp`, path);
}

/** Reads a state file; undefined when there is none yet. */
export function readState(path: string): SavedState | undefined {
  if (!existsSync(path)) return undefined;
  let state: SavedState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(
      `${path}: not a kube-sim state file (${(e as Error).message}); delete it or pass another --state path`,
    );
  }
  if (state?.version !== 1 || typeof state.clusters !== 'object') {
    throw new Error(`${path}: not a kube-sim state file (expected version 1); delete it or pass another --state path`);
  }
  return state;
}

/**
 * Loads saved objects into a fresh store. The store assigns new uids, so
 * owners are created before their dependents and owner references are
 * rewritten to the new uids; statuses are written back after creation.
 */
export function restoreObjects(store: ObjectStore, objects: KubeObject[]): number {
  const newUid = new Map<string, string>();
  const savedUids = new Set(objects.map(o => o.metadata.uid));
  let pending = [...objects];
  let restored = 0;
  while (pending.length > 0) {
    const ready = pending.filter(o =>
      (o.metadata.ownerReferences ?? []).every(r => newUid.has(r.uid) || !savedUids.has(r.uid)),
    );
    if (ready.length === 0) break; // an ownership cycle: leave the rest out
    for (const o of ready) {
      const type = store.typeFor(o.apiVersion, o.kind);
      const owners = (o.metadata.ownerReferences ?? [])
        .filter(r => newUid.has(r.uid))
        .map(r => ({ ...r, uid: newUid.get(r.uid)! }));
      if ((o.metadata.ownerReferences?.length ?? 0) > 0 && owners.length === 0) continue; // its owner is gone: garbage
      const { uid, resourceVersion, creationTimestamp, generation, ...metadata } = o.metadata;
      let created: KubeObject;
      try {
        created = store.create(type, {
          ...o,
          metadata: { ...metadata, ...(owners.length ? { ownerReferences: owners } : {}) },
        });
      } catch (e) {
        if (e instanceof StoreError && e.code === 409) {
          created = store.get(type, o.metadata.namespace, o.metadata.name!)!; // e.g. the default namespace
        } else throw e;
      }
      if (uid) newUid.set(uid, created.metadata.uid!);
      if (o.status !== undefined && JSON.stringify(created.status) !== JSON.stringify(o.status)) {
        store.updateStatus(type, { ...created, status: o.status });
      }
      restored++;
    }
    const done = new Set(ready);
    pending = pending.filter(o => !done.has(o));
  }
  return restored;
}
