import {
  at,
  defineAdapter,
  fieldSuspension,
  type PodSlot,
  type PodSpecLike,
  type WorkloadObject,
} from '@ai-platform/backstage-plugin-ai-platform-node';

interface WorkerGroup {
  groupName: string;
  replicas?: number;
  minReplicas?: number;
  numOfHosts?: number;
  template?: { spec?: PodSpecLike };
}

function rayClusterSlots(obj: WorkloadObject): PodSlot[] {
  const head = at<PodSpecLike>(obj, 'spec', 'headGroupSpec', 'template', 'spec');
  if (!head) throw new Error('spec.headGroupSpec.template.spec is missing');
  const slots: PodSlot[] = [{ name: 'head', count: 1, spec: head }];
  for (const group of at<WorkerGroup[]>(obj, 'spec', 'workerGroupSpecs') ?? []) {
    if (!group.template?.spec) throw new Error(`spec.workerGroupSpecs[${group.groupName}].template.spec is missing`);
    slots.push({
      name: group.groupName,
      count: (group.replicas ?? group.minReplicas ?? 1) * (group.numOfHosts ?? 1),
      spec: group.template.spec,
    });
  }
  return slots;
}

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
  slots: rayClusterSlots,
  suspension: fieldSuspension('spec', 'suspend'),
  outcome: () => undefined,
  podsReady: obj => at<string>(obj, 'status', 'state') === 'ready',
});
