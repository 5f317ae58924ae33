import { fairTargets } from './fairSharing';
import {
  allowedBy,
  apply,
  Candidate,
  candidateOrder,
  fillBack,
  fits,
  PreemptionReason,
  PreemptionRequest,
  Preemptor,
  Target,
  usesAny,
} from './preemptionCommon';
import type { QuotaNode } from './quota';

export type { Candidate, PreemptionRequest, Preemptor, Target } from './preemptionCommon';
export { candidateOrder } from './preemptionCommon';

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

/**
 * The workloads to evict so that the preemptor fits, as Kueue's preemptor
 * chooses them; empty when preemption cannot make room. Leaves usage as it
 * found it.
 */
export function findTargets(r: PreemptionRequest): Target[] {
  if (r.keys.size === 0) return [];
  return r.fairSharing.enable ? fairTargets(r) : classicalTargets(r);
}
