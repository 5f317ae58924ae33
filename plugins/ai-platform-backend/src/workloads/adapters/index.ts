import type { WorkloadKindAdapter } from '@ai-platform/backstage-plugin-ai-platform-node';
import { workflowAdapter } from './argo';
import { jobAdapter, jobSetAdapter } from './batch';
import { pyTorchJobAdapter, trainJobAdapter } from './kubeflow';
import { rayJobAdapter } from './ray';
import { deploymentAdapter, inferenceServiceAdapter, leaderWorkerSetAdapter, statefulSetAdapter } from './serving';
import { sparkApplicationAdapter } from './spark';

export { savedReplicasAnnotation } from '@ai-platform/backstage-plugin-ai-platform-node';

/** The workload kinds the controller knows without extension modules. */
export const builtinWorkloadKinds: WorkloadKindAdapter[] = [
  jobAdapter,
  jobSetAdapter,
  pyTorchJobAdapter,
  trainJobAdapter,
  rayJobAdapter,
  leaderWorkerSetAdapter,
  inferenceServiceAdapter,
  deploymentAdapter,
  statefulSetAdapter,
  sparkApplicationAdapter,
  workflowAdapter,
];
