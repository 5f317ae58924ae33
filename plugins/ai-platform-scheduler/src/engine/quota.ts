import type { QueueConfig, ResourceGroup, ResourceQuota } from '../config/types';

/** A flavor/resource pair, e.g. "h100/nvidia.com/gpu". */
export type FlavorResource = string;
const frCache = new Map<string, Map<string, FlavorResource>>();
/** The key of a flavor/resource pair (interned: the scheduling loop builds these constantly). */
export function fr(flavor: string, resource: string): FlavorResource {
  let perFlavor = frCache.get(flavor);
  if (!perFlavor) frCache.set(flavor, (perFlavor = new Map()));
  let key = perFlavor.get(resource);
  if (!key) perFlavor.set(resource, (key = `${flavor}/${resource}`));
  return key;
}
export const resourceOf = (key: FlavorResource) => key.slice(key.indexOf('/') + 1);
export const flavorOf = (key: FlavorResource) => key.slice(0, key.indexOf('/'));

/**
 * Kueue's dominant resource share: the largest borrowed/lendable ratio (per
 * 1000) and the weight it is divided by. Kept apart so that two queues of
 * weight 0 still compare by how much they borrow (Kueue's CompareDRS), not as
 * two equal infinities, which would let them preempt each other forever.
 */
export interface DominantShare {
  ratio: number;
  weight: number;
  /** The flavor/resource pairs borrowed. */
  borrowed: FlavorResource[];
}

/** The share as one number: Infinity for a weight-0 queue that borrows. */
export function weightedShare(d: DominantShare): number {
  if (d.ratio === 0) return 0;
  return d.weight === 0 ? Infinity : d.ratio / d.weight;
}

/** Kueue's CompareDRS: negative when a's share is lower than b's. */
export function compareShares(a: DominantShare, b: DominantShare): number {
  const aZero = a.weight === 0 && a.ratio !== 0;
  const bZero = b.weight === 0 && b.ratio !== 0;
  if (aZero && bZero) return a.ratio - b.ratio;
  if (aZero) return 1;
  if (bZero) return -1;
  return weightedShare(a) - weightedShare(b);
}

/**
 * One ClusterQueue or Cohort in the quota tree. Quota semantics follow
 * Kueue's hierarchical cohorts: a node lends everything above its
 * lendingLimit-guarded share to its parent, and may borrow from its parent up
 * to its borrowingLimit.
 */
export class QuotaNode {
  readonly children: QuotaNode[] = [];
  parent?: QuotaNode;
  /** Own nominal quota and limits. */
  readonly quota = new Map<FlavorResource, ResourceQuota>();
  /** Own nominal plus what the children lend. */
  readonly subtree = new Map<FlavorResource, number>();
  readonly usage = new Map<FlavorResource, number>();
  /** Bumped on the root whenever anything in its tree is charged or refunded. */
  version = 0;
  private cachedHeight?: number;

  constructor(readonly name: string, readonly isClusterQueue: boolean, readonly fairSharingWeight: number) {}

  guaranteed(key: FlavorResource): number {
    const lend = this.quota.get(key)?.lendingLimit;
    return lend === undefined ? 0 : Math.max(0, (this.subtree.get(key) ?? 0) - lend);
  }

  used(key: FlavorResource): number {
    return this.usage.get(key) ?? 0;
  }

  /** Own quota not lent to the parent and not yet used (Kueue's LocalAvailable). */
  localAvailable(key: FlavorResource): number {
    return Math.max(0, this.guaranteed(key) - this.used(key));
  }

  /** Usage within this node's own quota (and what its children lend) for every one of the keys. */
  withinNominal(keys: Iterable<FlavorResource>): boolean {
    for (const key of keys) if (this.used(key) > (this.subtree.get(key) ?? 0)) return false;
    return true;
  }

  /** Kueue's node height: 0 for a ClusterQueue, 1 for a cohort of ClusterQueues, +1 per level of child cohorts. */
  height(): number {
    if (this.cachedHeight === undefined) {
      let h = this.isClusterQueue ? 0 : Math.min(this.children.length, 1);
      for (const c of this.children) if (!c.isClusterQueue) h = Math.max(h, c.height() + 1);
      this.cachedHeight = h;
    }
    return this.cachedHeight;
  }

