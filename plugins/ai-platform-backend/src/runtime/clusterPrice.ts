import type { Engine, Workload } from '@ai-platform/scheduler';
import type { PriceBook } from '../costs/pricing';

const isGpu = (resource: string) => /gpu/i.test(resource);

/**
 * The GPU flavors a workload would run on in this cluster: those of its
 * admission if it fits now, else, as Kueue tries flavors in order, the first
 * flavor of its ClusterQueue that covers its GPU resource and agrees with its
 * node selector.
 */
function gpuFlavors(engine: Engine, workload: Workload, now: number): string[] {
  const copy = engine.clone();
  const state = copy.submit(workload);
  const admitted = copy.schedule(now).find(d => d.type === 'Admitted' && d.workload === workload.key);
  if (admitted?.type === 'Admitted')
    return admitted.admission.podSets.flatMap(ps =>
      Object.entries(ps.flavors)
        .filter(([resource]) => isGpu(resource))
        .map(([, flavor]) => flavor),
    );
  const cq = state.clusterQueue ? engine.queueConfig.clusterQueues.get(state.clusterQueue) : undefined;
  if (!cq) return [];
  return workload.podSets.flatMap(ps => {
    const wanted = Object.keys(ps.requests).filter(isGpu);
    const group = cq.resourceGroups.find(g => wanted.some(r => g.coveredResources.includes(r)));
    const flavor = group?.flavors.find(f => {
      const labels = engine.queueConfig.flavors.get(f.flavor)?.nodeLabels ?? {};
      return Object.entries(ps.nodeSelector ?? {}).every(([k, v]) => labels[k] === undefined || labels[k] === v);
    });
    return flavor ? [flavor.flavor] : [];
  });
}

/** Price per GPU-hour (micro-units) of the dearest GPU flavor the workload would get in this cluster; undefined if unpriced. */
export function gpuHourPrice(engine: Engine, workload: Workload, prices: PriceBook, now: number): number | undefined {
  let price: number | undefined;
  for (const flavor of gpuFlavors(engine, workload, now)) {
    const product = engine.queueConfig.flavors.get(flavor)?.nodeLabels['nvidia.com/gpu.product'];
    const micros = prices.segments(flavor, product, now, now + 1)[0]?.microsPerHour;
    if (micros) price = Math.max(price ?? 0, micros);
  }
  return price;
}
