import {
  at,
  defineAdapter,
  fieldSuspension,
  rayClusterSlots,
  type RayClusterSpecLike,
} from '@ai-platform/backstage-plugin-ai-platform-node';

/**
 * ray.io/v1 RayCluster on its own (not a RayJob's): the head and every
 * worker group admitted together; KubeRay's spec.suspend holds it back.
 * A long-running cluster never finishes by itself.
 */
export const rayClusterAdapter = defineAdapter({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  plural: 'rayclusters',
  entityType: 'training-job',
  slots: obj => rayClusterSlots(at<RayClusterSpecLike>(obj, 'spec'), 'spec'),
  suspension: fieldSuspension('spec', 'suspend'),
  outcome: () => undefined,
  podsReady: obj => at<string>(obj, 'status', 'state') === 'ready',
});
