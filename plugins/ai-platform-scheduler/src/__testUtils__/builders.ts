/**
 * Builders for Kueue objects and scenario documents in tests: each returns
 * the YAML shape a user would write, so tests exercise the real parser.
 */
import { Engine } from '../engine/Engine';
import type { Workload } from '../engine/types';
import { Scenario, scenarioFromDocument } from '../simulator/scenario';
import { simulate, SimulationResult } from '../simulator/simulate';

/** A Kubernetes object as written in YAML. */
export type KueueObject = Record<string, any>;
/** A workload entry of a scenario document. */
export type ScenarioWorkloadDoc = Record<string, any>;

export const GPU = 'nvidia.com/gpu';
const v1beta1 = 'kueue.x-k8s.io/v1beta1';

/** A quota: a bare nominal quota, or nominal with limits. */
export type Quota =
  | number
  | string
  | { nominal?: number | string; borrowingLimit?: number | string; lendingLimit?: number | string };
/** flavor -> resource -> quota, in flavor order. */
export type FlavorQuota = Record<string, Record<string, Quota>>;

/** A ResourceFlavor; `spec` holds nodeLabels, nodeTaints, tolerations, topologyName. */
export function resourceFlavor(name: string, spec: KueueObject = {}): KueueObject {
  return { apiVersion: v1beta1, kind: 'ResourceFlavor', metadata: { name }, spec };
}

function resourceGroups(flavors: FlavorQuota) {
  const covered = [...new Set(Object.values(flavors).flatMap(r => Object.keys(r)))];
  return [
    {
      coveredResources: covered,
      flavors: Object.entries(flavors).map(([name, resources]) => ({
        name,
        resources: Object.entries(resources).map(([resource, q]) =>
          typeof q === 'object'
            ? {
                name: resource,
                ...(q.nominal !== undefined && { nominalQuota: q.nominal }),
                ...(q.borrowingLimit !== undefined && { borrowingLimit: q.borrowingLimit }),
                ...(q.lendingLimit !== undefined && { lendingLimit: q.lendingLimit }),
              }
            : { name: resource, nominalQuota: q },
        ),
      })),
    },
  ];
}

export interface ClusterQueueOptions {
  /** Default: 8 GPUs of flavor "default". */
  flavors?: FlavorQuota;
  cohort?: string;
  preemption?: KueueObject;
  flavorFungibility?: KueueObject;
  queueingStrategy?: string;
  stopPolicy?: string;
  /** Default {} (every namespace); null leaves it out. */
  namespaceSelector?: KueueObject | null;
  fairSharingWeight?: number | string;
  /** v1beta2 writes the cohort as cohortName. */
  apiVersion?: 'kueue.x-k8s.io/v1beta1' | 'kueue.x-k8s.io/v1beta2';
}

/** A ClusterQueue with one resource group covering every resource its flavors list. */
export function clusterQueue(name: string, o: ClusterQueueOptions = {}): KueueObject {
  const apiVersion = o.apiVersion ?? v1beta1;
  const spec: KueueObject = { resourceGroups: resourceGroups(o.flavors ?? { default: { [GPU]: 8 } }) };
  if (o.cohort) spec[apiVersion.endsWith('v1beta2') ? 'cohortName' : 'cohort'] = o.cohort;
  if (o.namespaceSelector !== null) spec.namespaceSelector = o.namespaceSelector ?? {};
  if (o.preemption) spec.preemption = o.preemption;
  if (o.flavorFungibility) spec.flavorFungibility = o.flavorFungibility;
  if (o.queueingStrategy) spec.queueingStrategy = o.queueingStrategy;
  if (o.stopPolicy) spec.stopPolicy = o.stopPolicy;
  if (o.fairSharingWeight !== undefined) spec.fairSharing = { weight: o.fairSharingWeight };
  return { apiVersion, kind: 'ClusterQueue', metadata: { name }, spec };
}

/** A LocalQueue pointing at a ClusterQueue. */
export function localQueue(
  name: string,
  clusterQueueName: string,
  namespace = 'default',
  spec: KueueObject = {},
): KueueObject {
  return {
    apiVersion: v1beta1,
    kind: 'LocalQueue',
    metadata: { name, namespace },
    spec: { clusterQueue: clusterQueueName, ...spec },
  };
}

/** A ClusterQueue plus a LocalQueue of the same name in namespace "default". */
export function queue(name: string, o: ClusterQueueOptions = {}): KueueObject[] {
  return [clusterQueue(name, o), localQueue(name, name)];
}

/** A Cohort (hierarchical cohorts), optionally with a parent and quota of its own. */
export function cohort(
  name: string,
  o: { parent?: string; flavors?: FlavorQuota; fairSharingWeight?: number } = {},
): KueueObject {
  const spec: KueueObject = {};
  if (o.parent) spec.parentName = o.parent;
  if (o.flavors) spec.resourceGroups = resourceGroups(o.flavors);
  if (o.fairSharingWeight !== undefined) spec.fairSharing = { weight: o.fairSharingWeight };
  return { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'Cohort', metadata: { name }, spec };
}

