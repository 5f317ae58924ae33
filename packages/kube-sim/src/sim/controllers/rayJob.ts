import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { hasCondition, ownerReference, randomSuffix, simAnnotationsOf } from './pods';

const originLabels = (job: KubeObject) => ({
  'ray.io/originated-from-cr-name': job.metadata.name!,
  'ray.io/originated-from-crd': 'RayJob',
});

const terminal = ['Complete', 'Failed'];

/**
 * ray.io/v1 RayJob in K8sJobMode, as KubeRay runs it: a RayCluster
 * `<name>-<suffix>` it owns (labelled with the RayJob's labels), then, once
 * the cluster is ready, a submitter Job of the RayJob's name whose pod stands
 * for `ray job submit --wait`: the Ray job runs while that pod runs and ends
 * as it ends. Suspending deletes the cluster and the submitter; resuming
 * builds a new cluster from the spec as it is then.
 */
export class RayJobController extends Controller {
  readonly apiVersion = 'ray.io/v1';
  readonly kind = 'RayJob';

  protected reconcile(job: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const clusterType = this.store.typeFor('ray.io/v1', 'RayCluster');
    const jobType = this.store.typeFor('batch/v1', 'Job');
    const clusters = this.ctx.children.of(job.metadata.uid, 'RayCluster');
    const submitter = this.ctx.children.of(job.metadata.uid, 'Job')[0];
    const deployment: string | undefined = job.status?.jobDeploymentStatus;
    const remove = (type: typeof jobType, objects: KubeObject[]) => {
      for (const o of objects) this.store.delete(type, o.metadata.namespace, o.metadata.name!);
    };

    if (deployment && terminal.includes(deployment)) {
      if (job.spec?.shutdownAfterJobFinishes) remove(clusterType, clusters);
      return;
    }

    if (job.spec?.suspend) {
      remove(clusterType, clusters);
      remove(jobType, submitter ? [submitter] : []);
      this.writeStatus(job, {
        ...job.status,
        jobDeploymentStatus: 'Suspended',
        jobStatus: '',
        rayClusterName: '',
        jobId: '',
        dashboardURL: '',
        message: '',
        rayClusterStatus: {},
        startTime: undefined,
      });
      return;
    }

    const status: Record<string, any> = { ...job.status };
    if (!status.rayClusterName || !status.jobId) {
      status.rayClusterName = clusters[0]?.metadata.name ?? `${job.metadata.name}-${randomSuffix(this.ctx.random)}`;
      status.jobId = `${job.metadata.name}-${randomSuffix(this.ctx.random)}`;
      status.jobStatus = '';
      status.jobDeploymentStatus = 'Initializing';
      status.startTime = now;
    }
    const clusterName: string = status.rayClusterName;
    const cluster =
      clusters.find(c => c.metadata.name === clusterName) ??
      this.store.create(clusterType, {
        apiVersion: 'ray.io/v1',
        kind: 'RayCluster',
        metadata: {
          name: clusterName,
          namespace: job.metadata.namespace,
          labels: { ...job.metadata.labels, ...originLabels(job), 'ray.io/job-submission-mode': 'K8sJobMode' },
          annotations: { ...job.metadata.annotations },
          ownerReferences: [ownerReference(job)],
        },
        spec: structuredClone(job.spec?.rayClusterSpec ?? {}),
      });
    status.rayClusterStatus = cluster.status ?? {};
    const dashboard = `${clusterName}-head-svc.${job.metadata.namespace}.svc.cluster.local:8265`;

    if (!submitter) {
      if (cluster.status?.state !== 'ready') {
        status.jobDeploymentStatus = 'Initializing';
        this.writeStatus(job, status);
        return;
      }
      status.dashboardURL = dashboard;
      this.store.create(jobType, this.submitterJob(job, status.jobId, dashboard));
      status.jobDeploymentStatus = 'Running';
      status.jobStatus = 'PENDING';
      this.writeStatus(job, status);
      return;
    }

    status.jobDeploymentStatus = 'Running';
    const pods = this.ctx.children.of(submitter.metadata.uid, 'Pod');
    if (pods.some(p => p.status?.phase === 'Failed') || hasCondition(submitter.status?.conditions, 'Failed')) {
      Object.assign(status, {
        jobDeploymentStatus: 'Failed',
        jobStatus: 'FAILED',
        endTime: now,
        reason: 'AppFailed',
        message: 'Job entrypoint command failed.',
      });
      if (job.spec?.shutdownAfterJobFinishes) remove(clusterType, [cluster]);
    } else if (
      pods.some(p => p.status?.phase === 'Succeeded') ||
      hasCondition(submitter.status?.conditions, 'Complete')
    ) {
      Object.assign(status, {
        jobDeploymentStatus: 'Complete',
        jobStatus: 'SUCCEEDED',
        endTime: now,
        message: 'Job finished successfully.',
      });
      if (job.spec?.shutdownAfterJobFinishes) remove(clusterType, [cluster]);
    } else {
      status.jobStatus = pods.some(p => p.status?.phase === 'Running') ? 'RUNNING' : 'PENDING';
    }
    this.writeStatus(job, status);
  }

  private submitterJob(job: KubeObject, jobId: string, dashboard: string): KubeObject {
    const head = job.spec?.rayClusterSpec?.headGroupSpec?.template?.spec?.containers?.[0];
    const entrypoint = String(job.spec?.entrypoint ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const template = job.spec?.submitterPodTemplate ?? {
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'ray-job-submitter',
            image: head?.image ?? 'rayproject/ray:2.40.0',
            command: ['ray', 'job', 'submit', '--address', `http://${dashboard}`, '--submission-id', jobId, '--'],
            args: entrypoint,
            resources: { requests: { cpu: '500m', memory: '200Mi' }, limits: { cpu: '1', memory: '1Gi' } },
          },
        ],
      },
    };
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: job.metadata.name,
        namespace: job.metadata.namespace,
        labels: { ...originLabels(job), 'app.kubernetes.io/created-by': 'kuberay-operator' },
        ownerReferences: [ownerReference(job)],
      },
      spec: {
        backoffLimit: job.spec?.submitterConfig?.backoffLimit ?? 2,
        template: {
          ...template,
          metadata: {
            ...template.metadata,
            annotations: { ...simAnnotationsOf(job), ...template.metadata?.annotations },
          },
        },
      },
    };
  }
}
