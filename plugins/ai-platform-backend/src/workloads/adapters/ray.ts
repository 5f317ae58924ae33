import {
  at,
  defineAdapter,
  fieldSuspension,
  rayClusterSlots,
  type RayClusterSpecLike,
} from '@ai-platform/backstage-plugin-ai-platform-node';

/** ray.io/v1 RayJob: the head and each worker group, admitted together. */
export const rayJobAdapter = defineAdapter({
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  plural: 'rayjobs',
  entityType: 'training-job',
  slots: obj => rayClusterSlots(at<RayClusterSpecLike>(obj, 'spec', 'rayClusterSpec'), 'spec.rayClusterSpec'),
  suspension: fieldSuspension('spec', 'suspend'),
  outcome: obj => {
    const deployment = at<string>(obj, 'status', 'jobDeploymentStatus');
    if (deployment !== 'Complete' && deployment !== 'Failed') return undefined;
    return at<string>(obj, 'status', 'jobStatus') === 'SUCCEEDED' ? 'Succeeded' : 'Failed';
  },
  podsReady: obj => ['Running', 'Complete'].includes(at<string>(obj, 'status', 'jobDeploymentStatus') ?? ''),
});
