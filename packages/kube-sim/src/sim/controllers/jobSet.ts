import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { hasCondition, ownerReference, setCondition, simAnnotationsOf } from './pods';

const labelKeys = {
  name: 'jobset.sigs.k8s.io/jobset-name',
  replicatedJob: 'jobset.sigs.k8s.io/replicatedjob-name',
  jobIndex: 'jobset.sigs.k8s.io/job-index',
  replicatedJobReplicas: 'jobset.sigs.k8s.io/replicatedjob-replicas',
};

interface ReplicatedJob {
  name: string;
  replicas?: number;
  template: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: Record<string, any>;
  };
}

/** jobset.x-k8s.io/v1alpha2 JobSet: one child Job per replicated job replica; suspend propagates both ways. */
export class JobSetController extends Controller {
  readonly apiVersion = 'jobset.x-k8s.io/v1alpha2';
  readonly kind = 'JobSet';

  protected reconcile(jobSet: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const jobType = this.store.typeFor('batch/v1', 'Job');
    const name = jobSet.metadata.name!;
    const suspend = Boolean(jobSet.spec?.suspend);
    const replicatedJobs: ReplicatedJob[] = jobSet.spec?.replicatedJobs ?? [];
    const jobs = this.ctx.children.of(jobSet.metadata.uid, 'Job');
    const byName = new Map(jobs.map(j => [j.metadata.name!, j]));
    const finished =
      hasCondition(jobSet.status?.conditions, 'Completed') || hasCondition(jobSet.status?.conditions, 'Failed');

    if (!finished) {
      for (const rj of replicatedJobs) {
        for (let i = 0; i < (rj.replicas ?? 1); i++) {
          const jobName = `${name}-${rj.name}-${i}`;
          const existing = byName.get(jobName);
          if (existing) {
            if (Boolean(existing.spec?.suspend) !== suspend) {
              // On resume the child Job takes the pod template as the JobSet has it now, so node
              // selectors an admission controller injected while suspended reach the pods.
              const podSpec = rj.template.spec?.template?.spec ?? {};
              const template = existing.spec?.template ?? {};
              const resumedTemplate = suspend
                ? template
                : {
                    ...template,
                    spec: {
                      ...template.spec,
                      nodeSelector: podSpec.nodeSelector,
                      tolerations: podSpec.tolerations,
                      affinity: podSpec.affinity,
                    },
                  };
              this.writeSpec(jobType, existing, { ...existing.spec, suspend, template: resumedTemplate });
            }
            continue;
          }
          const labels = {
            [labelKeys.name]: name,
            [labelKeys.replicatedJob]: rj.name,
            [labelKeys.jobIndex]: String(i),
            [labelKeys.replicatedJobReplicas]: String(rj.replicas ?? 1),
          };
          const podTemplate = rj.template.spec?.template ?? {};
          const job: KubeObject = {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: jobName,
              namespace: jobSet.metadata.namespace,
              labels: { ...jobSet.metadata.labels, ...rj.template.metadata?.labels, ...labels },
              annotations: { ...simAnnotationsOf(jobSet), ...rj.template.metadata?.annotations, ...labels },
              ownerReferences: [ownerReference(jobSet)],
            },
            spec: {
              completionMode: 'Indexed',
              ...structuredClone(rj.template.spec ?? {}),
              suspend,
              template: {
                ...podTemplate,
                metadata: {
                  ...podTemplate.metadata,
                  labels: { ...podTemplate.metadata?.labels, ...labels },
                  annotations: { ...simAnnotationsOf(jobSet), ...podTemplate.metadata?.annotations, ...labels },
                },
              },
            },
          };
          this.store.create(jobType, job);
          byName.set(jobName, job);
        }
      }
    }

    const current = [...byName.values()];
    const replicatedJobsStatus = replicatedJobs.map(rj => {
      const mine = current.filter(j => j.metadata.labels?.[labelKeys.replicatedJob] === rj.name);
      return {
        name: rj.name,
        ready: mine.filter(j => (j.status?.ready ?? 0) > 0 && (j.status?.ready ?? 0) >= (j.status?.active ?? 0)).length,
        succeeded: mine.filter(j => hasCondition(j.status?.conditions, 'Complete')).length,
        failed: mine.filter(j => hasCondition(j.status?.conditions, 'Failed')).length,
        active: mine.filter(j => (j.status?.active ?? 0) > 0).length,
        suspended: mine.filter(j => j.spec?.suspend).length,
      };
    });
    const expected = replicatedJobs.reduce((n, rj) => n + (rj.replicas ?? 1), 0);
    const succeeded = replicatedJobsStatus.reduce((n, s) => n + s.succeeded, 0);
    const failedJob = current.find(j => hasCondition(j.status?.conditions, 'Failed'));

    let conditions = jobSet.status?.conditions ?? [];
    const status: Record<string, unknown> = {
      ...jobSet.status,
      replicatedJobsStatus,
      restarts: jobSet.status?.restarts ?? 0,
    };
    if (!finished && failedJob) {
      conditions = setCondition(
        conditions,
        {
          type: 'Failed',
          status: 'True',
          reason: 'FailedJobs',
          message: `jobset failed due to job ${failedJob.metadata.name} failing`,
        },
        now,
      );
      status.terminalState = 'Failed';
      // The other jobs of a failed gang are stopped, as JobSet's failure policy does.
      for (const j of current) {
        if (
          j !== failedJob &&
          !hasCondition(j.status?.conditions, 'Complete') &&
          !hasCondition(j.status?.conditions, 'Failed')
        ) {
          this.store.delete(jobType, j.metadata.namespace, j.metadata.name!);
        }
      }
      this.ctx.events.record(
        jobSet,
        'Warning',
        'FailedJobs',
        `jobset failed due to job ${failedJob.metadata.name} failing`,
        'jobset-controller',
      );
    } else if (!finished && expected > 0 && succeeded >= expected) {
      conditions = setCondition(
        conditions,
        { type: 'Completed', status: 'True', reason: 'AllJobsCompleted', message: 'jobset completed successfully' },
        now,
      );
      status.terminalState = 'Completed';
      this.ctx.events.record(
        jobSet,
        'Normal',
        'AllJobsCompleted',
        'jobset completed successfully',
        'jobset-controller',
      );
    }
    if (!finished) {
      conditions = setCondition(
        conditions,
        suspend
          ? { type: 'Suspended', status: 'True', reason: 'SuspendedJobs', message: 'jobset is suspended' }
          : { type: 'Suspended', status: 'False', reason: 'ResumeJobs', message: 'jobset is resumed' },
        now,
      );
    }
    this.writeStatus(jobSet, { ...status, conditions });
  }
}
