import {
  ApiException,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  type V1Pod,
} from '@kubernetes/client-node';
import { GarbageCollector } from '../sim/controllers/garbageCollector';
import { MemoryStore } from '../store/MemoryStore';
import { kubeconfigYaml } from '../kubeconfig';
import { startApiServer, type ApiServer } from './server';

const NS = 'default';

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

function pod(name: string, labels: Record<string, string> = {}): V1Pod {
  return {
    metadata: { name, labels },
    spec: { containers: [{ name: 'main', image: 'busybox' }] },
  };
}

async function apiError(promise: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) return error as ApiException<string>;
    throw error;
  }
  throw new Error('expected the API call to fail');
}

describe('API server with @kubernetes/client-node', () => {
  let store: MemoryStore;
  let server: ApiServer;
  let kc: KubeConfig;
  let core: CoreV1Api;
  const informers: Array<{ stop(): Promise<void> }> = [];

  async function start(historySize?: number) {
    store = new MemoryStore(undefined, { historySize });
    // As in a cluster, the controller manager's garbage collector cascades deletes, not the API server.
    new GarbageCollector({ store }).start();
    server = await startApiServer({ store, bookmarkIntervalMs: 50 });
    kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml([{ name: 'sim', url: server.url }]));
    core = kc.makeApiClient(CoreV1Api);
  }

  /** A pod informer in `default` that records what it sees and counts its full lists. */
  async function podInformer() {
    const seen: string[] = [];
    const counts = { lists: 0, errors: 0 };
    const informer = makeInformer(kc, `/api/v1/namespaces/${NS}/pods`, () => {
      counts.lists++;
      return core.listNamespacedPod({ namespace: NS });
    });
    informer.on('add', p => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', p => seen.push(`update ${p.metadata?.name}`));
    informer.on('delete', p => seen.push(`delete ${p.metadata?.name}`));
    informer.on('error', () => counts.errors++);
    informers.push(informer);
    await informer.start();
    return { informer, seen, counts };
  }

  /** Replaces a pod (PUT) with new labels, sending the resourceVersion it was read at. */
  function relabel(read: V1Pod, labels: Record<string, string>) {
    return core.replaceNamespacedPod({
      name: read.metadata!.name!,
      namespace: NS,
      body: { ...read, metadata: { ...read.metadata, labels } },
    });
  }

  afterEach(async () => {
    await Promise.all(informers.splice(0).map(i => i.stop()));
    await server.close();
  });

  it('informer sees ADDED, MODIFIED and DELETED in order', async () => {
    await start();
    const { seen } = await podInformer();
    const created = await core.createNamespacedPod({
      namespace: NS,
      body: pod('a'),
    });
    await relabel(created, { x: '1' });
    await core.deleteNamespacedPod({ name: 'a', namespace: NS });
    await waitFor('three events', () => seen.length >= 3);
    expect(seen).toEqual(['add a', 'update a', 'delete a']);
  });

  it('informer resumes from its resourceVersion after the server drops watches, missing nothing', async () => {
    await start();
    const { informer, seen, counts } = await podInformer();
    await core.createNamespacedPod({ namespace: NS, body: pod('before') });
    await waitFor('the first pod', () => seen.includes('add before'));
    expect(server.dropWatches()).toBe(1);
    // Written while the informer is reconnecting: only a resumed watch can deliver these.
    const pods = store.typeFor('v1', 'Pod');
    for (let i = 0; i < 5; i++)
      store.create(pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `during-${i}`, namespace: NS },
        spec: {},
      });
    store.delete(pods, NS, 'before');
    await waitFor(
      'all writes made during the drop',
      () => informer.list(NS).length === 5 && seen.includes('delete before'),
    );
    expect(counts.lists).toBe(1);
    expect(counts.errors).toBe(0);
    expect(
      informer
        .list(NS)
        .map(p => p.metadata?.name)
        .sort(),
    ).toEqual(['during-0', 'during-1', 'during-2', 'during-3', 'during-4']);
  });

  it('informer relists after a 410 when the history no longer reaches back, and ends consistent', async () => {
    await start(10);
    const { informer, counts } = await podInformer();
    const pods = store.typeFor('v1', 'Pod');
    await core.createNamespacedPod({ namespace: NS, body: pod('old') });
    await waitFor('the first pod', () => informer.list(NS).length === 1);
    server.dropWatches();
    for (let i = 0; i < 30; i++)
      store.create(pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p-${i}`, namespace: NS },
        spec: {},
      });
    store.delete(pods, NS, 'old');
    await waitFor('a relist', () => counts.lists === 2);
    await waitFor('the cache to match the store', () => informer.list(NS).length === 30);
    const cached = informer
      .list(NS)
      .map(p => `${p.metadata?.name}@${p.metadata?.resourceVersion}`)
      .sort();
    const stored = store
      .list(pods, { namespace: NS })
      .map(p => `${p.metadata.name}@${p.metadata.resourceVersion}`)
      .sort();
    expect(cached).toEqual(stored);
  });

  it('rejects an update with a stale resourceVersion with 409 Conflict', async () => {
    await start();
    const created = await core.createNamespacedPod({
      namespace: NS,
      body: pod('a'),
    });
    await relabel(created, { v: '1' });
    const error = await apiError(relabel(created, { v: '2' }));
    expect(error.code).toBe(409);
    expect(JSON.parse(error.body)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
    });
  });

  it('rejects a duplicate create with 409 AlreadyExists and answers 404 NotFound for a missing pod', async () => {
    await start();
    await core.createNamespacedPod({ namespace: NS, body: pod('a') });
    const duplicate = await apiError(core.createNamespacedPod({ namespace: NS, body: pod('a') }));
    expect(duplicate.code).toBe(409);
    expect(JSON.parse(duplicate.body).reason).toBe('AlreadyExists');
    const missing = await apiError(core.readNamespacedPod({ name: 'nope', namespace: NS }));
    expect(missing.code).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({
      reason: 'NotFound',
      message: 'pods "nope" not found',
      details: { name: 'nope', group: '', kind: 'pods' },
    });
  });

  it('pages a list with limit and an opaque continue token', async () => {
    await start();
    for (let i = 0; i < 7; i++)
      await core.createNamespacedConfigMap({
        namespace: NS,
        body: { metadata: { name: `cm-${i}` }, data: { i: String(i) } },
      });
    const names: string[] = [];
    let token: string | undefined;
    const pageSizes: number[] = [];
    const remaining: Array<number | undefined> = [];
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: NS,
        limit: 3,
        _continue: token,
      });
      pageSizes.push(page.items.length);
      names.push(...page.items.map(c => c.metadata!.name!));
      token = page.metadata?._continue;
      remaining.push(page.metadata?.remainingItemCount);
    } while (token);
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(remaining).toEqual([4, 1, undefined]);
    expect(names).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
  });

  it('filters lists by label and field selectors', async () => {
    await start();
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('web', { app: 'web', tier: 'front' }),
    });
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('db', { app: 'db' }),
    });
    // client-node 1.x sends PATCH as application/json-patch+json.
    await core.patchNamespacedPodStatus({
      name: 'web',
      namespace: NS,
      body: [{ op: 'add', path: '/status', value: { phase: 'Running' } }],
    });
    const byLabel = await core.listNamespacedPod({
      namespace: NS,
      labelSelector: 'app in (web,cache),tier',
    });
    expect(byLabel.items.map(p => p.metadata?.name)).toEqual(['web']);
    const byField = await core.listPodForAllNamespaces({
      fieldSelector: 'status.phase!=Running',
    });
    expect(byField.items.map(p => p.metadata?.name)).toEqual(['db']);
  });

  it('serves batch and custom resources, and deleting a Job cascades to its pods', async () => {
    await start();
    const batch = kc.makeApiClient(BatchV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const job = await batch.createNamespacedJob({
      namespace: NS,
      body: {
        metadata: { name: 'train' },
        spec: {
          template: {
            spec: {
              containers: [{ name: 'c', image: 'x' }],
              restartPolicy: 'Never',
            },
          },
        },
      },
    });
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        ...pod('train-0'),
        metadata: {
          name: 'train-0',
          ownerReferences: [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              name: 'train',
              uid: job.metadata!.uid!,
              controller: true,
            },
          ],
        },
      },
    });
    await custom.createClusterCustomObject({
      group: 'kueue.x-k8s.io',
      version: 'v1beta2',
      plural: 'clusterqueues',
      body: {
        apiVersion: 'kueue.x-k8s.io/v1beta2',
        kind: 'ClusterQueue',
        metadata: { name: 'gpu' },
        spec: { cohortName: 'all' },
      },
    });
    const cq = await custom.getClusterCustomObject({
      group: 'kueue.x-k8s.io',
      version: 'v1beta2',
      plural: 'clusterqueues',
      name: 'gpu',
    });
    expect(cq).toMatchObject({
      kind: 'ClusterQueue',
      spec: { cohortName: 'all' },
    });
    await batch.deleteNamespacedJob({
      name: 'train',
      namespace: NS,
      propagationPolicy: 'Background',
    });
    expect((await core.listNamespacedPod({ namespace: NS })).items).toEqual([]);
  });
});
