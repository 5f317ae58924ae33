import type {
  ClusterQueueSummary,
  ClusterSummary,
  CohortSummary,
  FlavorSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { labels } from '@ai-platform/backstage-plugin-ai-platform-common';
import { parseQuantity } from '@ai-platform/scheduler';
import type { ClusterController } from './ClusterController';
import { gangSlots } from './gangSlots';

const units = (milli: number) => milli / 1000;

interface NodeLike {
  metadata?: { labels?: Record<string, string> };
  status?: { allocatable?: Record<string, string> };
}

/** ClusterQueues with usage and fair share, and cohorts, of one cluster. */
export function queueSummaries(c: ClusterController): {
  clusterQueues: ClusterQueueSummary[];
  cohorts: CohortSummary[];
} {
  const config = c.engine.queueConfig;
  const shares = c.engine.shares();
  const counts = new Map<string, { pending: number; admitted: number }>();
  for (const state of c.engine.workloads()) {
    if (!state.clusterQueue) continue;
    const n = counts.get(state.clusterQueue) ?? { pending: 0, admitted: 0 };
    if (state.status === 'admitted') n.admitted++;
    else if (state.status === 'pending') n.pending++;
    counts.set(state.clusterQueue, n);
  }
  const clusterQueues = c.engine.usage().map(u => {
    const spec = config.clusterQueues.get(u.clusterQueue)!;
    const localQueues = [...config.localQueues.values()].filter(lq => lq.clusterQueue === u.clusterQueue);
    return {
      cluster: c.name,
      name: u.clusterQueue,
      cohort: u.cohort,
      queueingStrategy: spec.queueingStrategy,
      stopPolicy: spec.stopPolicy,
      resources: u.resources.map(r => ({
        ...r,
        nominal: units(r.nominal),
        used: units(r.used),
        borrowed: units(r.borrowed),
        borrowingLimit: r.borrowingLimit === undefined ? undefined : units(r.borrowingLimit),
        lendingLimit: r.lendingLimit === undefined ? undefined : units(r.lendingLimit),
      })),
      fairShare: shares.get(u.clusterQueue) ?? 0,
      pending: counts.get(u.clusterQueue)?.pending ?? 0,
      admitted: counts.get(u.clusterQueue)?.admitted ?? 0,
      localQueues: localQueues.map(lq => ({
        namespace: lq.namespace,
        name: lq.name,
        team: config.namespaces.get(lq.namespace)?.[labels.team],
      })),
    };
  });
  const cohortNames = new Set([
    ...config.cohorts.keys(),
    ...[...config.clusterQueues.values()].flatMap(cq => (cq.cohort ? [cq.cohort] : [])),
  ]);
  const cohorts = [...cohortNames].map(name => ({
    cluster: c.name,
    name,
    parent: config.cohorts.get(name)?.parent,
    clusterQueues: [...config.clusterQueues.values()].filter(cq => cq.cohort === name).map(cq => cq.name),
  }));
  return { clusterQueues, cohorts };
}

function flavorSummaries(c: ClusterController): FlavorSummary[] {
  const nodes = c.cluster.nodes.list() as NodeLike[];
  const allocated = new Map<string, Record<string, number>>();
  for (const q of c.engine.usage()) {
    for (const r of q.resources) {
      const a = allocated.get(r.flavor) ?? {};
      a[r.resource] = (a[r.resource] ?? 0) + units(r.used);
      allocated.set(r.flavor, a);
    }
  }
  return [...c.engine.queueConfig.flavors.values()].map(f => {
    const selected = nodes.filter(n => Object.entries(f.nodeLabels).every(([k, v]) => n.metadata?.labels?.[k] === v));
    const capacity: Record<string, number> = {};
    for (const n of selected) {
      for (const [resource, value] of Object.entries(n.status?.allocatable ?? {})) {
        // MIG slices (nvidia.com/mig-3g.40gb) are GPU resources too.
        if (/gpu|mig-/i.test(resource)) capacity[resource] = (capacity[resource] ?? 0) + units(parseQuantity(value));
      }
    }
    return {
      cluster: c.name,
      name: f.name,
      nodeLabels: f.nodeLabels,
      gpuProduct:
        f.nodeLabels['nvidia.com/gpu.product'] ??
        selected.find(n => n.metadata?.labels?.['nvidia.com/gpu.product'])?.metadata?.labels?.[
          'nvidia.com/gpu.product'
        ],
      capacity,
      allocated: allocated.get(f.name) ?? {},
    };
  });
}

/** Connection, leadership and capacity of one cluster (nodes and pods from its shared informers); never its credentials. */
export function clusterSummary(c: ClusterController): ClusterSummary {
  return {
    name: c.name,
    mode: c.mode,
    connected: c.connected,
    leader: c.leader,
    lastError: c.lastError,
    nodes: c.cluster.nodes.list().length,
    flavors: flavorSummaries(c),
    gangSlots: gangSlots(c.name, c.engine, c.cluster.nodes.list(), c.cluster.pods.list()),
  };
}
