import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { Condition, hasCondition, ownerReference, setCondition, simAnnotationsOf } from './pods';

/** The label Kubeflow Trainer puts on each replicated job of a runtime to say which TrainJob step it runs. */
const ancestorLabel = 'trainer.kubeflow.org/trainjob-ancestor-step';

/** The replicated job a runtime's trainer runs in; podSpecOverrides name it in targetJobs. */
const trainerJobName = 'node';

interface PodSpecOverride {
  targetJobs?: Array<{ name: string }>;
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: unknown;
  tolerations?: unknown[];
  schedulingGates?: unknown[];
}

/**
 * trainer.kubeflow.org/v1alpha1 TrainJob, as Kubeflow Trainer runs it: a
 * JobSet of the TrainJob's name, owned by it, whose "node" replicated job
 * runs `numNodes` pods (the runtime's `mlPolicy.numNodes` when the runtime is
 * served, else 1). The JobSet is rewritten from the TrainJob only while one of
 * them is suspended, so podSpecOverrides written at admission reach the pods.
 */
export class TrainJobController extends Controller {
  readonly apiVersion = 'trainer.kubeflow.org/v1alpha1';
  readonly kind = 'TrainJob';

  private runtime(job: KubeObject): KubeObject | undefined {
    const ref = job.spec?.runtimeRef;
    if (!ref?.name) return undefined;
    const kind = ref.kind ?? 'ClusterTrainingRuntime';
    try {
      const type = this.store.typeFor('trainer.kubeflow.org/v1alpha1', kind);
      return this.store.get(type, type.namespaced ? job.metadata.namespace : undefined, ref.name);
    } catch {
      return undefined; // the runtime kind is not served; the TrainJob's own numNodes decides
    }
  }

  private jobSetFor(job: KubeObject): KubeObject {
    const runtime = this.runtime(job);
    const trainer = job.spec?.trainer ?? {};
    const numNodes: number = trainer.numNodes ?? runtime?.spec?.mlPolicy?.numNodes ?? 1;
    const overrides = ((job.spec?.podSpecOverrides ?? []) as PodSpecOverride[]).filter(o =>
      o.targetJobs?.some(t => t.name === trainerJobName),
    );
    const podSpec: Record<string, unknown> = { restartPolicy: 'Never' };
    for (const o of overrides) {
      if (o.serviceAccountName) podSpec.serviceAccountName = o.serviceAccountName;
      if (o.nodeSelector) podSpec.nodeSelector = { ...(podSpec.nodeSelector as object), ...o.nodeSelector };
      if (o.affinity) podSpec.affinity = o.affinity;
      if (o.tolerations) podSpec.tolerations = [...((podSpec.tolerations as unknown[]) ?? []), ...o.tolerations];
      if (o.schedulingGates) podSpec.schedulingGates = o.schedulingGates;
    }
    podSpec.containers = [
      {
        name: 'node',
        image: trainer.image ?? 'pytorch/pytorch:2.5.0-cuda12.4-cudnn9-runtime',
        ...(trainer.command ? { command: trainer.command } : {}),
        ...(trainer.args ? { args: trainer.args } : {}),
        env: [{ name: 'PET_NNODES', value: String(numNodes) }],
        resources: trainer.resourcesPerNode ?? {},
      },
    ];
    const template = runtime?.spec?.template?.metadata ?? {};
    return {
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: {
        name: job.metadata.name,
        namespace: job.metadata.namespace,
        labels: { ...template.labels, ...job.spec?.labels },
        annotations: { ...simAnnotationsOf(job), ...template.annotations, ...job.spec?.annotations },
        ownerReferences: [ownerReference(job)],
      },
      spec: {
        suspend: Boolean(job.spec?.suspend),
        replicatedJobs: [
          {
            name: trainerJobName,
            replicas: 1,
            template: {
              metadata: { labels: { [ancestorLabel]: 'trainer' } },
              spec: {
                parallelism: numNodes,
                completions: numNodes,
                backoffLimit: 0,
                template: { spec: podSpec },
              },
            },
          },
        ],
      },
    };
  }

  protected reconcile(job: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const conditionsIn: Condition[] = job.status?.conditions ?? [];
    if (hasCondition(conditionsIn, 'Complete') || hasCondition(conditionsIn, 'Failed')) return;
    const jobSetType = this.store.typeFor('jobset.x-k8s.io/v1alpha2', 'JobSet');
    const suspend = Boolean(job.spec?.suspend);
    const desired = this.jobSetFor(job);
    let jobSet = this.ctx.children.of(job.metadata.uid, 'JobSet')[0];
    if (!jobSet) {
      jobSet = this.store.create(jobSetType, desired);
    } else if (suspend || jobSet.spec?.suspend) {
      // Trainer leaves a running JobSet alone and rebuilds it while suspended or on resume.
      this.writeSpec(jobSetType, jobSet, desired.spec);
    }

    let conditions = conditionsIn;
    if (suspend) {
      conditions = setCondition(
        conditions,
        { type: 'Suspended', status: 'True', reason: 'Suspended', message: 'TrainJob is suspended' },
        now,
      );
    } else if (hasCondition(conditions, 'Suspended')) {
      conditions = setCondition(
        conditions,
        { type: 'Suspended', status: 'False', reason: 'Resumed', message: 'TrainJob is resumed' },
        now,
      );
    }
    // The TrainJob's terminal condition is its JobSet's, renamed.
    for (const [from, to] of [
      ['Completed', 'Complete'],
      ['Failed', 'Failed'],
    ]) {
      const c = (jobSet.status?.conditions as Condition[] | undefined)?.find(
        x => x.type === from && x.status === 'True',
      );
      if (c) conditions = setCondition(conditions, { ...c, type: to }, c.lastTransitionTime ?? now);
    }
    const jobsStatus = ((jobSet.status?.replicatedJobsStatus ?? []) as Array<Record<string, unknown>>).map(s => ({
      name: s.name,
      ready: s.ready ?? 0,
      succeeded: s.succeeded ?? 0,
      failed: s.failed ?? 0,
      active: s.active ?? 0,
      suspended: s.suspended ?? 0,
    }));
    this.writeStatus(job, {
      ...job.status,
      conditions,
      ...(jobsStatus.length ? { jobsStatus } : {}),
    });
  }
}
