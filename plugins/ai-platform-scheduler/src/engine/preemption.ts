import type { FairSharingConfig, PreemptionPolicy } from '../config/types';
import type { Assignment } from './assign';
import type { FlavorResource, QuotaNode } from './quota';
import type { Decision } from './types';
import { appendTo } from './appendTo';

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
  assignment: Assignment;
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

function allowedBy(policy: PreemptionPolicy, preemptor: Preemptor, c: Candidate): boolean {
  switch (policy) {
    case 'Any':
      return true;
    case 'LowerPriority':
      return c.priority < preemptor.priority;
    case 'LowerOrNewerEqualPriority':
      return (
        c.priority < preemptor.priority ||
        (c.priority === preemptor.priority && c.creationTime > preemptor.creationTime)
      );
    default:
      return false;
  }
}

function apply(c: Candidate, sign: 1 | -1) {
  for (const [key, amount] of c.usage) c.node.addUsage(key, sign * amount);
}

function fits(p: Preemptor, allowBorrowing: boolean): boolean {
  for (const [key, need] of p.assignment.usage) {
    if (need > p.node.available(key)) return false;
    if (!allowBorrowing && p.node.borrowing(key, need)) return false;
  }
  return true;
}

function usesAny(c: Candidate, keys: Set<FlavorResource>) {
  for (const key of c.usage.keys()) if (keys.has(key)) return true;
  return false;
}

function borrowingIn(c: Candidate, keys: Set<FlavorResource>) {
  for (const key of c.usage.keys()) if (keys.has(key) && c.node.borrowing(key)) return true;
  return false;
}

/**
 * Kueue's ordering of candidates: other ClusterQueues first, lower priority
 * first, most recently admitted first.
 */
function byPreference(p: Preemptor) {
  return (a: Candidate, b: Candidate) =>
    Number(a.node === p.node) - Number(b.node === p.node) ||
    a.priority - b.priority ||
    b.admittedAt - a.admittedAt ||
    a.key.localeCompare(b.key);
}

/**
 * Removes candidates in order until the preemptor fits, then adds back every
 * one it can do without (the fewest victims). Leaves usage as it found it.
 */
function minimalSet(
  p: Preemptor,
  candidates: Candidate[],
  keys: Set<FlavorResource>,
  allowBorrowing: boolean,
): Candidate[] | undefined {
  const removed: Candidate[] = [];
  let ok = false;
  for (const c of candidates) {
    if (c.node !== p.node && !borrowingIn(c, keys)) continue;
    apply(c, -1);
    removed.push(c);
    if (fits(p, allowBorrowing)) {
      ok = true;
      break;
    }
  }
  if (!ok) {
    removed.forEach(c => apply(c, 1));
    return undefined;
  }
  const targets = [removed[removed.length - 1]];
  for (let i = removed.length - 2; i >= 0; i--) {
    apply(removed[i], 1);
    if (fits(p, allowBorrowing)) continue; // not needed after all
    apply(removed[i], -1);
    targets.push(removed[i]);
  }
  targets.forEach(c => apply(c, 1));
  return targets;
}

/** Classical preemption (fair sharing off), as Kueue's preemptor computes it. */
function classicalTargets(p: Preemptor, candidates: Candidate[], keys: Set<FlavorResource>): Target[] | undefined {
  const policy = p.preemption;
  const sameQueue = candidates.filter(c => c.node === p.node && allowedBy(policy.withinClusterQueue, p, c));
  const others = candidates.filter(c => c.node !== p.node);
  const bwc = policy.borrowWithinCohort;
  if (bwc.policy !== 'Never' && p.assignment.borrowing) {
    // As Kueue: while borrowing, another queue's workload must pass reclaimWithinCohort AND be strictly below
    // the preemptor's priority (and at most maxPriorityThreshold), or the victim, requeued, could take its
    // quota straight back and the two would preempt each other forever.
    const cohort = others.filter(
      c =>
        allowedBy(policy.reclaimWithinCohort, p, c) &&
        allowedBy(bwc.policy, p, c) &&
        c.priority < p.priority &&
        (bwc.maxPriorityThreshold === undefined || c.priority <= bwc.maxPriorityThreshold),
    );
    const set = minimalSet(p, [...cohort, ...sameQueue].sort(byPreference(p)), keys, true);
    if (set)
      return set.map(c => ({
        candidate: c,
        reason: c.node === p.node ? 'InClusterQueue' : 'InCohortReclaimWhileBorrowing',
      }));
  }
  const reclaim = withinOwnQuota(p) ? others.filter(c => allowedBy(policy.reclaimWithinCohort, p, c)) : [];
  if (reclaim.length > 0) {
    const all = [...reclaim, ...sameQueue].sort(byPreference(p));
    const set = minimalSet(p, all, keys, false);
    if (set)
      return set.map(c => ({ candidate: c, reason: c.node === p.node ? 'InClusterQueue' : 'InCohortReclamation' }));
  }
  const set = minimalSet(p, sameQueue.sort(byPreference(p)), keys, true);
  return set?.map(c => ({ candidate: c, reason: 'InClusterQueue' as const }));
}

