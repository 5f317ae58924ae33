import { z } from 'zod/v4';
import {
  fields,
  list,
  nonNegative,
  oneOf,
  optFields,
  optStr,
  priority,
  problem,
  reading,
  quantity,
  str,
  stringMap,
  withCheck,
} from './fields';
import type {
  ClusterQueue,
  Cohort,
  LabelSelector,
  LocalQueue,
  LocalQueueUsage,
  ResourceFlavor,
  ResourceGroup,
  Taint,
  Toleration,
  Topology,
} from './types';

/**
 * zod schemas of the Kueue objects the engine reads (v1beta1 or v1beta2, as
 * applied to a cluster), each turning the object into the engine's view.
 * References to other objects are checked against the names in `known`.
 */
export interface Known {
  flavors: Set<string>;
  topologies: Set<string>;
}

const preemptionPolicies = ['Never', 'LowerPriority', 'LowerOrNewerEqualPriority', 'Any'] as const;
const stopPolicy = oneOf(['None', 'Hold', 'HoldAndDrain'], 'None');
const policy = oneOf(preemptionPolicies, 'Never');
const weight = fields({ weight: nonNegative(1) }).transform(f => f.weight);

const taint = fields({
  key: str,
  value: z.any(),
  effect: oneOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
}).transform((t): Taint => ({ key: t.key, value: t.value, effect: t.effect }));

/** A toleration, as a ResourceFlavor or a pod set declares it. */
export const toleration: z.ZodType<Toleration, unknown> = fields({
  key: z.any(),
  operator: oneOf(['Exists', 'Equal'], undefined),
  value: z.any(),
  effect: z.any(),
});

const selector = z
  .object(
    {
      matchLabels: stringMap,
      matchExpressions: list(
        fields({ key: str, operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.any() }),
      ),
    },
    { error: 'must be a label selector ({} selects every namespace)' },
  )
  .nullish()
  .transform((s): LabelSelector | undefined =>
    s
      ? {
          matchLabels: s.matchLabels,
          matchExpressions: s.matchExpressions.map(e => ({ key: e.key, operator: e.operator, values: e.values ?? [] })),
        }
      : undefined,
  );

function resource(requireNominal: boolean) {
  return fields({
    name: str,
    nominalQuota: requireNominal ? quantity.refine(q => q !== undefined, 'is required') : quantity,
    borrowingLimit: quantity,
    lendingLimit: quantity,
  });
}

function flavorQuotas(known: Known, requireNominal: boolean) {
  return fields({
    name: str.superRefine((name, ctx) => {
      if (!known.flavors.has(name)) problem(ctx, `ResourceFlavor "${name}" does not exist`);
    }),
    resources: list(resource(requireNominal)),
  });
}

function groupsSchema(known: Known, requireNominal: boolean) {
  return list(fields({ coveredResources: list(str), flavors: list(flavorQuotas(known, requireNominal)) }));
}

type Groups = z.output<ReturnType<typeof groupsSchema>>;

/** Kueue's checks across a ClusterQueue's (or Cohort's) resource groups, flavors and quotas. */
function checkGroups(groups: Groups, ctx: z.RefinementCtx) {
  const covering = new Set<string>();
  const listed = new Set<string>();
  for (const [gi, { coveredResources: covered, flavors }] of groups.entries()) {
    if (covered.length === 0) problem(ctx, 'must list at least one resource', [gi, 'coveredResources']);
    for (const res of covered) {
      if (covering.has(res))
        problem(ctx, `resource "${res}" is already covered by another resource group`, [gi, 'coveredResources']);
      covering.add(res);
    }
    if (flavors.length === 0) problem(ctx, 'must list at least one flavor', [gi, 'flavors']);
    for (const [fi, f] of flavors.entries()) {
      const at = [gi, 'flavors', fi];
      if (listed.has(f.name))
        problem(ctx, `flavor "${f.name}" is already listed; a flavor may appear once per ClusterQueue`, [
          ...at,
          'name',
        ]);
      listed.add(f.name);
      for (const [ri, r] of f.resources.entries()) {
        if (!covered.includes(r.name))
          problem(ctx, `"${r.name}" is not in coveredResources (${covered.join(', ')})`, [
            ...at,
            'resources',
            ri,
            'name',
          ]);
        if (r.lendingLimit !== undefined && r.lendingLimit > (r.nominalQuota ?? 0))
          problem(ctx, `must not exceed nominalQuota (${(r.nominalQuota ?? 0) / 1000})`, [
            ...at,
            'resources',
            ri,
            'lendingLimit',
          ]);
      }
      for (const res of covered) {
        if (!f.resources.some(r => r.name === res))
          problem(ctx, `must give a quota for every covered resource; "${res}" is missing`, [...at, 'resources']);
      }
    }
  }
}

