import {
  type WorkloadObject,
  at,
  conditionTrue,
  defineAdapter,
  replicas,
  scaleSuspension,
  type PodSpecLike,
  type PodSlot,
} from '@ai-platform/backstage-plugin-ai-platform-node';

function templateSlot(obj: WorkloadObject): PodSlot[] {
  const spec = at<PodSpecLike>(obj, 'spec', 'template', 'spec');
  if (!spec) throw new Error('spec.template.spec is missing');
  return [{ name: 'main', count: replicas(obj, ['spec', 'replicas'], 1), spec }];
}

const readyReplicas = (obj: WorkloadObject) =>
  (at<number>(obj, 'status', 'readyReplicas') ?? 0) >= replicas(obj, ['spec', 'replicas'], 1);

/** apps/v1 kinds run through the platform only when labelled with a queue; suspended by scaling to 0. */
function appsAdapter(kind: string, plural: string) {
  return defineAdapter({
    apiVersion: 'apps/v1',
    kind,
    plural,
    entityType: 'inference-service',
    requiresQueueLabel: true,
    slots: templateSlot,
    suspension: scaleSuspension([{ path: ['spec', 'replicas'], default: 1 }]),
    outcome: () => undefined,
    podsReady: readyReplicas,
  });
}

export const deploymentAdapter = appsAdapter('Deployment', 'deployments');
export const statefulSetAdapter = appsAdapter('StatefulSet', 'statefulsets');

/** leaderworkerset.x-k8s.io/v1 LeaderWorkerSet: `replicas` groups of one leader and size-1 workers; suspended by scaling to 0. */
export const leaderWorkerSetAdapter = defineAdapter({
  apiVersion: 'leaderworkerset.x-k8s.io/v1',
  kind: 'LeaderWorkerSet',
  plural: 'leaderworkersets',
  entityType: 'inference-service',
  slots: obj => {
    const groups = replicas(obj, ['spec', 'replicas'], 1);
    const lwt = at<{ size?: number; leaderTemplate?: { spec?: PodSpecLike }; workerTemplate?: { spec?: PodSpecLike } }>(
      obj,
      'spec',
      'leaderWorkerTemplate',
    );
    const worker = lwt?.workerTemplate?.spec;
    if (!worker) throw new Error('spec.leaderWorkerTemplate.workerTemplate.spec is missing');
    const size = lwt?.size ?? 1;
    const leader = lwt?.leaderTemplate?.spec;
    if (!leader) return [{ name: 'main', count: groups * size, spec: worker }];
    const slots: PodSlot[] = [{ name: 'leader', count: groups, spec: leader }];
    if (size > 1) slots.push({ name: 'workers', count: groups * (size - 1), spec: worker });
    return slots;
  },
  suspension: scaleSuspension([{ path: ['spec', 'replicas'], default: 1 }]),
  outcome: () => undefined,
  podsReady: readyReplicas,
});

interface Predictor extends PodSpecLike {
  minReplicas?: number;
  model?: { resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } };
}

/** serving.kserve.io/v1beta1 InferenceService: its predictor at minReplicas; suspended by scaling min and max replicas to 0. */
export const inferenceServiceAdapter = defineAdapter({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  plural: 'inferenceservices',
  entityType: 'inference-service',
  slots: obj => {
    const predictor = at<Predictor>(obj, 'spec', 'predictor');
    if (!predictor) throw new Error('spec.predictor is missing');
    const containers = [...(predictor.containers ?? []), ...(predictor.model ? [predictor.model] : [])];
    return [
      {
        name: 'predictor',
        count: Math.max(1, replicas(obj, ['spec', 'predictor', 'minReplicas'], 1)),
        spec: { ...predictor, containers },
        target: predictor,
      },
    ];
  },
  suspension: scaleSuspension([
    { path: ['spec', 'predictor', 'minReplicas'], default: 1 },
    { path: ['spec', 'predictor', 'maxReplicas'], default: 1 },
  ]),
  outcome: () => undefined,
  podsReady: obj => conditionTrue(obj, 'Ready'),
});
