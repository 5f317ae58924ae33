import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type RootConfigService,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import { defaultRunbookEntityRef } from '@ai-platform/backstage-plugin-ai-platform-common';

/** Settings of the AI platform entity provider, from `catalog.providers.aiPlatform`. */
export interface AiPlatformProviderConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  deltaInterval: HumanDuration;
  retentionMs: number;
  fallbackOwner: string;
  platformOwner: string;
  /** `aiPlatform.runbooks.entityRef`, shared with the frontend's reason links. */
  runbookEntityRef: string;
}

const configKey = 'catalog.providers.aiPlatform';

function readDuration(config: Config | undefined, key: string, fallback: HumanDuration): HumanDuration {
  if (!config?.has(key)) {
    return fallback;
  }
  try {
    return readDurationFromConfig(config, { key });
  } catch (error) {
    throw new InputError(
      `${configKey}.${key} is not a duration: write e.g. "5s", "7d", "PT1H" or { seconds: 5 }`,
      error,
    );
  }
}

function readOwner(config: Config | undefined, key: string): string {
  const raw = config?.getOptionalString(key) ?? 'group:default/platform-team';
  try {
    return stringifyEntityRef(parseEntityRef(raw, { defaultKind: 'group', defaultNamespace: 'default' }));
  } catch (error) {
    throw new InputError(
      `${configKey}.${key} must be an entity reference such as group:default/platform-team, got "${raw}"`,
      error,
    );
  }
}

function readRunbookEntityRef(root: RootConfigService | Config): string {
  const raw = root.getOptionalString('aiPlatform.runbooks.entityRef') ?? defaultRunbookEntityRef;
  try {
    return stringifyEntityRef(parseEntityRef(raw, { defaultKind: 'component', defaultNamespace: 'default' }));
  } catch (error) {
    throw new InputError(
      `aiPlatform.runbooks.entityRef must be an entity reference such as ${defaultRunbookEntityRef}, got "${raw}"`,
      error,
    );
  }
}

/** Reads `catalog.providers.aiPlatform`, filling in the defaults. */
export function readAiPlatformProviderConfig(root: RootConfigService | Config): AiPlatformProviderConfig {
  const config = root.getOptionalConfig(configKey);
  const schedule: SchedulerServiceTaskScheduleDefinition = config?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(config.getConfig('schedule'))
    : { frequency: { seconds: 60 }, timeout: { minutes: 10 }, initialDelay: { seconds: 0 } };
  return {
    schedule,
    deltaInterval: readDuration(config, 'deltaInterval', { seconds: 5 }),
    retentionMs: durationToMilliseconds(readDuration(config, 'retention', { days: 7 })),
    fallbackOwner: readOwner(config, 'fallbackOwner'),
    platformOwner: readOwner(config, 'platformOwner'),
    runbookEntityRef: readRunbookEntityRef(root),
  };
}
