/**
 * Catalog module: AI platform workloads, queues, clusters and GPU pools as entities.
 *
 * @packageDocumentation
 */
export { catalogModuleAiPlatform as default } from './module';
export { AiPlatformEntityProvider, type ProviderRunStats } from './provider/AiPlatformEntityProvider';
export type { AiPlatformSource } from './source/types';
export { HttpAiPlatformSource } from './source/HttpAiPlatformSource';
export { readAiPlatformProviderConfig, type AiPlatformProviderConfig } from './config';
