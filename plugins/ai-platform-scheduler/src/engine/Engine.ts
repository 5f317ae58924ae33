import { defaultEngineOptions, defaultFeatureGates } from '../config/parse';
import type { EngineOptions, FeatureGates, QueueConfig } from '../config/types';
import { assignFlavors, AssignContext, Mode, reduceCounts } from './assign';
import type { BudgetStandings } from './budgets';
import { explainPending } from './explain';
import { podsReadyDeadline, podsReadyTimeout } from './podsReady';
import type { Target } from './preemption';
import { Preemptions } from './preemptionOracle';
import { buildQuotaTree, FlavorResource, QuotaNode } from './quota';
import { QueueUsage, reservationOf, usageOf, usageReport } from './quotaUsage';
import { classicalOrder, entry, fairOrder, Nomination, QueueState, shapeOf, workloadBefore } from './queueOrder';
import { routeOf } from './routing';
import { NodeInventory, NodeSpec } from './topology';
import type { Admission, Decision, PendingWorkloadInfo, Workload } from './types';
import type { WorkloadState } from './workloadState';

export type { WorkloadState, WorkloadStatus } from './workloadState';
export { workloadBefore } from './queueOrder';
export { usageOf } from './quotaUsage';

/**
 * The scheduling and quota engine: Kueue's admission semantics over a
 * snapshot of queues and workloads. Pure and deterministic: time comes in as
 * an argument, decisions come out; nothing here does I/O.
 */
export class Engine {
  private config!: QueueConfig;
  private queues = new Map<string, QueueState>();
  private readonly states = new Map<string, WorkloadState>();
  /** Queues with something in their active heap. */
  private readonly activeQueues = new Set<QueueState>();
  /** Workloads with a timer: waiting out a requeue backoff, or admitted and not yet ready under waitForPodsReady. */
  private readonly timed = new Set<WorkloadState>();
  private budgets: BudgetStandings = new Map();
  private readonly inventory?: NodeInventory;
  /** Answers the flavor assigner's and the cycle's questions about victims. */
  private readonly preemptions = new Preemptions(
    name => this.queues.get(name)!,
    () => this.options.fairSharing,
    () => this.gates,
  );
  /** Wall time of each scheduling cycle in ms, when measuring. */
  cycleTimes?: number[];

  constructor(
    config: QueueConfig,
    readonly options: EngineOptions = defaultEngineOptions,
    nodes?: NodeSpec[] | NodeInventory,
  ) {
    if (nodes) this.inventory = nodes instanceof NodeInventory ? nodes : new NodeInventory(nodes);
    this.setConfig(config);
  }

  private get gates(): FeatureGates {
    return this.options.featureGates ?? defaultFeatureGates;
  }

  /** Replaces the queue configuration; admitted workloads keep their quota, pending ones are routed again. */
  setConfig(config: QueueConfig) {
    this.config = config;
    const { clusterQueues } = buildQuotaTree(config);
    this.queues = new Map(
      [...config.clusterQueues.values()].map(cq => [cq.name, new QueueState(cq, clusterQueues.get(cq.name)!)]),
    );
    this.activeQueues.clear();
    for (const state of [...this.states.values()].sort((a, b) => (workloadBefore(a.workload, b.workload) ? -1 : 1))) {
      if (state.status === 'admitted') {
        const queue = this.queues.get(state.clusterQueue ?? '');
        if (queue) this.charge(queue, state, 1, false);
      } else if (state.status === 'pending') {
        this.enqueue(state);
      }
    }
  }

  /** Replaces the teams' budget standings; pending workloads are queued again under them. */
  setBudgets(standings: BudgetStandings) {
    this.budgets = standings;
    for (const state of this.states.values()) if (state.status === 'pending') this.enqueue(state);
  }

  get queueConfig(): QueueConfig {
    return this.config;
  }

  get(key: string): WorkloadState | undefined {
    return this.states.get(key);
  }

  workloads(): IterableIterator<WorkloadState> {
    return this.states.values();
  }

  /** Adds a pending workload. */
  submit(workload: Workload): WorkloadState {
    if (this.states.has(workload.key)) throw new Error(`workload ${workload.key} is already known to the engine`);
    const state: WorkloadState = {
      workload,
      status: 'pending',
      podsReady: false,
      requeueCount: 0,
      evictions: 0,
      token: 0,
    };
    this.states.set(workload.key, state);
    this.enqueue(state);
    return state;
  }

