import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeconfigYaml, type KubeObject } from '@ai-platform/kube-sim';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { createAdmissionController } from '../controller/createAdmissionController';
import { clusterSummary } from '../controller/fleetSummaries';
import { eventually, fixture, MemoryDecisionStore, SimCluster } from '../controller/__testUtils__/kubeSimCluster';
import { CostIngestor } from './CostIngestor';
import type { GpuInterval } from './intervals';
import { settingsFrom } from '../controller/__testUtils__/settingsFrom';

jest.setTimeout(60_000);

/** An HTTP proxy in front of the API server that counts the requests going through, by method and path. */
async function countingProxy(target: string) {
  const requests: Array<{ method: string; path: string; watch: boolean }> = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, watch: url.searchParams.get('watch') === 'true' });
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders(); // a watch's headers go out before its first event
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Lists (GETs of a whole collection, not watches) of `path`. */
    lists: (path: string) => requests.filter(r => r.method === 'GET' && !r.watch && r.path === path).length,
    watches: (path: string) => requests.filter(r => r.watch && r.path === path).length,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function gpuPod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'team-a' },
    spec: { nodeName: 'n1', containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': '2' } } }] },
    status: { phase: 'Running', startTime: '2026-12-01T10:00:00Z' },
  };
}

const node: KubeObject = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1', labels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' } },
  status: { allocatable: { 'nvidia.com/gpu': '8' }, capacity: { 'nvidia.com/gpu': '8' } },
};

describe('the cost ingest reads the shared informers', () => {
  /** What each test started, stopped after it in reverse order. */
  const started: Array<() => unknown> = [];
  afterEach(async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  });

  it('lists pods, nodes, namespaces and flavors once per cluster, for the controller and every ingest pass', async () => {
    const sim = await new SimCluster().start();
    started.push(() => sim.stop());
    for (const obj of fixture('queues.yaml')) sim.create(obj);
    sim.create(node);
    sim.create(gpuPod('train-0'));
    const proxy = await countingProxy(sim.server!.url);
    started.push(() => proxy.close());
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigYaml([{ name: 'sim', url: proxy.url }]));
    const registry = new ClusterRegistry([{ name: 'sim', mode: 'admit', kubeConfig }], mockServices.logger.mock());
    started.push(() => registry.stop());
    const controller = createAdmissionController({
      ...settingsFrom(mockServices.rootConfig({ data: {} })),
      logger: mockServices.logger.mock(),
      decisions: new MemoryDecisionStore(),
      leaseTiming: { durationMs: 1_500, renewMs: 300 },
      registry,
    });
    const recorded: GpuInterval[] = [];
    const ledger = {
      ingest: async (intervals: GpuInterval[]) => void recorded.push(...intervals),
      closeVanished: async () => 0,
    };
    const capacity = { record: jest.fn(async () => {}) };
    const ingestor = new CostIngestor(
      registry,
      ledger as never,
      mockServices.logger.mock(),
      capacity,
      controller.attribution,
    );
    started.push(() => controller.stop());
    ingestor.start();
    started.push(() => ingestor.stop());
    await controller.start();

    const store = sim.store;
    const server = sim.server!;
    const podType = store.typeFor('v1', 'Pod');
    const cached = (name: string) =>
      registry
        .get('sim')!
        .pods.list()
        .some(p => p.metadata?.name === name);
    const ended = (pod: string) => recorded.some(i => i.pod === pod && i.end !== undefined);
    for (let tick = 1; tick <= 5; tick++) {
      sim.create(gpuPod(`train-${tick}`));
      store.delete(podType, 'team-a', `train-${tick - 1}`);
      // The watch brings both changes into the cache; the pass after them sees the new pod and the deleted one's end.
      const [created, deleted] = [`train-${tick}`, `train-${tick - 1}`];
      await eventually(() => cached(created) && !cached(deleted));
      await ingestor.sync();
      expect(recorded.some(i => i.pod === created && i.end === undefined)).toBe(true);
      expect(ended(deleted)).toBe(true);
      // A dropped watch resumes from its resourceVersion: no list either.
      if (tick === 3) {
        server.dropWatches();
        await eventually(() => server.openWatches() > 0);
      }
    }
    expect(capacity.record).toHaveBeenCalledTimes(5);
    expect(clusterSummary(controller.controllers[0]).nodes).toBe(1);

    for (const path of [
      '/api/v1/pods',
      '/api/v1/nodes',
      '/api/v1/namespaces',
      '/apis/kueue.x-k8s.io/v1beta1/resourceflavors',
    ]) {
      expect({ path, lists: proxy.lists(path) }).toEqual({ path, lists: 1 });
      // Watched again after the drop, from where the watch was.
      await eventually(() => proxy.watches(path) >= 2);
    }
    expect(registry.get('sim')!.listCounts()).toMatchObject({ Pod: 1, Node: 1, Namespace: 1, ResourceFlavor: 1 });
  });

  it('skips a cluster whose informers have not listed yet, rather than closing every interval of an empty cache', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigYaml([{ name: 'sim', url: 'http://127.0.0.1:9' }]));
    const registry = new ClusterRegistry([{ name: 'sim', mode: 'admit', kubeConfig }], mockServices.logger.mock());
    const ledger = { ingest: jest.fn(), closeVanished: jest.fn() };
    const logger = mockServices.logger.mock();
    const ingestor = new CostIngestor(registry, ledger as never, logger);
    ingestor.start();
    started.push(() => ingestor.stop());
    await ingestor.sync();
    await expect(ingestor.syncCluster({ name: 'sim' })).rejects.toThrow(
      'have not listed Pod, Node, Namespace, ResourceClaim, ResourceSlice yet',
    );
    expect(ledger.ingest).not.toHaveBeenCalled();
    expect(ledger.closeVanished).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
