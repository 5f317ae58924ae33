import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ClusterSummary,
  PlanResponse,
  QueueListResponse,
  SubmitWorkloadRequest,
  SubmitWorkloadResponse,
  WorkloadEvent,
  WorkloadRef,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { labels } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadKindAdapter, WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import {
  ArrivalHistory,
  chooseClusterByPolicy,
  estimateAdmissionRange,
  waitGroupsOf,
  type EstimateOptions,
  type PendingWorkloadInfo,
  type Quantiles,
  type RunTimePrediction,
} from '@ai-platform/scheduler';
import { statusOf } from '../clusters/ClusterClient';
import type { WorkloadChange, WorkloadFilter, WorkloadService } from '../services/WorkloadService';
import type { DecisionStore } from '../database/DecisionStore';
import { holdAnnotation, readAdmission, withAdmission } from '../workloads/admissionAnnotation';
import { gpusOf, summarize } from '../workloads/summary';
import { LearnedRunTimes, runTimeFactsOf } from '../runtime/LearnedRunTimes';
import { gpuHourPrice } from '../runtime/clusterPrice';
import { formatMicros } from '../costs/money';
import type { PriceBook } from '../costs/pricing';
import type { BudgetEnforcement } from '../costs/budgets';
import type { ClusterController, TrackedWorkload } from './ClusterController';
import { decisionAbout } from './DecisionWriter';
import { readEvents, writeEvent } from './events';
import { clusterSummary, queueSummaries } from './fleetSummaries';
import { normalizeManifest, planWorkload } from './planning';

interface Derived {
  generation: number;
  pending: Map<string, PendingWorkloadInfo>;
  etas: Map<string, Partial<Quantiles>>;
}

/** WorkloadService over the clusters' controllers: reads from their caches and engines, writes to the clusters. */
export class AdmissionService implements WorkloadService {
  private readonly derived = new Map<string, Derived>();
  /** Per cluster: workloads created recently, from which the forward simulations draw later arrivals. */
  private readonly arrivals = new Map<string, { history: ArrivalHistory; seen: Set<string> }>();

  constructor(
    private readonly controllers: ClusterController[],
    private readonly adapters: WorkloadKindAdapter[],
    private readonly decisions: DecisionStore,
    private readonly logger: LoggerService,
    private readonly runTimes: LearnedRunTimes = new LearnedRunTimes(),
    /** GPU prices for the Cheapest cluster policy; without them no cluster has a price. */
    private readonly prices?: PriceBook,
    private readonly budgets?: BudgetEnforcement,
  ) {
    // Every workload that succeeds teaches the run-time model (stored, so a restart keeps it).
    for (const c of controllers)
      c.onWorkloadChange((type, tracked) => {
        const id = `${c.name}/${tracked.key}`;
        const arrivals = this.arrivalsOf(c);
        if (type === 'delete') {
          arrivals.seen.delete(tracked.key);
          return this.runTimes.forget(id);
        }
        this.recordArrival(c, tracked);
        const admission = readAdmission(tracked.obj);
        if (admission) this.runTimes.admitted(id, admission.admittedAt);
        if (tracked.adapter.outcome(tracked.obj) === 'Succeeded') this.runTimes.observe(this.summary(c, tracked));
        return undefined;
      });
  }

  /** What the learned model predicts for a workload the controller tracks (the fallback for one it does not). */
  private runTimeOf(c: ClusterController, key: string): RunTimePrediction {
    const tracked = c.workloads.get(key);
    if (!tracked) return this.runTimes.predict({ queue: '', gpus: 0 });
    const workload = c.engine.get(key)?.workload ?? this.tryWorkload(c, tracked);
    const team =
      tracked.obj.metadata.labels?.[labels.team] ??
      c.engine.queueConfig.namespaces.get(tracked.obj.metadata.namespace)?.[labels.team];
    return this.runTimes.predict(
      runTimeFactsOf(tracked.obj, team, workload ? gpusOf(workload) : 0, tracked.adapter.entityType),
    );
  }

  private arrivalsOf(c: ClusterController) {
    let a = this.arrivals.get(c.name);
    if (!a) this.arrivals.set(c.name, (a = { history: new ArrivalHistory(), seen: new Set() }));
    return a;
  }

