import {
  quantity,
  readAdmission,
  topLevelIndex,
  type ClusterSnapshot,
  type NodeView,
  type ObjectView,
} from './observe';

/** A ClusterQueue's quota per flavor and resource, from the Kueue objects the backend was given. */
export interface QueueQuota {
  name: string;
  cohort?: string;
  /** flavor → resource → limits */
  quota: Map<string, Map<string, { nominal: number; borrowingLimit?: number; lendingLimit?: number }>>;
}

export interface QueueModel {
  clusterQueues: Map<string, QueueQuota>;
  flavorLabels: Map<string, Record<string, string>>;
}

/** Reads ClusterQueues and ResourceFlavors from a list of Kueue objects. */
export function queueModel(objects: any[]): QueueModel {
  const clusterQueues = new Map<string, QueueQuota>();
  const flavorLabels = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (o.kind === 'ResourceFlavor') flavorLabels.set(o.metadata.name, o.spec?.nodeLabels ?? {});
    if (o.kind !== 'ClusterQueue') continue;
    const quota: QueueQuota['quota'] = new Map();
    for (const group of o.spec?.resourceGroups ?? []) {
      for (const flavor of group.flavors ?? []) {
        const byResource = quota.get(flavor.name) ?? new Map();
        for (const r of flavor.resources ?? []) {
          byResource.set(r.name, {
            nominal: quantity(r.nominalQuota),
            borrowingLimit: r.borrowingLimit === undefined ? undefined : quantity(r.borrowingLimit),
            lendingLimit: r.lendingLimit === undefined ? undefined : quantity(r.lendingLimit),
          });
        }
        quota.set(flavor.name, byResource);
      }
    }
    clusterQueues.set(o.metadata.name, { name: o.metadata.name, cohort: o.spec?.cohort, quota });
  }
  return { clusterQueues, flavorLabels };
}

export const isGpuResource = (r: string) => r.startsWith('nvidia.com/');

/** Whole-GPU equivalents of one device of `resource` on `node` (MIG slices in sevenths, time-slices by replicas). */
export function gpuShare(resource: string, node: NodeView | undefined): number {
  const mig = /^nvidia\.com\/mig-(\d+)g\./.exec(resource);
  if (mig) return Number(mig[1]) / 7;
  if (resource === 'nvidia.com/gpu.shared')
    return 1 / Math.max(1, Number(node?.labels['nvidia.com/gpu.replicas'] ?? 1));
  return resource === 'nvidia.com/gpu' ? 1 : 0;
}

export function flavorOfNode(node: NodeView | undefined, model: QueueModel): string | undefined {
  if (!node) return undefined;
  let best: { name: string; size: number } | undefined;
  for (const [name, labels] of model.flavorLabels) {
    const wanted = Object.entries(labels);
    if (wanted.length && wanted.every(([k, v]) => node.labels[k] === v) && (!best || wanted.length > best.size))
      best = { name, size: wanted.length };
  }
  return best?.name;
}

/** What the REST API says about one cluster at the sample. */
export interface RestView {
  /** GET /queues: used per ClusterQueue, flavor and resource. */
  used: Map<string, number>;
  workloads: Array<{
    cluster: string;
    namespace: string;
    kind: string;
    name: string;
    uid: string;
    state: string;
    clusterQueue?: string;
    reason?: { code: string };
    createdAt: string;
    admittedAt?: string;
    /** The backend's admission ETA of a waiting workload: p50, p10, p90 (ISO times). */
    eta?: string;
    etaP10?: string;
    etaP90?: string;
    podSets: Array<{ count: number; requests: Record<string, number> }>;
  }>;
}

export const usageKey = (cq: string, flavor: string, resource: string) => `${cq}\u0000${flavor}\u0000${resource}`;

const finishedConditions = new Set(['Complete', 'Completed', 'Failed', 'Succeeded', 'Finished']);

/** Whether a workload object has ended (its admission no longer needs pods). */
export function finished(o: ObjectView): boolean {
  const status = o.raw.status ?? {};
  if ((status.conditions ?? []).some((c: any) => finishedConditions.has(c.type) && c.status === 'True')) return true;
  if (['Complete', 'Failed'].includes(status.jobDeploymentStatus)) return true;
  if (['COMPLETED', 'FAILED'].includes(status.applicationState?.state)) return true;
  return ['Succeeded', 'Failed', 'Error'].includes(status.phase);
}

/** Quota that admitted workloads' live pods request, per ClusterQueue, flavor and resource: the ground truth of "used". */
export function podUsage(snapshot: ClusterSnapshot): Map<string, number> {
  const index = topLevelIndex(snapshot);
  const used = new Map<string, number>();
  for (const pod of snapshot.pods) {
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    const top = index.ofPod(pod);
    const admission = top && readAdmission(top);
    if (!admission || finished(top)) continue;
    const flavors = Object.assign({}, ...admission.podSets.map(ps => ps.flavors)) as Record<string, string>;
    for (const [resource, amount] of Object.entries(pod.requests)) {
      const flavor = flavors[resource];
      if (!flavor) continue;
      const key = usageKey(admission.clusterQueue, flavor, resource);
      used.set(key, (used.get(key) ?? 0) + amount);
    }
  }
  return used;
}

/** Every nodeSelector map anywhere in a workload's spec (its pod templates'). */
export function nodeSelectors(spec: unknown): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'nodeSelector' && child && typeof child === 'object') found.push(child as Record<string, string>);
        else walk(child);
      }
    }
  };
  walk(spec);
  return found;
}

/** Mean of the values, 0 for none. */
export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