/**
 * Fair-sharing preemption: take from the ClusterQueue with the highest
 * dominant resource share while the strategy allows it, as Kueue does.
 */
function fairTargets(
  p: Preemptor,
  candidates: Candidate[],
  keys: Set<FlavorResource>,
  config: FairSharingConfig,
): Target[] | undefined {
  const sameQueue = candidates.filter(c => c.node === p.node && allowedBy(p.preemption.withinClusterQueue, p, c));
  const others = candidates.filter(c => c.node !== p.node && p.preemption.reclaimWithinCohort !== 'Never');
  for (const strategy of config.preemptionStrategies) {
    const pools = new Map<QuotaNode, Candidate[]>();
    for (const c of [...others].sort(byPreference(p))) appendTo(pools, c.node, c);
    const removed: Candidate[] = [];
    const remainingSame = [...sameQueue].sort(byPreference(p));
    let ok = fits(p, true);
    while (!ok) {
      const preemptorShare = p.node.dominantResourceShare(p.assignment.usage);
      let pick: { node: QuotaNode; share: number } | undefined;
      for (const node of pools.keys()) {
        const share = node.dominantResourceShare();
        if (!pick || share > pick.share) pick = { node, share };
      }
      let victim: Candidate | undefined;
      if (pick) {
        const pool = pools.get(pick.node)!;
        const c = pool[0];
        let allowed = borrowingIn(c, keys);
        if (allowed && strategy === 'LessThanOrEqualToFinalShare') {
          apply(c, -1);
          allowed = preemptorShare <= pick.node.dominantResourceShare();
          apply(c, 1);
        } else if (allowed) {
          allowed = preemptorShare < pick.share;
        }
        if (allowed) victim = c;
        pool.shift();
        if (pool.length === 0 || !allowed) pools.delete(pick.node);
      } else {
        victim = remainingSame.shift();
        if (!victim) break;
      }
      if (victim) {
        apply(victim, -1);
        removed.push(victim);
        ok = fits(p, true);
      }
    }
    removed.forEach(c => apply(c, 1));
    if (ok) {
      const set = minimalSet(p, removed, keys, true) ?? removed;
      return set.map(c => ({ candidate: c, reason: c.node === p.node ? 'InClusterQueue' : 'InCohortFairSharing' }));
    }
  }
  return undefined;
}

/** Reclaiming needs the preemptor to fit within its own quota afterwards. */
function withinOwnQuota(p: Preemptor): boolean {
  for (const [key, need] of p.assignment.usage) if (p.node.borrowing(key, need)) return false;
  return true;
}

/** Whether workloads of other ClusterQueues in the cohort can be victims at all. */
export function needsCohortCandidates(p: Preemptor, fairSharing: boolean): boolean {
  if (!p.node.parent) return false;
  if (fairSharing) return p.preemption.reclaimWithinCohort !== 'Never';
  if (p.preemption.borrowWithinCohort.policy !== 'Never' && p.assignment.borrowing) return true;
  return p.preemption.reclaimWithinCohort !== 'Never' && withinOwnQuota(p);
}

/** The flavor/resource pairs where the preemptor does not fit now. */
export function shortKeys(p: Preemptor): Set<FlavorResource> {
  const keys = new Set<FlavorResource>();
  for (const [key, need] of p.assignment.usage) if (need > p.node.available(key)) keys.add(key);
  return keys;
}

/**
 * Whether an admitted workload could be a victim at all: in the preemptor's
 * queue when its policy allows, elsewhere in the cohort when that queue
 * borrows what the preemptor lacks.
 */
export function mayPreempt(p: Preemptor, keys: Set<FlavorResource>, c: Candidate, fairSharing: boolean): boolean {
  if (c.key === p.key || !usesAny(c, keys)) return false;
  if (c.node === p.node) return allowedBy(p.preemption.withinClusterQueue, p, c);
  return (
    borrowingIn(c, keys) &&
    (fairSharing || p.preemption.reclaimWithinCohort !== 'Never' || p.preemption.borrowWithinCohort.policy !== 'Never')
  );
}

/**
 * The workloads to evict so that the preemptor fits, or undefined when none
 * can make room. `candidates` are the admitted workloads that pass mayPreempt.
 */
export function findTargets(
  p: Preemptor,
  keys: Set<FlavorResource>,
  candidates: Candidate[],
  fairSharing: FairSharingConfig,
): Target[] | undefined {
  if (keys.size === 0) return [];
  if (candidates.length === 0) return undefined;
  return fairSharing.enable ? fairTargets(p, candidates, keys, fairSharing) : classicalTargets(p, candidates, keys);
}