  /** A workload seen for the first time is an arrival of its queue at its creation time. */
  private recordArrival(c: ClusterController, tracked: TrackedWorkload) {
    const arrivals = this.arrivalsOf(c);
    if (arrivals.seen.has(tracked.key)) return;
    const created = Date.parse(String(tracked.obj.metadata.creationTimestamp ?? ''));
    const workload = this.tryWorkload(c, tracked);
    if (!workload || !Number.isFinite(created)) return;
    arrivals.seen.add(tracked.key);
    arrivals.history.record(workload, created, this.runTimeOf(c, tracked.key));
  }

  /** Queue positions and ETAs, recomputed only when the controller reconciled since. */
  private derive(c: ClusterController): Derived {
    const cached = this.derived.get(c.name);
    if (cached && cached.generation === c.generation) return cached;
    const now = Date.now();
    const etas = new Map<string, Partial<Quantiles>>();
    const ranges = estimateAdmissionRange(c.engine, now, {
      runTime: k => this.runTimeOf(c, k),
      arrivals: this.arrivalsOf(c).history,
    });
    for (const [key, range] of ranges) {
      const created = Date.parse(String(c.workloads.get(key)?.obj.metadata.creationTimestamp ?? ''));
      const workload = c.engine.get(key)?.workload;
      const groups = workload ? waitGroupsOf(workload) : [];
      if (range.p50 !== undefined && Number.isFinite(created))
        this.runTimes.predicted(`${c.name}/${key}`, created, range.p50, groups);
      // What happened to earlier predictions of its groups scales it, as the simulator measures.
      etas.set(key, this.runTimes.eta(now, range, groups));
    }
    const next: Derived = {
      generation: c.generation,
      pending: new Map(c.engine.pending().map(p => [p.workload, p])),
      etas,
    };
    this.derived.set(c.name, next);
    return next;
  }

  private summary(c: ClusterController, tracked: TrackedWorkload, derived?: Derived): WorkloadSummary {
    const engine = c.engine.get(tracked.key);
    return summarize(tracked.adapter, tracked.obj, {
      cluster: c.name,
      workload: engine?.workload ?? this.tryWorkload(c, tracked),
      engine,
      pending: derived?.pending.get(tracked.key),
      eta: derived?.etas.get(tracked.key),
      runTime: tracked.adapter.outcome(tracked.obj) ? undefined : this.runTimeOf(c, tracked.key),
      observedOnly: c.mode === 'observe',
      observedReason: c.observedReason(tracked.obj),
      namespaceTeam: c.engine.queueConfig.namespaces.get(tracked.obj.metadata.namespace)?.[labels.team],
    });
  }

  private tryWorkload(c: ClusterController, tracked: TrackedWorkload) {
    try {
      return tracked.adapter.toWorkload(tracked.obj, c.workloadContext());
    } catch {
      return undefined;
    }
  }

  private controller(name: string): ClusterController {
    const c = this.controllers.find(x => x.name === name);
    if (!c)
      throw new NotFoundError(
        `cluster ${name} is not configured; known clusters: ${this.controllers.map(x => x.name).join(', ')}`,
      );
    return c;
  }

  private adapterFor(kind: string): WorkloadKindAdapter {
    const adapter = this.adapters.find(a => a.kind === kind);
    if (!adapter) throw new NotFoundError(`${kind} is not a workload kind the platform manages`);
    return adapter;
  }

  async listWorkloads(filter: WorkloadFilter = {}): Promise<WorkloadSummary[]> {
    const out: WorkloadSummary[] = [];
    for (const c of this.controllers) {
      if (filter.cluster && c.name !== filter.cluster) continue;
      const derived = this.derive(c);
      for (const tracked of c.workloads.values()) {
        if (filter.namespace && tracked.obj.metadata.namespace !== filter.namespace) continue;
        const s = this.summary(c, tracked, derived);
        if (filter.team && s.team !== filter.team) continue;
        if (filter.queue && s.queue !== filter.queue) continue;
        if (filter.clusterQueue && s.clusterQueue !== filter.clusterQueue) continue;
        if (filter.state && s.state !== filter.state) continue;
        if (filter.entityRef && s.entityRef !== filter.entityRef) continue;
        out.push(s);
      }
    }
    return out;
  }

