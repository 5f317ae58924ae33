import {
  type WorkloadObject,
  at,
  conditionOutcome,
  conditionTrue,
  defineAdapter,
  fieldSuspension,
  type PodSpecLike,
  type PodSlot,
} from '@ai-platform/backstage-plugin-ai-platform-node';

interface ReplicaSpec {
  replicas?: number;
  template?: { spec?: PodSpecLike };
}

function pytorchSlots(obj: WorkloadObject): PodSlot[] {
  const specs = at<Record<string, ReplicaSpec>>(obj, 'spec', 'pytorchReplicaSpecs') ?? {};
  return Object.entries(specs).map(([role, rs]) => {
    if (!rs.template?.spec) throw new Error(`spec.pytorchReplicaSpecs.${role}.template.spec is missing`);
    return { name: role.toLowerCase(), count: rs.replicas ?? 1, spec: rs.template.spec };
  });
}

const kubeflowOutcome = (obj: WorkloadObject) => conditionOutcome(obj, 'Succeeded');

/** kubeflow.org/v1 PyTorchJob: one pod set per replica type (master, worker). */
export const pyTorchJobAdapter = defineAdapter({
  apiVersion: 'kubeflow.org/v1',
  kind: 'PyTorchJob',
  plural: 'pytorchjobs',
  entityType: 'training-job',
  slots: pytorchSlots,
  suspension: fieldSuspension('spec', 'runPolicy', 'suspend'),
  outcome: kubeflowOutcome,
  podsReady: obj => conditionTrue(obj, 'Running') || kubeflowOutcome(obj) !== undefined,
});

interface PodSpecOverride {
  targetJobs?: Array<{ name: string }>;
  nodeSelector?: Record<string, string>;
  tolerations?: PodSpecLike['tolerations'];
}

/**
 * trainer.kubeflow.org TrainJob: pods come from a TrainingRuntime the
 * controller does not read; the pod set is `numNodes` pods of
 * `resourcesPerNode`, and admission pins them through a podSpecOverride for
 * the runtime's "node" job.
 */
function trainSlots(obj: WorkloadObject, forWrite?: boolean): PodSlot[] {
  const trainer =
    at<{
      numNodes?: number;
      resourcesPerNode?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
    }>(obj, 'spec', 'trainer') ?? {};
  const overrides = at<PodSpecOverride[]>(obj, 'spec', 'podSpecOverrides') ?? [];
  let target = overrides.find(o => o.targetJobs?.some(t => t.name === 'node'));
  if (!target) {
    target = { targetJobs: [{ name: 'node' }] };
    if (forWrite) {
      overrides.push(target);
      (obj.spec ??= {}).podSpecOverrides = overrides;
    }
  }
  return [
    {
      name: 'node',
      count: trainer.numNodes ?? 1,
      spec: { containers: [{ resources: trainer.resourcesPerNode }] },
      target,
    },
  ];
}

/** trainer.kubeflow.org/v1alpha1 TrainJob. */
export const trainJobAdapter = defineAdapter({
  apiVersion: 'trainer.kubeflow.org/v1alpha1',
  kind: 'TrainJob',
  plural: 'trainjobs',
  entityType: 'training-job',
  slots: trainSlots,
  suspension: fieldSuspension('spec', 'suspend'),
  outcome: obj => conditionOutcome(obj, 'Complete'),
  // Ready when each of its jobs (one per replicated job of the JobSet under it) is ready or done, as JobSet counts.
  podsReady: obj => {
    const jobs = at<Array<{ ready?: number; succeeded?: number }>>(obj, 'status', 'jobsStatus') ?? [];
    return (
      !conditionTrue(obj, 'Suspended') && jobs.length > 0 && jobs.every(j => (j.ready ?? 0) + (j.succeeded ?? 0) > 0)
    );
  },
});
