import { hostname } from 'node:os';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { WorkloadKindAdapter } from '@ai-platform/backstage-plugin-ai-platform-node';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import type { WorkloadService } from '../services/WorkloadService';
import type { DecisionStore } from '../database/DecisionStore';
import { labels } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { PodAttribution } from '../costs/CostIngestor';
import type { PodLike } from '../costs/intervals';
import { builtinWorkloadKinds } from '../workloads/adapters';
import { AdmissionService } from './AdmissionService';
import type { LearnedRunTimes } from '../runtime/LearnedRunTimes';
import type { PriceBook } from '../costs/pricing';
import type { AiPlatformConfig } from '../config';
import type { BudgetEnforcement } from '../costs/budgets';
import { ClusterController } from './ClusterController';
import type { LeaseTiming } from './LeaderLease';

export interface AdmissionControllerOptions {
  /** The clusters, their queues and the engine's options, as readAiPlatformConfig read them. */
  settings: Pick<AiPlatformConfig, 'clusters' | 'queues' | 'engine'>;
  /** Every price source's prices, for plan's projected cost (the same book the cost ledger prices with). */
  prices: PriceBook;
  logger: LoggerService;
  decisions: DecisionStore;
  /** The learned run-time model behind ETAs; in memory only when absent. */
  runTimes?: LearnedRunTimes;
  /** Budget standings for plan's budget check. */
  budgets?: BudgetEnforcement;
  /** Adapters from the workload-kinds extension point; they replace built-ins of the same apiVersion and kind. */
  extraKinds?: WorkloadKindAdapter[];
  leaseTiming?: LeaseTiming;
  /** The clusters' connections and informers, shared with the cost ingestor; read from config (and owned) when absent. */
  registry?: ClusterRegistry;
}

/** The running admission controller: the WorkloadService plus its lifecycle. */
export interface AdmissionController {
  service: WorkloadService;
  controllers: ClusterController[];
  /** The clusters' connections and informers the controllers read. */
  registry: ClusterRegistry;
  /** Traces pods to their top-level workload for cost accounting. */
  attribution: PodAttribution;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function mergeKinds(extra: WorkloadKindAdapter[]): WorkloadKindAdapter[] {
  const byKey = new Map(builtinWorkloadKinds.map(a => [`${a.apiVersion}/${a.kind}`, a]));
  for (const a of extra) byKey.set(`${a.apiVersion}/${a.kind}`, a);
  return [...byKey.values()];
}

/** The shared queue objects with one cluster's own on top: an object of the same kind, namespace and name replaces the shared one. */
function withClusterQueues(shared: unknown[], own: unknown[]): unknown[] {
  type Named = { kind?: string; metadata?: { name?: string; namespace?: string } };
  const id = (o: unknown) =>
    `${(o as Named).kind}/${(o as Named).metadata?.namespace ?? ''}/${(o as Named).metadata?.name}`;
  const replaced = new Set(own.map(id));
  return [...shared.filter(o => !replaced.has(id(o))), ...own];
}

/**
 * Builds one ClusterController per configured cluster, reading
 * `aiPlatform.queues` and `aiPlatform.clusters.<name>.queues` (the cluster's own ClusterQueues, sized to its
 * hardware), merged with the Kueue objects on the cluster itself, and
 * `aiPlatform.engine` (fair sharing, waitForPodsReady).
 */
export function createAdmissionController(options: AdmissionControllerOptions): AdmissionController {
  const { settings, logger, decisions } = options;
  const adapters = mergeKinds(options.extraKinds ?? []);
  const identity = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const ownsRegistry = !options.registry;
  const registry = options.registry ?? new ClusterRegistry(settings.clusters, logger);
  const controllers = registry.clusters.map(
    cluster =>
      new ClusterController({
        connection: cluster.connection,
        cluster,
        adapters,
        decisions,
        logger,
        queueObjects: withClusterQueues(settings.queues.shared, settings.queues.byCluster.get(cluster.name) ?? []),
        engineOptions: settings.engine,
        identity,
        leaseTiming: options.leaseTiming,
      }),
  );
  if (controllers.length === 0)
    logger.warn(
      'no clusters configured for the AI platform: add kubernetes.clusterLocatorMethods (type config) or aiPlatform.kubeconfig',
    );
  const byName = new Map(controllers.map(c => [c.name, c]));
  const attribution: PodAttribution = {
    workloadOf(cluster, pod, pods) {
      const c = byName.get(cluster);
      const top = c?.owners.topLevelOf(pod, pods);
      if (!c || !top) return undefined;
      const tracked = c.workloads.get(`${top.namespace}/${top.kind}/${top.name}`);
      return { name: top.name, queue: tracked?.obj.metadata.labels?.[labels.queueName] };
    },
    watchPods(listener) {
      const stops = controllers.map(c =>
        c.onPodChange((type, pod) => listener(c.name, type, pod as unknown as PodLike, c.leader)),
      );
      return () => stops.forEach(stop => stop());
    },
    deviceClassMappings(cluster) {
      return byName.get(cluster)?.engine.options.deviceClassMappings ?? [];
    },
    flavorsOf(cluster) {
      const flavors = byName.get(cluster)?.engine.queueConfig.flavors.values() ?? [];
      return [...flavors].map(f => ({ metadata: { name: f.name }, spec: { nodeLabels: f.nodeLabels } }));
    },
  };
  return {
    service: new AdmissionService(
      controllers,
      adapters,
      decisions,
      logger,
      options.runTimes,
      options.prices,
      options.budgets,
    ),
    controllers,
    registry,
    attribution,
    start: async () => {
      await Promise.all([registry.start(), ...controllers.map(c => c.start())]);
    },
    stop: async () => {
      await Promise.all(controllers.map(c => c.stop()));
      if (ownsRegistry) await registry.stop();
    },
  };
}
