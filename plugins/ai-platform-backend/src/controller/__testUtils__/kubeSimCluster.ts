import { readFileSync } from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import {
  kubeconfigYaml,
  MemoryStore,
  startApiServer,
  type ApiServer,
  type FleetSpec,
  type KubeObject,
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

/** One cluster `gpu` of two 8×H100 nodes that never fails a pod, with a namespace per team. */
export function twoH100NodeFleet(namespaces: Array<{ name: string; team: string }>): FleetSpec {
  return {
    apiVersion: 'kube-sim.io/v1alpha1',
    kind: 'Fleet',
    simulation: { startupSeconds: 1, failureRate: 0 },
    clusters: [
      {
        name: 'gpu',
        nodePools: [
          {
            name: 'h100',
            count: 2,
            cpu: '96',
            memory: '1Ti',
            zones: ['z1'],
            gpu: { product: 'NVIDIA-H100-80GB-HBM3', count: 8, memoryMiB: 81920 },
          },
        ],
      },
    ],
    namespaces,
  };
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
