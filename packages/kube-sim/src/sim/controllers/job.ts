import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import {
  Condition,
  countPods,
  deleteActive,
  hasCondition,
  isActive,
  podFromTemplate,
  randomSuffix,
  setCondition,
  setConditions,
} from './pods';

/** batch/v1 Job: parallelism, completions, backoffLimit, Indexed completion and suspend. */
export class JobController extends Controller {
  readonly apiVersion = 'batch/v1';
  readonly kind = 'Job';

  protected reconcile(job: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const pods = this.ctx.children.of(job.metadata.uid, 'Pod');
    const counts = countPods(pods);
    let conditions: Condition[] = job.status?.conditions ?? [];
    const status: Record<string, unknown> = { ...job.status };
    /** The status of a Job whose pods all stopped (suspended, failed or complete). */
    const stopped = (extra: Record<string, unknown> = {}) =>
      this.writeStatus(job, {
        ...status,
        conditions,
        active: 0,
        ready: 0,
        succeeded: counts.succeeded,
        failed: counts.failed,
        ...extra,
      });

    if (hasCondition(conditions, 'Complete') || hasCondition(conditions, 'Failed')) {
      deleteActive(this.store, pods);
      return;
    }

    if (job.spec?.suspend) {
      deleteActive(this.store, pods);
      conditions = setCondition(
        conditions,
        { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' },
        now,
      );
      if (counts.active > 0) this.ctx.events.record(job, 'Normal', 'Suspended', 'Job suspended', 'job-controller');
      stopped({ terminating: 0 });
      return;
    }

    if (hasCondition(conditions, 'Suspended')) {
      conditions = setCondition(
        conditions,
        { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' },
        now,
      );
      status.startTime = now; // Kubernetes restarts the clock of a resumed Job
      this.ctx.events.record(job, 'Normal', 'Resumed', 'Job resumed', 'job-controller');
    }
    status.startTime ??= now;

    const parallelism: number = job.spec?.parallelism ?? 1;
    const completions: number = job.spec?.completions ?? parallelism;
    const backoffLimit: number = job.spec?.backoffLimit ?? 6;

    if (counts.failed > backoffLimit) {
      deleteActive(this.store, pods);
      conditions = setConditions(
        conditions,
        [
          ['FailureTarget', 'True'],
          ['Failed', 'True'],
        ],
        'BackoffLimitExceeded',
        'Job has reached the specified backoff limit',
        now,
      );
      this.ctx.events.record(
        job,
        'Warning',
        'BackoffLimitExceeded',
        'Job has reached the specified backoff limit',
        'job-controller',
      );
      stopped();
      return;
    }
    if (counts.succeeded >= completions) {
      conditions = setConditions(
        conditions,
        [
          ['SuccessCriteriaMet', 'True'],
          ['Complete', 'True'],
        ],
        'CompletionsReached',
        'Reached expected number of succeeded pods',
        now,
      );
      this.ctx.events.record(job, 'Normal', 'Completed', 'Job completed', 'job-controller');
      stopped({ completionTime: now });
      return;
    }

    const indexed = job.spec?.completionMode === 'Indexed';
    const wanted = Math.min(parallelism, completions - counts.succeeded) - counts.active;
    const podType = this.store.typeFor('v1', 'Pod');
    const indexOf = (p: KubeObject) => Number(p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']);
    const taken = new Set(pods.filter(p => isActive(p) || p.status?.phase === 'Succeeded').map(indexOf));
    let nextIndex = 0;
    for (let i = 0; i < wanted; i++) {
      const labels: Record<string, string> = {
        'job-name': job.metadata.name!,
        'batch.kubernetes.io/job-name': job.metadata.name!,
        'controller-uid': job.metadata.uid!,
        'batch.kubernetes.io/controller-uid': job.metadata.uid!,
      };
      const annotations: Record<string, string> = {};
      let generateName = `${job.metadata.name}-`;
      if (indexed) {
        while (taken.has(nextIndex)) nextIndex++;
        taken.add(nextIndex);
        labels['batch.kubernetes.io/job-completion-index'] = String(nextIndex);
        annotations['batch.kubernetes.io/job-completion-index'] = String(nextIndex);
        generateName = `${job.metadata.name}-${nextIndex}-`;
      }
      const pod = podFromTemplate(job, job.spec?.template, { generateName, labels, annotations });
      pod.metadata.name = `${generateName}${randomSuffix(this.ctx.random)}`;
      delete pod.metadata.generateName;
      pod.spec.restartPolicy = job.spec?.template?.spec?.restartPolicy ?? 'Never';
      this.store.create(podType, pod);
    }
    if (wanted < 0) {
      // Parallelism went down: as Kubernetes' job controller, remove the excess, pods not yet started and the
      // most recently started first (the store's creation times are wall-clock seconds, so they can tie).
      const age = (p: KubeObject) => `${p.status?.startTime ?? '~'} ${p.metadata.creationTimestamp}`;
      const newest = pods.filter(isActive).sort((a, b) => Number(age(a) < age(b)) - Number(age(a) > age(b)));
      deleteActive(this.store, newest.slice(0, -wanted));
    }
    const active = counts.active + wanted;
    this.writeStatus(job, {
      ...status,
      conditions: conditions.length ? conditions : undefined,
      active,
      ready: counts.ready,
      succeeded: counts.succeeded,
      failed: counts.failed,
      terminating: 0,
    });
  }
}
