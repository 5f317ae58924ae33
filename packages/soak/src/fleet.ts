import {
  flavorOfNode,
  gpuShare,
  isGpuResource,
  nodeSelectors,
  type QueueModel,
  type RestView,
  usageKey,
} from './quota';
import { topLevelIndex, type BackendApi, type ClusterSnapshot } from './observe';

/** What the REST API says about one cluster. */
export function restView(cluster: string, rest: { queues: any; workloads: any }): RestView {
  const used = new Map<string, number>();
  for (const cq of rest.queues.clusterQueues ?? []) {
    if (cq.cluster !== cluster) continue;
    for (const r of cq.resources ?? []) used.set(usageKey(cq.name, r.flavor, r.resource), r.used);
  }
  return { used, workloads: (rest.workloads.items ?? []).filter((w: any) => w.cluster === cluster) };
}

/**
 * GPU-equivalents that running pods hold and the capacity of the nodes the queues' flavors select, over all
 * flavors, and over the flavors some pending workload waits for (its GPU resource, on a flavor its node
 * selectors allow).
 */
export function allocated(snapshot: ClusterSnapshot, model: QueueModel, pending: RestView['workloads']) {
  const nodes = new Map(snapshot.nodes.map(n => [n.name, n]));
  const byFlavor = new Map<string, { used: number; capacity: number }>();
  const entry = (f: string) => byFlavor.get(f) ?? byFlavor.set(f, { used: 0, capacity: 0 }).get(f)!;
  for (const n of snapshot.nodes) {
    const f = flavorOfNode(n, model);
    if (f) for (const [r, v] of Object.entries(n.allocatable)) entry(f).capacity += v * gpuShare(r, n);
  }
  for (const p of snapshot.pods) {
    const node = p.node ? nodes.get(p.node) : undefined;
    const f = flavorOfNode(node, model);
    if (p.phase !== 'Running' || !f) continue;
    for (const [r, v] of Object.entries(p.requests)) entry(f).used += v * gpuShare(r, node);
  }
  const wanted = new Set<string>();
  for (const w of pending) {
    const obj = snapshot.objects.find(o => o.uid === w.uid);
    const selectors = obj ? nodeSelectors(obj.raw.spec) : [];
    const resources = new Set(w.podSets.flatMap(ps => Object.keys(ps.requests).filter(isGpuResource)));
    for (const [f, labels] of model.flavorLabels) {
      const fits = selectors.every(sel =>
        Object.entries(sel).every(([k, v]) => labels[k] === undefined || labels[k] === v),
      );
      const covers = [...model.clusterQueues.values()].some(cq => [...resources].some(r => cq.quota.get(f)?.has(r)));
      if (fits && covers) wanted.add(f);
    }
  }
  const sum = (fs: Iterable<string>) =>
    [...fs].reduce(
      (a, f) => ({
        used: a.used + (byFlavor.get(f)?.used ?? 0),
        capacity: a.capacity + (byFlavor.get(f)?.capacity ?? 0),
      }),
      { used: 0, capacity: 0 },
    );
  return { ...sum(byFlavor.keys()), waiting: sum(wanted) };
}

/** `cluster/namespace/kind/name` of every object of the snapshot that is part of another workload. */
export function childRefs(snapshot: ClusterSnapshot): Set<string> {
  const index = topLevelIndex(snapshot);
  return new Set(
    snapshot.objects.filter(o => index.isChild(o)).map(o => `${snapshot.cluster}/${o.namespace}/${o.kind}/${o.name}`),
  );
}

/** The workloads the catalog has entities for (their ai-platform.io/workload annotation). */
export async function catalogWorkloads(api: BackendApi): Promise<string[]> {
  try {
    const entities = await api.get<Array<{ metadata: { annotations?: Record<string, string> } }>>(
      '/api/catalog/entities?filter=kind=component&fields=metadata.annotations',
    );
    return entities.map(e => e.metadata.annotations?.['ai-platform.io/workload']).filter((r): r is string => !!r);
  } catch {
    return []; // the backend is restarting
  }
}