export function priorityClass(name: string, value: number): KueueObject {
  return { apiVersion: v1beta1, kind: 'WorkloadPriorityClass', metadata: { name }, value };
}

export function namespaceObject(name: string, labels: Record<string, string> = {}): KueueObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** A Topology with node label levels from the widest to the narrowest. */
export function topology(name: string, levels: string[]): KueueObject {
  return {
    apiVersion: 'kueue.x-k8s.io/v1alpha1',
    kind: 'Topology',
    metadata: { name },
    spec: { levels: levels.map(nodeLabel => ({ nodeLabel })) },
  };
}

export interface WorkloadOptions {
  namespace?: string;
  priority?: number;
  priorityClass?: string;
  /** seconds */
  arrival?: number;
  /** seconds; default 100 */
  duration?: number;
  /** seconds, or 'never' */
  podsReadyAfter?: number | 'never';
  /** Pods in the single pod set; default 1. */
  count?: number;
  minCount?: number;
  /** GPUs per pod; default 1. Ignored when `requests` is given. */
  gpus?: number;
  requests?: Record<string, number | string>;
  nodeSelector?: Record<string, string>;
  tolerations?: KueueObject[];
  topology?: { required?: string; preferred?: string };
  /** Replaces the single pod set. */
  podSets?: KueueObject[];
}

/** A scenario workload with one pod set named "main" unless `podSets` is given. */
export function workload(name: string, queueName: string, o: WorkloadOptions = {}): ScenarioWorkloadDoc {
  const podSet: KueueObject = { name: 'main', count: o.count ?? 1, requests: o.requests ?? { [GPU]: o.gpus ?? 1 } };
  if (o.minCount !== undefined) podSet.minCount = o.minCount;
  if (o.nodeSelector) podSet.nodeSelector = o.nodeSelector;
  if (o.tolerations) podSet.tolerations = o.tolerations;
  if (o.topology) podSet.topology = o.topology;
  const doc: ScenarioWorkloadDoc = {
    name,
    namespace: o.namespace ?? 'default',
    queue: queueName,
    arrival: o.arrival ?? 0,
    duration: o.duration ?? 100,
    podSets: o.podSets ?? [podSet],
  };
  if (o.priority !== undefined) doc.priority = o.priority;
  if (o.priorityClass !== undefined) doc.priorityClass = o.priorityClass;
  if (o.podsReadyAfter !== undefined) doc.podsReadyAfter = o.podsReadyAfter;
  return doc;
}

export interface ScenarioDoc {
  objects: KueueObject[];
  workloads?: ScenarioWorkloadDoc[];
  config?: KueueObject;
  nodes?: KueueObject[];
  /** seconds */
  until?: number;
  /** Objects applied or deleted during the run: {at (seconds), apply | delete}. */
  changes?: KueueObject[];
}

/** Parses a scenario document exactly as the CLI would a file named test.yaml. */
export function scenario(doc: ScenarioDoc): Scenario {
  return scenarioFromDocument({ workloads: [], ...doc }, 'test.yaml');
}

/** Simulates a scenario document to the end. */
export function run(doc: ScenarioDoc): SimulationResult {
  return simulate(scenario(doc));
}

/**
 * An engine over the document's objects with its workloads submitted (not
 * yet scheduled), plus the parsed workloads by name.
 */
export function engineFor(doc: ScenarioDoc): { engine: Engine; workloads: Record<string, Workload> } {
  const s = scenario(doc);
  const engine = new Engine(s.config, s.options, s.nodes);
  const workloads: Record<string, Workload> = {};
  for (const w of s.workloads) workloads[w.workload.name] = w.workload;
  return { engine, workloads };
}

/**
 * The events as short lines, e.g. "0 Admitted a", "30 Preempted a by b
 * (InClusterQueue)"; workload keys in namespace "default" lose the prefix.
 * `types` keeps only those event types (default: all but Finished).
 */
export function timeline(result: SimulationResult, types: string[] = ['Admitted', 'Preempted', 'Requeued']): string[] {
  const short = (key?: string) => (key?.startsWith('default/') ? key.slice('default/'.length) : key);
  return result.events
    .filter(e => types.includes(e.type))
    .map(e => {
      let line = `${e.time} ${e.type} ${short(e.workload)}`;
      if (e.preemptor) line += ` by ${short(e.preemptor)}`;
      if (e.reason) line += ` (${e.reason})`;
      return line;
    });
}

/** The flavor per resource of the first pod set at the workload's last admission. */
export function admittedFlavors(
  result: SimulationResult,
  name: string,
  namespace = 'default',
): Record<string, string> | undefined {
  const admitted = result.events.filter(e => e.type === 'Admitted' && e.workload === `${namespace}/${name}`);
  const last = admitted[admitted.length - 1];
  return last && Object.values(last.assignment ?? {})[0]?.flavors;
}

/** The result for a workload in namespace "default" (or the given one). */
export function workloadResult(result: SimulationResult, name: string, namespace = 'default') {
  const r = result.workloads[`${namespace}/${name}`];
  if (!r) throw new Error(`no workload ${namespace}/${name} in the simulation result`);
  return r;
}
