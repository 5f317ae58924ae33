import { z } from 'zod/v4';
import type {
  ClusterSpec,
  DurationDistribution,
  FleetSpec,
  GeneratedKind,
  GpuSpec,
  NamespaceSpec,
  NodePoolSpec,
  WorkloadClass,
  WorkloadStreamSpec,
} from './types';

/**
 * The fleet file as zod schemas. Messages name the problem only; parseFleet's error map
 * words zod's own issues the same way and adds file and field path.
 */

/** A mapping with exactly these fields; parseFleet reports each unknown one with the allowed list. */
function mapping<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = `allowed: ${Object.keys(shape).join(', ')}`;
  // Other issues of the mapping (not a mapping at all) are worded by parseFleet's error map.
  return z.strictObject(shape, { error: issue => (issue.code === 'unrecognized_keys' ? allowed : undefined) });
}

/** Absent, or written as an empty YAML value (null). */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(v => v ?? undefined, schema.optional());
}

const text = z.string().min(1);
const count = (min: number, max?: number) => {
  const n = z.number().int().min(min);
  return max === undefined ? n : n.max(max);
};
const fraction = z.number().min(0).max(1);

const dnsLabel = text.refine(s => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s) && s.length <= 63, {
  error: ({ input }) => `"${input}" must be a DNS label (lower case letters, digits and '-', at most 63 characters)`,
});

const dnsSubdomain = text.refine(s => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s) && s.length <= 253, {
  error: ({ input }) => `"${input}" must be a DNS subdomain, as DeviceClass names are (such as mig-1g.10gb.nvidia.com)`,
});

const quantity = z.preprocess(
  v => (typeof v === 'number' ? String(v) : v),
  text.refine(s => /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.test(s), {
    error: ({ input }) => `"${input}" is not a Kubernetes quantity such as "96", "500m" or "768Gi"`,
  }),
);

const stringMap = z
  .record(z.string(), z.unknown())
  .superRefine((map, ctx) => {
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') {
        const message = `must be a string (quote numbers and booleans), got ${describe(value)}`;
        ctx.addIssue({ code: 'custom', path: [key], message });
      }
    }
  })
  .transform(map => map as Record<string, string>);

const seconds = z.number().min(0);
const duration: z.ZodType<DurationDistribution, unknown> = z
  .discriminatedUnion('distribution', [
    mapping({ distribution: z.literal('fixed'), seconds }),
    mapping({ distribution: z.literal('uniform'), minSeconds: seconds, maxSeconds: seconds }),
    mapping({ distribution: z.literal('exponential'), meanSeconds: seconds }),
    mapping({ distribution: z.literal('lognormal'), medianSeconds: seconds, sigma: z.number().min(0).max(5) }),
  ])
  .superRefine((d, ctx) => {
    if (d.distribution === 'uniform' && d.maxSeconds < d.minSeconds) {
      ctx.addIssue({ code: 'custom', path: ['maxSeconds'], message: 'maxSeconds must not be below minSeconds' });
    }
  });

