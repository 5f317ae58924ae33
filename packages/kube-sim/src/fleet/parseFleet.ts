import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import {
  ClusterSpec,
  DurationDistribution,
  FleetSpec,
  GeneratedKind,
  GeneratorSpec,
  GpuSpec,
  NamespaceSpec,
  NodePoolSpec,
  SimulationSpec,
  TaintSpec,
  WorkloadClass,
  WorkloadStreamSpec,
} from './types';

/** A fleet file that cannot be used; the message names the file and the field. */
export class FleetError extends Error {
  constructor(readonly file: string, readonly field: string, problem: string) {
    super(`${file}: ${field}: ${problem}`);
    this.name = 'FleetError';
  }
}

const generatedKinds: GeneratedKind[] = [
  'Job',
  'JobSet',
  'PyTorchJob',
  'TrainJob',
  'RayJob',
  'InferenceService',
  'LeaderWorkerSet',
  'Deployment',
  'StatefulSet',
  'SparkApplication',
];
const workloadClasses: WorkloadClass[] = ['training', 'inference', 'agent', 'spark', 'notebook'];
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const quantityPattern = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/;

/** Walks untyped YAML and reports the first problem with its path. */
class FieldReader {
  constructor(private readonly file: string, readonly path: string, readonly value: unknown) {}

  fail(problem: string, field = this.path): never {
    throw new FleetError(this.file, field || '(top level)', problem);
  }

  private child(key: string | number): FieldReader {
    let path = this.path ? `${this.path}.${key}` : String(key);
    if (typeof key === 'number') path = `${this.path}[${key}]`;
    const value = typeof key === 'number' ? (this.value as unknown[])[key] : this.object()[key];
    return new FieldReader(this.file, path, value);
  }

  object(): Record<string, unknown> {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) {
      this.fail(`must be a mapping, got ${describe(this.value)}`);
    }
    return this.value as Record<string, unknown>;
  }

  has(key: string): boolean {
    return this.object()[key] !== undefined && this.object()[key] !== null;
  }

  field(key: string): FieldReader {
    return this.child(key);
  }

  optional<T>(key: string, read: (r: FieldReader) => T): T | undefined {
    return this.has(key) ? read(this.child(key)) : undefined;
  }

  string(): string {
    if (typeof this.value !== 'string' || this.value === '') {
      this.fail(`must be a non-empty string, got ${describe(this.value)}`);
    }
    return this.value;
  }

  dnsName(): string {
    const s = this.string();
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s) || s.length > 63) {
      this.fail(`"${s}" must be a DNS label (lower case letters, digits and '-', at most 63 characters)`);
    }
    return s;
  }

  quantity(): string {
    const raw = typeof this.value === 'number' ? String(this.value) : this.string();
    if (!quantityPattern.test(raw)) {
      this.fail(`"${raw}" is not a Kubernetes quantity such as "96", "500m" or "768Gi"`);
    }
    return raw;
  }

  number(opts: { min?: number; max?: number; integer?: boolean } = {}): number {
    const v = this.value;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`must be a number, got ${describe(v)}`);
    if (opts.integer && !Number.isInteger(v)) this.fail(`must be a whole number, got ${v}`);
    if (opts.min !== undefined && v < opts.min) this.fail(`must be at least ${opts.min}, got ${v}`);
    if (opts.max !== undefined && v > opts.max) this.fail(`must be at most ${opts.max}, got ${v}`);
    return v;
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') this.fail(`must be true or false, got ${describe(this.value)}`);
    return this.value;
  }

  oneOf<T extends string>(allowed: readonly T[]): T {
    const s = this.string();
    if (!allowed.includes(s as T)) this.fail(`"${s}" must be one of ${allowed.join(', ')}`);
    return s as T;
  }

  array<T>(read: (r: FieldReader) => T, opts: { nonEmpty?: boolean } = {}): T[] {
    if (!Array.isArray(this.value)) this.fail(`must be a list, got ${describe(this.value)}`);
    if (opts.nonEmpty && this.value.length === 0) this.fail('must list at least one entry');
    return this.value.map((_, i) => read(this.child(i)));
  }

  stringMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.object())) {
      if (typeof v !== 'string')
        this.fail(
          `value of "${k}" must be a string (quote numbers and booleans), got ${describe(v)}`,
          `${this.path}.${k}`,
        );
      out[k] = v;
    }
    return out;
  }

  onlyKeys(allowed: string[]): void {
    for (const key of Object.keys(this.object())) {
      if (!allowed.includes(key)) {
        this.fail(`unknown field "${key}" (allowed: ${allowed.join(', ')})`, this.path ? `${this.path}.${key}` : key);
      }
    }
  }
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function readDuration(r: FieldReader): DurationDistribution {
  const distribution = r.field('distribution').oneOf(['fixed', 'uniform', 'exponential', 'lognormal'] as const);
  const positive = (key: string) => r.field(key).number({ min: 0 });
  switch (distribution) {
    case 'fixed':
      r.onlyKeys(['distribution', 'seconds']);
      return { distribution, seconds: positive('seconds') };
    case 'uniform': {
      r.onlyKeys(['distribution', 'minSeconds', 'maxSeconds']);
      const minSeconds = positive('minSeconds');
      const maxSeconds = positive('maxSeconds');
      if (maxSeconds < minSeconds) r.fail('maxSeconds must not be below minSeconds', `${r.path}.maxSeconds`);
      return { distribution, minSeconds, maxSeconds };
    }
    case 'exponential':
      r.onlyKeys(['distribution', 'meanSeconds']);
      return { distribution, meanSeconds: positive('meanSeconds') };
    default:
      r.onlyKeys(['distribution', 'medianSeconds', 'sigma']);
      return {
        distribution,
        medianSeconds: positive('medianSeconds'),
        sigma: r.field('sigma').number({ min: 0, max: 5 }),
      };
  }
}

