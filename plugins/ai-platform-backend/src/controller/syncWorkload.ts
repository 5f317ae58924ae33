import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { WorkloadContext } from '@ai-platform/backstage-plugin-ai-platform-node';
import { withDeviceQuota, type Engine } from '@ai-platform/scheduler';
import type { ClusterClient } from '../clusters/ClusterClient';
import { isHeld, readAdmission } from '../workloads/admissionAnnotation';
import type { DecisionWriter } from './DecisionWriter';
import { elasticIn, syncElastic } from './elastic';
import { observedAdmission } from './observe';
import type { TrackedWorkload } from './trackedWorkload';

/** What bringing one workload in line with its object reads and writes: one reconcile's view of its controller. */
export interface WorkloadSyncContext {
  engine: Engine;
  mode: 'admit' | 'observe';
  /** This replica holds the Lease in admit mode: it may write. */
  admitting: boolean;
  writer: DecisionWriter;
  client: ClusterClient;
  pods(): readonly KubernetesObject[];
  /** Kueue's Workload objects (observe mode). */
  kueueWorkloads(): KubernetesObject[];
  workloadContext(): WorkloadContext;
  /** Why each workload that cannot be queued cannot, so each reason is logged once. */
  invalid: Map<string, string>;
  logger: LoggerService;
}

/** Brings the engine's view of one workload in line with its object. */
export async function syncWorkload(ctx: WorkloadSyncContext, tracked: TrackedWorkload): Promise<void> {
  const { engine, admitting } = ctx;
  const { key, adapter, obj } = tracked;
  const state = engine.get(key);
  const outcome = adapter.outcome(obj);
  if (outcome) {
    if (state && state.status !== 'finished') {
      engine.remove(key, 'finished');
      if (admitting) await ctx.writer.finished(tracked, outcome);
    }
    return;
  }
  if (isHeld(obj)) {
    if (state) engine.remove(key, 'deleted');
    if (admitting && (!adapter.isSuspended(obj) || readAdmission(obj)))
      await ctx.writer.suspendOnSight(tracked, 'held by a user');
    return;
  }
  let workload;
  try {
    workload = adapter.toWorkload(obj, ctx.workloadContext());
    ctx.invalid.delete(key);
  } catch (e) {
    if (ctx.invalid.get(key) !== (e as Error).message)
      ctx.logger.warn(`${adapter.kind} ${key} cannot be queued: ${(e as Error).message}`);
    ctx.invalid.set(key, (e as Error).message);
    return;
  }
  // Until auto mode knows whether Kueue runs there, this platform's own admissions still count: a replica that
  // just started must not report quota that running workloads hold as free.
  const admission =
    ctx.mode === 'observe' ? observedAdmission(ctx.kueueWorkloads(), obj) ?? readAdmission(obj) : readAdmission(obj);
  if (admission) {
    if (state?.status !== 'admitted')
      engine.restoreAdmitted(workload, admission, admission.admittedAt, adapter.podsReady(obj));
    else if (adapter.podsReady(obj)) engine.podsReady(key);
    if (elasticIn(engine, obj))
      await syncElastic(
        engine,
        tracked,
        workload,
        admitting && {
          client: ctx.client,
          pods: ctx.pods(),
          resized: (admitted, from) => ctx.writer.resized(tracked, admitted, from),
        },
      );
    return;
  }
  if (state?.status === 'admitted') engine.remove(key, 'deleted');
  if (ctx.mode === 'admit' && admitting && !adapter.isSuspended(obj)) {
    await ctx.writer.suspendOnSight(tracked, `waiting for admission through LocalQueue ${workload.queue}`);
  }
  const now = engine.get(key);
  // A pending workload whose object changed (priority, pod counts, queue) is queued again as it now is.
  const counted = withDeviceQuota(workload, engine.options.deviceClassMappings ?? []);
  const changed = now?.status === 'pending' && JSON.stringify(now.workload) !== JSON.stringify(counted);
  if (!now || now.status === 'finished' || changed) {
    if (now) engine.remove(key, 'deleted');
    engine.submit(workload);
  }
}
