import { readFileSync } from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import {
  kubeconfigYaml,
  MemoryStore,
  startApiServer,
  startKubeSim,
  type ApiServer,
  type FleetSpec,
  type KubeObject,
  type KubeSim,
  type NodePoolSpec,
  type RunningCluster,
} from '@ai-platform/kube-sim';
import { mockServices } from '@backstage/backend-test-utils';
import type { EngineOptions } from '@ai-platform/scheduler';
import type { DecisionRecord, DecisionStore } from '../../database/DecisionStore';
import { builtinWorkloadKinds } from '../../workloads/adapters';
import { ClusterController } from '../ClusterController';

/** Reads a multi-document YAML fixture next to the tests. */
export function fixture(name: string): KubeObject[] {
  const text = readFileSync(
    resolvePackagePath('@ai-platform/backstage-plugin-ai-platform-backend', 'src/controller/__fixtures__', name),
    'utf8',
  );
  return parseAllDocuments(text).map(d => d.toJS() as KubeObject);
}

/** One cluster `gpu` of one node pool, whose pods never fail, with a namespace per team. */
export function onePoolFleet(pool: NodePoolSpec, namespaces: Array<{ name: string; team: string }>): FleetSpec {
  return {
    apiVersion: 'kube-sim.io/v1alpha1',
    kind: 'Fleet',
    simulation: { startupSeconds: 1, failureRate: 0 },
    clusters: [{ name: 'gpu', nodePools: [pool] }],
    namespaces,
  };
}

/** One cluster `gpu` of two 8×H100 nodes that never fails a pod, with a namespace per team. */
export function twoH100NodeFleet(namespaces: Array<{ name: string; team: string }>): FleetSpec {
  return onePoolFleet(
    {
      name: 'h100',
      count: 2,
      cpu: '96',
      memory: '1Ti',
      zones: ['z1'],
      gpu: { product: 'NVIDIA-H100-80GB-HBM3', count: 8, memoryMiB: 81920 },
    },
    namespaces,
  );
}

/** One cluster `gpu` of one A100 node of 2 GPUs, each cut into 4 MIG 1g.10gb partitions: 8 DRA devices. */
export function migFleet(namespaces: Array<{ name: string; team: string }>): FleetSpec {
  return onePoolFleet(
    {
      name: 'a100-mig',
      count: 1,
      cpu: '96',
      memory: '1Ti',
      zones: ['z1'],
      gpu: { product: 'NVIDIA-A100-SXM4-80GB', count: 2, memoryMiB: 81920, mig: { profiles: { '1g.10gb': 4 } } },
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
    },
    namespaces,
  );
}

/** A kube-sim API server over real HTTP that can be stopped and started again on the same port. */
export class SimCluster {
  readonly store = new MemoryStore();
  server?: ApiServer;
  private port = 0;

  async start(): Promise<this> {
    this.server = await startApiServer({ store: this.store, host: '127.0.0.1', port: this.port, clusterName: 'sim' });
    this.port = Number(new URL(this.server.url).port);
    return this;
  }

  async stop() {
    await this.server?.close();
    this.server = undefined;
  }

  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml([{ name: 'sim', url: `http://127.0.0.1:${this.port}` }]));
    return kc;
  }

  create(obj: KubeObject): KubeObject {
    return this.store.create(this.store.typeFor(obj.apiVersion, obj.kind), structuredClone(obj));
  }

  get(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(this.store.typeFor(apiVersion, kind), namespace, name);
  }

  list(apiVersion: string, kind: string): KubeObject[] {
    return this.store.list(this.store.typeFor(apiVersion, kind));
  }
}

/** A ClusterController admitting on the kube-sim cluster at `url` (named gpu), with the built-in kinds and a short Lease. */
export function admittingController(
  url: string,
  decisions: DecisionStore,
  identity: string,
  engineOptions?: EngineOptions,
): ClusterController {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigYaml([{ name: 'gpu', url }]));
  return new ClusterController({
    connection: { name: 'gpu', mode: 'admit', kubeConfig },
    adapters: builtinWorkloadKinds,
    decisions,
    logger: mockServices.logger.mock(),
    identity,
    leaseTiming: { durationMs: 1_500, renewMs: 300 },
    engineOptions,
  });
}

/** DecisionStore in memory, for tests. */
export class MemoryDecisionStore implements DecisionStore {
  readonly records: DecisionRecord[] = [];

  async record(decision: DecisionRecord) {
    this.records.push(decision);
  }

  async list(filter: { cluster?: string; namespace?: string; name?: string; uid?: string; limit?: number }) {
    return this.records
      .filter(
        r =>
          (!filter.cluster || r.cluster === filter.cluster) &&
          (!filter.namespace || r.namespace === filter.namespace) &&
          (!filter.name || r.name === filter.name) &&
          (!filter.uid || r.uid === filter.uid),
      )
      .reverse()
      .slice(0, filter.limit ?? Infinity);
  }

  async lastDecision(uid: string) {
    return (await this.list({ uid }))[0];
  }

  count(decision: string, name?: string) {
    return this.records.filter(r => r.decision === decision && (!name || r.name === name)).length;
  }
}

/** A running kube-sim fleet with its first cluster's queue objects applied, and the admitting controllers on it. */
export interface AdmittingSim {
  sim: KubeSim;
  cluster: RunningCluster;
  decisions: MemoryDecisionStore;
  /** The controller started with the fleet. */
  controller: ClusterController;
  kubeConfig: KubeConfig;
  /** Creates an object in the cluster's store (as kubectl would). */
  create(obj: KubeObject): KubeObject;
  /** Starts another controller on the cluster (a restarted or second replica), stopped with the rest. */
  startController(identity: string, engineOptions?: EngineOptions): Promise<ClusterController>;
}

/**
 * For a describe block: starts a kube-sim fleet, applies the queue objects
 * (and any other objects) to its first cluster, and starts an admitting
 * controller on it; everything started is stopped after each test.
 */
export function useAdmittingSim(): (options: {
  fleet: FleetSpec;
  /** Applied before the controller starts. */
  objects: KubeObject[];
  identity: string;
  speed?: number;
  engineOptions?: EngineOptions;
}) => Promise<AdmittingSim> {
  let sim: KubeSim | undefined;
  const controllers: ClusterController[] = [];
  afterEach(async () => {
    for (const c of controllers.splice(0)) await c.stop();
    await sim?.stop();
    sim = undefined;
  });
  return async options => {
    sim = await startKubeSim({ generator: false, speed: options.speed, fleet: options.fleet });
    const [cluster] = sim.clusters;
    const create = (obj: KubeObject) =>
      cluster.store.create(cluster.store.typeFor(obj.apiVersion, obj.kind), structuredClone(obj));
    for (const obj of options.objects) create(obj);
    const decisions = new MemoryDecisionStore();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfigYaml([{ name: 'gpu', url: cluster.url }]));
    const startController = async (identity: string, engineOptions = options.engineOptions) => {
      const c = admittingController(cluster.url, decisions, identity, engineOptions);
      controllers.push(c);
      await c.start();
      return c;
    };
    const controller = await startController(options.identity);
    return { sim, cluster, decisions, kubeConfig, create, controller, startController };
  };
}

/** Polls until the check passes (returns truthy) or times out with the last failure. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = new Error('condition still false');
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw last;
    await new Promise(r => setTimeout(r, 50));
  }
}
