import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { GangMember, reconcileGang } from './gang';
import { podFromTemplate, PodTemplate } from './pods';

/**
 * ray.io/v1 RayJob: a head pod and worker group pods, owned by the RayJob
 * (kube-sim does not serve RayCluster). The job's run is the head pod's run;
 * workers serve until the job ends.
 */
export class RayJobController extends Controller {
  readonly apiVersion = 'ray.io/v1';
  readonly kind = 'RayJob';

  protected reconcile(job: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const name = job.metadata.name!;
    const clusterName = `${name}-raycluster`;
    const clusterSpec = job.spec?.rayClusterSpec ?? {};
    const rayLabels = (nodeType: string, group: string) => ({
      'ray.io/cluster': clusterName,
      'ray.io/node-type': nodeType,
      'ray.io/group': group,
      'ray.io/is-ray-node': 'yes',
      'ray.io/originated-from-crd': 'RayJob',
      'ray.io/originated-from-cr-name': name,
    });
    const members: GangMember[] = [
      {
        name: `${clusterName}-head`,
        decides: true,
        build: () =>
          podFromTemplate(job, clusterSpec.headGroupSpec?.template as PodTemplate, {
            name: `${clusterName}-head`,
            labels: rayLabels('head', 'headgroup'),
          }),
      },
    ];
    for (const group of (clusterSpec.workerGroupSpecs ?? []) as Array<{
      groupName: string;
      replicas?: number;
      minReplicas?: number;
      template?: PodTemplate;
    }>) {
      const replicas = group.replicas ?? group.minReplicas ?? 1;
      for (let i = 0; i < replicas; i++) {
        const podName = `${clusterName}-${group.groupName}-worker-${i}`;
        members.push({
          name: podName,
          decides: false,
          build: () =>
            podFromTemplate(job, group.template, {
              name: podName,
              labels: rayLabels('worker', group.groupName),
              keepRunning: true,
            }),
        });
      }
    }
    const deployment = job.status?.jobDeploymentStatus;
    const finished = deployment === 'Complete' || deployment === 'Failed';
    const { phase } = reconcileGang(this.ctx, job, members, { suspended: Boolean(job.spec?.suspend), finished });
    if (finished) return;
    const status: Record<string, unknown> = {
      ...job.status,
      rayClusterName: clusterName,
      jobId: job.status?.jobId ?? `${name}-${job.metadata.uid?.slice(0, 8)}`,
    };
    switch (phase) {
      case 'Suspended':
        Object.assign(status, { jobDeploymentStatus: 'Suspended', jobStatus: '' });
        delete status.startTime;
        break;
      case 'Pending':
        Object.assign(status, {
          jobDeploymentStatus: 'Initializing',
          jobStatus: 'PENDING',
          startTime: job.status?.startTime ?? now,
        });
        break;
      case 'Running':
        Object.assign(status, {
          jobDeploymentStatus: 'Running',
          jobStatus: 'RUNNING',
          startTime: job.status?.startTime ?? now,
        });
        break;
      case 'Succeeded':
        Object.assign(status, {
          jobDeploymentStatus: 'Complete',
          jobStatus: 'SUCCEEDED',
          endTime: now,
          message: 'Job finished successfully.',
        });
        break;
      default:
        Object.assign(status, {
          jobDeploymentStatus: 'Failed',
          jobStatus: 'FAILED',
          endTime: now,
          reason: 'AppFailed',
          message: 'Job entrypoint command failed.',
        });
    }
    this.writeStatus(job, status);
  }
}
