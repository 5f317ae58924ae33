import type {
  ClusterQueueSummary,
  ClusterSummary,
  QueueListResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** The GPU resource the pickers count unless a field's ui:options name another. */
export const defaultGpuResource = 'nvidia.com/gpu';

/** A LocalQueue a template may submit to, with its ClusterQueue's figures. */
export interface QueueChoice {
  /** LocalQueue name, the value templates pass to the ai-platform actions. */
  name: string;
  namespace: string;
  team?: string;
  /** ClusterQueues behind it (one per cluster that has the LocalQueue). */
  clusterQueues: ClusterQueueSummary[];
  pending: number;
  /** Unused nominal GPU quota of its ClusterQueues. */
  freeGpus: number;
  /** The queue's team is one of the user's: the backend accepts submissions to it from non-admins. */
  yours: boolean;
}

/** Whom the queue is for: a namespace chosen in the form, else the owning team's, else the signed-in user's teams. */
export interface QueueAudience {
  namespace?: string;
  /** Team names (group entity names), e.g. "ml-research". */
  teams: string[];
  /** The signed-in user's teams. */
  memberOf: string[];
}

/** "group:default/ml-research" or "ml-research" -> "ml-research". */
export function teamOf(entityRef: string): string {
  return entityRef
    .split('/')
    .pop()!
    .replace(/^group:/, '');
}

function servesAudience(lq: { namespace: string; team?: string }, audience: QueueAudience): boolean {
  if (audience.namespace) return lq.namespace === audience.namespace;
  return audience.teams.some(team => lq.team === team || lq.namespace === `team-${team}`);
}

function freeQuota(cq: ClusterQueueSummary, resource: string): number {
  return cq.resources.filter(r => r.resource === resource).reduce((sum, r) => sum + Math.max(0, r.nominal - r.used), 0);
}

/** The LocalQueues the audience may use, merged across clusters, by name. */
export function queueChoices(
  queues: QueueListResponse,
  audience: QueueAudience,
  resource = defaultGpuResource,
): QueueChoice[] {
  const byKey = new Map<string, QueueChoice>();
  for (const cq of queues.clusterQueues) {
    for (const lq of cq.localQueues) {
      if (!servesAudience(lq, audience)) continue;
      const key = `${lq.namespace}/${lq.name}`;
      const yours = lq.team !== undefined && audience.memberOf.includes(lq.team);
      const choice = byKey.get(key) ?? {
        name: lq.name,
        namespace: lq.namespace,
        team: lq.team,
        clusterQueues: [],
        pending: 0,
        freeGpus: 0,
        yours,
      };
      choice.clusterQueues.push(cq);
      choice.pending += cq.pending;
      choice.freeGpus += freeQuota(cq, resource);
      byKey.set(key, choice);
    }
  }
  return [...byKey.values()].sort((a, b) => Number(b.yours) - Number(a.yours) || a.name.localeCompare(b.name));
}

/** One GPU product a queue can admit, with what is free on the fleet now. */
export interface FlavorChoice {
  /** nvidia.com/gpu.product, the value templates expect. */
  gpuProduct: string;
  /** ResourceFlavor names that select this product (prices may be set per flavor). */
  flavors: string[];
  /** GPUs of this product on the nodes of the queue's clusters, and how many are not allocated. */
  capacity: number;
  free: number;
  /** The queue's nominal quota for it. */
  quota: number;
}

/**
 * The GPU products of a LocalQueue's ClusterQueues, with live capacity from
 * the clusters; only products in `allowed` (the template's enum) when given.
 */
export function flavorChoices(
  queues: QueueListResponse,
  clusters: ClusterSummary[],
  queue: { name: string; namespace?: string },
  options: { resource?: string; allowed?: readonly string[] } = {},
): FlavorChoice[] {
  const resource = options.resource ?? defaultGpuResource;
  const byProduct = new Map<string, FlavorChoice>();
  for (const cq of queues.clusterQueues) {
    const servesQueue = cq.localQueues.some(
      lq => lq.name === queue.name && (!queue.namespace || lq.namespace === queue.namespace),
    );
    if (!servesQueue) continue;
    const cluster = clusters.find(c => c.name === cq.cluster);
    for (const usage of cq.resources.filter(r => r.resource === resource)) {
      const flavor = cluster?.flavors.find(f => f.name === usage.flavor);
      if (!flavor?.gpuProduct) continue;
      if (options.allowed && !options.allowed.includes(flavor.gpuProduct)) continue;
      const choice = byProduct.get(flavor.gpuProduct) ?? {
        gpuProduct: flavor.gpuProduct,
        flavors: [],
        capacity: 0,
        free: 0,
        quota: 0,
      };
      if (!choice.flavors.includes(flavor.name)) choice.flavors.push(flavor.name);
      const capacity = flavor.capacity[resource] ?? 0;
      choice.capacity += capacity;
      choice.free += Math.max(0, capacity - (flavor.allocated[resource] ?? 0));
      choice.quota += usage.nominal;
      byProduct.set(flavor.gpuProduct, choice);
    }
  }
  const order = options.allowed ?? [];
  return [...byProduct.values()].sort(
    (a, b) => order.indexOf(a.gpuProduct) - order.indexOf(b.gpuProduct) || a.gpuProduct.localeCompare(b.gpuProduct),
  );
}
