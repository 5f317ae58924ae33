import { MemoryStore } from './MemoryStore';
import { StoreError, type KubeObject, type StoreEvent } from './types';

function pod(
  name: string,
  extra: Partial<KubeObject['metadata']> = {},
  spec: object = { containers: [{ name: 'c', image: 'busybox' }] },
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'team-a', ...extra },
    spec,
  };
}

function errorOf(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError');
}

describe('MemoryStore', () => {
  const setup = (historySize?: number) => {
    const store = new MemoryStore(undefined, { historySize });
    const events: StoreEvent[] = [];
    store.subscribe(e => events.push(e));
    return {
      store,
      events,
      pods: store.typeFor('v1', 'Pod'),
      jobs: store.typeFor('batch/v1', 'Job'),
    };
  };

  it('starts with the default namespace', () => {
    const { store } = setup();
    expect(store.get(store.typeFor('v1', 'Namespace'), undefined, 'default')?.metadata.uid).toBeTruthy();
    expect(store.currentResourceVersion()).toBe(1);
  });

  it('assigns uid, creationTimestamp, generation and a monotonic resourceVersion', () => {
    const { store, pods } = setup();
    const a = store.create(pods, pod('a'));
    const b = store.create(pods, pod('b'));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(a.metadata.generation).toBe(1);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
  });

  it('starts pods Pending and namespaces Active unless their creator set a phase', () => {
    const { store, pods } = setup();
    expect(store.create(pods, pod('a')).status).toEqual({ phase: 'Pending' });
    expect(store.create(pods, { ...pod('b'), status: { phase: 'Running' } }).status).toEqual({ phase: 'Running' });
    const namespaces = store.typeFor('v1', 'Namespace');
    expect(
      store.create(namespaces, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'ml' },
      }).status,
    ).toEqual({ phase: 'Active' });
  });

  it('names objects from generateName with a 5-character suffix', () => {
    const { store, pods } = setup();
    const created = store.create(pods, pod('', { generateName: 'worker-' }));
    expect(created.metadata.name).toMatch(/^worker-[a-z0-9]{5}$/);
  });

  it('rejects a duplicate create with 409 AlreadyExists and a missing name with 422', () => {
    const { store, pods } = setup();
    store.create(pods, pod('a'));
    expect(errorOf(() => store.create(pods, pod('a')))).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
    });
    expect(errorOf(() => store.create(pods, pod('')))).toMatchObject({
      code: 422,
      reason: 'Invalid',
    });
    expect(errorOf(() => store.create(pods, pod('Bad_Name')))).toMatchObject({
      code: 422,
    });
  });

  it('rejects an update carrying a stale resourceVersion with 409 Conflict', () => {
    const { store, pods } = setup();
    const a = store.create(pods, pod('a'));
    store.update(pods, {
      ...a,
      metadata: { ...a.metadata, labels: { x: '1' } },
    });
    const err = errorOf(() =>
      store.update(pods, {
        ...a,
        metadata: { ...a.metadata, labels: { x: '2' } },
      }),
    );
    expect(err).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(err.message).toContain('the object has been modified');
  });

  it('bumps generation only when the spec changes', () => {
    const { store, pods } = setup();
    const a = store.create(pods, pod('a'));
    const relabeled = store.update(pods, {
      ...a,
      metadata: { ...a.metadata, labels: { x: '1' } },
    });
    expect(relabeled.metadata.generation).toBe(1);
    const respecced = store.update(pods, {
      ...relabeled,
      spec: { containers: [{ name: 'c', image: 'alpine' }] },
    });
    expect(respecced.metadata.generation).toBe(2);
  });

  it('keeps the stored status on update and changes only status through updateStatus', () => {
    const { store, pods } = setup();
    const a = store.create(pods, { ...pod('a'), status: { phase: 'Pending' } });
    const running = store.updateStatus(pods, {
      ...a,
      status: { phase: 'Running' },
      spec: { containers: [] },
    });
    expect(running.status.phase).toBe('Running');
    expect(running.spec.containers).toHaveLength(1);
    const updated = store.update(pods, {
      ...running,
      status: { phase: 'Failed' },
    });
    expect(updated.status.phase).toBe('Running');
  });

  it('hands out copies: changing a returned object does not change the store', () => {
    const { store, pods } = setup();
    const a = store.create(pods, pod('a'));
    a.metadata.labels = { hacked: 'yes' };
    const got = store.get(pods, 'team-a', 'a')!;
    got.spec.containers[0].image = 'evil';
    expect(store.get(pods, 'team-a', 'a')?.spec.containers[0].image).toBe('busybox');
    expect(store.get(pods, 'team-a', 'a')?.metadata.labels).toBeUndefined();
    expect(() => {
      store.list(pods)[0].metadata.name = 'x';
    }).toThrow(TypeError);
  });

  it('waits for finalizers before removing an object', () => {
    const { store, pods } = setup();
    store.create(pods, pod('a', { finalizers: ['sim/keep'] }));
    const deleting = store.delete(pods, 'team-a', 'a');
    expect(deleting.metadata.deletionTimestamp).toBeTruthy();
    const current = store.get(pods, 'team-a', 'a')!;
    store.update(pods, {
      ...current,
      metadata: { ...current.metadata, finalizers: [] },
    });
    expect(store.get(pods, 'team-a', 'a')).toBeUndefined();
  });

  it.each([
    ['app=web', ['web-1']],
    ['app==web', ['web-1']],
    ['app!=web', ['db-1', 'bare']],
    ['app in (web,db)', ['web-1', 'db-1']],
    ['app notin (web)', ['db-1', 'bare']],
    ['app', ['web-1', 'db-1']],
    ['!app', ['bare']],
    ['app=db,tier=backend', ['db-1']],
  ])('selects by label selector %s', (selector, expected) => {
    const { store, pods } = setup();
    store.create(pods, pod('web-1', { labels: { app: 'web' } }));
    store.create(pods, pod('db-1', { labels: { app: 'db', tier: 'backend' } }));
    store.create(pods, pod('bare'));
    expect(store.list(pods, { labelSelector: selector }).map(p => p.metadata.name)).toEqual(expected);
  });

  it.each([
    ['status.phase=Running', ['a']],
    ['status.phase!=Running', ['b']],
    ['spec.nodeName==gpu-1', ['b']],
    ['metadata.name=a,metadata.namespace=team-a', ['a']],
    ['metadata.namespace=elsewhere', []],
  ])('selects by field selector %s', (selector, expected) => {
    const { store, pods } = setup();
    store.create(pods, { ...pod('a'), status: { phase: 'Running' } });
    store.create(pods, {
      ...pod('b', {}, { nodeName: 'gpu-1' }),
      status: { phase: 'Pending' },
    });
    expect(store.list(pods, { fieldSelector: selector }).map(p => p.metadata.name)).toEqual(expected);
  });

  it('rejects an unparsable selector with 400 saying which term is wrong', () => {
    const { store, pods } = setup();
    const err = errorOf(() => store.list(pods, { labelSelector: 'app in web' }));
    expect(err.code).toBe(400);
    expect(err.message).toContain('"app in web"');
  });

  it('lists one namespace without touching others', () => {
    const { store, pods } = setup();
    store.create(pods, pod('a'));
    store.create(pods, {
      ...pod('b'),
      metadata: { name: 'b', namespace: 'team-b' },
    });
    expect(store.list(pods, { namespace: 'team-b' }).map(p => p.metadata.name)).toEqual(['b']);
  });

  it('serves both kueue versions from the same objects', () => {
    const { store } = setup();
    const v1 = store.typeFor('kueue.x-k8s.io/v1beta1', 'ClusterQueue');
    const v2 = store.typeFor('kueue.x-k8s.io/v1beta2', 'ClusterQueue');
    store.create(v1, {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ClusterQueue',
      metadata: { name: 'cq' },
      spec: {},
    });
    expect(store.get(v2, undefined, 'cq')?.apiVersion).toBe('kueue.x-k8s.io/v1beta2');
  });

  it('replays history after a resourceVersion and answers 410 once it has been evicted', () => {
    const { store, pods } = setup(3);
    const start = store.currentResourceVersion();
    store.create(pods, pod('a'));
    store.create(pods, pod('b'));
    expect(store.eventsSince(start).map(e => e.object.metadata.name)).toEqual(['a', 'b']);
    store.create(pods, pod('c'));
    store.create(pods, pod('d'));
    expect(store.eventsSince(start + 1).map(e => e.object.metadata.name)).toEqual(['b', 'c', 'd']);
    expect(errorOf(() => store.eventsSince(start))).toMatchObject({
      code: 410,
      reason: 'Expired',
    });
    expect(errorOf(() => store.eventsSince(start)).message).toContain('too old resource version');
  });

  it('carries the previous object on MODIFIED events', () => {
    const { store, pods, events } = setup();
    const a = store.create(pods, pod('a'));
    store.update(pods, {
      ...a,
      metadata: { ...a.metadata, labels: { x: '1' } },
    });
    expect(events.at(-1)?.oldObject?.metadata.labels).toBeUndefined();
    expect(events.at(-1)?.object.metadata.labels).toEqual({ x: '1' });
  });
});
