import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import knexFactory from 'knex';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { mockServices } from '@backstage/backend-test-utils';
import { kubeconfigYaml, KubeSim, RunningPrometheus, startKubeSim, startPrometheus } from '@ai-platform/kube-sim';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import type { ClusterConnection } from '../clusters/connection';
import { CostIngestor } from './CostIngestor';
import type { NodeCapacityLedger } from './NodeCapacity';
import { CostDatabase } from '../database/CostDatabase';
import { DefaultCostService } from '../services/CostService';
import { costRoutesApp } from '../routes/__testUtils__/costRoutesApp';
import { PrometheusTelemetry } from './PrometheusTelemetry';
import { PriceBook } from './pricing';
import { PrometheusUtilization } from './PrometheusUtilization';
import { PrometheusInference } from './PrometheusInference';
import type {
  InferenceEfficiencyResponse,
  WorkloadCostResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';

const demoFleet = path.resolve(__dirname, '../../../../examples/fleet/demo.yaml');

/** Creates a pod on an H100 node of the simulated cluster, steered by kube-sim annotations. */
function h100Pod(
  cluster: KubeSim['clusters'][number],
  pod: { name: string; namespace: string; annotations: Record<string, string>; gpus: number; image?: string },
) {
  return cluster.store.create(cluster.store.typeFor('v1', 'Pod'), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: pod.namespace, annotations: pod.annotations },
    spec: {
      nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [
        { name: 'main', image: pod.image ?? 'pytorch', resources: { limits: { 'nvidia.com/gpu': String(pod.gpus) } } },
      ],
    },
  });
}

