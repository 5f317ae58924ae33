import { createHash } from 'node:crypto';
import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { hasCondition, ownerReference, setCondition, simAnnotationsOf } from './pods';

const labelKeys = {
  name: 'jobset.sigs.k8s.io/jobset-name',
  uid: 'jobset.sigs.k8s.io/jobset-uid',
  replicatedJob: 'jobset.sigs.k8s.io/replicatedjob-name',
  restartAttempt: 'jobset.sigs.k8s.io/restart-attempt',
  replicatedJobReplicas: 'jobset.sigs.k8s.io/replicatedjob-replicas',
  globalReplicas: 'jobset.sigs.k8s.io/global-replicas',
  jobIndex: 'jobset.sigs.k8s.io/job-index',
  jobKey: 'jobset.sigs.k8s.io/job-key',
  jobGlobalIndex: 'jobset.sigs.k8s.io/job-global-index',
  groupName: 'jobset.sigs.k8s.io/group-name',
  groupReplicas: 'jobset.sigs.k8s.io/group-replicas',
  jobGroupIndex: 'jobset.sigs.k8s.io/job-group-index',
};

interface ReplicatedJob {
  name: string;
  groupName?: string;
  replicas?: number;
  template: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: Record<string, any>;
  };
}

const replicasOf = (rj: ReplicatedJob) => rj.replicas ?? 1;
const groupOf = (rj: ReplicatedJob) => rj.groupName ?? 'default';

/**
 * The labels JobSet's controller puts on a child Job and on its pod template
 * (and, with the same keys, annotations): the replicated job's own template
 * labels are kept, the JobSet's metadata labels are not.
 */
function jobSetChildLabels(jobSet: KubeObject, rj: ReplicatedJob, jobIndex: number): Record<string, string> {
  const all: ReplicatedJob[] = jobSet.spec?.replicatedJobs ?? [];
  const before = all.slice(0, all.indexOf(rj));
  const sameGroup = all.filter(r => groupOf(r) === groupOf(rj));
  const sum = (list: ReplicatedJob[]) => list.reduce((n, r) => n + replicasOf(r), 0);
  const jobName = `${jobSet.metadata.name}-${rj.name}-${jobIndex}`;
  return {
    [labelKeys.name]: jobSet.metadata.name!,
    [labelKeys.uid]: jobSet.metadata.uid!,
    [labelKeys.replicatedJob]: rj.name,
    [labelKeys.restartAttempt]: String(jobSet.status?.restarts ?? 0),
    [labelKeys.replicatedJobReplicas]: String(replicasOf(rj)),
    [labelKeys.globalReplicas]: String(sum(all)),
    [labelKeys.jobIndex]: String(jobIndex),
    [labelKeys.jobKey]: createHash('sha1').update(`${jobSet.metadata.namespace}/${jobName}`).digest('hex'),
    [labelKeys.jobGlobalIndex]: String(sum(before) + jobIndex),
    [labelKeys.groupName]: groupOf(rj),
    [labelKeys.groupReplicas]: String(sum(sameGroup)),
    [labelKeys.jobGroupIndex]: String(sum(sameGroup.slice(0, sameGroup.indexOf(rj))) + jobIndex),
  };
}

/** JobSet's MergeSlices: the first list, then the entries of the second it lacks. */
function mergeLists<T>(first: T[] | undefined, second: T[] | undefined): T[] | undefined {
  if (!first?.length) return second;
  const seen = new Set(first.map(x => JSON.stringify(x)));
  return [...first, ...(second ?? []).filter(x => !seen.has(JSON.stringify(x)))];
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
        const podTemplate = rj.template.spec?.template ?? {};
        for (let i = 0; i < replicasOf(rj); i++) {
          const jobName = `${name}-${rj.name}-${i}`;
          const existing = byName.get(jobName);
          if (existing) {
            if (Boolean(existing.spec?.suspend) !== suspend) {
              // On resume JobSet merges the replicated job's pod template, as it is now, into the
              // child Job's, so node selectors and tolerations injected at admission reach the pods.
              const template = existing.spec?.template ?? {};
              const resumedTemplate = suspend
                ? template
                : {
                    ...template,
                    metadata: {
                      ...template.metadata,
                      labels: { ...template.metadata?.labels, ...podTemplate.metadata?.labels },
                      annotations: { ...template.metadata?.annotations, ...podTemplate.metadata?.annotations },
                    },
                    spec: {
                      ...template.spec,
                      nodeSelector: { ...template.spec?.nodeSelector, ...podTemplate.spec?.nodeSelector },
                      tolerations: mergeLists(template.spec?.tolerations, podTemplate.spec?.tolerations),
                      schedulingGates: mergeLists(template.spec?.schedulingGates, podTemplate.spec?.schedulingGates),
                    },
                  };
              this.writeSpec(jobType, existing, { ...existing.spec, suspend, template: resumedTemplate });
            }
            continue;
          }
          const labels = jobSetChildLabels(jobSet, rj, i);
          const job: KubeObject = {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: jobName,
              namespace: jobSet.metadata.namespace,
              labels: { ...rj.template.metadata?.labels, ...labels },
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
      const ended = (j: KubeObject) =>
        hasCondition(j.status?.conditions, 'Complete') || hasCondition(j.status?.conditions, 'Failed');
      const running = mine.filter(j => !ended(j));
      // As JobSet counts it: a running Job is ready when its ready and succeeded pods cover its pods.
      const podsOf = (j: KubeObject): number => Math.min(j.spec?.parallelism ?? 1, j.spec?.completions ?? Infinity);
      return {
        name: rj.name,
        ready: running.filter(j => (j.status?.ready ?? 0) + (j.status?.succeeded ?? 0) >= podsOf(j)).length,
        succeeded: mine.filter(j => hasCondition(j.status?.conditions, 'Complete')).length,
        failed: mine.filter(j => hasCondition(j.status?.conditions, 'Failed')).length,
        active: running.filter(j => (j.status?.active ?? 0) > 0).length,
        suspended: running.filter(j => j.spec?.suspend).length,
      };
    });
    const expected = replicatedJobs.reduce((n, rj) => n + replicasOf(rj), 0);
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