  /** Records a workload found already admitted (e.g. after a restart), charging its quota. */
  restoreAdmitted(workload: Workload, admission: Admission, admittedAt: number, podsReady = true): WorkloadState {
    const state = this.states.get(workload.key) ?? this.submit(workload);
    if (state.status === 'admitted') return state;
    state.token++;
    state.status = 'admitted';
    state.admission = admission;
    state.admittedAt = admittedAt;
    state.firstAdmittedAt ??= admittedAt;
    state.podsReady = podsReady;
    if (!podsReady && this.options.waitForPodsReady.enable) this.timed.add(state);
    state.clusterQueue = admission.clusterQueue;
    state.usage = usageOf(workload, admission);
    const queue = this.queues.get(admission.clusterQueue);
    if (queue) this.charge(queue, state, 1);
    return state;
  }

  /** The workload finished or was deleted: its quota is released. */
  remove(key: string, status: 'finished' | 'deleted' = 'finished') {
    const state = this.states.get(key);
    if (!state) return;
    if (state.status === 'admitted') this.release(state);
    state.token++;
    if (status === 'deleted') this.states.delete(key);
    else state.status = 'finished';
  }

  podsReady(key: string) {
    const state = this.states.get(key);
    if (state) state.podsReady = true;
  }

  /** The next time at which a timer (requeue backoff, pods-ready timeout) needs schedule() to run. */
  nextWakeup(): number | undefined {
    let next: number | undefined;
    for (const state of this.timed) {
      const t =
        state.status === 'pending' && state.requeueAt !== undefined
          ? state.requeueAt
          : podsReadyDeadline(state, this.options.waitForPodsReady);
      if (t === undefined) this.timed.delete(state);
      else if (next === undefined || t < next) next = t;
    }
    return next;
  }

  /**
   * Runs scheduling cycles at `now` until nothing more can happen (or
   * `maxCycles` have run, as Kueue's unit tests run one); returns the
   * decisions in order.
   */
  schedule(now: number, maxCycles = Infinity): Decision[] {
    const decisions: Decision[] = [];
    this.runTimers(now, decisions);
    for (let i = 0; i < maxCycles; i++) {
      const started = this.cycleTimes ? performance.now() : 0;
      const progress = this.cycle(now, decisions);
      if (this.cycleTimes) this.cycleTimes.push(performance.now() - started);
      if (!progress) break;
    }
    return decisions;
  }

  private runTimers(now: number, decisions: Decision[]) {
    const wfpr = this.options.waitForPodsReady;
    for (const state of this.timed) {
      if (state.status === 'pending' && state.requeueAt !== undefined && state.requeueAt <= now) {
        state.requeueAt = undefined;
        this.enqueue(state);
      } else if ((podsReadyDeadline(state, wfpr) ?? Infinity) <= now) {
        const clusterQueue = state.clusterQueue!;
        this.release(state);
        decisions.push(podsReadyTimeout(state, wfpr, clusterQueue, now));
      }
    }
    for (const queue of this.queues.values()) {
      if (queue.spec.stopPolicy !== 'HoldAndDrain') continue;
      for (const state of [...queue.admitted.values()]) {
        this.release(state);
        state.evictions++;
        state.status = 'pending';
        this.enqueue(state);
        decisions.push({
          type: 'Evicted',
          workload: state.workload.key,
          clusterQueue: queue.spec.name,
          reason: 'ClusterQueueStopped',
          message: `ClusterQueue ${queue.spec.name} is stopped with HoldAndDrain`,
        });
      }
    }
  }

  /** Puts a pending workload into its ClusterQueue's queue, or records why it has none. */
  private enqueue(state: WorkloadState) {
    const w = state.workload;
    state.token++;
    state.routeProblem = undefined;
    state.clusterQueue = undefined;
    const route = routeOf(this.config, this.queues, w, this.budgets);
    state.clusterQueue = route.clusterQueue;
    state.routeProblem = route.problem;
    if (route.problem || !route.queue) return;
    const queue = route.queue;
    state.deprioritized = route.deprioritized;
    if (state.requeueAt !== undefined) return; // waits for its backoff; runTimers queues it
    queue.active.push(entry(state));
    this.unstall(queue);
    this.activeQueues.add(queue);
  }

