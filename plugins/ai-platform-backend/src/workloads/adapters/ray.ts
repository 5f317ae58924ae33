import {
  type WorkloadObject,
  at,
  defineAdapter,
  fieldSuspension,
  type PodSpecLike,
  type PodSlot,
} from '@ai-platform/backstage-plugin-ai-platform-node';

interface WorkerGroup {
  groupName: string;
  replicas?: number;
  minReplicas?: number;
  numOfHosts?: number;
  template?: { spec?: PodSpecLike };
}

function raySlots(obj: WorkloadObject): PodSlot[] {
  const cluster = at<{ headGroupSpec?: { template?: { spec?: PodSpecLike } }; workerGroupSpecs?: WorkerGroup[] }>(
    obj,
    'spec',
    'rayClusterSpec',
  );
  const head = cluster?.headGroupSpec?.template?.spec;
  if (!head) throw new Error('spec.rayClusterSpec.headGroupSpec.template.spec is missing');
  const slots: PodSlot[] = [{ name: 'head', count: 1, spec: head }];
  for (const group of cluster?.workerGroupSpecs ?? []) {
    if (!group.template?.spec) throw new Error(`worker group ${group.groupName}: template.spec is missing`);
    const count = (group.replicas ?? group.minReplicas ?? 1) * (group.numOfHosts ?? 1);
    slots.push({ name: group.groupName, count, spec: group.template.spec });
  }
  return slots;
}

/** ray.io/v1 RayJob: the head and each worker group, admitted together. */
export const rayJobAdapter = defineAdapter({
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  plural: 'rayjobs',
  entityType: 'training-job',
  slots: raySlots,
  suspension: fieldSuspension('spec', 'suspend'),
  outcome: obj => {
    const deployment = at<string>(obj, 'status', 'jobDeploymentStatus');
    if (deployment !== 'Complete' && deployment !== 'Failed') return undefined;
    return at<string>(obj, 'status', 'jobStatus') === 'SUCCEEDED' ? 'Succeeded' : 'Failed';
  },
  podsReady: obj => ['Running', 'Complete'].includes(at<string>(obj, 'status', 'jobDeploymentStatus') ?? ''),
});
