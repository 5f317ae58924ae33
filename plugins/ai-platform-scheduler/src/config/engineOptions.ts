import { z } from 'zod/v4';
import { deviceClassMappingsSchema } from './deviceClaims';
import { fields, nonNegative, oneOf, problem, reading } from './fields';
import type { AdmissionFairSharingConfig, EngineOptions, FeatureGates } from './types';

/** Kueue 0.19's defaults for the feature gates that change scheduling. */
export const defaultFeatureGates: FeatureGates = {
  PartialAdmission: true,
  PrioritySortingWithinCohort: true,
  FairSharingPreemptWithinNominal: true,
  PrioritizePreemptorWorkloads: false,
  AdmissionFairSharing: true,
  ElasticJobsViaWorkloadSlices: true,
};

const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration such as "300s", "5m" or "1h" (a number is seconds), in ms. */
function duration(fallbackMs: number) {
  return reading((value, ctx): number => {
    if (value === undefined || value === null) return fallbackMs;
    if (typeof value === 'number') return value * 1000;
    const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value) : null;
    if (match) return Number(match[1]) * units[match[2] as keyof typeof units];
    problem(ctx, `"${value}" is not a duration such as "300s", "5m" or "1h"`, [], true);
    return z.NEVER;
  });
}

/** true or false; absent (or null) is `fallback`. */
function flag(fallback: boolean) {
  return reading((value, ctx): boolean => {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    problem(ctx, `must be true or false, got ${JSON.stringify(value)}`, [], true);
    return z.NEVER;
  });
}

const strategies = ['LessThanOrEqualToFinalShare', 'LessThanInitialShare'] as const;
const strategy = z
  .string()
  .refine((s): s is (typeof strategies)[number] => (strategies as readonly string[]).includes(s));

const featureGates = z
  .record(z.string(), z.unknown(), { error: 'must be a map of gate name to true or false' })
  .nullish()
  .transform((value, ctx): FeatureGates => {
    const gates = { ...defaultFeatureGates };
    for (const [name, on] of Object.entries(value ?? {})) {
      if (!(name in gates)) problem(ctx, `is not a gate this engine knows (${Object.keys(gates).join(', ')})`, [name]);
      else if (typeof on !== 'boolean') problem(ctx, `must be true or false, got ${JSON.stringify(on)}`, [name]);
      else gates[name as keyof FeatureGates] = on;
    }
    return gates;
  });

/** Kueue's admissionFairSharing section; absent (or null) leaves it off, as in Kueue. */
const admissionFairSharing = z
  .object(
    {
      usageHalfLifeTime: duration(0),
      usageSamplingInterval: duration(5 * 60_000),
      resourceWeights: z
        .record(z.string(), nonNegative(1), { error: 'must be a map of resource name to weight' })
        .default(() => ({})),
    },
    { error: 'must be a map of fields' },
  )
  .nullish()
  .superRefine((afs, ctx) => {
    if (afs && afs.usageSamplingInterval <= 0) problem(ctx, 'must be a positive duration', ['usageSamplingInterval']);
  })
  .transform((afs): AdmissionFairSharingConfig | undefined => afs ?? undefined);

/** The Kueue Configuration fields the engine reads (fairSharing, admissionFairSharing, waitForPodsReady, featureGates, resources.deviceClassMappings). */
export const engineOptionsSchema = fields({
  fairSharing: fields({
    enable: reading(v => v === true),
    preemptionStrategies: z
      .array(z.unknown(), { error: 'must be a list' })
      .nullish()
      .transform((list, ctx) => {
        const out = list ?? [...strategies];
        for (const s of out)
          if (!strategy.safeParse(s).success)
            problem(ctx, `"${s}" is not LessThanOrEqualToFinalShare or LessThanInitialShare`);
        return out as EngineOptions['fairSharing']['preemptionStrategies'];
      }),
  }),
  waitForPodsReady: fields({
    enable: reading(v => v === true),
    timeout: duration(5 * 60_000),
    blockAdmission: flag(false),
    requeuingStrategy: fields({
      timestamp: oneOf(['Eviction', 'Creation'], 'Eviction'),
      backoffBaseSeconds: z.any(),
      backoffMaxSeconds: z.any(),
      backoffLimitCount: z.any(),
    }),
  }),
  admissionFairSharing,
  featureGates,
  resources: fields({ deviceClassMappings: deviceClassMappingsSchema }),
}).transform(
  ({
    fairSharing,
    admissionFairSharing: afs,
    waitForPodsReady: { requeuingStrategy: requeue, ...wfpr },
    featureGates: gates,
    resources,
  }): EngineOptions => ({
    fairSharing,
    ...(afs && { admissionFairSharing: afs }),
    waitForPodsReady: {
      ...wfpr,
      backoffBaseSeconds: requeue.backoffBaseSeconds ?? 60,
      backoffMaxSeconds: requeue.backoffMaxSeconds ?? 3600,
      requeuingTimestamp: requeue.timestamp,
      backoffLimitCount: requeue.backoffLimitCount,
    },
    featureGates: gates,
    ...(resources.deviceClassMappings.length > 0 && { deviceClassMappings: resources.deviceClassMappings }),
  }),
);
