import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type {
  WorkloadContext,
  WorkloadKindAdapter,
  WorkloadObject,
} from '@ai-platform/backstage-plugin-ai-platform-node';
import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { Engine, type BudgetStandings, type EngineOptions } from '@ai-platform/scheduler';
import type { ClusterClient } from '../clusters/ClusterClient';
import { ClusterCache } from '../clusters/ClusterCache';
import { kueueWorkloadKind, localQueueKind, resourceClaimTemplateKind } from '../clusters/kinds';
import type { ClusterConnection } from '../clusters/connection';
import type { Watch } from '../clusters/Watch';
import type { DecisionStore } from '../database/DecisionStore';
import { ManagedKinds, OwnerIndex } from '../workloads/ownership';
import { DecisionWriter } from './DecisionWriter';
import { isGated } from './elastic';
import { newer, type TrackedWorkload } from './trackedWorkload';
import { detectKueue, observedPendingReason } from './observe';
import { LeaderLease, type LeaseTiming } from './LeaderLease';
import { QueueConfigSource } from './queueConfig';
import { LocalQueueUsageWriter } from './localQueueUsage';
import { syncWorkload, type WorkloadSyncContext } from './syncWorkload';

export interface ClusterControllerOptions {
  connection: ClusterConnection;
  /** The cluster's shared informers (from the ClusterRegistry); the controller makes and owns its own when absent. */
  cluster?: ClusterCache;
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

/**
 * Binds one cluster to an Engine: follows its workloads and queue objects in the cluster's shared informers,
 * and, while holding the Lease in admit mode, suspends queued workloads on
 * sight and applies the engine's decisions. Every replica keeps the engine in
 * step with the objects (admissions come from their annotation), so all of
 * them can answer reads.
 */
export class ClusterController {
  readonly name: string;
  readonly client: ClusterClient;
  /** The cluster's informers: pods, nodes, namespaces, Kueue objects and the workload kinds. */
  readonly cluster: ClusterCache;
  private readonly ownsCluster: boolean;
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
  private readonly unsubscribe: Array<() => void> = [];
  private readonly podListeners = new Set<(type: 'upsert' | 'delete', pod: KubernetesObject) => void>();
  private kueueWorkloads?: Watch<KubernetesObject>;
  private claimTemplates?: Watch<KubernetesObject>;
  private readonly lease: LeaderLease;
  private readonly queueConfig: QueueConfigSource;
  private readonly writer: DecisionWriter;
  private readonly usageWriter: LocalQueueUsageWriter;
  private readonly invalid = new Map<string, string>();
  private configDirty = true;
  /** Workloads whose objects changed since the last reconcile; all of them after a reset or a config or leadership change. */
  private readonly dirty = new Set<string>();
  private allDirty = true;
  private wasAdmitting = false;
  /** The last budget standings, for every engine this controller builds. */
  private budgets?: BudgetStandings;
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
    const logger = options.logger.child({ cluster: this.name });
    this.ownsCluster = !options.cluster;
    this.cluster = options.cluster ?? new ClusterCache(options.connection, options.logger);
    this.client = this.cluster.client;
    this.queueConfig = new QueueConfigSource(this.name, options.queueObjects ?? [], logger);
    this.engine = this.newEngine();
    this.lease = new LeaderLease(this.client, options.identity, logger, () => this.kick(), options.leaseTiming);
    this.writer = new DecisionWriter(this.name, this.client, options.decisions, logger, (t, obj) =>
      this.remember(t, obj),
    );
    this.usageWriter = new LocalQueueUsageWriter(this.client, logger);
  }

  get leader(): boolean {
    return this.mode === 'admit' && this.lease.leader;
  }

  get connected(): boolean {
    return this.watches.length > 0 && this.watches.every(w => w.synced && !w.lastError);
  }

  /** What adapters read besides the object: priority classes, and the ResourceClaimTemplates pods claim devices by. */
  workloadContext(): WorkloadContext {
    return {
      priorityClasses: this.engine.queueConfig.priorityClasses,
      resourceClaimTemplate: (namespace, name) =>
        this.claimTemplates?.list().find(t => t.metadata?.namespace === namespace && t.metadata?.name === name),
    };
  }

  get lastError(): string | undefined {
    return this.cluster.lastError([...this.watches, ...this.queueWatches]);
  }

