/* eslint-disable no-console */
/**
 * Kueue's `baseline` scheduler benchmark in real time: kube-sim serves one
 * cluster with enough CPU nodes, the admission controller (the same code the
 * backend runs) admits batch/v1 Jobs created suspended with the queue label
 * at Kueue's arrival times, and kube-sim really creates and runs their pods
 * for their runtimes. Figures are computed as Kueue's recorder does.
 *
 * As in a real deployment the API server and the controller do not share a
 * thread: kube-sim, and the client that creates the Jobs on schedule, run in
 * a worker thread; the controller talks to it over HTTP from the main thread.
 *   yarn workspace @ai-platform/backstage-plugin-ai-platform-backend bench:kueue [scale]
 * `scale` (default 1) divides the workload counts for a quicker run.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { KubeConfig } from '@kubernetes/client-node';
import { mockServices } from '@backstage/backend-test-utils';
import { kubeconfigYaml, startKubeSim, type FleetSpec } from '@ai-platform/kube-sim';
import { appendTo, kueueBenchmarks, kueueScenarioDocument, makespanBound } from '@ai-platform/scheduler';
import { builtinWorkloadKinds } from '../src/workloads/adapters';
import { ClusterController } from '../src/controller/ClusterController';
import type { DecisionRecord, DecisionStore } from '../src/database/DecisionStore';

const published = {
  wall: 351.1,
  usage: 58.7,
  tta: { large: 6.7, medium: 76.8, small: 215.5 } as Record<string, number>,
};

type QueueObject = { kind: string; metadata: { name: string; namespace?: string } };
type BenchWorkload = {
  name: string;
  namespace: string;
  queue: string;
  class: string;
  arrival: number;
  duration: number;
  podSets: Array<{ requests: { cpu: string } }>;
};
/** What the worker reports per Job at the end: created (epoch ms), and its own start and completion times. */
type JobTimes = { key: string; cls: string; cpu: number; created: number; started?: number; completed?: number };
type FromWorker =
  | { type: 'ready'; url: string }
  | { type: 'created'; count: number }
  | { type: 'done'; jobs: JobTimes[] };

function scenario(scale: number) {
  const base = kueueBenchmarks.baseline;
  const config = {
    ...base,
    classes: base.classes.map(c => ({ ...c, count: Math.max(1, Math.round(c.count / scale)) })),
  };
  return { config, doc: kueueScenarioDocument(config) };
}

