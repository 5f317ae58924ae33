import type { FairSharingConfig, PreemptionPolicy } from '../config/types';
import {
  allowedBy,
  apply,
  Candidate,
  candidateOrder,
  fillBack,
  fits,
  PreemptionRequest,
  Target,
  usesAny,
} from './preemptionCommon';
import { compareShares, DominantShare, QuotaNode, weightedShare } from './quota';

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
export function fairTargets(r: PreemptionRequest): Target[] {
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