function readTaint(r: FieldReader): TaintSpec {
  r.onlyKeys(['key', 'value', 'effect']);
  return {
    key: r.field('key').string(),
    value: r.optional('value', v => v.string()),
    effect: r.field('effect').oneOf(taintEffects),
  };
}

function readGpu(r: FieldReader): GpuSpec {
  r.onlyKeys(['product', 'count', 'memoryMiB', 'powerWatts', 'nvlinkDomainSize', 'mig', 'timeSlicing']);
  const gpu: GpuSpec = {
    product: r.field('product').string(),
    count: r.field('count').number({ min: 1, max: 16, integer: true }),
    memoryMiB: r.field('memoryMiB').number({ min: 1, integer: true }),
    powerWatts: r.optional('powerWatts', v => v.number({ min: 1 })),
    nvlinkDomainSize: r.optional('nvlinkDomainSize', v => v.number({ min: 1, integer: true })),
    mig: r.optional('mig', m => {
      m.onlyKeys(['profiles']);
      const profiles: Record<string, number> = {};
      const p = m.field('profiles');
      for (const key of Object.keys(p.object())) {
        if (!/^[1-7]g\.[0-9]+gb$/.test(key))
          p.fail(`"${key}" is not a MIG profile such as 1g.10gb or 3g.40gb`, `${p.path}.${key}`);
        profiles[key] = p.field(key).number({ min: 1, max: 7, integer: true });
      }
      if (Object.keys(profiles).length === 0) p.fail('must name at least one MIG profile');
      return { profiles };
    }),
    timeSlicing: r.optional('timeSlicing', t => {
      t.onlyKeys(['replicas']);
      return { replicas: t.field('replicas').number({ min: 2, max: 64, integer: true }) };
    }),
  };
  if (gpu.mig && gpu.timeSlicing) r.fail('a pool cannot use both mig and timeSlicing');
  return gpu;
}

