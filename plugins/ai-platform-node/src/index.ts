/**
 * Extension points of the ai-platform backend plugin.
 *
 * @packageDocumentation
 */
export type { WorkloadKindAdapter, WorkloadObject, WorkloadContext, WorkloadOutcome } from './WorkloadKindAdapter';
export { aiPlatformWorkloadKindsExtensionPoint } from './extensionPoint';
export type { AiPlatformWorkloadKindsExtensionPoint } from './extensionPoint';
