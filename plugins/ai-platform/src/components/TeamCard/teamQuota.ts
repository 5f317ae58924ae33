import type { ClusterQueueSummary, QueueListResponse } from '@ai-platform/backstage-plugin-ai-platform-common';

/** One flavor/resource of a ClusterQueue a team submits to. */
export interface TeamQuotaRow {
  cluster: string;
  clusterQueue: string;
  cohort?: string;
  flavor: string;
  resource: string;
  nominal: number;
  used: number;
  borrowed: number;
  /** This queue's share of what others in its cohort borrow (see `lentQuota`). */
  lent: number;
}

const isAccelerator = (resource: string) =>
  resource.startsWith('nvidia.com/') || resource.startsWith('amd.com/') || resource.includes('gpu');

/** Idle nominal quota a ClusterQueue may lend: unused, and within its lending limit. */
function lendable(usage: ClusterQueueSummary['resources'][number]): number {
  const idle = Math.max(0, usage.nominal - usage.used);
  return Math.min(idle, usage.lendingLimit ?? Infinity);
}

/** Key of one flavor/resource of one ClusterQueue. */
export const quotaKey = (cluster: string, clusterQueue: string, flavor: string, resource: string) =>
  `${cluster}/${clusterQueue}/${flavor}/${resource}`;

/**
 * What each ClusterQueue lends to its cohort, per flavor and resource (keys
 * from `quotaKey`). Kueue does not record which queue a borrowed unit came
 * from, so what the cohort borrows is attributed to its queues in proportion
 * to the idle quota each may lend.
 */
export function lentQuota(queues: QueueListResponse): Map<string, number> {
  const cohortKey = (q: ClusterQueueSummary, flavor: string, resource: string) =>
    `${q.cluster}/${q.cohort}/${flavor}/${resource}`;
  const borrowedIn = new Map<string, number>();
  const lendableIn = new Map<string, number>();
  for (const q of queues.clusterQueues) {
    if (!q.cohort) continue;
    for (const r of q.resources) {
      const key = cohortKey(q, r.flavor, r.resource);
      borrowedIn.set(key, (borrowedIn.get(key) ?? 0) + r.borrowed);
      lendableIn.set(key, (lendableIn.get(key) ?? 0) + lendable(r));
    }
  }
  const lent = new Map<string, number>();
  for (const q of queues.clusterQueues) {
    if (!q.cohort) continue;
    for (const r of q.resources) {
      const key = cohortKey(q, r.flavor, r.resource);
      const own = lendable(r);
      const pool = lendableIn.get(key) ?? 0;
      // What this queue borrows itself comes from others, so it does not count against what it lends.
      const borrowedByOthers = Math.max(0, (borrowedIn.get(key) ?? 0) - r.borrowed);
      lent.set(
        quotaKey(q.cluster, q.name, r.flavor, r.resource),
        pool > 0 ? Math.min(own, (borrowedByOthers * own) / pool) : 0,
      );
    }
  }
  return lent;
}

/** The ClusterQueues a team's LocalQueues point at, one row per GPU flavor and resource, with what each lends to its cohort. */
export function teamQuota(queues: QueueListResponse, team: string): TeamQuotaRow[] {
  const lent = lentQuota(queues);
  const rows: TeamQuotaRow[] = [];
  for (const q of queues.clusterQueues) {
    if (!q.localQueues.some(lq => lq.team === team)) continue;
    for (const r of q.resources.filter(u => isAccelerator(u.resource))) {
      rows.push({
        cluster: q.cluster,
        clusterQueue: q.name,
        cohort: q.cohort,
        flavor: r.flavor,
        resource: r.resource,
        nominal: r.nominal,
        used: r.used,
        borrowed: r.borrowed,
        lent: lent.get(quotaKey(q.cluster, q.name, r.flavor, r.resource)) ?? 0,
      });
    }
  }
  return rows.sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) ||
      a.clusterQueue.localeCompare(b.clusterQueue) ||
      a.flavor.localeCompare(b.flavor),
  );
}