  private unstall(queue: QueueState) {
    queue.stalled = false;
    queue.reservation = undefined;
  }

  /** Charges (or refunds) a workload's quota and, unless told otherwise, its nodes under topology-aware admission. */
  private charge(queue: QueueState, state: WorkloadState, sign: 1 | -1, nodes = true) {
    queue.node.root().version++;
    for (const [key, amount] of state.usage!) queue.node.addUsage(key, sign * amount);
    if (this.inventory && nodes) {
      for (const ps of state.admission!.podSets) {
        if (!ps.topology) continue;
        const spec = state.workload.podSets.find(p => p.name === ps.name)!;
        this.inventory.apply(ps.topology, spec.requests, sign);
      }
    }
    if (sign === 1) {
      const w = state.workload;
      state.candidate = { ...w, admittedAt: state.admittedAt!, node: queue.node, usage: state.usage! };
      queue.admitted.set(w.key, state);
    } else {
      state.candidate = undefined;
      queue.admitted.delete(state.workload.key);
    }
  }

  /** Frees a workload's quota and gives every inadmissible workload of the cohort tree another chance. */
  private release(state: WorkloadState) {
    const queue = this.queues.get(state.clusterQueue ?? '');
    state.token++;
    if (!queue) return;
    this.charge(queue, state, -1);
    state.admission = undefined;
    state.usage = undefined;
    for (const node of queue.node.root().clusterQueues()) {
      const q = this.queues.get(node.name)!;
      q.unpark();
      this.unstall(q);
      if (q.hasCandidates) this.activeQueues.add(q);
    }
  }

  private context(queue: QueueState, w: Workload, memo?: Map<string, Target[]>): AssignContext {
    return {
      config: this.config,
      cq: queue.spec,
      node: queue.node,
      inventory: this.inventory,
      oracle: this.preemptions.oracle(queue, w, memo),
      fairSharing: this.options.fairSharing.enable,
    };
  }

  /** Kueue's getInitialAssignments: the whole gang by fit or preemption, else (PartialAdmission) fewer pods. */
  private nominate(queue: QueueState, state: WorkloadState): Nomination {
    const w = state.workload;
    const memo = new Map<string, Target[]>();
    const ctx = this.context(queue, w, memo);
    const assignment = assignFlavors(ctx, w);
    if (assignment.mode === Mode.Fit) return { queue, state, assignment, targets: [] };
    if (assignment.mode === Mode.Preempt) {
      const targets = this.preemptions.targetsFor(queue, w, assignment, memo);
      if (targets.length > 0) return { queue, state, assignment, targets };
    }
    if (this.gates.PartialAdmission) {
      const partial = reduceCounts(w, counts => {
        const a = assignFlavors(ctx, w, counts);
        if (a.mode === Mode.Fit) return { assignment: a, targets: [] };
        const targets = a.mode === Mode.Preempt ? this.preemptions.targetsFor(queue, w, a, memo) : [];
        return targets.length > 0 ? { assignment: a, targets } : undefined;
      });
      if (partial) return { queue, state, ...partial };
    }
    return { queue, state, assignment, targets: [] };
  }

  /** Kueue's fits check: the nomination still fits once its victims are gone, after what this cycle admitted. */
  private stillFits(n: Nomination): boolean {
    const apply = (sign: 1 | -1) =>
      n.targets.forEach(t => t.candidate.usage.forEach((v, k) => t.candidate.node.addUsage(k, sign * v)));
    apply(-1);
    try {
      if (n.state.workload.podSets.some(ps => ps.topology)) {
        const again = assignFlavors(
          this.context(n.queue, n.state.workload),
          n.state.workload,
          n.assignment.podSets.map(p => p.count),
        );
        if (again.mode !== Mode.Fit) return false;
        if (n.targets.length === 0) n.assignment = again;
        return true;
      }
      for (const [key, need] of n.assignment.usage) if (need > n.queue.node.available(key)) return false;
      return true;
    } finally {
      apply(1);
    }
  }

