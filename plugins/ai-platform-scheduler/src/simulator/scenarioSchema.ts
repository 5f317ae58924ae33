import { parseQuantity } from '@ai-platform/backstage-plugin-ai-platform-common';
import { z } from 'zod/v4';
import {
  absent,
  fieldOf,
  fields,
  got,
  oneOf,
  optFields,
  optList,
  optStr,
  optStringMap,
  problem,
  reading,
  requiredQuantity,
  requiredString,
  str,
  withCheck,
} from '../config/fields';
import { toleration } from '../config/schemas';
import type { QueueConfig } from '../config/types';
import { budgetPolicies, type BudgetSpec } from '../engine/budgets';
import type { Admission, PodSet, Workload } from '../engine/types';
import { defaultEtaSettings, type EtaSettings } from './etaSettings';

/**
 * zod schemas of a scenario file's sections (workloads, nodes, seeded
 * admissions, changes, eta, budgets), built from the same blocks as the Kueue
 * object schemas (config/fields.ts), with the messages a user reads after
 * "file: field:".
 */

const isNonNegative = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Seconds as milliseconds; when absent, `fallback`, or a problem when it is 'required'. */
function readSeconds(value: unknown, ctx: z.RefinementCtx, fallback: number | 'required' | undefined) {
  if (absent(value)) {
    if (fallback !== 'required') return fallback;
    problem(ctx, 'is required (seconds)', [], true);
    return z.NEVER;
  }
  if (isNonNegative(value)) return Math.round(value * 1000);
  problem(ctx, `must be a non-negative number of seconds, got ${got(value)}`, [], true);
  return z.NEVER;
}

/** Seconds, read as milliseconds; absent reads as `fallback` (undefined: not set; 'required': a problem). */
export function seconds(fallback: number | 'required'): z.ZodType<number, unknown>;
export function seconds(fallback: undefined): z.ZodType<number | undefined, unknown>;
export function seconds(fallback: number | 'required' | undefined): z.ZodType<number | undefined, unknown> {
  return reading((value, ctx) => readSeconds(value, ctx, fallback));
}

/** A pod set's requests: quantities by resource, in milli-units. */
const requests = z
  .record(z.string(), requiredQuantity, { error: 'must be a map of resource quantities' })
  .nullish()
  .transform(r => r ?? {});

/** A pod set's DRA devices: a whole number per DeviceClass. */
const devices = z
  .record(
    z.string(),
    reading((n, ctx) => {
      if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
      problem(ctx, `must be a whole number of devices, got ${got(n)}`, [], true);
      return z.NEVER;
    }),
    { error: 'must be a map of device counts by DeviceClass' },
  )
  .nullish()
  .transform(d => (d && Object.keys(d).length > 0 ? d : undefined));

const topologyMessage = 'must be {required: <node label>} or {preferred: <node label>}';
const topology = z
  .object({ required: optStr, preferred: optStr }, { error: topologyMessage })
  .refine(t => t.required || t.preferred, topologyMessage)
  .nullish()
  .transform(t => t ?? undefined);

const count = reading((value, ctx) => {
  if (absent(value)) return 1;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  problem(ctx, `must be a positive integer, got ${got(value)}`, [], true);
  return z.NEVER;
});

const podSet = withCheck(
  fields({
    name: optStr,
    count,
    minCount: z.unknown(),
    requests,
    devices,
    nodeSelector: optStringMap,
    tolerations: optList(toleration),
    topology,
  }),
  z.object({ count: z.unknown(), minCount: z.unknown() }),
  ({ count: raw, minCount }, ctx) => {
    const most = (raw ?? 1) as number;
    if (
      minCount !== undefined &&
      (!Number.isInteger(minCount) || (minCount as number) < 1 || (minCount as number) > most)
    )
      problem(ctx, `must be an integer between 1 and count (${most}), got ${got(minCount)}`, ['minCount']);
  },
);

const podSets = z
  .array(podSet, { error: 'must list at least one pod set' })
  .min(1, 'must list at least one pod set')
  .transform((sets): PodSet[] =>
    sets.map((ps, i) => ({
      name: ps.name ?? `podset-${i}`,
      count: ps.count,
      minCount: ps.minCount as number | undefined,
      requests: ps.requests,
      ...(ps.devices && { devices: ps.devices }),
      nodeSelector: ps.nodeSelector,
      tolerations: ps.tolerations,
      topology: ps.topology,
    })),
  );

const optionalString = z.string({ error: ({ input }) => `must be a string, got ${got(input)}` }).optional();

/** What a workload's references are checked against: the scenario's queue objects. */
export interface ScenarioKnown {
  priorityClasses: ReadonlyMap<string, number>;
}

