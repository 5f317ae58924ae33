import { MemoryStore } from '../../store/MemoryStore';
import type { KubeObject, StoreEvent } from '../../store/types';
import { GarbageCollector } from './garbageCollector';

describe('GarbageCollector', () => {
  const setup = () => {
    const store = new MemoryStore();
    const collector = new GarbageCollector({ store });
    collector.start();
    const events: StoreEvent[] = [];
    store.subscribe(e => events.push(e));
    const pods = store.typeFor('v1', 'Pod');
    const jobs = store.typeFor('batch/v1', 'Job');
    const job = (name: string) =>
      store.create(jobs, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'team-a' }, spec: {} });
    const ownedBy = (owner: KubeObject) => [
      { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid! },
    ];
    const pod = (name: string, metadata: Partial<KubeObject['metadata']> = {}) =>
      store.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'team-a', ...metadata } });
    return { store, collector, events, pods, jobs, job, ownedBy, pod };
  };

  it('cascades deletes through ownerReferences and emits DELETED for each dependent', () => {
    const { store, events, pods, jobs, job, ownedBy, pod } = setup();
    const train = job('train');
    pod('train-0', { ownerReferences: ownedBy(train) });
    pod('train-1', { ownerReferences: ownedBy(train) });
    pod('other');
    events.length = 0;
    store.delete(jobs, 'team-a', 'train');
    expect(events.map(e => `${e.type} ${e.object.kind} ${e.object.metadata.name}`)).toEqual([
      'DELETED Job train',
      'DELETED Pod train-0',
      'DELETED Pod train-1',
    ]);
    expect(store.list(pods).map(p => p.metadata.name)).toEqual(['other']);
  });

  it('collects dependents of dependents, and tells every watcher in resourceVersion order', () => {
    const { store, events, pods, jobs, job, ownedBy, pod } = setup();
    const parent = job('parent');
    const child = store.create(jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'child', namespace: 'team-a', ownerReferences: ownedBy(parent) },
    });
    pod('child-0', { ownerReferences: ownedBy(child) });
    events.length = 0;
    store.delete(jobs, 'team-a', 'parent');
    expect(events.map(e => e.object.metadata.name)).toEqual(['parent', 'child', 'child-0']);
    const versions = events.map(e => Number(e.object.metadata.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(store.list(pods)).toEqual([]);
  });

  it('follows ownerReferences added or removed after creation, and objects that existed before it started', () => {
    const store = new MemoryStore();
    const pods = store.typeFor('v1', 'Pod');
    const jobs = store.typeFor('batch/v1', 'Job');
    const owner = store.create(jobs, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'owner' } });
    const ref = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'owner', uid: owner.metadata.uid! }];
    store.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'early', ownerReferences: ref } });
    new GarbageCollector({ store }).start();
    const adopted = store.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'adopted' } });
    store.update(pods, { ...adopted, metadata: { ...adopted.metadata, ownerReferences: ref } });
    const released = store.create(pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'released', ownerReferences: ref },
    });
    store.update(pods, { ...released, metadata: { ...released.metadata, ownerReferences: [] } });
    store.delete(jobs, 'default', 'owner');
    expect(store.list(pods).map(p => p.metadata.name)).toEqual(['released']);
  });

  it('leaves a dependent with finalizers terminating until they are removed', () => {
    const { store, pods, jobs, job, ownedBy, pod } = setup();
    const train = job('train');
    pod('held', { ownerReferences: ownedBy(train), finalizers: ['sim/keep'] });
    store.delete(jobs, 'team-a', 'train');
    expect(store.get(pods, 'team-a', 'held')?.metadata.deletionTimestamp).toBeTruthy();
  });

  it('stops collecting once stopped', () => {
    const { store, collector, pods, jobs, job, ownedBy, pod } = setup();
    pod('orphan', { ownerReferences: ownedBy(job('train')) });
    collector.stop();
    store.delete(jobs, 'team-a', 'train');
    expect(store.list(pods).map(p => p.metadata.name)).toEqual(['orphan']);
  });
});
