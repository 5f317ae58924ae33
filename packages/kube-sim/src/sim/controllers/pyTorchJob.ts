import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { GangMember, reconcileGang } from './gang';
import { countPods, hasCondition, podFromTemplate, PodTemplate, setCondition, setConditions } from './pods';

/** kubeflow.org/v1 PyTorchJob: Master and Worker replica specs become pods `<name>-master-0`, `<name>-worker-<i>`. */
export class PyTorchJobController extends Controller {
  readonly apiVersion = 'kubeflow.org/v1';
  readonly kind = 'PyTorchJob';

  protected reconcile(job: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const name = job.metadata.name!;
    const specs: Record<string, { replicas?: number; template?: PodTemplate }> = job.spec?.pytorchReplicaSpecs ?? {};
    const hasMaster = Boolean(specs.Master);
    const members: GangMember[] = [];
    for (const [replicaType, spec] of Object.entries(specs)) {
      const type = replicaType.toLowerCase();
      for (let i = 0; i < (spec.replicas ?? 1); i++) {
        const podName = `${name}-${type}-${i}`;
        members.push({
          name: podName,
          decides: hasMaster ? replicaType === 'Master' : true,
          build: () => {
            const pod = podFromTemplate(job, spec.template, {
              name: podName,
              labels: {
                'training.kubeflow.org/job-name': name,
                'training.kubeflow.org/operator-name': 'pytorchjob-controller',
                'training.kubeflow.org/replica-type': type,
                'training.kubeflow.org/replica-index': String(i),
                ...(replicaType === 'Master' ? { 'training.kubeflow.org/job-role': 'master' } : {}),
              },
            });
            pod.spec.restartPolicy = spec.template?.spec?.restartPolicy ?? 'Never';
            return pod;
          },
        });
      }
    }
    const conditionsIn = job.status?.conditions ?? [];
    const finished = hasCondition(conditionsIn, 'Succeeded') || hasCondition(conditionsIn, 'Failed');
    const suspended = Boolean(job.spec?.runPolicy?.suspend);
    const { phase, pods, failedPod } = reconcileGang(this.ctx, job, members, { suspended, finished });
    if (finished) return;

    let conditions = setCondition(
      conditionsIn,
      { type: 'Created', status: 'True', reason: 'PyTorchJobCreated', message: `PyTorchJob ${name} is created.` },
      now,
    );
    const status: Record<string, unknown> = { ...job.status };
    if (phase === 'Suspended') {
      conditions = setConditions(
        conditions,
        [
          ['Running', 'False'],
          ['Suspended', 'True'],
        ],
        'PyTorchJobSuspended',
        `PyTorchJob ${name} is suspended.`,
        now,
      );
      delete status.startTime;
    } else {
      if (hasCondition(conditions, 'Suspended')) {
        conditions = setCondition(
          conditions,
          {
            type: 'Suspended',
            status: 'False',
            reason: 'PyTorchJobResumed',
            message: `PyTorchJob ${name} is resumed.`,
          },
          now,
        );
      }
      status.startTime ??= now;
      if (phase === 'Running') {
        conditions = setCondition(
          conditions,
          { type: 'Running', status: 'True', reason: 'PyTorchJobRunning', message: `PyTorchJob ${name} is running.` },
          now,
        );
      } else if (phase === 'Succeeded') {
        conditions = setConditions(
          conditions,
          [
            ['Running', 'False'],
            ['Succeeded', 'True'],
          ],
          'PyTorchJobSucceeded',
          `PyTorchJob ${name} is successfully completed.`,
          now,
        );
        status.completionTime = now;
      } else if (phase === 'Failed') {
        const message = `PyTorchJob ${name} is failed because ${failedPod?.metadata.name} replica(s) failed.`;
        conditions = setConditions(
          conditions,
          [
            ['Running', 'False'],
            ['Failed', 'True'],
          ],
          'PyTorchJobFailed',
          message,
          now,
        );
        status.completionTime = now;
        this.ctx.events.record(job, 'Warning', 'PyTorchJobFailed', message, 'pytorchjob-controller');
      }
    }
    const replicaStatuses = Object.fromEntries(
      Object.keys(specs).map(replicaType => {
        const c = countPods(
          pods.filter(p => p.metadata.labels?.['training.kubeflow.org/replica-type'] === replicaType.toLowerCase()),
        );
        return [
          replicaType,
          {
            active: c.active,
            succeeded: c.succeeded,
            failed: c.failed,
            selector: `training.kubeflow.org/job-name=${name},training.kubeflow.org/replica-type=${replicaType.toLowerCase()}`,
          },
        ];
      }),
    );
    this.writeStatus(job, { ...status, conditions, replicaStatuses });
  }
}
