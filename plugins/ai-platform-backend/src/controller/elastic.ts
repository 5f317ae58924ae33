import type { KubernetesObject } from '@kubernetes/client-node';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { Admission, Engine, ResizeOutcome, Workload } from '@ai-platform/scheduler';
import type { ClusterClient } from '../clusters/ClusterClient';
import { controllerOwner } from '../workloads/ownership';
import type { TrackedWorkload } from './trackedWorkload';
import { elasticJobSchedulingGate, isElasticJob } from '../workloads/adapters/batch';

type Gates = Array<{ name: string }>;
type Pod = KubernetesObject & { spec?: { schedulingGates?: Gates }; status?: { phase?: string } };

const countsOf = (podSets: Array<{ name: string; count: number }>) =>
  Object.fromEntries(podSets.map(ps => [ps.name, ps.count]));

/** The object is an elastic Job and the engine has Kueue's ElasticJobsViaWorkloadSlices on; otherwise it is a plain Job. */
export function elasticIn(engine: Engine, obj: WorkloadObject): boolean {
  return isElasticJob(obj) && engine.options.featureGates?.ElasticJobsViaWorkloadSlices !== false;
}

/**
 * Brings an admitted elastic workload's size in the engine in line with its
 * object: the counts the object asks for against the slice waiting, or else
 * the admission. A shrink frees quota now; a grow queues a workload slice.
 */
export function resizeElastic(engine: Engine, key: string, workload: Workload): ResizeOutcome {
  const state = engine.get(key);
  if (state?.status !== 'admitted') return 'Unchanged';
  const wanted = countsOf(workload.podSets);
  const slice = engine.pendingSlice(key);
  const current = countsOf(slice ? slice.workload.podSets : state.admission!.podSets);
  if (JSON.stringify(wanted) === JSON.stringify(current)) return 'Unchanged';
  return engine.resize(key, wanted);
}

export function isGated(pod: Pod): boolean {
  return pod.spec?.schedulingGates?.some(g => g.name === elasticJobSchedulingGate) ?? false;
}

/**
 * Lifts the elastic-job scheduling gate from as many of the Job's pods as its
 * admission covers (the oldest first), as Kueue does once a slice is
 * admitted; the others stay gated, unscheduled, until a slice admits them.
 */
export async function liftElasticGates(
  client: ClusterClient,
  job: WorkloadObject,
  pods: readonly KubernetesObject[],
  admitted: number,
) {
  const own = (pods as readonly Pod[]).filter(
    p =>
      controllerOwner(p as never)?.uid === job.metadata.uid &&
      !p.metadata?.deletionTimestamp &&
      p.status?.phase !== 'Succeeded' &&
      p.status?.phase !== 'Failed',
  );
  const open = own.filter(p => !isGated(p)).length;
  const created = (p: Pod) => String(p.metadata?.creationTimestamp);
  const waiting = own.filter(isGated).sort((a, b) => Number(created(a) > created(b)) - Number(created(a) < created(b)));
  for (const pod of waiting.slice(0, Math.max(0, admitted - open))) {
    await client.update(
      { apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata!.namespace!, name: pod.metadata!.name! },
      current => {
        const spec = current.spec as { schedulingGates?: Gates } | undefined;
        if (!spec?.schedulingGates?.some(g => g.name === elasticJobSchedulingGate)) return undefined;
        spec.schedulingGates = spec.schedulingGates.filter(g => g.name !== elasticJobSchedulingGate);
        return current;
      },
      { known: pod as WorkloadObject },
    );
  }
}

/**
 * An admitted elastic Job: resized in the engine as its parallelism asks
 * (not queued again); while admitting, a shrink is written to the object and
 * its pods are ungated within its admission.
 */
export async function syncElastic(
  engine: Engine,
  tracked: TrackedWorkload,
  workload: Workload,
  admitting:
    | false
    | {
        client: ClusterClient;
        pods: readonly KubernetesObject[];
        resized: (admission: Admission, from: Admission) => Promise<void>;
      },
) {
  const from = engine.get(tracked.key)?.admission;
  const outcome = resizeElastic(engine, tracked.key, workload);
  const admission = engine.get(tracked.key)?.admission;
  if (!admitting || !admission) return;
  if (outcome === 'ScaledDown' && from) await admitting.resized(admission, from);
  const pods = admission.podSets.reduce((n, ps) => n + ps.count, 0);
  await liftElasticGates(admitting.client, tracked.obj, admitting.pods, pods);
}
