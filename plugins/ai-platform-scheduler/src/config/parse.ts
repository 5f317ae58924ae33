import { parseQuantity } from '@ai-platform/backstage-plugin-ai-platform-common';
import type {
  ClusterQueue,
  Cohort,
  EngineOptions,
  FeatureGates,
  FlavorQuotas,
  LabelSelector,
  PreemptionPolicy,
  QueueConfig,
  ResourceGroup,
  StopPolicy,
  Taint,
  Toleration,
} from './types';

/** Every problem found in a set of queue objects, each naming the object and the field. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

type Obj = Record<string, any>;

const preemptionPolicies: PreemptionPolicy[] = ['Never', 'LowerPriority', 'LowerOrNewerEqualPriority', 'Any'];
const stopPolicies: StopPolicy[] = ['None', 'Hold', 'HoldAndDrain'];
const kueueGroup = 'kueue.x-k8s.io/';
const supportedVersions = ['v1beta1', 'v1beta2', 'v1alpha1'];

/** Collects problems while reading one object, prefixed with "Kind/name: field". */
class Reader {
  constructor(private readonly where: string, private readonly problems: string[]) {}

  problem(field: string, message: string) {
    this.problems.push(`${this.where}: ${field}: ${message}`);
  }

  string(
    value: unknown,
    field: string,
    options: { optional?: boolean; oneOf?: readonly string[] } = {},
  ): string | undefined {
    if (value === undefined || value === null) {
      if (!options.optional) this.problem(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || value === '') {
      this.problem(field, `must be a non-empty string, got ${JSON.stringify(value)}`);
      return undefined;
    }
    if (options.oneOf && !options.oneOf.includes(value)) {
      this.problem(field, `must be one of ${options.oneOf.join(', ')}, got "${value}"`);
      return undefined;
    }
    return value;
  }

  quantity(value: unknown, field: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    try {
      const q = parseQuantity(value);
      if (q < 0) {
        this.problem(field, `must not be negative, got ${JSON.stringify(value)}`);
        return undefined;
      }
      return q;
    } catch (e) {
      this.problem(field, (e as Error).message);
      return undefined;
    }
  }

  number(value: unknown, field: string, fallback: number): number {
    if (value === undefined || value === null) return fallback;
    const n = typeof value === 'string' ? parseQuantity(value) / 1000 : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      this.problem(field, `must be a non-negative number, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return n;
  }

  array(value: unknown, field: string): Obj[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(field, 'must be a list');
      return [];
    }
    return value;
  }

  stringMap(value: unknown, field: string): Record<string, string> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problem(field, 'must be a map of strings');
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') this.problem(`${field}.${k}`, `must be a string, got ${JSON.stringify(v)}`);
      else out[k] = v;
    }
    return out;
  }
}

function parseTaints(r: Reader, value: unknown, field: string): Taint[] {
  return r.array(value, field).flatMap((t, i) => {
    const key = r.string(t?.key, `${field}[${i}].key`);
    const effect = r.string(t?.effect, `${field}[${i}].effect`, {
      oneOf: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
    });
    return key && effect ? [{ key, value: t.value, effect }] : [];
  });
}

function parseTolerations(r: Reader, value: unknown, field: string): Toleration[] {
  return r.array(value, field).map((t, i) => {
    r.string(t?.operator, `${field}[${i}].operator`, { optional: true, oneOf: ['Exists', 'Equal'] });
    return { key: t?.key, operator: t?.operator, value: t?.value, effect: t?.effect };
  });
}

function parseSelector(r: Reader, value: unknown, field: string): LabelSelector | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    r.problem(field, 'must be a label selector ({} selects every namespace)');
    return {};
  }
  const v = value as Obj;
  const matchExpressions = r.array(v.matchExpressions, `${field}.matchExpressions`).map((e, i) => {
    r.string(e?.key, `${field}.matchExpressions[${i}].key`);
    r.string(e?.operator, `${field}.matchExpressions[${i}].operator`, {
      oneOf: ['In', 'NotIn', 'Exists', 'DoesNotExist'],
    });
    return { key: e?.key, operator: e?.operator, values: e?.values ?? [] };
  });
  return { matchLabels: r.stringMap(v.matchLabels, `${field}.matchLabels`), matchExpressions };
}

function parseResourceGroups(r: Reader, value: unknown, field: string, requireNominal: boolean): ResourceGroup[] {
  const seen = new Set<string>();
  const seenFlavors = new Set<string>();
  return r.array(value, field).map((g, gi) => {
    const gField = `${field}[${gi}]`;
    const covered = r.array(g?.coveredResources, `${gField}.coveredResources`) as unknown as string[];
    if (covered.length === 0) r.problem(`${gField}.coveredResources`, 'must list at least one resource');
    for (const res of covered) {
      if (seen.has(res))
        r.problem(`${gField}.coveredResources`, `resource "${res}" is already covered by another resource group`);
      seen.add(res);
    }
    const flavors: FlavorQuotas[] = r.array(g?.flavors, `${gField}.flavors`).map((f, fi) => {
      const fField = `${gField}.flavors[${fi}]`;
      const flavor = r.string(f?.name, `${fField}.name`) ?? '';
      if (flavor && seenFlavors.has(flavor))
        r.problem(`${fField}.name`, `flavor "${flavor}" is already listed; a flavor may appear once per ClusterQueue`);
      seenFlavors.add(flavor);
      const resources: FlavorQuotas['resources'] = {};
      const listed = r.array(f?.resources, `${fField}.resources`);
      for (const [ri, res] of listed.entries()) {
        const rField = `${fField}.resources[${ri}]`;
        const name = r.string(res?.name, `${rField}.name`);
        if (!name) continue;
        if (!covered.includes(name))
          r.problem(`${rField}.name`, `"${name}" is not in coveredResources (${covered.join(', ')})`);
        if (requireNominal && res?.nominalQuota === undefined) r.problem(`${rField}.nominalQuota`, 'is required');
        const nominal = r.quantity(res?.nominalQuota ?? 0, `${rField}.nominalQuota`) ?? 0;
        const borrowingLimit = r.quantity(res?.borrowingLimit, `${rField}.borrowingLimit`);
        const lendingLimit = r.quantity(res?.lendingLimit, `${rField}.lendingLimit`);
        if (lendingLimit !== undefined && lendingLimit > nominal) {
          r.problem(`${rField}.lendingLimit`, `must not exceed nominalQuota (${res.nominalQuota})`);
        }
        resources[name] = { nominal, borrowingLimit, lendingLimit };
      }
      for (const res of covered) {
        if (!resources[res])
          r.problem(`${fField}.resources`, `must give a quota for every covered resource; "${res}" is missing`);
      }
      return { flavor, resources };
    });
    if (flavors.length === 0) r.problem(`${gField}.flavors`, 'must list at least one flavor');
    return { coveredResources: covered, flavors };
  });
}

function weightOf(r: Reader, spec: Obj, field: string) {
  return r.number(spec?.fairSharing?.weight, `${field}.fairSharing.weight`, 1);
}

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

/**
 * Reads Kueue objects (v1beta1 or v1beta2, exactly as applied to a cluster)
 * plus Namespaces (for namespaceSelector). Objects of other kinds are
 * ignored. Throws a ConfigError listing every problem.
 */
export function parseQueueObjects(objects: unknown[]): QueueConfig {
  const config = emptyQueueConfig();
  const problems: string[] = [];
  for (const [index, raw] of objects.entries()) {
    const obj = (raw ?? {}) as Obj;
    const kind = typeof obj.kind === 'string' ? obj.kind : undefined;
    const name: string | undefined = obj.metadata?.name;
    const where = `${kind ?? `objects[${index}]`}/${name ?? '<no name>'}`;
    const r = new Reader(where, problems);
    if (!kind) {
      r.problem('kind', 'is required');
      continue;
    }
    if (kind === 'Namespace' && obj.apiVersion === 'v1') {
      if (name) config.namespaces.set(name, r.stringMap(obj.metadata?.labels, 'metadata.labels'));
      continue;
    }
    if (typeof obj.apiVersion !== 'string' || !obj.apiVersion.startsWith(kueueGroup)) continue;
    const version = obj.apiVersion.slice(kueueGroup.length);
    if (!supportedVersions.includes(version)) {
      r.problem('apiVersion', `${obj.apiVersion} is not supported; use kueue.x-k8s.io/v1beta1 or v1beta2`);
      continue;
    }
    if (!r.string(name, 'metadata.name')) continue;
    const spec: Obj = obj.spec ?? {};
    switch (kind) {
      case 'ResourceFlavor':
        config.flavors.set(name!, {
          name: name!,
          nodeLabels: r.stringMap(spec.nodeLabels, 'spec.nodeLabels'),
          nodeTaints: parseTaints(r, spec.nodeTaints, 'spec.nodeTaints'),
          tolerations: parseTolerations(r, spec.tolerations, 'spec.tolerations'),
          topologyName: r.string(spec.topologyName, 'spec.topologyName', { optional: true }),
        });
        break;
      case 'ClusterQueue': {
        const cohort = r.string(
          spec.cohortName ?? spec.cohort,
          version === 'v1beta2' ? 'spec.cohortName' : 'spec.cohort',
          { optional: true },
        );
        const p = spec.preemption ?? {};
        const policy = (v: unknown, field: string, fallback: PreemptionPolicy) =>
          (r.string(v, field, { optional: true, oneOf: preemptionPolicies }) as PreemptionPolicy | undefined) ??
          fallback;
        const within = policy(p.withinClusterQueue, 'spec.preemption.withinClusterQueue', 'Never');
        if (within === 'Any')
          r.problem('spec.preemption.withinClusterQueue', 'must be Never, LowerPriority or LowerOrNewerEqualPriority');
        const bwc = p.borrowWithinCohort ?? {};
        r.string(bwc.policy, 'spec.preemption.borrowWithinCohort.policy', {
          optional: true,
          oneOf: ['Never', 'LowerPriority'],
        });
        if (bwc.maxPriorityThreshold !== undefined && !Number.isInteger(bwc.maxPriorityThreshold)) {
          r.problem(
            'spec.preemption.borrowWithinCohort.maxPriorityThreshold',
            `must be an integer priority, got ${JSON.stringify(bwc.maxPriorityThreshold)}`,
          );
        }
        if ((p.reclaimWithinCohort ?? 'Never') === 'Never' && (bwc.policy ?? 'Never') !== 'Never') {
          r.problem(
            'spec.preemption.borrowWithinCohort.policy',
            'needs reclaimWithinCohort to be LowerPriority or Any (Kueue rejects reclaimWithinCohort=Never with borrowWithinCohort)',
          );
        }
        const fungibility = spec.flavorFungibility ?? {};
        const cq: ClusterQueue = {
          name: name!,
          cohort,
          resourceGroups: parseResourceGroups(r, spec.resourceGroups, 'spec.resourceGroups', true),
          queueingStrategy:
            (r.string(spec.queueingStrategy, 'spec.queueingStrategy', {
              optional: true,
              oneOf: ['StrictFIFO', 'BestEffortFIFO'],
            }) as ClusterQueue['queueingStrategy']) ?? 'BestEffortFIFO',
          namespaceSelector: parseSelector(r, spec.namespaceSelector, 'spec.namespaceSelector'),
          preemption: {
            withinClusterQueue: within,
            reclaimWithinCohort: policy(p.reclaimWithinCohort, 'spec.preemption.reclaimWithinCohort', 'Never'),
            borrowWithinCohort: {
              policy: policy(bwc.policy, 'spec.preemption.borrowWithinCohort.policy', 'Never'),
              maxPriorityThreshold: bwc.maxPriorityThreshold,
            },
          },
          flavorFungibility: {
            whenCanBorrow:
              (r.string(fungibility.whenCanBorrow, 'spec.flavorFungibility.whenCanBorrow', {
                optional: true,
                oneOf: ['Borrow', 'MayStopSearch', 'TryNextFlavor'],
              }) as ClusterQueue['flavorFungibility']['whenCanBorrow']) ?? 'Borrow',
            whenCanPreempt:
              (r.string(fungibility.whenCanPreempt, 'spec.flavorFungibility.whenCanPreempt', {
                optional: true,
                oneOf: ['Preempt', 'MayStopSearch', 'TryNextFlavor'],
              }) as ClusterQueue['flavorFungibility']['whenCanPreempt']) ?? 'TryNextFlavor',
            ...(fungibility.preference !== undefined && {
              preference: r.string(fungibility.preference, 'spec.flavorFungibility.preference', {
                optional: true,
                oneOf: ['BorrowingOverPreemption', 'PreemptionOverBorrowing'],
              }) as ClusterQueue['flavorFungibility']['preference'],
            }),
          },
          fairSharingWeight: weightOf(r, spec, 'spec'),
          stopPolicy:
            (r.string(spec.stopPolicy, 'spec.stopPolicy', { optional: true, oneOf: stopPolicies }) as StopPolicy) ??
            'None',
        };
        if (!cohort) {
          for (const [gi, g] of cq.resourceGroups.entries())
            for (const [fi, f] of g.flavors.entries())
              for (const [res, q] of Object.entries(f.resources))
                if (q.borrowingLimit !== undefined || q.lendingLimit !== undefined)
                  r.problem(
                    `spec.resourceGroups[${gi}].flavors[${fi}].resources(${res})`,
                    'borrowingLimit and lendingLimit need the ClusterQueue to be in a cohort',
                  );
        }
        config.clusterQueues.set(name!, cq);
        break;
      }
      case 'Cohort': {
        const cohort: Cohort = {
          name: name!,
          parent: r.string(spec.parentName ?? spec.parent, 'spec.parentName', { optional: true }),
          resourceGroups: parseResourceGroups(r, spec.resourceGroups, 'spec.resourceGroups', false),
          fairSharingWeight: weightOf(r, spec, 'spec'),
        };
        config.cohorts.set(name!, cohort);
        break;
      }
      case 'LocalQueue': {
        const namespace = r.string(obj.metadata?.namespace, 'metadata.namespace');
        const clusterQueue = r.string(spec.clusterQueue, 'spec.clusterQueue');
        if (namespace && clusterQueue) {
          config.localQueues.set(`${namespace}/${name}`, {
            namespace,
            name: name!,
            clusterQueue,
            stopPolicy:
              (r.string(spec.stopPolicy, 'spec.stopPolicy', { optional: true, oneOf: stopPolicies }) as StopPolicy) ??
              'None',
          });
        }
        break;
      }
      case 'WorkloadPriorityClass': {
        if (typeof obj.value !== 'number' || !Number.isInteger(obj.value)) {
          r.problem('value', `must be an integer priority, got ${JSON.stringify(obj.value)}`);
        } else {
          config.priorityClasses.set(name!, obj.value);
        }
        break;
      }
      case 'Topology': {
        const levels = r
          .array(spec.levels, 'spec.levels')
          .map((l, i) => r.string(l?.nodeLabel, `spec.levels[${i}].nodeLabel`) ?? '');
        if (levels.length === 0) r.problem('spec.levels', 'must list at least one level');
        config.topologies.set(name!, { name: name!, levels });
        break;
      }
      default:
        break; // Workloads, AdmissionChecks and the like are not queue configuration.
    }
  }
  validateReferences(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function validateReferences(config: QueueConfig, problems: string[]) {
  for (const cq of config.clusterQueues.values()) {
    for (const [gi, g] of cq.resourceGroups.entries()) {
      for (const [fi, f] of g.flavors.entries()) {
        if (f.flavor && !config.flavors.has(f.flavor)) {
          problems.push(
            `ClusterQueue/${cq.name}: spec.resourceGroups[${gi}].flavors[${fi}].name: ResourceFlavor "${f.flavor}" does not exist`,
          );
        }
      }
    }
  }
  for (const flavor of config.flavors.values()) {
    if (flavor.topologyName && !config.topologies.has(flavor.topologyName)) {
      problems.push(
        `ResourceFlavor/${flavor.name}: spec.topologyName: Topology "${flavor.topologyName}" does not exist`,
      );
    }
  }
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

function parseDuration(value: unknown, field: string, problems: string[], fallbackMs: number): number {
  if (value === undefined || value === null) return fallbackMs;
  if (typeof value === 'number') return value * 1000;
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value) : null;
  if (!match) {
    problems.push(`config: ${field}: "${value}" is not a duration such as "300s", "5m" or "1h"`);
    return fallbackMs;
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

/** Kueue 0.19's defaults for the feature gates that change scheduling. */
export const defaultFeatureGates: FeatureGates = {
  PartialAdmission: true,
  PrioritySortingWithinCohort: true,
  FairSharingPreemptWithinNominal: true,
  PrioritizePreemptorWorkloads: false,
};

function parseFeatureGates(value: unknown, problems: string[]): FeatureGates {
  const gates = { ...defaultFeatureGates };
  if (value === undefined || value === null) return gates;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push('config: featureGates: must be a map of gate name to true or false');
    return gates;
  }
  for (const [name, on] of Object.entries(value)) {
    if (!(name in gates)) {
      problems.push(`config: featureGates.${name}: is not a gate this engine knows (${Object.keys(gates).join(', ')})`);
    } else if (typeof on !== 'boolean') {
      problems.push(`config: featureGates.${name}: must be true or false, got ${JSON.stringify(on)}`);
    } else {
      gates[name as keyof FeatureGates] = on;
    }
  }
  return gates;
}

/** Reads engine options from Kueue Configuration field names (fairSharing, waitForPodsReady, featureGates). */
export function parseEngineOptions(config: Obj | undefined): EngineOptions {
  const problems: string[] = [];
  const fs = config?.fairSharing ?? {};
  const wfpr = config?.waitForPodsReady ?? {};
  const requeue = wfpr.requeuingStrategy ?? {};
  const strategies = fs.preemptionStrategies ?? ['LessThanOrEqualToFinalShare', 'LessThanInitialShare'];
  for (const s of strategies) {
    if (s !== 'LessThanOrEqualToFinalShare' && s !== 'LessThanInitialShare') {
      problems.push(
        `config: fairSharing.preemptionStrategies: "${s}" is not LessThanOrEqualToFinalShare or LessThanInitialShare`,
      );
    }
  }
  const options: EngineOptions = {
    fairSharing: { enable: fs.enable === true, preemptionStrategies: strategies },
    waitForPodsReady: {
      enable: wfpr.enable === true,
      timeout: parseDuration(wfpr.timeout, 'waitForPodsReady.timeout', problems, 5 * 60_000),
      backoffBaseSeconds: requeue.backoffBaseSeconds ?? 60,
      backoffMaxSeconds: requeue.backoffMaxSeconds ?? 3600,
      backoffLimitCount: requeue.backoffLimitCount,
    },
    featureGates: parseFeatureGates(config?.featureGates, problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return options;
}

export const defaultEngineOptions: EngineOptions = parseEngineOptions(undefined);
