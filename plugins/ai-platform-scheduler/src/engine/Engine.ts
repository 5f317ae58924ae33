import { defaultEngineOptions, defaultFeatureGates } from '../config/parse';
import type { ClusterQueue, EngineOptions, QueueConfig } from '../config/types';
import { type LocalQueueUsageReport, UsageLedger, usesAdmissionFairSharing } from './admissionFairSharing';
import type { BudgetStandings } from './budgets';
import { charge, release } from './cache';
import type { EngineCore } from './core';
import { cycle } from './cycle';
import { withDeviceQuota } from './devices';
import { explainPending } from './explain';
import { contextFor } from './nominate';
import { admissionBlockers, nextWakeup, runTimers } from './podsReady';
import { Preemptions } from './preemptionOracle';
import { buildQuotaTree } from './quota';
import { QueueUsage, usageOf, usageReport } from './quotaUsage';
import { drainStopped } from './queueManager';
import { QueueState, workloadBefore } from './queueOrder';
import { enqueue } from './routing';
import { dropSlice, resize, type ResizeOutcome, sliceReason } from './slices';
import { NodeInventory, NodeSpec } from './topology';
import type { Admission, Decision, PendingWorkloadInfo, Workload } from './types';
import type { WorkloadState } from './workloadState';

export type { WorkloadState, WorkloadStatus } from './workloadState';
export type { ResizeOutcome } from './slices';
export { workloadBefore } from './queueOrder';
export { usageOf } from './quotaUsage';

/**
 * The scheduling and quota engine: Kueue's admission semantics over a
 * snapshot of queues and workloads. Pure and deterministic: time comes in as
 * an argument, decisions come out; nothing here does I/O.
 *
 * A thin orchestrator, split as Kueue splits its scheduler: routing and
 * queueing (routing.ts, queueManager.ts, queueOrder.ts), quota bookkeeping
 * (cache.ts), the cycle (cycle.ts, nominate.ts, applyPreemption.ts), timers
 * (podsReady.ts) and explanations (explain.ts), all over one EngineCore.
 */
export class Engine {
  private readonly core: EngineCore;
  /** Wall time of each scheduling cycle in ms, when measuring. */
  cycleTimes?: number[];

  constructor(
    config: QueueConfig,
    readonly options: EngineOptions = defaultEngineOptions,
    nodes?: NodeSpec[] | NodeInventory,
  ) {
    const gates = options.featureGates ?? defaultFeatureGates;
    const afs = gates.AdmissionFairSharing ? options.admissionFairSharing : undefined;
    const core: EngineCore = {
      config,
      queues: new Map(),
      states: new Map(),
      slices: new Map(),
      activeQueues: new Set(),
      timed: new Set(),
      budgets: new Map(),
      podsReadyHold: false,
      inventory: nodes && (nodes instanceof NodeInventory ? nodes : new NodeInventory(nodes)),
      options,
      gates,
      ledger: afs && new UsageLedger(afs, config),
      preemptions: new Preemptions(
        name => core.queues.get(name)!,
        () => options.fairSharing,
        () => core.gates,
      ),
    };
    this.core = core;
    this.setConfig(config);
  }

  /** Replaces the queue configuration; admitted workloads keep their quota, pending ones are routed again. */
  setConfig(config: QueueConfig) {
    const core = this.core;
    core.config = config;
    core.ledger?.seed(config);
    const { clusterQueues } = buildQuotaTree(config);
    const lqOrder = (cq: ClusterQueue) => (usesAdmissionFairSharing(cq) ? core.ledger : undefined);
    core.queues = new Map(
      [...config.clusterQueues.values()].map(cq => [
        cq.name,
        new QueueState(cq, clusterQueues.get(cq.name)!, lqOrder(cq)),
      ]),
    );
    core.activeQueues.clear();
    for (const state of [...core.states.values()].sort((a, b) => (workloadBefore(a.workload, b.workload) ? -1 : 1))) {
      if (state.status === 'admitted') {
        const queue = core.queues.get(state.clusterQueue ?? '');
        if (queue) charge(core, queue, state, 1, false);
      } else if (state.status === 'pending') {
        enqueue(core, state);
      }
    }
    for (const slice of core.slices.values()) enqueue(core, slice);
  }

  /** Replaces the teams' budget standings; pending workloads are queued again under them. */
  setBudgets(standings: BudgetStandings) {
    this.core.budgets = standings;
    for (const state of this.core.states.values()) if (state.status === 'pending') enqueue(this.core, state);
  }

  get queueConfig(): QueueConfig {
    return this.core.config;
  }

  get(key: string): WorkloadState | undefined {
    return this.core.states.get(key);
  }

  workloads(): IterableIterator<WorkloadState> {
    return this.core.states.values();
  }

  /** Adds a pending workload. */
  submit(workload: Workload): WorkloadState {
    if (this.core.states.has(workload.key)) throw new Error(`workload ${workload.key} is already known to the engine`);
    const state: WorkloadState = {
      workload: withDeviceQuota(workload, this.options.deviceClassMappings ?? []),
      status: 'pending',
      podsReady: false,
      requeueCount: 0,
      evictions: 0,
      token: 0,
    };
    this.core.states.set(workload.key, state);
    enqueue(this.core, state);
    return state;
  }