const taint = mapping({
  key: text,
  value: optional(text),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

const gpu: z.ZodType<GpuSpec, unknown> = mapping({
  product: text,
  count: count(1, 16),
  memoryMiB: count(1),
  powerWatts: optional(z.number().min(1)),
  nvlinkDomainSize: optional(count(1)),
  mig: optional(
    mapping({
      profiles: z
        .record(
          z.string().refine(key => /^[1-7]g\.[0-9]+gb$/.test(key), {
            error: ({ input }) => `"${input}" is not a MIG profile such as 1g.10gb or 3g.40gb`,
          }),
          count(1, 7),
        )
        .refine(p => Object.keys(p).length > 0, 'must name at least one MIG profile'),
    }),
  ),
  timeSlicing: optional(mapping({ replicas: count(2, 64) })),
}).refine(g => !(g.mig && g.timeSlicing), 'a pool cannot use both mig and timeSlicing');

const nodePool: z.ZodType<NodePoolSpec, unknown> = mapping({
  name: dnsLabel,
  count: count(0, 100000),
  instanceType: optional(text),
  cpu: quantity,
  memory: quantity,
  pods: optional(count(1)),
  zones: z.array(text).min(1),
  nodesPerRack: optional(count(1)),
  gpu: optional(gpu),
  labels: optional(stringMap),
  taints: optional(z.array(taint)),
});

/** Names in a list must differ; the second of two names the problem. */
function uniqueNames(what: string) {
  return (list: Array<{ name: string }>, ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    list.forEach(({ name }, i) => {
      if (seen.has(name))
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${what} "${name}" is defined twice` });
      seen.add(name);
    });
  };
}

const cluster: z.ZodType<ClusterSpec, unknown> = mapping({
  name: dnsLabel,
  region: optional(text),
  nodePools: z.array(nodePool).min(1).superRefine(uniqueNames('node pool')),
});

const namespace: z.ZodType<NamespaceSpec, unknown> = mapping({
  name: dnsLabel,
  team: optional(text),
  labels: optional(stringMap),
  clusters: optional(z.array(text)),
});

const kindsByClass: Record<WorkloadClass, GeneratedKind[]> = {
  training: ['Job', 'JobSet', 'PyTorchJob', 'TrainJob', 'RayJob'],
  inference: ['InferenceService', 'LeaderWorkerSet', 'Deployment'],
  agent: ['Deployment'],
  spark: ['SparkApplication'],
  notebook: ['StatefulSet'],
};
const generatedKinds = [...new Set(Object.values(kindsByClass).flat())] as [GeneratedKind, ...GeneratedKind[]];

/** Kinds whose pods the generator writes a pod template for, so they can claim devices through DRA. */
const draKinds: GeneratedKind[] = [
  'Job',
  'JobSet',
  'PyTorchJob',
  'RayJob',
  'LeaderWorkerSet',
  'Deployment',
  'StatefulSet',
];

const stream: z.ZodType<WorkloadStreamSpec, unknown> = mapping({
  team: text,
  namespace: optional(dnsLabel),
  workload: z.enum(Object.keys(kindsByClass) as [WorkloadClass, ...WorkloadClass[]]),
  kind: z.enum(generatedKinds),
  ratePerHour: z.number().min(0),
  initial: optional(count(0)),
  maxActive: optional(count(1)),
  gpus: optional(
    mapping({ min: count(0), max: z.number().int() }).superRefine((g, ctx) => {
      if (g.max < g.min)
        ctx.addIssue({ code: 'custom', path: ['max'], message: `must be at least ${g.min}, got ${g.max}` });
    }),
  ),
  gpusPerPod: optional(count(1)),
  gpuResource: optional(
    text.refine(s => /^nvidia\.com\/(gpu|gpu\.shared|mig-[1-7]g\.[0-9]+gb)$/.test(s), {
      error: ({ input }) => `"${input}" must be nvidia.com/gpu, nvidia.com/gpu.shared or nvidia.com/mig-<profile>`,
    }),
  ),
  deviceClass: optional(dnsSubdomain),
  gpuProduct: optional(text),
  queue: optional(text),
  duration: optional(duration),
  lifetime: optional(duration),
  failureRate: optional(fraction),
  idleFraction: optional(fraction),
  models: optional(z.array(text).min(1)),
  clusters: optional(z.array(text)),
}).superRefine((s, ctx) => {
  const kinds = kindsByClass[s.workload];
  if (!kinds.includes(s.kind)) {
    ctx.addIssue({
      code: 'custom',
      path: ['kind'],
      message: `a ${s.workload} workload must be one of ${kinds.join(', ')}`,
    });
  }
  if (s.deviceClass && s.gpuResource) {
    ctx.addIssue({
      code: 'custom',
      path: ['deviceClass'],
      message: `claims GPUs through DRA; remove gpuResource (${s.gpuResource}) or deviceClass`,
    });
  }
  if (s.deviceClass && !draKinds.includes(s.kind)) {
    ctx.addIssue({
      code: 'custom',
      path: ['deviceClass'],
      message: `works with kinds whose pod template the generator writes (${draKinds.join(', ')}), not ${s.kind}`,
    });
  }
  if (s.gpus && s.gpusPerPod && s.gpus.min % s.gpusPerPod !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['gpus', 'min'],
      message: `gpus.min (${s.gpus.min}) must be a multiple of gpusPerPod (${s.gpusPerPod})`,
    });
  }
});

/** A whole fleet file, with the references between its parts checked. */
export const fleetSchema: z.ZodType<FleetSpec, unknown> = mapping({
  apiVersion: z.enum(['kube-sim.io/v1alpha1']),
  kind: z.enum(['Fleet']),
  name: optional(text),
  simulation: optional(
    mapping({
      failureRate: optional(fraction),
      defaultDuration: optional(duration),
      startupSeconds: optional(z.number().min(0)),
    }),
  ),
  clusters: z.array(cluster).min(1).superRefine(uniqueNames('cluster')),
  namespaces: optional(z.array(namespace)),
  generator: optional(
    mapping({
      enabled: optional(z.boolean()),
      seed: optional(z.number().int()),
      submitSuspended: optional(z.boolean()),
      streams: z.array(stream),
    }),
  ),
}).superRefine((fleet, ctx) => {
  const clusterNames = new Set(fleet.clusters.map(c => c.name));
  const checkClusters = (list: string[] | undefined, path: Array<string | number>) =>
    list?.forEach((name, i) => {
      if (!clusterNames.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, i],
          message: `cluster "${name}" is not defined under clusters`,
        });
      }
    });
  fleet.namespaces?.forEach((ns, i) => checkClusters(ns.clusters, ['namespaces', i, 'clusters']));
  const namespaceNames = new Set(fleet.namespaces?.map(n => n.name) ?? []);
  fleet.generator?.streams.forEach((s, i) => {
    checkClusters(s.clusters, ['generator', 'streams', i, 'clusters']);
    const ns = s.namespace ?? `team-${s.team}`;
    if (!namespaceNames.has(ns)) {
      ctx.addIssue({
        code: 'custom',
        path: ['generator', 'streams', i, s.namespace ? 'namespace' : 'team'],
        message: `namespace "${ns}" is not defined under namespaces`,
      });
    }
  });
});

/** How a value reads in a message: `nothing`, `a list`, `a mapping`, `string "x"`. */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