  /**
   * How far up the cohort tree `amount` more of `key` has to come from: 0
   * within the ClusterQueue's own quota, else the height of the lowest
   * ancestor whose subtree has room (Kueue's FindHeightOfLowestSubtreeThatFits).
   * `reclaimable` says whether that ancestor has a parent to reclaim from.
   */
  borrowLevel(key: FlavorResource, amount: number): { level: number; reclaimable: boolean } {
    if (!this.parent || !this.borrowing(key, amount)) return { level: 0, reclaimable: this.parent !== undefined };
    let remaining = amount - this.localAvailable(key);
    for (let node: QuotaNode | undefined = this.parent; node; node = node.parent) {
      if (!node.borrowing(key, remaining)) return { level: node.height(), reclaimable: node.parent !== undefined };
      remaining -= node.localAvailable(key);
    }
    return { level: this.root().height(), reclaimable: false };
  }

  /** Whether `requests` fit in this node's subtree quota, and what is left once its local quota is used (Kueue's QuantitiesFitInQuota). */
  fitsInQuota(requests: Map<FlavorResource, number>): { fits: boolean; remaining: Map<FlavorResource, number> } {
    let fits = true;
    const remaining = new Map<FlavorResource, number>();
    for (const [key, v] of requests) {
      if ((this.subtree.get(key) ?? 0) < this.used(key) + v) fits = false;
      remaining.set(key, Math.max(0, v - this.localAvailable(key)));
    }
    return { fits, remaining };
  }

  /** What a workload here could use now: local guaranteed quota plus what the ancestors can give. */
  available(key: FlavorResource): number {
    const subtree = this.subtree.get(key) ?? 0;
    const usage = this.used(key);
    if (!this.parent) return Math.max(0, subtree - usage);
    const guaranteed = this.guaranteed(key);
    const local = Math.max(0, guaranteed - usage);
    let fromParent = this.parent.available(key);
    const borrowingLimit = this.quota.get(key)?.borrowingLimit;
    if (borrowingLimit !== undefined) {
      const storedInParent = subtree - guaranteed;
      const usedInParent = Math.max(0, usage - guaranteed);
      fromParent = Math.min(fromParent, storedInParent - usedInParent + borrowingLimit);
    }
    return local + Math.max(0, fromParent);
  }

  /** What a workload here could use if nothing else ran: the most the queue can ever provide. */
  potential(key: FlavorResource): number {
    const subtree = this.subtree.get(key) ?? 0;
    if (!this.parent) return subtree;
    const guaranteed = this.guaranteed(key);
    let fromParent = this.parent.potential(key);
    const borrowingLimit = this.quota.get(key)?.borrowingLimit;
    if (borrowingLimit !== undefined) fromParent = Math.min(fromParent, subtree - guaranteed + borrowingLimit);
    return guaranteed + fromParent;
  }

  /** True when usage of this flavor/resource exceeds the node's own quota (it borrows). */
  borrowing(key: FlavorResource, extra = 0): boolean {
    return this.used(key) + extra > (this.subtree.get(key) ?? 0);
  }

  /** Adds (or with a negative delta removes) usage here; the parent sees what this node borrows from it. */
  addUsage(key: FlavorResource, delta: number) {
    const before = this.used(key);
    const after = before + delta;
    if (after === 0) this.usage.delete(key);
    else this.usage.set(key, after);
    const g = this.guaranteed(key);
    const change = Math.max(0, after - g) - Math.max(0, before - g);
    if (this.parent && change !== 0) this.parent.addUsage(key, change);
  }

  root(): QuotaNode {
    return this.parent ? this.parent.root() : this;
  }

  /** Every ClusterQueue under this node. */
  clusterQueues(out: QuotaNode[] = []): QuotaNode[] {
    if (this.isClusterQueue) out.push(this);
    for (const child of this.children) child.clusterQueues(out);
    return out;
  }

