import type { QueueResourceUsage } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { Assignment } from './assign';
import { perPod } from './assign';
import { fr, FlavorResource } from './quota';
import type { QueueState } from './queueOrder';
import type { Admission, Workload } from './types';

/** Quota an admission charges, per flavor/resource (milli-units). */
export function usageOf(workload: Workload, admission: Admission): Map<FlavorResource, number> {
  const usage = new Map<FlavorResource, number>();
  for (const ps of admission.podSets) {
    const spec = workload.podSets.find(p => p.name === ps.name);
    if (!spec) continue;
    for (const [resource, flavor] of Object.entries(ps.flavors)) {
      const key = fr(flavor, resource);
      usage.set(key, (usage.get(key) ?? 0) + perPod(spec, resource) * ps.count);
    }
  }
  return usage;
}

/**
 * Kueue's resourcesToReserve: what a head that needs preemption nobody can
 * give keeps for itself this cycle, within its nominal quota (or its
 * borrowing limit when it borrows).
 */
export function reservationOf(queue: QueueState, assignment: Assignment): Map<FlavorResource, number> {
  const out = new Map<FlavorResource, number>();
  for (const [key, amount] of assignment.usage) {
    const quota = queue.node.quota.get(key);
    const used = queue.node.used(key);
    const nominal = quota?.nominal ?? 0;
    let reserve: number;
    if (assignment.borrowLevel > 0) {
      reserve = quota?.borrowingLimit === undefined ? amount : Math.min(amount, nominal + quota.borrowingLimit - used);
    } else {
      reserve = Math.max(0, Math.min(amount, nominal - used));
    }
    if (reserve > 0) out.set(key, reserve);
  }
  return out;
}

/** A ClusterQueue's quota and usage per flavor/resource, in milli-units. */
export interface QueueUsage {
  clusterQueue: string;
  cohort?: string;
  resources: QueueResourceUsage[];
}

export function usageReport(queues: Iterable<QueueState>): QueueUsage[] {
  return [...queues].map(q => ({
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
