import {
  type WorkloadObject,
  at,
  conditionOutcome,
  defineAdapter,
  fieldSuspension,
  type PodSpecLike,
  type PodSlot,
} from '@ai-platform/backstage-plugin-ai-platform-node';
import { readAdmission } from '../admissionAnnotation';

interface JobSpec {
  parallelism?: number;
  completions?: number;
  template?: { spec?: PodSpecLike };
}

function jobSlot(name: string, spec: JobSpec, multiplier = 1): PodSlot {
  const spec2 = spec.template?.spec;
  if (!spec2) throw new Error(`pod set ${name} has no pod template (spec.template.spec)`);
  return { name, count: (spec.parallelism ?? 1) * multiplier, spec: spec2 };
}

/** Kueue's annotation allowing a Job to start with fewer pods (partial admission). */
export const minParallelismAnnotation = 'kueue.x-k8s.io/job-min-parallelism';

function jobSlots(obj: WorkloadObject): PodSlot[] {
  const spec = (obj.spec ?? {}) as JobSpec;
  const slot = jobSlot('main', spec);
  const min = Number(obj.metadata.annotations?.[minParallelismAnnotation]);
  if (Number.isInteger(min) && min > 0 && min < slot.count) {
    slot.minCount = min;
    slot.resize = count => {
      spec.parallelism = count;
    };
  }
  return [slot];
}

/** Kueue's annotation marking a Job elastic (ElasticJobsViaWorkloadSlices): its parallelism may change while it runs. */
export const elasticJobAnnotation = 'kueue.x-k8s.io/elastic-job';
/** Kueue's scheduling gate on an elastic Job's pods, lifted for as many pods as its admission covers. */
export const elasticJobSchedulingGate = 'kueue.x-k8s.io/elastic-job';

export function isElasticJob(obj: WorkloadObject): boolean {
  return (
    obj.apiVersion === 'batch/v1' && obj.kind === 'Job' && obj.metadata.annotations?.[elasticJobAnnotation] === 'true'
  );
}

/** Puts Kueue's elastic-job scheduling gate on the Job's pod template, so pods beyond its admission wait unscheduled. */
export function withElasticGate(obj: WorkloadObject): WorkloadObject {
  const spec = at<{ schedulingGates?: Array<{ name: string }> }>(obj, 'spec', 'template', 'spec');
  if (spec && !spec.schedulingGates?.some(g => g.name === elasticJobSchedulingGate))
    spec.schedulingGates = [...(spec.schedulingGates ?? []), { name: elasticJobSchedulingGate }];
  return obj;
}

/** batch/v1 Job: one gang of `parallelism` pods; with kueue.x-k8s.io/job-min-parallelism it may start with fewer. */
export const jobAdapter = defineAdapter({
  apiVersion: 'batch/v1',
  kind: 'Job',
  plural: 'jobs',
  entityType: 'batch-job',
  slots: jobSlots,
  suspension: fieldSuspension('spec', 'suspend'),
  outcome: obj => conditionOutcome(obj, 'Complete'),
  podsReady: obj =>
    (at<number>(obj, 'status', 'ready') ?? 0) + (at<number>(obj, 'status', 'succeeded') ?? 0) >= podsWanted(obj),
});

/** The pods a Job needs ready: its parallelism, or for an elastic Job waiting to grow, what its admission covers. */
function podsWanted(obj: WorkloadObject): number {
  const parallelism = at<number>(obj, 'spec', 'parallelism') ?? 1;
  const admitted = isElasticJob(obj) ? readAdmission(obj)?.podSets[0]?.count : undefined;
  return Math.min(parallelism, admitted ?? parallelism);
}

interface ReplicatedJob {
  name: string;
  replicas?: number;
  template?: { spec?: JobSpec };
}

function replicatedJobs(obj: WorkloadObject): ReplicatedJob[] {
  return at<ReplicatedJob[]>(obj, 'spec', 'replicatedJobs') ?? [];
}

/** jobset.x-k8s.io JobSet: one pod set per replicated job, all admitted together. */
export const jobSetAdapter = defineAdapter({
  apiVersion: 'jobset.x-k8s.io/v1alpha2',
  kind: 'JobSet',
  plural: 'jobsets',
  entityType: 'training-job',
  slots: obj => replicatedJobs(obj).map(rj => jobSlot(rj.name, rj.template?.spec ?? {}, rj.replicas ?? 1)),
  suspension: fieldSuspension('spec', 'suspend'),
  outcome: obj => conditionOutcome(obj, 'Completed'),
  podsReady: obj => {
    const statuses =
      at<Array<{ name: string; ready?: number; succeeded?: number }>>(obj, 'status', 'replicatedJobsStatus') ?? [];
    return replicatedJobs(obj).every(rj => {
      const s = statuses.find(x => x.name === rj.name);
      return (s?.ready ?? 0) + (s?.succeeded ?? 0) >= (rj.replicas ?? 1);
    });
  },
});