  /** Records a workload found already admitted (e.g. after a restart), charging its quota. */
  restoreAdmitted(workload: Workload, admission: Admission, admittedAt: number, podsReady = true): WorkloadState {
    const state = this.core.states.get(workload.key) ?? this.submit(workload);
    if (state.status === 'admitted') return state;
    state.token++;
    state.status = 'admitted';
    state.admission = admission;
    state.admittedAt = admittedAt;
    state.firstAdmittedAt ??= admittedAt;
    state.podsReady = podsReady;
    if (!podsReady && this.options.waitForPodsReady.enable) this.core.timed.add(state);
    state.clusterQueue = admission.clusterQueue;
    state.usage = usageOf(withDeviceQuota(workload, this.options.deviceClassMappings ?? []), admission);
    const queue = this.core.queues.get(admission.clusterQueue);
    if (queue) charge(this.core, queue, state, 1);
    return state;
  }

  /**
   * An admitted workload's pod counts changed (per pod set name; Kueue's
   * elastic jobs, gate ElasticJobsViaWorkloadSlices): a scale-down frees
   * quota now, a scale-up queues a workload slice that replaces the admitted
   * one once admitted (its Admitted decision carries `replaced`).
   */
  resize(key: string, counts: Record<string, number>): ResizeOutcome {
    return resize(this.core, key, counts);
  }

  /** The pending workload slice of an admitted workload growing, if any. */
  pendingSlice(key: string): WorkloadState | undefined {
    return this.core.slices.get(key);
  }

  /** The workload finished or was deleted: its quota is released. */
  remove(key: string, status: 'finished' | 'deleted' = 'finished') {
    dropSlice(this.core, key);
    const state = this.core.states.get(key);
    if (!state) return;
    if (state.status === 'admitted') release(this.core, state);
    state.token++;
    if (status === 'deleted') this.core.states.delete(key);
    else state.status = 'finished';
  }

  podsReady(key: string) {
    const state = this.core.states.get(key);
    if (state) state.podsReady = true;
  }

  /** The next time at which a timer (requeue backoff, pods-ready timeout) needs schedule() to run. */
  nextWakeup(): number | undefined {
    return nextWakeup(this.core);
  }

  /**
   * Runs scheduling cycles at `now` until nothing more can happen (or
   * `maxCycles` have run, as Kueue's unit tests run one); returns the
   * decisions in order.
   */
  schedule(now: number, maxCycles = Infinity): Decision[] {
    const decisions: Decision[] = [];
    this.core.ledger?.advance(now);
    runTimers(this.core, now, decisions);
    drainStopped(this.core, decisions);
    for (let i = 0; i < maxCycles; i++) {
      const started = this.cycleTimes ? performance.now() : 0;
      const progress = cycle(this.core, now, decisions);
      if (this.cycleTimes) this.cycleTimes.push(performance.now() - started);
      if (!progress) break;
    }
    this.core.ledger?.capture(this.admittedStates());
    return decisions;
  }

  /**
   * Every pending workload with its reason and its position in its
   * ClusterQueue and LocalQueue (1 = next).
   */
  pending(): PendingWorkloadInfo[] {
    // Without the preemption oracle: a reason reads the same whether or not someone could be preempted, and
    // asking for every pending workload would cost a victim search each.
    return explainPending(
      [...this.core.states.values(), ...this.core.slices.values()],
      this.core.queues,
      (queue, state) => ({ ...contextFor(this.core, queue, state), oracle: undefined }),
      (state, reason) => sliceReason(this.core, state, reason),
      admissionBlockers(this.core),
    );
  }

  /** Quota and usage per ClusterQueue, per flavor/resource, in milli-units. */
  usage(): QueueUsage[] {
    return usageReport(this.core.queues.values());
  }

  /**
   * Admission fair sharing, per LocalQueue of a usage-based ClusterQueue
   * (namespace/name): what Kueue writes to its status.fairSharing
   * (consumed resources in milli-units, last decayed at) and the usage its
   * workloads are ordered by. Empty when admission fair sharing is off.
   */
  localQueueUsage(): Map<string, LocalQueueUsageReport> {
    return this.core.ledger?.report() ?? new Map();
  }

  private *admittedStates(): Iterable<WorkloadState> {
    for (const q of this.core.queues.values()) yield* q.admitted.values();
  }

  /** Weighted dominant resource share per ClusterQueue (fair sharing). */
  shares(): Map<string, number> {
    return new Map([...this.core.queues.values()].map(q => [q.spec.name, q.node.dominantResourceShare()]));
  }

  /** An independent copy, for what-if simulation (ETAs). */
  clone(): Engine {
    // The cloned inventory already holds the placements of admitted workloads.
    const copy = new Engine(this.core.config, this.options, this.core.inventory?.clone());
    if (this.core.ledger) copy.core.ledger?.copyFrom(this.core.ledger);
    const to = copy.core;
    to.budgets = this.core.budgets;
    to.podsReadyHold = this.core.podsReadyHold;
    for (const s of this.core.states.values()) {
      // Finished workloads hold nothing; copying them would make every forward simulation grow with history.
      if (s.status === 'finished') continue;
      const c: WorkloadState = { ...s, token: 0, usage: s.usage && new Map(s.usage), reserved: undefined };
      to.states.set(s.workload.key, c);
      const queue = to.queues.get(c.clusterQueue ?? '');
      if (c.status === 'admitted' && queue) charge(to, queue, c, 1, false);
      else if (c.status === 'pending') enqueue(to, c);
      if (this.core.timed.has(s)) to.timed.add(c);
    }
    for (const [key, s] of this.core.slices) {
      const c: WorkloadState = { ...s, token: 0, reserved: undefined, replaces: to.states.get(key) };
      to.slices.set(key, c);
      enqueue(to, c);
    }
    return copy;
  }
}
