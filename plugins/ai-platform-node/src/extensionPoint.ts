import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { WorkloadKindAdapter } from './WorkloadKindAdapter';

/** Lets backend modules teach the ai-platform admission controller more workload kinds. */
export interface AiPlatformWorkloadKindsExtensionPoint {
  /** Adds adapters; one for an apiVersion/kind already known replaces it. */
  addWorkloadKinds(...adapters: WorkloadKindAdapter[]): void;
}

/** Extension point for workload kind adapters. */
export const aiPlatformWorkloadKindsExtensionPoint = createExtensionPoint<AiPlatformWorkloadKindsExtensionPoint>({
  id: 'ai-platform.workload-kinds',
});