describe('cost accounting against kube-sim and a real Prometheus', () => {
  let sim: KubeSim | undefined;
  let prometheus: RunningPrometheus | undefined;
  const registries: ClusterRegistry[] = [];

  afterAll(async () => {
    await Promise.all(registries.map(r => r.stop()));
    await prometheus?.stop();
    await sim?.stop();
  });

  /** An ingestor over the cluster's informers, once they have listed. */
  async function ingestorFor(connection: ClusterConnection, ledger: CostDatabase, capacity?: NodeCapacityLedger) {
    const registry = new ClusterRegistry([connection], mockServices.logger.mock());
    registries.push(registry);
    await registry.start();
    return new CostIngestor(registry, ledger, mockServices.logger.mock(), capacity);
  }

  it('prices the GPUs pods hold and finds the idle cost of a pod that does not use them', async () => {
    sim = await startKubeSim({ fleet: demoFleet, speed: 1, generator: false });
    const east = sim.clusters[0];
    const pod = (name: string, annotations: Record<string, string>) =>
      h100Pod(east, {
        name,
        namespace: 'team-ml-research',
        annotations: { 'kube-sim.io/duration-seconds': '86400', ...annotations },
        gpus: 2,
      });
    pod('busy-0', { 'kube-sim.io/profile': 'training' });
    pod('idle-0', { 'kube-sim.io/profile': 'idle' });

    prometheus = await startPrometheus([east.metricsUrl]);
    // Both pods scraped, and the training one past its first warm-up: kube-sim's training profile halves its
    // activity in checkpoint minutes (:00 and :30 of the clock), so a test that starts then waits a minute longer.
    await prometheus.waitFor(
      'avg by (pod) (avg_over_time(DCGM_FI_DEV_GPU_UTIL[1m]))',
      r => r.some(x => x.metric.pod === 'idle-0') && r.some(x => x.metric.pod === 'busy-0' && Number(x.value[1]) > 20),
      150_000,
    );
    await new Promise(r => setTimeout(r, 3000)); // a few scrapes of history

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigYaml([{ name: east.name, url: east.url }]));
    const db = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
    const ledger = await CostDatabase.create(db, PriceBook.withDefaults());
    const ingestor = await ingestorFor({ name: east.name, mode: 'admit', kubeConfig }, ledger);
    const synced = await ingestor.syncCluster({ name: east.name });
    expect(synced.intervals).toBe(2);

    const now = Date.now();
    const app = await costRoutesApp({
      costs: new DefaultCostService({
        db: ledger,
        telemetry: new PrometheusTelemetry(prometheus.url),
        now: () => now + 60_000,
      }),
      access: { teamScoped: false },
    });
    const res = await request(app).get('/costs/allocation?window=1h&aggregate=workload');
    expect(res.status).toBe(200);
    expect(res.body.utilizationKnown).toBe(true);
    const busy = res.body.data[0]['busy-0'];
    const idle = res.body.data[0]['idle-0'];
    expect(busy.gpuCost).toBeGreaterThan(0); // 2 x H100 at the default 4.00/h for about a minute
    // A training pod ramps up over its first minutes; an idle one stays near zero.
    expect(busy.gpuEfficiency).toBeGreaterThan(0.05);
    expect(idle.gpuEfficiency).toBeLessThan(0.05);
    expect(busy.gpuEfficiency).toBeGreaterThan(3 * idle.gpuEfficiency);
    expect(idle.idleCost).toBeGreaterThan(0.95 * idle.gpuCost);
    await db.destroy();
  }, 240_000);

  it('measures tokens per second per dollar of an inference server, and says tokens are unknown when Prometheus is down', async () => {
    sim ??= await startKubeSim({ fleet: demoFleet, speed: 1, generator: false });
    const east = sim.clusters[0];
    const server = (name: string, model: string) =>
      h100Pod(east, {
        name,
        namespace: 'team-llm-serving',
        annotations: { 'kube-sim.io/keep-running': 'true', 'kube-sim.io/model-name': model },
        gpus: 1,
        image: 'vllm/vllm-openai',
      });
    server('llama-0', 'meta-llama/Llama-3.1-8B-Instruct');

    await prometheus?.stop();
    prometheus = await startPrometheus([east.metricsUrl]);
    await prometheus.waitFor('sum by (pod) (increase(vllm:generation_tokens_total{pod="llama-0"}[1m]))', r =>
      r.some(x => Number(x.value[1]) > 0),
    );
    // Requests complete more slowly than tokens flow: wait until the time-to-first-token histogram has counted some too.
    await prometheus.waitFor('sum by (pod) (increase(vllm:time_to_first_token_seconds_count{pod="llama-0"}[1m]))', r =>
      r.some(x => Number(x.value[1]) > 0),
    );

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigYaml([{ name: east.name, url: east.url }]));
    const db = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
    const ledger = await CostDatabase.create(db, PriceBook.withDefaults());
    const connection = { name: east.name, mode: 'admit' as const, kubeConfig };
    await (await ingestorFor(connection, ledger)).syncCluster(connection);

    const at = Date.now();
    const app = (prometheusUrl: string) =>
      costRoutesApp({
        costs: new DefaultCostService({ db: ledger, telemetry: new PrometheusTelemetry(prometheusUrl), now: () => at }),
        access: { teamScoped: false },
      });

    const res = await request(await app(prometheus.url)).get('/costs/inference?window=1h&filter.team=llm-serving');
    expect(res.status).toBe(200);
    const body = res.body as InferenceEfficiencyResponse;
    expect(body.tokensKnown).toBe(true);
    const llama = body.items.find(i => i.workload === 'llama-0')!;
    expect(llama).toMatchObject({ cluster: east.name, namespace: 'team-llm-serving', team: 'llm-serving' });
    expect(llama.generationTokens).toBeGreaterThan(0);
    expect(llama.promptTokens).toBeGreaterThan(llama.generationTokens); // prompts of 600-1200 tokens, answers of 150-400
    expect(llama.costMicros).toBeGreaterThan(0); // 1 x H100 at 4.00/h for the seconds it has run
    expect(llama.tokensPerSecondPerDollar).toBeGreaterThan(0);
    expect(llama.tokensPerSecondPerDollar).toBeCloseTo(llama.generationTokens / (llama.costMicros / 1e6) / 3600, 6);
    expect(llama.costPerMillionTokensMicros).toBe(Math.round((llama.costMicros * 1e6) / llama.generationTokens));
    // Only servers with token counters are listed: the training pods of the first test are not.
    expect(body.items.map(i => i.workload)).not.toContain('busy-0');

    const workload = await request(await app(prometheus.url)).get(
      `/costs/workloads/${east.name}/team-llm-serving/Pod/llama-0?window=1h`,
    );
    expect(workload.status).toBe(200);
    const cost = workload.body as WorkloadCostResponse;
    expect(cost.costToDateMicros).toBeGreaterThan(0);
    expect(cost.ratePerHourMicros).toBe(4_000_000);
    expect(cost.projectedMicros).toBeNull(); // a server has no expected run time
    expect(cost.utilization!.length).toBeGreaterThan(0);
    expect(cost.inference!.tokensPerSecond).toBeGreaterThan(0);
    expect(cost.inference!.timeToFirstTokenP95Seconds).toBeGreaterThan(0);
    expect(cost.inference!.timeToFirstTokenP95Seconds).toBeLessThan(10);
    expect(cost.inference!.costPerMillionTokensMicros).toBeGreaterThan(0);

    const unknownWorkload = await request(await app(prometheus.url)).get(
      `/costs/workloads/${east.name}/team-llm-serving/Pod/no-such-pod`,
    );
    expect(unknownWorkload.status).toBe(404);
    expect(unknownWorkload.body.error.message).toContain('check the cluster, namespace, kind and name');

    const url = prometheus.url;
    await prometheus.stop();
    prometheus = undefined;
    const down = await request(await app(url)).get('/costs/inference?window=1h');
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ tokensKnown: false, items: [] });
    const downWorkload = (
      await request(await app(url)).get(`/costs/workloads/${east.name}/team-llm-serving/Pod/llama-0`)
    ).body as WorkloadCostResponse;
    expect(downWorkload.utilization).toBeNull();
    expect(downWorkload.costToDateMicros).toBeGreaterThan(0);
    await db.destroy();
  }, 120_000);

  it('reads pods from exported_pod/exported_namespace when the scrape target claimed pod and namespace', async () => {
    sim ??= await startKubeSim({ fleet: demoFleet, speed: 1, generator: false });
    const east = sim.clusters[0];
    h100Pod(east, {
      name: 'mistral-0',
      namespace: 'team-agents',
      annotations: {
        'kube-sim.io/keep-running': 'true',
        'kube-sim.io/model-name': 'mistralai/Mistral-7B-Instruct-v0.3',
      },
      gpus: 1,
      image: 'vllm/vllm-openai',
    });
    // What Prometheus stores when a ServiceMonitor's target labels (the exporter's own pod) win: the workload's labels renamed.
    const relabelling = http.createServer(async (_req, res) => {
      const text = await (await fetch(east.metricsUrl)).text();
      res
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
        .end(text.replace(/([{,])(pod|namespace)="/g, '$1exported_$2="'));
    });
    await new Promise<void>(resolve => relabelling.listen(0, '127.0.0.1', resolve));
    const exported = await startPrometheus([`http://127.0.0.1:${(relabelling.address() as AddressInfo).port}/metrics`]);
    try {
      // Tokens and first-token latencies both moved between two scrapes (requests finish less often than tokens).
      for (const counter of ['vllm:generation_tokens_total', 'vllm:time_to_first_token_seconds_count'])
        await exported.waitFor(`sum(increase(${counter}{exported_pod="mistral-0"}[1m]))`, r =>
          r.some(x => Number(x.value[1]) > 0),
        );
      expect(await exported.query('count(vllm:generation_tokens_total{pod="mistral-0"})')).toEqual([]);
      const now = Date.now();
      const inference = new PrometheusInference(exported.url);
      const tokens = await inference.tokensByPod(now - 3_600_000, now);
      expect(tokens!.get(east.name, 'team-agents', 'mistral-0')!.generation).toBeGreaterThan(0);
      const where = { cluster: east.name, namespace: 'team-agents', pods: ['mistral-0'] };
      expect(await inference.ttftP95(where, now - 3_600_000, now)).toBeGreaterThan(0);
      const series = await new PrometheusUtilization(exported.url).series(where, now - 60_000, now);
      expect(series!.length).toBeGreaterThan(0);
      expect(series!.every(p => p.value >= 0 && p.value <= 1)).toBe(true);
    } finally {
      await exported.stop();
      relabelling.closeAllConnections();
      await new Promise(resolve => relabelling.close(resolve));
    }
  }, 90_000);

  it("records the cluster's node GPU capacity and reports what pods do not hold as __idle__", async () => {
    sim ??= await startKubeSim({ fleet: demoFleet, speed: 1, generator: false });
    const east = sim.clusters[0];
    h100Pod(east, {
      name: 'capacity-0',
      namespace: 'team-ml-research',
      annotations: { 'kube-sim.io/keep-running': 'true' },
      gpus: 8,
    });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigYaml([{ name: east.name, url: east.url }]));
    const core = kubeConfig.makeApiClient(CoreV1Api);
    // kube-sim's kubelet starts a pod about 10 s after scheduling it.
    for (let i = 0; i < 300; i++) {
      const p = await core.readNamespacedPod({ name: 'capacity-0', namespace: 'team-ml-research' });
      if (p.status?.phase === 'Running') break;
      if (i === 299) throw new Error(`capacity-0 did not start within 30 s: ${JSON.stringify(p.status)}`);
      await new Promise(r => setTimeout(r, 100));
    }
    // What the API server says the nodes offer, in whole GPUs: a MIG slice of N compute units is N/7, a time-sliced replica 1/replicas.
    const nodes = (await core.listNode()).items;
    const gpus = nodes.reduce(
      (sum, n) =>
        sum +
        Object.entries(n.status?.allocatable ?? {}).reduce((s, [resource, value]) => {
          const mig = /^nvidia\.com\/mig-(\d+)g\./.exec(resource);
          if (mig) return s + (Number(value) * Number(mig[1])) / 7;
          if (resource === 'nvidia.com/gpu.shared')
            return s + Number(value) / Number(n.metadata?.labels?.['nvidia.com/gpu.replicas']);
          return resource === 'nvidia.com/gpu' ? s + Number(value) : s;
        }, 0),
      0,
    );
    expect(gpus).toBe(8 * 8 + 4 * 8 + 4 * 4); // demo.yaml's gpu-east: H100 nodes, A100s cut into 3g + 4 × 1g, L4s time-sliced 4 ways

    const db = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
    const ledger = await CostDatabase.create(db, PriceBook.withDefaults());
    const capacity = { record: ledger.recordNodes.bind(ledger) };
    const connection = { name: east.name, mode: 'admit' as const, kubeConfig };
    const ingestor = await ingestorFor(connection, ledger, capacity);
    const t1 = Date.now();
    await ingestor.syncCluster(connection, t1);
    const rows = Number((await db('ai_platform_node_capacity').count({ n: '*' }))[0].n);
    await ingestor.syncCluster(connection, t1 + 30_000); // a second pass over the same nodes adds nothing
    expect(Number((await db('ai_platform_node_capacity').count({ n: '*' }))[0].n)).toBe(rows);

    const window = `${new Date(t1).toISOString()},${new Date(t1 + 60_000).toISOString()}`;
    const app = await costRoutesApp({
      costs: new DefaultCostService({ db: ledger, now: () => t1 + 60_000 }),
      access: { teamScoped: false },
    });
    const res = await request(app).get(`/costs/allocation?window=${encodeURIComponent(window)}&aggregate=workload`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data[0])).toContain('capacity-0');
    const entries = Object.values(res.body.data[0] as Record<string, { name: string; gpuHours: number }>);
    const allocatedMs = entries.filter(e => e.name !== '__idle__').reduce((s, e) => s + e.gpuHours * 3_600_000, 0);
    expect(res.body.data[0]['capacity-0'].gpuHours * 3_600_000).toBeCloseTo(8 * 60_000, 3);
    // Capacity over the minute is every GPU of the cluster; what pods do not hold is idle. Each
    // capacity row's share of a GPU is rounded down once per hour it touches (two when the
    // minute straddles an hour), so the sum falls short by less than 1 ms per row and piece.
    const accounted = Math.round(res.body.data[0].__idle__.gpuHours * 3_600_000 + allocatedMs);
    expect(accounted).toBeLessThanOrEqual(gpus * 60_000);
    expect(accounted).toBeGreaterThan(gpus * 60_000 - 2 * rows);
    await db.destroy();
  }, 90_000);
});
