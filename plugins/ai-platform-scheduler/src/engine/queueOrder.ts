import type { ClusterQueue, FeatureGates } from '../config/types';
import type { Assignment } from './assign';
import { Heap } from './heap';
import type { Target } from './preemption';
import { compareShares, DominantShare, FlavorResource, QuotaNode } from './quota';
import type { Workload } from './types';
import type { WorkloadState } from './workloadState';
import { deprioritizedOffset } from './budgets';

const shapes = new WeakMap<Workload, string>();
/** What decides whether a workload fits: its priority and pod sets (cached per workload). */
export function shapeOf(w: Workload): string {
  let shape = shapes.get(w);
  if (shape === undefined) {
    shape = `${w.priority}|${w.namespace}|${JSON.stringify(w.podSets)}`;
    shapes.set(w, shape);
  }
  return shape;
}

/** A workload's place in a ClusterQueue's heaps; stale once the workload's token moves on. */
export interface Entry {
  state: WorkloadState;
  token: number;
  priority: number;
  time: number;
  key: string;
}

export function entry(state: WorkloadState): Entry {
  const w = state.workload;
  const priority = state.deprioritized ? w.priority - deprioritizedOffset : w.priority;
  return { state, token: state.token, priority, time: orderTime(state), key: w.key };
}

/** Kueue's GetQueueOrderTimestamp (ms): when the workload was queued, for the order of equal priorities. */
export function orderTime(state: WorkloadState): number {
  return state.queueOrderTime ?? state.workload.creationTime;
}

/** Kueue's queue order: higher priority first, then older first. */
export function workloadBefore(a: Workload, b: Workload): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.creationTime !== b.creationTime) return a.creationTime < b.creationTime;
  return a.key < b.key;
}

export function entryBefore(a: Entry, b: Entry): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.time !== b.time) return a.time < b.time;
  return a.key < b.key;
}

/**
 * Admission fair sharing: the usage of a workload's LocalQueue, which goes
 * before the classical order, and a version that moves when any usage does.
 */
export interface LocalQueueOrder {
  usageOf(w: Workload): number;
  readonly version: number;
}

/** One ClusterQueue's pending workloads, in Kueue's order, and what it has admitted. */
export class QueueState {
  /** Workloads not tried since they were queued. */
  readonly active: Heap<Entry>;
  /** BestEffortFIFO: tried and found inadmissible since quota last freed up in the cohort. */
  parked: Heap<Entry>;
  /** Parked workloads given another chance because quota freed up. */
  eligible: Heap<Entry>;
  /** StrictFIFO: the head does not fit; nothing moves until quota frees. */
  stalled = false;
  /**
   * A stalled StrictFIFO head that needs preemption nobody can give, in a
   * queue that cannot always reclaim: Kueue keeps its quota idle for it
   * rather than lending it out (capacity reservation).
   */
  reservation?: Assignment;
  /** A workload that just preempted others is this queue's next head, so the freed quota goes to it. */
  preemptor?: Entry;
  /**
   * Workload shapes found inadmissible, with the cohort tree's version at the
   * time: an identical workload behind them cannot fit either until
   * something is charged or refunded, so it is parked without another try.
   */
  readonly inadmissibleShapes = new Map<string, number>();
  readonly admitted = new Map<string, WorkloadState>();
  /** Kueue's queue order here: by LocalQueue usage first under admission fair sharing. */
  readonly before: (a: Entry, b: Entry) => boolean;
  private orderVersion?: number;

  constructor(readonly spec: ClusterQueue, readonly node: QuotaNode, private readonly lqOrder?: LocalQueueOrder) {
    this.before = lqOrder
      ? (a, b) => {
          const ua = lqOrder.usageOf(a.state.workload);
          const ub = lqOrder.usageOf(b.state.workload);
          return ua !== ub ? ua < ub : entryBefore(a, b);
        }
      : entryBefore;
    this.orderVersion = lqOrder?.version;
    this.active = new Heap(this.before);
    this.parked = new Heap(this.before);
    this.eligible = new Heap(this.before);
  }

  get usesLocalQueueOrder(): boolean {
    return this.lqOrder !== undefined;
  }

  /** `workloadBefore`, by LocalQueue usage first under admission fair sharing. */
  workloadBefore(a: Workload, b: Workload): boolean {
    if (this.lqOrder) {
      const ua = this.lqOrder.usageOf(a);
      const ub = this.lqOrder.usageOf(b);
      if (ua !== ub) return ua < ub;
    }
    return workloadBefore(a, b);
  }

  /** LocalQueue usage moved since the heaps were ordered: order them again (Kueue rebuilds its heap). */
  private reorder() {
    if (!this.lqOrder || this.lqOrder.version === this.orderVersion) return;
    this.orderVersion = this.lqOrder.version;
    this.active.rebuild();
    this.parked.rebuild();
    this.eligible.rebuild();
  }

