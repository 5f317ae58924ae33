import type { FairSharingConfig, FeatureGates, PreemptionPolicy } from '../config/types';
import { compareShares, DominantShare, FlavorResource, QuotaNode, weightedShare } from './quota';
import type { Decision } from './types';

type PreemptionReason = Extract<Decision, { type: 'Preempted' }>['reason'];

/** What preemption needs to know about an admitted workload. */
export interface Candidate {
  key: string;
  priority: number;
  creationTime: number;
  admittedAt: number;
  node: QuotaNode;
  usage: Map<FlavorResource, number>;
}

export interface Preemptor {
  key: string;
  priority: number;
  creationTime: number;
  node: QuotaNode;
  preemption: {
    withinClusterQueue: PreemptionPolicy;
    reclaimWithinCohort: PreemptionPolicy;
    borrowWithinCohort: { policy: PreemptionPolicy; maxPriorityThreshold?: number };
  };
}

export interface Target {
  candidate: Candidate;
  reason: PreemptionReason;
}

/** One question to the preemptor: whom to evict so that `usage` fits, freeing the flavor/resources `keys`. */
export interface PreemptionRequest {
  preemptor: Preemptor;
  /** The flavor/resource pairs that need preemption. */
  keys: Set<FlavorResource>;
  /** Everything the preemptor would use. */
  usage: Map<FlavorResource, number>;
  /** The admitted workloads of a ClusterQueue. */
  admitted: (clusterQueue: QuotaNode) => Iterable<Candidate>;
  fairSharing: FairSharingConfig;
  gates: FeatureGates;
}

/** Kueue's SatisfiesPreemptionPolicy. */
function allowedBy(policy: PreemptionPolicy, p: Preemptor, c: Candidate): boolean {
  switch (policy) {
    case 'Any':
      return true;
    case 'LowerPriority':
      return c.priority < p.priority;
    case 'LowerOrNewerEqualPriority':
      return c.priority < p.priority || (c.priority === p.priority && c.creationTime > p.creationTime);
    default:
      return false;
  }
}

function apply(c: Candidate, sign: 1 | -1) {
  for (const [key, amount] of c.usage) c.node.addUsage(key, sign * amount);
}

function usesAny(c: Candidate, keys: Set<FlavorResource>) {
  for (const key of c.usage.keys()) if (keys.has(key)) return true;
  return false;
}

/** Kueue's workloadFits: within what the ClusterQueue can use now, and within nominal unless borrowing is allowed. */
function fits(r: PreemptionRequest, allowBorrowing: boolean): boolean {
  const node = r.preemptor.node;
  for (const [key, need] of r.usage) {
    if (!allowBorrowing && node.borrowing(key, need)) return false;
    if (need > node.available(key)) return false;
  }
  return true;
}

/**
 * Kueue's CandidatesOrdering: other ClusterQueues' workloads first, then
 * lower priority, then the most recently admitted.
 */
