import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { GangMember, reconcileGang } from './gang';
import { hasCondition, podFromTemplate, setCondition } from './pods';

/**
 * trainer.kubeflow.org/v1alpha1 TrainJob, simplified: `spec.trainer.numNodes`
 * pods (default: the runtime's `mlPolicy.numNodes` when the runtime is served, else 1)
 * named `<name>-node-0-<i>`, each with `spec.trainer.resourcesPerNode`.
 */
export class TrainJobController extends Controller {
  readonly apiVersion = 'trainer.kubeflow.org/v1alpha1';
  readonly kind = 'TrainJob';

  private runtimeNodes(job: KubeObject): number | undefined {
    const ref = job.spec?.runtimeRef;
    if (!ref?.name) return undefined;
    const kind = ref.kind ?? 'ClusterTrainingRuntime';
    try {
      const type = this.store.typeFor('trainer.kubeflow.org/v1alpha1', kind);
      const runtime = this.store.get(type, type.namespaced ? job.metadata.namespace : undefined, ref.name);
      return runtime?.spec?.mlPolicy?.numNodes;
    } catch {
      return undefined; // the runtime kind is not served; the TrainJob's own numNodes decides
    }
  }

  protected reconcile(job: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const name = job.metadata.name!;
    const trainer = job.spec?.trainer ?? {};
    const numNodes: number = trainer.numNodes ?? this.runtimeNodes(job) ?? 1;
    const podSpecOverride = (job.spec?.podSpecOverrides ?? [])[0]?.spec ?? {};
    const members: GangMember[] = Array.from({ length: numNodes }, (_, i) => ({
      name: `${name}-node-0-${i}`,
      decides: true,
      build: () => {
        const pod = podFromTemplate(
          job,
          {
            metadata: { labels: job.spec?.labels, annotations: job.spec?.annotations },
            spec: {
              ...podSpecOverride,
              restartPolicy: 'Never',
              containers: [
                {
                  name: 'node',
                  image: trainer.image ?? 'pytorch/pytorch:2.5.0-cuda12.4-cudnn9-runtime',
                  ...(trainer.command ? { command: trainer.command } : {}),
                  ...(trainer.args ? { args: trainer.args } : {}),
                  resources: trainer.resourcesPerNode ?? {},
                },
              ],
            },
          },
          {
            name: `${name}-node-0-${i}`,
            labels: {
              'jobset.sigs.k8s.io/jobset-name': name,
              'jobset.sigs.k8s.io/replicatedjob-name': 'node',
              'batch.kubernetes.io/job-completion-index': String(i),
              'trainer.kubeflow.org/trainjob-name': name,
            },
          },
        );
        return pod;
      },
    }));
    const conditionsIn = job.status?.conditions ?? [];
    const finished = hasCondition(conditionsIn, 'Complete') || hasCondition(conditionsIn, 'Failed');
    const { phase, failedPod } = reconcileGang(this.ctx, job, members, {
      suspended: Boolean(job.spec?.suspend),
      finished,
    });
    if (finished) return;
    let conditions = conditionsIn;
    if (phase === 'Suspended') {
      conditions = setCondition(
        conditions,
        { type: 'Suspended', status: 'True', reason: 'Suspended', message: 'TrainJob is suspended' },
        now,
      );
    } else {
      if (hasCondition(conditions, 'Suspended')) {
        conditions = setCondition(
          conditions,
          { type: 'Suspended', status: 'False', reason: 'Resumed', message: 'TrainJob is resumed' },
          now,
        );
      }
      if (phase === 'Succeeded') {
        conditions = setCondition(
          conditions,
          { type: 'Complete', status: 'True', reason: 'JobsCompleted', message: 'TrainJob is completed' },
          now,
        );
      } else if (phase === 'Failed') {
        conditions = setCondition(
          conditions,
          {
            type: 'Failed',
            status: 'True',
            reason: 'JobsFailed',
            message: `TrainJob failed: pod ${failedPod?.metadata.name} failed`,
          },
          now,
        );
      }
    }
    this.writeStatus(job, {
      ...job.status,
      conditions,
      jobsStatus: [
        {
          name: 'node',
          active: phase === 'Running' || phase === 'Pending' ? numNodes : 0,
          ready: phase === 'Running' ? numNodes : 0,
          succeeded: phase === 'Succeeded' ? numNodes : 0,
          failed: phase === 'Failed' ? 1 : 0,
          suspended: phase === 'Suspended' ? numNodes : 0,
        },
      ],
    });
  }
}