/** Worker thread: kube-sim, plus the client creating Jobs at their arrival times through the store (as a create call would). */
async function runKubeSim(scale: number) {
  const { doc } = scenario(scale);
  const fleet = {
    apiVersion: 'kube-sim.io/v1alpha1',
    kind: 'Fleet',
    simulation: { failureRate: 0, startupSeconds: 0 },
    clusters: [{ name: 'bench', nodePools: [{ name: 'cpu', count: 12, cpu: '64', memory: '256Gi', zones: ['z1'] }] }],
    namespaces: (doc.objects as QueueObject[])
      .filter(o => o.kind === 'LocalQueue')
      .map(o => ({ name: o.metadata.namespace!, team: o.metadata.namespace! })),
  } as FleetSpec;
  const sim = await startKubeSim({ fleet, speed: 1, generator: false });
  const cluster = sim.clusters[0];
  const jobType = cluster.store.typeFor('batch/v1', 'Job');
  const port = parentPort!;
  port.postMessage({ type: 'ready', url: cluster.url } satisfies FromWorker);
  await new Promise(resolve => port.once('message', resolve)); // the controller is up
  const workloads = (doc.workloads as BenchWorkload[]).sort((a, b) => a.arrival - b.arrival);
  const created = new Map<string, JobTimes>();
  const start = Date.now();
  for (const w of workloads) {
    const wait = start + w.arrival * 1000 - Date.now();
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
    const cpu = w.podSets[0].requests.cpu;
    cluster.store.create(jobType, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: w.name, namespace: w.namespace, labels: { 'kueue.x-k8s.io/queue-name': w.queue } },
      spec: {
        suspend: true,
        parallelism: 1,
        completions: 1,
        template: {
          // The pod runs for Kueue's runtime of its class (kube-sim reads this on the pod).
          metadata: { annotations: { 'kube-sim.io/duration-seconds': String(w.duration) } },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'pause', resources: { requests: { cpu } } }],
          },
        },
      },
    });
    created.set(`${w.namespace}/${w.name}`, {
      key: `${w.namespace}/${w.name}`,
      cls: w.class,
      cpu: Number(cpu),
      created: Date.now(),
    });
  }
  port.postMessage({ type: 'created', count: created.size } satisfies FromWorker);
  for (;;) {
    const jobs = cluster.store.list(jobType);
    if (jobs.every(j => j.status?.completionTime) || Date.now() - start > 900_000) {
      for (const j of jobs) {
        const times = created.get(`${j.metadata.namespace}/${j.metadata.name}`)!;
        times.started = Date.parse(String(j.status?.startTime ?? '')) || undefined;
        times.completed = Date.parse(String(j.status?.completionTime ?? '')) || undefined;
      }
      break;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  port.postMessage({ type: 'done', jobs: [...created.values()] } satisfies FromWorker);
  await sim.stop();
}

/** Admission and release times (ms) from the controller's decision records: the quota a workload holds. */
class TimingDecisions implements DecisionStore {
  readonly admitted = new Map<string, number>();
  readonly held: Array<{ key: string; from: number; to?: number }> = [];
  private readonly open = new Map<string, { key: string; from: number; to?: number }>();
  async record(d: DecisionRecord) {
    const key = `${d.namespace}/${d.name}`;
    const at = d.time.getTime();
    if (d.decision === 'Admitted') {
      if (!this.admitted.has(key)) this.admitted.set(key, at);
      const interval = { key, from: at };
      this.held.push(interval);
      this.open.set(key, interval);
    } else if (['Finished', 'Preempted', 'Evicted'].includes(d.decision)) {
      const interval = this.open.get(key);
      if (interval) interval.to = at;
      this.open.delete(key);
    }
  }
  async list() {
    return [];
  }
  async lastDecision() {
    return undefined;
  }
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);

async function main(scale: number) {
  const { config, doc } = scenario(scale);
  // The worker loads this same file (through the TypeScript hook the main thread was started with).
  const worker = new Worker(`require(${JSON.stringify(__filename)})`, {
    eval: true,
    workerData: { scale },
    execArgv: process.execArgv,
  });
  const inbox = new Map<string, FromWorker>();
  const waiters = new Map<string, (m: FromWorker) => void>();
  worker.on('message', (m: FromWorker) => {
    const waiter = waiters.get(m.type);
    waiters.delete(m.type);
    if (waiter) waiter(m);
    else inbox.set(m.type, m);
  });
  worker.on('error', e => {
    console.error(e);
    process.exit(1);
  });
  const next = <T extends FromWorker['type']>(type: T) =>
    new Promise<Extract<FromWorker, { type: T }>>(resolve => {
      const m = inbox.get(type);
      inbox.delete(type);
      if (m) resolve(m as Extract<FromWorker, { type: T }>);
      else waiters.set(type, resolve as (m: FromWorker) => void);
    });

  const { url } = await next('ready');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigYaml([{ name: 'bench', url }]));
  const decisions = new TimingDecisions();
  const controller = new ClusterController({
    connection: { name: 'bench', mode: 'admit', kubeConfig },
    adapters: builtinWorkloadKinds,
    decisions,
    logger: mockServices.rootLogger({ level: 'warn' }),
    queueObjects: doc.objects,
    identity: 'bench',
  });
  await controller.start();
  console.log(
    `${doc.workloads.length} Jobs in ${
      config.cohorts * config.queuesPerCohort
    } ClusterQueues; creating them at Kueue's arrival times...`,
  );
  const start = Date.now();
  worker.postMessage('go');
  await next('created');
  const { jobs } = await next('done');
  const wall = (Date.now() - start) / 1000;

  // Usage as Kueue's recorder counts it: the quota admitted workloads hold, from admission to release
  // (the controller's decision times, in ms; the Jobs' own times have whole seconds only).
  const cpuOf = new Map(jobs.map(j => [j.key, j.cpu]));
  let used = 0;
  let lastEnd = start;
  for (const h of decisions.held) {
    const to = h.to ?? Date.now();
    used += (cpuOf.get(h.key)! * (to - h.from)) / 1000;
    lastEnd = Math.max(lastEnd, to);
  }
  const makespan = (lastEnd - start) / 1000;
  // Quota never over-committed: the most CPU admitted at once.
  const edges = decisions.held.flatMap(h => [
    [h.from, cpuOf.get(h.key)!] as const,
    [h.to ?? Date.now(), -cpuOf.get(h.key)!] as const,
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let peak = 0;
  for (const [, delta] of edges) peak = Math.max(peak, (running += delta));
  const quota = config.cohorts * config.queuesPerCohort * 20;
  const tta = new Map<string, number[]>();
  for (const j of jobs) {
    const admitted = decisions.admitted.get(j.key);
    if (admitted !== undefined) appendTo(tta, j.cls, (admitted - j.created) / 1000);
  }
  console.log(`\n| figure | this backend on kube-sim | Kueue (published) |\n|---|---|---|`);
  console.log(
    `| wall time until the last Job completed | ${makespan.toFixed(1)} s (bound ${makespanBound(config).toFixed(
      0,
    )} s) | ${published.wall} s |`,
  );
  console.log(`| ClusterQueue usage | ${((100 * used) / (quota * makespan)).toFixed(1)} % | ${published.usage} % |`);
  for (const cls of ['large', 'medium', 'small']) {
    const v = tta.get(cls) ?? [];
    console.log(
      `| mean time to admission, ${cls} | ${mean(v).toFixed(2)} s (${v.length} admitted) | ${published.tta[cls]} s |`,
    );
  }
  console.log(`| Jobs completed | ${jobs.filter(j => j.completed).length} / ${jobs.length} | |`);
  const clsOf = new Map(jobs.map(j => [j.key, j.cls]));
  const holds = new Map<string, number[]>();
  for (const h of decisions.held) if (h.to) appendTo(holds, clsOf.get(h.key)!, h.to - h.from);
  const runtime = Object.fromEntries(config.classes.map(c => [c.className, c.runtimeMs]));
  for (const cls of ['large', 'medium', 'small']) {
    const v = holds.get(cls) ?? [];
    console.log(
      `| quota held per admission, ${cls} (runtime ${runtime[cls]} ms) | mean ${mean(v).toFixed(0)} ms over ${
        v.length
      } admissions (${v.length - (tta.get(cls)?.length ?? 0)} after a preemption) | |`,
    );
  }
  console.log(`| most CPU admitted at once (quota ${quota}) | ${peak} | |`);
  console.log(
    `(total ${wall.toFixed(0)} s; controller thread resident memory ${(process.memoryUsage().rss / 2 ** 20).toFixed(
      0,
    )} MiB)`,
  );
  await controller.stop();
  await worker.terminate();
}

if (isMainThread) {
  main(Number(process.argv[2] ?? 1)).then(
    () => process.exit(0),
    e => {
      console.error(e);
      process.exit(1);
    },
  );
} else {
  runKubeSim((workerData as { scale: number }).scale).catch(e => {
    console.error(e);
    process.exit(1);
  });
}