export function candidateOrder(preemptorQueue: QuotaNode) {
  return (a: Candidate, b: Candidate) =>
    Number(a.node === preemptorQueue) - Number(b.node === preemptorQueue) ||
    a.priority - b.priority ||
    b.admittedAt - a.admittedAt ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Adds back, newest removal first, every victim the preemptor can do without (Kueue's fillBackWorkloads). */
function fillBack(r: PreemptionRequest, targets: Target[], allowBorrowing: boolean): Target[] {
  const kept = [...targets];
  for (let i = kept.length - 2; i >= 0; i--) {
    apply(kept[i].candidate, 1);
    if (fits(r, allowBorrowing)) kept.splice(i, 1);
    else apply(kept[i].candidate, -1);
  }
  return kept;
}

type Variant = 'WithinClusterQueue' | 'HierarchicalReclaim' | 'ReclaimWithoutBorrowing' | 'ReclaimWhileBorrowing';
const reasonOf: Record<Variant, PreemptionReason> = {
  WithinClusterQueue: 'InClusterQueue',
  HierarchicalReclaim: 'InCohortReclamation',
  ReclaimWithoutBorrowing: 'InCohortReclamation',
  ReclaimWhileBorrowing: 'InCohortReclaimWhileBorrowing',
};

interface Classified {
  candidate: Candidate;
  /** The cohort under which the candidate was found (the lowest common ancestor with the preemptor). */
  lca?: QuotaNode;
  variant: Variant;
}

const borrowWithinCohortForbidden = (p: Preemptor) => p.preemption.borrowWithinCohort.policy === 'Never';

/** Kueue's classifyPreemptionVariant. */
function classify(r: PreemptionRequest, c: Candidate, hierarchicalAdvantage: boolean): Variant | undefined {
  const p = r.preemptor;
  if (!usesAny(c, r.keys)) return undefined;
  const own = c.node === p.node;
  if (!allowedBy(own ? p.preemption.withinClusterQueue : p.preemption.reclaimWithinCohort, p, c)) return undefined;
  if (own) return 'WithinClusterQueue';
  if (hierarchicalAdvantage) return 'HierarchicalReclaim';
  if (borrowWithinCohortForbidden(p)) return 'ReclaimWithoutBorrowing';
  const threshold = p.preemption.borrowWithinCohort.maxPriorityThreshold;
  if (c.priority >= p.priority || (threshold !== undefined && c.priority > threshold)) return 'ReclaimWithoutBorrowing';
  return 'ReclaimWhileBorrowing';
}

function classifyAll(
  r: PreemptionRequest,
  queue: QuotaNode,
  lca: QuotaNode | undefined,
  advantage: boolean,
  out: Classified[],
) {
  for (const candidate of r.admitted(queue)) {
    const variant = classify(r, candidate, advantage);
    if (variant) out.push({ candidate, lca, variant });
  }
}

/** Kueue's collectCandidatesInSubtree: queues and cohorts that use more than their quota of what is needed. */
function collectInSubtree(
  r: PreemptionRequest,
  cohort: QuotaNode,
  subtreeRoot: QuotaNode,
  skip: QuotaNode | undefined,
  advantage: boolean,
  out: Classified[],
) {
  for (const child of cohort.children) {
    if (child.isClusterQueue || child === skip || child.withinNominal(r.keys)) continue;
    collectInSubtree(r, child, subtreeRoot, skip, advantage, out);
  }
  for (const child of cohort.children) {
    if (!child.isClusterQueue || child === r.preemptor.node || child.withinNominal(r.keys)) continue;
    classifyAll(r, child, subtreeRoot, advantage, out);
  }
}

/**
 * Kueue's hierarchical candidate collection: walking up from the preemptor's
 * ClusterQueue, candidates found below a cohort whose quota covers the
 * preemptor's request may be reclaimed whatever their priority allows
 * (hierarchical advantage); the others by priority.
 */
function cohortCandidates(r: PreemptionRequest): { hierarchy: Classified[]; byPriority: Classified[] } {
  const hierarchy: Classified[] = [];
  const byPriority: Classified[] = [];
  const p = r.preemptor;
  if (!p.node.parent || p.preemption.reclaimWithinCohort === 'Never') return { hierarchy, byPriority };
  let { fits: advantage, remaining } = p.node.fitsInQuota(r.usage);
  let previous: QuotaNode | undefined;
  for (let cohort: QuotaNode | undefined = p.node.parent; cohort; cohort = cohort.parent) {
    collectInSubtree(r, cohort, cohort, previous, advantage, advantage ? hierarchy : byPriority);
    const step = cohort.fitsInQuota(remaining);
    remaining = step.remaining;
    advantage = advantage || step.fits;
    previous = cohort;
  }
  return { hierarchy, byPriority };
}

/** Kueue's candidateIsValid: the candidate's queue, and every cohort up to the common ancestor, still borrow. */
function stillValid(r: PreemptionRequest, e: Classified, allowBorrowing: boolean): boolean {
  if (e.candidate.node === r.preemptor.node) return true;
  if (allowBorrowing && e.variant === 'ReclaimWithoutBorrowing') return false;
  for (let node: QuotaNode | undefined = e.candidate.node; node && node !== e.lca; node = node.parent) {
    if (node.withinNominal(r.keys)) return false;
  }
  return true;
}

/** Kueue's classical preemption (fair sharing off). */
function classicalTargets(r: PreemptionRequest): Target[] {
  const p = r.preemptor;
  const order = candidateOrder(p.node);
  const byOrder = (a: Classified, b: Classified) => order(a.candidate, b.candidate);
  const sameQueue: Classified[] = [];
  if (p.preemption.withinClusterQueue !== 'Never') classifyAll(r, p.node, undefined, false, sameQueue);
  const { hierarchy, byPriority } = cohortCandidates(r);
  const all = [...hierarchy.sort(byOrder), ...byPriority.sort(byOrder), ...sameQueue.sort(byOrder)];
  const forbidden = borrowWithinCohortForbidden(p);
  let attempts: boolean[];
  if (hierarchy.length + byPriority.length === 0 || (forbidden && !underNominal(r))) attempts = [true];
  else if (forbidden && hierarchy.length === 0) attempts = [false, true];
  else attempts = [true, false];
  for (const allowBorrowing of attempts) {
    const targets: Target[] = [];
    for (const e of all) {
      if (!stillValid(r, e, allowBorrowing)) continue;
      apply(e.candidate, -1);
      targets.push({ candidate: e.candidate, reason: reasonOf[e.variant] });
      if (fits(r, allowBorrowing)) {
        const kept = fillBack(r, targets, allowBorrowing);
        kept.forEach(t => apply(t.candidate, 1));
        return kept;
      }
    }
    targets.forEach(t => apply(t.candidate, 1));
  }
  return [];
}

/** Kueue's queueUnderNominalInResourcesNeedingPreemption. */
function underNominal(r: PreemptionRequest): boolean {
  const node = r.preemptor.node;
  for (const key of r.keys) if ((node.quota.get(key)?.nominal ?? 0) <= node.used(key)) return false;
  return true;
}

/** The child of the lowest common ancestor of a and b on a's side (Kueue's almost-LCA), or a itself at the top. */
function almostLca(a: QuotaNode, b: QuotaNode): QuotaNode {
  const ancestorsOfB = new Set<QuotaNode>();
  for (let n: QuotaNode | undefined = b; n; n = n.parent) ancestorsOfB.add(n);
  let child = a;
  for (let n: QuotaNode | undefined = a; n; n = n.parent) {
    if (ancestorsOfB.has(n)) return child;
    child = n;
  }
  return child;
}

const negativeShare: DominantShare = { ratio: -1, weight: 1, borrowed: [] };

/**
 * Kueue's TargetClusterQueueOrdering: walks the cohort tree towards the
 * ClusterQueue (or cohort) with the highest dominant resource share that has
 * candidates, pruning what does not borrow.
 */
class TargetOrdering {
  private readonly byQueue = new Map<QuotaNode, Candidate[]>();
  private readonly pruned = new Set<QuotaNode>();
  private readonly ancestors = new Set<QuotaNode>();

  constructor(private readonly preemptorQueue: QuotaNode, candidates: Candidate[]) {
    for (let n = preemptorQueue.parent; n; n = n.parent) this.ancestors.add(n);
    for (const c of candidates) {
      const list = this.byQueue.get(c.node) ?? [];
      list.push(c);
      this.byQueue.set(c.node, list);
    }
  }

  has(queue: QuotaNode) {
    return (this.byQueue.get(queue)?.length ?? 0) > 0;
  }

  pop(queue: QuotaNode): Candidate {
    return this.byQueue.get(queue)!.shift()!;
  }

  drop(queue: QuotaNode) {
    this.pruned.add(queue);
  }

  /** The next ClusterQueue to take from, or undefined when none is left. */
  next(): QuotaNode | undefined {
    const q = this.preemptorQueue;
    if (!q.parent) return !this.pruned.has(q) && this.has(q) ? q : undefined;
    const root = q.root();
    while (!this.pruned.has(root)) {
      const target = this.nextIn(root);
      if (target) return target;
    }
    return undefined;
  }

  private nextIn(cohort: QuotaNode): QuotaNode | undefined {
    let bestQueue: QuotaNode | undefined;
    let bestQueueShare = negativeShare;
    let bestCohort: QuotaNode | undefined;
    let bestCohortShare = negativeShare;
    const order = candidateOrder(this.preemptorQueue);
    for (const child of cohort.children) {
      if (this.pruned.has(child)) continue;
      const share = child.share();
      if (child.isClusterQueue) {
        if ((share.borrowed.length === 0 && child !== this.preemptorQueue) || !this.has(child)) {
          this.pruned.add(child);
          continue;
        }
        const cmp = compareShares(share, bestQueueShare);
        if (
          cmp > 0 ||
          (cmp === 0 && bestQueue && order(this.byQueue.get(child)![0], this.byQueue.get(bestQueue)![0]) < 0)
        ) {
          bestQueue = child;
          bestQueueShare = share;
        }
      } else if (share.borrowed.length === 0 && !this.ancestors.has(child)) {
        this.pruned.add(child);
      } else if (compareShares(share, bestCohortShare) >= 0) {
        bestCohort = child;
        bestCohortShare = share;
      }
    }
    if (!bestQueue && !bestCohort) {
      this.pruned.add(cohort);
      return undefined;
    }
    if (bestCohort && compareShares(bestCohortShare, bestQueueShare) >= 0) return this.nextIn(bestCohort);
    return bestQueue;
  }
}

/** The preemptor's and the target's shares where their paths meet (Kueue's ComputeShares). */
function sharesAt(p: QuotaNode, target: QuotaNode) {
  return { preemptor: almostLca(p, target).share(), target: almostLca(target, p).share() };
}

type Strategy = FairSharingConfig['preemptionStrategies'][number];
function passes(strategy: Strategy, preemptorNew: DominantShare, targetOld: DominantShare, targetNew: DominantShare) {
  return strategy === 'LessThanOrEqualToFinalShare'
    ? compareShares(preemptorNew, targetNew) <= 0
    : compareShares(preemptorNew, targetOld) < 0;
}

function fitsForFairSharing(r: PreemptionRequest): boolean {
  const node = r.preemptor.node;
  for (const [key, amount] of r.usage) node.addUsage(key, -amount);
  const ok = fits(r, true);
  for (const [key, amount] of r.usage) node.addUsage(key, amount);
  return ok;
}

/** Kueue's runFirstFsStrategy. */
function firstStrategy(r: PreemptionRequest, candidates: Candidate[], strategy: Strategy, targets: Target[]) {
  const p = r.preemptor;
  const ordering = new TargetOrdering(p.node, candidates);
  const retry: Candidate[] = [];
  let withinNominal = r.gates.FairSharingPreemptWithinNominal;
  for (const key of r.keys) if (p.node.borrowing(key)) withinNominal = false;
  for (let queue = ordering.next(); queue; queue = ordering.next()) {
    if (queue === p.node || withinNominal) {
      const c = ordering.pop(queue);
      apply(c, -1);
      targets.push({ candidate: c, reason: queue === p.node ? 'InClusterQueue' : 'InCohortReclamation' });
      if (fitsForFairSharing(r)) return { fits: true, retry };
      continue;
    }
    const shares = sharesAt(p.node, queue);
    if (weightedShare(shares.preemptor) === Infinity && weightedShare(shares.target) !== Infinity) {
      while (ordering.has(queue)) retry.push(ordering.pop(queue));
      continue;
    }
    while (ordering.has(queue)) {
      const c = ordering.pop(queue);
      apply(c, -1);
      const targetNew = almostLca(queue, p.node).share();
      if (passes(strategy, shares.preemptor, shares.target, targetNew)) {
        targets.push({ candidate: c, reason: 'InCohortFairSharing' });
        if (fitsForFairSharing(r)) return { fits: true, retry };
        break;
      }
      apply(c, 1);
      retry.push(c);
    }
  }
  return { fits: false, retry };
}

/** Kueue's runSecondFsStrategy: one more victim per queue, while the preemptor stays below the target's share. */
function secondStrategy(r: PreemptionRequest, retry: Candidate[], targets: Target[]): boolean {
  const p = r.preemptor;
  const ordering = new TargetOrdering(p.node, retry);
  for (let queue = ordering.next(); queue; queue = ordering.next()) {
    const shares = sharesAt(p.node, queue);
    const c = ordering.pop(queue);
    if (compareShares(shares.preemptor, shares.target) < 0) {
      apply(c, -1);
      targets.push({ candidate: c, reason: 'InCohortFairSharing' });
      if (fitsForFairSharing(r)) return true;
    }
    ordering.drop(queue);
  }
  return false;
}

/** Kueue's findCandidates for fair sharing. */
function fairCandidates(r: PreemptionRequest): Candidate[] {
  const p = r.preemptor;
  const out: Candidate[] = [];
  const take = (queue: QuotaNode, policy: PreemptionPolicy) => {
    for (const c of r.admitted(queue))
      if (c.key !== p.key && allowedBy(policy, p, c) && usesAny(c, r.keys)) out.push(c);
  };
  if (p.preemption.withinClusterQueue !== 'Never') take(p.node, p.preemption.withinClusterQueue);
  if (p.node.parent && p.preemption.reclaimWithinCohort !== 'Never') {
    for (const queue of p.node.root().clusterQueues()) {
      if (queue === p.node || ![...r.keys].some(key => queue.borrowing(key))) continue;
      take(queue, p.preemption.reclaimWithinCohort);
    }
  }
  return out.sort(candidateOrder(p.node));
}

/** Kueue's fair-sharing preemption. */
function fairTargets(r: PreemptionRequest): Target[] {
  const candidates = fairCandidates(r);
  if (candidates.length === 0) return [];
  const node = r.preemptor.node;
  for (const [key, amount] of r.usage) node.addUsage(key, amount);
  const targets: Target[] = [];
  const strategies = r.fairSharing.preemptionStrategies;
  const first = firstStrategy(r, candidates, strategies[0], targets);
  let ok = first.fits;
  if (!ok && strategies.length > 1) ok = secondStrategy(r, first.retry, targets);
  for (const [key, amount] of r.usage) node.addUsage(key, -amount);
  if (!ok) {
    targets.forEach(t => apply(t.candidate, 1));
    return [];
  }
  const kept = fillBack(r, targets, true);
  kept.forEach(t => apply(t.candidate, 1));
  return kept;
}

/**
 * The workloads to evict so that the preemptor fits, as Kueue's preemptor
 * chooses them; empty when preemption cannot make room. Leaves usage as it
 * found it.
 */
export function findTargets(r: PreemptionRequest): Target[] {
  if (r.keys.size === 0) return [];
  return r.fairSharing.enable ? fairTargets(r) : classicalTargets(r);
}
