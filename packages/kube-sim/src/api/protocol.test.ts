import { MemoryStore } from '../store/MemoryStore';
import type { KubeObject } from '../store/types';
import { startApiServer, type ApiServer } from './server';

/** Reads newline-delimited watch events from a streaming response. */
class WatchReader {
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(response: Response) {
    this.reader = response.body!.getReader();
  }

  /** The next event, or undefined when the server ended the stream. */
  async next(): Promise<{ type: string; object: any } | undefined> {
    for (;;) {
      const newline = this.buffer.indexOf('\n');
      if (newline >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        return JSON.parse(line);
      }
      const { done, value } = await this.reader.read();
      if (done) return undefined;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  cancel() {
    return this.reader.cancel().catch(() => undefined);
  }
}

describe('API server protocol', () => {
  let store: MemoryStore;
  let server: ApiServer;
  const readers: WatchReader[] = [];
  const pods = () => store.typeFor('v1', 'Pod');
  const pod = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c' }] },
    ...extra,
  });

  beforeEach(async () => {
    store = new MemoryStore(undefined, { historySize: 5 });
    server = await startApiServer({
      store,
      bookmarkIntervalMs: 30,
      clusterName: 'gpu-east',
    });
  });

  afterEach(async () => {
    await Promise.all(readers.splice(0).map(r => r.cancel()));
    await server.close();
  });

  const call = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
  const watch = async (path: string, init?: RequestInit) => {
    const response = await call(path, init);
    expect(response.status).toBe(200);
    const reader = new WatchReader(response);
    readers.push(reader);
    return reader;
  };

  it('serves discovery documents', async () => {
    expect(await (await call('/version')).json()).toMatchObject({
      major: '1',
      gitVersion: expect.stringMatching(/^v1\./),
    });
    expect(await (await call('/api')).json()).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const groups = await (await call('/apis')).json();
    expect(groups.groups.find((g: { name: string }) => g.name === 'kueue.x-k8s.io')).toMatchObject({
      versions: [{ groupVersion: 'kueue.x-k8s.io/v1beta2' }, { groupVersion: 'kueue.x-k8s.io/v1beta1' }],
      preferredVersion: { version: 'v1beta2' },
    });
    const core = await (await call('/api/v1')).json();
    expect(core.resources).toContainEqual(
      expect.objectContaining({
        name: 'pods',
        kind: 'Pod',
        namespaced: true,
        shortNames: ['po'],
        verbs: expect.arrayContaining(['watch', 'patch']),
      }),
    );
    expect(core.resources).toContainEqual(
      expect.objectContaining({
        name: 'pods/status',
        verbs: ['get', 'patch', 'update'],
      }),
    );
    expect(core.resources.find((r: { name: string }) => r.name === 'configmaps/status')).toBeUndefined();
    expect(await (await call('/healthz')).text()).toBe('ok');
    expect((await (await call('/')).json()).paths).toContain('/apis/kueue.x-k8s.io/v1beta2');
    expect((await call('/apis/nope.example.com')).status).toBe(404);
  });

  it('serves the OpenAPI documents kubectl needs to leave validation to the server', async () => {
    const v2 = await call('/openapi/v2', {
      headers: {
        Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      },
    });
    expect(v2.status).toBe(200);
    expect((await v2.arrayBuffer()).byteLength).toBe(0);
    const root = await (await call('/openapi/v3')).json();
    expect(root.paths['apis/batch/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/batch\/v1\?hash=/);
    const batch = await (await call(root.paths['apis/batch/v1'].serverRelativeURL)).json();
    expect(batch.paths['/apis/batch/v1/namespaces/{namespace}/jobs/{name}'].patch).toMatchObject({
      'x-kubernetes-group-version-kind': {
        group: 'batch',
        version: 'v1',
        kind: 'Job',
      },
      parameters: expect.arrayContaining([expect.objectContaining({ name: 'fieldValidation', in: 'query' })]),
    });
  });

  it('answers a body that is not JSON with 400 BadRequest saying why', async () => {
    const response = await call('/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: 'name: yaml',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(400);
    const status = await response.json();
    expect(status).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
    });
    expect(status.message).toContain('not valid JSON');
  });

  it('answers a YAML body with 415 asking for JSON', async () => {
    const response = await call('/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: 'metadata: {name: x}',
      headers: { 'Content-Type': 'application/yaml' },
    });
    expect(response.status).toBe(415);
    expect((await response.json()).message).toContain('Content-Type: application/json');
  });

  it('rejects an object whose namespace differs from the URL', async () => {
    const response = await call('/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: JSON.stringify(pod('x', { metadata: { name: 'x', namespace: 'other' } })),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toContain('does not match the namespace sent on the request');
  });

  it('answers an unsupported patch type with 415', async () => {
    store.create(pods(), pod('p'));
    const response = await call('/api/v1/namespaces/default/pods/p', {
      method: 'PATCH',
      body: '{}',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
    });
    expect(response.status).toBe(415);
    expect((await response.json()).message).toContain('application/merge-patch+json');
  });

  it('merges containers by name in a strategic merge patch and honours $patch: delete', async () => {
    store.create(
      pods(),
      pod('p', {
        spec: {
          containers: [
            { name: 'a', image: '1' },
            { name: 'b', image: '1' },
            { name: 'c', image: '1' },
          ],
        },
      }),
    );
    const response = await call('/api/v1/namespaces/default/pods/p', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({
        spec: {
          containers: [
            { name: 'b', image: '2' },
            { name: 'c', $patch: 'delete' },
            { name: 'd', image: '1' },
          ],
        },
      }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).spec.containers).toEqual([
      { name: 'a', image: '1' },
      { name: 'b', image: '2' },
      { name: 'd', image: '1' },
    ]);
  });

  it('writes status only through the status subresource', async () => {
    store.create(pods(), pod('p'));
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    await call('/api/v1/namespaces/default/pods/p', {
      method: 'PATCH',
      headers: merge,
      body: JSON.stringify({ status: { phase: 'Failed' } }),
    });
    expect(store.get(pods(), 'default', 'p')!.status).toEqual({
      phase: 'Pending',
    });
    await call('/api/v1/namespaces/default/pods/p/status', {
      method: 'PATCH',
      headers: merge,
      body: JSON.stringify({
        status: { phase: 'Running' },
        spec: { nodeName: 'n' },
      }),
    });
    const stored = store.get(pods(), 'default', 'p')!;
    expect(stored.status).toEqual({ phase: 'Running' });
    expect(stored.spec.nodeName).toBeUndefined();
  });

  it('deletes a collection by label selector, including objects whose owner went first', async () => {
    const owner = store.create(
      pods(),
      pod('owner', {
        metadata: {
          name: 'owner',
          namespace: 'default',
          labels: { batch: 'x' },
        },
      }),
    );
    const ownerReferences = [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        name: 'owner',
        uid: owner.metadata.uid!,
      },
    ];
    store.create(
      pods(),
      pod('child', {
        metadata: {
          name: 'child',
          namespace: 'default',
          labels: { batch: 'x' },
          ownerReferences,
        },
      }),
    );
    store.create(pods(), pod('kept'));
    const response = await call('/api/v1/namespaces/default/pods?labelSelector=batch%3Dx', { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(store.list(pods()).map(p => p.metadata.name)).toEqual(['kept']);
  });

  it('returns a meta.k8s.io Table when asked as kubectl does', async () => {
    store.create(
      pods(),
      pod('p', {
        status: {
          phase: 'Running',
          containerStatuses: [{ ready: true, restartCount: 2 }],
        },
      }),
    );
    const response = await call('/api/v1/namespaces/default/pods?limit=500', {
      headers: {
        Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      },
    });
    const table = await response.json();
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
    ]);
    expect(table.rows[0].cells.slice(0, 4)).toEqual(['p', '1/1', 'Running', 2]);
    expect(table.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 'p' },
    });
  });

  it('starts a watch without resourceVersion with synthetic ADDED events, then streams changes', async () => {
    store.create(pods(), pod('existing'));
    const reader = await watch('/api/v1/namespaces/default/pods?watch=true');
    expect(await reader.next()).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'existing' } },
    });
    store.delete(pods(), 'default', 'existing');
    expect(await reader.next()).toMatchObject({
      type: 'DELETED',
      object: { metadata: { name: 'existing' } },
    });
  });

  it('resumes a watch from a resourceVersion, sends bookmarks, and ends at timeoutSeconds', async () => {
    const from = store.currentResourceVersion();
    store.create(pods(), pod('a'));
    store.create(pods(), pod('b'));
    const started = Date.now();
    const reader = await watch(
      `/api/v1/pods?watch=1&resourceVersion=${from}&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    expect((await reader.next())!.object.metadata.name).toBe('a');
    expect((await reader.next())!.object.metadata.name).toBe('b');
    const bookmark = await reader.next();
    expect(bookmark).toMatchObject({
      type: 'BOOKMARK',
      object: {
        kind: 'Pod',
        metadata: { resourceVersion: String(store.currentResourceVersion()) },
      },
    });
    while (await reader.next());
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('answers a watch from an expired resourceVersion with an ERROR event carrying 410, then closes', async () => {
    const from = store.currentResourceVersion();
    for (let i = 0; i < 10; i++) store.create(pods(), pod(`p${i}`));
    const reader = await watch(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${from}`);
    const event = await reader.next();
    expect(event).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    expect(event!.object.message).toContain('too old resource version');
    expect(await reader.next()).toBeUndefined();
  });

  it('makes a client that is ahead of the server (after a restart) relist with 410', async () => {
    const reader = await watch(`/api/v1/pods?watch=true&resourceVersion=${store.currentResourceVersion() + 100}`);
    expect(await reader.next()).toMatchObject({
      type: 'ERROR',
      object: { code: 410 },
    });
  });

  it('pages from one snapshot: objects created between pages do not shift later pages', async () => {
    for (let i = 0; i < 6; i++) store.create(pods(), pod(`p${i}`));
    const first = await (await call('/api/v1/pods?limit=4')).json();
    store.create(pods(), pod('p0a'));
    store.delete(pods(), 'default', 'p5');
    const second = await (await call(`/api/v1/pods?limit=4&continue=${first.metadata.continue}`)).json();
    expect([...first.items, ...second.items].map((p: KubeObject) => p.metadata.name)).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
    ]);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(second.metadata.continue).toBeUndefined();
    const bad = await call('/api/v1/pods?limit=4&continue=garbage');
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain('continue token');
  });

  it('turns changes that leave or enter a selector into DELETED and ADDED events', async () => {
    store.create(pods(), pod('p', { status: { phase: 'Pending' } }));
    const reader = await watch('/api/v1/watch/namespaces/default/pods?fieldSelector=status.phase%3DRunning');
    const current = () => store.get(pods(), 'default', 'p')!;
    store.updateStatus(pods(), { ...current(), status: { phase: 'Running' } });
    expect(await reader.next()).toMatchObject({
      type: 'ADDED',
      object: { status: { phase: 'Running' } },
    });
    store.updateStatus(pods(), {
      ...current(),
      status: { phase: 'Succeeded' },
    });
    expect(await reader.next()).toMatchObject({
      type: 'DELETED',
      object: {
        status: { phase: 'Running' },
        metadata: { resourceVersion: String(store.currentResourceVersion()) },
      },
    });
  });
});
