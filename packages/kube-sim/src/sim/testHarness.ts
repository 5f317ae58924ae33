import { buildDraObjects } from './dra';
import path from 'node:path';
import { buildNamespaces, buildNodes } from '../fleet/nodes';
import { loadFleetFile } from '../fleet/parseFleet';
import { MemoryStore } from '../store/MemoryStore';
import { KubeObject } from '../store/types';
import { ManualClock } from './clock';
import { ClusterSimulation } from './simulation';

/**
 * For tests: the gpu-east cluster of the demo fleet in a MemoryStore, driven
 * by a manual clock. `advance` moves simulated time and lets controllers settle.
 */
export function demoCluster(options: { failureRate?: number } = {}) {
  // Only tests use this, from the source tree.
  // eslint-disable-next-line no-restricted-syntax
  const fleet = loadFleetFile(path.resolve(__dirname, '../../../../examples/fleet/demo.yaml'));
  const cluster = fleet.clusters[0];
  const store = new MemoryStore();
  const clock = new ManualClock();
  const nodes = buildNodes(cluster, '2026-01-01T00:00:00Z');
  for (const node of nodes) store.create(store.typeFor('v1', 'Node'), node);
  for (const o of buildDraObjects(nodes)) store.create(store.typeFor(o.apiVersion, o.kind), o);
  for (const ns of buildNamespaces(fleet.namespaces ?? [], cluster.name))
    store.create(store.typeFor('v1', 'Namespace'), ns);
  const sim = new ClusterSimulation(store, clock, {
    seed: 1,
    simulation: {
      failureRate: options.failureRate ?? 0,
      startupSeconds: 5,
      defaultDuration: { distribution: 'fixed', seconds: 600 },
    },
  });
  sim.start();

  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise(r => setImmediate(r));
  };
  const type = (apiVersion: string, kind: string) => store.typeFor(apiVersion, kind);
  return {
    store,
    clock,
    sim,
    settle,
    /** Moves simulated time forward in steps, letting controllers react between steps. */
    async advance(seconds: number, step = 5) {
      await settle();
      for (let t = 0; t < seconds; t += step) {
        clock.advance(Math.min(step, seconds - t) * 1000);
        await settle();
      }
    },
    create(object: KubeObject) {
      return store.create(type(object.apiVersion, object.kind), object);
    },
    get(apiVersion: string, kind: string, name: string, namespace = 'team-ml-research') {
      return store.get(type(apiVersion, kind), namespace, name);
    },
    update(object: KubeObject) {
      return store.update(type(object.apiVersion, object.kind), object);
    },
    pods(namespace = 'team-ml-research', labelSelector?: string) {
      return store.list(type('v1', 'Pod'), { namespace, labelSelector });
    },
    events(reason: string) {
      return store.list(type('v1', 'Event')).filter(e => e.reason === reason);
    },
    stop() {
      sim.stop();
      clock.stop();
    },
  };
}

/** A pod template asking for `gpus` H100s, tolerating the GPU taint. */
export function h100Template(gpus: number, annotations: Record<string, string> = {}) {
  return {
    metadata: { annotations },
    spec: {
      restartPolicy: 'Never',
      nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [
        {
          name: 'trainer',
          image: 'pytorch/pytorch:2.5.0',
          resources: {
            requests: { cpu: '8', memory: '64Gi', 'nvidia.com/gpu': String(gpus) },
            limits: { 'nvidia.com/gpu': String(gpus) },
          },
        },
      ],
    },
  };
}
