import { buildDraObjects } from './sim/dra';
import { buildNamespaces, buildNodes } from './fleet/nodes';
import { loadFleetFile, validateFleet } from './fleet/parseFleet';
import { FleetSpec } from './fleet/types';
import { startApiServer } from './api/server';
import { writeKubeconfig } from './kubeconfig';
import { isoTime, ScaledClock, SimClock } from './sim/clock';
import { WorkloadGenerator } from './sim/generator';
import { ClusterSimulation } from './sim/simulation';
import { readState, restoreObjects, saveState } from './sim/stateFile';
import { MemoryStore } from './store/MemoryStore';
import { ObjectStore } from './store/types';
import { ClusterTelemetry, startMetricsServer } from './telemetry/metricsServer';

export * from './store/types';
export { MemoryStore } from './store/MemoryStore';
export { builtinResourceTypes } from './store/resourceTypes';
export { startApiServer } from './api/server';
export type { ApiServer, ApiServerOptions } from './api/server';
export { writeKubeconfig, kubeconfigYaml } from './kubeconfig';
export type { KubeconfigCluster } from './kubeconfig';
export * from './fleet/types';
export { FleetError, loadFleetFile, validateFleet } from './fleet/parseFleet';
export type { FleetProblem } from './fleet/parseFleet';
export { buildNodes, buildNamespaces } from './fleet/nodes';
export { buildDraObjects } from './sim/dra';
export { ScaledClock, ManualClock, isoTime } from './sim/clock';
export type { SimClock, SimTimer } from './sim/clock';
export { ClusterSimulation } from './sim/simulation';
export { WorkloadGenerator } from './sim/generator';
export { simAnnotations } from './sim/kubelet';
export { sampleDuration } from './sim/random';
export { ClusterTelemetry, startMetricsServer, holdingsPath } from './telemetry/metricsServer';
export type { DeviceHolding } from './sim/devices';
export { dcgmMetricNames } from './telemetry/dcgm';

/** Options of {@link startKubeSim}. */
export interface KubeSimOptions {
  /** A fleet file path, or a fleet already in memory. */
  fleet: string | FleetSpec;
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  host?: string;
  /** Cluster i serves its API on basePort + 2i and metrics on basePort + 2i + 1; default: free ports. */
  basePort?: number;
  /** Writes a kubeconfig with one context per cluster. */
  kubeconfigPath?: string;
  /** Runs the fleet's workload generator (default: the fleet's `generator.enabled`, else true). */
  generator?: boolean;
  /** Restores objects from this file when it exists, and saves them there on stop. */
  stateFile?: string;
}

/** One running simulated cluster. */
export interface RunningCluster {
  name: string;
  url: string;
  metricsUrl: string;
  store: ObjectStore;
  simulation: ClusterSimulation;
}

/** A running kube-sim. */
export interface KubeSim {
  clusters: RunningCluster[];
  clock: SimClock;
  stop(): Promise<void>;
}

/** Starts every cluster of a fleet: store, API server, simulation, telemetry and (optionally) the workload generator. */
export async function startKubeSim(options: KubeSimOptions): Promise<KubeSim> {
  const fleet =
    typeof options.fleet === 'string' ? loadFleetFile(options.fleet) : validateFleet(options.fleet, '<fleet object>');
  const state = options.stateFile ? readState(options.stateFile) : undefined;
  const clock = new ScaledClock(options.speed ?? 1, state?.simulatedTime);
  const host = options.host ?? '127.0.0.1';
  const generatorOn = options.generator ?? fleet.generator?.enabled ?? true;
  const clusters: RunningCluster[] = [];
  const closers: Array<() => Promise<void> | void> = [];

  const stop = async () => {
    for (const close of closers.reverse()) await close();
    closers.length = 0;
    if (options.stateFile && clusters.length > 0) {
      saveState(options.stateFile, clock.now(), Object.fromEntries(clusters.map(c => [c.name, c.store])));
    }
    clock.stop();
  };

  try {
    for (const [i, spec] of fleet.clusters.entries()) {
      const store = new MemoryStore();
      const saved = state?.clusters[spec.name];
      if (saved) {
        restoreObjects(store, saved);
      } else {
        const now = isoTime(clock);
        for (const node of buildNodes(spec, now)) store.create(store.typeFor('v1', 'Node'), node);
        for (const ns of buildNamespaces(fleet.namespaces ?? [], spec.name))
          store.create(store.typeFor('v1', 'Namespace'), ns);
      }
      // A state saved before kube-sim served DRA has no DeviceClasses or ResourceSlices yet.
      for (const o of buildDraObjects(store.list(store.typeFor('v1', 'Node')))) {
        const type = store.typeFor(o.apiVersion, o.kind);
        if (!store.get(type, undefined, o.metadata.name!)) store.create(type, structuredClone(o));
      }
      const simulation = new ClusterSimulation(store, clock, {
        simulation: fleet.simulation,
        seed: (fleet.generator?.seed ?? Date.now()) + i,
      });
      simulation.start();
      closers.push(() => simulation.stop());
      const api = await startApiServer({
        store,
        host,
        port: options.basePort ? options.basePort + 2 * i : 0,
        clusterName: spec.name,
      });
      closers.push(() => api.close());
      const metrics = await startMetricsServer({
        telemetry: new ClusterTelemetry(store, simulation.devices, clock),
        host,
        port: options.basePort ? options.basePort + 2 * i + 1 : 0,
      });
      closers.push(() => metrics.close());
      if (generatorOn && fleet.generator && fleet.generator.streams.length > 0) {
        const generator = new WorkloadGenerator(store, clock, spec.name, fleet.generator);
        generator.start();
        closers.push(() => generator.stop());
      }
      clusters.push({ name: spec.name, url: api.url, metricsUrl: metrics.url, store, simulation });
    }
    if (options.kubeconfigPath) {
      await writeKubeconfig(
        options.kubeconfigPath,
        clusters.map(c => ({ name: c.name, url: c.url })),
      );
    }
  } catch (e) {
    clusters.length = 0; // nothing worth saving from a start that failed
    await stop();
    throw e;
  }
  return { clusters, clock, stop };
}
export { startPrometheus, prometheusBinary } from './testing/prometheus';
export type { RunningPrometheus, VectorResult } from './testing/prometheus';