  async getWorkload(ref: WorkloadRef): Promise<WorkloadSummary | undefined> {
    const c = this.controller(ref.cluster);
    const tracked = c.workloads.get(`${ref.namespace}/${ref.kind}/${ref.name}`);
    return tracked && this.summary(c, tracked, this.derive(c));
  }

  async listQueues(): Promise<QueueListResponse> {
    const parts = this.controllers.map(queueSummaries);
    return { clusterQueues: parts.flatMap(p => p.clusterQueues), cohorts: parts.flatMap(p => p.cohorts) };
  }

  async listClusters(): Promise<ClusterSummary[]> {
    return this.controllers.map(clusterSummary);
  }

  async plan(request: SubmitWorkloadRequest): Promise<PlanResponse> {
    const { adapter, obj } = normalizeManifest(request, this.adapters);
    const first = this.controllers.find(c => !request.cluster || c.name === request.cluster) ?? this.controllers[0];
    obj.metadata.creationTimestamp = new Date();
    const workload = adapter.toWorkload(obj, first?.workloadContext() ?? { priorityClasses: new Map() });
    const now = Date.now();
    const probe = { ...workload, key: `${workload.key}#plan`, creationTime: now };
    const runTime = (key: string): RunTimePrediction => {
      if (key === probe.key) {
        const team =
          obj.metadata.labels?.[labels.team] ??
          first?.engine.queueConfig.namespaces.get(obj.metadata.namespace)?.[labels.team];
        return this.runTimes.predict(runTimeFactsOf(obj, team, gpusOf(workload), adapter.entityType));
      }
      const owner = this.controllers.find(c => c.workloads.has(key)) ?? first;
      return owner ? this.runTimeOf(owner, key) : this.runTimes.predict({ queue: '', gpus: 0 });
    };
    const estimate: EstimateOptions = { expectedDuration: key => 1000 * runTime(key).p50 };
    const policy = request.clusterPolicy ?? 'FastestStart';
    const weighed = this.controllers.filter(
      c =>
        (!request.cluster || c.name === request.cluster) &&
        c.engine.queueConfig.localQueues.has(`${workload.namespace}/${workload.queue}`),
    );
    const choice = chooseClusterByPolicy(
      probe,
      weighed.map(c => ({ name: c.name, engine: c.engine })),
      now,
      {
        policy,
        tolerance: request.etaToleranceSeconds === undefined ? undefined : request.etaToleranceSeconds * 1000,
        runTime,
        priceOf: (_cluster, engine) => this.prices && gpuHourPrice(engine, probe, this.prices, now),
      },
    );
    const wanted = request.cluster ?? (policy === 'Cheapest' ? choice.cluster : undefined);
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const plan = planWorkload(workload, this.controllers, wanted, now, estimate);
    const price = choice.candidates.find(c => c.cluster === plan.cluster)?.pricePerGpuHourMicros;
    const team =
      obj.metadata.labels?.[labels.team] ??
      first?.engine.queueConfig.namespaces.get(obj.metadata.namespace)?.[labels.team];
    // Forecast-aware: the median run time at this cluster's price, against what is left of the month's budget.
    const projected =
      price === undefined ? undefined : Math.round((gpusOf(workload) * runTime(probe.key).p50 * price) / 3600);
    return {
      ...plan,
      // The engine charges a namespace without a team label to the namespace itself; so does the check.
      budget: this.budgets?.check(team ?? obj.metadata.namespace, projected),
      clusterPolicy: policy,
      toleranceMissed: choice.fellBack || undefined,
      candidates: choice.candidates.map(c => ({
        cluster: c.cluster,
        eta: iso(c.eta?.p50),
        etaP90: iso(c.eta?.p90),
        pricePerGpuHour: c.pricePerGpuHourMicros === undefined ? undefined : formatMicros(c.pricePerGpuHourMicros),
        currency: c.pricePerGpuHourMicros === undefined ? undefined : this.prices?.currency,
        withinTolerance: c.withinTolerance,
        reason: c.problem,
      })),
    };
  }