  /** Quota moved: a stalled StrictFIFO head gets another try and holds no reservation. */
  unstall() {
    this.stalled = false;
    this.reservation = undefined;
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
    this.reorder();
    for (;;) {
      const a = this.active.peek();
      const e = this.eligible.peek();
      if (!a && !e) return undefined;
      const head = a && (!e || this.before(a, e)) ? this.active.pop()! : this.eligible.pop()!;
      if (head.token === head.state.token && head.state.status === 'pending') return head;
    }
  }
}

/** A ClusterQueue's head with the flavors found for it and, when it needs preemption, its victims. */
export interface Nomination {
  queue: QueueState;
  state: WorkloadState;
  assignment: Assignment;
  targets: Target[];
}

function byPriorityThenTime(a: Nomination, b: Nomination, gates: FeatureGates): number {
  const wa = a.state.workload;
  const wb = b.state.workload;
  if (gates.PrioritySortingWithinCohort && wa.priority !== wb.priority) return wb.priority - wa.priority;
  const ta = orderTime(a.state);
  const tb = orderTime(b.state);
  if (ta !== tb) return ta - tb;
  return Number(wa.key > wb.key) - Number(wa.key < wb.key);
}

function preemptorsFirst(a: Nomination, b: Nomination, gates: FeatureGates): number {
  if (!gates.PrioritizePreemptorWorkloads) return 0;
  return Number(b.state.isPreemptor === true) - Number(a.state.isPreemptor === true);
}

/**
 * Kueue's classical iterator: heads that borrow from fewer cohort levels
 * first, then by priority (PrioritySortingWithinCohort), then oldest first.
 */
export function classicalOrder(nominations: Nomination[], gates: FeatureGates): Nomination[] {
  return nominations.sort(
    (a, b) =>
      preemptorsFirst(a, b, gates) ||
      a.assignment.borrowLevel - b.assignment.borrowLevel ||
      byPriorityThenTime(a, b, gates),
  );
}

/**
 * Kueue's fair-sharing iterator: one head at a time, chosen by a tournament
 * up the cohort tree on the dominant resource share each would have once
 * admitted (recomputed after every admission), heads that do not borrow first.
 */
export function* fairOrder(nominations: Nomination[], gates: FeatureGates): Generator<Nomination> {
  const remaining = new Set(nominations);
  while (remaining.size > 0) {
    const first = remaining.values().next().value as Nomination;
    if (!first.queue.node.parent) {
      remaining.delete(first);
      yield first;
      continue;
    }
    const root = first.queue.node.root();
    const inTree = new Map<QuotaNode, Nomination>();
    for (const n of remaining) if (n.queue.node.root() === root) inTree.set(n.queue.node, n);
    const shares = sharesPerLevel(inTree);
    const winner = tournament(root, inTree, shares, gates)!;
    remaining.delete(winner);
    yield winner;
  }
}

/** Per cohort and head: the share, seen from that cohort, of the child through which the head would be admitted. */
function sharesPerLevel(inTree: Map<QuotaNode, Nomination>): Map<QuotaNode, Map<Nomination, DominantShare>> {
  const out = new Map<QuotaNode, Map<Nomination, DominantShare>>();
  for (const [node, n] of inTree) {
    for (const [key, amount] of n.assignment.usage) node.addUsage(key, amount);
    let share = node.share();
    for (let ancestor = node.parent; ancestor; ancestor = ancestor.parent) {
      let perLevel = out.get(ancestor);
      if (!perLevel) out.set(ancestor, (perLevel = new Map()));
      perLevel.set(n, share);
      share = ancestor.share();
    }
    for (const [key, amount] of n.assignment.usage) node.addUsage(key, -amount);
  }
  return out;
}

function borrowsOn(share: DominantShare, usage: Map<FlavorResource, number>): boolean {
  return share.borrowed.some(key => (usage.get(key) ?? 0) > 0);
}

function tournament(
  cohort: QuotaNode,
  inTree: Map<QuotaNode, Nomination>,
  shares: Map<QuotaNode, Map<Nomination, DominantShare>>,
  gates: FeatureGates,
): Nomination | undefined {
  const contenders: Nomination[] = [];
  for (const child of cohort.children) {
    const n = child.isClusterQueue ? inTree.get(child) : tournament(child, inTree, shares, gates);
    if (n) contenders.push(n);
  }
  const level = shares.get(cohort)!;
  let best: Nomination | undefined;
  for (const n of contenders) {
    if (!best) {
      best = n;
      continue;
    }
    const a = level?.get(n)!;
    const b = level?.get(best)!;
    const aBorrows = borrowsOn(a, n.assignment.usage);
    const bBorrows = borrowsOn(b, best.assignment.usage);
    const cmp =
      preemptorsFirst(n, best, gates) ||
      Number(aBorrows) - Number(bBorrows) ||
      compareShares(a, b) ||
      byPriorityThenTime(n, best, gates);
    if (cmp < 0) best = n;
  }
  return best;
}
