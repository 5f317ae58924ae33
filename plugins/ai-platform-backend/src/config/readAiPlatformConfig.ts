import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import type { EngineOptions } from '@ai-platform/scheduler';
import type { ClusterConnection } from '../clusters/connection';
import type { PricingSettings } from '../costs/pricing';
import type { BudgetPolicy } from '@ai-platform/scheduler';
import { readBudgetPolicies, readBudgets } from './budgets';
import { readClusters } from './clusters';
import { readPricing } from './pricing';
import { readEngineOptions, readQueues, type QueueSettings } from './queues';

/**
 * The plugin's settings from `aiPlatform.*` (see config.d.ts) and the clusters of
 * `kubernetes.clusterLocatorMethods`, read once at startup: the only place the
 * backend reads its config, so a bad value fails at startup naming its key.
 */
export interface AiPlatformConfig {
  permissions: { teamScoped: boolean; adminGroups: string[] };
  metrics: { pollInterval: HumanDuration };
  costs: {
    ingestSchedule: SchedulerServiceTaskScheduleDefinition;
    hourlyRetentionMs: number;
    /** Keep GPU pods with a finalizer until their interval is recorded. */
    podFinalizer: boolean;
    currency: string;
    /** Monthly budget per team, micro-units. */
    budgets: Map<string, number>;
    /** What exceeding its budget does to a team's new work (Warn when not set). */
    budgetPolicies: Map<string, BudgetPolicy>;
  };
  pricing: PricingSettings;
  clusters: ClusterConnection[];
  queues: QueueSettings;
  engine: EngineOptions;
  prometheusUrl?: string;
}

/** Keys of earlier versions, with what replaces them, so an old config fails at startup with the fix. */
const replacedKeys: Record<string, string> = {
  'aiPlatform.costs.ingestIntervalSeconds': 'aiPlatform.costs.ingestSchedule (e.g. { frequency: { seconds: 60 } })',
  'aiPlatform.costs.hourlyRetentionDays': 'aiPlatform.costs.hourlyRetention (e.g. { days: 30 })',
  'aiPlatform.metrics.pollIntervalSeconds': 'aiPlatform.metrics.pollInterval (e.g. { seconds: 15 })',
};

/** Reads `key` with `read`; a failure names the key and what to write instead. */
function at<T>(config: Config, key: string, read: (c: Config) => T, example: string): T | undefined {
  if (!config.has(key)) return undefined;
  try {
    return read(config);
  } catch (error) {
    throw new Error(`${key}: ${(error as Error).message}; write it like ${example}`);
  }
}

/**
 * Reads the plugin's config: durations with readDurationFromConfig, task
 * schedules with the scheduler's reader, every error naming its key.
 */
export function readAiPlatformConfig(config: Config): AiPlatformConfig {
  for (const [key, replacement] of Object.entries(replacedKeys)) {
    if (config.has(key)) throw new Error(`${key} is no longer read; use ${replacement}`);
  }
  const pollInterval = at(
    config,
    'aiPlatform.metrics.pollInterval',
    c => readDurationFromConfig(c, { key: 'aiPlatform.metrics.pollInterval' }),
    '{ seconds: 15 }',
  ) ?? { seconds: 15 };
  const ingestSchedule = at(
    config,
    'aiPlatform.costs.ingestSchedule',
    c => readSchedulerServiceTaskScheduleDefinitionFromConfig(c.getConfig('aiPlatform.costs.ingestSchedule')),
    '{ frequency: { seconds: 60 }, timeout: { minutes: 10 } }',
  ) ?? { frequency: { seconds: 60 }, timeout: { minutes: 10 }, initialDelay: { seconds: 5 } };
  const hourlyRetention = at(
    config,
    'aiPlatform.costs.hourlyRetention',
    c => readDurationFromConfig(c, { key: 'aiPlatform.costs.hourlyRetention' }),
    '{ days: 30 }',
  ) ?? { days: 30 };
  const clusters = readClusters(config);
  return {
    permissions: {
      teamScoped: config.getOptionalBoolean('aiPlatform.permissions.teamScoped') ?? true,
      adminGroups: config.getOptionalStringArray('aiPlatform.permissions.adminGroups') ?? [],
    },
    metrics: { pollInterval },
    costs: {
      ingestSchedule,
      hourlyRetentionMs: durationToMilliseconds(hourlyRetention),
      podFinalizer: config.getOptionalBoolean('aiPlatform.costs.podFinalizer') ?? true,
      currency: config.getOptionalString('aiPlatform.pricing.currency') ?? 'USD',
      budgets: readBudgets(config),
      budgetPolicies: readBudgetPolicies(config),
    },
    pricing: readPricing(config),
    clusters,
    queues: readQueues(config, clusters),
    engine: readEngineOptions(config),
    prometheusUrl: config.getOptionalString('aiPlatform.prometheus.url'),
  };
}