  /** All flavor/resource pairs with quota anywhere in this subtree. */
  keys(): Iterable<FlavorResource> {
    return this.subtree.keys();
  }

  /**
   * Kueue's dominant resource share: for the resource this node borrows most
   * of, relative to what the root can lend to it, per 1000, with the weight.
   * `extra` adds a prospective workload's usage.
   */
  share(extra?: Map<FlavorResource, number>): DominantShare {
    const d: DominantShare = { ratio: 0, weight: this.fairSharingWeight, borrowed: [] };
    if (!this.parent) return d;
    const borrowed = new Map<string, number>();
    for (const [key, quota] of this.subtree) {
      const over = this.used(key) + (extra?.get(key) ?? 0) - quota;
      if (over > 0) {
        borrowed.set(resourceOf(key), (borrowed.get(resourceOf(key)) ?? 0) + over);
        d.borrowed.push(key);
      }
    }
    if (borrowed.size === 0) return d;
    const lendable = new Map<string, number>();
    for (const key of this.root().keys()) {
      lendable.set(resourceOf(key), (lendable.get(resourceOf(key)) ?? 0) + this.parent.potential(key));
    }
    for (const [resource, amount] of borrowed) {
      const pool = lendable.get(resource) ?? 0;
      if (pool > 0) d.ratio = Math.max(d.ratio, (amount * 1000) / pool);
    }
    return d;
  }

  /** The dominant resource share as one number (Infinity for a weight-0 node that borrows). */
  dominantResourceShare(extra?: Map<FlavorResource, number>): number {
    return weightedShare(this.share(extra));
  }
}

function addQuota(node: QuotaNode, groups: ResourceGroup[]) {
  for (const group of groups) {
    for (const flavor of group.flavors) {
      for (const [resource, quota] of Object.entries(flavor.resources)) {
        node.quota.set(fr(flavor.flavor, resource), quota);
      }
    }
  }
}

/** Computes subtree quotas bottom-up. */
function computeSubtree(node: QuotaNode) {
  node.subtree.clear();
  for (const [key, quota] of node.quota) node.subtree.set(key, quota.nominal);
  for (const child of node.children) {
    computeSubtree(child);
    for (const key of child.subtree.keys()) {
      const lent = (child.subtree.get(key) ?? 0) - child.guaranteed(key);
      node.subtree.set(key, (node.subtree.get(key) ?? 0) + lent);
    }
  }
}

/** Builds the quota tree: ClusterQueues under their cohorts, cohorts under their parents. */
export function buildQuotaTree(config: QueueConfig): {
  clusterQueues: Map<string, QuotaNode>;
  cohorts: Map<string, QuotaNode>;
} {
  const cohorts = new Map<string, QuotaNode>();
  const cohortNode = (name: string): QuotaNode => {
    let node = cohorts.get(name);
    if (!node) {
      const spec = config.cohorts.get(name);
      node = new QuotaNode(name, false, spec?.fairSharingWeight ?? 1);
      cohorts.set(name, node);
      if (spec) {
        addQuota(node, spec.resourceGroups);
        if (spec.parent) {
          const parent = cohortNode(spec.parent);
          node.parent = parent;
          parent.children.push(node);
        }
      }
    }
    return node;
  };
  for (const name of config.cohorts.keys()) cohortNode(name);
  const clusterQueues = new Map<string, QuotaNode>();
  for (const cq of config.clusterQueues.values()) {
    const node = new QuotaNode(cq.name, true, cq.fairSharingWeight);
    addQuota(node, cq.resourceGroups);
    if (cq.cohort) {
      const parent = cohortNode(cq.cohort);
      node.parent = parent;
      parent.children.push(node);
    }
    clusterQueues.set(cq.name, node);
  }
  const roots = new Set<QuotaNode>();
  for (const node of [...clusterQueues.values(), ...cohorts.values()]) roots.add(node.root());
  for (const root of roots) computeSubtree(root);
  return { clusterQueues, cohorts };
}