function resourceGroups(known: Known, requireNominal: boolean) {
  return groupsSchema(known, requireNominal)
    .superRefine(checkGroups)
    .transform((groups): ResourceGroup[] =>
      groups.map(({ coveredResources, flavors }) => ({
        coveredResources,
        flavors: flavors.map(f => ({
          flavor: f.name,
          resources: Object.fromEntries(
            f.resources.map(r => [
              r.name,
              { nominal: r.nominalQuota ?? 0, borrowingLimit: r.borrowingLimit, lendingLimit: r.lendingLimit },
            ]),
          ),
        })),
      })),
    );
}

const borrowPolicy = oneOf(['Never', 'LowerPriority'], 'Never');

const preemption = withCheck(
  fields({
    withinClusterQueue: policy.refine(p => p !== 'Any', 'must be Never, LowerPriority or LowerOrNewerEqualPriority'),
    reclaimWithinCohort: policy,
    borrowWithinCohort: fields({ policy: borrowPolicy, maxPriorityThreshold: priority() }),
  }),
  fields({ reclaimWithinCohort: policy, borrowWithinCohort: fields({ policy: borrowPolicy }) }),
  (p, ctx) => {
    if (p.reclaimWithinCohort === 'Never' && p.borrowWithinCohort.policy !== 'Never')
      problem(
        ctx,
        'needs reclaimWithinCohort to be LowerPriority or Any (Kueue rejects reclaimWithinCohort=Never with borrowWithinCohort)',
        ['borrowWithinCohort', 'policy'],
      );
  },
);

/** What the cohort check reads of a ClusterQueue's spec: its cohort and which quotas set limits. */
const cohortAndLimits = fields({
  cohort: optStr,
  cohortName: optStr,
  resourceGroups: list(
    fields({
      flavors: list(
        fields({ resources: list(z.object({ name: str, borrowingLimit: z.unknown(), lendingLimit: z.unknown() })) }),
      ),
    }),
  ),
});

/** Kueue: only a ClusterQueue in a cohort may borrow or lend. */
function checkLimitsNeedCohort(spec: z.output<typeof cohortAndLimits>, ctx: z.RefinementCtx) {
  if (spec.cohortName ?? spec.cohort) return;
  for (const [gi, g] of spec.resourceGroups.entries())
    for (const [fi, f] of g.flavors.entries())
      for (const res of new Set(
        f.resources.filter(r => r.borrowingLimit !== undefined || r.lendingLimit !== undefined).map(r => r.name),
      ))
        problem(ctx, 'borrowingLimit and lendingLimit need the ClusterQueue to be in a cohort', [
          'resourceGroups',
          gi,
          'flavors',
          fi,
          `resources(${res})`,
        ]);
}

const flavorFungibility = fields({
  whenCanBorrow: oneOf(['Borrow', 'MayStopSearch', 'TryNextFlavor'], 'Borrow'),
  whenCanPreempt: oneOf(['Preempt', 'MayStopSearch', 'TryNextFlavor'], 'TryNextFlavor'),
  preference: oneOf(['BorrowingOverPreemption', 'PreemptionOverBorrowing'], undefined),
}).transform(({ preference, ...f }): ClusterQueue['flavorFungibility'] => ({
  ...f,
  ...(preference !== undefined && { preference }),
}));

const admissionScope = optFields({
  admissionMode: oneOf(['UsageBasedAdmissionFairSharing', 'NoAdmissionFairSharing']),
});