/** One entry of `workloads:`, read as the engine's Workload and what the simulator knows of its run. */
export function workloadSchema(known: ScenarioKnown) {
  return fields({
    name: str,
    namespace: optStr,
    queue: requiredString('the LocalQueue name'),
    priorityClass: optStr.superRefine((name, ctx) => {
      if (name !== undefined && !known.priorityClasses.has(name))
        problem(ctx, `WorkloadPriorityClass "${name}" is not among the objects`);
    }),
    priority: reading((value, ctx) => {
      if (value === undefined || Number.isInteger(value)) return value as number | undefined;
      problem(ctx, `must be an integer, got ${got(value)}`, [], true);
      return z.NEVER;
    }),
    arrival: seconds(0),
    duration: seconds('required'),
    declaredDuration: seconds(undefined),
    maxExecTime: seconds(undefined),
    team: optionalString,
    kind: optionalString,
    podsReadyAfter: reading((value, ctx) => (value === 'never' ? undefined : readSeconds(value, ctx, 0))),
    podSets,
    class: optStr,
  }).transform(w => {
    const namespace = w.namespace ?? 'default';
    const workload: Workload = {
      key: `${namespace}/${w.name}`,
      namespace,
      name: w.name,
      queue: w.queue,
      priority: w.priorityClass !== undefined ? known.priorityClasses.get(w.priorityClass)! : w.priority ?? 0,
      creationTime: w.arrival,
      podSets: w.podSets,
    };
    return {
      workload,
      arrival: w.arrival,
      duration: w.duration,
      ...(w.declaredDuration !== undefined ? { declaredDuration: w.declaredDuration } : {}),
      ...(w.maxExecTime !== undefined ? { maxExecTime: w.maxExecTime } : {}),
      ...(w.team !== undefined ? { team: w.team } : {}),
      ...(w.kind !== undefined ? { kind: w.kind } : {}),
      podsReadyAfter: w.podsReadyAfter,
      className: w.class,
    };
  });
}

const flavorsByResource = z.record(z.string(), str, { error: 'must map resources to ResourceFlavors' });

/**
 * A workload seeded as already admitted (to a workload with these pod sets):
 * `{clusterQueue, flavors: {resource: flavor}}` for every pod set, or per pod
 * set `podSets: {name: {count, flavors}}`.
 */
export function seededAdmissionSchema(podSetsOf: PodSet[] | undefined, config: QueueConfig | undefined) {
  return fields({
    clusterQueue: requiredString('the ClusterQueue that admitted it').superRefine((name, ctx) => {
      if (config && !config.clusterQueues.has(name)) problem(ctx, `ClusterQueue "${name}" is not among the objects`);
    }),
    flavors: flavorsByResource.optional(),
    podSets: z
      .record(z.string(), fields({ count: z.unknown(), flavors: flavorsByResource.optional() }))
      .default(() => ({})),
  })
    .superRefine((raw, ctx) => {
      // Without the workload's pod sets (it is malformed itself), only the fields above are checked.
      if (!podSetsOf) return;
      for (const name of Object.keys(raw.podSets))
        if (!podSetsOf.some(ps => ps.name === name))
          problem(ctx, 'the workload has no such pod set', ['podSets', name]);
      for (const ps of podSetsOf) {
        const own = raw.podSets[ps.name];
        for (const [resource, flavor] of Object.entries(own?.flavors ?? raw.flavors ?? {}))
          if (config && !config.flavors.has(flavor))
            problem(ctx, `ResourceFlavor "${flavor}" (for ${resource} of pod set ${ps.name}) is not among the objects`);
        const n = own?.count ?? ps.count;
        if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > ps.count)
          problem(ctx, `must be an integer up to the pod set's count (${ps.count})`, ['podSets', ps.name, 'count']);
      }
    })
    .transform(
      (raw): Admission => ({
        clusterQueue: raw.clusterQueue,
        podSets: (podSetsOf ?? []).map(ps => ({
          name: ps.name,
          count: (raw.podSets[ps.name]?.count as number | undefined) ?? ps.count,
          flavors: raw.podSets[ps.name]?.flavors ?? raw.flavors ?? {},
        })),
      }),
    );
}

/** An elastic workload's pod counts change at `at` (ms after start), per pod set. */
export interface ScenarioResize {
  /** ms after start */
  at: number;
  /** pod set name -> the pod count asked for from then on */
  counts: Record<string, number>;
}

/**
 * A workload's `resizes: [{at, podSets: {name: count}}]` (at in seconds, not
 * before its arrival): the counts its elastic job asks for from then on
 * (Kueue's elastic jobs; see engine/slices.ts).
 */
