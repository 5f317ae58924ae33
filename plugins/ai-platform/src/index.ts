/**
 * The AI platform frontend plugin: workload, team and queue pages, fleet and
 * cost dashboards. Legacy frontend system exports; see `./alpha` for the new one.
 *
 * @packageDocumentation
 */
export {
  aiPlatformPlugin,
  AiPlatformPage,
  EntityAiWorkloadCard,
  EntityAiWorkloadContent,
  EntityAiQueueContent,
  EntityAiTeamCard,
  AiCostExplorer,
  HomePageMyTeamsGpuWorkCard,
  AiPlatformQueuePickerFieldExtension,
  AiPlatformFlavorPickerFieldExtension,
  AiPlatformCostEstimateFieldExtension,
} from './plugin';
export { aiPlatformApiRef, AiPlatformClient } from './api/AiPlatformApi';
export type { AiPlatformApi, PoolHistoryQuery, WorkloadQuery } from './api/AiPlatformApi';