  /** Tells the listener about every workload object that changed or went away; returns an unsubscribe function. */
  onWorkloadChange(listener: (type: 'upsert' | 'delete', tracked: TrackedWorkload) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(type: 'upsert' | 'delete', tracked: TrackedWorkload) {
    for (const listener of this.listeners) listener(type, tracked);
  }

  /**
   * Tells the listener about every pod that appears, changes or goes (and about every pod again when this replica
   * takes the lead); returns an unsubscribe function.
   */
  onPodChange(listener: (type: 'upsert' | 'delete', pod: KubernetesObject) => void): () => void {
    this.podListeners.add(listener);
    return () => this.podListeners.delete(listener);
  }

  /** In observe mode, why Kueue has not admitted the object, as Kueue wrote it on its Workload. */
  observedReason(obj: WorkloadObject): Reason | undefined {
    return this.mode === 'observe' ? observedPendingReason(this.kueueWorkloads?.list() ?? [], obj) : undefined;
  }

  /** Starts watching; in auto mode the controller observes (admits nothing) until it knows Kueue is absent. */
  async start() {
    const { connection, logger } = this.options;
    const log = logger.child({ cluster: this.name });
    const { cluster } = this;
    // Objects the shared informers already hold arrive first, as if just listed.
    const follow = (watch: Watch, listener: (type: 'upsert' | 'delete', obj: KubernetesObject) => void) => {
      this.unsubscribe.push(watch.subscribe(listener, { replay: true }));
      return watch;
    };
    for (const adapter of this.options.adapters) {
      this.watches.push(
        follow(cluster.informer(adapter), (type, obj) => this.onWorkloadEvent(adapter, type, obj as WorkloadObject)),
      );
    }
    for (const watch of cluster.queueObjects) this.queueWatches.push(follow(watch, () => this.onQueueObject()));
    const all = [
      ...this.watches,
      ...this.queueWatches,
      follow(cluster.nodes, () => this.generation++),
      (this.claimTemplates = follow(cluster.informer(resourceClaimTemplateKind), (_, t) => this.onClaimTemplate(t))),
      follow(cluster.pods, (type, pod) => {
        for (const listener of this.podListeners) listener(type, pod);
        if (type === 'upsert' && isGated(pod)) this.podGated(pod);
      }),
    ];
    if (connection.mode !== 'admit') {
      this.kueueWorkloads = follow(cluster.informer(kueueWorkloadKind), () => this.kick());
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
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await this.running;
    if (this.ownsCluster) await this.cluster.stop();
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

  /** A workload whose pods claim devices from a template is read again when that template changes. */
  private onClaimTemplate(template: KubernetesObject) {
    for (const tracked of this.workloads.values())
      if (tracked.obj.metadata.namespace === template.metadata?.namespace) this.dirty.add(tracked.key);
    this.kick();
  }

  /** A pod of an elastic Job waits behind its scheduling gate: the Job is looked at again, to lift it within its admission. */
  private podGated(pod: KubernetesObject) {
    const top = this.owners.topLevelOf(pod);
    const key = top && `${top.namespace}/${top.kind}/${top.name}`;
    if (!key || !this.workloads.has(key)) return;
    this.dirty.add(key);
    this.kick();
  }

  private onQueueObject() {
    this.configDirty = true;
    this.kick();
  }

  /** Replaces the teams' budget standings, in this engine and in any it builds later. */
  setBudgets(standings: BudgetStandings) {
    this.budgets = standings;
    this.engine.setBudgets(standings);
  }

  /** An engine of the current queue configuration (LocalQueues' persisted usage included) and budget standings. */
  private newEngine(): Engine {
    const engine = new Engine(this.queueConfig.config, this.options.engineOptions);
    if (this.budgets) engine.setBudgets(this.budgets);
    return engine;
  }

  /** Forgets the engine's state; the next reconcile rebuilds it from the objects. */
  private resetEngine() {
    this.engine = this.newEngine();
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
      // Admission fair sharing resumes from the usage the previous leader persisted, not from what this replica's
      // engine was seeded with when it started (a standby never samples usage); every workload is synced again below.
      if (this.engine.localQueueUsage().size > 0) this.engine = this.newEngine();
      for (const pod of this.cluster.pods.list()) for (const listener of this.podListeners) listener('upsert', pod);
    }
    this.wasAdmitting = admitting;
    const keys = this.allDirty ? [...this.workloads.keys()] : [...this.dirty];
    this.allDirty = false;
    this.dirty.clear();
    const ctx = this.syncContext(admitting);
    for (const key of keys) {
      const tracked = this.workloads.get(key);
      if (tracked) await syncWorkload(ctx, tracked);
    }
    if (admitting && this.watches.every(w => w.synced)) {
      const decisions = this.engine.schedule(Date.now());
      const ok = await this.writer.apply(decisions, this.workloads, this.engine, () => this.leader);
      if (!ok) this.resetEngine();
      else await this.usageWriter.write(this.engine.localQueueUsage(), this.cluster.informer(localQueueKind).list());
    }
    this.generation++;
    this.armWakeup();
  }

  private syncContext(admitting: boolean): WorkloadSyncContext {
    return {
      engine: this.engine,
      mode: this.mode,
      admitting,
      writer: this.writer,
      client: this.client,
      pods: () => this.cluster.pods.list(),
      kueueWorkloads: () => [...(this.kueueWorkloads?.list() ?? [])],
      workloadContext: () => this.workloadContext(),
      invalid: this.invalid,
      logger: this.options.logger,
    };
  }

  private armWakeup() {
    clearTimeout(this.wakeTimer);
    let next = this.engine.nextWakeup();
    // The leader samples admission fair sharing usage (and writes it) at least once per sampling interval.
    const sampling = this.engine.options.admissionFairSharing?.usageSamplingInterval;
    if (this.leader && sampling && this.engine.localQueueUsage().size > 0)
      next = Math.min(next ?? Infinity, Date.now() + sampling);
    if (next === undefined || this.stopped) return;
    this.wakeTimer = setTimeout(() => this.kick(), Math.max(0, Math.min(next - Date.now(), 2 ** 31 - 1)));
  }
}
