/*
 * Benchmark: the `large` fleet (2,000 nodes) with 100,000 pods.
 * Prints list latency over HTTP, watch events per second delivered to one
 * client-node informer, and resident memory after the load.
 *
 *   yarn workspace @ai-platform/kube-sim bench [--pods 100000] [--lists 10]
 */
import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import { CoreV1Api, KubeConfig, makeInformer, V1Pod } from '@kubernetes/client-node';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { kubeconfigYaml } from '../src/kubeconfig';
import { startKubeSim } from '../src/index';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '100000' },
    lists: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '64' },
  },
});
const podCount = Number(values.pods);
const listRuns = Number(values.lists);
const concurrency = Number(values.concurrency);
const namespace = 'bench';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function benchPod(i: number): V1Pod {
  return {
    metadata: {
      name: `bench-${i}`,
      namespace,
      labels: { app: 'bench', shard: String(i % 100) },
      annotations: { 'kube-sim.io/keep-running': 'true' },
    },
    spec: {
      // Tolerates the GPU taint so the tiny pods may use every node's pod slots.
      tolerations: [{ operator: 'Exists' }],
      containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    },
  };
}

async function main() {
  const fleet = path.resolve(__dirname, '../../../examples/fleet/large.yaml');
  const started = Date.now();
  const sim = await startKubeSim({ fleet, speed: 20, generator: false });
  const cluster = sim.clusters[0];
  const nodes = cluster.store.list(cluster.store.typeFor('v1', 'Node')).length;
  process.stdout.write(
    `started ${cluster.name} with ${nodes} nodes in ${
      Date.now() - started
    } ms; creating ${podCount} pods over HTTP (${concurrency} in flight)\n`,
  );

  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml([{ name: cluster.name, url: cluster.url }]));
  const core = kc.makeApiClient(CoreV1Api);

  // One informer on pods, receiving every ADDED/MODIFIED while pods are created, bound and started.
  let watchEvents = 0;
  let firstEvent = 0;
  let lastEvent = 0;
  const seen = () => {
    watchEvents++;
    lastEvent = performance.now();
    if (!firstEvent) firstEvent = lastEvent;
  };
  const informer = makeInformer(kc, `/api/v1/namespaces/${namespace}/pods`, () =>
    core.listNamespacedPod({ namespace }),
  );
  informer.on('add', seen);
  informer.on('update', seen);
  let stopping = false;
  informer.on('error', e => {
    if (!stopping) process.stderr.write(`informer error: ${e}\n`);
  });
  await informer.start();

  const createStart = performance.now();
  const limit = pLimit(concurrency);
  const create = async (i: number) => {
    const res = await fetch(`${cluster.url}/api/v1/namespaces/${namespace}/pods`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(benchPod(i)),
    });
    if (res.status !== 201) throw new Error(`creating bench-${i}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    if (i > 0 && i % 20000 === 0) process.stdout.write(`  ${i} pods created\n`);
  };
  await Promise.all(Array.from({ length: podCount }, (_, i) => limit(() => create(i))));
  const createSeconds = (performance.now() - createStart) / 1000;

  // Wait until every pod runs (bound by the scheduler, started by the kubelet) and the informer saw it.
  const podType = cluster.store.typeFor('v1', 'Pod');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const pods = cluster.store.list(podType, { namespace });
    const running = pods.filter(p => p.status?.phase === 'Running').length;
    const cached = informer.list(namespace).filter(p => p.status?.phase === 'Running').length;
    if (running === podCount && cached === podCount) break;
    if (Date.now() > deadline)
      throw new Error(`only ${running} pods Running (${cached} in the informer) after 15 minutes`);
    await new Promise(r => setTimeout(r, 500));
  }
  const settledSeconds = (performance.now() - createStart) / 1000;
  const createEvents = watchEvents;
  const watchRate = createEvents / ((lastEvent - firstEvent) / 1000);

  // A burst of updates written straight into the store: how fast one informer takes them in.
  let burstSeen = 0;
  informer.on('update', pod => {
    if (pod.metadata?.labels?.round === '1') burstSeen++;
  });
  const burstStart = performance.now();
  const current = cluster.store.list(podType, { namespace });
  for (let i = 0; i < current.length; i += 1000) {
    for (const pod of current.slice(i, i + 1000)) {
      cluster.store.update(podType, {
        ...pod,
        metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, round: '1' } },
      });
    }
    await new Promise(r => setImmediate(r));
  }
  while (burstSeen < podCount) {
    if (performance.now() - burstStart > 10 * 60_000)
      throw new Error(`the informer saw ${burstSeen} of ${podCount} updates in 10 minutes`);
    await new Promise(r => setTimeout(r, 20));
  }
  const burstSeconds = (performance.now() - burstStart) / 1000;

  const latencies: number[] = [];
  let bytes = 0;
  let listed = 0;
  for (let i = 0; i < listRuns; i++) {
    const t = performance.now();
    const res = await fetch(`${cluster.url}/api/v1/pods`);
    const text = await res.text();
    const list = JSON.parse(text) as { items: unknown[] };
    latencies.push(performance.now() - t);
    bytes = text.length;
    listed = list.items.length;
  }
  const memory = process.memoryUsage();

  const rows: Array<[string, string]> = [
    ['nodes', String(nodes)],
    ['pods', `${listed} (all Running)`],
    ['create (HTTP POST)', `${createSeconds.toFixed(1)} s, ${(podCount / createSeconds).toFixed(0)} pods/s`],
    ['all Running after', `${settledSeconds.toFixed(1)} s`],
    [
      `list all pods (${listRuns}x, ${mib(bytes)})`,
      `median ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms`,
    ],
    ['watch events to one informer', `${createEvents} events while creating, ${watchRate.toFixed(0)} events/s`],
    [
      '  burst of updates',
      `${podCount} updates in ${burstSeconds.toFixed(1)} s, ${(podCount / burstSeconds).toFixed(0)} events/s`,
    ],
    ['resident memory (rss)', `${mib(memory.rss)} (heap used ${mib(memory.heapUsed)}; includes the informer cache)`],
  ];
  const width = Math.max(...rows.map(r => r[0].length));
  process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);

  stopping = true;
  await informer.stop();
  await sim.stop();
}

main().then(
  () => process.exit(0),
  e => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
