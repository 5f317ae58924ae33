import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { defaultEngineOptions } from '../config/parse';
import type { ClusterQueue, EngineOptions, LabelSelector, QueueConfig } from '../config/types';
import { assignFlavors, Assignment, AssignContext, assignPartially, Mode } from './assign';
import { Heap } from './heap';
import { Candidate, findTargets, mayPreempt, needsCohortCandidates, Preemptor, shortKeys } from './preemption';
import { buildQuotaTree, fr, FlavorResource, QuotaNode } from './quota';
import { NodeInventory, NodeSpec } from './topology';
import type { Admission, Decision, PendingWorkloadInfo, Workload } from './types';
import { appendTo } from './appendTo';

export type WorkloadStatus = 'pending' | 'admitted' | 'finished' | 'inactive';

export interface WorkloadState {
  readonly workload: Workload;
  status: WorkloadStatus;
  clusterQueue?: string;
  /** Why the workload cannot reach a ClusterQueue at all. */
  routeProblem?: Reason;
  admission?: Admission;
  usage?: Map<FlavorResource, number>;
  admittedAt?: number;
  firstAdmittedAt?: number;
  podsReady: boolean;
  requeueCount: number;
  requeueAt?: number;
  evictions: number;
  /** The reason found the last time the engine tried it. */
  lastReason?: Reason;
  /** Bumped whenever the workload is queued, so stale heap entries are skipped. */
  token: number;
}

interface Entry {
  state: WorkloadState;
  token: number;
  priority: number;
  time: number;
  key: string;
}

function entry(state: WorkloadState): Entry {
  const w = state.workload;
  return { state, token: state.token, priority: w.priority, time: w.creationTime, key: w.key };
}

/** Kueue's queue order: higher priority first, then older first. */
export function workloadBefore(a: Workload, b: Workload): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.creationTime !== b.creationTime) return a.creationTime < b.creationTime;
  return a.key < b.key;
}
function entryBefore(a: Entry, b: Entry): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.time !== b.time) return a.time < b.time;
  return a.key < b.key;
}

class QueueState {
  /** Workloads not tried since they were queued. */
  readonly active: Heap<Entry>;
  /** BestEffortFIFO: tried and found inadmissible since quota last freed up in the cohort. */
  parked: Heap<Entry>;
  /** Parked workloads given another chance because quota freed up. */
  eligible: Heap<Entry>;
  /** StrictFIFO: the head does not fit; nothing moves until quota frees. */
  stalled = false;
  /** A workload that just preempted others is this queue's next head, so the freed quota goes to it. */
  preemptor?: Entry;
  /**
   * Workload shapes found inadmissible, with the cohort tree's version at the
   * time: an identical workload behind them cannot fit either until
   * something is charged or refunded, so it is parked without another try.
   */
  readonly inadmissibleShapes = new Map<string, number>();
  readonly admitted = new Map<string, WorkloadState>();

  constructor(readonly spec: ClusterQueue, readonly node: QuotaNode) {
    this.active = new Heap(entryBefore);
    this.parked = new Heap(entryBefore);
    this.eligible = new Heap(entryBefore);
  }

  get hasCandidates() {
    return this.active.size + this.eligible.size > 0 || this.preemptor !== undefined;
  }

  /** Gives every parked workload another chance (cheap: the heaps are merged, not rebuilt). */
  unpark() {
    if (this.parked.size === 0) return;
    if (this.eligible.size < this.parked.size) [this.eligible, this.parked] = [this.parked, this.eligible];
    this.eligible.absorb(this.parked);
  }

  /** The next workload to try, in queue order across the active and eligible heaps. */
  popHead(): Entry | undefined {
    if (this.preemptor) {
      const head = this.preemptor;
      this.preemptor = undefined;
      if (head.token === head.state.token && head.state.status === 'pending') return head;
    }
    for (;;) {
      const a = this.active.peek();
      const e = this.eligible.peek();
      if (!a && !e) return undefined;
      const head = a && (!e || entryBefore(a, e)) ? this.active.pop()! : this.eligible.pop()!;
      if (head.token === head.state.token && head.state.status === 'pending') return head;
    }
  }
}