  private requeue(n: Nomination, inadmissible: boolean) {
    const { queue, state } = n;
    if (inadmissible && queue.spec.queueingStrategy === 'BestEffortFIFO') {
      if (queue.spec.preemption.withinClusterQueue !== 'LowerOrNewerEqualPriority') {
        queue.inadmissibleShapes.set(shapeOf(state.workload), queue.node.root().version);
      }
      queue.parked.push(entry(state));
    } else {
      queue.active.push(entry(state));
      if (inadmissible) queue.stalled = true;
      this.activeQueues.add(queue);
    }
  }

  private admit(n: Nomination, now: number): Decision {
    const { queue, state, assignment } = n;
    state.status = 'admitted';
    state.token++;
    state.admission = { clusterQueue: queue.spec.name, podSets: assignment.podSets };
    state.usage = assignment.usage;
    state.admittedAt = now;
    state.firstAdmittedAt ??= now;
    state.podsReady = false;
    state.isPreemptor = undefined;
    state.reserved = undefined;
    state.lastReason = undefined;
    this.charge(queue, state, 1);
    if (this.options.waitForPodsReady.enable) this.timed.add(state);
    return {
      type: 'Admitted',
      workload: state.workload.key,
      clusterQueue: queue.spec.name,
      admission: state.admission,
      borrowing: assignment.borrowing,
    };
  }

  /** Evicts the victims of a nomination; the preemptor becomes its queue's next head. */
  private preempt(n: Nomination, decisions: Decision[]) {
    for (const t of n.targets) {
      const victim = this.states.get(t.candidate.key)!;
      const clusterQueue = victim.clusterQueue!;
      this.release(victim);
      victim.status = 'pending';
      victim.evictions++;
      victim.lastReason = undefined;
      this.enqueue(victim);
      decisions.push({
        type: 'Preempted',
        workload: t.candidate.key,
        clusterQueue,
        preemptor: n.state.workload.key,
        reason: t.reason,
        message: `Preempted to make room for ${n.state.workload.key} in ClusterQueue ${n.queue.spec.name} (${t.reason})`,
      });
    }
    n.state.isPreemptor = true;
    n.state.reserved = n.assignment;
    n.state.lastReason = {
      code: 'WaitingForPreemption',
      message: `Waiting for ${n.targets.length} preempted workload(s) to release quota`,
    };
    n.queue.preemptor = entry(n.state);
    this.activeQueues.add(n.queue);
  }

  /**
   * Admits, before anything else is nominated, every workload whose victims
   * are gone, with the assignment it preempted for. Handing the freed quota
   * to the preemptor by construction is what keeps a victim from taking it
   * back and being preempted again, forever (Kueue narrows that window with
   * PrioritizePreemptorWorkloads; here it is closed).
   */
  private admitPreemptors(now: number, decisions: Decision[]): boolean {
    const waiting: QueueState[] = [];
    for (const queue of this.queues.values()) {
      const head = queue.preemptor;
      if (head?.state.reserved && head.token === head.state.token && head.state.status === 'pending')
        waiting.push(queue);
    }
    // In queue order, so the outcome does not depend on the order the ClusterQueues were listed in.
    waiting.sort((a, b) => (workloadBefore(a.preemptor!.state.workload, b.preemptor!.state.workload) ? -1 : 1));
    let progress = false;
    for (const queue of waiting) {
      const state = queue.preemptor!.state;
      const n: Nomination = { queue, state, assignment: state.reserved!, targets: [] };
      state.reserved = undefined;
      if (!this.stillFits(n)) continue; // the inputs changed: it is nominated afresh
      queue.preemptor = undefined;
      decisions.push(this.admit(n, now));
      progress = true;
    }
    return progress;
  }

  /** The heads of the active ClusterQueues (parking known-inadmissible shapes on the way). */
  private heads(): { nominations: Nomination[]; progress: boolean } {
    const nominations: Nomination[] = [];
    let progress = false;
    for (const queue of [...this.activeQueues]) {
      if (queue.stalled || queue.spec.stopPolicy !== 'None') {
        this.activeQueues.delete(queue);
        continue;
      }
      const version = queue.node.root().version;
      let head = queue.popHead();
      if (queue.spec.queueingStrategy === 'BestEffortFIFO') {
        while (head && queue.inadmissibleShapes.get(shapeOf(head.state.workload)) === version) {
          queue.parked.push(head);
          progress = true;
          head = queue.popHead();
        }
      }
      if (!queue.hasCandidates) this.activeQueues.delete(queue);
      if (head) nominations.push(this.nominate(queue, head.state));
    }
    return { nominations, progress };
  }

