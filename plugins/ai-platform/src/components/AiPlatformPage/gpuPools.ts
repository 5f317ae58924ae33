import type { ClusterSummary, QueueListResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import { isGpu } from '../QueuePage/CohortTree';

/** How a pool hands out its GPUs: whole devices, MIG slices of one profile, or time-sliced shares. */
export type GpuUnit = 'gpu' | 'mig' | 'shared';

/** One schedulable GPU resource of one flavor in one cluster, e.g. the A100s' 1g.10gb MIG slices on gpu-east. */
export interface GpuPool {
  cluster: string;
  flavor: string;
  gpuProduct?: string;
  resource: string;
  unit: GpuUnit;
  /** "whole GPUs", "MIG 1g.10gb slices", "time-sliced shares". */
  unitLabel: string;
  capacity: number;
  allocated: number;
}

/** What one unit of a GPU resource is, from the device plugin's resource name. */
export function gpuUnitOf(resource: string): { unit: GpuUnit; unitLabel: string } {
  const mig = /mig-(.+)$/.exec(resource);
  if (mig) return { unit: 'mig', unitLabel: `MIG ${mig[1]} slices` };
  if (/\.shared$/.test(resource)) return { unit: 'shared', unitLabel: 'time-sliced shares' };
  return { unit: 'gpu', unitLabel: 'whole GPUs' };
}

/** "NVIDIA-H100-80GB-HBM3" as people say it: "H100 80GB HBM3". */
export function productLabel(product: string | undefined): string {
  return product ? product.replace(/^NVIDIA-/, '').replace(/-/g, ' ') : 'unknown GPU';
}

/**
 * Every GPU pool of the fleet, one per cluster, flavor and GPU resource that
 * a ClusterQueue gives quota of, in cluster and flavor order. A flavor
 * without node labels (Kueue's catch-all "default") selects every node, so
 * only the resources queues cover with it make a pool.
 */
export function gpuPools(clusters: ClusterSummary[], queues: QueueListResponse): GpuPool[] {
  const covered = new Set(
    queues.clusterQueues.flatMap(q => q.resources.map(r => `${q.cluster}/${r.flavor}/${r.resource}`)),
  );
  const pools: GpuPool[] = [];
  for (const c of clusters) {
    for (const f of c.flavors) {
      const resources = new Set([...Object.keys(f.capacity), ...Object.keys(f.allocated)].filter(isGpu));
      for (const resource of resources) {
        const capacity = f.capacity[resource] ?? 0;
        const allocated = f.allocated[resource] ?? 0;
        if ((capacity === 0 && allocated === 0) || !covered.has(`${c.name}/${f.name}/${resource}`)) continue;
        pools.push({
          cluster: c.name,
          flavor: f.name,
          gpuProduct: f.gpuProduct,
          resource,
          ...gpuUnitOf(resource),
          capacity,
          allocated,
        });
      }
    }
  }
  return pools.sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) || a.flavor.localeCompare(b.flavor) || a.resource.localeCompare(b.resource),
  );
}