function readPool(r: FieldReader): NodePoolSpec {
  r.onlyKeys([
    'name',
    'count',
    'instanceType',
    'cpu',
    'memory',
    'pods',
    'zones',
    'nodesPerRack',
    'gpu',
    'labels',
    'taints',
  ]);
  return {
    name: r.field('name').dnsName(),
    count: r.field('count').number({ min: 0, max: 100000, integer: true }),
    instanceType: r.optional('instanceType', v => v.string()),
    cpu: r.field('cpu').quantity(),
    memory: r.field('memory').quantity(),
    pods: r.optional('pods', v => v.number({ min: 1, integer: true })),
    zones: r.field('zones').array(z => z.string(), { nonEmpty: true }),
    nodesPerRack: r.optional('nodesPerRack', v => v.number({ min: 1, integer: true })),
    gpu: r.optional('gpu', readGpu),
    labels: r.optional('labels', v => v.stringMap()),
    taints: r.optional('taints', v => v.array(readTaint)),
  };
}

function readCluster(r: FieldReader): ClusterSpec {
  r.onlyKeys(['name', 'region', 'nodePools']);
  const cluster: ClusterSpec = {
    name: r.field('name').dnsName(),
    region: r.optional('region', v => v.string()),
    nodePools: r.field('nodePools').array(readPool, { nonEmpty: true }),
  };
  unique(
    r.field('nodePools'),
    cluster.nodePools.map(p => p.name),
    'node pool',
  );
  return cluster;
}

function readNamespace(r: FieldReader): NamespaceSpec {
  r.onlyKeys(['name', 'team', 'labels', 'clusters']);
  return {
    name: r.field('name').dnsName(),
    team: r.optional('team', v => v.string()),
    labels: r.optional('labels', v => v.stringMap()),
    clusters: r.optional('clusters', v => v.array(c => c.string())),
  };
}

function readStream(r: FieldReader): WorkloadStreamSpec {
  r.onlyKeys([
    'team',
    'namespace',
    'workload',
    'kind',
    'ratePerHour',
    'initial',
    'maxActive',
    'gpus',
    'gpusPerPod',
    'gpuResource',
    'gpuProduct',
    'queue',
    'duration',
    'lifetime',
    'failureRate',
    'idleFraction',
    'models',
    'clusters',
  ]);
  const stream: WorkloadStreamSpec = {
    team: r.field('team').string(),
    namespace: r.optional('namespace', v => v.dnsName()),
    workload: r.field('workload').oneOf(workloadClasses),
    kind: r.field('kind').oneOf(generatedKinds),
    ratePerHour: r.field('ratePerHour').number({ min: 0 }),
    initial: r.optional('initial', v => v.number({ min: 0, integer: true })),
    maxActive: r.optional('maxActive', v => v.number({ min: 1, integer: true })),
    gpus: r.optional('gpus', g => {
      g.onlyKeys(['min', 'max']);
      const min = g.field('min').number({ min: 0, integer: true });
      const max = g.field('max').number({ min, integer: true });
      return { min, max };
    }),
    gpusPerPod: r.optional('gpusPerPod', v => v.number({ min: 1, integer: true })),
    gpuResource: r.optional('gpuResource', v => {
      const s = v.string();
      if (!/^nvidia\.com\/(gpu|gpu\.shared|mig-[1-7]g\.[0-9]+gb)$/.test(s)) {
        v.fail(`"${s}" must be nvidia.com/gpu, nvidia.com/gpu.shared or nvidia.com/mig-<profile>`);
      }
      return s;
    }),
    gpuProduct: r.optional('gpuProduct', v => v.string()),
    queue: r.optional('queue', v => v.string()),
    duration: r.optional('duration', readDuration),
    lifetime: r.optional('lifetime', readDuration),
    failureRate: r.optional('failureRate', v => v.number({ min: 0, max: 1 })),
    idleFraction: r.optional('idleFraction', v => v.number({ min: 0, max: 1 })),
    models: r.optional('models', v => v.array(m => m.string(), { nonEmpty: true })),
    clusters: r.optional('clusters', v => v.array(c => c.string())),
  };
  const kindsByClass: Record<WorkloadClass, GeneratedKind[]> = {
    training: ['Job', 'JobSet', 'PyTorchJob', 'TrainJob', 'RayJob'],
    inference: ['InferenceService', 'LeaderWorkerSet', 'Deployment'],
    agent: ['Deployment'],
    spark: ['SparkApplication'],
    notebook: ['StatefulSet'],
  };
  if (!kindsByClass[stream.workload].includes(stream.kind)) {
    r.fail(
      `a ${stream.workload} workload must be one of ${kindsByClass[stream.workload].join(', ')}`,
      `${r.path}.kind`,
    );
  }
  if (stream.gpus && stream.gpusPerPod && stream.gpus.min % stream.gpusPerPod !== 0) {
    r.fail(
      `gpus.min (${stream.gpus.min}) must be a multiple of gpusPerPod (${stream.gpusPerPod})`,
      `${r.path}.gpus.min`,
    );
  }
  return stream;
}

