import type { KubernetesObject } from '@kubernetes/client-node';
import type { GangSlotSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { parseQuantity, type Engine } from '@ai-platform/scheduler';

/** Gang sizes (GPUs) the fleet page and the planner ask about. */
export const gangSizes = [8, 16, 32, 64] as const;

/**
 * Topology levels, widest first, when the cluster has no Kueue Topology
 * object: the zone, a rack and an NVLink domain, by the labels Kueue's
 * topology-aware scheduling documents and this project's node labels.
 */
export const defaultTopologyLevels = [
  'topology.kubernetes.io/zone',
  'cloud.provider.com/topology-rack',
  'ai-platform.io/nvlink-domain',
];

interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean };
  status?: { allocatable?: Record<string, string> };
}

interface PodLike {
  spec?: { nodeName?: string; containers?: Array<{ resources?: { requests?: Record<string, string> } }> };
  status?: { phase?: string };
}

const isGpu = (resource: string) => /gpu/i.test(resource);
const units = (quantity: string) => parseQuantity(quantity) / 1000;

/** GPUs held on each node by pods that are bound there and not finished, per resource. */
function heldByPods(pods: readonly PodLike[]): Map<string, Map<string, number>> {
  const held = new Map<string, Map<string, number>>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const perNode = held.get(node) ?? new Map<string, number>();
    for (const c of pod.spec?.containers ?? [])
      for (const [resource, q] of Object.entries(c.resources?.requests ?? {}))
        if (isGpu(resource)) perNode.set(resource, (perNode.get(resource) ?? 0) + units(q));
    held.set(node, perNode);
  }
  return held;
}

/**
 * How many gangs of `size` GPUs fit on these free GPUs per node: pods of at
 * most one node's GPUs each (a 64-GPU gang on 8-GPU nodes is 8 pods of 8),
 * all within the domain.
 */
export function gangsThatFit(freePerNode: readonly number[], perNode: number, size: number): number {
  if (perNode <= 0) return 0;
  const podGpus = Math.min(size, perNode);
  const podsPerGang = Math.ceil(size / podGpus);
  const pods = freePerNode.reduce((n, free) => n + Math.floor(free / podGpus), 0);
  return Math.floor(pods / podsPerGang);
}

/**
 * GPU quota each ClusterQueue can still use on a flavor: its own unused
 * nominal quota plus what it may borrow of its cohort's idle quota (within
 * its borrowing limit and the others' lending limits). Hierarchical cohorts
 * count as one.
 */
function quotaLeft(engine: Engine, flavor: string, resource: string): Map<string, number> {
  const rows = engine
    .usage()
    .flatMap(q =>
      q.resources
        .filter(r => r.flavor === flavor && r.resource === resource)
        .map(r => ({ ...r, clusterQueue: q.clusterQueue, cohort: q.cohort })),
    );
  const out = new Map<string, number>();
  for (const row of rows) {
    const own = Math.max(0, row.nominal - row.used);
    const lent = rows
      .filter(o => row.cohort && o.cohort === row.cohort && o.clusterQueue !== row.clusterQueue)
      .reduce((sum, o) => sum + Math.max(0, Math.min(o.nominal - o.used, o.lendingLimit ?? Infinity)), 0);
    const mayBorrow = row.borrowingLimit === undefined ? Infinity : Math.max(0, row.borrowingLimit - row.borrowed);
    out.set(row.clusterQueue, (own + Math.min(lent, mayBorrow)) / 1000);
  }
  return out;
}

/**
 * Free gang slots of one cluster: for each flavor, GPU resource and topology
 * domain, the free GPUs and how many gangs of 8, 16, 32 and 64 GPUs fit now,
 * physically (free GPUs on schedulable nodes, by the pods bound there) and
 * within each ClusterQueue's quota (physically and within what it may use).
 */
export function gangSlots(
  cluster: string,
  engine: Engine,
  nodes: readonly KubernetesObject[],
  pods: readonly KubernetesObject[],
): GangSlotSummary[] {
  const config = engine.queueConfig;
  const topology = [...config.topologies.values()][0];
  const levels = topology?.levels ?? defaultTopologyLevels;
  const held = heldByPods(pods as PodLike[]);
  const out: GangSlotSummary[] = [];
  for (const flavor of config.flavors.values()) {
    // The catch-all flavor (no node labels) would count every GPU a second time.
    if (Object.keys(flavor.nodeLabels).length === 0) continue;
    const selected = (nodes as NodeLike[]).filter(
      n => !n.spec?.unschedulable && Object.entries(flavor.nodeLabels).every(([k, v]) => n.metadata?.labels?.[k] === v),
    );
    const resources = new Set(selected.flatMap(n => Object.keys(n.status?.allocatable ?? {}).filter(isGpu)));
    for (const resource of resources) {
      const quota = quotaLeft(engine, flavor.name, resource);
      for (const level of levels) {
        const domains = new Map<string, Array<{ free: number; capacity: number }>>();
        for (const n of selected) {
          const domain = n.metadata?.labels?.[level];
          const capacity = units(n.status?.allocatable?.[resource] ?? '0');
          if (domain === undefined || capacity <= 0) continue;
          const free = Math.max(0, capacity - (held.get(n.metadata?.name ?? '')?.get(resource) ?? 0));
          domains.set(domain, [...(domains.get(domain) ?? []), { free, capacity }]);
        }
        for (const [domain, members] of domains) {
          const perNode = Math.max(...members.map(m => m.capacity));
          const free = members.map(m => m.free);
          out.push({
            cluster,
            flavor: flavor.name,
            resource,
            level,
            domain,
            nodes: members.length,
            freeGpus: free.reduce((a, b) => a + b, 0),
            gangs: gangSizes.map(size => {
              const physical = gangsThatFit(free, perNode, size);
              return {
                size,
                physical,
                withinQuota: Object.fromEntries(
                  [...quota].map(([cq, left]) => [cq, Math.min(physical, Math.floor(left / size))]),
                ),
              };
            }),
          });
        }
      }
    }
  }
  return out;
}