export function resizesSchema(podSetsOf: PodSet[] | undefined, arrival: number | undefined) {
  const resize = fields({
    at: reading((value, ctx) => {
      if (typeof value === 'number' && Number.isFinite(value) && (arrival === undefined || value * 1000 >= arrival))
        return Math.round(value * 1000);
      problem(ctx, "must be a number of seconds, not before the workload's arrival", [], true);
      return z.NEVER;
    }),
    podSets: z.record(z.string(), z.unknown()).default(() => ({})),
  })
    .superRefine((raw, ctx) => {
      // Without the workload's pod sets (it is malformed itself), only the fields above are checked.
      if (!podSetsOf) return;
      for (const ps of podSetsOf) {
        const n = raw.podSets[ps.name];
        if (!Number.isInteger(n) || (n as number) < 1)
          problem(ctx, `must be a positive integer, got ${got(n)}`, ['podSets', ps.name]);
      }
      for (const name of Object.keys(raw.podSets))
        if (!podSetsOf.some(ps => ps.name === name))
          problem(ctx, 'the workload has no such pod set', ['podSets', name]);
    })
    .transform((raw): ScenarioResize => ({ at: raw.at, counts: raw.podSets as Record<string, number> }));
  return z.array(resize, { error: 'must be a list of {at, podSets: {name: count}}' });
}

/** One entry of `nodes:`, kept as written (the engine reads its quantities). */
export const nodeSchema = z.looseObject(
  {
    name: str,
    labels: optStringMap,
    allocatable: z
      .record(
        z.string(),
        z.unknown().superRefine((value, ctx) => {
          try {
            parseQuantity(value);
          } catch (e) {
            problem(ctx, (e as Error).message);
          }
        }),
      )
      .optional(),
  },
  { error: 'must be {name, labels, allocatable}' },
);

/** One entry of `changes:`: at `at` seconds, apply objects or delete one. */
export const changeSchema = fields({
  at: reading((value, ctx) => {
    if (isNonNegative(value)) return value;
    problem(
      ctx,
      `must be a non-negative number of seconds, got ${value === undefined ? 'undefined' : got(value)}`,
      [],
      true,
    );
    return z.NEVER;
  }),
  apply: z.unknown(),
  delete: optFields({ kind: z.unknown(), name: z.unknown(), namespace: z.unknown() }),
}).superRefine((c, ctx) => {
  if ((c.apply === undefined) === (c.delete === undefined))
    problem(ctx, 'needs exactly one of apply (an object or a list of objects) or delete ({kind, name, namespace})');
});

const etaFields = Object.keys(defaultEtaSettings).join(', ');
const etaValue = reading((value, ctx) => {
  if (isNonNegative(value)) return value;
  problem(ctx, `must be a non-negative number, got ${got(value)}`, [], true);
  return z.NEVER;
});

/** The scenario's `eta:` block: non-negative numbers for any of the settings' fields. */
export const etaSchema: z.ZodType<Partial<EtaSettings> | undefined, unknown> = z
  .object(
    Object.fromEntries(Object.keys(defaultEtaSettings).map(k => [k, etaValue.optional()])) as Record<
      keyof EtaSettings,
      z.ZodOptional<typeof etaValue>
    >,
    { error: `must be a map of ${etaFields}` },
  )
  .catchall(z.unknown().superRefine((_, ctx) => problem(ctx, `unknown; use ${etaFields}`)))
  .nullish()
  .transform(eta => (eta ?? undefined) as Partial<EtaSettings> | undefined);

/** The scenario's `budgets:` list, each `{team, gpuHours, policy}`. */
export const budgetsSchema: z.ZodType<BudgetSpec[], unknown> = z
  .array(
    fields({
      team: str,
      gpuHours: reading((value, ctx) => {
        if (typeof value === 'number' && value > 0) return value;
        problem(ctx, `must be a positive number, got ${got(value)}`, [], true);
        return z.NEVER;
      }),
      policy: oneOf(budgetPolicies as readonly ['Warn', 'Deprioritize', 'Hold']),
    }),
    { error: 'must be a list of {team, gpuHours, policy}' },
  )
  .nullish()
  .transform(b => b ?? []);

/** Problems of a section, each as "field: message" below `at`, the section labelled when given (`workloads[0] (ns/name)`). */
export function problemsOf(error: z.ZodError, at: PropertyKey[], label?: string): string[] {
  const head = fieldOf(at);
  const where = label ? `${head} (${label})` : head;
  return error.issues.map(({ path, message }) => `${where}${fieldOf([...at, ...path]).slice(head.length)}: ${message}`);
}

/** The value as `schema` reads it, or undefined after adding its problems (below `at`) to `problems`. */
export function readSection<T>(
  schema: z.ZodType<T, unknown>,
  value: unknown,
  at: PropertyKey[],
  problems: string[],
  label?: string,
): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problems.push(...problemsOf(result.error, at, label));
  return undefined;
}
