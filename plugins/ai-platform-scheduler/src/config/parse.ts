import type { z } from 'zod/v4';
import { fieldOf, stringMap, withoutNulls } from './fields';
import { Known, kueueSchemas, KueueSchemas } from './schemas';
import { defaultFeatureGates, engineOptionsSchema } from './engineOptions';
import type { EngineOptions, QueueConfig } from './types';

export { defaultFeatureGates };

/** Every problem found in a set of queue objects, each naming the object and the field. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

type Obj = Record<string, any>;

const kueueGroup = 'kueue.x-k8s.io/';
const supportedVersions = ['v1beta1', 'v1beta2', 'v1alpha1'];

/** An empty configuration, for callers that build one up. */
export function emptyQueueConfig(): QueueConfig {
  return {
    flavors: new Map(),
    clusterQueues: new Map(),
    cohorts: new Map(),
    localQueues: new Map(),
    priorityClasses: new Map(),
    topologies: new Map(),
    namespaces: new Map(),
  };
}

/** The object as "Kind/name", what it is (a Namespace, a Kueue object of a supported version, or neither). */
function identify(raw: unknown, index: number) {
  const obj = (raw ?? {}) as Obj;
  const kind = typeof obj.kind === 'string' ? obj.kind : undefined;
  const name: unknown = obj.metadata?.name;
  const where = `${kind ?? `objects[${index}]`}/${name ?? '<no name>'}`;
  const apiVersion: unknown = obj.apiVersion;
  const kueue = typeof apiVersion === 'string' && apiVersion.startsWith(kueueGroup);
  const supported = kueue && supportedVersions.includes(apiVersion.slice(kueueGroup.length));
  return { obj, kind, name, where, namespace: kind === 'Namespace' && apiVersion === 'v1', kueue, supported };
}

/** Adds what a schema read to the configuration. */
function store(config: QueueConfig, kind: keyof KueueSchemas, value: any) {
  if (kind === 'ResourceFlavor') config.flavors.set(value.name, value);
  else if (kind === 'ClusterQueue') config.clusterQueues.set(value.name, value);
  else if (kind === 'Cohort') config.cohorts.set(value.name, value);
  else if (kind === 'LocalQueue') config.localQueues.set(`${value.namespace}/${value.name}`, value);
  else if (kind === 'WorkloadPriorityClass') config.priorityClasses.set(value.name, value.value);
  else config.topologies.set(value.name, value);
}

function report(problems: string[], where: string, error: z.ZodError, at: PropertyKey[] = []) {
  for (const { path, message } of error.issues) {
    const field = fieldOf([...at, ...path]);
    problems.push(field ? `${where}: ${field}: ${message}` : `${where}: ${message}`);
  }
}

/**
 * Reads Kueue objects (v1beta1 or v1beta2, exactly as applied to a cluster)
 * plus Namespaces (for namespaceSelector). Objects of other kinds are
 * ignored. Throws a ConfigError listing every problem.
 */
export function parseQueueObjects(objects: unknown[]): QueueConfig {
  const config = emptyQueueConfig();
  const problems: string[] = [];
  const read = objects.map(identify);
  const known: Known = { flavors: new Set(), topologies: new Set() };
  for (const o of read) {
    if (!o.supported || typeof o.name !== 'string') continue;
    if (o.kind === 'ResourceFlavor') known.flavors.add(o.name);
    if (o.kind === 'Topology') known.topologies.add(o.name);
  }
  const schemas = kueueSchemas(known);
  for (const { obj, kind, name, where, namespace, kueue, supported } of read) {
    if (!kind) {
      problems.push(`${where}: kind: is required`);
    } else if (namespace) {
      const labels = stringMap.safeParse(withoutNulls(obj.metadata?.labels));
      if (!labels.success) report(problems, where, labels.error, ['metadata', 'labels']);
      else if (typeof name === 'string' && name) config.namespaces.set(name, labels.data);
    } else if (kueue && !supported) {
      problems.push(`${where}: apiVersion: ${obj.apiVersion} is not supported; use kueue.x-k8s.io/v1beta1 or v1beta2`);
    } else if (supported && Object.hasOwn(schemas, kind)) {
      // Workloads, AdmissionChecks and the like are not queue configuration.
      const result = schemas[kind as keyof KueueSchemas].safeParse(withoutNulls(obj));
      if (result.success) store(config, kind as keyof KueueSchemas, result.data);
      else report(problems, where, result.error);
    }
  }
  validateCohortTree(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function validateCohortTree(config: QueueConfig, problems: string[]) {
  for (const cohort of config.cohorts.values()) {
    const seen = new Set<string>([cohort.name]);
    for (let p = cohort.parent; p; p = config.cohorts.get(p)?.parent) {
      if (seen.has(p)) {
        problems.push(`Cohort/${cohort.name}: spec.parentName: cohorts form a cycle (${[...seen, p].join(' -> ')})`);
        break;
      }
      seen.add(p);
    }
  }
}

/** Reads engine options from Kueue Configuration field names (fairSharing, waitForPodsReady, featureGates). */
export function parseEngineOptions(config: Obj | undefined): EngineOptions {
  const result = engineOptionsSchema.safeParse(config);
  if (result.success) return result.data;
  const problems: string[] = [];
  report(problems, 'config', result.error);
  throw new ConfigError(problems);
}

export const defaultEngineOptions: EngineOptions = parseEngineOptions(undefined);
