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

  constructor(readonly name: string, readonly isClusterQueue: boolean, readonly fairSharingWeight: number) {}

  guaranteed(key: FlavorResource): number {
    const lend = this.quota.get(key)?.lendingLimit;
    return lend === undefined ? 0 : Math.max(0, (this.subtree.get(key) ?? 0) - lend);
  }

  used(key: FlavorResource): number {
    return this.usage.get(key) ?? 0;
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
   * of, relative to what its parent can lend, per 1000, divided by the weight.
   * `extra` adds a prospective workload's usage.
   */
  dominantResourceShare(extra?: Map<FlavorResource, number>): number {
    if (!this.parent) return 0;
    const borrowed = new Map<string, number>();
    const keys = new Set<FlavorResource>([...this.subtree.keys(), ...this.usage.keys(), ...(extra?.keys() ?? [])]);
    for (const key of keys) {
      const over = this.used(key) + (extra?.get(key) ?? 0) - (this.subtree.get(key) ?? 0);
      if (over > 0) borrowed.set(resourceOf(key), (borrowed.get(resourceOf(key)) ?? 0) + over);
    }
    if (borrowed.size === 0) return 0;
    const lendable = new Map<string, number>();
    for (const key of this.parent.keys()) {
      lendable.set(resourceOf(key), (lendable.get(resourceOf(key)) ?? 0) + this.parent.potential(key));
    }
    let share = 0;
    for (const [resource, amount] of borrowed) {
      const pool = lendable.get(resource) ?? 0;
      share = Math.max(share, pool > 0 ? (amount * 1000) / pool : Infinity);
    }
    if (this.fairSharingWeight === 0) return Infinity;
    return share / this.fairSharingWeight;
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
