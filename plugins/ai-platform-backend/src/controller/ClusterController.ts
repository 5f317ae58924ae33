import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { WorkloadKindAdapter, WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import { Engine, type EngineOptions } from '@ai-platform/scheduler';
import { ClusterClient } from '../clusters/ClusterClient';
import type { ClusterConnection } from '../clusters/readClusters';
import type { DecisionStore } from '../service/types';
import { isHeld, readAdmission } from '../workloads/admissionAnnotation';
import { ManagedKinds, OwnerIndex } from '../workloads/ownership';
import { DecisionWriter } from './DecisionWriter';
import type { TrackedWorkload } from './trackedWorkload';
import { detectKueue, kueueWorkloadKind, observedAdmission } from './observe';
import { LeaderLease, type LeaseTiming } from './LeaderLease';
import { QueueConfigSource, queueObjectKinds } from './queueConfig';
import { Watch } from './Watch';

export interface ClusterControllerOptions {
  connection: ClusterConnection;
  adapters: WorkloadKindAdapter[];
  decisions: DecisionStore;
  logger: LoggerService;
  /** Kueue objects from `aiPlatform.queues`, merged with the cluster's own. */
  queueObjects?: unknown[];
  engineOptions?: EngineOptions;
  /** This replica's name in the Lease. */
  identity: string;
  leaseTiming?: LeaseTiming;
}

export type { TrackedWorkload } from './trackedWorkload';

function newer(a: WorkloadObject, b: WorkloadObject | undefined): boolean {
  if (!b) return true;
  const ra = Number(a.metadata.resourceVersion);
  const rb = Number(b.metadata.resourceVersion);
  return Number.isNaN(ra) || Number.isNaN(rb) || ra >= rb;
}

/**
 * Binds one cluster to an Engine: watches its workloads and queue objects,
 * and, while holding the Lease in admit mode, suspends queued workloads on
 * sight and applies the engine's decisions. Every replica keeps the engine in
 * step with the objects (admissions come from their annotation), so all of
 * them can answer reads.
 */
export class ClusterController {
  readonly name: string;
  readonly client: ClusterClient;
  engine: Engine;
  mode: 'admit' | 'observe' = 'admit';
  readonly workloads = new Map<string, TrackedWorkload>();
  /** Controller owners of every watched object, to trace pods and child objects to their top-level workload. */
  readonly owners = new OwnerIndex();
  private readonly managedKinds: ManagedKinds;
  /** Bumped after every reconcile, so readers can cache what they derive. */
  generation = 0;
  private readonly watches: Watch<KubernetesObject>[] = [];
  private readonly queueWatches: Watch<KubernetesObject>[] = [];
  private nodeWatch?: Watch<KubernetesObject>;
  private podWatch?: Watch<KubernetesObject>;
  /** Pods seen deleted since the cost ledger last asked, with when: a pod that ran between two ledger syncs still counts. */
  private readonly deletedPods = new Map<string, { pod: KubernetesObject; at: number }>();
  private readonly podListeners = new Set<(pod: KubernetesObject) => void>();
  private kueueWorkloads?: Watch<KubernetesObject>;
  private readonly lease: LeaderLease;
  private readonly queueConfig: QueueConfigSource;
  private readonly writer: DecisionWriter;
  private readonly invalid = new Map<string, string>();
  private configDirty = true;
  /** Workloads whose objects changed since the last reconcile; all of them after a reset or a config or leadership change. */
  private readonly dirty = new Set<string>();
  private allDirty = true;
  private wasAdmitting = false;
  private running?: Promise<void>;
  private again = false;
  private kickTimer?: NodeJS.Timeout;
  private wakeTimer?: NodeJS.Timeout;
  private detectTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly listeners = new Set<(type: 'upsert' | 'delete', tracked: TrackedWorkload) => void>();

  constructor(private readonly options: ClusterControllerOptions) {
    this.name = options.connection.name;
    this.managedKinds = new ManagedKinds(options.adapters);
    this.client = new ClusterClient(options.connection.kubeConfig);
    const logger = options.logger.child({ cluster: this.name });
    this.queueConfig = new QueueConfigSource(this.name, options.queueObjects ?? [], logger);
    this.engine = new Engine(this.queueConfig.config, options.engineOptions);
    this.lease = new LeaderLease(this.client, options.identity, logger, () => this.kick(), options.leaseTiming);
    this.writer = new DecisionWriter(this.name, this.client, options.decisions, logger, (t, obj) =>
      this.remember(t, obj),
    );
  }

  get leader(): boolean {
    return this.mode === 'admit' && this.lease.leader;
  }

  get connected(): boolean {
    return this.watches.length > 0 && this.watches.every(w => w.synced && !w.lastError);
  }

  get lastError(): string | undefined {
    return [...this.watches, ...this.queueWatches].find(w => w.lastError)?.lastError;
  }

  /** Tells the listener about every workload object that changed or went away; returns an unsubscribe function. */
  onWorkloadChange(listener: (type: 'upsert' | 'delete', tracked: TrackedWorkload) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(type: 'upsert' | 'delete', tracked: TrackedWorkload) {
    for (const listener of this.listeners) listener(type, tracked);
  }

  /** Tells the listener about every pod that appears or changes; returns an unsubscribe function. */
  onPodChange(listener: (pod: KubernetesObject) => void): () => void {
    this.podListeners.add(listener);
    return () => this.podListeners.delete(listener);
  }

  /**
   * The pods deleted since the last call, each with a deletionTimestamp (the time the deletion was seen when the
   * API server removed it at once). Forgets what nobody asked for within an hour.
   */
  takeDeletedPods(): KubernetesObject[] {
    const stale = Date.now() - 3_600_000;
    const pods = [...this.deletedPods.values()]
      .filter(d => d.at >= stale)
      .map(({ pod, at }) => ({
        ...pod,
        metadata: { ...pod.metadata, deletionTimestamp: pod.metadata?.deletionTimestamp ?? new Date(at) },
      }));
    this.deletedPods.clear();
    return pods;
  }

  nodes(): readonly KubernetesObject[] {
    return this.nodeWatch?.list() ?? [];
  }

  /** The cluster's pods as last watched. */
  pods(): readonly KubernetesObject[] {
    return this.podWatch?.list() ?? [];
  }

  /** Starts watching; in auto mode the controller observes (admits nothing) until it knows Kueue is absent. */
  async start() {
    const { connection, logger } = this.options;
    const log = logger.child({ cluster: this.name });
    const kube = connection.kubeConfig;
    for (const adapter of this.options.adapters) {
      this.watches.push(
        new Watch(kube, adapter, (type, obj) => this.onWorkloadEvent(adapter, type, obj as WorkloadObject), log),
      );
    }
    for (const target of queueObjectKinds) {
      this.queueWatches.push(new Watch(kube, target, () => this.onQueueObject(), log));
    }
    this.nodeWatch = new Watch(kube, { apiVersion: 'v1', kind: 'Node', plural: 'nodes' }, () => this.generation++, log);
    this.podWatch = new Watch(
      kube,
      { apiVersion: 'v1', kind: 'Pod', plural: 'pods' },
      (type, pod) => {
        if (type === 'delete' && pod.metadata?.uid) this.deletedPods.set(pod.metadata.uid, { pod, at: Date.now() });
        else for (const listener of this.podListeners) listener(pod);
      },
      log,
    );
    const all = [...this.watches, ...this.queueWatches, this.nodeWatch, this.podWatch];
    if (connection.mode !== 'admit') {
      this.kueueWorkloads = new Watch(kube, kueueWorkloadKind, () => this.kick(), log);
      all.push(this.kueueWorkloads);
    }
    this.mode = connection.mode === 'admit' ? 'admit' : 'observe';
    await Promise.all(all.map(w => w.start()));
    if (connection.mode === 'auto') await this.detectMode(log);
    else this.enterMode(log);
  }

  private enterMode(log: LoggerService) {
    log.info(
      `cluster ${this.name}: ${this.mode === 'admit' ? 'admitting workloads' : 'observing Kueue, admitting nothing'}`,
    );
    if (this.mode === 'admit') this.lease.start();
    this.kick();
  }

  /** Asks the cluster whether Kueue runs there; retries in the background while it cannot be reached. */
  private async detectMode(log: LoggerService) {
    const found = await detectKueue(this.client, log);
    if (this.stopped) return;
    if (found === undefined) {
      this.detectTimer = setTimeout(() => void this.detectMode(log), 5_000);
      this.kick();
      return;
    }
    this.mode = found ? 'observe' : 'admit';
    this.enterMode(log);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.kickTimer);
    clearTimeout(this.wakeTimer);
    clearTimeout(this.detectTimer);
    await this.lease.stop();
    await Promise.all(
      [...this.watches, ...this.queueWatches, this.nodeWatch, this.podWatch, this.kueueWorkloads].map(w => w?.stop()),
    );
    await this.running;
    this.client.close();
  }

  /** Runs a reconcile soon; changes arriving together share one. */
  kick() {
    if (this.stopped || this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      void this.reconcileNow();
    }, 20);
  }

  /** Reconciles now (or right after the one in progress); resolves when done. */
  async reconcileNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      await this.running;
      return;
    }
    this.running = this.reconcileUntilQuiet();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async reconcileUntilQuiet() {
    do {
      this.again = false;
      try {
        await this.reconcile();
      } catch (e) {
        this.options.logger.error(`cluster ${this.name}: reconcile failed: ${(e as Error).stack ?? e}`);
        this.resetEngine();
      }
    } while (this.again && !this.stopped);
  }

  /** Stored for reads and the next reconcile, unless an older copy (a late watch event) arrives after our own write. */
  private remember(tracked: Omit<TrackedWorkload, 'obj'> | undefined, obj: WorkloadObject) {
    const adapter =
      tracked?.adapter ?? this.options.adapters.find(a => a.kind === obj.kind && a.apiVersion === obj.apiVersion);
    if (!adapter) return;
    const key = `${obj.metadata.namespace}/${obj.kind}/${obj.metadata.name}`;
    const known = this.workloads.get(key);
    if (known && known.obj.metadata.uid === obj.metadata.uid && !newer(obj, known.obj)) return;
    const next = { key, adapter, obj };
    this.workloads.set(key, next);
    this.dirty.add(key);
    this.emit('upsert', next);
  }

  private onWorkloadEvent(adapter: WorkloadKindAdapter, type: 'upsert' | 'delete', obj: WorkloadObject) {
    if (type === 'delete') this.owners.forget(obj);
    else this.owners.record(obj);
    // Part of its owner's workload (a Job of a JobSet, a Deployment of an InferenceService): never a workload itself.
    const partOfOwner = this.managedKinds.ownsPartOf(obj);
    if (!adapter.handles(obj) && !partOfOwner) return;
    const key = `${obj.metadata.namespace}/${adapter.kind}/${obj.metadata.name}`;
    if (type === 'delete' || partOfOwner) {
      const known = this.workloads.get(key);
      if (!known && partOfOwner) return;
      this.workloads.delete(key);
      this.dirty.delete(key);
      this.engine.remove(key, 'deleted');
      if (known) this.emit('delete', known);
    } else {
      this.remember({ key, adapter }, obj);
    }
    this.kick();
  }

  private onQueueObject() {
    this.configDirty = true;
    this.kick();
  }

  /** Forgets the engine's state; the next reconcile rebuilds it from the objects. */
  private resetEngine() {
    this.engine = new Engine(this.queueConfig.config, this.options.engineOptions);
    this.allDirty = true;
    this.again = true;
  }

  private async reconcile() {
    if (this.configDirty) {
      this.configDirty = false;
      if (this.queueConfig.update(this.queueWatches.flatMap(w => w.list()))) {
        this.engine.setConfig(this.queueConfig.config);
        this.allDirty = true;
      }
    }
    const admitting = this.leader;
    // Observed admissions come from Kueue's Workload objects, not the workloads' own.
    if (admitting !== this.wasAdmitting || this.mode === 'observe') this.allDirty = true;
    // A replica that just took the lead looks at every pod once (the previous leader may have left some unseen).
    if (admitting && !this.wasAdmitting) {
      for (const pod of this.podWatch?.list() ?? []) for (const listener of this.podListeners) listener(pod);
    }
    this.wasAdmitting = admitting;
    const keys = this.allDirty ? [...this.workloads.keys()] : [...this.dirty];
    this.allDirty = false;
    this.dirty.clear();
    for (const key of keys) {
      const tracked = this.workloads.get(key);
      if (tracked) await this.sync(tracked, admitting);
    }
    if (admitting && this.watches.every(w => w.synced)) {
      const decisions = this.engine.schedule(Date.now());
      const ok = await this.writer.apply(decisions, this.workloads, this.engine, () => this.leader);
      if (!ok) this.resetEngine();
    }
    this.generation++;
    this.armWakeup();
  }

  private armWakeup() {
    clearTimeout(this.wakeTimer);
    const next = this.engine.nextWakeup();
    if (next === undefined || this.stopped) return;
    this.wakeTimer = setTimeout(() => this.kick(), Math.max(0, Math.min(next - Date.now(), 2 ** 31 - 1)));
  }

  /** Brings the engine's view of one workload in line with its object. */
  private async sync(tracked: TrackedWorkload, admitting: boolean) {
    const { key, adapter, obj } = tracked;
    const state = this.engine.get(key);
    const outcome = adapter.outcome(obj);
    if (outcome) {
      if (state && state.status !== 'finished') {
        this.engine.remove(key, 'finished');
        if (admitting) await this.writer.finished(tracked, outcome);
      }
      return;
    }
    if (isHeld(obj)) {
      if (state) this.engine.remove(key, 'deleted');
      if (admitting && (!adapter.isSuspended(obj) || readAdmission(obj)))
        await this.writer.suspendOnSight(tracked, 'held by a user');
      return;
    }
    let workload;
    try {
      workload = adapter.toWorkload(obj, { priorityClasses: this.engine.queueConfig.priorityClasses });
      this.invalid.delete(key);
    } catch (e) {
      if (this.invalid.get(key) !== (e as Error).message)
        this.options.logger.warn(`${adapter.kind} ${key} cannot be queued: ${(e as Error).message}`);
      this.invalid.set(key, (e as Error).message);
      return;
    }
    // Until auto mode knows whether Kueue runs there, this platform's own admissions still count: a replica that
    // just started must not report quota that running workloads hold as free.
    const admission =
      this.mode === 'observe'
        ? observedAdmission([...(this.kueueWorkloads?.list() ?? [])], obj) ?? readAdmission(obj)
        : readAdmission(obj);
    if (admission) {
      if (state?.status !== 'admitted')
        this.engine.restoreAdmitted(workload, admission, admission.admittedAt, adapter.podsReady(obj));
      else if (adapter.podsReady(obj)) this.engine.podsReady(key);
      return;
    }
    if (state?.status === 'admitted') this.engine.remove(key, 'deleted');
    if (this.mode === 'admit' && admitting && !adapter.isSuspended(obj)) {
      await this.writer.suspendOnSight(tracked, `waiting for admission through LocalQueue ${workload.queue}`);
    }
    const now = this.engine.get(key);
    // A pending workload whose object changed (priority, pod counts, queue) is queued again as it now is.
    const changed = now?.status === 'pending' && JSON.stringify(now.workload) !== JSON.stringify(workload);
    if (!now || now.status === 'finished' || changed) {
      if (now) this.engine.remove(key, 'deleted');
      this.engine.submit(workload);
    }
  }
}