function readGenerator(r: FieldReader): GeneratorSpec {
  r.onlyKeys(['enabled', 'seed', 'submitSuspended', 'streams']);
  return {
    enabled: r.optional('enabled', v => v.boolean()),
    seed: r.optional('seed', v => v.number({ integer: true })),
    submitSuspended: r.optional('submitSuspended', v => v.boolean()),
    streams: r.field('streams').array(readStream),
  };
}

function readSimulation(r: FieldReader): SimulationSpec {
  r.onlyKeys(['failureRate', 'defaultDuration', 'startupSeconds']);
  return {
    failureRate: r.optional('failureRate', v => v.number({ min: 0, max: 1 })),
    defaultDuration: r.optional('defaultDuration', readDuration),
    startupSeconds: r.optional('startupSeconds', v => v.number({ min: 0 })),
  };
}

function unique(r: FieldReader, names: string[], what: string) {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) r.fail(`${what} "${name}" is defined twice`, `${r.path}[${i}].name`);
    seen.add(name);
  });
}

/** Checks an already parsed fleet document; `file` names it in errors. */
export function validateFleet(document: unknown, file = '<fleet>'): FleetSpec {
  const r = new FieldReader(file, '', document);
  r.onlyKeys(['apiVersion', 'kind', 'name', 'simulation', 'clusters', 'namespaces', 'generator']);
  r.field('apiVersion').oneOf(['kube-sim.io/v1alpha1'] as const);
  r.field('kind').oneOf(['Fleet'] as const);
  const fleet: FleetSpec = {
    apiVersion: 'kube-sim.io/v1alpha1',
    kind: 'Fleet',
    name: r.optional('name', v => v.string()),
    simulation: r.optional('simulation', readSimulation),
    clusters: r.field('clusters').array(readCluster, { nonEmpty: true }),
    namespaces: r.optional('namespaces', v => v.array(readNamespace)),
    generator: r.optional('generator', readGenerator),
  };
  unique(
    r.field('clusters'),
    fleet.clusters.map(c => c.name),
    'cluster',
  );
  const clusterNames = new Set(fleet.clusters.map(c => c.name));
  const checkClusters = (list: string[] | undefined, path: string) =>
    list?.forEach((name, i) => {
      if (!clusterNames.has(name)) r.fail(`cluster "${name}" is not defined under clusters`, `${path}[${i}]`);
    });
  fleet.namespaces?.forEach((ns, i) => checkClusters(ns.clusters, `namespaces[${i}].clusters`));
  const namespaceNames = new Set(fleet.namespaces?.map(n => n.name) ?? []);
  fleet.generator?.streams.forEach((s, i) => {
    checkClusters(s.clusters, `generator.streams[${i}].clusters`);
    const ns = s.namespace ?? `team-${s.team}`;
    if (!namespaceNames.has(ns)) {
      r.fail(
        `namespace "${ns}" is not defined under namespaces`,
        `generator.streams[${i}].${s.namespace ? 'namespace' : 'team'}`,
      );
    }
  });
  return fleet;
}

/** Reads and validates a fleet YAML file. */
export function loadFleetFile(path: string): FleetSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FleetError(path, '(file)', `cannot be read: ${(e as Error).message}`);
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) {
    throw new FleetError(path, '(yaml)', doc.errors[0].message);
  }
  return validateFleet(doc.toJS(), path);
}
