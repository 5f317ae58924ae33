import type { ClusterQueueSummary, QueueListResponse } from '@ai-platform/backstage-plugin-ai-platform-common';

/** One cohort with the cohorts under it (hierarchical cohorts, via `parent`) and its member ClusterQueues. */
export interface CohortNode {
  name: string;
  children: CohortNode[];
  clusterQueues: ClusterQueueSummary[];
}

/** Where a ClusterQueue sits: the whole tree of its top-level cohort, or alone when it is in no cohort. */
export type QueuePlacement =
  | { kind: 'cohort'; root: CohortNode; clusterQueue: ClusterQueueSummary }
  | { kind: 'standalone'; clusterQueue: ClusterQueueSummary };

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * The cohort tree around one ClusterQueue of one cluster, from its top-level
 * cohort down. Cohorts that only appear as a ClusterQueue's `cohort` or as
 * another cohort's `parent` exist implicitly, as in Kueue. Undefined when the
 * ClusterQueue is not in the list.
 */
export function placeClusterQueue(
  queues: QueueListResponse,
  cluster: string,
  name: string,
): QueuePlacement | undefined {
  const clusterQueues = queues.clusterQueues.filter(q => q.cluster === cluster);
  const clusterQueue = clusterQueues.find(q => q.name === name);
  if (!clusterQueue) return undefined;
  if (!clusterQueue.cohort) return { kind: 'standalone', clusterQueue };

  const parents = new Map<string, string | undefined>();
  for (const cohort of queues.cohorts) if (cohort.cluster === cluster) parents.set(cohort.name, cohort.parent);
  for (const q of clusterQueues) if (q.cohort && !parents.has(q.cohort)) parents.set(q.cohort, undefined);
  for (const parent of [...parents.values()]) if (parent && !parents.has(parent)) parents.set(parent, undefined);

  // Walk up to the top-level cohort; a cycle (invalid in Kueue) stops at the first repeat.
  let rootName = clusterQueue.cohort;
  const seen = new Set([rootName]);
  for (let parent = parents.get(rootName); parent && !seen.has(parent); parent = parents.get(parent)) {
    seen.add(parent);
    rootName = parent;
  }

  const visited = new Set<string>();
  const build = (cohort: string): CohortNode => {
    visited.add(cohort);
    const children = [...parents]
      .filter(([child, parent]) => parent === cohort && !visited.has(child))
      .map(([child]) => build(child));
    return {
      name: cohort,
      children: children.sort(byName),
      clusterQueues: clusterQueues.filter(q => q.cohort === cohort).sort(byName),
    };
  };
  return { kind: 'cohort', root: build(rootName), clusterQueue };
}

/** Quota a cohort pools: nominal and used per flavor and resource, summed over its ClusterQueues and child cohorts. */
export function cohortTotals(node: CohortNode, include: (resource: string) => boolean = () => true) {
  const totals = new Map<string, { flavor: string; resource: string; nominal: number; used: number }>();
  const add = (n: CohortNode) => {
    for (const q of n.clusterQueues) {
      for (const r of q.resources.filter(x => include(x.resource))) {
        const key = `${r.flavor}/${r.resource}`;
        const t = totals.get(key) ?? {
          flavor: r.flavor,
          resource: r.resource,
          nominal: 0,
          used: 0,
        };
        t.nominal += r.nominal;
        t.used += r.used;
        totals.set(key, t);
      }
    }
    n.children.forEach(add);
  };
  add(node);
  return [...totals.values()].sort((a, b) => `${a.flavor}/${a.resource}`.localeCompare(`${b.flavor}/${b.resource}`));
}

/** Every cohort tree of one cluster from its top-level cohorts, and the ClusterQueues in no cohort. */
export function cohortForest(
  queues: QueueListResponse,
  cluster: string,
): { roots: CohortNode[]; standalone: ClusterQueueSummary[] } {
  const roots = new Map<string, CohortNode>();
  const standalone: ClusterQueueSummary[] = [];
  for (const q of queues.clusterQueues.filter(c => c.cluster === cluster).sort(byName)) {
    const placement = placeClusterQueue(queues, cluster, q.name);
    if (placement?.kind === 'cohort') roots.set(placement.root.name, placement.root);
    else if (placement) standalone.push(placement.clusterQueue);
  }
  return { roots: [...roots.values()].sort(byName), standalone };
}