  /** One Kueue scheduling cycle: the head of every ClusterQueue, in order. Returns whether anything changed. */
  private cycle(now: number, decisions: Decision[]): boolean {
    // Quota held for this cycle: stalled StrictFIFO heads' reservations, preemptors', unreclaimable heads'.
    const held: Array<{ node: QuotaNode; usage: Map<FlavorResource, number> }> = [];
    const hold = (node: QuotaNode, usage: Map<FlavorResource, number>) => {
      for (const [key, amount] of usage) node.addUsage(key, amount);
      held.push({ node, usage });
    };
    for (const queue of this.queues.values()) {
      if (queue.stalled && queue.reservation) hold(queue.node, reservationOf(queue, queue.reservation));
    }
    const admitted = this.admitPreemptors(now, decisions);
    const { nominations, progress: parked } = this.heads();
    let progress = parked || admitted;
    const preempted = new Set<string>();
    const ordered = this.options.fairSharing.enable
      ? fairOrder(nominations, this.gates)
      : classicalOrder(nominations, this.gates);
    for (const n of ordered) {
      const mode = n.assignment.mode;
      if (mode === Mode.NoFit || (mode === Mode.Preempt && n.targets.length === 0)) {
        this.requeue(n, true);
        if (mode === Mode.Preempt && n.queue.spec.preemption.reclaimWithinCohort !== 'Any') {
          hold(n.queue.node, reservationOf(n.queue, n.assignment));
          if (n.queue.stalled) n.queue.reservation = n.assignment;
        }
        progress = true;
        continue;
      }
      if (n.targets.some(t => preempted.has(t.candidate.key)) || !this.stillFits(n)) {
        this.requeue(n, false);
        continue;
      }
      progress = true;
      if (mode === Mode.Preempt) {
        n.targets.forEach(t => preempted.add(t.candidate.key));
        this.preempt(n, decisions);
        hold(n.queue.node, n.assignment.usage);
        continue;
      }
      decisions.push(this.admit(n, now));
    }
    for (const { node, usage } of held) for (const [key, amount] of usage) node.addUsage(key, -amount);
    return progress;
  }

  /**
   * Every pending workload with its reason and its position in its
   * ClusterQueue and LocalQueue (1 = next).
   */
  pending(): PendingWorkloadInfo[] {
    // Without the preemption oracle: a reason reads the same whether or not someone could be preempted, and
    // asking for every pending workload would cost a victim search each.
    return explainPending(this.states.values(), this.queues, (queue, w) => ({
      ...this.context(queue, w),
      oracle: undefined,
    }));
  }

  /** Quota and usage per ClusterQueue, per flavor/resource, in milli-units. */
  usage(): QueueUsage[] {
    return usageReport(this.queues.values());
  }

  /** Weighted dominant resource share per ClusterQueue (fair sharing). */
  shares(): Map<string, number> {
    return new Map([...this.queues.values()].map(q => [q.spec.name, q.node.dominantResourceShare()]));
  }

  /** An independent copy, for what-if simulation (ETAs). */
  clone(): Engine {
    // The cloned inventory already holds the placements of admitted workloads.
    const copy = new Engine(this.config, this.options, this.inventory?.clone());
    copy.budgets = this.budgets;
    for (const s of this.states.values()) {
      // Finished workloads hold nothing; copying them would make every forward simulation grow with history.
      if (s.status === 'finished') continue;
      const c: WorkloadState = { ...s, token: 0, usage: s.usage && new Map(s.usage), reserved: undefined };
      copy.states.set(s.workload.key, c);
      const queue = copy.queues.get(c.clusterQueue ?? '');
      if (c.status === 'admitted' && queue) copy.charge(queue, c, 1, false);
      else if (c.status === 'pending') copy.enqueue(c);
      if (this.timed.has(s)) copy.timed.add(c);
    }
    return copy;
  }
}