function selects(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in l;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(l[e.key])) return false;
  }
  return true;
}

const shapes = new WeakMap<Workload, string>();
/** What decides whether a workload fits: its priority and pod sets (cached per workload). */
function shapeOf(w: Workload): string {
  let shape = shapes.get(w);
  if (shape === undefined) {
    shape = `${w.priority}|${w.namespace}|${JSON.stringify(w.podSets)}`;
    shapes.set(w, shape);
  }
  return shape;
}

/** Quota an admission charges, per flavor/resource (milli-units). */
export function usageOf(workload: Workload, admission: Admission): Map<FlavorResource, number> {
  const usage = new Map<FlavorResource, number>();
  for (const ps of admission.podSets) {
    const spec = workload.podSets.find(p => p.name === ps.name);
    if (!spec) continue;
    for (const [resource, flavor] of Object.entries(ps.flavors)) {
      const key = fr(flavor, resource);
      usage.set(key, (usage.get(key) ?? 0) + (spec.requests[resource] ?? 0) * ps.count);
    }
  }
  return usage;
}

interface Nomination {
  queue: QueueState;
  state: WorkloadState;
  assignment: Assignment;
  share: number;
}

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
  private readonly inventory?: NodeInventory;
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
    const timeout = this.options.waitForPodsReady;
    for (const state of this.timed) {
      let t: number | undefined;
      if (state.status === 'pending' && state.requeueAt !== undefined) t = state.requeueAt;
      else if (timeout.enable && state.status === 'admitted' && !state.podsReady)
        t = state.admittedAt! + timeout.timeout;
      else this.timed.delete(state);
      if (t !== undefined && (next === undefined || t < next)) next = t;
    }
    return next;
  }

  /** Runs scheduling cycles at `now` until nothing more can happen; returns the decisions in order. */
  schedule(now: number): Decision[] {
    const decisions: Decision[] = [];
    this.runTimers(now, decisions);
    for (;;) {
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
      } else if (
        wfpr.enable &&
        state.status === 'admitted' &&
        !state.podsReady &&
        state.admittedAt! + wfpr.timeout <= now
      ) {
        const clusterQueue = state.clusterQueue!;
        this.release(state);
        state.requeueCount++;
        state.evictions++;
        state.status = 'pending';
        const deactivated = wfpr.backoffLimitCount !== undefined && state.requeueCount > wfpr.backoffLimitCount;
        const message = `Pods were not ready within ${wfpr.timeout / 1000}s of admission`;
        if (deactivated) {
          state.status = 'inactive';
          state.lastReason = {
            code: 'RequeueBackoff',
            message: `${message}; deactivated after ${state.requeueCount} attempts`,
          };
          decisions.push({
            type: 'Evicted',
            workload: state.workload.key,
            clusterQueue,
            reason: 'PodsReadyTimeout',
            message,
            deactivated: true,
          });
        } else {
          const backoff =
            Math.min(wfpr.backoffBaseSeconds * 2 ** (state.requeueCount - 1), wfpr.backoffMaxSeconds) * 1000;
          state.requeueAt = now + backoff;
          this.timed.add(state);
          state.lastReason = {
            code: 'RequeueBackoff',
            message: `${message}; requeued after a ${backoff / 1000}s backoff`,
          };
          decisions.push({
            type: 'Evicted',
            workload: state.workload.key,
            clusterQueue,
            reason: 'PodsReadyTimeout',
            message,
            requeueAt: state.requeueAt,
          });
        }
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
    const lq = this.config.localQueues.get(`${w.namespace}/${w.queue}`);
    if (!lq) {
      state.routeProblem = {
        code: 'QueueNotFound',
        message: `LocalQueue ${w.queue} does not exist in namespace ${w.namespace}`,
      };
      return;
    }
    const queue = this.queues.get(lq.clusterQueue);
    if (!queue) {
      state.routeProblem = {
        code: 'QueueNotFound',
        message: `ClusterQueue ${lq.clusterQueue} (of LocalQueue ${w.namespace}/${w.queue}) does not exist`,
      };
      return;
    }
    state.clusterQueue = queue.spec.name;
    if (!selects(queue.spec.namespaceSelector, this.config.namespaces.get(w.namespace))) {
      state.routeProblem = {
        code: 'NamespaceNotAllowed',
        message: `ClusterQueue ${queue.spec.name}'s namespaceSelector does not select namespace ${w.namespace}${
          queue.spec.namespaceSelector
            ? ''
            : ' (it has no namespaceSelector; set namespaceSelector: {} to allow every namespace)'
        }`,
      };
      return;
    }
    if (lq.stopPolicy !== 'None') {
      state.routeProblem = {
        code: 'QueueStopped',
        message: `LocalQueue ${w.namespace}/${w.queue} is stopped (${lq.stopPolicy})`,
      };
      return;
    }
    if (state.requeueAt !== undefined) return; // waits for its backoff; runTimers queues it
    queue.active.push(entry(state));
    queue.stalled = false;
    this.activeQueues.add(queue);
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
    if (sign === 1) queue.admitted.set(state.workload.key, state);
    else queue.admitted.delete(state.workload.key);
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
      q.stalled = false;
      if (q.hasCandidates) this.activeQueues.add(q);
    }
  }

  private context(queue: QueueState): AssignContext {
    return { config: this.config, cq: queue.spec, node: queue.node, inventory: this.inventory };
  }

  private nominate(queue: QueueState, state: WorkloadState): Nomination {
    const ctx = this.context(queue);
    let assignment = assignFlavors(ctx, state.workload);
    // Kueue shrinks a gang only when the whole one cannot be admitted even by preemption (see cycle()).
    if (assignment.mode === Mode.NoFit) assignment = assignPartially(ctx, state.workload, assignment);
    const share = this.options.fairSharing.enable ? queue.node.dominantResourceShare(assignment.usage) : 0;
    return { queue, state, assignment, share };
  }

  private stillFits(n: Nomination): boolean {
    if (n.state.workload.podSets.some(ps => ps.topology)) {
      const again = assignFlavors(
        this.context(n.queue),
        n.state.workload,
        n.assignment.podSets.map(p => p.count),
      );
      if (again.mode !== Mode.Fit) return false;
      n.assignment = again;
      return true;
    }
    for (const [key, need] of n.assignment.usage) if (need > n.queue.node.available(key)) return false;
    return true;
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

  /** Admitted workloads of the preemptor's cohort tree that could be victims. */
  private candidates(p: Preemptor, keys: Set<FlavorResource>): Candidate[] {
    const out: Candidate[] = [];
    const fair = this.options.fairSharing.enable;
    const cohort = needsCohortCandidates(p, fair);
    for (const cqNode of cohort ? p.node.root().clusterQueues() : [p.node]) {
      const skip =
        cqNode === p.node ? p.preemption.withinClusterQueue === 'Never' : ![...keys].some(key => cqNode.borrowing(key));
      if (skip) continue;
      for (const s of this.queues.get(cqNode.name)!.admitted.values()) {
        if (cqNode === p.node && s.workload.priority > p.priority) continue;
        const c = {
          key: s.workload.key,
          priority: s.workload.priority,
          creationTime: s.workload.creationTime,
          admittedAt: s.admittedAt!,
          node: cqNode,
          usage: s.usage!,
        };
        if (mayPreempt(p, keys, c, fair)) out.push(c);
      }
    }
    return out;
  }

  /**
   * Admits a nomination that fit when nominated, unless an earlier admission
   * this cycle took its room (then its cohort tree stops borrowing this cycle).
   */
  private admitIfStillFits(n: Nomination, blockedRoots: Set<QuotaNode>, decisions: Decision[], now: number): boolean {
    const root = n.queue.node.root();
    if (blockedRoots.has(root) && n.assignment.borrowing) {
      this.requeue(n, false);
      return false;
    }
    if (!this.stillFits(n)) {
      blockedRoots.add(root);
      this.requeue(n, false);
      return false;
    }
    decisions.push(this.admit(n, now));
    return true;
  }

  /** One Kueue scheduling cycle: the head of every ClusterQueue, in order. Returns whether anything changed. */
  private cycle(now: number, decisions: Decision[]): boolean {
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
    if (nominations.length === 0) return progress;
    const fair = this.options.fairSharing.enable;
    nominations.sort((a, b) => {
      if (fair && a.share !== b.share) return a.share - b.share;
      if (!fair && a.assignment.borrowing !== b.assignment.borrowing) return a.assignment.borrowing ? 1 : -1;
      return workloadBefore(a.state.workload, b.state.workload) ? -1 : 1;
    });
    const blockedRoots = new Set<QuotaNode>();
    const preempted = new Set<string>();
    for (const n of nominations) {
      const root = n.queue.node.root();
      const mode = n.assignment.mode;
      if (mode === Mode.Fit) {
        if (this.admitIfStillFits(n, blockedRoots, decisions, now)) progress = true;
        continue;
      }
      if (mode === Mode.Preempt) {
        const p: Preemptor = {
          key: n.state.workload.key,
          priority: n.state.workload.priority,
          creationTime: n.state.workload.creationTime,
          node: n.queue.node,
          assignment: n.assignment,
          preemption: n.queue.spec.preemption,
        };
        const keys = shortKeys(p);
        const targets = findTargets(p, keys, this.candidates(p, keys), this.options.fairSharing);
        if (targets && targets.length > 0) {
          if (targets.some(t => preempted.has(t.candidate.key))) {
            this.requeue(n, false);
            continue;
          }
          for (const t of targets) {
            const victim = this.states.get(t.candidate.key)!;
            preempted.add(t.candidate.key);
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
              preemptor: p.key,
              reason: t.reason,
              message: `Preempted to make room for ${p.key} in ClusterQueue ${n.queue.spec.name} (${t.reason})`,
            });
          }
          blockedRoots.add(root);
          n.state.lastReason = {
            code: 'WaitingForPreemption',
            message: `Waiting for ${targets.length} preempted workload(s) to release quota`,
          };
          n.queue.preemptor = entry(n.state);
          this.activeQueues.add(n.queue);
          progress = true;
          continue;
        }
        // Nobody can be preempted for the whole gang: admit fewer pods when its minCount allows.
        const partial = assignPartially(this.context(n.queue), n.state.workload, n.assignment);
        if (partial.mode === Mode.Fit) {
          n.assignment = partial;
          if (this.admitIfStillFits(n, blockedRoots, decisions, now)) progress = true;
          continue;
        }
      }
      this.requeue(n, true);
      progress = true;
    }
    return progress;
  }

  /**
   * Every pending workload with its reason and its position in its
   * ClusterQueue and LocalQueue (1 = next).
   */
  pending(): PendingWorkloadInfo[] {
    const byQueue = new Map<string, WorkloadState[]>();
    const out: PendingWorkloadInfo[] = [];
    for (const state of this.states.values()) {
      if (state.status !== 'pending' && state.status !== 'inactive') continue;
      if (state.routeProblem || !state.clusterQueue) {
        out.push(this.info(state, state.routeProblem ?? { code: 'QueueNotFound', message: 'No ClusterQueue' }));
        continue;
      }
      if (state.status === 'inactive') {
        // Deactivated: out of the queue (as in Kueue), so it has no position and is ahead of no one.
        out.push(this.info(state, state.lastReason ?? { code: 'RequeueBackoff', message: 'Deactivated' }));
        continue;
      }
      appendTo(byQueue, state.clusterQueue!, state);
    }
    for (const [name, states] of byQueue) {
      const queue = this.queues.get(name)!;
      states.sort((a, b) => (workloadBefore(a.workload, b.workload) ? -1 : 1));
      const perLocal = new Map<string, number>();
      let ahead = 0;
      for (const [i, state] of states.entries()) {
        const lq = `${state.workload.namespace}/${state.workload.queue}`;
        perLocal.set(lq, (perLocal.get(lq) ?? 0) + 1);
        const info = this.info(state, this.reasonFor(queue, state, ahead));
        info.positionInClusterQueue = i + 1;
        info.positionInLocalQueue = perLocal.get(lq);
        out.push(info);
        ahead++;
      }
    }
    return out;
  }

  private info(state: WorkloadState, reason: Reason): PendingWorkloadInfo {
    return {
      workload: state.workload.key,
      localQueue: `${state.workload.namespace}/${state.workload.queue}`,
      clusterQueue: state.clusterQueue,
      priority: state.workload.priority,
      reason,
      requeueAt: state.requeueAt,
    };
  }

  private reasonFor(queue: QueueState, state: WorkloadState, ahead: number): Reason {
    if (queue.spec.stopPolicy !== 'None') {
      return { code: 'QueueStopped', message: `ClusterQueue ${queue.spec.name} is stopped (${queue.spec.stopPolicy})` };
    }
    if (state.status === 'inactive' || state.requeueAt !== undefined)
      return state.lastReason ?? { code: 'RequeueBackoff', message: 'Waiting for requeue backoff' };
    if (state.lastReason?.code === 'WaitingForPreemption') return state.lastReason;
    const assignment = assignFlavors(this.context(queue), state.workload);
    if (assignment.mode === Mode.Fit) {
      return ahead === 0
        ? { code: 'WaitingInQueue', message: `Fits; admitted in the next scheduling cycle` }
        : {
            code: 'WaitingInQueue',
            message: `Fits now, but ${ahead} workload(s) are ahead of it in ClusterQueue ${queue.spec.name}`,
          };
    }
    return assignment.reason!;
  }

  /** Quota and usage per ClusterQueue, per flavor/resource, in milli-units. */
  usage(): Array<{
    clusterQueue: string;
    cohort?: string;
    resources: Array<{
      flavor: string;
      resource: string;
      nominal: number;
      borrowingLimit?: number;
      lendingLimit?: number;
      used: number;
      borrowed: number;
    }>;
  }> {
    return [...this.queues.values()].map(q => ({
      clusterQueue: q.spec.name,
      cohort: q.spec.cohort,
      resources: q.spec.resourceGroups.flatMap(g =>
        g.flavors.flatMap(f =>
          Object.entries(f.resources).map(([resource, quota]) => {
            const used = q.node.used(fr(f.flavor, resource));
            return { flavor: f.flavor, resource, ...quota, used, borrowed: Math.max(0, used - quota.nominal) };
          }),
        ),
      ),
    }));
  }

  /** Weighted dominant resource share per ClusterQueue (fair sharing). */
  shares(): Map<string, number> {
    return new Map([...this.queues.values()].map(q => [q.spec.name, q.node.dominantResourceShare()]));
  }

  /** An independent copy, for what-if simulation (ETAs). */
  clone(): Engine {
    // The cloned inventory already holds the placements of admitted workloads.
    const copy = new Engine(this.config, this.options, this.inventory?.clone());
    for (const s of this.states.values()) {
      const c: WorkloadState = { ...s, token: 0, usage: s.usage && new Map(s.usage) };
      copy.states.set(s.workload.key, c);
      const queue = copy.queues.get(c.clusterQueue ?? '');
      if (c.status === 'admitted' && queue) copy.charge(queue, c, 1, false);
      else if (c.status === 'pending') copy.enqueue(c);
      if (this.timed.has(s)) copy.timed.add(c);
    }
    return copy;
  }
}
