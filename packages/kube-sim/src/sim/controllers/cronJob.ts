import { KubeObject } from '../../store/types';
import { SimTimer } from '../clock';
import { Controller } from './controller';
import { nextScheduleTime, parseCronSchedule, rfc3339In } from './cronSchedule';
import { hasCondition, ownerReference, simAnnotationsOf } from './pods';

const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const finished = (job: KubeObject) =>
  hasCondition(job.status?.conditions, 'Complete') || hasCondition(job.status?.conditions, 'Failed');
/** When a Job ended, for ordering history. */
const finishedAt = (job: KubeObject) =>
  Date.parse(
    job.status?.completionTime ??
      job.status?.conditions?.find((c: { type: string }) => c.type === 'Failed')?.lastTransitionTime ??
      job.metadata.creationTimestamp ??
      '',
  ) || 0;

/**
 * batch/v1 CronJob, as kube-controller-manager's CronJob controller runs it:
 * at each scheduled time a Job `<name>-<minutes since epoch>` it owns, with
 * the job template's labels and annotations (plus the scheduled time), under
 * the concurrency policy; only the latest missed time runs, within
 * startingDeadlineSeconds; finished Jobs beyond the history limits go.
 */
export class CronJobController extends Controller {
  readonly apiVersion = 'batch/v1';
  readonly kind = 'CronJob';
  private readonly timers = new Map<string, SimTimer>();
  /** Simulated time each CronJob was first seen, since creationTimestamp is written on the host's clock. */
  private readonly firstSeen = new Map<string, number>();

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    super.stop();
  }

  private wakeAt(cronJob: KubeObject, at: number | undefined): void {
    const key = `${cronJob.metadata.namespace}/${cronJob.metadata.name}`;
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    if (at === undefined) return;
    const { namespace, name } = cronJob.metadata;
    this.timers.set(
      key,
      this.ctx.clock.setTimeout(() => this.enqueue(namespace, name!), Math.max(0, at - this.ctx.clock.now())),
    );
  }

  protected reconcile(cronJob: KubeObject): void {
    const now = this.ctx.clock.now();
    const jobType = this.store.typeFor('batch/v1', 'Job');
    const uid = cronJob.metadata.uid!;
    if (!this.firstSeen.has(uid)) this.firstSeen.set(uid, now);
    const jobs = this.ctx.children.of(uid, 'Job');
    const active = jobs.filter(j => !finished(j));
    const status: Record<string, unknown> = { ...cronJob.status };
    const lastSucceeded = jobs
      .filter(j => hasCondition(j.status?.conditions, 'Complete'))
      .map(finishedAt)
      .sort((a, b) => b - a)[0];
    if (lastSucceeded) status.lastSuccessfulTime = rfc3339In(lastSucceeded, 'UTC');

    const zone: string = cronJob.spec?.timeZone ?? 'UTC';
    let schedule;
    try {
      schedule = parseCronSchedule(String(cronJob.spec?.schedule ?? ''));
      nextScheduleTime(schedule, now, zone);
    } catch (e) {
      const reason = e instanceof RangeError ? 'UnknownTimeZone' : 'UnparseableSchedule';
      this.ctx.events.record(cronJob, 'Warning', reason, (e as Error).message, 'cronjob-controller');
      this.writeStatus(cronJob, this.withActive(status, active));
      return;
    }

    if (!cronJob.spec?.suspend) {
      const lastSchedule = status.lastScheduleTime ? Date.parse(status.lastScheduleTime as string) : undefined;
      let earliest = lastSchedule ?? this.firstSeen.get(uid)!;
      const deadline = cronJob.spec?.startingDeadlineSeconds;
      if (deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
      let due: number | undefined;
      for (let t = nextScheduleTime(schedule, earliest, zone); t !== undefined && t <= now; ) {
        due = t;
        t = nextScheduleTime(schedule, t, zone);
      }
      const policy = cronJob.spec?.concurrencyPolicy ?? 'Allow';
      const name = due === undefined ? undefined : `${cronJob.metadata.name}-${Math.floor(due / 60_000)}`;
      if (due !== undefined && name && !jobs.some(j => j.metadata.name === name)) {
        if (policy === 'Forbid' && active.length > 0) {
          // Kubernetes skips this time and tries again at the next one.
        } else {
          if (policy === 'Replace') {
            for (const j of active) this.store.delete(jobType, j.metadata.namespace, j.metadata.name!);
            active.length = 0;
          }
          active.push(this.store.create(jobType, this.jobFor(cronJob, name, due, zone)));
          status.lastScheduleTime = rfc3339In(due, 'UTC');
          this.ctx.events.record(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${name}`, 'cronjob-controller');
        }
      }
    }

    this.pruneHistory(cronJob, jobs);
    this.writeStatus(cronJob, this.withActive(status, active));
    this.wakeAt(cronJob, cronJob.spec?.suspend ? undefined : nextScheduleTime(schedule, now, zone));
  }

  private withActive(status: Record<string, unknown>, active: KubeObject[]): Record<string, unknown> {
    const next = { ...status };
    if (active.length) {
      next.active = active.map(j => ({
        apiVersion: 'batch/v1',
        kind: 'Job',
        namespace: j.metadata.namespace,
        name: j.metadata.name,
        uid: j.metadata.uid,
      }));
    } else delete next.active;
    return next;
  }

  private jobFor(cronJob: KubeObject, name: string, scheduled: number, zone: string): KubeObject {
    const template = cronJob.spec?.jobTemplate ?? {};
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cronJob.metadata.namespace,
        labels: { ...template.metadata?.labels },
        annotations: {
          ...simAnnotationsOf(cronJob),
          ...template.metadata?.annotations,
          [scheduledTimestampAnnotation]: rfc3339In(scheduled, zone),
        },
        ownerReferences: [ownerReference(cronJob)],
      },
      spec: structuredClone(template.spec ?? {}),
    };
  }

  private pruneHistory(cronJob: KubeObject, jobs: KubeObject[]): void {
    const jobType = this.store.typeFor('batch/v1', 'Job');
    const limits = [
      { condition: 'Complete', keep: cronJob.spec?.successfulJobsHistoryLimit ?? 3 },
      { condition: 'Failed', keep: cronJob.spec?.failedJobsHistoryLimit ?? 1 },
    ];
    for (const { condition, keep } of limits) {
      const ended = jobs
        .filter(j => hasCondition(j.status?.conditions, condition))
        .sort((a, b) => finishedAt(b) - finishedAt(a));
      for (const old of ended.slice(keep)) this.store.delete(jobType, old.metadata.namespace, old.metadata.name!);
    }
  }
}
