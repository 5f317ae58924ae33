import {
  annotations,
  kueueReasonOf,
  labels,
  type Reason,
  type WorkloadCondition,
  type WorkloadState,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadKindAdapter, WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import type {
  PendingWorkloadInfo,
  Quantiles,
  RunTimePrediction,
  Workload,
  WorkloadState as EngineState,
} from '@ai-platform/scheduler';
import { isHeld, readAdmission } from './admissionAnnotation';

/** Used when neither the declaration nor history gives the expected run time. */
export const defaultExpectedDurationSeconds = 3600;

/** The run time the user declares in `ai-platform.io/expected-duration-seconds`, else undefined. */
export function expectedDurationSeconds(obj: WorkloadObject): number | undefined {
  const value = Number(obj.metadata.annotations?.[annotations.expectedDuration]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

const units = (milli: number) => milli / 1000;

/** GPUs the workload requests in total, over its pod sets and GPU resources. */
export function gpusOf(workload: Workload): number {
  let total = 0;
  for (const ps of workload.podSets) {
    for (const [resource, milli] of Object.entries(ps.requests))
      if (/gpu/i.test(resource)) total += ps.count * units(milli);
  }
  return total;
}

function stateOf(
  adapter: WorkloadKindAdapter,
  obj: WorkloadObject,
  engine: EngineState | undefined,
  admitted: boolean,
): WorkloadState {
  const outcome = adapter.outcome(obj);
  if (outcome) return outcome;
  if (admitted) return adapter.podsReady(obj) ? 'Running' : 'Admitted';
  if (engine && engine.evictions > 0) return 'Preempted';
  return 'Pending';
}

/** What the engine knows beyond the object. */
export interface SummaryContext {
  cluster: string;
  workload?: Workload;
  engine?: EngineState;
  pending?: PendingWorkloadInfo;
  /** Admission time quantiles (ms). */
  eta?: Partial<Quantiles>;
  /** What the run-time model predicts for it. */
  runTime?: RunTimePrediction;
  observedOnly: boolean;
  /** In observe mode, why Kueue itself says it has not admitted the workload (its Workload's QuotaReserved=False). */
  observedReason?: Reason;
  /** The team its namespace names (label ai-platform.io/team), for workloads without their own team label. */
  namespaceTeam?: string;
}

const finishedConditions = new Set(['Complete', 'Completed', 'Failed', 'Succeeded', 'Finished']);

/**
 * When a finished workload finished, from its status as the kinds report it
 * (Job/PyTorchJob completionTime, Argo finishedAt, RayJob endTime, Spark
 * terminationTime) or the time its finishing condition became true.
 */
export function finishedTime(obj: WorkloadObject): string | undefined {
  const status = (obj.status ?? {}) as Record<string, unknown>;
  for (const field of ['completionTime', 'finishedAt', 'endTime', 'terminationTime']) {
    const value = status[field];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  }
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Array<Record<string, unknown>>) : [];
  const times = conditions
    .filter(
      c =>
        finishedConditions.has(String(c.type)) &&
        String(c.status) === 'True' &&
        typeof c.lastTransitionTime === 'string',
    )
    .map(c => Date.parse(String(c.lastTransitionTime)))
    .filter(t => !Number.isNaN(t));
  return times.length ? new Date(Math.max(...times)).toISOString() : undefined;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The API's view of one workload object. */
export function summarize(adapter: WorkloadKindAdapter, obj: WorkloadObject, ctx: SummaryContext): WorkloadSummary {
  const admission =
    readAdmission(obj) ??
    (ctx.engine?.status === 'admitted'
      ? { ...ctx.engine.admission!, admittedAt: ctx.engine.admittedAt ?? 0 }
      : undefined);
  const state = stateOf(adapter, obj, ctx.engine, admission !== undefined);
  const created = String(obj.metadata.creationTimestamp ?? new Date(0).toISOString());
  const createdAt = new Date(created).toISOString();
  const conditions: WorkloadCondition[] = [{ type: 'Queued', status: true, time: createdAt }];
  if (admission)
    conditions.push({
      type: 'Admitted',
      status: true,
      reason: 'Admitted',
      message: `Admitted by ClusterQueue ${admission.clusterQueue}`,
      time: new Date(admission.admittedAt).toISOString(),
    });
  const finishedAt = state === 'Succeeded' || state === 'Failed' ? finishedTime(obj) : undefined;
  if (state === 'Succeeded' || state === 'Failed')
    conditions.push({ type: 'Finished', status: true, reason: state, time: finishedAt ?? new Date().toISOString() });
  // Where Kueue admits, its own word on why it waits wins over this platform's shadow engine.
  let reason: Reason | undefined = ctx.observedReason ?? ctx.pending?.reason ?? ctx.engine?.routeProblem;
  const held = isHeld(obj);
  if (held) reason = { code: 'QueueStopped', message: 'Suspended by a user; release it to queue it again' };
  if (ctx.observedOnly && !admission && !reason)
    reason = {
      code: 'ObservedOnly',
      message: 'Kueue admits workloads in this cluster and has not admitted this one yet',
    };
  // Kueue 0.19's name for the same state (KEP-10852); held or deactivated workloads are out of the queue.
  if (reason && !reason.kueueReason) {
    const kueueReason = kueueReasonOf(reason, held || ctx.engine?.status === 'inactive');
    if (kueueReason) reason = { ...reason, kueueReason };
  }
  const kubernetesId =
    obj.metadata.labels?.[labels.kubernetesId] ?? obj.metadata.annotations?.[annotations.kubernetesId];
  const expected = expectedDurationSeconds(obj);
  const workload = ctx.workload;
  return {
    cluster: ctx.cluster,
    namespace: obj.metadata.namespace,
    kind: obj.kind,
    name: obj.metadata.name,
    apiVersion: obj.apiVersion,
    uid: obj.metadata.uid ?? '',
    entityType: adapter.entityType,
    team: obj.metadata.labels?.[labels.team] ?? ctx.namespaceTeam,
    queue: obj.metadata.labels?.[labels.queueName],
    clusterQueue: admission?.clusterQueue ?? ctx.engine?.clusterQueue ?? ctx.pending?.clusterQueue,
    priority: workload?.priority ?? 0,
    state,
    createdAt,
    admittedAt: admission ? new Date(admission.admittedAt).toISOString() : undefined,
    finishedAt,
    podSets: (workload?.podSets ?? []).map(ps => ({
      name: ps.name,
      count: ps.count,
      ...(ps.minCount !== undefined ? { minCount: ps.minCount } : {}),
      requests: Object.fromEntries(Object.entries(ps.requests).map(([r, v]) => [r, units(v)])),
    })),
    gpus: workload ? gpusOf(workload) : 0,
    assignment: admission
      ? {
          clusterQueue: admission.clusterQueue,
          podSets: admission.podSets.map(p => ({ name: p.name, count: p.count, flavors: p.flavors })),
        }
      : undefined,
    // An admitted workload has a pending entry only while an elastic one waits to grow (its workload slice).
    reason: admission && !ctx.pending ? undefined : reason,
    positionInClusterQueue: ctx.pending?.positionInClusterQueue,
    positionInLocalQueue: ctx.pending?.positionInLocalQueue,
    eta: iso(admission ? undefined : ctx.eta?.p50),
    etaP10: iso(admission ? undefined : ctx.eta?.p10),
    etaP90: iso(admission ? undefined : ctx.eta?.p90),
    expectedDurationSeconds: expected,
    // A service assumed to keep running has no finite run time to show.
    expectedRunTime:
      ctx.runTime && Number.isFinite(ctx.runTime.p90)
        ? {
            p10Seconds: Math.round(ctx.runTime.p10),
            p50Seconds: Math.round(ctx.runTime.p50),
            p90Seconds: Math.round(ctx.runTime.p90),
            source: ctx.runTime.source,
            basis: ctx.runTime.basis,
          }
        : undefined,
    conditions,
    entityRef: kubernetesId ? `component:default/${kubernetesId}` : undefined,
    observedOnly: ctx.observedOnly || undefined,
  };
}