  async submit(request: SubmitWorkloadRequest, actor: { userEntityRef: string }): Promise<SubmitWorkloadResponse> {
    const plan = await this.plan(request);
    const { adapter, obj } = normalizeManifest(request, this.adapters);
    if (!plan.cluster)
      throw new ConflictError(`no cluster can run this workload: ${plan.reason?.message ?? 'no matching queue'}`);
    const c = this.controller(plan.cluster);
    const manifest = adapter.suspendPatch(withAdmission(obj, undefined));
    if (request.dryRun) {
      return {
        workload: summarize(adapter, manifest, { cluster: c.name, observedOnly: c.mode === 'observe' }),
        plan,
        created: false,
      };
    }
    let created = true;
    let stored: WorkloadObject;
    try {
      stored = (await c.client.objects.create(manifest)) as WorkloadObject;
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
      created = false;
      stored = (await c.client.read({
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
      }))!;
    }
    if (created)
      await this.record(
        c,
        stored,
        'Submitted',
        actor.userEntityRef,
        `Submitted to LocalQueue ${plan.queue} by ${actor.userEntityRef}`,
      );
    c.kick();
    return {
      workload: summarize(adapter, stored, { cluster: c.name, observedOnly: c.mode === 'observe' }),
      plan,
      created,
    };
  }

  async cancel(ref: WorkloadRef, actor: { userEntityRef: string }): Promise<void> {
    const c = this.controller(ref.cluster);
    const adapter = this.adapterFor(ref.kind);
    const obj = await c.client.read({
      apiVersion: adapter.apiVersion,
      kind: ref.kind,
      namespace: ref.namespace,
      name: ref.name,
    });
    if (!obj)
      throw new NotFoundError(`${ref.kind} ${ref.namespace}/${ref.name} does not exist in cluster ${ref.cluster}`);
    await c.client.objects.delete(obj, undefined, undefined, undefined, undefined, 'Background');
    await this.record(c, obj, 'Cancelled', actor.userEntityRef, `Deleted by ${actor.userEntityRef}`);
  }

  async setSuspended(ref: WorkloadRef, suspended: boolean, actor: { userEntityRef: string }): Promise<void> {
    const c = this.controller(ref.cluster);
    const adapter = this.adapterFor(ref.kind);
    const written = await c.client.update(
      { apiVersion: adapter.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name },
      current => {
        const { [holdAnnotation]: _held, ...rest } = current.metadata.annotations ?? {};
        if (!suspended) {
          current.metadata.annotations = rest;
          return current;
        }
        const next = withAdmission(adapter.suspendPatch(current), undefined);
        next.metadata.annotations = { ...next.metadata.annotations, [holdAnnotation]: 'true' };
        return next;
      },
    );
    if (!written)
      throw new NotFoundError(`${ref.kind} ${ref.namespace}/${ref.name} does not exist in cluster ${ref.cluster}`);
    const message = suspended
      ? `Suspended by ${actor.userEntityRef}; it stays out of the queue until released`
      : `Released by ${actor.userEntityRef}; queued again`;
    await this.record(c, written, suspended ? 'Suspended' : 'Released', actor.userEntityRef, message);
    c.kick();
  }

  async events(ref: WorkloadRef): Promise<WorkloadEvent[]> {
    return readEvents(this.controller(ref.cluster).client, ref);
  }

  subscribe(listener: (change: WorkloadChange) => void): () => void {
    const offs = this.controllers.map(c =>
      c.onWorkloadChange((type, tracked) => {
        try {
          listener({ type, workload: this.summary(c, tracked) });
        } catch (e) {
          this.logger.warn(`workload change listener failed: ${(e as Error).message}`);
        }
      }),
    );
    return () => offs.forEach(off => off());
  }

  private async record(c: ClusterController, obj: WorkloadObject, decision: string, actor: string, message: string) {
    try {
      await writeEvent(c.client, obj, 'Normal', decision, message);
    } catch (e) {
      this.logger.warn(
        `could not write the ${decision} event of ${obj.metadata.namespace}/${obj.metadata.name}: ${
          (e as Error).message
        }`,
      );
    }
    await this.decisions.record(decisionAbout(c.name, obj, { decision, message, actor }));
  }
}
