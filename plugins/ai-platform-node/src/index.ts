/**
 * Extension points of the ai-platform backend plugin, and the toolkit for
 * writing a workload kind adapter.
 *
 * @packageDocumentation
 */
export type { WorkloadKindAdapter, WorkloadObject, WorkloadContext, WorkloadOutcome } from './WorkloadKindAdapter';
export { aiPlatformWorkloadKindsExtensionPoint } from './extensionPoint';
export type { AiPlatformWorkloadKindsExtensionPoint } from './extensionPoint';
export { aiPlatformPriceSourcesExtensionPoint, aiPlatformTelemetryExtensionPoint } from './costSources';
export type {
  AiPlatformPriceSourcesExtensionPoint,
  AiPlatformTelemetryExtensionPoint,
  GpuPrice,
  PriceSource,
  TelemetrySource,
  PodSelection,
  PodTokens,
  PodTokenCounts,
} from './costSources';
export {
  defineAdapter,
  at,
  setAt,
  conditionTrue,
  conditionOutcome,
  fieldSuspension,
  scaleSuspension,
  replicas,
  savedReplicasAnnotation,
  originalPodSetsAnnotation,
} from './adapters/defineAdapter';
export type { KindDefinition, Suspension } from './adapters/defineAdapter';
export { podRequests, toPodSet, pinToFlavors } from './adapters/podSets';
export type { PodSlot, PodSpecLike } from './adapters/podSets';
export { rayClusterSlots } from './adapters/ray';
export type { RayClusterSpecLike, RayWorkerGroup } from './adapters/ray';