const timestamp = reading((value, ctx): number | undefined => {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isFinite(ms)) return ms;
  problem(ctx, `must be an RFC 3339 time such as "2025-06-03T14:25:15Z", got ${JSON.stringify(value)}`, [], true);
  return z.NEVER;
});

/** status.fairSharing.admissionFairSharingStatus, the usage history Kueue persists on a LocalQueue. */
const localQueueStatus = fields({
  fairSharing: fields({
    admissionFairSharingStatus: optFields({
      consumedResources: z
        .record(z.string(), quantity, { error: 'must be a map of resource name to quantity' })
        .default(() => ({})),
      lastUpdate: timestamp,
    }),
  }),
}).transform(({ fairSharing: { admissionFairSharingStatus: afs } }): LocalQueueUsage | undefined =>
  afs
    ? {
        consumedResources: Object.fromEntries(
          Object.entries(afs.consumedResources).filter((e): e is [string, number] => e[1] !== undefined),
        ),
        lastUpdate: afs.lastUpdate ?? 0,
      }
    : undefined,
);

const named = fields({ name: str });
const namespaced = fields({ name: str, namespace: str });

export function kueueSchemas(known: Known) {
  const clusterQueueSpec = withCheck(
    fields({
      cohort: optStr,
      cohortName: optStr,
      resourceGroups: resourceGroups(known, true),
      queueingStrategy: oneOf(['StrictFIFO', 'BestEffortFIFO'], 'BestEffortFIFO'),
      namespaceSelector: selector,
      preemption,
      flavorFungibility,
      fairSharing: weight,
      stopPolicy,
      admissionScope,
    }),
    cohortAndLimits,
    checkLimitsNeedCohort,
  );
  return {
    ResourceFlavor: fields({
      metadata: named,
      spec: fields({
        nodeLabels: stringMap,
        nodeTaints: list(taint),
        tolerations: list(toleration),
        topologyName: optStr.superRefine((name, ctx) => {
          if (name && !known.topologies.has(name)) problem(ctx, `Topology "${name}" does not exist`);
        }),
      }),
    }).transform(({ metadata: { name }, spec }): ResourceFlavor => ({ name, ...spec })),
    ClusterQueue: fields({ metadata: named, spec: clusterQueueSpec }).transform(
      ({ metadata: { name }, spec: { cohort, cohortName, fairSharing, ...spec } }): ClusterQueue => ({
        name,
        cohort: cohortName ?? cohort,
        ...spec,
        fairSharingWeight: fairSharing,
      }),
    ),
    Cohort: fields({
      metadata: named,
      spec: fields({
        parentName: optStr,
        parent: optStr,
        resourceGroups: resourceGroups(known, false),
        fairSharing: weight,
      }),
    }).transform(
      ({ metadata: { name }, spec }): Cohort => ({
        name,
        parent: spec.parentName ?? spec.parent,
        resourceGroups: spec.resourceGroups,
        fairSharingWeight: spec.fairSharing,
      }),
    ),
    LocalQueue: fields({
      metadata: namespaced,
      spec: fields({ clusterQueue: str, stopPolicy, fairSharing: weight }),
      status: localQueueStatus,
    }).transform(
      ({ metadata, spec: { fairSharing, ...spec }, status }): LocalQueue => ({
        namespace: metadata.namespace,
        name: metadata.name,
        ...spec,
        fairSharingWeight: fairSharing,
        ...(status && { admissionFairSharingStatus: status }),
      }),
    ),
    WorkloadPriorityClass: fields({ metadata: named, value: priority(true) }).transform(o => ({
      name: o.metadata.name,
      value: o.value!,
    })),
    Topology: fields({
      metadata: named,
      spec: fields({
        levels: list(fields({ nodeLabel: str })).refine(l => l.length > 0, 'must list at least one level'),
      }),
    }).transform(({ metadata: { name }, spec }): Topology => ({ name, levels: spec.levels.map(l => l.nodeLabel) })),
  };
}

export type KueueSchemas = ReturnType<typeof kueueSchemas>;
