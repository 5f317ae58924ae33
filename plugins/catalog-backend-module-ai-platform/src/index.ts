/**
 * Catalog module: AI platform workloads, queues, clusters and GPU pools as entities.
 *
 * @packageDocumentation
 */
export { catalogModuleAiPlatform as default } from './module';
export { AiPlatformEntityProvider, type ProviderRunStats } from './provider/AiPlatformEntityProvider';
export type { AiPlatformSource } from './source/types';
export { aiPlatformBackendSource } from './source/aiPlatformBackendSource';
export { readAiPlatformProviderConfig, type AiPlatformProviderConfig } from './config';
